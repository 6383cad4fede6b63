/**
 * Every code a finding may carry, in one table: its severity, whether it is a query, and (in `Params`) the facts a finding
 * of it carries, typed. A finding is data: a code and its parameters (frictionless-py's errors, zod's issues); its words
 * are made at output by the locale (locale-vi.ts). docs/ingest.md's table of codes is tested against this table
 * (test/ingest-codes.test.ts).
 */
import type { FieldRole } from '../catalog/types.ts';
import type { InputKind, KIND_RANGES } from './kinds.ts';
import type { FaultCode, FaultFacts } from '../xlsx/fault.ts';
import type { Delimiter, TextFault } from '../csv-text.ts';

export type Severity = 'error' | 'warning';
/** The two kinds of query (Spec.query). */
export type QueryKind = 'plausibility' | 'impossibility';

/** Where a value sits, as a finding names it beside another: a cell, a CSV line, or only its field id. */
export interface Place { cell: string | null; line: number | null; fieldId: string }

/** Where an edited map sends an input, instead of the template's cell. */
export type Misplaced =
  | { kind: 'meta' } | { kind: 'sheet' } | { kind: 'outside' } | { kind: 'cell' }
  | { kind: 'column'; column: string; header: string } | { kind: 'other'; fieldId: string };

/** A figure of a measure, with its role and where it sits. */
export interface RoleFigure { role: FieldRole; at: Place; value: number }

/**
 * The facts of a code whose words its reader (src/xlsx, zip-check.ts, email.ts, which belong to the neutral layers)
 * composes: the reason and the remedy arrive already worded.
 */
export interface ReaderWords { reason: string; expected: string | null }

type Value = { kind: InputKind };
/** A fault found by a reader of src/xlsx in a workbook's bytes (src/xlsx/fault.ts), with the part it was found in. */
export type At<C extends FaultCode> = FaultFacts[C] & { part: string | null };

