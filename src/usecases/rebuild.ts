/**
 * `hoctap rebuild`: recreates hoctap.sqlite from the archive and the journal alone. Each file the journal lists is
 * ingested again from its archived bytes, in journal order, with the date it was received, the time it was ingested,
 * its names and its user; confirmations, restores, transitions of review (approvals, returns, locks: an approver's
 * confirmation with the change it allowed) and the mail sent and read are replayed (rebuild-review.ts). The new database is written beside the old one
 * and swapped in only when complete; the old one is kept as hoctap.sqlite.bak-<stamp>.
 *
 * A use case above ingest and the store: it re-ingests (src/ingest) into a new store (src/store/fresh.ts).
 */
import crypto from 'node:crypto';
import path from 'node:path';
import type { Workspace } from '../catalog/workspace.ts';
import { formatDayVi } from '../dates.ts';
import { UserError } from '../errors.ts';
import { ingest } from '../ingest/ingest.ts';
import { openFreshStore, readStoreJournal, storeJournalLength } from '../store/fresh.ts';
import type { ConfirmationEntry, EventEntry, SubmissionEntry, UnattributedEntry } from '../store/journal.ts';
import type { ForceConfirmation, Store } from '../store/store.ts';
import { Forces, replayMail, replayReview, type MailIds } from './rebuild-review.ts';

export interface RebuildOptions {
  /** Swap the new database in even when some files came out differently than the journal says. */
  force?: boolean;
  onStart?: (total: number) => void;
  onProgress?: (done: number, total: number) => void;
}

export interface RebuildResult {
  dbPath: string;
  /** The old database, kept (null when there was none). */
  backup: string | null;
  files: number;
  submissions: number;
  unattributed: number;
  /** Confirmations and restores replayed. */
  changes: number;
  /** Transitions of review made again (approve, return, unapprove, lock, unlock). */
  reviews: number;
  /** Lines of the outbox and of the messages read made again. */
  mail: number;
  /** What came out differently than the journal says (a catalog or roster changed since, a file missing…). */
  differences: string[];
  /** Journal lines that could not be read (the last one, cut by a crash, is expected). */
  unreadable: number;
}

const MAX_SHOWN = 10;

export async function rebuildStore(ws: Workspace, opts: RebuildOptions = {}): Promise<RebuildResult> {
  const { where: journalFile, read: journal } = await readStoreJournal(ws.dbPath);
  if (!journal) {
    throw new UserError(`Không có nhật ký ${journalFile}: không có gì để dựng lại (thư mục làm việc chưa nhập tệp nào, hoặc nhật ký đã bị chuyển đi).`);
  }
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').replace(/\..*$/, '');
  // The new store keeps its journal lines to itself until it is swapped in: the journal file is already complete.
  const fresh = await openFreshStore(ws.dbPath, stamp);
  const differences: string[] = journal.unreadable.filter((u) => !u.last).map((u) => `dòng không đọc được trong nhật ký (vị trí ${u.offset}): ${u.text}`);
  // A file's own change of what is in force, and an approver's confirmation, are made again with the file or change.
  const work = journal.entries.filter((e) => (e.type !== 'event' || e.reason !== 'file') && (e.type !== 'review' || e.action !== 'force'));
  const forces = new Forces(journal.entries);
  const counts = { files: 0, submissions: 0, unattributed: 0, changes: 0, reviews: 0, mail: 0 };
  opts.onStart?.(work.length);
  try {
    await fresh.store.transaction(async (tx) => {
      // Journal submission id → new submission id (the same, unless the replay came out differently).
      const ids = new Map<number, number>();
      const mailIds: MailIds = { outbox: new Map(), seen: new Map() };
      for (const [i, entry] of work.entries()) {
        if (entry.type === 'event') await replayChange(tx, entry, ids, differences, counts, forces.ofEvent(entry));
        else if (entry.type === 'confirmation') await replayConfirmation(tx, entry, ids, differences);
        else if (entry.type === 'review') counts.reviews += Number(await replayReview(tx, entry, differences));
        else if (entry.type === 'submission' || entry.type === 'unattributed') await replayFile(ws, tx, entry, ids, differences, counts, forces);
        else {
          await replayMail(tx, entry, mailIds, differences);
          counts.mail++;
        }
        opts.onProgress?.(i + 1, work.length);
      }
      if (differences.length && !opts.force) {
        const shown = differences.slice(0, MAX_SHOWN).map((d) => `\n  - ${d}`).join('');
        const more = differences.length > MAX_SHOWN ? `\n  … và ${differences.length - MAX_SHOWN} khác biệt khác` : '';
        throw new UserError(`Dựng lại cho kết quả khác với nhật ký ở ${differences.length} chỗ; cơ sở dữ liệu hiện có không bị thay đổi.${shown}${more}\nKiểm tra lại (danh mục, danh sách đơn vị, kho lưu trữ), hoặc thêm --force để vẫn dùng bản dựng lại.`);
      }
      // The journal file as read is exactly what the new store holds: its lines all count as written, up to its end.
      await tx.adoptJournal(journal.size);
    });
    await fresh.close();
  } catch (e) {
    await fresh.discard();
    throw e;
  }
  if (await storeJournalLength(ws.dbPath) !== journal.size) {
    await fresh.discard();
    throw new UserError((run) => `Trong lúc dựng lại, một lệnh khác đã ghi thêm vào nhật ký: chưa thay cơ sở dữ liệu. Chạy lại "${run(['rebuild'])}" khi không còn lệnh nào khác đang chạy.`);
  }
  const { backup } = await fresh.install();
  return { dbPath: ws.dbPath, backup, ...counts, differences, unreadable: journal.unreadable.length };
}

