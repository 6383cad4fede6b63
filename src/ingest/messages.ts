/**
 * Findings placed in a file, as ingest hands them on: data (code, parameters, place, value) whose `text` and `expected`
 * are said by the locale when they are read (src/findings/render.ts), never stored as the only record.
 */
import { severityOf, type Finding } from '../findings/codes.ts';
import { inert } from '../findings/inert.ts';
import { findingText, remedyText, shownValue } from '../findings/render.ts';
import type { PlacedFinding } from '../findings/types.ts';
import type { IngestMessage, Location } from './types.ts';

export interface Subject {
  file: string;
  loc?: Location | null;
  indicator?: string | null;
  field?: string | null;
  /** The field's label in the catalog (what the unit sees in the template). */
  fieldLabel?: string | null;
}

/** A placed finding with its words: `text` (the full sentence) and `expected` (the remedy), made when read. */
export function worded(f: PlacedFinding): IngestMessage {
  return Object.defineProperties({ ...f }, {
    text: { get(this: PlacedFinding) { return findingText(this); }, enumerable: true, configurable: true },
    expected: { get(this: PlacedFinding) { return remedyText(this); }, enumerable: true, configurable: true },
  }) as IngestMessage;
}

/** A finding placed in a file: its severity from the table of codes. Whatever the file carried is kept inert. */
export function makeMessage(f: Finding, s: Subject, value: string | null = null): IngestMessage {
  const shown = shownValue(value, 200);
  return worded({
    ...f, severity: severityOf(f.code), file: inert(s.file),
    sheet: s.loc?.sheet ?? null, cell: s.loc?.cell ?? null, line: s.loc?.line ?? null,
    indicator: s.indicator ?? null, field: s.field == null ? null : inert(s.field), fieldLabel: s.fieldLabel ?? null,
    value: shown, valueLength: value === null ? null : value.length,
  } as PlacedFinding);
}

/** A finding about the whole file (cannot be read, wrong year, unknown unit…). */
export function fileMessage(f: Finding, file: string, value: string | null = null): IngestMessage {
  return makeMessage(f, { file }, value);
}

/** A query, marked with the unit's answer (or the lack of one): the sentence says the explanation at its end. */
export function withAnswer(m: IngestMessage, explanation: string | null): IngestMessage {
  const { text: _text, expected: _expected, ...data } = m;
  return worded({ ...data, answered: explanation !== null, explanation: explanation === null ? null : inert(explanation) } as PlacedFinding);
}