/** Each code's parameters (`void`: a finding of it carries none). */
export interface Params {
  old_xls: ReaderWords; encrypted: ReaderWords; not_zip: ReaderWords; corrupt_zip: ReaderWords; duplicate_zip_entry: ReaderWords;
  macro_workbook: ReaderWords; not_regular_file: ReaderWords; symlink: ReaderWords; zip_too_large: ReaderWords;
  not_xlsx: ReaderWords; no_meta: ReaderWords; template_version: ReaderWords;
  sheet_too_large: At<'sheet_too_large'>; text_too_large: At<'text_too_large'>; workbook_too_complex: At<'workbook_too_complex'>;
  bad_cell_value: At<'bad_cell_value'>; unreadable_workbook: At<'unreadable_workbook'>; damaged_part: At<'damaged_part'>;
  email_unreadable: ReaderWords; email_no_attachment: ReaderWords;
  /** A message hoctap sent itself (its Message-ID is in the outbox: a copy, a draft), given to ingest. */
  email_own: ReaderWords;
  /** A CSV file without figures; or (its reader's words) a file of 0 bytes. */
  empty_file: { headerOnly: boolean } | ReaderWords;
  file_too_large: { mb: number; maxMb: number };
  /** Something failed while the file's content was read or checked (the fault boundary of ingest): where, when known. */
  file_fault: { stage: 'read' | 'check'; part: string | null };
  io_error: { errno: string | undefined };
  csv_encoding: { kind: TextFault['kind']; encoding: TextFault['encoding']; before: string };
  csv_field_count: { got: number; want: number; delimiter: Delimiter; cause: 'decimal_comma' | 'separator_in_value' | 'other_separator' | 'missing'; value: string };
  csv_too_many_rows: { limit: number; unit: string };
  csv_format: { parse: string } | { missing: string[]; header: string[] } | { noUnit: true } | { year: string };
  csv_mixed: { units: string[] } | { years: string[] };
  duplicate_in_batch: { unit: string; year: number; first: string; file: string };
  catalog_version: { got: string | null; want: string };
  wrong_year: { got: number; want: number };
  unknown_unit: { code: string; name: string | null; roster: string };
  agency_mismatch: { got: string; unit: string; want: string };
  unit_name_mismatch: { got: string; code: string; want: string };
  profile_mismatch: { got: string; want: string };
  content_mismatch: { sheet: string; cell: string; unit: { name: string; code: string } | null; year: number | null };
  meta_signature: { unit: string; year: string };
  meta_unsigned: void;
  /** An entry of the map the catalog does not know; or (the `_meta` reader's words, src/xlsx/meta.ts) a map it cannot read. */
  bad_meta: { fieldId: string; kind: string; known: { kind: string; indicatorId: string } | null; unlisted: boolean } | ReaderWords;
  missing_sheet: { sheet: string };
  input_moved: { fieldId: string; at: string; want: string | null; why: Misplaced };
  columns_changed: { sheet: string; column: string; row: number; got: string; want: string };
  layout_changed: { sheet: string; cell: string; label: string; fieldId: string; more: number };
  unknown_field: void;
  field_not_assigned: { indicatorId: string; unitName: string; agency: string; assigned: string[] };
  duplicate_field: { line: number };
  not_a_number: Value & { notFinite?: boolean };
  not_integer: Value & { value: number };
  out_of_range: { kind: keyof typeof KIND_RANGES; value: number };
  unexpected_percent: Value;
  date_in_number: Value;
  bad_direction: void;
  bad_rating: void;
  rating_label_mismatch: { typed: string; level: number };
  formula_no_result: { formula: string };
  formula_error: { formula: string; error: string };
  cell_error: { error: string };
  unreadable_cell: Value;
  text_too_long: { length: number };
  control_chars_removed: { removed: string[] };
  ambiguous_percent: { value: number; times100: number };
  thousands_guess: Value & { value: number };
  no_figures: { count: number; csv: boolean };
  sex_sum: { parts: RoleFigure[]; sum: number; total: FieldRole; totalValue: number };
  num_gt_den: { left: FieldRole; leftValue: number; right: FieldRole; rightValue: number; rightAt: Place };
  rate_mismatch: { rate: number; numRole: FieldRole; denRole: FieldRole; num: number; den: number; computed: number; numAt: Place; denAt: Place; tolerance: number };
  outlier: { year: number; before: number; now: number; points: boolean; change: number; limit: number };
  total_outside_parts: { total: RoleFigure; parts: RoleFigure[] };
  more_than_local_units: { value: number; limit: number };
  /** A count of people above the population its own file states (`population`: that figure, where, in which indicator). */
  count_above_population: { value: number; unit: string; population: { label: string; indicator: string; at: Place; value: number } };
  direction_contradicts: { claimed: string; label: string; at: Place; year: number; now: number; before: number };
  full_without_evidence: { percent: number; evidence: { cell: string } | 'note' | 'none' };
  narrative_placeholder: { nothingElse: boolean };
  /**
   * A structured item of the narrative sheet (highlight, difficulty, proposal, nomination) that cannot be used as typed:
   * a choice not in its list (kept as "khác" / unclassified), or a row with its text but not its name or choice.
   */
  bad_item: { problem: 'not_in_list'; list: 'category' | 'addressee' | 'nominee'; allowed: string[] } | { problem: 'incomplete'; missing: string };
  missing_values: { count: number; listed: string[]; more: number };
  feedback_failed: { error: string };
  sender_mismatch: { sender: string; expected: string };
}

export type Code = keyof Params;

interface Spec {
  severity: Severity;
  /**
   * A query (as in DfE's data collections): a warning the unit answers with an explanation ("Giải trình") instead of
   * changing a figure that is true. plausibility: an unusual figure the unit may explain; impossibility: figures that
   * cannot all be true (no verdict rests on them until the unit explains or the analyst confirms: src/scoring/queries.ts).
   */
  query?: QueryKind;
}

const E: Spec = { severity: 'error' };
const W: Spec = { severity: 'warning' };
const Q: Spec = { severity: 'warning', query: 'plausibility' };
const I: Spec = { severity: 'warning', query: 'impossibility' };

