import type { Command } from 'commander';
import { startNewYear } from '../../catalog/years.ts';
import { parseYear } from '../output.ts';
import { workspaceOf, type SetExitCode } from '../context.ts';

export function registerNewYear(program: Command, _setExitCode: SetExitCode): void {
  program
    .command('new-year <năm>')
    .description('bắt đầu một năm báo cáo từ năm trước: chép danh sách đơn vị, cấu hình và chỉ tiêu của năm trước vào years/<năm>/ để sửa')
    .option('--force', 'ghi đè các tệp đã có của năm mới')
    .addHelpText('after', `
Các tệp của năm (years/<năm>/roster.csv, config.json, targets.csv) thay cho tệp dùng chung trong năm đó.
Khi tạo biểu mẫu của một năm, hoctap lưu danh sách đơn vị, tên cơ quan, hạn nộp, "Căn cứ" và "Nơi nhận"
đang áp dụng vào years/<năm>/snapshot.json: sửa năm sau không làm đổi năm đã báo cáo.

Ví dụ:
  hoctap new-year 2025
  hoctap roster import danh-sach-don-vi-2025.xlsx --year 2025`)
    .action((yearArg: string, opts: { force?: boolean }, cmd: Command) => {
      const year = parseYear(yearArg, true);
      const ws = workspaceOf(cmd);
      const r = startNewYear(ws, year, opts.force === true);
      const out = [`Đã bắt đầu năm ${year} từ năm ${r.from} trong ${r.dir}:`, ...r.written.map((f) => '  ' + f), 'Cần xem lại:'];
      out.push(`  - roster.csv: danh sách đơn vị báo cáo năm ${year} (hoặc nhập danh sách chính thức: hoctap roster import TỆP --year ${year})`);
      out.push(`  - config.json: hạn nộp của đơn vị (deadline), hạn báo cáo (reportDeadline), số văn bản, "Căn cứ" (canCu), "Nơi nhận" (recipients), tên cơ quan (agencyNames)`);
      out.push(`  - targets.csv (nếu có): chỉ tiêu riêng của năm`);
      const fromProfile = r.rosterFrom
        ? `danh sách đơn vị năm ${year} lấy từ danh sách của hồ sơ cho năm ${year} (${r.rosterFrom}: các sở sau hợp nhất; dòng ghi "mẫu" là mẫu), giữ email của đơn vị cùng mã năm ${r.from}: thay các dòng mẫu bằng danh sách chính thức.`
        : null;
      if (r.levelChange) {
        out.push(`Lưu ý: năm ${r.from} báo cáo theo ${r.levelChange[0] ?? '?'}, năm ${year} theo ${r.levelChange[1] ?? '?'}: ${fromProfile ?? `danh sách đơn vị đã chép là của năm ${r.from}, cần thay bằng danh sách mới.`}`);
      } else if (fromProfile) {
        out.push(`Lưu ý: ${fromProfile}`);
      }
      process.stdout.write(out.join('\n') + '\n');
    });
}
