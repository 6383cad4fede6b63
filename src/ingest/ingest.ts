/**
 * One ingest batch: find the files, and for each one in turn: read its bytes, identify it (zip-check), read it
 * (read-xlsx / read-csv), judge it (check), archive it, store it (the Store, one transaction per file) and
 * write its feedback copy. A bad file gets a one-line reason and the batch goes on. Returns what the CLI prints.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { findUnit, type Workspace } from '../catalog/workspace.ts';
import { workspaceForYear } from '../catalog/years.ts';
import { openStore, openStoreForReading } from '../store/open.ts';
import { ArchiveWriter, processAlive } from '../store/archive.ts';
import type { RecordOutcome, Store, StoredValue } from '../store/store.ts';
import { currentUser } from '../store/user.ts';
import { changeAgainstInForce, mustHold } from './resubmission.ts';
import { checkFile, type FileCheck, type Parsed } from './check.ts';
import { FeedbackFiles, feedbackPathFor, tidyFeedback, writeCsvFeedback, writeXlsxFeedback } from './feedback.ts';
import { finding, readerFinding, type Finding } from '../findings/codes.ts';
import { storedParams } from '../findings/stored.ts';
import { inert } from '../findings/inert.ts';
import { isEmailFile, readEmail } from './email.ts';
import { collectFiles, displayNames } from './files.ts';
import { fileStamp } from '../dates.ts';
import { faultFinding } from './faults.ts';
import { fileMessage, makeMessage } from './messages.ts';
import { csvRowLimit, readCsv } from './read-csv.ts';
import { readWorkbook } from '../xlsx/read-workbook.ts';
import { keyMadeAt, readWorkspaceKey } from '../xlsx/signature.ts';
import type { BatchResult, FileResult, IngestMessage } from './types.ts';
import { readInputFile, sniffFile, type InputFile } from './zip-check.ts';

/** A returned workbook is well under 1 MB; anything above this is refused before being read into memory twice. */
export const MAX_FILE_BYTES = 50 * 1024 * 1024;
/** Files above this size are not read inside an open write batch (see the ingest loop). Templates weigh 20–100 kB. */
const BATCH_BREAK_BYTES = 1024 * 1024;

export interface IngestOptions {
  /** --year: a file of another year is rejected. */
  year?: number;
  dryRun?: boolean;
  /** The date the e-mail arrived (--received-at); default: the ingest time. */
  receivedAt?: Date;
  /** The ingest time (tests pin it). */
  now?: Date;
  /** Where the feedback copies go; default <workspace>/feedback/<date_time>. In a dry run, only when given. */
  feedbackDir?: string;
  /** Called once the files are found, before the first is read. */
  onStart?: (total: number) => void;
  onProgress?: (done: number, total: number, file: string) => void;
  /** The store, open already (rebuild: its new database, in a transaction of its own); default: the workspace's. */
  db?: Store;
  /** Who ingests (recorded with every change of what is in force); default: the OS user; null: not known (rebuild). */
  user?: string | null;
  /** Files that pass the checks are stored held: kept with their values, not in force until confirmed or restored. */
  hold?: boolean;
  /** --replace: a resubmission that removes figures in force is put in force all the same (the analyst confirmed it). */
  replace?: boolean;
  /**
   * Re-ingesting one archived file (rebuild): the names it had when received. No feedback copy is written. `accepted`:
   * the file was accepted (or held) then, and its signature is not judged again (the key may have been lost since).
   */
  replay?: { fileName: string; label: string; accepted?: boolean };
  /** The key `_meta` signatures are verified with; default: the workspace's (never created here); null: none. */
  key?: Buffer | null;
  /**
   * Tests only: called once a feedback copy is written (not yet shown) and once a batch is committed (its copies not yet
   * shown); a test kills the process there.
   */
  onStep?: (step: 'feedback' | 'commit') => void;
}

