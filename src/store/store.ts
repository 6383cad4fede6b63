/**
 * The store, as every layer above it sees it: one asynchronous interface returning typed domain objects (camelCase).
 * Its first implementation keeps a workspace's data in SQLite (src/store/sqlite); another engine implements the same
 * interface and passes the same contract suite (test/store-contract.ts). Nothing outside src/store knows the engine:
 * no SQL, no rows, no connection handles leave it.
 *
 * What it holds: the files received (a submission per file that names a unit, with its values, findings, narratives
 * and contact; an unattributed file for one that names none), what is in force for each unit and year and every change
 * of it (events), the journal (every stored file and event, one line each, written only with the transaction that
 * stores them) and the archive (the original bytes of every file received).
 */
import type { ForceConfirmation, ReviewEvent, ReviewOutcome, ReviewRequest, UnitReview, YearLock, YearLockRequest } from './review-types.ts';
import type { MailKind, NewOutboxEntry, NewSeenMessage, OutboxClaim, OutboxEntry, OutboxState, SeenMessage } from './mail-types.ts';
import type { InForceReason, JournalEntry } from './journal.ts';

export type { InForceReason, JournalEntry } from './journal.ts';
export type { ForceConfirmation, ReviewAction, ReviewEvent, ReviewOutcome, ReviewRequest, ReviewState, UnitReview, YearLock, YearLockRequest } from './review-types.ts';
export { RevisionConflict } from './review-types.ts';
export { WriteBehindFailed } from './write-behind.ts';
export type { MailKind, NewOutboxEntry, NewSeenMessage, OutboxClaim, OutboxEntry, OutboxState, SeenMessage } from './mail-types.ts';

/** accepted: in force; superseded: was in force; held: kept with its values, not in force yet; rejected: has errors. */
export type SubmissionStatus = 'accepted' | 'rejected' | 'superseded' | 'held';

/** What is known of a file of a unit and year when it is stored, and kept with it. */
export interface SubmissionFile {
  unitCode: string;
  year: number;
  fileName: string;
  sha256: string;
  /** Relative to the workspace: archive/ab/abcdef….xlsx */
  archivePath: string;
  sourceKind: 'xlsx' | 'csv';
  catalogVersion: string | null;
  templateVersion: string | null;
  receivedAt: string;
  ingestedAt: string;
}

/** A stored file of a unit and year. */
export interface Submission extends SubmissionFile {
  id: number;
  status: SubmissionStatus;
  errorCount: number;
  warningCount: number;
  valueCount: number;
  /** The submission that took its place in force, if any. */
  supersededBy: number | null;
}

/** One figure of a submission, with where it came from. */
export interface SubmissionValue {
  fieldId: string;
  indicatorId: string;
  /** As typed in the file. */
  raw: string | null;
  num: number | null;
  text: string | null;
  sheet: string | null;
  cell: string | null;
  /** Line of a CSV submission. */
  line: number | null;
  note: string | null;
}

/** One figure in force, with its unit. */
export interface StoredValue {
  submissionId: number;
  unitCode: string;
  fieldId: string;
  indicatorId: string;
  raw: string | null;
  num: number | null;
  text: string | null;
  cell: string | null;
}

/** A finding of a stored file (an error or a warning), as it was stored. */
export interface StoredMessage {
  submissionId: number;
  severity: 'error' | 'warning';
  code: string;
  sheet: string | null;
  cell: string | null;
  line: number | null;
  indicatorId: string | null;
  fieldId: string | null;
  valueSeen: string | null;
  expected: string | null;
  text: string;
  /** The finding's parameters, JSON (src/findings/stored.ts; schema 4); null for a row stored before: its text says it. */
  params: string | null;
}

/**
 * A structured item of a narrative section (a highlight, a difficulty, a proposal, a nomination for commendation:
 * src/catalog/asks.ts), as the unit filled its row: `choice` is the list code (a category, collective or individual)
 * or null when the typed choice is not in the list (`choiceText` keeps it); `none` marks a row that says "Không có".
 */
export interface NewItem {
  sectionId: string;
  item: 'highlight' | 'difficulty' | 'proposal' | 'nomination';
  ordinal: number;
  choice: string | null;
  choiceText: string | null;
  /** A highlight's model or activity; a nominee's name. */
  name: string | null;
  /** A highlight's result, a difficulty's or proposal's text, a nominee's achievement. */
  text: string | null;
  /** A proposal's addressee: its list code, or the text as typed. */
  addressee: string | null;
  none: boolean;
}

