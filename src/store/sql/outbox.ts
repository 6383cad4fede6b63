/**
 * Mail in the store through the query layer (as src/store/sqlite/outbox.ts): the outbox (every message to a unit,
 * recorded before and after it is handed to the mail server) and the messages read from the mailbox (claimed before
 * their attachments are ingested, done after). Each claim is a write transaction of its own (the writer lock on
 * PostgreSQL), committed before the caller acts: two runs (two PCs on a shared store) never both claim one message.
 * Every claim and outcome is a line of the journal too: rebuild makes them again.
 */
import type { Selectable } from 'kysely';
import type {
  MailKind, NewOutboxEntry, NewSeenMessage, OutboxClaim, OutboxEntry, OutboxState, SeenMessage,
} from '../store.ts';
import { nextId } from './ids.ts';
import type { SqlSession } from './session.ts';
import type { MailSeenTable, OutboxTable } from './tables.ts';

const num = (x: number | string | null): number | null => (x === null ? null : Number(x));

const outboxEntry = (r: Selectable<OutboxTable>): OutboxEntry => ({
  id: Number(r.id), unitCode: r.unit_code, year: Number(r.year), kind: r.kind, dedupKey: r.dedup_key, recipients: r.recipients, subject: r.subject,
  attachmentName: r.attachment_name, attachmentSha256: r.attachment_sha256, messageId: r.message_id, via: r.via, state: r.state,
  owner: r.owner, attempts: Number(r.attempts), createdAt: r.created_at, handedAt: r.handed_at, doneAt: r.done_at, result: r.result,
});

function outboxRow(s: SqlSession, e: Pick<NewOutboxEntry, 'unitCode' | 'year' | 'kind' | 'dedupKey'>): Promise<Selectable<OutboxTable> | undefined> {
  return s.db.selectFrom('outbox').selectAll().where('unit_code', '=', e.unitCode).where('year', '=', e.year).where('kind', '=', e.kind)
    .where('dedup_key', '=', e.dedupKey).executeTakeFirst();
}

export function claimOutbox(s: SqlSession, e: NewOutboxEntry, retake: boolean): Promise<OutboxClaim> {
  return s.run(async () => {
    const row = await outboxRow(s, e);
    if (!row) {
      await s.db.insertInto('outbox').values({
        id: nextId('outbox'), unit_code: e.unitCode, year: e.year, kind: e.kind, dedup_key: e.dedupKey, recipients: e.recipients, subject: e.subject,
        attachment_name: e.attachmentName, attachment_sha256: e.attachmentSha256, message_id: e.messageId, via: e.via, state: 'sending',
        owner: e.owner, attempts: 1, created_at: e.at, handed_at: e.at, done_at: null, result: null,
      }).execute();
      return claimed(s, e, false);
    }
    const again = row.state === 'failed' || (row.state === 'sending' && retake);
    if (!again) return { claimed: false, entry: outboxEntry(row) };
    // Tried again: a new Message-ID (the one refused reached nobody; a retaken one is a new message of its own).
    await s.db.updateTable('outbox').set((eb) => ({
      recipients: e.recipients, subject: e.subject, attachment_name: e.attachmentName, attachment_sha256: e.attachmentSha256, message_id: e.messageId,
      via: e.via, state: 'sending', owner: e.owner, attempts: eb('attempts', '+', 1), handed_at: e.at, done_at: null, result: null,
    })).where('id', '=', row.id).execute();
    return claimed(s, e, true);
  });
}

/** The message as claimed, and its line of the journal (rebuild claims it again: nothing is sent twice after it). */
async function claimed(s: SqlSession, e: NewOutboxEntry, retake: boolean): Promise<OutboxClaim> {
  const entry = outboxEntry((await outboxRow(s, e))!);
  await s.writeJournal({ type: 'outbox', id: entry.id, message: e, retake }, null);
  return { claimed: true, entry };
}

export async function finishOutbox(s: SqlSession, id: number, state: Exclude<OutboxState, 'sending'>, result: string | null, at: string): Promise<void> {
  await s.run(async () => {
    await s.db.updateTable('outbox').set({ state, result, done_at: at }).where('id', '=', id).execute();
    await s.writeJournal({ type: 'outbox_done', id, state, result, at }, null);
  });
}

