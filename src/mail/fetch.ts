/**
 * fetch-mail: the unseen messages of a mailbox folder (IMAP), each claimed in the store (never ingested twice, even
 * from a second PC on a shared store), kept whole as .eml (mail-in/<time>/ for the analyst, and the archive), its
 * attachments ingested through the e-mail path of ingest (received on the message's date, the sender compared with the
 * roster), then marked seen or moved. A reply to a template mail is known by its In-Reply-To/References (the outbox:
 * answeredBy, the rule ingest's .eml path follows too).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import type { ImapFlow } from 'imapflow';
import type { Workspace } from '../catalog/workspace.ts';
import { fileStamp } from '../dates.ts';
import { UserError } from '../errors.ts';
import { writeFileAtomic } from '../fs/atomic.ts';
import { answeredBy, threadOf } from '../ingest/email.ts';
import { messageSummary } from '../ingest/email-parts.ts';
import { ingest } from '../ingest/ingest.ts';
import type { BatchResult, FileResult } from '../ingest/types.ts';
import { archivePathFor } from '../store/archive.ts';
import type { OutboxEntry, SeenMessage, Store } from '../store/store.ts';
import { openImap, type ImapSettings } from './servers.ts';

/** A claim older than this was left by a run that stopped: taken over (ingest itself never stores a file twice). */
const STALE_CLAIM_MS = 15 * 60 * 1000;

export interface FetchedMessage {
  uid: number;
  messageKey: string;
  from: string | null;
  subject: string | null;
  date: string | null;
  /** The template mail (or other hoctap message) it answers, if any. */
  answers: OutboxEntry | null;
  /** 'ingested': its attachments went through ingest; 'own': a copy of hoctap's own message; 'seen': done before. */
  state: 'ingested' | 'own' | 'seen' | 'busy' | 'would_ingest';
  eml: string | null;
  files: FileResult[];
}

export interface FetchResult { folder: string; messages: FetchedMessage[]; batch: BatchResult | null }

export interface FetchOptions { year?: number; dryRun: boolean; now?: Date; onProgress?: (done: number, total: number) => void }

export async function fetchMail(ws: Workspace, db: Store, imap: ImapSettings, opts: FetchOptions): Promise<FetchResult> {
  const folder = imap.folder ?? 'INBOX';
  const client = await openImap(imap);
  const now = opts.now ?? new Date();
  try {
    const lock = await client.getMailboxLock(folder).catch(() => {
      throw new UserError(`Không mở được thư mục "${folder}" trong hộp thư IMAP ${imap.host} (kiểm tra "folder" trong cấu hình "mail.imap").`);
    });
    try {
      return await fetchFolder(ws, db, client, { folder, moveTo: imap.moveTo ?? null, now, ...opts });
    } finally {
      lock.release();
    }
  } finally {
    await client.logout().catch(() => undefined);
  }
}

interface Run extends FetchOptions { folder: string; moveTo: string | null; now: Date }

