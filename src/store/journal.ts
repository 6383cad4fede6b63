/**
 * The journal: every stored file, every change of what is in force, every transition of review and every message of
 * the outbox and of the mailbox read, one JSON line each, in the workspace's archive
 * (archive/journal.jsonl) next to the files themselves. With the archive it is enough to recreate the database
 * (`hoctap rebuild`) when hoctap.sqlite is lost or damaged.
 *
 * The lines are also kept in the database (table journal), written in the same transaction as what they describe; just
 * before that transaction commits, the new lines are appended to the file and fsync'd, and where each ends in the file
 * is recorded in the transaction (end_offset). So the file always holds every committed line. A writer killed
 * between its append and its commit leaves lines the database does not have: the next writer finds the file longer
 * than recorded and appends a "void" line naming those bytes, which rebuild skips. Nothing is ever cut off the file.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { NewOutboxEntry, NewSeenMessage, OutboxState } from './mail-types.ts';
import type { ReviewAction } from './review-types.ts';

export const JOURNAL_FILE = 'journal.jsonl';

/** The journal of a database file: <folder of the database>/archive/journal.jsonl. */
export function journalPathFor(dbFile: string): string {
  return path.join(path.dirname(dbFile), 'archive', JOURNAL_FILE);
}

export type InForceReason = 'file' | 'confirmation' | 'restore';

/** A file stored as a submission (whatever its status then: accepted, rejected or held). */
export interface SubmissionEntry {
  type: 'submission';
  id: number;
  unit: string;
  year: number;
  /** As stored then; a later change of what is in force is an event of its own. */
  status: 'accepted' | 'rejected' | 'held';
  /** The file's own name, and the name its messages used (a relative path when two files of a batch shared a name). */
  file: string;
  label: string;
  sha256: string;
  /** Relative to the workspace. */
  archive: string;
  kind: 'xlsx' | 'csv';
  receivedAt: string;
  ingestedAt: string;
  user: string | null;
  /** The --year the file was checked against, if any. */
  expectedYear: number | null;
}

/** A file that names no unit, recorded with its reason. */
export interface UnattributedEntry {
  type: 'unattributed';
  id: number;
  file: string;
  label: string;
  sha256: string;
  archive: string;
  code: string;
  receivedAt: string;
  ingestedAt: string;
  user: string | null;
  expectedYear: number | null;
}

/** A change of what is in force for a unit and year. */
export interface EventEntry {
  type: 'event';
  id: number;
  at: string;
  user: string | null;
  reason: InForceReason;
  unit: string;
  year: number;
  in: number | null;
  out: number | null;
}

/** The analyst confirmed a unit's figures of an indicator a query found impossible (hoctap confirm). */
export interface ConfirmationEntry {
  type: 'confirmation';
  id: number;
  at: string;
  user: string | null;
  unit: string;
  year: number;
  indicator: string;
  /** The submission in force then, which the confirmation holds for. */
  submission: number;
  reason: string;
}

/**
 * A transition of review (docs/review.md), written with the state it changes: approve, return, unapprove (of a unit and
 * year), lock, unlock (of a year: `unit` null), force (an approver's confirmation, in the transaction of the change of
 * what is in force it allowed: the event line that follows it). Rebuild makes each again, in order; `rev` is the
 * revision it made, compared with the one the replay makes.
 */
export interface ReviewEntry {
  type: 'review';
  id: number;
  at: string;
  user: string | null;
  action: ReviewAction;
  unit: string | null;
  year: number;
  reason: string | null;
  rev: number;
}

/**
 * A message of the outbox claimed (recorded 'sending' before it is handed over: src/mail), as asked; `retake`: a message
 * left 'sending' by a run that stopped, taken over. Rebuild claims it again, so that no message is sent twice after it.
 */
export interface OutboxClaimEntry { type: 'outbox'; id: number; message: NewOutboxEntry; retake: boolean }

/** The outcome of a message of the outbox: sent, failed or drafted. */
export interface OutboxDoneEntry { type: 'outbox_done'; id: number; state: Exclude<OutboxState, 'sending'>; result: string | null; at: string }

/** A message read from the mailbox (or a saved .eml given to ingest) claimed; `staleBefore` as the claim was asked. */
export interface SeenClaimEntry { type: 'mail_seen'; id: number; message: NewSeenMessage; staleBefore: string }

/** A message read done: where it is kept whole, and what its attachments came to. */
export interface SeenDoneEntry { type: 'mail_seen_done'; id: number; archivePath: string | null; result: string; at: string }

/** Bytes [from, to) of the file belong to a transaction that never committed. Only in the file. */
export interface VoidEntry { type: 'void'; from: number; to: number; at: string }

