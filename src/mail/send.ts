/**
 * The outbox at work: each letter is claimed in the store ('sending', committed) before it is handed over, and its
 * result recorded after ('sent', 'failed', 'drafted'). A letter sent or drafted already is not sent again; one that
 * failed is tried again; one left 'sending' by a run that stopped is checked before anything (docs/mail.md): found in
 * the mailbox as sent → recorded sent; surely not there → sent now; not checkable → listed, sent only when the analyst
 * says so (--resend-uncertain).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeFileAtomic } from '../fs/atomic.ts';
import { processAlive } from '../store/archive.ts';
import type { OutboxEntry, Store } from '../store/store.ts';
import type { Letter } from './compose.ts';
import { draftBytes, messageFields, newMessageId } from './message.ts';
import type { Sender } from './servers.ts';

export type LetterState = 'sent' | 'drafted' | 'failed' | 'already' | 'uncertain' | 'busy' | 'would_send';

export interface LetterResult {
  letter: Letter;
  state: LetterState;
  messageId: string | null;
  /** The earlier message (already) or the server's answer, the draft's path, why it failed. */
  detail: string | null;
  at: string | null;
}

export interface SendOptions {
  from: string;
  /** null: a dry run (nothing is claimed, nothing handed over). */
  db: Store;
  dryRun: boolean;
  /** SMTP, or drafts into this folder. */
  way: { smtp: Sender; copyToSelf: boolean } | { draftsDir: string };
  /** Whether a message left 'sending' reached the server: true found, false surely not, null cannot tell. */
  checkUncertain: ((messageIds: string[]) => Promise<Map<string, boolean | null>>) | null;
  resendUncertain: boolean;
  now: () => Date;
  /** How many letters are handed over at once (the SMTP pool's connections). */
  parallel: number;
  onProgress?: (r: LetterResult) => void;
}

const OWNER = `${os.hostname()}:${process.pid}`;

export async function sendLetters(letters: Letter[], o: SendOptions): Promise<LetterResult[]> {
  if (o.dryRun) return Promise.all(letters.map((l) => preview(l, o.db)));
  const checked = await checkLeftSending(letters, o);
  const results: LetterResult[] = new Array<LetterResult>(letters.length);
  let next = 0;
  const worker = async () => {
    while (next < letters.length) {
      const i = next++;
      results[i] = await sendOne(letters[i], o, checked);
      o.onProgress?.(results[i]);
    }
  };
  const parallel = 'smtp' in o.way ? Math.max(1, o.parallel) : 1;
  await Promise.all(Array.from({ length: Math.min(parallel, letters.length) }, worker));
  return results;
}

async function preview(l: Letter, db: Store): Promise<LetterResult> {
  const done = (await db.outbox({ unitCode: l.unitCode, year: l.year, kind: l.kind })).find((e) => e.dedupKey === l.dedupKey && e.state !== 'failed');
  if (!done) return { letter: l, state: 'would_send', messageId: null, detail: null, at: null };
  return { letter: l, state: done.state === 'sending' ? 'uncertain' : 'already', messageId: done.messageId, detail: describe(done), at: done.doneAt ?? done.handedAt };
}

/** The letters' messages left 'sending' by a run that stopped, looked for in the mailbox at once. */
async function checkLeftSending(letters: Letter[], o: SendOptions): Promise<Map<string, boolean | null>> {
  if (!o.checkUncertain) return new Map();
  const left: string[] = [];
  for (const l of letters) {
    const e = (await o.db.outbox({ unitCode: l.unitCode, year: l.year, kind: l.kind })).find((x) => x.dedupKey === l.dedupKey);
    if (e?.state === 'sending' && !ownerRunning(e)) left.push(e.messageId);
  }
  return left.length ? o.checkUncertain(left) : new Map();
}

/** A claim of a process still running on this machine (another send now); one of another machine cannot be told. */
function ownerRunning(e: OutboxEntry): boolean {
  const [host, pid] = (e.owner ?? '').split(':');
  return host === os.hostname() && Number(pid) !== process.pid && processAlive(Number(pid));
}

