/**
 * The Store interface (../store.ts) through the query layer (Kysely): the implementation of the shared PostgreSQL store,
 * and the same code over node:sqlite (the contract suite runs it on both). The embedded store's default stays its
 * direct path (../sqlite/store.ts): its journal file and its hot write path (docs/development.md says why).
 */
import { sql } from 'kysely';
import type {
  Confirmation, ForceConfirmation, InForceReason, MailKind, NewOutboxEntry, NewSeenMessage, NewSubmission, NewUnattributedFile, OutboxState,
  PutInForceResult, RecordOutcome, ReviewRequest, Store, StoreArchive, SubmissionKey, WriteBatch, YearLockRequest,
} from '../store.ts';
import { canRecordInBatch, recordInBatch } from './batch-record.ts';
import * as confirmations from './confirmations.ts';
import * as items from './items.ts';
import * as mail from './outbox.ts';
import * as reads from './reads.ts';
import * as review from './review.ts';
import type { SqlSession } from './session.ts';
import * as writes from './writes.ts';

export class SqlStore implements Store {
  readonly engine: string;
  readonly session: SqlSession;
  readonly archive: StoreArchive;
  private readonly onClose: () => Promise<void>;

  constructor(session: SqlSession, archive: (s: SqlSession) => StoreArchive, onClose: () => Promise<void>) {
    this.session = session;
    this.engine = session.engine;
    this.archive = archive(session);
    this.onClose = onClose;
  }

