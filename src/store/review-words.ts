/**
 * The words of review that the store and the commands share: why a unit and year's figures in force cannot change (it
 * is approved, or its year locked), the one line of a revision conflict, and the rule of a review transition. Pure: no
 * engine, no SQL.
 */
import { formatMomentVi } from '../dates.ts';
import { UserError, type HintedWords } from '../errors.ts';
import type { ReviewRequest, ReviewState, UnitReview, YearLock } from './store.ts';

const UNKNOWN_USER = 'không rõ';

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
