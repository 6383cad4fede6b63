/**
 * Rebuild (rebuild.ts): the journal's transitions of review and its messages of the outbox and of the mailbox, made
 * again in the new store in journal order, through the same store calls that made them (their checks included).
 * Approvals and locks come back with their revisions; the outbox and the messages read come back as they were, so that
 * `send` after a rebuild sends nothing twice and `fetch-mail` ingests nothing twice.
 */
import { formatDayVi } from '../dates.ts';
import { UserError } from '../errors.ts';
import type {
  EventEntry, JournalEntry, OutboxClaimEntry, OutboxDoneEntry, ReviewEntry, SeenClaimEntry, SeenDoneEntry,
} from '../store/journal.ts';
import type { ForceConfirmation, ReviewOutcome, Store } from '../store/store.ts';
import { REVIEW_ACTION_LABELS } from '../vi/labels.ts';

export type MailEntry = OutboxClaimEntry | OutboxDoneEntry | SeenClaimEntry | SeenDoneEntry;

/**
 * The approvers' confirmations (review lines 'force') of the journal, by the change of what is in force they allowed:
 * the event line that follows each in its transaction (same unit and year). Rebuild passes each to that change again.
 */
export class Forces {
  private readonly byEvent = new Map<EventEntry, ForceConfirmation>();
  private readonly fileEvents = new Map<number, EventEntry>();

  constructor(entries: readonly JournalEntry[]) {
    let open: ReviewEntry | null = null;
    for (const e of entries) {
      if (e.type === 'review' && e.action === 'force') open = e;
      if (e.type !== 'event') continue;
      if (e.reason === 'file' && e.in !== null) this.fileEvents.set(e.in, e);
      if (open && open.unit === e.unit && open.year === e.year) this.byEvent.set(e, { reason: open.reason ?? '', user: open.user });
      open = null;
    }
  }

  /** The confirmation a change of what is in force (a restore, a confirmation) was made with, if any. */
  ofEvent(e: EventEntry): ForceConfirmation | undefined {
    return this.byEvent.get(e);
  }

  /** The confirmation a stored file went in force with (journal submission id), if any. */
  ofSubmission(id: number): ForceConfirmation | undefined {
    const e = this.fileEvents.get(id);
    return e ? this.byEvent.get(e) : undefined;
  }
}

/** A transition of review made again (an approver's 'force' is made again with the change it allowed, not here). */
export async function replayReview(db: Store, e: ReviewEntry, differences: string[]): Promise<boolean> {
  if (e.action === 'force') return false;
  const what = `${REVIEW_ACTION_LABELS[e.action]} ${e.unit ? `${e.unit} năm ` : ''}${e.year} ngày ${formatDayVi(e.at)}`;
  const at = new Date(e.at);
  let made: ReviewOutcome;
  try {
    if (e.action === 'lock' || e.action === 'unlock') {
      const seenRev = (await db.yearLock(e.year)).rev;
      made = await db.changeYearLock({ action: e.action, year: e.year, seenRev, reason: e.reason, user: e.user, at });
    } else {
      const seenRev = (await db.review(e.unit ?? '', e.year)).rev;
      [made] = await db.changeReview({ action: e.action, year: e.year, units: [{ unitCode: e.unit ?? '', seenRev }], reason: e.reason, user: e.user, at });
    }
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    differences.push(`${what}: ${err.message}`);
    return false;
  }
  if (!made.changed) differences.push(`${what}: không còn làm thay đổi gì`);
  else if (made.event.rev !== e.rev) differences.push(`${what}: trước là phiên bản ${e.rev}, nay ${made.event.rev}`);
  return made.changed;
}

/** Journal ids of outbox entries and messages read → their ids in the new store. */
export interface MailIds { outbox: Map<number, number>; seen: Map<number, number> }

/** A claim or an outcome of the outbox or of a message read, made again. */
export async function replayMail(db: Store, e: MailEntry, ids: MailIds, differences: string[]): Promise<void> {
  switch (e.type) {
    case 'outbox': {
      const r = await db.claimOutbox(e.message, { retake: e.retake });
      if (r.claimed) ids.outbox.set(e.id, r.entry.id);
      else differences.push(`thư gửi ${e.message.unitCode} năm ${e.message.year} (${e.message.subject}): không ghi lại được vào hộp thư đi`);
      return;
    }
    case 'outbox_done': {
      const id = ids.outbox.get(e.id);
      if (id === undefined) differences.push(`kết quả gửi thư số ${e.id} ngày ${formatDayVi(e.at)}: không có thư đó trong hộp thư đi dựng lại`);
      else await db.finishOutbox(id, e.state, e.result, e.at);
      return;
    }
    case 'mail_seen': {
      const r = await db.claimSeenMessage(e.message, e.staleBefore);
      if (r.claimed) ids.seen.set(e.id, r.seen.id);
      else differences.push(`thư nhận "${e.message.subject ?? ''}" (${e.message.messageKey}): không ghi lại được`);
      return;
    }
    case 'mail_seen_done': {
      const id = ids.seen.get(e.id);
      if (id === undefined) differences.push(`kết quả nhập thư số ${e.id} ngày ${formatDayVi(e.at)}: không có thư đó trong các thư đã nhận dựng lại`);
      else await db.finishSeenMessage(id, e.archivePath, e.result, e.at);
    }
  }
}
