/** `hoctap users`: who holds which role in this workspace (docs/review.md), and who has changed its figures. */
import type { Command } from 'commander';
import { CONFIG_FILE } from '../../catalog/workspace.ts';
import { ROLE_LABELS, ROLE_RIGHTS, roleOf, type Role } from '../../review/roles.ts';
import { openStoreForReading } from '../../store/open.ts';
import { currentUser } from '../../store/user.ts';
import { parseFormat, renderJson, renderTable } from '../output.ts';
import { workspaceOf, type SetExitCode } from '../context.ts';

export function registerUsers(program: Command, _setExitCode: SetExitCode): void {
  program
    .command('users')
    .description('ai giữ vai trò nào: người duyệt (duyệt, trả lại, khóa năm) và chuyên viên')
    .option('--format <dạng>', 'table (mặc định) hoặc json')
    .addHelpText('after', `
Trên máy này (cơ sở dữ liệu hoctap.sqlite), người duyệt là các tài khoản máy tính ghi trong khóa
"approvers" của ${CONFIG_FILE}; mọi tài khoản khác là chuyên viên. Đây là tiện ích cho một máy dùng chung,
không phải bảo mật: ai sửa được tệp cấu hình cũng tự thêm mình được.

Ví dụ:
  hoctap users`)
    .action(async (opts: { format?: string }, cmd: Command) => {
      const format = parseFormat(opts.format, ['table', 'json'] as const, 'table');
      const ws = workspaceOf(cmd);
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