export async function outbox(s: SqlSession, f: { unitCode?: string; year?: number; kind?: MailKind }): Promise<OutboxEntry[]> {
  const rows = await s.db.selectFrom('outbox').selectAll()
    .$if(f.unitCode !== undefined, (q) => q.where('unit_code', '=', f.unitCode!))
    .$if(f.year !== undefined, (q) => q.where('year', '=', f.year!))
    .$if(f.kind !== undefined, (q) => q.where('kind', '=', f.kind!))
    .orderBy('handed_at').orderBy('id').execute();
  return rows.map(outboxEntry);
}

export async function outboxByMessageId(s: SqlSession, ids: readonly string[]): Promise<OutboxEntry | null> {
  // The nearest first: In-Reply-To, then References from the last (the message replied to) back.
  for (const id of ids) {
    const row = await s.db.selectFrom('outbox').selectAll().where('message_id', '=', id).executeTakeFirst();
    if (row) return outboxEntry(row);
  }
  return null;
}

const seenMessage = (r: Selectable<MailSeenTable>): SeenMessage => ({
  id: Number(r.id), messageKey: r.message_key, mailbox: r.mailbox, uid: num(r.uid), sender: r.sender, subject: r.subject, receivedAt: r.received_at,
  unitCode: r.unit_code, year: num(r.year), archivePath: r.archive_path, state: r.state, owner: r.owner, claimedAt: r.claimed_at,
  doneAt: r.done_at, result: r.result,
});

export function claimSeenMessage(s: SqlSession, m: NewSeenMessage, staleBefore: string): Promise<{ claimed: boolean; seen: SeenMessage }> {
  return s.run(async () => {
    const get = () => s.db.selectFrom('mail_seen').selectAll().where('message_key', '=', m.messageKey).executeTakeFirst();
    const row = await get();
    if (!row) {
      await s.db.insertInto('mail_seen').values({
        id: nextId('mail_seen'), message_key: m.messageKey, mailbox: m.mailbox, uid: m.uid, sender: m.sender, subject: m.subject,
        received_at: m.receivedAt, unit_code: m.unitCode, year: m.year, archive_path: null, state: 'claimed', owner: m.owner, claimed_at: m.at,
        done_at: null, result: null,
      }).execute();
      return seenClaimed(s, (await get())!, m, staleBefore);
    }
    if (row.state === 'done' || row.claimed_at >= staleBefore) return { claimed: false, seen: seenMessage(row) };
    await s.db.updateTable('mail_seen').set({ owner: m.owner, claimed_at: m.at, uid: m.uid }).where('id', '=', row.id).execute();
    return seenClaimed(s, (await get())!, m, staleBefore);
  });
}

/** The message as claimed, and its line of the journal (rebuild claims it again: it is never ingested twice after it). */
async function seenClaimed(s: SqlSession, row: Selectable<MailSeenTable>, m: NewSeenMessage, staleBefore: string): Promise<{ claimed: true; seen: SeenMessage }> {
  await s.writeJournal({ type: 'mail_seen', id: Number(row.id), message: m, staleBefore }, null);
  return { claimed: true, seen: seenMessage(row) };
}

export async function finishSeenMessage(s: SqlSession, id: number, archivePath: string | null, result: string, at: string): Promise<void> {
  await s.run(async () => {
    await s.db.updateTable('mail_seen').set({ state: 'done', archive_path: archivePath, result, done_at: at }).where('id', '=', id).execute();
    await s.writeJournal({ type: 'mail_seen_done', id, archivePath, result, at }, null);
  });
}

export async function seenMessages(s: SqlSession, f: { unitCode?: string; year?: number }): Promise<SeenMessage[]> {
  const rows = await s.db.selectFrom('mail_seen').selectAll()
    .$if(f.unitCode !== undefined, (q) => q.where('unit_code', '=', f.unitCode!))
    .$if(f.year !== undefined, (q) => q.where('year', '=', f.year!))
    .orderBy('claimed_at').orderBy('id').execute();
  return rows.map(seenMessage);
}