export const CODES: { readonly [C in Code]: Spec } = {
  // Files that cannot be read (their readers word these).
  old_xls: E, encrypted: E, not_zip: E, corrupt_zip: E, duplicate_zip_entry: E, macro_workbook: E, not_regular_file: E,
  symlink: E, zip_too_large: E, not_xlsx: E, no_meta: E, template_version: E,
  // Faults of a workbook's bytes, found by the readers of src/xlsx (fault.ts: the facts; ingest/faults.ts: to findings).
  sheet_too_large: E, text_too_large: E, workbook_too_complex: E, bad_cell_value: E, unreadable_workbook: E, damaged_part: E,
  empty_file: E, file_too_large: E, file_fault: E, io_error: E, csv_encoding: E, csv_field_count: E, csv_too_many_rows: E, csv_format: E, csv_mixed: E, duplicate_in_batch: E,
  // Which template, for whom; the map's signature (src/xlsx/signature.ts).
  catalog_version: E, wrong_year: E, unknown_unit: E, agency_mismatch: E, unit_name_mismatch: E, profile_mismatch: E,
  content_mismatch: E, meta_signature: E, meta_unsigned: W,
  // The map of inputs and the sheets' layout.
  bad_meta: E, missing_sheet: E, input_moved: E, columns_changed: E, layout_changed: E, unknown_field: E,
  field_not_assigned: E, duplicate_field: E,
  // One value, read for its kind (values.ts).
  not_a_number: E, not_integer: E, out_of_range: E, unexpected_percent: E, date_in_number: E, bad_direction: E,
  bad_rating: E, rating_label_mismatch: E, formula_no_result: E, formula_error: E, cell_error: E, unreadable_cell: E,
  text_too_long: E, control_chars_removed: W, ambiguous_percent: W, thousands_guess: W,
  no_figures: E,
  // Values against each other (MEASURE_RULES).
  sex_sum: E, num_gt_den: E, rate_mismatch: E,
  // Worth a look: the file is accepted.
  outlier: Q, direction_contradicts: Q, total_outside_parts: I, more_than_local_units: I, count_above_population: I,
  full_without_evidence: W, narrative_placeholder: W, bad_item: W, missing_values: W, feedback_failed: W,
  email_unreadable: E, email_no_attachment: E, email_own: E,
  sender_mismatch: W,
};

/** A finding: a code of the table and the facts it carries (no words). */
export type Finding = { [C in Code]: { code: C; params: Params[C] } }[Code];
/** A finding of one code. */
export type FindingOf<C extends Code> = Extract<Finding, { code: C }>;

/** The codes whose words their reader composes. */
export type ReaderCode = { [C in Code]: ReaderWords extends Params[C] ? C : never }[Code];

/** A finding of `code`, with its facts. */
export function finding<C extends Code>(code: C, ...params: Params[C] extends void ? [] : [Params[C]]): FindingOf<C> {
  return { code, params: params[0] } as FindingOf<C>;
}

export const isCode = (code: string): code is Code => Object.hasOwn(CODES, code);

/** A code given by a reader of the neutral layers (src/xlsx, zip-check) as text: one of this table, or a bug. */
export function asCode(code: string): Code {
  if (!isCode(code)) throw new Error(`mã "${code}" không có trong bảng mã (src/findings/codes.ts)`);
  return code;
}

const READER_CODES: ReadonlySet<string> = new Set<ReaderCode>([
  'old_xls', 'encrypted', 'not_zip', 'corrupt_zip', 'duplicate_zip_entry', 'macro_workbook', 'not_regular_file', 'symlink',
  'zip_too_large', 'not_xlsx', 'no_meta', 'template_version', 'email_unreadable', 'email_no_attachment', 'email_own', 'empty_file',
  'bad_meta',
]);

/** A reader's refusal (its code as text, its words made by the reader) as a finding; any other code is a bug. */
export function readerFinding(code: string, reason: string, expected: string | null): Finding {
  if (!READER_CODES.has(asCode(code))) throw new Error(`mã "${code}" không phải mã do bộ đọc tệp diễn đạt (src/findings/codes.ts)`);
  return { code: code as ReaderCode, params: { reason, expected } };
}

/** A reader's answer when a file cannot be read at all. */
export type Failure = { ok: false } & Finding;

export const severityOf = (code: Code): Severity => CODES[code].severity;

/** A query: a warning the unit may answer with an explanation. */
export const isQuery = (code: Code): boolean => CODES[code].query !== undefined;
/** A query's kind; null for a code that is no query. */
export const queryKind = (code: Code): QueryKind | null => CODES[code].query ?? null;