/** Runs one batch. Usage problems (no such file, no file found) throw a UserError before anything is written. */
export async function ingest(ws: Workspace, inputs: string[], opts: IngestOptions = {}): Promise<BatchResult> {
  const files = collectFiles(ws, inputs);
  const now = opts.now ?? new Date();
  const receivedAt = (opts.receivedAt ?? now).toISOString();
  const dryRun = opts.dryRun === true;
  const feedbackDir = opts.replay ? null : opts.feedbackDir ? path.resolve(opts.feedbackDir) : dryRun ? null : path.join(ws.dir, 'feedback', fileStamp(now));
  // A dry run never creates the database; without one there is no history to compare with.
  const db: Store | null = opts.db ?? (dryRun ? await openStoreForReading(ws.dbPath) : await openStore(ws.dbPath));
  const names = opts.replay ? new Map(files.map((f) => [f, opts.replay!.label])) : displayNames(files);
  const user = opts.user === undefined ? currentUser() : opts.user;
  const seenInBatch = new Map<string, { file: string; sha256: string }>();
  const taken = new Set<string>();
  const results: FileResult[] = [];
  opts.onStart?.(files.length);
  // Files are stored in batches of transactions (one savepoint per file, see the Store's writeBatch); the archive copies
  // are written in the background while the next files are checked.
  const batch = db && !dryRun ? db.writeBatch() : null;
  const views = new Map<number, Workspace>();
  const viewOf = (year: number) => {
    let v = views.get(year);
    if (!v) views.set(year, (v = workspaceForYear(ws, year)));
    return v;
  };
  const archive = db && !dryRun ? db.archive.writer() : new ArchiveWriter(ws.archiveDir);
  // Verified with the workspace's key when it has one; a workspace without one (copied without its hidden file) says so.
  const key = opts.key !== undefined ? opts.key : readWorkspaceKey(ws.dir);
  const keySince = opts.key !== undefined ? null : keyMadeAt(ws.dir)?.getTime() ?? null;
  const signatures = { unchecked: 0 };
  const feedback = new FeedbackFiles(!batch);
  if (batch && !opts.db) await tidyFeedback([path.join(ws.dir, 'feedback'), ...(feedbackDir ? [feedbackDir] : [])], (sha) => db!.isStored(sha), processAlive);
  // The store first, then the archive copies it points to are known written, then the feedback copies are shown.
  const commit = async () => {
    await archive.flush();
    await batch!.commit();
    opts.onStep?.('commit');
    feedback.publish();
  };
  let committed = false;
  try {
    for (const [i, file] of files.entries()) {
      const loaded = load(file);
      // A large file may take seconds to read (the full reader): the batch before it is committed first, so that the
      // write lock is never held that long while another process waits for it.
      if (batch && loaded.ok && loaded.bytes.length > BATCH_BREAK_BYTES) await commit();
      const common = {
        year: opts.year, dryRun, receivedAt, receivedFrom: opts.receivedAt ? 'option' as const : 'today' as const, ingestedAt: now.toISOString(),
        feedbackDir, seenInBatch, taken, user, hold: opts.hold === true, replace: opts.replace === true, replay: opts.replay, viewOf,
        archive: (bytes: Buffer, sha: string, ext: string) => archive.write(bytes, sha, ext),
        key, keySince, signatures, feedback, onStep: opts.onStep,
      };
      // A saved e-mail: each workbook or CSV attached, received on the message's Date, from its sender.
      const parts = loaded.ok && isEmailFile(file) ? await emailParts(file, names.get(file)!, loaded.bytes) : [{ path: file, label: names.get(file)!, load: () => loaded }];
      for (const part of parts) {
        await batch?.begin();
        const result = await ingestOne(ws, db, part.path, part.label, {
          ...common, load: part.load,
          ...(part.date ? { receivedAt: part.date.toISOString(), receivedFrom: 'email' as const } : {}), sender: part.sender,
        });
        if (batch?.due()) await commit();
        results.push(result);
      }
      opts.onProgress?.(i + 1, files.length, results.at(-1)!.file);
    }
    if (batch) await commit();
    else await archive.flush();
    committed = true;
  } finally {
    // Stopped by an error: what the batch holds is kept once its archive copies are written, dropped if they could not
    // be; its feedback copies follow it.
    if (batch && !committed) {
      if (await batch.finish(await archive.flush().then(() => true, () => false))) feedback.publish();
      else feedback.discard();
    }
    if (!opts.db) await db?.close();
  }
  const failed = results.some((r) => r.status === 'rejected' || (r.status === 'duplicate' && r.duplicateOf?.status === 'rejected'));
  return {
    files: results,
    feedbackDir: results.some((r) => r.feedbackPath) ? feedbackDir : null,
    dryRun,
    exitCode: failed ? 1 : 0,
    signaturesUnchecked: signatures.unchecked,
  };
}

