/**
 * The mail servers of a workspace's "mail" settings: SMTP through nodemailer (pooled, paced), IMAP through imapflow.
 * Passwords come from HOCTAP_SMTP_PASSWORD / HOCTAP_IMAP_PASSWORD, or are asked at the terminal; never written anywhere.
 * A server's failures are said in Vietnamese with what to check.
 */
import nodemailer from 'nodemailer';
import { ImapFlow } from 'imapflow';
import type { MailConfig } from '../catalog/workspace.ts';
import { UserError } from '../errors.ts';
import { askHidden, canAsk } from '../terminal.ts';
import type { MessageFields } from './message.ts';

export type SmtpSettings = NonNullable<MailConfig['smtp']>;
export type ImapSettings = NonNullable<MailConfig['imap']>;

/** A password from the environment, else asked at the terminal (not echoed); a run without a terminal needs the variable. */
export async function passwordFor(which: 'SMTP' | 'IMAP', user: string | undefined): Promise<string | undefined> {
  if (!user) return undefined;
  const variable = `HOCTAP_${which}_PASSWORD`;
  const given = process.env[variable];
  if (given !== undefined) return given;
  if (!canAsk()) {
    throw new UserError(`Thiếu mật khẩu ${which} của tài khoản ${user}: đặt biến môi trường ${variable} (hoctap không bao giờ ghi mật khẩu ra đĩa).`);
  }
  return askHidden(`Mật khẩu ${which} của ${user}: `);
}

/** What the SMTP server said of one message: accepted (its reply), refused (not delivered), or not known. */
export type Handover = { ok: true; response: string } | { ok: false; certain: boolean; reason: string };

export interface Sender {
  send(fields: MessageFields): Promise<Handover>;
  close(): void;
}

export async function smtpSender(s: SmtpSettings): Promise<Sender> {
  const pass = await passwordFor('SMTP', s.user);
  const transport = nodemailer.createTransport({
    pool: true, host: s.host, port: s.port, secure: s.secure ?? s.port === 465, maxConnections: s.connections ?? 2,
    rateDelta: 1000, rateLimit: Math.max(1, Math.round(s.rate ?? 5)), maxMessages: 100,
    ...(s.user ? { auth: { user: s.user, pass: pass ?? '' } } : {}),
    connectionTimeout: 20_000, greetingTimeout: 20_000, socketTimeout: 60_000,
  });
  return {
    async send(fields) {
      try {
        const info = await transport.sendMail(fields);
        return { ok: true, response: String(info.response ?? '') };
      } catch (e) {
        return refusal(e, s);
      }
    },
    close: () => transport.close(),
  };
}

/** Before the message went out (the connection, the login, the addresses) or refused by the server: not delivered. */
const BEFORE_MESSAGE = new Set(['ECONNECTION', 'EAUTH', 'EENVELOPE', 'EDNS', 'ETLS', 'ENOAUTH', 'EMAXLIMIT', 'ECONNREFUSED', 'ENOTFOUND']);

function refusal(e: unknown, s: SmtpSettings): Handover {
  const err = e as { code?: string; responseCode?: number; response?: string; command?: string; message?: string };
  if (err.responseCode) return { ok: false, certain: true, reason: `máy chủ SMTP từ chối (${err.responseCode}): ${String(err.response ?? '').slice(0, 200)}` };
  if (err.code && BEFORE_MESSAGE.has(err.code)) return { ok: false, certain: true, reason: smtpReason(err.code, s) };
  // Failed while connecting or greeting (nodemailer says ESOCKET, command CONN): nothing of the message went out.
  if (err.command === 'CONN' || err.command === 'EHLO' || err.command === 'HELO') return { ok: false, certain: true, reason: smtpReason(err.code ?? 'ECONNECTION', s) };
  return { ok: false, certain: false, reason: `mất kết nối với máy chủ SMTP khi đang gửi (${err.code ?? err.message ?? 'không rõ'})` };
}

export function smtpReason(code: string, s: Pick<SmtpSettings, 'host' | 'port'>): string {
  if (code === 'EAUTH' || code === 'ENOAUTH') return `máy chủ SMTP ${s.host} không nhận tên đăng nhập hoặc mật khẩu (kiểm tra "user" trong cấu hình và HOCTAP_SMTP_PASSWORD; tài khoản có xác thực hai bước cần mật khẩu ứng dụng)`;
  if (code === 'ETLS') return `không thiết lập được kết nối mã hóa (TLS) với ${s.host}:${s.port} (kiểm tra "secure": true cho cổng 465, false cho 587 và 25)`;
  return `không kết nối được máy chủ SMTP ${s.host}:${s.port} (${code}): kiểm tra tên máy, cổng và mạng`;
}

export async function openImap(s: ImapSettings): Promise<ImapFlow> {
  const pass = await passwordFor('IMAP', s.user);
  const client = new ImapFlow({
    host: s.host, port: s.port, secure: s.secure ?? s.port === 993, logger: false,
    ...(s.user ? { auth: { user: s.user, pass: pass ?? '' } } : {}),
    // Plain IMAP on a local test server offers no STARTTLS; elsewhere it is used when offered.
    doSTARTTLS: s.secure === false && (s.host === '127.0.0.1' || s.host === 'localhost') ? false : undefined,
  });
  // A connection dropped later is said where it is used; an unhandled 'error' event must not end the process.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (e) {
    const err = e as { authenticationFailed?: boolean; code?: string; message?: string };
    if (err.authenticationFailed) throw new UserError(`Máy chủ IMAP ${s.host} không nhận tên đăng nhập hoặc mật khẩu (kiểm tra "user" trong cấu hình "mail.imap" và HOCTAP_IMAP_PASSWORD; tài khoản có xác thực hai bước cần mật khẩu ứng dụng).`);
    throw new UserError(`Không kết nối được máy chủ IMAP ${s.host}:${s.port} (${err.code ?? err.message ?? 'không rõ'}): kiểm tra tên máy, cổng, "secure" (true cho cổng 993) và mạng.`);
  }
  return client;
}

/**
 * Whether each message (by Message-ID) has its copy in the mailbox (the folder fetch-mail reads, and where it moves
 * messages): true found, false not found. The copy is the Bcc hoctap sends to `from` itself (copyToSelf).
 */
export async function findCopies(s: ImapSettings, messageIds: string[]): Promise<Map<string, boolean | null>> {
  const found = new Map<string, boolean | null>(messageIds.map((id) => [id, false]));
  const client = await openImap(s);
  try {
    for (const folder of [s.folder ?? 'INBOX', ...(s.moveTo ? [s.moveTo] : [])]) {
      const lock = await client.getMailboxLock(folder);
      try {
        for (const id of messageIds) {
          const hits = await client.search({ header: { 'message-id': id } }, { uid: true });
          if (hits && hits.length) found.set(id, true);
        }
      } finally {
        lock.release();
      }
    }
  } finally {
    await client.logout().catch(() => undefined);
  }
  return found;
}
