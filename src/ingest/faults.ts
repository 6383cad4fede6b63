/**
 * A reader's fault (src/xlsx/fault.ts: a code, the part, the facts) as a finding of the table of codes: words are made
 * at output by the locale (src/findings/faults-vi.ts), never by the reader.
 */
import type { Fault } from '../xlsx/fault.ts';
import { finding, type Finding } from '../findings/codes.ts';

export function faultFinding(f: Fault): Finding {
  const at = { part: f.part };
  switch (f.code) {
    case 'sheet_too_large': return finding(f.code, { ...f.facts, ...at });
    case 'text_too_large': return finding(f.code, { ...f.facts, ...at });
    case 'bad_cell_value': return finding(f.code, { ...f.facts, ...at });
    case 'workbook_too_complex': return finding(f.code, { ...f.facts, ...at });
    case 'unreadable_workbook': return finding(f.code, { ...f.facts, ...at });
    case 'damaged_part': return finding(f.code, { ...f.facts, ...at });
  }
}
