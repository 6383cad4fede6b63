import { TERMS } from '../../vi/labels.ts';
import fs from 'node:fs';
import path from 'node:path';
import chalk from 'chalk';
import type { Command } from 'commander';
import { UserError } from '../../errors.ts';
import type { SetExitCode } from '../context.ts';
import { userPath, hoctapHint } from '../invocation.ts';

/** The bundled sample submissions (see fixtures/README.md). */
export const FIXTURES_DIR = path.resolve(import.meta.dirname, '../../../fixtures');

/**
 * The steps of the demo: the same commands an analyst types, in the order of the yearly cycle.
 * `expectRejections`: ingest exits 1 when a file is rejected, which the sample data does on purpose. Exported for
 * test/pg-e2e.test.ts, which runs the same steps on a PostgreSQL workspace.
 */
export function demoSteps(ws: string, reportDate: string): { title: string; args: string[]; expectRejections?: boolean }[] {
  const f = (...p: string[]) => path.join(FIXTURES_DIR, ...p);
  return [
    { title: 'Tạo biểu mẫu năm 2023 cho 34 đơn vị', args: ['-w', ws, 'generate-templates', '--year', '2023'] },
    { title: 'Nhập các tệp năm 2023 (nhận ngày 05/12/2023)', args: ['-w', ws, 'ingest', f('2023'), '--year', '2023', '--received-at', '2023-12-05', '--format', 'table'] },
    { title: 'Tạo biểu mẫu năm 2024 (có số liệu năm 2023 để tham khảo)', args: ['-w', ws, 'generate-templates', '--year', '2024'] },
    { title: 'Nhập đợt 1 năm 2024 (nhận ngày 06/12/2024, có tệp lỗi cố ý)', args: ['-w', ws, 'ingest', f('2024', 'dot-1'), '--year', '2024', '--received-at', '2024-12-06', '--format', 'table'], expectRejections: true },
    { title: 'Nhập đợt 2 năm 2024 (nhận ngày 18/12/2024: nộp trễ và tệp đã sửa)', args: ['-w', ws, 'ingest', f('2024', 'dot-2'), '--year', '2024', '--received-at', '2024-12-18', '--format', 'table'], expectRejections: true },
    { title: 'Tình hình nộp báo cáo năm 2024', args: ['-w', ws, 'status', '--year', '2024', '--format', 'table'] },
    { title: 'Đánh giá các chỉ số năm 2024', args: ['-w', ws, 'score', '--year', '2024', '--format', 'table'] },
    { title: 'Xuất báo cáo năm 2024 (DOCX, PDF, HTML, XLSX)', args: ['-w', ws, 'report', '--year', '2024', '--date', reportDate] },
  ];
}

export function registerDemo(program: Command, setExitCode: SetExitCode): void {
  program
    .command('demo')
    .description('chạy cả chu kỳ trên dữ liệu mẫu: tạo biểu mẫu, nhập số liệu 2023 và 2024, tình hình nộp, đánh giá, báo cáo')
    .option('--out <thư-mục>', 'thư mục làm việc mới cho bản chạy thử', 'hoctap-demo')
    .option('--force', 'xóa thư mục đó nếu đã có rồi chạy lại từ đầu')
    .addHelpText('after', `
Ví dụ:
  hoctap demo
  hoctap demo --out thu-hoctap --force`)
    .action(async (opts: { out: string; force?: boolean }, cmd: Command) => {
      const ws = path.resolve(opts.out);
      // The same demo again, as the user started it (npm run demo, npx hoctap, hoctap.cmd), with the options they gave.
      const outArgs = cmd.getOptionValueSource('out') === 'cli' ? ['--out', opts.out] : [];
      if (fs.existsSync(ws) && fs.readdirSync(ws).length > 0) {
        if (!opts.force) {
          throw new UserError(`Thư mục ${ws} đã có dữ liệu: chọn thư mục khác bằng --out, hoặc chạy lại với --force để xóa và làm lại từ đầu:\n  ${hoctapHint(['demo', ...outArgs, '--force'])}`);
        }
        if (!fs.existsSync(path.join(ws, 'hoctap.sqlite'))) {
          throw new UserError(`Thư mục ${ws} không phải thư mục của một lần chạy thử trước (không có hoctap.sqlite): không xóa. Chọn thư mục khác, ví dụ:\n  ${hoctapHint(['demo', '--out', 'hoctap-demo-2'])}`);
        }
        fs.rmSync(ws, { recursive: true, force: true });
      }
      if (!fs.existsSync(path.join(FIXTURES_DIR, '2024', 'dot-1'))) {
        throw new UserError(`Không tìm thấy dữ liệu mẫu trong ${FIXTURES_DIR}. Hãy chạy lệnh từ bản mã nguồn đầy đủ của hoctap.`);
      }
      fs.mkdirSync(ws, { recursive: true });
      // main is imported lazily: it imports this module through the command list.
      const { main } = await import('../main.ts');
      const steps = demoSteps(ws, '2024-12-25');
      let reportExit = 0;
      for (const [i, step] of steps.entries()) {
        process.stdout.write('\n' + chalk.bold(`== Bước ${i + 1}/${steps.length}: ${step.title} ==`) + '\n');
        // Shown as the user would type it here (paths relative to their folder, quoted when needed).
        const shown = step.args.map((a) => (path.isAbsolute(a) ? userPath(a) : a));
        process.stdout.write(chalk.grey(`${process.platform === 'win32' ? '>' : '$'} ${hoctapHint(shown)}`) + '\n');
        const code = await main(['node', 'hoctap', ...step.args]);
        const isReport = step.args.includes('report');
        if (isReport) reportExit = code;
        else if (code === 1 && step.expectRejections) continue;
        else if (code !== 0) throw new UserError(`Bước ${i + 1} (${step.title}) thất bại với mã thoát ${code}.`, code === 1 ? 3 : code);
      }
      const reports = path.join(ws, 'reports', '2024');
      process.stdout.write('\n' + chalk.bold('== Kết quả ==') + '\n' + [
        `Thư mục làm việc:       ${ws}`,
        `Biểu mẫu đã tạo:        ${path.join(ws, 'templates')}`,
        `Cơ sở dữ liệu:          ${path.join(ws, 'hoctap.sqlite')}`,
        `Bản lưu tệp đã nhận:    ${path.join(ws, 'archive')}`,
        `${TERMS.feedbackCopy}: ${path.join(ws, 'feedback')}`,
        `Báo cáo năm 2024:       ${reports}`,
        ...fs.existsSync(reports) ? fs.readdirSync(reports).map((f) => `  - ${path.join(reports, f)}`) : [],
        '',
        `Xem lịch sử nộp của một đơn vị: ${hoctapHint(['-w', userPath(ws), 'history', '--unit', 'Q10', '--year', '2024'])}`,
      ].join('\n') + '\n');
      if (reportExit !== 0) setExitCode(reportExit);
    });
}