  private closed = false;

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.session.inTransaction) await this.session.rollback().catch(() => undefined);
    await this.session.endReadSnapshot().catch(() => undefined);
    await this.onClose();
  }

  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    return this.session.run(() => fn(this));
  }

  writeBatch(opts: { maxItems?: number; maxMs?: number } = {}): WriteBatch {
    return new SqlWriteBatch(this.session, opts);
  }

  recordSubmission(s: NewSubmission): Promise<RecordOutcome> {
    // In a batch on PostgreSQL: one round trip a file (batch-record.ts), by the same rules.
    return canRecordInBatch(this.session, s) ? recordInBatch(this.session, s) : writes.recordSubmission(this.session, s);
  }
  previewSubmission(s: SubmissionKey): Promise<RecordOutcome> { return writes.previewSubmission(this.session, s); }
  recordUnattributed(f: NewUnattributedFile) { return writes.recordUnattributed(this.session, f); }
  putInForce(submissionId: number, reason: Exclude<InForceReason, 'file'>, user: string | null, at: Date = new Date(), force?: ForceConfirmation): Promise<PutInForceResult> {
    return writes.putInForce(this.session, submissionId, reason, user, at, force);
  }

  confirmFigures(c: Omit<Confirmation, 'id' | 'submissionId'>) { return confirmations.confirmFigures(this.session, c); }
  confirmationsOfYear(year: number) { return confirmations.confirmationsOfYear(this.session, year); }
  review(unitCode: string, year: number) { return review.unitReview(this.session, unitCode, year); }
  reviewsOfYear(year: number) { return review.reviewsOfYear(this.session, year); }
  yearLock(year: number) { return review.yearLock(this.session, year); }
  changeReview(req: ReviewRequest) { return review.changeReview(this.session, req); }
  changeYearLock(req: YearLockRequest) { return review.changeYearLock(this.session, req); }
  reviewEvents(filter: { unitCode?: string; year?: number } = {}) { return review.reviewEvents(this.session, filter.unitCode, filter.year); }

  claimOutbox(e: NewOutboxEntry, opts: { retake?: boolean } = {}) { return mail.claimOutbox(this.session, e, opts.retake === true); }
  finishOutbox(id: number, state: Exclude<OutboxState, 'sending'>, result: string | null, at: string) {
    return mail.finishOutbox(this.session, id, state, result, at);
  }
  outbox(filter: { unitCode?: string; year?: number; kind?: MailKind } = {}) { return mail.outbox(this.session, filter); }
  outboxByMessageId(messageIds: readonly string[]) { return mail.outboxByMessageId(this.session, messageIds); }
  claimSeenMessage(m: NewSeenMessage, staleBefore: string) { return mail.claimSeenMessage(this.session, m, staleBefore); }
  finishSeenMessage(id: number, archivePath: string | null, result: string, at: string) {
    return mail.finishSeenMessage(this.session, id, archivePath, result, at);
  }
  seenMessages(filter: { unitCode?: string; year?: number } = {}) { return mail.seenMessages(this.session, filter); }

  unattributedFiles() { return reads.unattributedFiles(this.session); }
  isStored(sha256: string) { return reads.isStored(this.session, sha256); }
  submission(id: number) { return reads.submissionById(this.session, id); }
  submissionsOfYear(year: number) { return reads.submissionsOfYear(this.session, year); }
  history(filter: { unitCode?: string; year?: number } = {}) { return reads.history(this.session, filter.unitCode, filter.year); }
  valuesOf(submissionId: number) { return reads.valuesOf(this.session, submissionId); }
  messagesOf(submissionId: number) { return reads.messagesOf(this.session, submissionId); }
  contactOf(submissionId: number) { return reads.contactOf(this.session, submissionId); }
  acceptedValues(year: number) { return reads.acceptedValues(this.session, year); }
  acceptedValuesOfUnit(unitCode: string, year: number) { return reads.acceptedValuesOfUnit(this.session, unitCode, year); }
  acceptedSubmissionCount(year: number) { return reads.acceptedSubmissionCount(this.session, year); }
  acceptedNarratives(year: number) { return reads.acceptedNarratives(this.session, year); }
  acceptedItems(year: number) { return items.acceptedItems(this.session, year); }
  itemsOf(submissionId: number) { return items.itemsOf(this.session, submissionId); }
  yearsWithData() { return reads.yearsWithData(this.session); }
  queriesOfYear(year: number, codes: readonly string[], answerFieldId: (indicatorId: string) => string) {
    return reads.queriesOfYear(this.session, year, codes, answerFieldId);
  }
  inForce(unitCode: string, year: number) { return reads.inForce(this.session, unitCode, year); }
  events(filter: { unitCode?: string; year?: number } = {}) { return reads.events(this.session, filter.unitCode, filter.year); }
  journal() { return reads.journalEntries(this.session); }

  async adoptJournal(length: number): Promise<void> {
    await sql`UPDATE journal SET end_offset = ${length}`.execute(this.session.db);
  }
}

class SqlWriteBatch implements WriteBatch {
  private readonly s: SqlSession;
  private readonly maxItems: number;
  private readonly maxMs: number;
  private readonly nested: boolean;
  private started = 0;
  private items = 0;

  constructor(s: SqlSession, opts: { maxItems?: number; maxMs?: number }) {
    this.s = s;
    this.maxItems = opts.maxItems ?? 200;
    this.maxMs = opts.maxMs ?? 250;
    this.nested = s.inTransaction;
  }

  async begin(): Promise<void> {
    if (this.s.inTransaction) return;
    await this.s.begin();
    this.started = performance.now();
    this.items = 0;
  }

  due(): boolean {
    this.items++;
    return !this.nested && this.s.inTransaction && (this.items >= this.maxItems || performance.now() - this.started >= this.maxMs);
  }

  async commit(): Promise<void> {
    if (!this.nested && this.s.inTransaction) await this.s.commit();
  }

  async finish(keep: boolean): Promise<boolean> {
    if (this.nested) return false;
    if (!this.s.inTransaction) return true;
    try {
      if (keep) await this.s.commit();
      else await this.s.rollback();
      return keep;
    } catch {
      if (this.s.inTransaction) await this.s.rollback().catch(() => undefined);
      return false;
    }
  }
}
