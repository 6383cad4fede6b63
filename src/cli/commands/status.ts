import type { Command } from 'commander';
import chalk from 'chalk';
import { formatDayVi } from '../../dates.ts';
import { computeStatus } from '../../scoring/status.ts';
import { openWorkspaceStore } from '../../scoring/store-access.ts';
import { UNIT_STATE_LABELS, type StatusReport, type UnitState, type UnitStatus } from '../../scoring/types.ts';
import { hoctapHint } from '../invocation.ts';
import { parseFormat, parseYear, renderCsv, renderJson, renderTable } from '../output.ts';
import { requireStore, workspaceOf, type SetExitCode } from '../context.ts';
import { readMailHistory } from '../../mail/history.ts';
import { renderMailHistory } from './send.ts';

const COLOURS: Record<UnitState, (s: string) => string> = { on_time: chalk.green, late: chalk.yellow, held: chalk.yellow, rejected: chalk.red, missing: chalk.red };

export function renderStatusTable(report: StatusReport): string {
  const counts = (s: UnitState) => report.units.filter((u) => u.state === s).length;
  const out: string[] = [];
  out.push(chalk.bold(`Tình hình nộp biểu mẫu năm ${report.year}`) + ` · hạn nộp ${formatDayVi(report.deadline)}`);
  out.push(renderTable(
    ['Đơn vị', 'Trạng thái', 'Ngày nhận', 'Tệp', 'Lỗi'],
    report.units.map((u) => [
      `${u.unitName} (${u.unitCode})`,
      COLOURS[u.state](UNIT_STATE_LABELS[u.state]),
      u.receivedAt ? formatDayVi(u.receivedAt) : '—',
      u.fileName ?? '—',
      u.state === 'rejected' ? u.errors : '',
    ]),
    [50, 20, 12, 40, 6], { dropOrder: [3, 4] },
  ));
  const held = counts('held') ? `${counts('held')} chờ xác nhận, ` : '';
  out.push(`${report.units.length} đơn vị: ${counts('on_time')} đúng hạn, ${counts('late')} trễ hạn, ${held}${counts('rejected')} bị từ chối, ${counts('missing')} chưa nộp.`);
  const byCode = new Map(report.units.map((u) => [u.unitCode, u]));
  const chase = report.toChase.map((code) => {
    const u = byCode.get(code)!;
    return u.state === 'rejected' ? `${u.unitName} (bị từ chối, ${u.errors} lỗi)` : `${u.unitName} (chưa nộp)`;
  });
  out.push(chase.length ? chalk.bold('Cần đôn đốc: ') + chase.join('; ') + '.' : chalk.green('Cần đôn đốc: không có đơn vị nào.'));
  if (report.toConfirm.length) {
    out.push(chalk.bold('Chờ xác nhận: ') + report.toConfirm.map((code) => `${byCode.get(code)!.unitName} (${confirmHint(byCode.get(code)!)})`).join('; ') + '.');
  }
  return out.join('\n') + '\n';
}

/** A held file is the unit's only one: why it waits and the two ways to put it in force. */
function confirmHint(u: UnitStatus): string {
  return `tệp ${u.fileName} bỏ bớt số liệu nên đang tạm giữ; nếu đúng, xác nhận bằng ${hoctapHint(['restore', String(u.heldSubmission)])} hoặc ${hoctapHint(['ingest', u.fileName ?? '<tệp>', '--replace'])}`;
}

/** One line per unit, for a spreadsheet or an e-mail merge; dates as a person reads them. */
function renderStatusCsv(report: StatusReport): string {
  return renderCsv(
    ['unit_code', 'unit_name', 'agency_code', 'state', 'trang_thai', 'received', 'file', 'errors', 'deadline', 'xac_nhan'],
    report.units.map((u) => [u.unitCode, u.unitName, u.agencyCode, u.state, UNIT_STATE_LABELS[u.state], u.receivedAt ? formatDayVi(u.receivedAt) : '', u.fileName, u.state === 'rejected' ? u.errors : '', formatDayVi(report.deadline), u.state === 'held' ? confirmHint(u) : '']),
  );
}

export function registerStatus(program: Command, _setExitCode: SetExitCode): void {
  program
    .command('status')
    .description('tình hình nộp biểu mẫu của từng đơn vị trong năm: đúng hạn, trễ hạn, chờ xác nhận, bị từ chối, chưa nộp; và các đơn vị cần đôn đốc')
    .option('--year <năm>', 'năm báo cáo (bắt buộc)')
    .option('--format <dạng>', 'table (mặc định), json hoặc csv')
    .addHelpText('after', `
Hạn nộp lấy từ cấu hình (deadline trong hoctap.config.json). Lệnh luôn kết thúc với mã 0,
kể cả khi còn đơn vị chưa nộp.

Ví dụ:
  hoctap status --year 2024
  hoctap status --year 2024 --format json > tinh-hinh-nop-2024.json`)
    .action(async (opts: { year?: string; format?: string }, cmd: Command) => {
      const year = parseYear(opts.year, true);
      const ws = workspaceOf(cmd, year);
      const format = parseFormat(opts.format, ['table', 'json', 'csv'] as const, 'table');
      requireStore(ws);
      const { db } = await openWorkspaceStore(ws);
      let report: StatusReport;
      try {
        report = await computeStatus(ws, db, year);
      } finally {
        await db.close();
      }
      process.stdout.write(format === 'json' ? renderJson(report) : format === 'csv' ? renderStatusCsv(report) : renderStatusTable(report));
      // The messages sent to the units this year (send): src/mail.
      if (format === 'table') process.stdout.write(renderMailHistory(await readMailHistory(ws.dbPath, { year })));
    });
}
