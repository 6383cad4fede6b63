import type { Command } from 'commander';
import { initWorkspace, PROFILE_IDS, resolveWorkspaceDir, writeDatabaseSetting, type ProfileId } from '../../catalog/workspace.ts';
import { UserError } from '../../errors.ts';
import { hasPassword, isPostgresUrl, shownUrl } from '../../catalog/database-url.ts';
import type { SetExitCode } from '../context.ts';

export function registerInit(program: Command, _setExitCode: SetExitCode): void {
  program
    .command('init [thư-mục]')
    .description('tạo thư mục làm việc với cấu hình, danh sách đơn vị và chỉ tiêu để chỉnh sửa (không bắt buộc)')
    .option('--profile <hồ-sơ>', `hồ sơ thành phố: ${PROFILE_IDS.join(' hoặc ')}`, 'hcm')
    .option('--database <địa-chỉ>', 'làm việc nhóm: cơ sở dữ liệu PostgreSQL dùng chung, postgresql://tên-đăng-nhập@máy-chủ/tên-csdl (không ghi mật khẩu)')
    .option('--force', 'ghi đè các tệp đã có')
    .addHelpText('after', `
Ví dụ:
  hoctap init ./hoctap-hcm
  hoctap init ./hoctap-haiphong --profile haiphong
  hoctap init ./hoctap-hcm --database postgresql://lan@may-chu.so/hoctap   (làm việc nhóm, xem docs/workspace.md)
Sau đó sửa hoctap.config.json (người ký, số văn bản, Căn cứ, Nơi nhận, hạn nộp), roster.csv (đơn vị báo cáo)
và targets.csv (chỉ tiêu), rồi dùng: hoctap -w ./hoctap-hcm <lệnh>.
Một năm khác các năm khác (danh sách đơn vị, tên cơ quan, hạn nộp): hoctap new-year <năm>, rồi
hoctap roster import <danh-sách.xlsx> --year <năm> (ghi vào years/<năm>/).`)
    .action(async (dirArg: string | undefined, opts: { profile: string; force?: boolean; database?: string }, cmd: Command) => {
      if (!(PROFILE_IDS as readonly string[]).includes(opts.profile)) {
        throw new UserError(`--profile "${opts.profile}" không hợp lệ: chọn ${PROFILE_IDS.join(' hoặc ')}.`);
      }
      const url = opts.database?.trim();
      if (url !== undefined && !isPostgresUrl(url)) throw new UserError(`--database "${url}" không phải địa chỉ PostgreSQL: dạng đúng là postgresql://tên-đăng-nhập@máy-chủ/tên-csdl.`);
      if (url && hasPassword(url)) throw new UserError('Địa chỉ --database có mật khẩu: hoctap không ghi mật khẩu vào thư mục làm việc; bỏ mật khẩu khỏi địa chỉ và đặt nó trong biến môi trường PGPASSWORD hoặc tệp ~/.pgpass.');
      const dir = dirArg ? resolveWorkspaceDir(dirArg) : resolveWorkspaceDir((cmd.optsWithGlobals() as { workspace?: string }).workspace);
      // The shared database first: nothing is written here when it cannot be reached.
      // The PostgreSQL client is loaded only for a shared database.
      const pgOpen = url ? await import('../../store/postgres/open.ts') : null;
      const { syncSharedFiles } = await import('../../store/shared-files.ts');
      const store = url && pgOpen ? await pgOpen.openPostgresStore(url, { create: true }) : null;
      try {
        const files = initWorkspace(dir, opts.profile as ProfileId, opts.force === true);
        process.stdout.write(`Đã tạo thư mục làm việc ${dir} (hồ sơ ${opts.profile}):\n${files.map((f) => '  ' + f).join('\n')}\n`);
        if (!store || !url) return;
        const setting = writeDatabaseSetting(dir, url);
        const sync = await syncSharedFiles(store, dir);
        const how = store.opened === 'created'
          ? `đã tạo dữ liệu của hoctap (lược đồ hoctap, vai trò hoctap_analyst và hoctap_approver) trong ${shownUrl(url)}`
          : `dùng chung dữ liệu đã có trong ${shownUrl(url)}${sync.pulled.length ? ` (đã lấy về ${sync.pulled.length} tệp cấu hình chung)` : ''}`;
        process.stdout.write(`Cơ sở dữ liệu chung: ${how}; địa chỉ ghi trong ${setting} (không có mật khẩu).\n`);
      } finally {
        await store?.close();
      }
    });
}