interface OneOptions {
  year?: number;
  dryRun: boolean;
  receivedAt: string;
  receivedFrom: 'email' | 'option' | 'today';
  /** The e-mail's sender, compared with the unit's address in the roster. */
  sender?: string | null;
  ingestedAt: string;
  feedbackDir: string | null;
  seenInBatch: Map<string, { file: string; sha256: string }>;
  taken: Set<string>;
  /** The file's bytes (read by the caller). */
  load: () => Loaded;
  /** Keeps the bytes in the archive (written in the background, awaited before the batch commits); returns the path. */
  archive: (bytes: Buffer, sha256: string, ext: string) => string;
  user: string | null;
  hold: boolean;
  replace: boolean;
  /** The workspace as it is for a year (its roster, its words): a file is judged against its own year. */
  viewOf: (year: number) => Workspace;
  replay?: IngestOptions['replay'];
  /** The signing key (null: the workspace has none, and `signatures.unchecked` counts the workbooks not verified). */
  key: Buffer | null;
  /** When the key was made (ms): an unsigned template generated before then is an old one, not a stripped one. */
  keySince: number | null;
  signatures: { unchecked: number };
  feedback: FeedbackFiles;
  onStep?: IngestOptions['onStep'];
}

type Loaded = InputFile;

/**
 * Reads a file, its size checked first. Synchronously: reading the next file in the background while this one is
 * checked was measured slower here (a 20 kB read costs less than the round trip through libuv's thread pool).
 */
function load(filePath: string): Loaded {
  return readInputFile(filePath, MAX_FILE_BYTES);
}