export type JournalEntry = SubmissionEntry | UnattributedEntry | EventEntry | ConfirmationEntry | ReviewEntry
  | OutboxClaimEntry | OutboxDoneEntry | SeenClaimEntry | SeenDoneEntry;

const ENTRY_TYPES: readonly string[] = [
  'submission', 'unattributed', 'event', 'confirmation', 'review', 'outbox', 'outbox_done', 'mail_seen', 'mail_seen_done', 'void',
] satisfies (JournalEntry | VoidEntry)['type'][];

/**
 * Appends lines to the journal and fsyncs it; returns where each line ends in the file. `committed` is the length
 * the database knows (the end of its last committed line). A longer file ends with lines that were never committed:
 * a void line names them. A shorter one was cut or removed by someone: it is kept aside and written again from
 * `rewrite().lines` (the committed lines), whose new ends are given to `rewrite().ended`.
 */
export function appendToJournal(file: string, committed: number, lines: string[],
  rewrite: () => { lines: string[]; ended: (ends: number[]) => void }): number[] {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  let size = fs.existsSync(file) ? fs.statSync(file).size : 0;
  const created = size === 0;
  let text = '';
  if (size < committed) {
    if (fs.existsSync(file)) fs.renameSync(file, `${file}.cut-${stamp()}`);
    const again = rewrite();
    const ends: number[] = [];
    let at = 0;
    for (const l of again.lines) ends.push((at += Buffer.byteLength(l) + 1));
    writeSynced(file, again.lines.map((l) => l + '\n').join(''), 'w');
    again.ended(ends);
    size = at;
  } else if (size > committed) {
    // The crashed writer may have stopped in the middle of a line: the void line starts on a line of its own.
    const fd = fs.openSync(file, 'r');
    const last = Buffer.alloc(1);
    fs.readSync(fd, last, 0, 1, size - 1);
    fs.closeSync(fd);
    if (last[0] !== 0x0a) text += '\n';
    const entry: VoidEntry = { type: 'void', from: committed, to: size, at: new Date().toISOString() };
    text += JSON.stringify(entry) + '\n';
  }
  let at = size + Buffer.byteLength(text);
  const ends = lines.map((l) => (at += Buffer.byteLength(l) + 1));
  text += lines.map((l) => l + '\n').join('');
  writeSynced(file, text, 'a');
  if (created) syncFolder(path.dirname(file));
  return ends;
}

function writeSynced(file: string, text: string, flags: 'a' | 'w'): void {
  const fd = fs.openSync(file, flags);
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** A new file's name is durable only once its folder is synced (not possible on every system: best effort). */
function syncFolder(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try { fs.fsyncSync(fd); } finally { fs.closeSync(fd); }
  } catch {
    // Windows cannot open a folder; its file system orders this itself.
  }
}

function stamp(): string {
  return new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
}

export interface JournalRead {
  entries: JournalEntry[];
  /**
   * Lines that could not be read, outside the void ranges. `last`: the file's last line, without its newline: a line
   * cut by a crash while it was written (its transaction never committed).
   */
  unreadable: { offset: number; text: string; last: boolean }[];
  /** The file's length when read. */
  size: number;
}

/** Reads the journal, the void ranges left out. */
export function readJournal(file: string): JournalRead {
  const buf = fs.readFileSync(file);
  const lines: { offset: number; text: string; last: boolean }[] = [];
  let start = 0;
  while (start < buf.length) {
    let end = buf.indexOf(0x0a, start);
    const last = end < 0;
    if (last) end = buf.length;
    const text = buf.subarray(start, end).toString('utf8');
    if (text.trim()) lines.push({ offset: start, text, last });
    start = end + 1;
  }
  const parsed = lines.map((l) => ({ ...l, value: parseLine(l.text) }));
  const voids = parsed.map((l) => l.value).filter((v): v is VoidEntry => v?.type === 'void');
  const voided = (offset: number) => voids.some((v) => offset >= v.from && offset < v.to);
  const entries: JournalEntry[] = [];
  const unreadable: JournalRead['unreadable'] = [];
  for (const l of parsed) {
    if (voided(l.offset) || l.value?.type === 'void') continue;
    if (l.value) entries.push(l.value);
    else unreadable.push({ offset: l.offset, text: l.text.slice(0, 200), last: l.last });
  }
  return { entries, unreadable, size: buf.length };
}

function parseLine(text: string): JournalEntry | VoidEntry | null {
  try {
    const v = JSON.parse(text) as { type?: unknown };
    return v && typeof v === 'object' && ENTRY_TYPES.includes(v.type as string) ? (v as JournalEntry | VoidEntry) : null;
  } catch {
    return null;
  }
}
