/**
 * The Store on SQLite (node:sqlite, hoctap.sqlite in the workspace): the first implementation of src/store/store.ts.
 * node:sqlite is synchronous; each method does its work at once and returns it as a settled promise.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { ArchiveWriter } from '../archive.ts';
import type {
  Confirmation, ForceConfirmation, InForceReason, MailKind, NewOutboxEntry, NewSeenMessage, NewSubmission, NewUnattributedFile, OutboxState,
  PutInForceResult, RecordOutcome, ReviewRequest, Store, StoreArchive, SubmissionKey, WriteBatch, YearLockRequest,
} from '../store.ts';
import type { SqliteConnection } from './connection.ts';
import * as mail from './outbox.ts';
import * as reads from './reads.ts';
import * as review from './review.ts';
import * as writes from './writes.ts';
import * as confirmations from './confirmations.ts';
import * as items from './items.ts';

export class SqliteStore implements Store {
  readonly engine = 'sqlite';
  readonly connection: SqliteConnection;
  readonly archive: StoreArchive;

  constructor(connection: SqliteConnection, archiveDir: string | null) {
    this.connection = connection;
    this.archive = new FolderArchive(archiveDir);
  }

  /** The database itself: for src/store/sqlite and the tests that look at its tables. */
  get db(): DatabaseSync {
    return this.connection.db;
  }

  close(): Promise<void> {
    if (this.db.isOpen) this.db.close();
    return Promise.resolve();
  }

  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    return this.connection.runAsync(() => fn(this));
  }

  writeBatch(opts: { maxItems?: number; maxMs?: number } = {}): WriteBatch {
    return new SqliteWriteBatch(this.connection, opts);
  }

  recordSubmission(s: NewSubmission): Promise<RecordOutcome> {
    return settle(() => writes.recordSubmission(this.connection, s));
  }

  previewSubmission(s: SubmissionKey): Promise<RecordOutcome> {
    return settle(() => writes.previewSubmission(this.connection, s));
  }

  recordUnattributed(f: NewUnattributedFile): Promise<{ id: number; duplicate: boolean }> {
    return settle(() => writes.recordUnattributed(this.connection, f));
  }

  putInForce(submissionId: number, reason: Exclude<InForceReason, 'file'>, user: string | null, at: Date = new Date(), force?: ForceConfirmation): Promise<PutInForceResult> {
    return settle(() => writes.putInForce(this.connection, submissionId, reason, user, at, force));
  }

  confirmFigures(c: Omit<Confirmation, 'id' | 'submissionId'>): Promise<Confirmation> {
    return settle(() => confirmations.confirmFigures(this.connection, c));
  }
  confirmationsOfYear(year: number) { return settle(() => confirmations.confirmationsOfYear(this.connection, year)); }
  review(unitCode: string, year: number) { return settle(() => review.unitReview(this.connection, unitCode, year)); }
  reviewsOfYear(year: number) { return settle(() => review.reviewsOfYear(this.connection, year)); }
  yearLock(year: number) { return settle(() => review.yearLock(this.connection, year)); }
  changeReview(req: ReviewRequest) { return settle(() => review.changeReview(this.connection, req)); }
  changeYearLock(req: YearLockRequest) { return settle(() => review.changeYearLock(this.connection, req)); }
  reviewEvents(filter: { unitCode?: string; year?: number } = {}) { return settle(() => review.reviewEvents(this.connection, filter.unitCode, filter.year)); }

  unattributedFiles() { return settle(() => reads.unattributedFiles(this.connection)); }
  isStored(sha256: string) { return settle(() => reads.isStored(this.connection, sha256)); }
  submission(id: number) { return settle(() => reads.submissionById(this.connection, id)); }
  submissionsOfYear(year: number) { return settle(() => reads.submissionsOfYear(this.connection, year)); }
  history(filter: { unitCode?: string; year?: number } = {}) { return settle(() => reads.history(this.connection, filter.unitCode, filter.year)); }
  valuesOf(submissionId: number) { return settle(() => reads.valuesOf(this.connection, submissionId)); }
  messagesOf(submissionId: number) { return settle(() => reads.messagesOf(this.connection, submissionId)); }
  contactOf(submissionId: number) { return settle(() => reads.contactOf(this.connection, submissionId)); }
  acceptedValues(year: number) { return settle(() => reads.acceptedValues(this.connection, year)); }
  acceptedValuesOfUnit(unitCode: string, year: number) { return settle(() => reads.acceptedValuesOfUnit(this.connection, unitCode, year)); }
  acceptedSubmissionCount(year: number) { return settle(() => reads.acceptedSubmissionCount(this.connection, year)); }
  acceptedNarratives(year: number) { return settle(() => reads.acceptedNarratives(this.connection, year)); }
  acceptedItems(year: number) { return settle(() => items.acceptedItems(this.connection, year)); }
  itemsOf(submissionId: number) { return settle(() => items.itemsOf(this.connection, submissionId)); }
  yearsWithData() { return settle(() => reads.yearsWithData(this.connection)); }
  queriesOfYear(year: number, codes: readonly string[], answerFieldId: (indicatorId: string) => string) {
    return settle(() => reads.queriesOfYear(this.connection, year, codes, answerFieldId));
  }
  inForce(unitCode: string, year: number) { return settle(() => reads.inForce(this.connection, unitCode, year)); }
  events(filter: { unitCode?: string; year?: number } = {}) { return settle(() => reads.events(this.connection, filter.unitCode, filter.year)); }
  journal() { return settle(() => reads.journalEntries(this.connection)); }

  claimOutbox(e: NewOutboxEntry, opts: { retake?: boolean } = {}) { return settle(() => mail.claimOutbox(this.connection, e, opts.retake === true)); }
  finishOutbox(id: number, state: Exclude<OutboxState, 'sending'>, result: string | null, at: string) {
    return settle(() => mail.finishOutbox(this.connection, id, state, result, at));
  }
  outbox(filter: { unitCode?: string; year?: number; kind?: MailKind } = {}) { return settle(() => mail.outbox(this.connection, filter)); }
  outboxByMessageId(messageIds: readonly string[]) { return settle(() => mail.outboxByMessageId(this.connection, messageIds)); }
  claimSeenMessage(m: NewSeenMessage, staleBefore: string) { return settle(() => mail.claimSeenMessage(this.connection, m, staleBefore)); }
  finishSeenMessage(id: number, archivePath: string | null, result: string, at: string) {
    return settle(() => mail.finishSeenMessage(this.connection, id, archivePath, result, at));
  }
  seenMessages(filter: { unitCode?: string; year?: number } = {}) { return settle(() => mail.seenMessages(this.connection, filter)); }

  adoptJournal(length: number): Promise<void> {
    return settle(() => {
      this.connection.statement('UPDATE journal SET end_offset = ?').run(length);
    });
  }
}

