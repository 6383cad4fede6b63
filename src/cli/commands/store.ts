/**
 * The shared store from the command line: before and after every command on a workspace that works with a shared
 * database, its shared files are synced with it (src/store/shared-files.ts).
 */
import type { Command } from 'commander';
import { databaseUrlOf, resolveWorkspaceDir, writeDatabaseSetting } from '../../catalog/workspace.ts';
import { hasPassword, isPostgresUrl, shownUrl } from '../../catalog/database-url.ts';
import { UserError } from '../../errors.ts';
import { workspaceOf, type SetExitCode } from '../context.ts';
import fs from 'node:fs';
import chalk from 'chalk';

/** Commands that make their own workspace, or none: no sync around them. */
const NOT_SYNCED = new Set(['init', 'demo', 'help', 'copy']);

async function syncAround(actionCommand: Command): Promise<void> {
  if (NOT_SYNCED.has(actionCommand.name()) || NOT_SYNCED.has(actionCommand.parent?.name() ?? '')) return;
  const dir = resolveWorkspaceDir((actionCommand.optsWithGlobals() as { workspace?: string }).workspace);
  if (!fs.existsSync(dir)) return;
  const url = databaseUrlOf(dir);
  if (!url) return;
  // Loaded on use (vite's way): a workspace without a shared database never loads the PostgreSQL client.
  const { openPostgresStore } = await import('../../store/postgres/open.ts');
  const { syncSharedFiles } = await import('../../store/shared-files.ts');
  const store = await openPostgresStore(url);
  try {
    const r = await syncSharedFiles(store, dir);
    for (const aside of r.keptAside) {
      process.stderr.write(chalk.yellow(`Lưu ý: tệp cấu hình đã được sửa cả ở máy này lẫn trong cơ sở dữ liệu chung; dùng bản chung, bản của máy này giữ ở ${aside}.`) + '\n');
    }
  } finally {
    await store.close();
  }
}

export function registerStore(program: Command, _setExitCode: SetExitCode): void {
  program.hook('preAction', (_program, actionCommand) => syncAround(actionCommand));
  program.hook('postAction', (_program, actionCommand) => syncAround(actionCommand));
  const store = program.command('store').description('kho dữ liệu: chuyển sang cơ sở dữ liệu PostgreSQL dùng chung (làm việc nhóm)')
    .addHelpText('after', `
Ví dụ:
  hoctap -w ./hoctap-hcm store copy --to postgresql://lan@may-chu.so/hoctap`);
  store
    .command('copy')
    .description('sao chép kho dữ liệu của thư mục làm việc (hoctap.sqlite và archive/) vào một cơ sở dữ liệu PostgreSQL chưa có gì')
    .requiredOption('--to <địa-chỉ>', 'postgresql://tên-đăng-nhập@máy-chủ/tên-csdl (không ghi mật khẩu: PGPASSWORD hoặc ~/.pgpass)')
    .addHelpText('after', `
Ví dụ:
  hoctap -w ./hoctap-hcm store copy --to postgresql://lan@may-chu.so/hoctap
Bản gốc không bị thay đổi; sau khi sao chép, thư mục làm việc dùng cơ sở dữ liệu chung (docs/workspace.md, "Làm việc nhóm").`)
    .action(async (opts: { to: string }, cmd: Command) => {
      const url = opts.to.trim();
      if (!isPostgresUrl(url)) throw new UserError(`--to "${url}" không phải địa chỉ PostgreSQL: dạng đúng là postgresql://tên-đăng-nhập@máy-chủ/tên-csdl.`);
      if (hasPassword(url)) throw new UserError('Địa chỉ --to có mật khẩu: hoctap không ghi mật khẩu vào thư mục làm việc; bỏ mật khẩu khỏi địa chỉ và đặt nó trong biến môi trường PGPASSWORD hoặc tệp ~/.pgpass.');
      const ws = workspaceOf(cmd);
      if (ws.databaseUrl) throw new UserError(`Thư mục làm việc ${ws.dir} đã dùng cơ sở dữ liệu chung ${shownUrl(ws.databaseUrl)}: không có kho dữ liệu riêng nào để sao chép.`);
      const { copyStoreToPostgres } = await import('../../store/copy.ts');
      const { openPostgresStore } = await import('../../store/postgres/open.ts');
      const { syncSharedFiles } = await import('../../store/shared-files.ts');
      const r = await copyStoreToPostgres(ws.dbPath, url);
      const setting = writeDatabaseSetting(ws.dir, url);
      const target = await openPostgresStore(url);
      try {
        await syncSharedFiles(target, ws.dir);
      } finally {
        await target.close();
      }
      const mib = (r.bytes / 1024 / 1024).toFixed(1);
      process.stdout.write(`Đã sao chép vào ${shownUrl(url)}: ${r.rows.submissions} lần nhập, ${r.rows.field_values} số liệu, ${r.rows.events} lần thay đổi, ${r.rows.unattributed_files} tệp không xác định được đơn vị, ${r.rows.journal} dòng nhật ký, ${r.archived} tệp lưu trữ (${mib} MiB); số dòng và tổng kiểm tra của từng bảng khớp với bản gốc.\n`);
      process.stdout.write(`Bản gốc ${ws.dbPath} và archive/ giữ nguyên, không còn được dùng: từ nay thư mục làm việc dùng cơ sở dữ liệu chung (ghi trong ${setting}).\n`);
    });
}
