/**
 * A saved e-mail in an ingest batch (.eml, .msg), as fetch-mail takes a message from the mailbox: its thread looked up
 * in the outbox (answeredBy: one rule for both), each workbook or CSV attached a file of the batch (received on the
 * message's Date, from its sender, marked with the mail it answers), and the message recorded as read (mail_seen, with
 * the unit and year it answers) once its files are done. hoctap's own message (a copy or a draft of what it sent) is
 * refused as a whole: it is not a unit's answer.
 */
import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { inert } from '../findings/inert.ts';
import type { Store } from '../store/store.ts';
import { answeredBy, MAIL_KIND_WORDS, readEmail, type AnsweredMail, type EmailThread } from './email.ts';
import type { BatchContext, FilePart } from './one-file.ts';
import type { FileResult } from './types.ts';

/** Where a message given to ingest is recorded as read from (fetch-mail records its IMAP folder). */
export const SAVED_MAILBOX = 'tệp thư đã lưu';

export interface EmailBatch {
  parts: FilePart[];
  /** Once its parts are ingested (not in a dry run): the message recorded as read, with what its files came to. */
  done(results: FileResult[]): Promise<void>;
}

/** The attachments of a saved e-mail as files to ingest; a message without one, or hoctap's own, is refused with its reason. */
export async function emailParts(c: BatchContext, file: string, label: string, bytes: Buffer): Promise<EmailBatch> {
  const mail = await readEmail(bytes);
  if (!mail.ok) {
    const remedy = mail.code === 'email_no_attachment' ? 'đơn vị gửi lại thư có đính kèm biểu mẫu .xlsx (hoặc tệp .csv)' : 'lưu lại thư từ chương trình thư điện tử (Lưu thành… .eml) rồi nhập lại';
    return { parts: [refusedPart(file, label, mail.code, mail.reason, remedy)], done: () => Promise.resolve() };
  }
  const { own, answers: entry } = await answeredBy(c.db, mail.thread);
  if (own) {
    const reason = `đây là thư hoctap đã gửi (${MAIL_KIND_WORDS[own.kind]} ${own.unitCode} năm ${own.year}: bản sao hoặc thư nháp), không phải thư đơn vị trả lời`;
    return { parts: [refusedPart(file, label, 'email_own', reason, 'nhập thư đơn vị gửi về (thư trả lời có tệp đơn vị đã điền)')], done: () => Promise.resolve() };
  }
  const answers: AnsweredMail | null = entry ? { unitCode: entry.unitCode, year: entry.year, kind: entry.kind } : null;
  const parts = mail.attachments.map((a): FilePart => ({
    path: path.join(path.dirname(file), a.name), label: `${label} › ${inert(a.name)}`,
    load: () => ({ ok: true, bytes: a.bytes }), date: mail.date, sender: mail.from, answers,
  }));
  const db = c.db;
  if (!db || c.dryRun || c.replay) return { parts, done: () => Promise.resolve() };
  const seen = { thread: mail.thread, sender: mail.from, subject: mail.subject, date: mail.date, answers };
  return { parts, done: (results) => recordRead(c, db, bytes, seen, results) };
}

function refusedPart(file: string, label: string, code: string, reason: string, expected: string): FilePart {
  return { path: file, label, load: () => ({ ok: false, refused: { code, reason, expected } }) };
}

/**
 * The message recorded as read, as fetch-mail records it: kept whole in the archive, with the unit and year it answers
 * and what its files came to. A message recorded before (the same message saved twice, or fetch-mail reading it now)
 * is left as it is: its files are known to ingest already.
 */
async function recordRead(c: BatchContext, db: Store, bytes: Buffer,
  m: { thread?: EmailThread; sender: string | null; subject: string | null; date: Date | null; answers: AnsweredMail | null }, results: FileResult[]): Promise<void> {
  const sha = crypto.createHash('sha256').update(bytes).digest('hex');
  // Nothing is stale here (''): a claim held by another run, even an old one, is never taken over.
  const claim = await db.claimSeenMessage({
    messageKey: m.thread?.messageId ?? `sha256:${sha}`, mailbox: SAVED_MAILBOX, uid: null, sender: m.sender, subject: m.subject,
    receivedAt: m.date ? m.date.toISOString() : null, unitCode: m.answers?.unitCode ?? null, year: m.answers?.year ?? null,
    owner: `${os.hostname()}:${process.pid}`, at: c.ingestedAt,
  }, '');
  if (!claim.claimed) return;
  const archived = c.archive(bytes, sha, 'eml');
  await db.finishSeenMessage(claim.seen.id, path.relative(c.batchWs.dir, archived), messageSummary(results), c.ingestedAt);
}

/** What a message's files came to, one line (fetch-mail's and ingest's record of a message read). */
export function messageSummary(files: FileResult[]): string {
  if (!files.length) return 'không có tệp';
  return files.map((f) => `${f.file}: ${f.status}${f.unit ? ` ${f.unit}` : ''}${f.submissionId ? ` #${f.submissionId}` : ''}`).join('; ');
}
