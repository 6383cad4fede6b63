/**
 * A reader's fault (src/xlsx/fault.ts: a code, the part, the facts) as a finding of the table of codes: the words are
 * produced here, at output, never by the reader.
 */
import type { Fault } from '../xlsx/fault.ts';
import { say, type Finding } from './codes.ts';

export function faultFinding(f: Fault): Finding {
  const at = { part: f.part };
  switch (f.code) {
    case 'sheet_too_large': return say(f.code, { ...f.facts, ...at });
    case 'text_too_large': return say(f.code, { ...f.facts, ...at });
    case 'bad_cell_value': return say(f.code, { ...f.facts, ...at });
    case 'workbook_too_complex': return say(f.code, { ...f.facts, ...at });
    case 'unreadable_workbook': return say(f.code, { ...f.facts, ...at });
    case 'damaged_part': return say(f.code, { ...f.facts, ...at });
  }
}
