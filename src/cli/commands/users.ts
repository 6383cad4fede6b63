/**
 * `hoctap users`: who holds which role in this workspace (docs/review.md): on the embedded store the config's approvers and
 * who has changed its figures; on the shared PostgreSQL store the logins the database grants each role.
 */
import type { Command } from 'commander';
import { shownUrl } from '../../catalog/database-url.ts';
import { CONFIG_FILE } from '../../catalog/workspace.ts';
import { ROLE_LABELS, ROLE_RIGHTS, roleOf, type Role } from '../../review/roles.ts';
import { openStoreForReading } from '../../store/open.ts';
import type { PgLogin } from '../../store/postgres/roles.ts';
import { currentUser } from '../../store/user.ts';
import { parseFormat, renderJson, renderTable } from '../output.ts';
import { workspaceOf, type SetExitCode } from '../context.ts';

export function registerUsers(program: Command, _setExitCode: SetExitCode): void {
  program
    .command('users')
    .description('ai giữ vai trò nào: người duyệt (duyệt, trả lại, khóa năm) và chuyên viên')
    .option('--format <dạng>', 'table (mặc định) hoặc json')
    .addHelpText('after', `
Với cơ sở dữ liệu nhúng (hoctap.sqlite), người duyệt là các tài khoản máy tính ghi trong khóa
"approvers" của ${CONFIG_FILE}; mọi tài khoản khác là chuyên viên. Đây là tiện ích cho một máy dùng chung,
không phải bảo mật: ai sửa được tệp cấu hình cũng tự thêm mình được.
Với cơ sở dữ liệu PostgreSQL dùng chung, người dùng là tên đăng nhập, vai trò do cơ sở dữ liệu cấp
(hoctap_approver: người duyệt; hoctap_analyst: chuyên viên) và chính cơ sở dữ liệu chặn việc vượt quyền.

Ví dụ:
  hoctap users`)
    .action(async (opts: { format?: string }, cmd: Command) => {
      const format = parseFormat(opts.format, ['table', 'json'] as const, 'table');
      const ws = workspaceOf(cmd);
      if (ws.databaseUrl) {
        await sharedUsers(ws.dbPath, ws.databaseUrl, format);
        return;
      }
      const me = currentUser();
      // Who has written to the store: the changes of what is in force and the transitions of review name them.
      const seen = new Set<string>();
      const db = await openStoreForReading(ws.dbPath);
      if (db) {
        try {
          for (const e of await db.events()) if (e.user) seen.add(e.user);
          for (const e of await db.reviewEvents()) if (e.user) seen.add(e.user);
        } finally {
          await db.close();
        }
      }
      const approvers = ws.approvers ?? [];
      const users = [...new Set([...approvers, me, ...seen])].sort((a, b) => a.localeCompare(b));
      const rows = users.map((u) => ({ user: u, role: roleOf(ws, u), you: u === me, listed: approvers.includes(u), active: seen.has(u) }));
      if (format === 'json') {
        process.stdout.write(renderJson({ engine: 'sqlite', config: CONFIG_FILE, approvers, currentUser: me, users: rows }));
        return;
      }
      const out = [renderTable(['Tài khoản', 'Vai trò', 'Được làm', 'Ghi chú'], rows.map((r) => [
        r.user, ROLE_LABELS[r.role], ROLE_RIGHTS[r.role as Role],
        [r.you ? 'bạn' : '', r.active ? 'đã ghi vào cơ sở dữ liệu' : ''].filter(Boolean).join('; '),
      ]))];
      out.push(approvers.length
        ? `Người duyệt: ${approvers.join(', ')} (khóa "approvers" trong ${CONFIG_FILE}). Mọi tài khoản khác là chuyên viên.`
        : `Chưa có người duyệt: thêm "approvers": ["<tên tài khoản>"] vào ${CONFIG_FILE}. Mọi tài khoản đang là chuyên viên.`);
      out.push('Vai trò theo tài khoản máy tính là tiện ích cho một máy dùng chung, không phải bảo mật (docs/review.md).');
      process.stdout.write(out.join('\n') + '\n');
    });
}

/** On the shared PostgreSQL store: the logins of the two roles, as the database grants them (src/store/postgres/roles.ts). */
async function sharedUsers(dbPath: string, url: string, format: 'table' | 'json'): Promise<void> {
  const db = await openStoreForReading(dbPath);
  if (!db) return;
  const { currentLogin, teamLogins } = await import('../../store/postgres/roles.ts');
  let me: PgLogin;
  let team: PgLogin[];
  try {
    me = await currentLogin(db);
    team = await teamLogins(db);
  } finally {
    await db.close();
  }
  // The current login, when it holds neither role through a grant (a superuser, the owner alone), is shown too.
  const logins = team.some((l) => l.login === me.login) ? team : [...team, me].sort((a, b) => a.login.localeCompare(b.login));
  const rows = logins.map((l) => ({ ...l, you: l.login === me.login, rights: l.role ? ROLE_RIGHTS[l.role] : null }));
  if (format === 'json') {
    process.stdout.write(renderJson({ engine: 'postgres', database: shownUrl(url), currentUser: me.login, users: rows.map(({ login, ...r }) => ({ user: login, ...r })) }));
    return;
  }
  const out = [renderTable(['Tên đăng nhập', 'Vai trò', 'Được làm', 'Ghi chú'], rows.map((r) => [
    r.login, r.role ? ROLE_LABELS[r.role] : 'Không có vai trò hoctap', r.rights ?? 'không đọc hay ghi được số liệu',
    [r.you ? 'bạn' : '', r.owner ? 'sở hữu dữ liệu' : '', r.superuser ? 'quản trị máy chủ' : ''].filter(Boolean).join('; '),
  ]))];
  out.push(`Vai trò do cơ sở dữ liệu ${shownUrl(url)} cấp (hoctap_approver: người duyệt; hoctap_analyst: chuyên viên) và chính cơ sở dữ liệu ` +
    'chặn việc vượt quyền. Bộ phận CNTT cấp vai trò: GRANT hoctap_approver TO <tên>; (docs/workspace.md, "Làm việc nhóm").');
  process.stdout.write(out.join('\n') + '\n');
}
