/**
 * One file of a batch, in stages: identify (its bytes, what kind of file) → read (whose file, of which year) → check
 * (checks/index.ts) → decide (the resubmission policy) → store → feedback copy. Reading and checking a file's content
 * run inside a fault boundary: whatever fails there refuses that file with its reason, and the batch goes on.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { findUnit, type Workspace } from '../catalog/workspace.ts';
import type { Store, StoredValue } from '../store/store.ts';
import { finding, readerFinding, type Finding } from '../findings/codes.ts';
import { inert } from '../findings/inert.ts';
import { FileFault } from '../xlsx/fault.ts';
import { readWorkbook } from '../xlsx/read-workbook.ts';
import { checkFile, type BatchMemory, type FileCheck, type Parsed } from './check.ts';
import type { AnsweredMail } from './email.ts';
import { faultFinding } from './faults.ts';
import type { FeedbackFiles } from './feedback.ts';
import { writeFeedbackCopy } from './feedback-stage.ts';
import { fileMessage, makeMessage } from './messages.ts';
import { csvRowLimit, readCsv } from './read-csv.ts';
import { changeAgainstInForce, type ResubmissionPolicy } from './resubmission.ts';
import { storeFile } from './store-stage.ts';
import { tally } from './tally.ts';
import type { FileResult, IngestMessage } from './types.ts';
import { readInputFile, sniffFile, type InputFile } from './zip-check.ts';

/** A returned workbook is well under 1 MB; anything above this is refused before being read into memory twice. */
export const MAX_FILE_BYTES = 50 * 1024 * 1024;

/** What every file of a batch shares. */
export interface BatchContext {
  batchWs: Workspace;
  db: Store | null;
  year?: number;
  dryRun: boolean;
  receivedAt: string;
  receivedFrom: 'email' | 'option' | 'today';
  ingestedAt: string;
  feedbackDir: string | null;
  taken: Set<string>;
  batch: BatchMemory;
  policy: ResubmissionPolicy;
  /** Keeps the bytes in the archive (written in the background, awaited before the batch commits); returns the path. */
  archive: (bytes: Buffer, sha256: string, ext: string) => string;
  user: string | null;
  /** The workspace as it is for a year (its roster, its words): a file is judged against its own year. */
  viewOf: (year: number) => Workspace;
  replay?: { fileName: string; label: string; accepted?: boolean };
  /** The signing key (null: the workspace has none, and `signatures.unchecked` counts the workbooks not verified). */
  key: Buffer | null;
  /** When the key was made (ms): an unsigned template generated before then is an old one, not a stripped one. */
  keySince: number | null;
  signatures: { unchecked: number };
  feedback: FeedbackFiles;
  onStep?: (step: 'feedback' | 'commit') => void;
}

/**
 * One file to ingest: a file of the batch, or an attachment of a saved e-mail (received on its Date, from its sender;
 * `answers`: the mail of hoctap's outbox the message replies to, if any).
 */
export interface FilePart { path: string; label: string; load: () => InputFile; date?: Date | null; sender?: string | null; answers?: AnsweredMail | null }

/** Reads a file, its size checked first. */
export function loadFile(filePath: string): InputFile {
  return readInputFile(filePath, MAX_FILE_BYTES);
}

/** What the read stage knows of a file whose content could be read. */
interface ReadFile { parsed: Parsed; unit: string; year: number; unsigned: boolean }

/** A stage's refusal: the finding, and whether the file is recorded without a unit (it could not be tied to one). */
class Refusal {
  readonly finding: Finding;
  readonly line: number | null;
  constructor(f: Finding, line: number | null = null) {
    this.finding = f;
    this.line = line;
  }
}