async function ingestOne(batchWs: Workspace, db: Store | null, filePath: string, file: string, o: OneOptions): Promise<FileResult> {
  const result: FileResult = {
    path: filePath, file, sha256: '', kind: 'unknown', unit: null, unitName: null, year: null, status: 'rejected',
    receivedAt: o.receivedAt, receivedFrom: o.receivedFrom, change: null, held: false, duplicateOf: null, supersedes: null, submissionId: null, reason: null, errors: 0, warnings: 0, values: 0, missing: 0,
    messages: [], archivePath: null, feedbackPath: null,
  };
  const reject = (m: IngestMessage) => {
    result.messages = [m];
    result.errors = 1;
    result.reason = m.text;
    return result;
  };

  const loaded = o.load();
  if (!loaded.ok) {
    if (loaded.refused) return reject(fileMessage(readerFinding(loaded.refused.code, loaded.refused.reason, loaded.refused.expected), file));
    if (loaded.size !== undefined) {
      return reject(fileMessage(finding('file_too_large', { mb: loaded.size / 1024 / 1024, maxMb: MAX_FILE_BYTES / 1024 / 1024 }), file));
    }
    return reject(fileMessage(finding('io_error', { errno: loaded.code }), file));
  }
  const bytes = loaded.bytes;
  result.sha256 = crypto.createHash('sha256').update(bytes).digest('hex');
  const archive = () => {
    if (o.dryRun) return;
    result.archivePath = o.archive(bytes, result.sha256, result.kind !== 'unknown' ? result.kind : path.extname(filePath).slice(1).toLowerCase());
  };
  // A file that cannot be tied to a unit: archived and recorded with its reason, rejected.
  const unattributed = async (f: Finding, line: number | null = null) => {
    const m = makeMessage(f, { file, loc: { sheet: null, cell: null, line } });
    archive();
    if (db && !o.dryRun) {
      await db.recordUnattributed({
        fileName: o.replay?.fileName ?? path.basename(filePath), sha256: result.sha256, archivePath: path.relative(batchWs.dir, result.archivePath!), receivedAt: o.receivedAt,
        ingestedAt: o.ingestedAt, code: f.code, reason: m.text, user: o.user, label: file, expectedYear: o.year ?? null,
      });
    }
    return reject(m);
  };

  const sniffed = sniffFile(bytes, filePath);
  if (!sniffed.ok) return await unattributed(readerFinding(sniffed.code, sniffed.reason, sniffed.expected));
  result.kind = sniffed.kind;
  let parsed: Parsed;
  let unsigned = false;
  if (sniffed.kind === 'xlsx') {
    const read = await readWorkbook(bytes, sniffed.files, { key: o.key ?? undefined });
    if (!read.ok) return await unattributed(read.fault ? faultFinding(read.fault) : readerFinding(read.code, read.reason, read.expected));
    // A map that is not the one this workspace signed says nothing that can be believed, not even whose file it is. A
    // file accepted once is not judged again on its signature (rebuild: the key may have been lost or replaced since).
    if (read.signature === 'invalid' && !o.replay?.accepted) {
      return await unattributed(finding('meta_signature', { unit: inert(read.meta.keys.unit_code), year: inert(read.meta.keys.year) }));
    }
    // Unsigned: a template older than the key (it could not be signed) says nothing; one generated since, a warning.
    const generated = Date.parse(read.meta.keys.generated_at);
    unsigned = read.signature === 'absent' && !(o.keySince !== null && generated < o.keySince);
    if (!read.signature && read.meta.signature) o.signatures.unchecked++;
    parsed = { kind: 'xlsx', workbook: read.workbook, meta: read.meta, source: read.source };
    result.unit = read.meta.keys.unit_code;
    result.year = Number(read.meta.keys.year);
  } else {
    // Bounded by what the file's unit can send, known from its first line (its year's roster and catalog).
    const read = await readCsv(bytes, { rowLimit: (unit, year) => csvRowLimit(o.viewOf(year), unit) });
    if (!read.ok) return await unattributed(read, read.line ?? null);
    // Codes typed by hand in another system: "q1" is the roster's "Q1".
    read.unitCode = findUnit(o.viewOf(read.year), read.unitCode)?.code ?? read.unitCode;
    parsed = { kind: 'csv', csv: read };
    result.unit = read.unitCode;
    result.year = read.year;
  }
  // From here on the file is judged against its own year's roster, words and targets.
  const ws = Number.isInteger(result.year) ? o.viewOf(result.year!) : batchWs;
  result.unitName = ws.roster.find((u) => u.code === result.unit)?.name ?? null;

  // The same unit and year twice in one batch: the first (in file order) is kept, the others wait for another run.
  const key = `${result.unit}|${result.year}`;
  const first = o.seenInBatch.get(key);
  if (first) {
    archive();
    if (first.sha256 === result.sha256) {
      result.status = 'duplicate';
      result.reason = `tệp giống hệt ${first.file} trong cùng đợt này: bỏ qua`;
      return result;
    }
    return reject(fileMessage(finding('duplicate_in_batch', { unit: result.unit!, year: result.year!, first: first.file, file }), file));
  }
  o.seenInBatch.set(key, { file, sha256: result.sha256 });

  const previous = db && Number.isInteger(result.year) ? await db.acceptedValuesOfUnit(result.unit!, result.year! - 1) : [];
  const check = await checkFile({
    ws, file, year: o.year,
    previousValues: (unit, year) => previousRows(previous, unit, year, result),
  }, parsed);
  const expectedSender = ws.roster.find((u) => u.code === result.unit)?.email.trim().toLowerCase();
  if (o.sender && expectedSender && o.sender !== expectedSender) {
    check.messages.push(fileMessage(finding('sender_mismatch', { sender: inert(o.sender), expected: expectedSender }), file));
  }
  if (unsigned) check.messages.push(fileMessage(finding('meta_unsigned'), file));
  result.messages = check.messages;
  result.errors = check.messages.filter((m) => m.severity === 'error').length;
  result.warnings = check.messages.filter((m) => m.severity === 'warning').length;
  result.values = check.values.length;
  result.missing = check.missing.length;
  const status = result.errors ? 'rejected' : 'accepted';
  result.status = status;
  result.reason = result.messages.find((m) => m.severity === 'error')?.text ?? null;

  // A resubmission is compared with what is in force; one that would take figures away waits for the analyst. (A
  // rebuild replays what was decided then: the journal says held or not.)
  if (status === 'accepted') result.change = await changeAgainstInForce(db, result.unit!, result.year!, check.values);
  const hold = o.hold || (!o.replay && !o.replace && mustHold(result.change));
  archive();
  const submission = {
    unitCode: result.unit!, year: result.year!, fileName: o.replay?.fileName ?? path.basename(filePath), sha256: result.sha256,
    archivePath: result.archivePath ? path.relative(ws.dir, result.archivePath) : '', sourceKind: sniffed.kind,
    catalogVersion: check.identity?.catalogVersion ?? null, templateVersion: check.identity?.templateVersion ?? null,
    receivedAt: o.receivedAt, ingestedAt: o.ingestedAt, errorCount: result.errors, warningCount: result.warnings,
    status: hold && status === 'accepted' ? 'held' : status,
    user: o.user, label: file, expectedYear: o.year ?? null,
  } as const;
  const outcome: RecordOutcome = !db
    ? { kind: 'stored', submissionId: null, supersedes: null }
    : o.dryRun ? await db.previewSubmission(submission) : await db.recordSubmission({ ...submission, ...toStore(check) });
  if (outcome.kind === 'duplicate' && outcome.status === 'held' && o.replace && db && !o.dryRun) {
    // --replace on the very file that is held: the analyst's confirmation of it.
    const put = await db.putInForce(outcome.submissionId, 'confirmation', o.user);
    result.submissionId = outcome.submissionId;
    result.supersedes = put.changed && put.out ? { submissionId: put.out.id, file: put.out.fileName } : null;
    return result;
  }
  if (outcome.kind === 'duplicate') {
    result.status = 'duplicate';
    result.duplicateOf = { submissionId: outcome.submissionId, status: outcome.status };
    // The same file as a submission no longer in force: it can be put back, and the message says how.
    const back = outcome.status === 'superseded' || outcome.status === 'held' ? `; để dùng lại bản đó: hoctap restore ${outcome.submissionId}` : '';
    result.reason = `đã nhập trước đó (lần nhập #${outcome.submissionId}, tệp ${inert(outcome.fileName)}, ${STATUS_WORDS[outcome.status] ?? outcome.status}): không thay đổi gì${back}`;
    return result;
  }
  result.submissionId = outcome.submissionId;
  result.supersedes = outcome.supersedes;
  result.held = hold && status === 'accepted';

  if (o.feedbackDir && result.messages.length) {
    // The figures are stored (once the batch commits); a feedback copy that cannot be written is said, not fatal.
    const failed = (e: Error) => {
      result.feedbackPath = null;
      result.messages.push(fileMessage(finding('feedback_failed', { error: e.message }), file));
      result.warnings++;
    };
    const out = feedbackPathFor(o.feedbackDir, filePath, parsed.kind === 'xlsx' ? '.xlsx' : '.csv', o.taken);
    const tmp = o.feedback.temporary(out, result.sha256);
    try {
      if (parsed.kind === 'xlsx') await writeXlsxFeedback(parsed.source, result.messages, check.missing.map((m) => m.loc!).filter(Boolean), tmp);
      else writeCsvFeedback(parsed.csv.records, parsed.csv.delimiter, result.messages, tmp);
      result.feedbackPath = out;
      o.feedback.written(tmp, out, failed);
      o.onStep?.('feedback');
    } catch (e) {
      fs.rmSync(tmp, { force: true });
      failed(e as Error);
    }
  }
  return result;
}

