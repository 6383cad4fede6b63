/**
 * Mail in the store: the outbox (every message to a unit, recorded before and after it is handed to the mail server)
 * and the messages read from the mailbox (claimed before their attachments are ingested, done after). Each claim is a
 * BEGIN IMMEDIATE transaction of its own, committed before the caller acts: two runs (two PCs on a shared store) never
 * both claim one message. Every claim and outcome is a line of the journal too: rebuild makes them again.
 */
import type {
  MailKind, NewOutboxEntry, NewSeenMessage, OutboxClaim, OutboxEntry, OutboxState, SeenMessage,
} from '../store.ts';
import type { SqliteConnection } from './connection.ts';

interface OutboxRow {
  id: number; unit_code: string; year: number; kind: MailKind; dedup_key: string; recipients: string; subject: string;
  attachment_name: string | null; attachment_sha256: string | null; message_id: string; via: 'smtp' | 'draft'; state: OutboxState;
  owner: string | null; attempts: number; created_at: string; handed_at: string; done_at: string | null; result: string | null;
}

const outboxEntry = (r: OutboxRow): OutboxEntry => ({
  id: r.id, unitCode: r.unit_code, year: r.year, kind: r.kind, dedupKey: r.dedup_key, recipients: r.recipients, subject: r.subject,
  attachmentName: r.attachment_name, attachmentSha256: r.attachment_sha256, messageId: r.message_id, via: r.via, state: r.state,
  owner: r.owner, attempts: r.attempts, createdAt: r.created_at, handedAt: r.handed_at, doneAt: r.done_at, result: r.result,
});

function outboxRow(c: SqliteConnection, e: Pick<NewOutboxEntry, 'unitCode' | 'year' | 'kind' | 'dedupKey'>): OutboxRow | undefined {
  return c.statement('SELECT * FROM outbox WHERE unit_code = ? AND year = ? AND kind = ? AND dedup_key = ?')
    .get(e.unitCode, e.year, e.kind, e.dedupKey) as OutboxRow | undefined;
}

export function claimOutbox(c: SqliteConnection, e: NewOutboxEntry, retake: boolean): OutboxClaim {
  return c.run(() => {
    const row = outboxRow(c, e);
    if (!row) {
      c.statement(`INSERT INTO outbox (unit_code, year, kind, dedup_key, recipients, subject, attachment_name, attachment_sha256, message_id,
        via, state, owner, attempts, created_at, handed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'sending', ?, 1, ?, ?)`).run(
        e.unitCode, e.year, e.kind, e.dedupKey, e.recipients, e.subject, e.attachmentName, e.attachmentSha256, e.messageId, e.via, e.owner, e.at, e.at,
      );
      return claimed(c, e, false);
    }
    const again = row.state === 'failed' || (row.state === 'sending' && retake);
    if (!again) return { claimed: false, entry: outboxEntry(row) };
    // Tried again: a new Message-ID (the one refused reached nobody; a retaken one is a new message of its own).
    c.statement(`UPDATE outbox SET recipients = ?, subject = ?, attachment_name = ?, attachment_sha256 = ?, message_id = ?, via = ?,
      state = 'sending', owner = ?, attempts = attempts + 1, handed_at = ?, done_at = NULL, result = NULL WHERE id = ?`).run(
      e.recipients, e.subject, e.attachmentName, e.attachmentSha256, e.messageId, e.via, e.owner, e.at, row.id,
    );
    return claimed(c, e, true);
  });
}

/** The message as claimed, and its line of the journal (rebuild claims it again: nothing is sent twice after it). */
function claimed(c: SqliteConnection, e: NewOutboxEntry, retake: boolean): OutboxClaim {
  const entry = outboxEntry(outboxRow(c, e)!);
  c.writeJournal({ type: 'outbox', id: entry.id, message: e, retake }, null);
  return { claimed: true, entry };
}

export function finishOutbox(c: SqliteConnection, id: number, state: Exclude<OutboxState, 'sending'>, result: string | null, at: string): void {
  c.run(() => {
    c.statement('UPDATE outbox SET state = ?, result = ?, done_at = ? WHERE id = ?').run(state, result, at, id);
    c.writeJournal({ type: 'outbox_done', id, state, result, at }, null);
  });
}

