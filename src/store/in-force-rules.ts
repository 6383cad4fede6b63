/**
 * The rule of putting a stored submission in force (restore, confirmation of a held file), decided the same way by every
 * engine before it writes anything. Pure: no engine, no SQL.
 */
import { UserError } from '../errors.ts';
import type { InForceReason, Submission } from './store.ts';

/**
 * Refuses, with a UserError the analyst can act on, to put in force a submission that cannot be: unknown (`target`
 * null), rejected, or a confirmation of one that is not held. One in force already passes (nothing changes then).
 */
export function refuseUnlessPuttable(submissionId: number, target: Submission | null, reason: Exclude<InForceReason, 'file'>): asserts target is Submission {
  if (!target) throw new UserError((run) => `Không có lần nhập #${submissionId}. Xem số thứ tự các lần nhập bằng "${run(['history'])}".`);
  const what = `Lần nhập #${target.id} (tệp ${target.fileName}, đơn vị ${target.unitCode}, năm ${target.year})`;
  if (target.status === 'rejected') {
    throw new UserError(`${what} đã bị từ chối vì có ${target.errorCount} lỗi: không thể đưa số liệu của nó vào dùng. Đơn vị cần gửi lại tệp đã sửa.`);
  }
  if (reason === 'confirmation' && target.status !== 'held' && target.status !== 'accepted') {
    throw new UserError((run) => `${what} không ở trạng thái tạm giữ nên không cần xác nhận; để dùng lại số liệu của nó, chạy "${run(['restore', String(target.id)])}".`);
  }
}