async function fetchFolder(ws: Workspace, db: Store, client: ImapFlow, run: Run): Promise<FetchResult> {
  const uids = (await client.search({ seen: false }, { uid: true })) || [];
  const messages: FetchedMessage[] = [];
  const toIngest: { m: FetchedMessage; seen: SeenMessage | null }[] = [];
  const dir = path.join(ws.dir, 'mail-in', fileStamp(run.now));
  const staleBefore = new Date(run.now.getTime() - STALE_CLAIM_MS).toISOString();
  let dryDir: string | null = null;
  // The messages' bytes in one FETCH (no other command may run while it streams), then each in turn.
  const sources = new Map<number, Buffer>();
  if (uids.length) {
    for await (const got of client.fetch(uids.join(','), { source: true, uid: true }, { uid: true })) if (got.source) sources.set(got.uid, got.source);
  }
  for (const [i, uid] of uids.entries()) {
    const source = sources.get(uid);
    if (!source) continue;
    // A message the parser cannot read still goes to ingest, which refuses it with its reason (email_unreadable).
    const mail = await simpleParser(source, { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true }).catch(() => null);
    const thread = mail ? threadOf(mail) : { messageId: null, answers: [] };
    const messageKey = thread.messageId ?? `sha256:${crypto.createHash('sha256').update(source).digest('hex')}`;
    const { own, answers } = await answeredBy(db, thread);
    const m: FetchedMessage = {
      uid, messageKey, from: mail?.from?.value.find((a) => a.address)?.address?.toLowerCase() ?? null, subject: mail?.subject ?? null,
      date: mail?.date && !Number.isNaN(mail.date.getTime()) ? mail.date.toISOString() : null,
      answers, state: own ? 'own' : 'would_ingest', eml: null, files: [],
    };
    messages.push(m);
    run.onProgress?.(i + 1, uids.length);
    if (run.dryRun) {
      if (!own) toIngest.push({ m: { ...m, eml: writeEml(dryDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'hoctap-mail-')), i, uid, source) }, seen: null });
      continue;
    }
    const claim = await db.claimSeenMessage({
      messageKey, mailbox: run.folder, uid, sender: m.from, subject: m.subject, receivedAt: m.date,
      unitCode: m.answers?.unitCode ?? null, year: m.answers?.year ?? null, owner: `${os.hostname()}:${process.pid}`, at: run.now.toISOString(),
    }, staleBefore);
    if (!claim.claimed) {
      m.state = claim.seen.state === 'done' ? 'seen' : 'busy';
      if (m.state === 'seen') await markDone(client, uid, run.moveTo);
      continue;
    }
    if (own) {
      await db.finishSeenMessage(claim.seen.id, null, 'bản sao thư hoctap đã gửi: không nhập', new Date().toISOString());
      await markDone(client, uid, run.moveTo);
      continue;
    }
    m.eml = writeEml(dir, i, uid, source);
    toIngest.push({ m, seen: claim.seen });
  }
  try {
    const batch = await ingestMessages(ws, db, client, toIngest, run);
    if (run.dryRun) messages.splice(0, messages.length, ...messages.map((m) => toIngest.find((x) => x.m.uid === m.uid)?.m ?? m));
    return { folder: run.folder, messages, batch };
  } finally {
    if (dryDir) fs.rmSync(dryDir, { recursive: true, force: true });
  }
}

/** The message as received, whole, under a name that sorts in the order read. */
function writeEml(dir: string, i: number, uid: number, source: Buffer): string {
  const file = path.join(dir, `${String(i + 1).padStart(4, '0')}_uid${uid}.eml`);
  fs.mkdirSync(dir, { recursive: true });
  writeFileAtomic(file, source);
  return file;
}

/** The messages' attachments in one ingest batch; each message then archived, recorded done and marked (or moved). */
async function ingestMessages(ws: Workspace, db: Store, client: ImapFlow, list: { m: FetchedMessage; seen: SeenMessage | null }[], run: Run): Promise<BatchResult | null> {
  if (!list.length) return null;
  const batch = await ingest(ws, list.map((x) => x.m.eml!), { year: run.year, db, dryRun: run.dryRun });
  if (run.dryRun) {
    for (const { m } of list) m.files = filesOf(batch, m);
    return batch;
  }
  for (const { m, seen } of list) {
    m.files = filesOf(batch, m);
    m.state = 'ingested';
    const bytes = fs.readFileSync(m.eml!);
    const sha = crypto.createHash('sha256').update(bytes).digest('hex');
    const { dir, file } = archivePathFor(ws.archiveDir, sha, 'eml');
    if (!fs.existsSync(file)) {
      fs.mkdirSync(dir, { recursive: true });
      writeFileAtomic(file, bytes);
    }
    await db.finishSeenMessage(seen!.id, path.relative(ws.dir, file), messageSummary(m.files), new Date().toISOString());
    // Marked once recorded done: a crash before leaves it unseen in the mailbox, and known as done by the store.
    await markDone(client, m.uid, run.moveTo);
  }
  return batch;
}

async function markDone(client: ImapFlow, uid: number, moveTo: string | null): Promise<void> {
  if (moveTo) await client.messageMove(String(uid), moveTo, { uid: true });
  else await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
}

function filesOf(batch: BatchResult, m: FetchedMessage): FileResult[] {
  const name = path.basename(m.eml!);
  return batch.files.filter((f) => f.file === name || f.file.startsWith(`${name} ›`));
}
