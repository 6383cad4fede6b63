/**
 * Who may do what in review (docs/review.md). On the embedded store the approvers are the OS user names listed in the
 * workspace config ("approvers" in hoctap.config.json): a single-PC convenience that keeps a colleague at the same PC
 * from approving by mistake, not a protection (whoever can edit the config or the database file can do anything). On a
 * shared server store the database itself decides (its roles).
 */
import { CONFIG_FILE, type Workspace } from '../catalog/workspace.ts';
import { UserError } from '../errors.ts';
import { currentUser } from '../store/user.ts';

export type Role = 'approver' | 'analyst';

export const ROLE_LABELS: Record<Role, string> = { approver: 'Người duyệt', analyst: 'Chuyên viên' };

/** What a role may do, as `hoctap users` says it. */
export const ROLE_RIGHTS: Record<Role, string> = {
  approver: 'nhập tệp, duyệt, trả lại, bỏ duyệt, khóa và mở khóa năm, cho thay số liệu đã duyệt (ingest --force)',
  analyst: 'nhập tệp, xem tình hình nộp, chấm điểm, lập báo cáo dự thảo',
};

/** OS user names compare without case (Windows does). */
const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

export function roleOf(ws: Pick<Workspace, 'approvers'>, user: string): Role {
  return (ws.approvers ?? []).some((a) => same(a, user)) ? 'approver' : 'analyst';
}

/**
 * The OS user running hoctap, when they are an approver; otherwise a refusal naming who the approvers are and where
 * they are listed (exit 2). `doing`: what was asked, as a verb phrase ("duyệt số liệu").
 */
export function requireApprover(ws: Pick<Workspace, 'approvers'>, doing: string): string {
  const user = currentUser();
  if (roleOf(ws, user) === 'approver') return user;
  const list = ws.approvers?.length ? ws.approvers.join(', ') : '(chưa có ai)';
  throw new UserError(`Tài khoản "${user}" không phải người duyệt nên không được ${doing}. Người duyệt của thư mục làm việc này: ${list} ` +
    `(khóa "approvers" trong ${CONFIG_FILE}). Hãy nhờ người duyệt chạy lệnh này.`);
}
