import path from 'node:path';
import type { Command } from 'commander';
import chalk from 'chalk';
import { parseFormat, progress, renderJson } from '../output.ts';
import { workspaceOf, type SetExitCode } from '../context.ts';

export function registerRebuild(program: Command, _setExitCode: SetExitCode): void {
  program
    .command('rebuild')
    .description('dựng lại cơ sở dữ liệu hoctap.sqlite từ kho lưu trữ (archive/) và nhật ký (archive/journal.jsonl) khi nó bị mất hoặc hỏng')
    .option('--force', 'vẫn dùng bản dựng lại khi có tệp cho kết quả khác với nhật ký (ví dụ danh mục đã được sửa)')
    .option('--format <dạng>', 'table (mặc định) hoặc json')
    .addHelpText('after', `
Mọi tệp trong nhật ký được nhập lại từ bản lưu trữ, theo đúng thứ tự, với ngày nhận, tên tệp và
người nhập ban đầu; các lần xác nhận, khôi phục, duyệt, trả lại, khóa năm, hộp thư đi và thư đã nhận
được làm lại. Cơ sở dữ liệu mới được ghi bên cạnh và chỉ thay bản cũ khi đã xong; bản cũ được giữ lại
dưới tên hoctap.sqlite.bak-<ngày-giờ>.
Không chạy lệnh nào khác trên thư mục làm việc trong lúc dựng lại.

Ví dụ:
  hoctap rebuild
  hoctap -w ./hoctap-2024 rebuild --force`)
    .action(async (opts: { force?: boolean; format?: string }, cmd: Command) => {
      // Loaded on use: it brings the whole ingest with it.
      const { rebuildStore } = await import('../../usecases/rebuild.ts');
      const ws = workspaceOf(cmd);
      const format = parseFormat(opts.format, ['table', 'json'] as const, 'table');
      let bar: ReturnType<typeof progress> | null = null;
      const result = await rebuildStore(ws, {
        force: opts.force === true,
        onStart: (total) => { if (format === 'table') bar = progress('Đang dựng lại', total); },
        onProgress: () => bar?.tick(),
      });
      (bar as ReturnType<typeof progress> | null)?.done();
      if (format === 'json') {
        process.stdout.write(renderJson(result));
        return;
      }
      const lines = [chalk.green(`Đã dựng lại ${path.basename(result.dbPath)}: ${result.submissions} lần nhập, ${result.unattributed} tệp không xác định được đơn vị, ${result.changes} lần xác nhận hoặc khôi phục, ${result.reviews} lần duyệt, trả lại hoặc khóa năm, ${result.mail} lần ghi hộp thư đi và thư đã nhận.`)];
      lines.push(result.backup ? `Cơ sở dữ liệu cũ được giữ lại: ${result.backup}` : 'Trước đó không có cơ sở dữ liệu.');
      if (result.differences.length) {
        lines.push(chalk.yellow(`${result.differences.length} tệp hoặc thao tác cho kết quả khác với nhật ký (đã dùng --force):`));
        for (const d of result.differences) lines.push(`  - ${d}`);
      }
      if (result.unreadable) lines.push(chalk.gray(`Bỏ qua ${result.unreadable} dòng nhật ký không đọc được (dòng ghi dở khi một lệnh bị dừng giữa chừng).`));
      process.stdout.write(lines.join('\n') + '\n');
    });
}
