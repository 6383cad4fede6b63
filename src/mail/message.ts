/**
 * A letter as a MIME message: the same fields whether handed to the SMTP server (nodemailer) or written as a .eml draft
 * (with X-Unsent: 1, which Outlook opens as a message to send and Thunderbird as a draft).
 */
import crypto from 'node:crypto';
import os from 'node:os';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { Letter } from './compose.ts';

/** The message fields nodemailer takes (its Mail options: from, to, subject, text, attachments, messageId, headers, bcc). */
export interface MessageFields {
  from: string;
  to: string[];
  bcc?: string[];
  subject: string;
  text: string;
  messageId: string;
  date: Date;
  headers: Record<string, string>;
  attachments: { filename: string; content: Buffer; contentType: string }[];
}

/** A Message-ID of hoctap's: which kind, unit and year it is, plus randomness, at the sender's domain. */
export function newMessageId(letter: Pick<Letter, 'kind' | 'unitCode' | 'year'>, from: string): string {
  const domain = /@([^>\s]+)/.exec(from)?.[1] ?? os.hostname();
  const unit = letter.unitCode.replace(/[^A-Za-z0-9_-]/g, '');
  return `<hoctap.${letter.kind}.${letter.year}.${unit}.${crypto.randomBytes(8).toString('hex')}@${domain}>`;
}

const CONTENT_TYPES: Record<string, string> = {
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.csv': 'text/csv',
};

export function messageFields(letter: Letter, from: string, messageId: string, date: Date, bcc: string[] = []): MessageFields {
  const ext = /\.[^.]+$/.exec(letter.attachment?.name ?? '')?.[0]?.toLowerCase() ?? '';
  return {
    from, to: letter.to, ...(bcc.length ? { bcc } : {}), subject: letter.subject, text: letter.body, messageId, date,
    headers: { 'X-Hoctap': `${letter.kind}; unit=${letter.unitCode}; year=${letter.year}` },
    attachments: letter.attachment
      ? [{ filename: letter.attachment.name, content: letter.attachment.bytes, contentType: CONTENT_TYPES[ext] ?? 'application/octet-stream' }]
      : [],
  };
}

/** The bytes of a .eml draft: the message as it would be sent, marked unsent. */
export async function draftBytes(fields: MessageFields): Promise<Buffer> {
  const composer = new MailComposer({ ...fields, headers: { ...fields.headers, 'X-Unsent': '1' } });
  return composer.compile().build();
}