async function sendOne(l: Letter, o: SendOptions, checked: Map<string, boolean | null>): Promise<LetterResult> {
  const smtp = 'smtp' in o.way ? o.way : null;
  const messageId = newMessageId(l, o.from);
  const entry = {
    unitCode: l.unitCode, year: l.year, kind: l.kind, dedupKey: l.dedupKey, recipients: l.to.join(', '), subject: l.subject,
    attachmentName: l.attachment?.name ?? null, attachmentSha256: l.attachment?.sha256 ?? null, messageId, via: smtp ? 'smtp' as const : 'draft' as const,
    owner: OWNER, at: o.now().toISOString(),
  };
  let claim = await o.db.claimOutbox(entry);
  if (!claim.claimed) {
    const e = claim.entry;
    if (e.state !== 'sending') return { letter: l, state: 'already', messageId: e.messageId, detail: describe(e), at: e.doneAt ?? e.handedAt };
    if (ownerRunning(e)) return { letter: l, state: 'busy', messageId: e.messageId, detail: `đang được gửi bởi tiến trình ${e.owner}`, at: e.handedAt };
    const found = checked.get(e.messageId) ?? null;
    if (found === true) {
      await o.db.finishOutbox(e.id, 'sent', 'tìm thấy bản sao trong hộp thư (lần gửi trước bị ngắt)', o.now().toISOString());
      return { letter: l, state: 'already', messageId: e.messageId, detail: 'đã gửi (lần chạy trước bị ngắt; thấy bản sao trong hộp thư)', at: e.handedAt };
    }
    if (found === null && !o.resendUncertain) {
      return { letter: l, state: 'uncertain', messageId: e.messageId, detail: `lần gửi ${e.handedAt} bị ngắt giữa chừng, chưa rõ máy chủ đã nhận chưa`, at: e.handedAt };
    }
    claim = await o.db.claimOutbox(entry, { retake: true });
    if (!claim.claimed) return { letter: l, state: 'already', messageId: claim.entry.messageId, detail: describe(claim.entry), at: claim.entry.handedAt };
  }
  const id = claim.entry.id;
  const fields = messageFields(l, o.from, messageId, o.now(), smtp?.copyToSelf ? [bareAddress(o.from)] : []);
  if (!smtp) {
    const dir = (o.way as { draftsDir: string }).draftsDir;
    const file = path.join(dir, `${l.year}_${l.unitCode}_${l.kind}${l.kind === 'reminders' ? `_${l.dedupKey}` : ''}.eml`);
    fs.mkdirSync(dir, { recursive: true });
    writeFileAtomic(file, await draftBytes(fields));
    await o.db.finishOutbox(id, 'drafted', file, o.now().toISOString());
    return { letter: l, state: 'drafted', messageId, detail: file, at: o.now().toISOString() };
  }
  const h = await smtp.smtp.send(fields);
  const at = o.now().toISOString();
  if (h.ok) {
    await o.db.finishOutbox(id, 'sent', h.response, at);
    return { letter: l, state: 'sent', messageId, detail: h.response, at };
  }
  // Not known whether the server took it: left 'sending', checked by the next run rather than sent again blindly.
  if (!h.certain) return { letter: l, state: 'uncertain', messageId, detail: h.reason, at };
  await o.db.finishOutbox(id, 'failed', h.reason, at);
  return { letter: l, state: 'failed', messageId, detail: h.reason, at };
}

function describe(e: OutboxEntry): string {
  const how = e.state === 'drafted' ? 'đã soạn thư nháp' : e.state === 'sending' ? 'đang gửi dở' : 'đã gửi';
  return `${how} (${e.recipients})`;
}

/** "Sở GDĐT <sgddt@example.vn>" → "sgddt@example.vn". */
export function bareAddress(from: string): string {
  return /<([^>]+)>/.exec(from)?.[1]?.trim() ?? from.trim();
}
