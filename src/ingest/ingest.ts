/**
 * One ingest batch: find the files (and say what else the folders hold), then each file in turn through its stages
 * (one-file.ts). A file whose content cannot be read or checked is refused with its reason and the batch goes on; a
 * fault outside a file's content (the disk, the store) stops the batch, and what was stored before it is reported.
 * Returns what the CLI prints; the exit code is the CLI's to decide.
 */
import path from 'node:path';
import type { Workspace } from '../catalog/workspace.ts';
import { workspaceForYear } from '../catalog/years.ts';
import { fileStamp } from '../dates.ts';
import { inert } from '../findings/inert.ts';
import { ArchiveWriter, processAlive } from '../store/archive.ts';
import { openStore, openStoreForReading } from '../store/open.ts';
import { WriteBehindFailed, type ForceConfirmation, type Store } from '../store/store.ts';
import { currentUser } from '../store/user.ts';
import { keyMadeAt, readWorkspaceKey } from '../xlsx/signature.ts';
import { BatchMemory } from './check.ts';
import { isEmailFile } from './email.ts';
import { emailParts } from './email-parts.ts';
import { FeedbackFiles, tidyFeedback } from './feedback.ts';
import { collectFiles, displayNames } from './files.ts';
import { ingestOne, loadFile, type BatchContext } from './one-file.ts';
import { ResubmissionPolicy } from './resubmission.ts';
import type { BatchResult } from './types.ts';

export { MAX_FILE_BYTES } from './one-file.ts';

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
  /** --force --reason, by an approver: files of approved units or locked years go in force all the same (docs/review.md). */
  force?: ForceConfirmation;
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
  /** Tests only: called before each file's stages; a test throws there to stand for a fault outside the file's content. */
  beforeFile?: (file: string) => void;
}

/**
 * A fault outside any file's content (the disk, the store) stopped the batch: the files before it are in `done` (those
 * stored are stored for good), `cause` is the fault.
 */
export class IngestInterrupted extends Error {
  readonly done: BatchResult;
  constructor(done: BatchResult, cause: unknown) {
    super((cause as Error)?.message ?? String(cause), { cause });
    this.name = 'IngestInterrupted';
    this.done = done;
  }
}