export async function ingestOne(c: BatchContext, part: FilePart): Promise<FileResult> {
  const file = part.label;
  const result = emptyResult(part, c, file);
  const loaded = part.load();
  if (!loaded.ok) return refused(result, fileMessage(loadFinding(loaded), file));
  const bytes = loaded.bytes;
  result.sha256 = crypto.createHash('sha256').update(bytes).digest('hex');
  const archive = () => {
    if (c.dryRun || result.archivePath) return;
    result.archivePath = c.archive(bytes, result.sha256, result.kind !== 'unknown' ? result.kind : path.extname(part.path).slice(1).toLowerCase());
  };
  let read: ReadFile;
  try {
    read = await readStage(c, part.path, bytes, result);
  } catch (e) {
    const r = e instanceof Refusal ? e : new Refusal(faultOf(e, 'read'));
    return unattributed(c, part, result, archive, r);
  }
  // From here on the file is judged against its own year's roster, words and targets.
  const ws = Number.isInteger(read.year) ? c.viewOf(read.year) : c.batchWs;
  result.unit = read.unit;
  result.year = read.year;
  result.unitName = ws.roster.find((u) => u.code === read.unit)?.name ?? null;
  const check = await checkStage(c, ws, part, read, result);
  if (check.identicalTo !== null) {
    archive();
    result.status = 'duplicate';
    result.reason = `tệp giống hệt ${check.identicalTo} trong cùng đợt này: bỏ qua`;
    return result;
  }
  // A second file of the unit in this batch is not stored: it waits for a run of its own.
  const second = check.messages.find((m) => m.code === 'duplicate_in_batch');
  if (second) {
    archive();
    return refused(result, second);
  }
  result.messages = check.messages;
  result.values = check.values.length;
  result.missing = check.missing.length;
  tally(result);
  // A resubmission is compared with what is in force; one that would take figures away waits for the analyst.
  if (!result.errors) result.change = await changeAgainstInForce(c.db, read.unit, read.year, check.values);
  const decision = c.policy.decide(result.errors, result.change);
  result.status = decision === 'rejected' ? 'rejected' : 'accepted';
  archive();
  const stored = await storeFile(c, ws, part, result, check, decision, read.parsed.kind);
  if (stored === 'done') return result;
  if (c.feedbackDir && result.messages.length) await writeFeedbackCopy(c, part.path, read.parsed, check, result);
  return tally(result);
}

function emptyResult(part: FilePart, c: BatchContext, file: string): FileResult {
  return {
    path: part.path, file, sha256: '', kind: 'unknown', unit: null, unitName: null, year: null, status: 'rejected',
    receivedAt: part.date ? part.date.toISOString() : c.receivedAt, receivedFrom: part.date ? 'email' : c.receivedFrom,
    change: null, held: false, duplicateOf: null, supersedes: null, submissionId: null, reason: null, errors: 0, warnings: 0,
    values: 0, missing: 0, messages: [], archivePath: null, feedbackPath: null, ...(part.answers ? { answers: part.answers } : {}),
  };
}

function refused(result: FileResult, m: IngestMessage): FileResult {
  result.messages = [m];
  result.status = 'rejected';
  return tally(result);
}

function loadFinding(loaded: Extract<InputFile, { ok: false }>): Finding {
  if (loaded.refused) return readerFinding(loaded.refused.code, loaded.refused.reason, loaded.refused.expected);
  if (loaded.size !== undefined) return finding('file_too_large', { mb: loaded.size / 1024 / 1024, maxMb: MAX_FILE_BYTES / 1024 / 1024 });
  return finding('io_error', { errno: loaded.code });
}

/**
 * What failed inside the fault boundary, as the file's finding: a reader's typed fault keeps its own code and words;
 * anything else (a library's plain Error, a check's mistake) is `file_fault`, with its trace for a developer only.
 */
function faultOf(e: unknown, stage: 'read' | 'check'): Finding {
  if (e instanceof FileFault) return faultFinding(e.fault);
  if (process.env.HOCTAP_DEBUG) process.stderr.write(`[file_fault] ${(e as Error)?.stack ?? String(e)}\n`);
  return finding('file_fault', { stage, part: null });
}

