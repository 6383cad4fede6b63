/**
 * `hoctap lock`, `unlock`: a year's figures made final once every unit with figures in force is approved, and opened
 * again with a reason (docs/review.md). Checked against the year's revision read first.
 */
import chalk from 'chalk';
import type { Command } from 'commander';
import { formatMomentVi } from '../../dates.ts';
import { UserError } from '../../errors.ts';
import { requireApprover } from '../../review/roles.ts';
import { openExistingStore } from '../../store/open.ts';
import { hoctapHint, quotePath } from '../invocation.ts';
import { parseFormat, parseYear, renderJson } from '../output.ts';
import { requireStore, workspaceOf, type SetExitCode } from '../context.ts';

export function registerLock(program: Command, _setExitCode: SetExitCode): void {
  program
    .command('lock')
    .description('khóa số liệu của năm: chỉ khi mọi đơn vị có số liệu đang dùng đã được duyệt (chỉ người duyệt)')
    .option('--year <năm>', 'năm báo cáo (bắt buộc)')
    .option('--reason <ghi-chú>', 'ghi chú (không bắt buộc), lưu vào lịch sử')
    .option('--format <dạng>', 'table (mặc định) hoặc json')
    .addHelpText('after', `
Năm đã khóa: số liệu là chính thức, "hoctap report --final" lập được báo cáo chính thức; tệp gửi sau
được lưu nhưng không thay số liệu; duyệt, trả lại, bỏ duyệt đều bị từ chối cho đến khi mở khóa.

Ví dụ:
  hoctap lock --year 2024`)
    .action((opts: { year?: string; reason?: string; format?: string }, cmd: Command) => runLock(cmd, 'lock', opts));
  program
    .command('unlock')
    .description('mở khóa số liệu của năm, với lý do (chỉ người duyệt)')
    .option('--year <năm>', 'năm báo cáo (bắt buộc)')
    .option('--reason <lý-do>', 'lý do mở khóa (bắt buộc)')
    .option('--format <dạng>', 'table (mặc định) hoặc json')
    .addHelpText('after', `
Ví dụ:
  hoctap unlock --year 2024 --reason "Sở Y tế đính chính số liệu chỉ số 1.2.1"`)
    .action((opts: { year?: string; reason?: string; format?: string }, cmd: Command) => runLock(cmd, 'unlock', opts));
}

async function runLock(cmd: Command, action: 'lock' | 'unlock', opts: { year?: string; reason?: string; format?: string }): Promise<void> {
  const year = parseYear(opts.year, true);
  const format = parseFormat(opts.format, ['table', 'json'] as const, 'table');
  const ws = workspaceOf(cmd, year);
  const doing = action === 'lock' ? 'khóa năm' : 'mở khóa năm';
  // The embedded store's approvers are in the config: refused before anything opens. The shared store's are the database's.
  const listed = ws.databaseUrl ? null : await requireApprover(ws, doing);
  requireStore(ws);
  const db = await openExistingStore(ws.dbPath);
  if (!db) throw new UserError(`Thư mục làm việc ${quotePath(ws.dir)} chưa có lần nhập nào: không có gì để ${action === 'lock' ? 'khóa' : 'mở khóa'}.`);
  try {
    const user = listed ?? await requireApprover(ws, doing, db);
    const seenRev = (await db.yearLock(year)).rev;
    const outcome = await db.changeYearLock({ action, year, seenRev, reason: opts.reason ?? null, user });
    if (format === 'json') {
      process.stdout.write(renderJson({ action, year, ...outcome }));
      return;
    }
    if (!outcome.changed) {
      process.stdout.write(chalk.gray(`Năm ${year} ${action === 'lock' ? 'đã khóa' : 'chưa khóa'} từ trước: không thay đổi.`) + '\n');
      return;
    }
    const lines = action === 'lock'
      ? [chalk.green(`Đã khóa số liệu năm ${year} (${user}, ${formatMomentVi(outcome.event.at)}): số liệu của năm là số liệu chính thức.`),
        `Lập báo cáo chính thức bằng ${hoctapHint(['report', '--year', String(year), '--final'])}.`]
      : [chalk.yellow(`Đã mở khóa số liệu năm ${year} (${user}, ${formatMomentVi(outcome.event.at)}). Lý do: ${outcome.event.reason}`),
        'Báo cáo lập từ nay là dự thảo cho đến khi năm được khóa lại.'];
    process.stdout.write(lines.join('\n') + '\n');
  } finally {
    await db.close();
  }
}