/** A structured item in force, with its unit. */
export interface StoredItem extends NewItem { unitCode: string; submissionId: number }

/** A narrative text in force. */
export interface StoredNarrative { unitCode: string; sectionId: string; text: string; receivedAt: string }

export interface Contact { name: string | null; position: string | null; phone: string | null; email: string | null }

/** A plausibility query raised on a file in force, and the unit's answer (its explanation of the indicator), if any. */
export interface StoredQuery extends StoredMessage {
  unitCode: string;
  indicatorId: string;
  /** The explanation given in the same file (trimmed), or null when the unit gave none. */
  answer: string | null;
}

/**
 * The analyst's confirmation of an indicator's figures that a query found impossible (hoctap confirm), with a reason:
 * it holds for the submission in force when it was made.
 */
export interface Confirmation {
  id: number;
  at: string;
  user: string | null;
  unitCode: string;
  year: number;
  indicatorId: string;
  submissionId: number;
  reason: string;
}

/** A change of what is in force for a unit and year. */
export interface StoreEvent {
  id: number;
  at: string;
  user: string | null;
  reason: InForceReason;
  unitCode: string;
  year: number;
  inForce: number | null;
  outOfForce: number | null;
}

/** A file that names no unit (unreadable, not a template), kept with its reason. */
export interface UnattributedFile {
  id: number;
  fileName: string;
  sha256: string;
  archivePath: string;
  receivedAt: string;
  ingestedAt: string;
  code: string;
  reason: string;
}

export type NewValue = SubmissionValue;

export type NewMessage = Omit<StoredMessage, 'submissionId'>;

export interface NewSubmission extends SubmissionFile {
  /** held: stored with its values but not in force until confirmed. */
  status: 'accepted' | 'rejected' | 'held';
  errorCount: number;
  warningCount: number;
  values: NewValue[];
  messages: NewMessage[];
  narratives: { sectionId: string; text: string }[];
  /** The structured items of the narrative sheet (absent: none, as for files stored before schema 8). */
  items?: NewItem[];
  contact: Contact | null;
  /** Who ingests it (default: the OS user; null: not known, as for files ingested before schema 3). */
  user?: string | null;
  /** The name the file's messages use, when not fileName (two files of a batch with one name). */
  label?: string;
  /** The --year it was checked against. */
  expectedYear?: number | null;
  /** The revision of the unit and year read when the file was judged: a different one when stored is a conflict. */
  seenRev?: number;
  /** The unit and year is approved or its year locked, and an approver confirms the file goes in force all the same. */
  force?: ForceConfirmation;
}

export type SubmissionKey = Pick<NewSubmission, 'unitCode' | 'year' | 'sha256' | 'status'>;

export interface NewUnattributedFile extends Omit<UnattributedFile, 'id'> {
  user?: string | null;
  label?: string;
  expectedYear?: number | null;
}


export type RecordOutcome =
  | { kind: 'duplicate'; submissionId: number; status: SubmissionStatus; fileName: string; receivedAt: string }
  | { kind: 'stored'; submissionId: number | null; supersedes: { submissionId: number; file: string } | null };

export type PutInForceResult =
  | { changed: true; eventId: number; in: Submission; out: Submission | null }
  | { changed: false; in: Submission };

/**
 * The writes of consecutive files grouped into one transaction, committed every `maxItems` files or `maxMs`
 * milliseconds, whichever comes first. Each file still writes all or nothing (its own savepoint), and its "already
 * ingested?" check runs inside the same transaction as its writes; what changes is that a commit (the write to the
 * journal) is paid once per batch instead of once per file. Made inside a transaction already open (rebuild), the
 * batch leaves that transaction to its owner.
 */
export interface WriteBatch {
  /** Before a file's work: opens the batch's transaction if none is open. */
  begin(): Promise<void>;
  /** After a file's work: true when the batch is full or old enough, and should be committed. */
  due(): boolean;
  /** Commits what the batch holds (every file in it has finished its own writes). */
  commit(): Promise<void>;
  /**
   * At the end of the run, or when it stopped on an error: what the batch holds is kept (keep) or dropped (its archive
   * copies could not be written). A commit that fails drops the batch. Returns whether what it held is now committed.
   */
  finish(keep: boolean): Promise<boolean>;
}


