/**
 * Saved e-mails (.eml, and Outlook's .msg: msg.ts) as the units sent them: the workbooks and CSV files attached, the
 * message's Date (the day the figures were received) and the sender's address (compared with the roster's).
 * Forwarded messages are opened too.
 */
import path from 'node:path';
import { simpleParser, type Attachment, type ParsedMail } from 'mailparser';
import type { MailKind, OutboxEntry, Store } from '../store/store.ts';
import { isCompoundFile, readMsg } from './msg.ts';

export const EMAIL_EXTENSIONS = ['.eml', '.msg'];

/** Attachments worth ingesting: what ingest reads, and what it refuses with a reason of its own (.xls, .xlsm). */
const INGESTIBLE = ['.xlsx', '.csv', '.xls', '.xlsm'];

/** A forwarded message inside a forwarded message… stops here. */
const MAX_DEPTH = 5;

export interface EmailAttachment { name: string; bytes: Buffer }

export type EmailRead =
  | { ok: true; date: Date | null; from: string | null; subject: string | null; attachments: EmailAttachment[]; ignored: string[]; thread?: EmailThread }
  | { ok: false; code: 'email_unreadable' | 'email_no_attachment'; reason: string; date: Date | null; from: string | null; ignored: string[] };

/**
 * Where a message sits in a conversation: its own Message-ID, and the messages it answers, nearest first (In-Reply-To,
 * then References from the last back). A reply to hoctap's template mail names that mail: the outbox knows its unit and
 * year (answeredBy), even when the attachment was renamed.
 */
export interface EmailThread { messageId: string | null; answers: string[] }

/** The thread headers of a parsed message. */
export function threadOf(mail: Pick<ParsedMail, 'messageId' | 'inReplyTo' | 'references'>): EmailThread {
  const refs = typeof mail.references === 'string' ? mail.references.split(/\s+/) : mail.references ?? [];
  const inReplyTo = (mail.inReplyTo ?? '').split(/\s+/).filter(Boolean);
  const answers = [...inReplyTo, ...[...refs].reverse()].map((id) => id.trim()).filter((id, i, all) => id && all.indexOf(id) === i);
  return { messageId: mail.messageId?.trim() || null, answers };
}

/**
 * What a message's thread says of it, the one rule fetch-mail and ingest's .eml path both follow: one of hoctap's own
 * messages (its Message-ID is in the outbox: a copy of a mail sent, or a draft), not a unit's answer; or a reply to
 * one (the nearest message of In-Reply-To/References in the outbox: its unit, year and kind); or neither. Without a
 * store (a dry run of a new workspace) nothing was sent, so neither.
 */
export interface ThreadAnswer {
  own: OutboxEntry | null;
  answers: OutboxEntry | null;
}

export async function answeredBy(db: Pick<Store, 'outboxByMessageId'> | null, thread: EmailThread | undefined): Promise<ThreadAnswer> {
  if (!db || !thread) return { own: null, answers: null };
  const own = thread.messageId ? await db.outboxByMessageId([thread.messageId]) : null;
  return { own, answers: own || !thread.answers.length ? null : await db.outboxByMessageId(thread.answers) };
}

/** Which mail a file's message answers: the outbox entry's unit, year and kind. */
export interface AnsweredMail { unitCode: string; year: number; kind: MailKind }

/** The kinds of mail hoctap sends, as a reply's line names the mail it answers. */
export const MAIL_KIND_WORDS: Record<MailKind, string> = { templates: 'biểu mẫu', feedback: 'bản kiểm tra', reminders: 'thư nhắc' };

/** "trả lời thư biểu mẫu Q1 năm 2025". */
export const answeredWords = (a: AnsweredMail) => `trả lời thư ${MAIL_KIND_WORDS[a.kind]} ${a.unitCode} năm ${a.year}`;

/**
 * The file's own unit and year (its `_meta`, its CSV header) decide whose figures they are; the thread only says which
 * mail was answered. When they differ, the analyst is told (a district forwarding a ward's file, the wrong file
 * attached): the sentence, or null when they agree or the file names no unit.
 */
