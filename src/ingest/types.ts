/** The shapes that travel through the ingest pipeline and out to the CLI, the JSON output and the tests. */
import type { MetaEntry } from '../xlsx/meta.ts';
import type { AnsweredMail } from './email.ts';
import type { Severity } from '../findings/codes.ts';
import type { PlacedFinding } from '../findings/types.ts';

export type { Severity };

/**
 * One finding about a file. Errors mean the figure (or the file) cannot be used; warnings mean it can, but looks wrong.
 * The finding is data (code, parameters, place: src/findings); `text` (the full Vietnamese sentence) and `expected`
 * (what would be right) are its words, made by the locale whenever they are read (src/ingest/messages.ts).
 */
export type IngestMessage = PlacedFinding & {
  readonly expected: string | null;
  readonly text: string;
};

/** Where an input sits: a cell of a workbook or a line of a CSV file. */
export interface Location {
  sheet: string | null;
  cell: string | null;
  line: number | null;
}

/** One input read from a file, before normalisation. */
export interface RawInput {
  entry: MetaEntry;
  loc: Location;
  /** An exceljs cell value, or the text of a CSV value. */
  value: unknown;
  /** The cell's number format (xlsx only): "0.0%" turns 0.955 into 95.5. */
  numFmt?: string;
  /** A note given beside the value (the CSV `note` column): counts as evidence for the 100 % check. */
  note?: string;
}

/** A figure that passed its own checks: what is stored. */
export interface AcceptedValue {
  entry: MetaEntry;
  loc: Location;
  raw: string;
  num: number | null;
  text: string | null;
  note: string | null;
}

export interface Identity {
  unitCode: string;
  year: number;
  catalogVersion: string | null;
  templateVersion: string | null;
}

export type FileStatus = 'accepted' | 'rejected' | 'duplicate';

export interface FileResult {
  /** The path as given (or found in a folder). */
  path: string;
  /** The file name shown in messages. */
  file: string;
  sha256: string;
  kind: 'xlsx' | 'csv' | 'unknown';
  unit: string | null;
  unitName: string | null;
  year: number | null;
  status: FileStatus;
  /**
   * A file of a unit and year that already has figures in force: what it changes against them (null for a first
   * submission, a rejected file or a duplicate).
   */
  change: { inForce: number; added: number; changed: number; removed: number; indicators: { id: string; added: number; changed: number; removed: number }[] } | null;
  /** The date the file counts as received, and where it came from: the e-mail's Date, --received-at, or today. */
  receivedAt: string | null;
  receivedFrom: 'email' | 'option' | 'today' | null;
  /** Held instead of put in force: it would remove figures in force (confirm with --replace or `hoctap restore`). */
  held: boolean;
  /**
   * Why it was kept without going in force although it could have: the unit's figures are approved or its year locked
   * (docs/review.md); an approver confirms it with --force --reason. Absent otherwise.
   */
  frozen?: { why: string; locked: boolean };
  /** For a duplicate: the stored submission it repeats and that submission's status. */
  duplicateOf: { submissionId: number; status: string } | null;
  /** For an accepted file that replaces an earlier accepted one. */
  supersedes: { submissionId: number; file: string } | null;
  /** The submission row written (null in a dry run, for duplicates and for files that name no unit). */
  submissionId: number | null;
  /** One-line reason of a rejection (the first error). */
  reason: string | null;
  /** A command that would help (its arguments; the CLI writes it as hoctap is called): a duplicate that can be restored. */
  hint?: string[];
  errors: number;
  warnings: number;
  values: number;
  missing: number;
  messages: IngestMessage[];
  archivePath: string | null;
  feedbackPath: string | null;
  /** An attachment of a message that replies to a mail hoctap sent: that mail's unit, year and kind (absent otherwise). */
  answers?: AnsweredMail;
}

export interface BatchResult {
  files: FileResult[];
  /** The other files of the folders given (not spreadsheets nor e-mails, feedback copies, lock files): listed, not read. */
  skipped: { path: string; file: string; why: 'not_spreadsheet' | 'feedback_copy' | 'lock_file' | 'hidden' }[];
  feedbackDir: string | null;
  dryRun: boolean;
  /** Signed workbooks whose `_meta` signature could not be verified: the workspace has no key file (.hoctap-key). */
  signaturesUnchecked: number;
}