/** Writes the bytes of files received, for one run (archive.ts's ArchiveWriter on the embedded store). */
export interface ArchiveSink {
  /** Starts writing the bytes (unless that content is archived already); returns the archive file's path. */
  write(bytes: Buffer, sha256: string, ext: string): string;
  /** Waits for every write started (on PostgreSQL: writes them, in the open transaction); throws the first failure. */
  flush(): Promise<void>;
}

/** The original bytes of every file received, by content. */
export interface StoreArchive {
  /** A writer for one run: writes in the background, every write awaited (flush) before the batch that records it commits. */
  writer(): ArchiveSink;
  /** The bytes archived under a path as stored (archivePath, relative to the workspace); null when they are missing. */
  read(archivePath: string): Promise<Buffer | null>;
}

export interface Store {
  /** Which engine holds the data ('sqlite' or 'postgres'). */
  readonly engine: string;
  close(): Promise<void>;

  /**
   * Runs fn in one write transaction: all of its writes and journal lines are committed together, or none when it
   * throws. Inside a transaction already open (a write batch, rebuild), fn runs nested: still all or nothing. The
   * transactions of one store run one at a time: the caller awaits each before starting the next.
   */
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>;
  writeBatch(opts?: { maxItems?: number; maxMs?: number }): WriteBatch;

  /**
   * Stores one file's submission, values, findings, narratives and contact, in one transaction with its "already
   * ingested?" check. The same bytes for the same unit and year are a duplicate when they were accepted (or later
   * superseded or held), or when they were rejected and are rejected again. An accepted one goes in force and
   * supersedes the previous (an event); a held or rejected one changes nothing in force.
   */
  recordSubmission(s: NewSubmission): Promise<RecordOutcome>;
  /** What recordSubmission would do, without writing (--dry-run). */
  previewSubmission(s: SubmissionKey): Promise<RecordOutcome>;
  /** A file that names no unit: recorded once per content, with its reason. */
  recordUnattributed(f: NewUnattributedFile): Promise<{ id: number; duplicate: boolean }>;
  unattributedFiles(): Promise<UnattributedFile[]>;
  /** Whether a file of these bytes is stored as a submission (whatever its status). */
  isStored(sha256: string): Promise<boolean>;

  submission(id: number): Promise<Submission | null>;
  /** The submissions of a year, by unit code then id. */
  submissionsOfYear(year: number): Promise<Submission[]>;
  /** Every submission, optionally of one unit and/or year, by unit code, year, id. */
  history(filter?: { unitCode?: string; year?: number }): Promise<Submission[]>;
  /** Every value of one submission (whatever its status), by field id. */
  valuesOf(submissionId: number): Promise<SubmissionValue[]>;
  /** The findings of one submission, in the order they were stored. */
  messagesOf(submissionId: number): Promise<StoredMessage[]>;
  contactOf(submissionId: number): Promise<Contact | null>;

  /** The figures in force of a year, every unit, by unit code then field id. */
  acceptedValues(year: number): Promise<StoredValue[]>;
  /** The figures in force of one unit and year. */
  acceptedValuesOfUnit(unitCode: string, year: number): Promise<StoredValue[]>;
  /** How many submissions of a year are in force (one per unit at most). */
  acceptedSubmissionCount(year: number): Promise<number>;
  /** The narratives in force of a year, by unit code then section id. */
  acceptedNarratives(year: number): Promise<StoredNarrative[]>;
  /** The structured items in force of a year, by unit code, section, kind of item and row. */
  acceptedItems(year: number): Promise<StoredItem[]>;
  /** The structured items of one submission (whatever its status), in the same order. */
  itemsOf(submissionId: number): Promise<NewItem[]>;
  /** Years that have figures in force, ascending. */
  yearsWithData(): Promise<number[]>;
  /**
   * The queries (warnings whose code is one of `codes`, on an indicator) of a year's files in force and their answers
   * (the indicator's explanation field, `answerFieldId`, in the same file): by unit code, then as stored.
   */
  queriesOfYear(year: number, codes: readonly string[], answerFieldId: (indicatorId: string) => string): Promise<StoredQuery[]>;

