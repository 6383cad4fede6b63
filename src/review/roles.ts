/**
 * Who may do what in review (docs/review.md). On the embedded store the approvers are the OS user names listed in the
 * workspace config ("approvers" in hoctap.config.json): a single-PC convenience that keeps a colleague at the same PC
 * from approving by mistake, not a protection (whoever can edit the config or the database file can do anything). On a
 * shared server store the database itself decides (its roles).
 */
import { CONFIG_FILE, type Workspace } from '../catalog/workspace.ts';
import { shownUrl } from '../catalog/database-url.ts';
import { UserError } from '../errors.ts';
import { openExistingStore } from '../store/open.ts';
import type { Store } from '../store/store.ts';
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
 * Who is asking, when they are an approver; otherwise a refusal (exit 2) naming who they are, what was asked and who to
 * ask. `doing`: what was asked, as a verb phrase ("duyệt số liệu"). On the embedded store: the OS user and the config's
 * list. On the shared PostgreSQL store: the login and its role in the database (asked of `db`, or of a store opened for
 * the question); the database enforces it anyway (src/store/postgres/guards.ts): this only refuses before anything starts.
 */
export async function requireApprover(ws: Pick<Workspace, 'approvers' | 'databaseUrl' | 'dbPath'>, doing: string, db?: Store | null): Promise<string> {
  if (!ws.databaseUrl) return requireListedApprover(ws, doing);
  const url = ws.databaseUrl;
  return withStore(ws.dbPath, db, async (store) => {
    const { currentLogin, teamLogins } = await import('../store/postgres/roles.ts');
    const me = await currentLogin(store);
    if (me.role === 'approver') return me.login;
    const approvers = (await teamLogins(store)).filter((l) => l.role === 'approver').map((l) => l.login);
    throw new UserError(`Tên đăng nhập "${me.login}" không có vai trò người duyệt (hoctap_approver) trong cơ sở dữ liệu ${shownUrl(url)} ` +
      `nên không được ${doing}. Người duyệt: ${approvers.length ? approvers.join(', ') : '(chưa có ai)'}. Hãy nhờ người duyệt chạy lệnh này, ` +
      `hoặc nhờ bộ phận CNTT cấp vai trò (GRANT hoctap_approver TO ${me.login}). Không có gì được ghi.`);
  });
}

/** The embedded store's rule: the OS user running hoctap, when the config lists it among the approvers. */
function requireListedApprover(ws: Pick<Workspace, 'approvers'>, doing: string): string {
  const user = currentUser();
  if (roleOf(ws, user) === 'approver') return user;
  const list = ws.approvers?.length ? ws.approvers.join(', ') : '(chưa có ai)';
  throw new UserError(`Tài khoản "${user}" không phải người duyệt nên không được ${doing}. Người duyệt của thư mục làm việc này: ${list} ` +
    `(khóa "approvers" trong ${CONFIG_FILE}). Hãy nhờ người duyệt chạy lệnh này.`);
}

/** `work` with the given store, or with the workspace's, opened for it and closed after. */
async function withStore<T>(dbPath: string, db: Store | null | undefined, work: (store: Store) => Promise<T>): Promise<T> {
  if (db) return work(db);
  const opened = await openExistingStore(dbPath);
  if (!opened) throw new UserError('Cơ sở dữ liệu dùng chung chưa có dữ liệu của hoctap: người sở hữu cơ sở dữ liệu chạy "hoctap init --database" trước.');
  try {
    return await work(opened);
  } finally {
    await opened.close();
  }
}