async function replayFile(ws: Workspace, db: Store, entry: SubmissionEntry | UnattributedEntry, ids: Map<number, number>,
  differences: string[], counts: { files: number; submissions: number; unattributed: number }, forces: Forces): Promise<void> {
  const where = `tệp ${entry.label} (nhận ngày ${formatDayVi(entry.receivedAt)})`;
  const file = path.resolve(ws.dir, entry.archive);
  const bytes = await db.archive.read(entry.archive);
  if (!bytes) {
    differences.push(`${where}: thiếu bản lưu trữ ${entry.archive}`);
    return;
  }
  // Bytes that are not what was received are not stored again.
  if (crypto.createHash('sha256').update(bytes).digest('hex') !== entry.sha256) {
    differences.push(`${where}: bản lưu trữ ${entry.archive} đã bị thay đổi (mã băm khác), không nhập lại`);
    return;
  }
  const result = await ingest(ws, [file], {
    db, now: new Date(entry.ingestedAt), receivedAt: new Date(entry.receivedAt), year: entry.expectedYear ?? undefined, user: entry.user,
    hold: entry.type === 'submission' && entry.status === 'held',
    // Went in force over approved figures or a locked year: with the approver's confirmation it had.
    force: entry.type === 'submission' ? forces.ofSubmission(entry.id) : undefined,
    // A file accepted then stays accepted whatever its signature says now (the key may be lost or replaced).
    replay: { fileName: entry.file, label: entry.label, accepted: entry.type === 'submission' && entry.status !== 'rejected' },
  });
  const f = result.files[0];
  counts.files++;
  if (entry.type === 'unattributed') {
    counts.unattributed++;
    if (f.unit !== null || f.messages[0]?.code !== entry.code) differences.push(`${where}: trước không xác định được đơn vị (${entry.code}), nay ${f.unit ? `là của đơn vị ${f.unit}` : `lý do khác (${f.messages[0]?.code})`}`);
    return;
  }
  counts.submissions++;
  const id = f.submissionId ?? f.duplicateOf?.submissionId ?? null;
  if (id !== null) ids.set(entry.id, id);
  const was = entry.status === 'rejected' ? 'rejected' : 'accepted';
  if (f.unit !== entry.unit || f.year !== entry.year) {
    differences.push(`${where}: trước là của đơn vị ${entry.unit} năm ${entry.year}, nay ${f.unit ?? 'không xác định'} năm ${f.year ?? '?'}`);
  } else if (f.status !== was) {
    const words: Record<string, string> = { accepted: 'được chấp nhận', rejected: 'bị từ chối', duplicate: 'trùng với một lần nhập trước' };
    differences.push(`${where}: trước ${words[was]}, nay ${words[f.status] ?? f.status}${f.reason && f.status === 'rejected' ? ` (${f.reason})` : ''}`);
  }
  // Ids shift after a file that could not be stored again; restores and confirmations follow the new ids (ids).
}

/** The analyst's confirmation of a figure, made again over the submission then in force (the one it was made over). */
async function replayConfirmation(db: Store, entry: ConfirmationEntry, ids: Map<number, number>, differences: string[]): Promise<void> {
  const made = await db.confirmFigures({ at: entry.at, user: entry.user, unitCode: entry.unit, year: entry.year, indicatorId: entry.indicator, reason: entry.reason })
    .catch(() => null);
  if (made?.submissionId !== ids.get(entry.submission)) differences.push(`xác nhận số liệu chỉ số ${entry.indicator} của ${entry.unit} ngày ${formatDayVi(entry.at)}: không còn gắn với lần nhập #${entry.submission}`);
}

async function replayChange(db: Store, entry: EventEntry, ids: Map<number, number>, differences: string[], counts: { changes: number },
  force: ForceConfirmation | undefined): Promise<void> {
  const what = `${entry.reason === 'restore' ? 'khôi phục' : 'xác nhận'} lần nhập #${entry.in} ngày ${formatDayVi(entry.at)}`;
  const target = entry.in === null ? undefined : ids.get(entry.in);
  if (target === undefined) {
    differences.push(`${what}: lần nhập đó không dựng lại được`);
    return;
  }
  try {
    const r = await db.putInForce(target, entry.reason as 'restore' | 'confirmation', entry.user, new Date(entry.at), force);
    counts.changes++;
    const out = r.changed ? (r.out?.id ?? null) : target;
    const expected = entry.out === null ? null : (ids.get(entry.out) ?? -1);
    if (out !== expected) differences.push(`${what}: trước thay cho lần nhập ${entry.out === null ? '(không có)' : `#${entry.out}`}, nay ${r.changed ? (out === null ? 'không thay cho lần nào' : `thay cho #${out}`) : 'lần nhập đó đã đang được dùng'}`);
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    differences.push(`${what}: ${e.message}`);
  }
}
