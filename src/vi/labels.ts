/**
 * The Vietnamese words every output shares: verdicts, directions, ratings, statuses, severities. One home for each, so
 * that the terminal, the feedback copies, the templates and the report say the same thing (docs/glossary.md lists them).
 */

/**
 * Đạt / Chưa đạt / Thiếu số liệu / Chưa kết luận: pending, an indicator resting on figures a query found impossible,
 * until the unit explains them or the analyst confirms them (hoctap confirm).
 */
export const VERDICTS = ['met', 'not_met', 'missing', 'pending'] as const;
export type Verdict = (typeof VERDICTS)[number];
export const VERDICT_LABELS: Record<Verdict, string> = { met: 'Đạt', not_met: 'Chưa đạt', missing: 'Thiếu số liệu', pending: 'Chưa kết luận' };
/** Why an indicator is pending, said beside its label. */
export const PENDING_REASON = 'chờ đơn vị giải trình';

/** Said of an indicator that has no target in force in the year. */
export const NO_TARGET_LABEL = 'Chưa có chỉ tiêu';

/** The way a figure moved, as computed or as a unit answered it. */
export type Direction = 'increase' | 'decrease' | 'same';
export const DIRECTION_LABELS: Record<Direction, string> = { increase: 'Tăng', decrease: 'Giảm', same: 'Không đổi' };
/** The answers a unit may give in a Tăng/Giảm cell (the template's list). */
export const DIRECTION_OPTIONS = [DIRECTION_LABELS.increase, DIRECTION_LABELS.decrease] as const;

/** The five-level rating of the appendix, value → label. */
export const RATING_LABELS: Record<number, string> = { 5: 'Xuất sắc', 4: 'Rất tốt', 3: 'Tốt', 2: 'Khá', 1: 'Yếu' };

/** How serious a finding about a file is. */
export type Severity = 'error' | 'warning';
export const SEVERITY_LABELS: Record<Severity, string> = { error: 'Lỗi', warning: 'Cảnh báo' };

/** Where a unit stands in a year's collection. */
export type UnitState = 'on_time' | 'late' | 'held' | 'rejected' | 'missing';
export const UNIT_STATE_LABELS: Record<UnitState, string> = {
  on_time: 'Đã nhận, đúng hạn', late: 'Đã nhận, trễ hạn', held: 'Chờ xác nhận', rejected: 'Bị từ chối', missing: 'Chưa nộp',
};

/** A stored submission's state (docs/glossary.md). */
export const SUBMISSION_STATUS_LABELS: Record<string, string> = { accepted: 'Đang dùng', superseded: 'Đã được thay thế', rejected: 'Bị từ chối', held: 'Tạm giữ' };

/** Why what is in force changed. */
export const IN_FORCE_REASON_LABELS = { file: 'Tệp mới được chấp nhận', confirmation: 'Xác nhận bản tạm giữ', restore: 'Khôi phục bản trước' } as const;

/** The glossary's names of the files and states the analyst meets in every command. */
export const TERMS = {
  /** The copy of a checked file, with its cells marked, sent back to the unit. */
  feedbackCopy: 'Bản kiểm tra gửi lại đơn vị',
  /** An accepted submission whose figures are the ones used. */
  inForce: 'Đang dùng',
} as const;

/**
 * How a group of changed figures is named: an indicator by its id; the figures that belong to no indicator (the report
 * sheet's texts, activity figures and contact) by the sheet they are asked on.
 */
export function changedGroupLabel(indicatorId: string): string {
  return indicatorId || 'phần nội dung báo cáo (trang BaoCao)';
}

/** A unit and year's review state (docs/review.md). */
export const REVIEW_STATE_LABELS: Record<'received' | 'returned' | 'approved', string> = { received: 'Chờ duyệt', returned: 'Trả lại', approved: 'Đã duyệt' };

/** A transition of review, as history lists it. */
export const REVIEW_ACTION_LABELS: Record<'approve' | 'return' | 'unapprove' | 'lock' | 'unlock' | 'force', string> = {
  approve: 'Duyệt', return: 'Trả lại đơn vị', unapprove: 'Bỏ duyệt', lock: 'Khóa năm', unlock: 'Mở khóa năm', force: 'Người duyệt cho thay số liệu đã duyệt',
};