  /** The submission in force for a unit and year, if any. */
  inForce(unitCode: string, year: number): Promise<Submission | null>;
  /**
   * Puts a stored submission in force for its unit and year (a confirmation of a held one, or a restore of an earlier
   * one); the one in force until then is superseded by it (an event). Refused with a UserError the analyst can act on:
   * an unknown id, a rejected submission, a confirmation of one that is not held. Already in force: nothing changes.
   */
  putInForce(submissionId: number, reason: Exclude<InForceReason, 'file'>, user: string | null, at?: Date, force?: ForceConfirmation): Promise<PutInForceResult>;
  /** The changes of what is in force, oldest first; optionally of one unit and/or year. */
  events(filter?: { unitCode?: string; year?: number }): Promise<StoreEvent[]>;

  /**
   * Records the analyst's confirmation of a unit's figures of an indicator, tied to the submission in force (a journal
   * line too). Refused with a UserError when the unit has no submission in force for the year.
   */
  confirmFigures(c: Omit<Confirmation, 'id' | 'submissionId'>): Promise<Confirmation>;
  /** The confirmations of a year (every one, the submissions no longer in force included), oldest first. */
  confirmationsOfYear(year: number): Promise<Confirmation[]>;
  /**
   * Review and approval (docs/review.md). Every change of what is in force (recordSubmission, putInForce) raises the
   * unit and year's revision, and is refused (a UserError) while the unit is approved or its year locked, unless an
   * approver confirms it (force).
   */
  review(unitCode: string, year: number): Promise<UnitReview>;
  /** The reviews of a year that were ever touched, by unit code (the others are at revision 0, received). */
  reviewsOfYear(year: number): Promise<UnitReview[]>;
  yearLock(year: number): Promise<YearLock>;
  /** Approves, returns or unapproves units of a year in one transaction, each checked against the revision read. */
  changeReview(req: ReviewRequest): Promise<ReviewOutcome[]>;
  /** Locks a year (every unit with figures in force approved) or unlocks it, checked against the revision read. */
  changeYearLock(req: YearLockRequest): Promise<ReviewOutcome>;
  /** The transitions of review, oldest first; optionally of one unit and/or year (a year's own ones with it). */
  reviewEvents(filter?: { unitCode?: string; year?: number }): Promise<ReviewEvent[]>;

  /** The journal lines the store holds (committed), in order. */
  journal(): Promise<JournalEntry[]>;
  /**
   * Rebuild: the durable journal, `length` bytes long, is exactly what this (new) store holds; its lines all count
   * as written. Inside the rebuild's transaction.
   */
  adoptJournal(length: number): Promise<void>;

  /**
   * The outbox (mail.ts): claims a message before it is handed to the mail server, in a transaction of its own. A new
   * one, or one that failed before, is recorded 'sending' and claimed; one sent or drafted already is not; one left
   * 'sending' (a run stopped, or another runs now) is claimed only with `retake` (after it was checked).
   */
  claimOutbox(e: NewOutboxEntry, opts?: { retake?: boolean }): Promise<OutboxClaim>;
  /** After the handover: what came of it. */
  finishOutbox(id: number, state: Exclude<OutboxState, 'sending'>, result: string | null, at: string): Promise<void>;
  /** The outbox, optionally of one unit and/or year and/or kind, oldest first. */
  outbox(filter?: { unitCode?: string; year?: number; kind?: MailKind }): Promise<OutboxEntry[]>;
  /** The message of the outbox with one of these Message-IDs (a reply's In-Reply-To and References), if any. */
  outboxByMessageId(messageIds: readonly string[]): Promise<OutboxEntry | null>;
  /**
   * A message of the mailbox, claimed before its attachments are ingested (a transaction of its own): false when it was
   * ingested already, or is claimed by another run since `staleBefore` (a claim older than that was left by a run that
   * stopped, and is taken over).
   */
  claimSeenMessage(m: NewSeenMessage, staleBefore: string): Promise<{ claimed: boolean; seen: SeenMessage }>;
  /** The message's attachments are ingested: done, with where the message is archived and what came of it. */
  finishSeenMessage(id: number, archivePath: string | null, result: string, at: string): Promise<void>;
  /** The messages read from the mailbox, oldest first; optionally of one unit and/or year. */
  seenMessages(filter?: { unitCode?: string; year?: number }): Promise<SeenMessage[]>;

  readonly archive: StoreArchive;
}
