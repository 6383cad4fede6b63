/**
 * A finding as the store keeps it: the columns of its place (messages: code, severity, sheet, cell, line, indicator,
 * field, value seen, text) and, since schema 4, one JSON column (`params`) with its parameters and what else its words
 * need. A row written before schema 4 has no JSON: it keeps the sentence it was stored with.
 */
import { isCode, severityOf, type Finding } from './codes.ts';
import { findingText, remedyText } from './render.ts';
import type { PlacedFinding } from './types.ts';

/** The JSON of the `params` column. */
interface Detail {
  params?: unknown;
  file: string;
  fieldLabel: string | null;
  valueLength: number | null;
  explanation: string | null;
}

/** What the `params` column holds for a finding. */
export function storedParams(f: PlacedFinding): string {
  const d: Detail = { params: f.params, file: f.file, fieldLabel: f.fieldLabel, valueLength: f.valueLength, explanation: f.explanation ?? null };
  return JSON.stringify(d);
}

/** A stored finding's columns, as read back (the store's StoredMessage, src/store/store.ts). */
export interface StoredColumns {
  code: string;
  sheet: string | null;
  cell: string | null;
  line?: number | null;
  indicatorId: string | null;
  fieldId: string | null;
  valueSeen: string | null;
  /** The sentence and remedy as worded when stored (all a row stored before schema 4 has). */
  text: string;
  expected: string | null;
  params?: string | null;
}

/** The finding a row holds; null for a row stored before schema 4 (or of a code no longer in the table): its text says it. */
export function storedFinding(row: StoredColumns): PlacedFinding | null {
  if (row.params == null || !isCode(row.code)) return null;
  let d: Detail;
  try {
    d = JSON.parse(row.params) as Detail;
  } catch {
    return null;
  }
  if (typeof d !== 'object' || d === null || typeof d.file !== 'string') return null;
  const finding = { code: row.code, params: d.params } as Finding;
  return {
    ...finding, severity: severityOf(row.code), file: d.file, sheet: row.sheet, cell: row.cell, line: row.line ?? null,
    indicator: row.indicatorId, field: row.fieldId, fieldLabel: d.fieldLabel ?? null, value: row.valueSeen, valueLength: d.valueLength ?? null,
    explanation: d.explanation ?? null, answered: d.explanation !== null && d.explanation !== undefined,
  };
}

/** A stored finding's sentence and remedy: worded now from its code and parameters, or as stored before schema 4. */
export function storedWords(row: StoredColumns): { text: string; expected: string | null } {
  const f = storedFinding(row);
  return f ? { text: findingText(f), expected: remedyText(f) } : { text: row.text, expected: row.expected };
}
