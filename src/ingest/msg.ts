/**
 * Outlook's saved messages (.msg, a Compound File): the attachments, the day the message was sent and the sender's
 * address, read with @kenjiuno/msgreader (pure JavaScript, loaded on use). Messages attached to the message (a
 * forward kept whole) are opened too. Without the reader a .msg is refused with its reason, never a stack trace.
 */

/** The first bytes of a Compound File (.msg, but also .xls and .doc). */
const CFB_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
/** An attached message inside an attached message… stops here. */
const MAX_DEPTH = 5;
/** The reader's package (the exact version the project installs is in package.json). */
const READER = '@kenjiuno/msgreader';

export function isCompoundFile(bytes: Buffer): boolean {
  return bytes.length >= CFB_MAGIC.length && bytes.subarray(0, CFB_MAGIC.length).equals(CFB_MAGIC);
}

/** What @kenjiuno/msgreader gives, as far as hoctap uses it. */
interface MsgAttachmentInfo { fileName?: string; fileNameShort?: string; name?: string; innerMsgContent?: boolean }
interface MsgFileData {
  error?: string;
  headers?: string;
  senderEmail?: string;
  senderSmtpAddress?: string;
  senderAddressType?: string;
  subject?: string;
  clientSubmitTime?: string;
  messageDeliveryTime?: string;
  attachments?: MsgAttachmentInfo[];
}
interface MsgReaderInstance {
  getFileData(): MsgFileData;
  getAttachment(a: MsgAttachmentInfo): { fileName?: string; content: Uint8Array };
}
export type MsgReaderClass = new (bytes: ArrayBuffer | Uint8Array) => MsgReaderInstance;

/** Loads the reader; a missing package is null (the caller says what to do instead). */
export async function loadMsgReader(): Promise<MsgReaderClass | null> {
  try {
    // A name in a variable: the type checker and the bundle do not require the package to be installed.
    const mod = (await import(READER)) as { default?: MsgReaderClass | { default?: MsgReaderClass } };
    const d = mod.default;
    return (typeof d === 'function' ? d : d?.default) ?? null;
  } catch {
    return null;
  }
}

export interface MsgAttachment { name: string; bytes: Buffer }

export type MsgRead =
  | { ok: true; date: Date | null; from: string | null; subject: string | null; attachments: MsgAttachment[] }
  | { ok: false; reason: string };

export const MSG_READER_MISSING = 'máy này chưa có bộ đọc thư Outlook (.msg)';

/** Every attachment of a saved Outlook message (those of attached messages too), with the message's date and sender. */
export async function readMsg(bytes: Buffer, load: () => Promise<MsgReaderClass | null> = loadMsgReader): Promise<MsgRead> {
  const Reader = await load();
  if (!Reader) return { ok: false, reason: MSG_READER_MISSING };
  let reader: MsgReaderInstance;
  let data: MsgFileData;
  try {
    reader = new Reader(bytes);
    data = reader.getFileData();
  } catch {
    return { ok: false, reason: 'không đọc được thư Outlook (tệp .msg hỏng)' };
  }
  if (data.error || !Array.isArray(data.attachments)) return { ok: false, reason: 'tệp .msg không phải là một thư Outlook' };
  const attachments: MsgAttachment[] = [];
  try {
    collect(Reader, reader, data, attachments, 0);
  } catch {
    return { ok: false, reason: 'không đọc được tệp đính kèm của thư Outlook (tệp .msg hỏng)' };
  }
  const date = dateOf(data);
  const from = senderOf(data);
  // Nothing a message has (a damaged file can read as an empty one): not taken for a message without attachments.
  if (!date && !from && !data.subject && attachments.length === 0) return { ok: false, reason: 'tệp .msg hỏng hoặc không phải là một thư Outlook' };
  return { ok: true, date, from, subject: data.subject ?? null, attachments };
}

function collect(Reader: MsgReaderClass, reader: MsgReaderInstance, data: MsgFileData, out: MsgAttachment[], depth: number): void {
  for (const info of data.attachments ?? []) {
    const att = reader.getAttachment(info);
    if (info.innerMsgContent) {
      // An attached message: its own attachments are the unit's files.
      if (depth >= MAX_DEPTH) continue;
      const inner = new Reader(att.content);
      const innerData = inner.getFileData();
      if (!innerData.error) collect(Reader, inner, innerData, out, depth + 1);
      continue;
    }
    const name = (info.fileName ?? att.fileName ?? info.fileNameShort ?? '').normalize('NFC').trim();
    if (name) out.push({ name, bytes: Buffer.from(att.content) });
  }
}

/** The Date the message was sent with (its Internet headers), else the time Outlook sent or received it. */
function dateOf(data: MsgFileData): Date | null {
  const header = data.headers?.match(/^Date:[ \t]*(.+(?:\r?\n[ \t].+)*)/im)?.[1];
  for (const text of [header, data.clientSubmitTime, data.messageDeliveryTime]) {
    if (!text) continue;
    const d = new Date(text.replace(/\s+/g, ' ').trim());
    if (!Number.isNaN(d.getTime())) return d;
  }
  return null;
}

function senderOf(data: MsgFileData): string | null {
  const fromHeader = data.headers?.match(/^From:[^\n]*?<?([^\s<>"]+@[^\s<>"]+)>?/im)?.[1];
  const smtp = data.senderSmtpAddress ?? (data.senderAddressType === 'SMTP' ? data.senderEmail : undefined) ?? fromHeader;
  return smtp && smtp.includes('@') ? smtp.toLowerCase() : null;
}