/** The result of synchronous work as a promise: a throw becomes a rejection, as from any other engine. */
function settle<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (e) {
    return Promise.reject(e as Error);
  }
}

/** The archive in a folder of the file system: <folder>/ab/abcdef….<ext> (archive.ts). */
export class FolderArchive implements StoreArchive {
  private readonly dir: string | null;

  constructor(dir: string | null) {
    this.dir = dir;
  }

  writer(): ArchiveWriter {
    if (!this.dir) throw new Error('Kho lưu trữ: cơ sở dữ liệu trong bộ nhớ không có thư mục lưu trữ.');
    return new ArchiveWriter(this.dir);
  }

  async read(archivePath: string): Promise<Buffer | null> {
    if (!this.dir) return null;
    // archivePath is relative to the workspace, the archive folder's parent.
    const file = path.resolve(path.dirname(this.dir), archivePath);
    try {
      return await fs.promises.readFile(file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }
}

class SqliteWriteBatch implements WriteBatch {
  private readonly c: SqliteConnection;
  private readonly maxItems: number;
  private readonly maxMs: number;
  private readonly nested: boolean;
  private started = 0;
  private items = 0;

  constructor(c: SqliteConnection, opts: { maxItems?: number; maxMs?: number }) {
    this.c = c;
    this.maxItems = opts.maxItems ?? 200;
    this.maxMs = opts.maxMs ?? 250;
    this.nested = c.inTransaction;
  }

  begin(): Promise<void> {
    return settle(() => {
      if (this.c.inTransaction) return;
      this.c.begin();
      this.started = performance.now();
      this.items = 0;
    });
  }

  due(): boolean {
    this.items++;
    return !this.nested && this.c.inTransaction && (this.items >= this.maxItems || performance.now() - this.started >= this.maxMs);
  }

  commit(): Promise<void> {
    return settle(() => {
      if (!this.nested && this.c.inTransaction) this.c.commit();
    });
  }

  finish(keep: boolean): Promise<boolean> {
    return settle(() => {
      if (this.nested) return false;
      if (!this.c.inTransaction) return true;
      try {
        if (keep) this.c.commit();
        else this.c.rollback();
        return keep;
      } catch {
        if (this.c.inTransaction) this.c.rollback();
        return false;
      }
    });
  }
}