/**
 * The unit's figures in force of the year before the file's, read before the checks (which read them synchronously):
 * the checks ask for the file's own unit and year only.
 */
function previousRows(rows: StoredValue[], unit: string, year: number, file: Pick<FileResult, 'unit' | 'year'>): { field_id: string; value_num: number | null }[] {
  // A file whose year is no year has no figures the year before (none was read).
  if (!Number.isInteger(year)) return [];
  if (unit !== file.unit || year !== file.year! - 1) throw new Error(`previousValues: ${unit} ${year} chưa được đọc trước`);
  return rows.map((r) => ({ field_id: r.fieldId, value_num: r.num }));
}

const STATUS_WORDS: Record<string, string> = { accepted: 'đã nhận', rejected: 'bị từ chối', superseded: 'đã được thay thế', held: 'đang tạm giữ' };

function toStore(check: FileCheck) {
  return {
    values: check.values.map((v) => ({
      fieldId: v.entry.fieldId, indicatorId: v.entry.indicatorId, raw: v.raw, num: v.num, text: v.text,
      sheet: v.loc.sheet, cell: v.loc.cell, line: v.loc.line, note: v.note,
    })),
    messages: check.messages.map((m) => ({
      severity: m.severity, code: m.code, sheet: m.sheet, cell: m.cell, line: m.line, indicatorId: m.indicator,
      fieldId: m.field, valueSeen: m.value, expected: m.expected, text: m.text, params: storedParams(m),
    })),
    narratives: check.narratives,
    contact: check.contact,
  };
}

interface Part { path: string; label: string; load: () => Loaded; date?: Date | null; sender?: string | null }

/** The attachments of a saved e-mail as files to ingest; a message without one is a file refused with its reason. */
async function emailParts(file: string, label: string, bytes: Buffer): Promise<Part[]> {
  const mail = await readEmail(bytes);
  if (!mail.ok) {
    const remedy = mail.code === 'email_no_attachment' ? 'đơn vị gửi lại thư có đính kèm biểu mẫu .xlsx (hoặc tệp .csv)' : 'lưu lại thư từ chương trình thư điện tử (Lưu thành… .eml) rồi nhập lại';
    return [{ path: file, label, load: () => ({ ok: false, refused: { code: mail.code, reason: mail.reason, expected: remedy } }) }];
  }
  return mail.attachments.map((a) => ({
    path: path.join(path.dirname(file), a.name), label: `${label} › ${inert(a.name)}`,
    load: () => ({ ok: true, bytes: a.bytes }), date: mail.date, sender: mail.from,
  }));
}
