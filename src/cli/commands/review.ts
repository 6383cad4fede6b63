/**
 * `hoctap approve`, `return`, `unapprove`: the review of a unit's figures in force for a year (docs/review.md). Each
 * reads the units' revisions, then writes them all in one transaction checked against what it read: all or nothing.
 */
import path from 'node:path';
import chalk from 'chalk';
import type { Command } from 'commander';
import { findUnit, type Workspace } from '../../catalog/workspace.ts';
import { fileStamp, formatDayVi, formatMomentVi } from '../../dates.ts';
import { UserError } from '../../errors.ts';
import { writeFileAtomic } from '../../fs/atomic.ts';
import { requireApprover } from '../../review/roles.ts';
import { openExistingStore } from '../../store/open.ts';
import type { ReviewOutcome, ReviewRequest, Submission } from '../../store/store.ts';
import { hoctapHint, quotePath } from '../invocation.ts';
import { parseFormat, parseYear, renderJson } from '../output.ts';
import { requireStore, workspaceOf, type SetExitCode } from '../context.ts';

type Action = ReviewRequest['action'];

const DOING: Record<Action, string> = { approve: 'duyệt số liệu', return: 'trả lại báo cáo cho đơn vị', unapprove: 'bỏ duyệt số liệu' };

export function registerReview(program: Command, _setExitCode: SetExitCode): void {
  program
    .command('approve')
    .description('duyệt số liệu đang dùng của một hoặc nhiều đơn vị trong năm (chỉ người duyệt)')
    .argument('<đơn-vị...>', 'mã đơn vị trong danh sách đơn vị')
    .option('--year <năm>', 'năm báo cáo (bắt buộc)')
    .option('--format <dạng>', 'table (mặc định) hoặc json')
    .addHelpText('after', `
Số liệu đã duyệt không bị tệp gửi sau thay đổi: tệp mới được lưu nhưng chưa dùng, trừ khi người duyệt
xác nhận (ingest --force --reason). Các đơn vị được duyệt cùng lúc, hoặc không đơn vị nào nếu có lỗi.
Mã thoát: 0 thành công; 2 không phải người duyệt, năm đã khóa, đơn vị chưa có số liệu, hoặc xung đột.

Ví dụ:
  hoctap approve Q1 Q3 --year 2024`)
    .action((units: string[], opts: { year?: string; format?: string }, cmd: Command) => runReview(cmd, 'approve', units, opts));
  program
    .command('return')
    .description('trả lại báo cáo cho đơn vị, với lý do (ghi vào thông báo gửi đơn vị và lịch sử)')
    .argument('<đơn-vị>', 'mã đơn vị')
    .option('--year <năm>', 'năm báo cáo (bắt buộc)')
    .option('--reason <lý-do>', 'lý do trả lại (bắt buộc): đơn vị đọc lý do này')
    .option('--format <dạng>', 'table (mặc định) hoặc json')
    .addHelpText('after', `
Thông báo trả lại (tệp .txt) được ghi vào <thư mục làm việc>/feedback/<ngày_giờ>/ để gửi đơn vị.
Khi đơn vị gửi tệp mới, tệp đó được nhận như thường và đơn vị trở lại "Chờ duyệt".

Ví dụ:
  hoctap return Q1 --year 2024 --reason "Chỉ số 1.1.2 thiếu số liệu nữ"`)
    .action((unit: string, opts: { year?: string; reason?: string; format?: string }, cmd: Command) => runReview(cmd, 'return', [unit], opts));
  program
    .command('unapprove')
    .description('bỏ duyệt số liệu của một đơn vị trong năm, với lý do (chỉ người duyệt)')
    .argument('<đơn-vị>', 'mã đơn vị')
    .option('--year <năm>', 'năm báo cáo (bắt buộc)')
    .option('--reason <lý-do>', 'lý do bỏ duyệt (bắt buộc)')
    .option('--format <dạng>', 'table (mặc định) hoặc json')
    .addHelpText('after', `
Ví dụ:
  hoctap unapprove Q1 --year 2024 --reason "Đơn vị báo nhầm số liệu chỉ số 2.1.1"`)
    .action((unit: string, opts: { year?: string; reason?: string; format?: string }, cmd: Command) => runReview(cmd, 'unapprove', [unit], opts));
}