export function threadMismatch(answers: AnsweredMail, file: { name: string; unit: string | null; year: number | null }): string | null {
  if (!file.unit || (file.unit === answers.unitCode && file.year === answers.year)) return null;
  const theirs = file.unit === answers.unitCode ? `năm ${file.year}` : `đơn vị ${file.unit}${file.year !== answers.year ? ` năm ${file.year}` : ''}`;
  return `Lưu ý: thư chứa tệp ${file.name} trả lời thư gửi ${answers.unitCode} năm ${answers.year} nhưng tệp là của ${theirs}: ` +
    'số liệu được nhận theo trang _meta của tệp (hoặc dòng đầu tệp CSV); kiểm tra đúng là tệp đơn vị muốn gửi.';
}

export function isEmailFile(file: string): boolean {
  return EMAIL_EXTENSIONS.includes(path.extname(file).toLowerCase());
}

export async function readEmail(bytes: Buffer): Promise<EmailRead> {
  // Outlook's .msg is a Compound File (whatever the file is named); everything else is read as MIME.
  if (isCompoundFile(bytes)) return readOutlook(bytes);
  let mail: ParsedMail;
  try {
    mail = await simpleParser(bytes, { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true });
  } catch {
    return { ok: false, code: 'email_unreadable', reason: 'không đọc được thư điện tử (tệp .eml hỏng)', date: null, from: null, ignored: [] };
  }
  const date = mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date : null;
  const from = mail.from?.value.find((a) => a.address)?.address?.toLowerCase() ?? null;
  if (!date && !from && mail.headerLines.length === 0) {
    return { ok: false, code: 'email_unreadable', reason: 'tệp .eml không phải là một thư điện tử (không có tiêu đề thư)', date, from, ignored: [] };
  }
  const attachments: EmailAttachment[] = [];
  const ignored: string[] = [];
  await collect(mail.attachments, attachments, ignored, 0);
  const read = found(attachments, ignored, date, from, mail.subject ?? null);
  return read.ok ? { ...read, thread: threadOf(mail) } : read;
}

function found(attachments: EmailAttachment[], ignored: string[], date: Date | null, from: string | null, subject: string | null): EmailRead {
  if (attachments.length === 0) {
    const others = ignored.length ? ` (chỉ có: ${ignored.join(', ')})` : '';
    return { ok: false, code: 'email_no_attachment', reason: `thư không đính kèm tệp Excel (.xlsx) hay CSV nào${others}`, date, from, ignored };
  }
  return { ok: true, date, from, subject, attachments, ignored };
}

async function readOutlook(bytes: Buffer): Promise<EmailRead> {
  const msg = await readMsg(bytes);
  // The remedy (save the message as .eml, or save its attachment) is said by ingest after the reason.
  if (!msg.ok) return { ok: false, code: 'email_unreadable', reason: msg.reason, date: null, from: null, ignored: [] };
  const attachments: EmailAttachment[] = [];
  const ignored: string[] = [];
  for (const a of msg.attachments) {
    if (isIngestible(a.name)) attachments.push({ name: path.basename(a.name), bytes: a.bytes });
    else ignored.push(a.name);
  }
  return found(attachments, ignored, msg.date, msg.from, msg.subject);
}

const isIngestible = (name: string) => INGESTIBLE.includes(path.extname(name).toLowerCase());

async function collect(list: Attachment[], out: EmailAttachment[], ignored: string[], depth: number): Promise<void> {
  for (const a of list) {
    if (a.contentType === 'message/rfc822' && depth < MAX_DEPTH) {
      // A forwarded message kept whole: its own attachments are the unit's files.
      const inner = await simpleParser(a.content, { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true }).catch(() => null);
      if (inner) await collect(inner.attachments, out, ignored, depth + 1);
      continue;
    }
    const name = (a.filename ?? '').normalize('NFC').trim();
    if (name && isIngestible(name)) out.push({ name: path.basename(name), bytes: a.content });
    else if (name) ignored.push(name);
  }
}
