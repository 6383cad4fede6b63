import { changedGroupLabel } from '../../vi/labels.ts';
import { hoctapHint } from '../invocation.ts';
import type { Command } from 'commander';
import chalk from 'chalk';
import { formatDayVi } from '../../dates.ts';
import { UserError } from '../../errors.ts';
import { diffSubmissions, type SubmissionDiff } from '../../store/diff.ts';
import { openExistingStore } from '../../store/open.ts';
import type { Submission } from '../../store/store.ts';
import { currentUser } from '../../store/user.ts';
import { parseFormat, renderJson } from '../output.ts';
import { workspaceOf, type SetExitCode } from '../context.ts';

/** Indicators listed in the summary of what changes. */
const INDICATORS_SHOWN = 12;

export function registerRestore(program: Command, _setExitCode: SetExitCode): void {
  program
    .command('restore')
    .description('đưa lại vào dùng số liệu của một lần nhập trước (đã được thay thế, hoặc đang tạm giữ) của cùng đơn vị và năm')
    .argument('<số-lần-nhập>', 'số thứ tự lần nhập, như cột # của "hoctap history"')
    .option('--format <dạng>', 'table (mặc định) hoặc json')
    .addHelpText('after', `
Lần nhập đang dùng của đơn vị và năm đó thôi được dùng (vẫn được lưu, có thể khôi phục lại).
Việc khôi phục được ghi vào lịch sử (hoctap history): ngày, người thực hiện, lần nhập vào và ra.
Chạy lại "hoctap score" và "hoctap report" sau khi khôi phục để cập nhật kết quả.

Ví dụ:
  hoctap history --unit Q1 --year 2024
  hoctap restore 12`)
    .action(async (arg: string, opts: { format?: string }, cmd: Command) => {
      const ws = workspaceOf(cmd);
      const format = parseFormat(opts.format, ['table', 'json'] as const, 'table');
      if (!/^\s*#?\d+\s*$/.test(arg)) {
        throw new UserError(`"${arg}" không phải số thứ tự lần nhập: ghi số như cột # của "${hoctapHint(['history'])}", ví dụ ${hoctapHint(['restore', '12'])}.`);
      }
      const id = Number(arg.trim().replace('#', ''));
      // Restoring never creates a database: without one there is nothing to restore.
      const db = await openExistingStore(ws.dbPath);
      if (!db) throw new UserError(`Không có lần nhập #${id}: thư mục làm việc ${ws.dir} chưa có lần nhập nào.`);
      try {
        // A held submission put in force is the analyst's confirmation of it; an earlier one, a restore.
        const result = await db.putInForce(id, (await db.submission(id))?.status === 'held' ? 'confirmation' : 'restore', currentUser());
        const diff = result.changed ? await diffSubmissions(db, result.out?.id ?? null, id) : null;
        if (format === 'json') {
          process.stdout.write(renderJson({
            changed: result.changed, eventId: result.changed ? result.eventId : null,
            inForce: summary(result.in), outOfForce: result.changed && result.out ? summary(result.out) : null, diff,
          }));
          return;
        }
        const s = result.in;
        if (!result.changed) {
          process.stdout.write(`Lần nhập #${s.id} (tệp ${s.fileName}) đang được dùng cho đơn vị ${s.unitCode} năm ${s.year}: không có gì thay đổi.\n`);
          return;
        }
        const out = result.out;
        const lines = [chalk.green(`Đã đưa lần nhập #${s.id} (tệp ${s.fileName}, nhận ngày ${formatDayVi(s.receivedAt)}) vào dùng cho đơn vị ${s.unitCode} năm ${s.year}.`)];
        lines.push(out ? `Lần nhập #${out.id} (tệp ${out.fileName}, nhận ngày ${formatDayVi(out.receivedAt)}) thôi được dùng; nó vẫn được lưu và có thể khôi phục lại bằng "${hoctapHint(['restore', String(out.id)])}".` : 'Trước đó đơn vị này không có số liệu nào đang dùng cho năm đó.');
        lines.push(...describeDiff(diff!, out !== null));
        lines.push(`Chạy lại "${hoctapHint(['score', '--year', String(s.year)])}" và "${hoctapHint(['report', '--year', String(s.year)])}" để cập nhật kết quả.`);
        process.stdout.write(lines.join('\n') + '\n');
      } finally {
        await db.close();
      }
    });
}

function summary(s: Submission) {
  return { id: s.id, unit: s.unitCode, year: s.year, file: s.fileName, receivedAt: s.receivedAt, status: s.status };
}

function describeDiff(d: SubmissionDiff, hadPrevious: boolean): string[] {
  if (!d.indicators.length) return ['Số liệu giống hệt bản vừa thôi dùng.'];
  const head = `${hadPrevious ? 'So với số liệu vừa thôi dùng' : 'Số liệu được đưa vào'}: ${d.added} số liệu thêm, ${d.changed} thay đổi, ${d.removed} bỏ, ở ${d.indicators.length} chỉ số:`;
  const rows = d.indicators.slice(0, INDICATORS_SHOWN).map((i) => {
    const parts = [i.added.length ? `${i.added.length} thêm` : '', i.changed.length ? `${i.changed.length} thay đổi` : '', i.removed.length ? `${i.removed.length} bỏ` : ''].filter(Boolean);
    const sample = i.changed[0] ? ` (ví dụ ${i.changed[0].fieldId}: ${i.changed[0].from.raw ?? '—'} → ${i.changed[0].to.raw ?? '—'})` : '';
    return `  ${changedGroupLabel(i.indicatorId)}: ${parts.join(', ')}${sample}`;
  });
  if (d.indicators.length > INDICATORS_SHOWN) rows.push(`  … và ${d.indicators.length - INDICATORS_SHOWN} chỉ số khác (xem --format json)`);
  return [head, ...rows];
}
