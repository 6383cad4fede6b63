/**
 * The words of review that the store and the commands share: why a unit and year's figures in force cannot change (it
 * is approved, or its year locked), the one line of a revision conflict, and the rule of a review transition. Pure: no
 * engine, no SQL.
 */
import { formatMomentVi } from '../dates.ts';
import { UserError, type HintedWords } from '../errors.ts';
import type { ReviewRequest, ReviewState, UnitReview, YearLock } from './store.ts';

const UNKNOWN_USER = 'không rõ';

/** A unit and year never reviewed: received, at revision 0 (no row yet in unit_reviews). */
export const neverReviewed = (unitCode: string, year: number): UnitReview =>
  ({ unitCode, year, rev: 0, state: 'received', reason: null, changedAt: null, changedBy: null });

/** A year never locked (no row yet in year_locks). */
export const neverLocked = (year: number): YearLock => ({ year, locked: false, rev: 0, reason: null, changedAt: null, changedBy: null });

/** How many units a refusal to lock names. */
const UNITS_NAMED = 10;

/**
 * Why a year cannot lock, from its units with figures in force and their review state (null: it may): it locks only
 * when it has figures in force and every unit with figures in force is approved.
 */
export function lockRefusal(year: number, inForceUnits: readonly { unit_code: string; state: ReviewState | null }[]): UserError | null {
  if (!inForceUnits.length) return new UserError(`Năm ${year} chưa có số liệu nào đang dùng: không có gì để khóa.`);
  const pending = inForceUnits.filter((u) => u.state !== 'approved').map((u) => u.unit_code);
  if (!pending.length) return null;
  const named = pending.slice(0, UNITS_NAMED).join(', ') + (pending.length > UNITS_NAMED ? ` và ${pending.length - UNITS_NAMED} đơn vị khác` : '');
  return new UserError((run) => `Chưa khóa được năm ${year}: ${pending.length}/${inForceUnits.length} đơn vị có số liệu đang dùng chưa được duyệt (${named}). ` +
    `Duyệt trước bằng "${run(['approve', pending[0], '--year', String(year)])}" (có thể ghi nhiều mã đơn vị).`);
}

/** "bởi an, 09/12/2024 14:30" (who and when, as far as known). */
export function byWhom(user: string | null, at: string | null): string {
  return `bởi ${user ?? UNKNOWN_USER}${at ? `, ${formatMomentVi(at)}` : ''}`;
}

/**
 * Why the figures in force of a unit and year are final, or null when they are not: the year is locked, or the unit's
 * figures are approved.
 */
export function frozenReason(review: UnitReview, lock: YearLock): string | null {
  if (lock.locked) return `năm ${lock.year} đã khóa (${byWhom(lock.changedBy, lock.changedAt)}): số liệu của năm là số liệu chính thức`;
  if (review.state === 'approved') return `số liệu của đơn vị ${review.unitCode} năm ${review.year} đã được duyệt (${byWhom(review.changedBy, review.changedAt)})`;
  return null;
}

/** What the approver may do about a frozen unit and year: unlock the year, or unapprove the unit, or force one file. */
export function frozenRemedy(review: UnitReview, lock: YearLock): HintedWords {
  const y = String(review.year);
  return (run) => lock.locked
    ? `người duyệt mở khóa năm bằng ${run(['unlock', '--year', y, '--reason', '<lý do>'])}`
    : `người duyệt bỏ duyệt bằng ${run(['unapprove', review.unitCode, '--year', y, '--reason', '<lý do>'])}`;
}

/**
 * The one line of a conflict: another change of the unit and year (or of the year, `unitCode` null) came between the
 * revision a command read and its write; nothing was written.
 */
export function conflictWords(what: { unitCode: string | null; year: number; rev: number; changedBy: string | null; changedAt: string | null }, seenRev: number): HintedWords {
  const subject = what.unitCode === null ? `năm ${what.year}` : `đơn vị ${what.unitCode} năm ${what.year}`;
  return (run) => `Xung đột: ${subject} vừa được thay đổi ${byWhom(what.changedBy, what.changedAt)} (phiên bản ${what.rev}, lệnh này đã đọc phiên bản ${seenRev}): ` +
    `không có gì được ghi. Xem lại bằng "${run(['status', '--year', String(what.year)])}" rồi chạy lại lệnh.`;
}

/**
 * The transition a review request asks of a unit and year, decided the same way by every engine: the next state, or
 * null when it is there already; a request that cannot apply is a UserError and nothing is written.
 */
export function nextReview(r: UnitReview, action: ReviewRequest['action'], year: number, reason: string | null, hasInForce: boolean): { state: ReviewState; reason: string | null } | null {
  const what = `Đơn vị ${r.unitCode} năm ${year}`;
  const nothing = `không có gì được ghi`;
  if (action !== 'unapprove' && !hasInForce) {
    throw new UserError(`${what} chưa có số liệu đang dùng: không có gì để ${action === 'approve' ? 'duyệt' : 'trả lại'}; ${nothing}.`);
  }
  if (action === 'approve') return r.state === 'approved' ? null : { state: 'approved', reason: null };
  if (action === 'return') {
    if (r.state === 'approved') {
      throw new UserError((run) => `${what} đã được duyệt: muốn trả lại, bỏ duyệt trước bằng ${run(['unapprove', r.unitCode, '--year', String(year), '--reason', '<lý do>'])}; ${nothing}.`);
    }
    return { state: 'returned', reason };
  }
  if (r.state !== 'approved') throw new UserError(`${what} chưa được duyệt: không có gì để bỏ duyệt; ${nothing}.`);
  return { state: 'received', reason };
}

/** The reason a return, an unapproval or an unlock needs, trimmed; its absence refused (it goes into history and the feedback). */
export function reviewReason(action: 'trả lại' | 'bỏ duyệt' | 'mở khóa', reason: string | null): string {
  const text = reason?.trim() ?? '';
  if (!text) throw new UserError(`Cần ghi lý do (--reason "…") cho việc ${action}: lý do được lưu vào lịch sử${action === 'trả lại' ? ' và gửi cho đơn vị' : ''}.`);
  return text;
}

/** A locked year's review states do not change: the refusal, naming who locked it and how to unlock. */
export function refuseIfLocked(lock: YearLock): void {
  if (!lock.locked) return;
  throw new UserError((run) => `Năm ${lock.year} đã khóa (${byWhom(lock.changedBy, lock.changedAt)}): trạng thái duyệt không đổi được; muốn sửa, ` +
    `người duyệt mở khóa trước bằng ${run(['unlock', '--year', String(lock.year), '--reason', '<lý do>'])}. Không có gì được ghi.`);
}

/**
 * A change of what is in force, as review sees it: refused when the unit is approved or its year locked, unless an
 * approver forces it (`forced`: the force is recorded); a returned unit is received again.
 */
export function inForceReview(r: UnitReview, lock: YearLock, force: boolean): { next: { state: ReviewState; reason: string | null }; forced: boolean } {
  const frozen = frozenReason(r, lock);
  if (frozen && !force) {
    throw new UserError((run) => `${frozen[0].toUpperCase()}${frozen.slice(1)}: số liệu đang dùng không đổi; muốn thay, ${frozenRemedy(r, lock)(run)}, ` +
      `hoặc người duyệt nhập lại đúng tệp đó với --force --reason "<lý do>". Không có gì được ghi.`);
  }
  const next = r.state === 'returned' ? { state: 'received' as const, reason: null } : { state: r.state, reason: r.reason };
  return { next, forced: frozen !== null };
}