/** Identify and read: what kind of file, whose, of which year. A refusal is thrown (Refusal) and the file is unattributed. */
async function readStage(c: BatchContext, filePath: string, bytes: Buffer, result: FileResult): Promise<ReadFile> {
  const sniffed = sniffFile(bytes, filePath);
  if (!sniffed.ok) throw new Refusal(readerFinding(sniffed.code, sniffed.reason, sniffed.expected));
  result.kind = sniffed.kind;
  if (sniffed.kind === 'csv') {
    // Bounded by what the file's unit can send, known from its first line (its year's roster and catalog).
    const read = await readCsv(bytes, { rowLimit: (unit, year) => csvRowLimit(c.viewOf(year), unit) });
    if (!read.ok) throw new Refusal(read, read.line ?? null);
    // Codes typed by hand in another system: "q1" is the roster's "Q1".
    read.unitCode = findUnit(c.viewOf(read.year), read.unitCode)?.code ?? read.unitCode;
    return { parsed: { kind: 'csv', csv: read }, unit: read.unitCode, year: read.year, unsigned: false };
  }
  const read = await readWorkbook(bytes, sniffed.files, { key: c.key ?? undefined });
  if (!read.ok) throw new Refusal(read.fault ? faultFinding(read.fault) : readerFinding(read.code, read.reason, read.expected));
  // A map that is not the one this workspace signed says nothing that can be believed, not even whose file it is. A
  // file accepted once is not judged again on its signature (rebuild: the key may have been lost or replaced since).
  if (read.signature === 'invalid' && !c.replay?.accepted) {
    throw new Refusal(finding('meta_signature', { unit: inert(read.meta.keys.unit_code), year: inert(read.meta.keys.year) }));
  }
  // Unsigned: a template older than the key (it could not be signed) says nothing; one generated since, a warning.
  const generated = Date.parse(read.meta.keys.generated_at);
  if (!read.signature && read.meta.signature) c.signatures.unchecked++;
  return {
    parsed: { kind: 'xlsx', workbook: read.workbook, meta: read.meta, source: read.source },
    unit: read.meta.keys.unit_code, year: Number(read.meta.keys.year),
    unsigned: read.signature === 'absent' && !(c.keySince !== null && generated < c.keySince),
  };
}

/** A file that cannot be tied to a unit: archived and recorded with its reason, refused. */
async function unattributed(c: BatchContext, part: FilePart, result: FileResult, archive: () => void, r: Refusal): Promise<FileResult> {
  const m = makeMessage(r.finding, { file: part.label, loc: { sheet: null, cell: null, line: r.line } });
  archive();
  if (c.db && !c.dryRun) {
    await c.db.recordUnattributed({
      fileName: c.replay?.fileName ?? path.basename(part.path), sha256: result.sha256, archivePath: path.relative(c.batchWs.dir, result.archivePath!),
      receivedAt: result.receivedAt!, ingestedAt: c.ingestedAt, code: r.finding.code, reason: m.text, user: c.user, label: part.label,
      expectedYear: c.year ?? null,
    });
  }
  return refused(result, m);
}

/** The checks, inside the fault boundary: a check that fails refuses this file alone, with `file_fault`. */
async function checkStage(c: BatchContext, ws: Workspace, part: FilePart, read: ReadFile, result: FileResult): Promise<FileCheck> {
  const previous = c.db && Number.isInteger(read.year) ? await c.db.acceptedValuesOfUnit(read.unit, read.year - 1) : [];
  try {
    return await checkFile({
      ws, file: part.label, year: c.year, sha256: result.sha256, batch: c.batch, sender: part.sender, unsigned: read.unsigned,
      previousValues: (unit, year) => previousRows(previous, unit, year, read),
    }, read.parsed);
  } catch (e) {
    return {
      identity: null, messages: [fileMessage(faultOf(e, 'check'), part.label)], values: [], narratives: [], items: [], contact: null, missing: [],
      identicalTo: null,
    };
  }
}

/**
 * The unit's figures in force of the year before the file's, read before the checks (which read them synchronously):
 * the checks ask for the file's own unit and year only.
 */
function previousRows(rows: StoredValue[], unit: string, year: number, file: Pick<ReadFile, 'unit' | 'year'>): { field_id: string; value_num: number | null }[] {
  // A file whose year is no year has no figures the year before (none was read).
  if (!Number.isInteger(year)) return [];
  if (unit !== file.unit || year !== file.year - 1) throw new Error(`previousValues: ${unit} ${year} chưa được đọc trước`);
  return rows.map((r) => ({ field_id: r.fieldId, value_num: r.num }));
}