export function outbox(c: SqliteConnection, f: { unitCode?: string; year?: number; kind?: MailKind }): OutboxEntry[] {
  return (c.statement(`SELECT * FROM outbox WHERE (?1 IS NULL OR unit_code = ?1) AND (?2 IS NULL OR year = ?2) AND (?3 IS NULL OR kind = ?3)
    ORDER BY handed_at, id`).all(f.unitCode ?? null, f.year ?? null, f.kind ?? null) as unknown as OutboxRow[]).map(outboxEntry);
}

export function outboxByMessageId(c: SqliteConnection, ids: readonly string[]): OutboxEntry | null {
  const find = c.statement('SELECT * FROM outbox WHERE message_id = ?');
  // The nearest first: In-Reply-To, then References from the last (the message replied to) back.
  for (const id of ids) {
    const row = find.get(id) as OutboxRow | undefined;
    if (row) return outboxEntry(row);
  }
  return null;
}

interface SeenRow {
  id: number; message_key: string; mailbox: string; uid: number | null; sender: string | null; subject: string | null;
  received_at: string | null; unit_code: string | null; year: number | null; archive_path: string | null; state: 'claimed' | 'done';
  owner: string | null; claimed_at: string; done_at: string | null; result: string | null;
}

const seenMessage = (r: SeenRow): SeenMessage => ({
  id: r.id, messageKey: r.message_key, mailbox: r.mailbox, uid: r.uid, sender: r.sender, subject: r.subject, receivedAt: r.received_at,
  unitCode: r.unit_code, year: r.year, archivePath: r.archive_path, state: r.state, owner: r.owner, claimedAt: r.claimed_at,
  doneAt: r.done_at, result: r.result,
});

export function claimSeenMessage(c: SqliteConnection, m: NewSeenMessage, staleBefore: string): { claimed: boolean; seen: SeenMessage } {
  return c.run(() => {
    const get = () => c.statement('SELECT * FROM mail_seen WHERE message_key = ?').get(m.messageKey) as SeenRow | undefined;
    const row = get();
    if (!row) {
      c.statement(`INSERT INTO mail_seen (message_key, mailbox, uid, sender, subject, received_at, unit_code, year, state, owner, claimed_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'claimed', ?, ?)`).run(
        m.messageKey, m.mailbox, m.uid, m.sender, m.subject, m.receivedAt, m.unitCode, m.year, m.owner, m.at,
      );
      return seenClaimed(c, get()!, m, staleBefore);
    }
    if (row.state === 'done' || row.claimed_at >= staleBefore) return { claimed: false, seen: seenMessage(row) };
    c.statement('UPDATE mail_seen SET owner = ?, claimed_at = ?, uid = ? WHERE id = ?').run(m.owner, m.at, m.uid, row.id);
    return seenClaimed(c, get()!, m, staleBefore);
  });
}

/** The message as claimed, and its line of the journal (rebuild claims it again: it is never ingested twice after it). */
function seenClaimed(c: SqliteConnection, row: SeenRow, m: NewSeenMessage, staleBefore: string): { claimed: true; seen: SeenMessage } {
  c.writeJournal({ type: 'mail_seen', id: row.id, message: m, staleBefore }, null);
  return { claimed: true, seen: seenMessage(row) };
}

export function finishSeenMessage(c: SqliteConnection, id: number, archivePath: string | null, result: string, at: string): void {
  c.run(() => {
    c.statement(`UPDATE mail_seen SET state = 'done', archive_path = ?, result = ?, done_at = ? WHERE id = ?`).run(archivePath, result, at, id);
    c.writeJournal({ type: 'mail_seen_done', id, archivePath, result, at }, null);
  });
}

export function seenMessages(c: SqliteConnection, f: { unitCode?: string; year?: number }): SeenMessage[] {
  return (c.statement(`SELECT * FROM mail_seen WHERE (?1 IS NULL OR unit_code = ?1) AND (?2 IS NULL OR year = ?2) ORDER BY claimed_at, id`)
    .all(f.unitCode ?? null, f.year ?? null) as unknown as SeenRow[]).map(seenMessage);
}