/** Runs one batch. Usage problems (no such file, no file found) throw a UserError before anything is written. */
export async function ingest(ws: Workspace, inputs: string[], opts: IngestOptions = {}): Promise<BatchResult> {
  const { files, skipped } = collectFiles(ws, inputs);
  const now = opts.now ?? new Date();
  const dryRun = opts.dryRun === true;
  const feedbackDir = opts.replay ? null : opts.feedbackDir ? path.resolve(opts.feedbackDir) : dryRun ? null : path.join(ws.dir, 'feedback', fileStamp(now));
  // A dry run never creates the database; without one there is no history to compare with.
  const db: Store | null = opts.db ?? (dryRun ? await openStoreForReading(ws.dbPath) : await openStore(ws.dbPath));
  const names = opts.replay ? new Map(files.map((f) => [f, opts.replay!.label])) : displayNames(files);
  // Files are stored in batches of transactions (one savepoint per file, see the Store's writeBatch); the archive copies
  // are written in the background while the next files are checked.
  const batch = db && !dryRun ? db.writeBatch() : null;
  const archive = db && !dryRun ? db.archive.writer() : new ArchiveWriter(ws.archiveDir);
  const c = batchContext(ws, db, opts, { now, dryRun, feedbackDir, archive, feedback: new FeedbackFiles(!batch) });
  const result: BatchResult = { files: [], skipped: skipped.map((s) => ({ ...s, file: inert(path.basename(s.path)) })), feedbackDir: null, dryRun, signaturesUnchecked: 0 };
  opts.onStart?.(files.length);
  if (batch && !opts.db) await tidyFeedback([path.join(ws.dir, 'feedback'), ...(feedbackDir ? [feedbackDir] : [])], (sha) => db!.isStored(sha), processAlive);
  // The store first, then the archive copies it points to are known written, then the feedback copies are shown.
  const commit = async () => {
    await archive.flush();
    await batch!.commit();
    opts.onStep?.('commit');
    c.feedback.publish();
  };
  try {
    for (const [i, file] of files.entries()) {
      opts.beforeFile?.(file);
      const loaded = loadFile(file);
      // A large file may take seconds to read (the full reader): the batch before it is committed first, so that the
      // write lock is never held that long while another process waits for it.
      if (batch && loaded.ok && loaded.bytes.length > BATCH_BREAK_BYTES) await commit();
      // A saved e-mail: each workbook or CSV attached, received on the message's Date, from its sender (email-parts.ts).
      const email = loaded.ok && isEmailFile(file) ? await emailParts(c, file, names.get(file)!, loaded.bytes) : null;
      const first = result.files.length;
      for (const part of email?.parts ?? [{ path: file, label: names.get(file)!, load: () => loaded }]) {
        await batch?.begin();
        result.files.push(await ingestOne(c, part));
        if (batch?.due()) await commit();
      }
      if (email) {
        await batch?.begin();
        await email.done(result.files.slice(first));
      }
      opts.onProgress?.(i + 1, files.length, result.files.at(-1)!.file);
    }
    if (batch) await commit();
    else await archive.flush();
  } catch (e) {
    // A file the store answered for and then could not write is not stored: it is not reported as such (the fault names it).
    if (e instanceof WriteBehindFailed) result.files = result.files.filter((f) => f.submissionId !== e.submissionId);
    // Stopped by a fault outside a file's content: what the batch holds is kept once its archive copies are written.
    if (batch && (await batch.finish(await archive.flush().then(() => true, () => false)))) c.feedback.publish();
    else c.feedback.discard();
    throw new IngestInterrupted(finished(result, c, feedbackDir), e);
  } finally {
    if (!opts.db) await db?.close();
  }
  return finished(result, c, feedbackDir);
}

function finished(result: BatchResult, c: BatchContext, feedbackDir: string | null): BatchResult {
  result.feedbackDir = result.files.some((r) => r.feedbackPath) ? feedbackDir : null;
  result.signaturesUnchecked = c.signatures.unchecked;
  return result;
}

function batchContext(
  ws: Workspace, db: Store | null, opts: IngestOptions,
  run: { now: Date; dryRun: boolean; feedbackDir: string | null; archive: { write: BatchContext['archive'] }; feedback: FeedbackFiles },
): BatchContext {
  const views = new Map<number, Workspace>();
  const viewOf = (year: number) => {
    let v = views.get(year);
    if (!v) views.set(year, (v = workspaceForYear(ws, year)));
    return v;
  };
  // Verified with the workspace's key when it has one; a workspace without one (copied without its hidden file) says so.
  const key = opts.key !== undefined ? opts.key : readWorkspaceKey(ws.dir);
  const keySince = opts.key !== undefined ? null : keyMadeAt(ws.dir)?.getTime() ?? null;
  return {
    batchWs: ws, db, year: opts.year, dryRun: run.dryRun, receivedAt: (opts.receivedAt ?? run.now).toISOString(),
    receivedFrom: opts.receivedAt ? 'option' : 'today', ingestedAt: run.now.toISOString(), feedbackDir: run.feedbackDir,
    taken: new Set(), batch: new BatchMemory(),
    policy: new ResubmissionPolicy({ hold: opts.hold === true, replace: opts.replace === true, replay: opts.replay !== undefined, force: opts.force }),
    archive: (bytes, sha, ext) => run.archive.write(bytes, sha, ext),
    user: opts.user === undefined ? currentUser() : opts.user, viewOf, replay: opts.replay, key, keySince,
    signatures: { unchecked: 0 }, feedback: run.feedback, onStep: opts.onStep,
  };
}