async function runReview(cmd: Command, action: Action, given: string[], opts: { year?: string; reason?: string; format?: string }): Promise<void> {
  const year = parseYear(opts.year, true);
  const format = parseFormat(opts.format, ['table', 'json'] as const, 'table');
  const ws = workspaceOf(cmd, year);
  // The embedded store's approvers are in the config: refused before anything opens. The shared store's are the database's.
  const listed = ws.databaseUrl ? null : await requireApprover(ws, DOING[action]);
  const codes = unitCodes(ws, given);
  requireStore(ws);
  const db = await openExistingStore(ws.dbPath);
  if (!db) throw new UserError(`Thư mục làm việc ${quotePath(ws.dir)} chưa có lần nhập nào: không có gì để ${DOING[action]}.`);
  try {
    const user = listed ?? await requireApprover(ws, DOING[action], db);
    // The revisions read now are the ones the write checks: a change by someone else in between is a conflict.
    const units = [];
    for (const unitCode of codes) units.push({ unitCode, seenRev: (await db.review(unitCode, year)).rev });
    const outcomes = await db.changeReview({ action, year, units, reason: opts.reason ?? null, user });
    const files = new Map<string, Submission | null>();
    for (const code of codes) files.set(code, await db.inForce(code, year));
    const notice = action === 'return' && outcomes[0]?.changed ? writeReturnNotice(ws, year, codes[0], files.get(codes[0]) ?? null, opts.reason!.trim(), user) : null;
    if (format === 'json') {
      process.stdout.write(renderJson({ action, year, notice, units: outcomes.map((o) => ({ ...o, inForce: files.get(o.unitCode!)?.id ?? null })) }));
      return;
    }
    process.stdout.write(describe(ws, action, year, outcomes, files, notice).join('\n') + '\n');
  } finally {
    await db.close();
  }
}

/** The units as the roster has them; a code it does not know is refused with the ones it does. */
function unitCodes(ws: Workspace, given: string[]): string[] {
  const unknown = given.filter((g) => !findUnit(ws, g));
  if (unknown.length) {
    throw new UserError(`Không có đơn vị ${unknown.map((u) => `"${u}"`).join(', ')} trong danh sách đơn vị năm ${ws.year}: ghi mã như cột "Đơn vị" của "${hoctapHint(['status', '--year', String(ws.year)])}".`);
  }
  return [...new Set(given.map((g) => findUnit(ws, g)!.code))];
}

function describe(ws: Workspace, action: Action, year: number, outcomes: ReviewOutcome[], files: Map<string, Submission | null>, notice: string | null): string[] {
  const name = (code: string) => `${findUnit(ws, code)?.name ?? code} (${code})`;
  const file = (code: string) => {
    const s = files.get(code);
    return s ? `lần nhập #${s.id}, tệp ${s.fileName}, nhận ngày ${formatDayVi(s.receivedAt)}` : 'không có số liệu đang dùng';
  };
  const lines: string[] = [];
  for (const o of outcomes) {
    const code = o.unitCode!;
    if (!o.changed) {
      lines.push(chalk.gray(`${name(code)}: đã được duyệt trước đó, không thay đổi.`));
      continue;
    }
    const verb = action === 'approve' ? chalk.green('Đã duyệt') : action === 'return' ? chalk.yellow('Đã trả lại') : chalk.yellow('Đã bỏ duyệt');
    lines.push(`${verb} số liệu năm ${year} của ${name(code)} (${file(code)}); phiên bản ${o.event.rev}, ${formatMomentVi(o.event.at)}.`);
    if (o.event.reason) lines.push(`  Lý do: ${o.event.reason}`);
  }
  if (notice) lines.push(`Thông báo trả lại gửi đơn vị: ${notice}`);
  if (action === 'approve') lines.push(`Khi mọi đơn vị có số liệu đã được duyệt, khóa năm bằng ${hoctapHint(['lock', '--year', String(year)])}.`);
  return lines;
}

/**
 * The notice the unit receives: its file, the reason and what to do, in the run's feedback folder beside the feedback
 * copies (a text file any PC opens). Returns its path.
 */
function writeReturnNotice(ws: Workspace, year: number, code: string, inForce: Submission | null, reason: string, user: string): string {
  const now = new Date();
  const unit = findUnit(ws, code);
  const file = path.join(ws.dir, 'feedback', fileStamp(now), `${code}-${year}.tra-lai.txt`);
  const to = [ws.profile.submitTo, ws.profile.submitEmail].filter(Boolean).join(', ');
  const lines = [
    'THÔNG BÁO TRẢ LẠI BÁO CÁO',
    '',
    `Đơn vị: ${unit?.name ?? code} (${code})`,
    `Năm báo cáo: ${year}`,
    inForce ? `Tệp đã nhận: ${inForce.fileName} (nhận ngày ${formatDayVi(inForce.receivedAt)})` : null,
    `Lý do trả lại: ${reason}`,
    `Người trả lại: ${user}, ${formatMomentVi(now)}`,
    '',
    `Đề nghị đơn vị sửa theo lý do trên và gửi lại biểu mẫu đã sửa${to ? ` cho ${to}` : ''}.`,
  ].filter((l): l is string => l !== null);
  writeFileAtomic(file, '\uFEFF' + lines.join('\r\n') + '\r\n');
  return file;
}
