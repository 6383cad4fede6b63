import type { Command } from 'commander';
import { initWorkspace, PROFILE_IDS, resolveWorkspaceDir, type ProfileId } from '../../catalog/workspace.ts';
import { UserError } from '../../errors.ts';
import type { SetExitCode } from '../context.ts';

export function registerInit(program: Command, _setExitCode: SetExitCode): void {
  program
    .command('init [thư-mục]')
    .description('tạo thư mục làm việc với cấu hình, danh sách đơn vị và chỉ tiêu để chỉnh sửa (không bắt buộc)')
    .option('--profile <hồ-sơ>', `hồ sơ thành phố: ${PROFILE_IDS.join(' hoặc ')}`, 'hcm')
    .option('--force', 'ghi đè các tệp đã có')
    .addHelpText('after', `
Ví dụ:
  hoctap init ./hoctap-hcm
  hoctap init ./hoctap-haiphong --profile haiphong
Sau đó sửa hoctap.config.json (người ký, số văn bản, Căn cứ, Nơi nhận, hạn nộp), roster.csv (đơn vị báo cáo)
và targets.csv (chỉ tiêu), rồi dùng: hoctap -w ./hoctap-hcm <lệnh>.
Một năm khác các năm khác (danh sách đơn vị, tên cơ quan, hạn nộp): hoctap new-year <năm>, rồi
hoctap roster import <danh-sách.xlsx> --year <năm> (ghi vào years/<năm>/).`)
    .action((dirArg: string | undefined, opts: { profile: string; force?: boolean }, cmd: Command) => {
      if (!(PROFILE_IDS as readonly string[]).includes(opts.profile)) {
        throw new UserError(`--profile "${opts.profile}" không hợp lệ: chọn ${PROFILE_IDS.join(' hoặc ')}.`);
      }
      const dir = dirArg ? resolveWorkspaceDir(dirArg) : resolveWorkspaceDir((cmd.optsWithGlobals() as { workspace?: string }).workspace);
      const files = initWorkspace(dir, opts.profile as ProfileId, opts.force === true);
      process.stdout.write(`Đã tạo thư mục làm việc ${dir} (hồ sơ ${opts.profile}):\n${files.map((f) => '  ' + f).join('\n')}\n`);
    });
}
