/** A finding placed in a file: the data every output (CLI, JSON, feedback copy, store, report notes) words from. */
import type { Finding, Severity } from './codes.ts';

/** Where a finding was made: the file (as its messages name it), the place in it, and what it is about. */
export interface FindingPlace {
  file: string;
  sheet: string | null;
  /** A1 address in an .xlsx. */
  cell: string | null;
  /** Line number in a CSV file. */
  line: number | null;
  indicator: string | null;
  field: string | null;
  /** The field's label in the catalog (what the unit sees in the template). */
  fieldLabel: string | null;
}

/**
 * A finding where it was made: its code and parameters, its severity from the table of codes, its place, the value
 * seen (as text, cut and shown inert) and, for a query, the unit's answer.
 */
export type PlacedFinding = Finding & FindingPlace & {
  severity: Severity;
  /** The value seen, as text: white space flattened, cut at 200 characters (saying its length), inert. */
  value: string | null;
  /** The length of the value as received (what a sentence that cuts it shorter says). */
  valueLength: number | null;
  /** Queries only (codes.ts): whether the unit answered it with an explanation ("Giải trình"), and the explanation. */
  answered?: boolean;
  explanation?: string | null;
};
