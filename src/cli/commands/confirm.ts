import type { Command } from 'commander';
import chalk from 'chalk';
import { UserError } from '../../errors.ts';
import { openExistingStore } from '../../store/open.ts';
import { currentUser } from '../../store/user.ts';
import { confirmFigures } from '../../usecases/confirm.ts';
import { hoctapHint } from '../invocation.ts';
import { parseFormat, parseYear, renderJson } from '../output.ts';
import { workspaceOf, type SetExitCode } from '../context.ts';

export function registerConfirm(program: Command, _setExitCode: SetExitCode): void {
  program
    .command('confirm')
    .description('xác nhận số liệu của một đơn vị ở một chỉ số mà hoctap thấy không thể đúng (đơn vị chưa giải trình), kèm lý do')
    .argument('<mã-đơn-vị>', 'mã đơn vị trong danh sách đơn vị')
    .argument('<mã-chỉ-số>', 'mã chỉ số, ví dụ 1.2.2-a')
    .requiredOption('--year <năm>', 'năm báo cáo')
    .requiredOption('--reason <lý-do>', 'vì sao số liệu đúng (ví dụ đã gọi điện xác minh với đơn vị)')
    .option('--format <dạng>', 'table (mặc định) hoặc json')
    .addHelpText('after', `
Chỉ số có số liệu không thể đúng (tỷ lệ chung nằm ngoài tỷ lệ nam và nữ; số đơn vị cấp địa phương nhiều hơn
số đơn vị hiện có; số người nhiều hơn dân số của địa bàn) mà đơn vị chưa giải trình thì "Chưa kết luận (chờ
đơn vị giải trình)" trong báo cáo. Số liệu đơn vị đã giải trình thì không cần (và không thể) xác nhận.
Khi đã xác minh số liệu là đúng, xác nhận để chỉ số được đánh giá. Việc xác nhận được ghi lại (ngày, người
thực hiện, lý do) và chỉ áp dụng cho tệp đang dùng: tệp mới của đơn vị được kiểm tra lại từ đầu.

Ví dụ:
  hoctap confirm SNV 1.2.2-a --year 2024 --reason "Tổng theo điều tra lao động; Nam, Nữ theo số liệu của Sở"`)
    .action(async (unit: string, indicator: string, opts: { year: string; reason: string; format?: string }, cmd: Command) => {
      const year = parseYear(opts.year, true);
      const ws = workspaceOf(cmd, year);
      const format = parseFormat(opts.format, ['table', 'json'] as const, 'table');
      const db = await openExistingStore(ws.dbPath);
      if (!db) throw new UserError(`Thư mục làm việc ${ws.dir} chưa có số liệu nào: không có gì để xác nhận.`);
      try {
        const r = await confirmFigures(ws, db, { unit, indicator, year, reason: opts.reason, user: currentUser() });
        if (format === 'json') {
          process.stdout.write(renderJson({ confirmation: r.confirmation, unitName: r.unitName, queries: r.queries.map((q) => q.text) }));
          return;
        }
        process.stdout.write([
          chalk.green(`Đã xác nhận số liệu chỉ số ${r.confirmation.indicatorId} của ${r.unitName} năm ${year} (lần nhập #${r.confirmation.submissionId}).`),
          `Lý do: ${r.confirmation.reason}`,
          `Chạy lại "${hoctapHint(['report', '--year', String(year)])}" để cập nhật báo cáo.`,
        ].join('\n') + '\n');
      } finally {
        await db.close();
      }
    });
}
