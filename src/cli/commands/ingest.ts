import path from 'node:path';
import type { Command } from 'commander';
import chalk from 'chalk';
import { formatDayVi, instantOfDay, parseDayInput } from '../../dates.ts';
import { deadlineFor, type Workspace } from '../../catalog/workspace.ts';
import { workspaceForYear } from '../../catalog/years.ts';
import { changedGroupLabel, SEVERITY_LABELS } from '../../vi/labels.ts';
import { UserError } from '../../errors.ts';
import { answeredWords, threadMismatch } from '../../ingest/email.ts';
import type { BatchResult, FileResult } from '../../ingest/types.ts';
import { parseFormat, parseYear, progress, renderJson, renderTable } from '../output.ts';
import { workspaceOf, type SetExitCode } from '../context.ts';
import { hoctapHint } from '../invocation.ts';
import { KEY_FILE } from '../../xlsx/signature.ts';
import { requireApprover } from '../../review/roles.ts';
import type { ForceConfirmation } from '../../store/store.ts';

/** How many messages of one file the table shows before pointing to the feedback copy. */
const MESSAGES_SHOWN = 12;

export function registerIngest(program: Command, setExitCode: SetExitCode): void {
  program
    .command('ingest')
    .description('nhập các biểu mẫu đơn vị gửi về (.xlsx) hoặc tệp CSV: kiểm tra, lưu số liệu, tạo bản kiểm tra gửi lại đơn vị')
    .argument('<tệp-hoặc-thư-mục...>', 'các tệp .xlsx/.csv, hoặc thư mục (tìm cả thư mục con)')
    .option('--year <năm>', 'năm báo cáo: tệp của năm khác bị từ chối')
    .option('--dry-run', 'chạy thử: kiểm tra và báo cáo như thật nhưng không lưu gì')
    .option('--received-at <ngày>', 'ngày nhận tệp (ngày/tháng/năm hoặc năm-tháng-ngày, ví dụ ngày nhận email), dùng để tính đúng hạn/trễ hạn; mặc định: ngày của thư (.eml, .msg), nếu không có thì hôm nay')
    .option('--replace', 'xác nhận: tệp gửi lại bỏ bớt số liệu so với bản đang dùng vẫn được đưa vào dùng (mặc định: tạm giữ)')
    .option('--force', 'người duyệt xác nhận: tệp của đơn vị đã duyệt hoặc năm đã khóa vẫn được đưa vào dùng (cần --reason)')
    .option('--reason <lý-do>', 'lý do của --force, lưu vào lịch sử')
    .option('--feedback-dir <thư-mục>', 'thư mục ghi bản kiểm tra (<tên>.kiem-tra.xlsx); mặc định <thư mục làm việc>/feedback/<ngày_giờ>')
    .option('--format <dạng>', 'table (mặc định) hoặc json')
    .addHelpText('after', `
Tệp gửi lại được so với bản đang dùng (số liệu thêm, đổi, bỏ). Tệp bỏ bớt số liệu đang dùng được lưu
nhưng tạm giữ, chưa dùng, cho đến khi xác nhận (--replace, hoặc "hoctap restore <số lần nhập>").
Biểu mẫu chưa điền số liệu nào bị từ chối. Không lần nhập nào bị xóa: "hoctap history" cho thấy mọi thay đổi.
Tệp của đơn vị đã được duyệt, hoặc của năm đã khóa, được lưu nhưng không thay số liệu đang dùng, trừ khi
người duyệt xác nhận bằng --force --reason "…" (docs/review.md).

Mã thoát: 0 khi mọi tệp được nhận, 1 khi có tệp bị từ chối, 2 khi dùng sai lệnh hoặc cấu hình.

Ví dụ:
  hoctap ingest ./bieu-mau-nhan-ve --year 2024
  hoctap ingest Q1.xlsx Q3.xlsx --received-at 09/12/2024
  hoctap ingest Q1-gui-lai.xlsx --replace
  hoctap ingest ./bieu-mau-nhan-ve --dry-run --format json > kiem-tra.json
  hoctap ingest so-lieu-SYT.csv --year 2024`)
    .action(async (paths: string[], opts: {
      year?: string; dryRun?: boolean; receivedAt?: string; feedbackDir?: string; format?: string; replace?: boolean; force?: boolean; reason?: string;
    }, cmd: Command) => {
      // Loaded on use: keeps every other command's start-up fast.
      const { ingest, IngestInterrupted } = await import('../../ingest/ingest.ts');
      const ws = workspaceOf(cmd);
      const year = parseYear(opts.year);
      const format = parseFormat(opts.format, ['table', 'json'] as const, 'table');
      const receivedAt = parseDate(opts.receivedAt);
      const force = await forceOf(ws, opts);
      let bar: ReturnType<typeof progress> | null = null;
      let result: BatchResult;
      try {
        result = await ingest(ws, paths, {
          year, dryRun: opts.dryRun === true, receivedAt, feedbackDir: opts.feedbackDir, replace: opts.replace === true, force,
          onStart: (total) => { if (format === 'table') bar = progress('Đang nhập', total); },
          onProgress: (_done, _total, file) => bar?.tick(file),
          ...testFault(),
        });
      } catch (e) {
        (bar as ReturnType<typeof progress> | null)?.done();
        // A fault outside the files' content: what was stored before it is said first, then the fault (exit 3 or its own).
        if (!(e instanceof IngestInterrupted)) throw e;
        process.stdout.write(format === 'json' ? renderJson(batchJson(e.done, 3)) : renderBatch(e.done));
        throw e.cause;
      }
      (bar as ReturnType<typeof progress> | null)?.done();
      setExitCode(batchExitCode(result));
      if (format === 'json') process.stdout.write(renderJson(batchJson(result)));
      else process.stdout.write(renderBatch(result));
      const late = judgedByToday(ws, result);
      if (late) process.stderr.write(chalk.yellow(late) + '\n');
      if (result.signaturesUnchecked) process.stderr.write(chalk.yellow(unchecked(result.signaturesUnchecked)) + '\n');
    });
}

/**
 * --force --reason: an approver's confirmation (docs/review.md); --reason alone, or --force without one, is refused. On
 * the shared store the approver is the login, as the database says (and enforces).
 */
async function forceOf(ws: Workspace, opts: { force?: boolean; reason?: string }): Promise<ForceConfirmation | undefined> {
  const reason = opts.reason?.trim();
  if (!opts.force) {
    if (opts.reason !== undefined) throw new UserError('--reason chỉ dùng cùng --force (người duyệt xác nhận đưa tệp vào dùng dù số liệu đã duyệt hoặc năm đã khóa).');
    return undefined;
  }
  if (!reason) throw new UserError('--force cần lý do: thêm --reason "…" (lý do được lưu vào lịch sử).');
  return { reason, user: await requireApprover(ws, 'dùng --force (thay số liệu đã duyệt hoặc của năm đã khóa)') };
}

/** --received-at: a calendar date (the day the e-mail arrived), as yyyy-mm-dd or dd/mm/yyyy. */
export function parseDate(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const day = parseDayInput(value);
  if (!day) throw new UserError(`--received-at "${value}" không hợp lệ: cần một ngày dạng ngày/tháng/năm (ví dụ 09/12/2024) hoặc năm-tháng-ngày (2024-12-09).`);
  return instantOfDay(day);
}

/** The exit code of a batch: 1 when a file was refused (the others are stored all the same), else 0. */
export function batchExitCode(r: BatchResult): 0 | 1 {
  // A duplicate of a refused file is still refused.
  return r.files.some((f) => f.status === 'rejected' || (f.status === 'duplicate' && f.duplicateOf?.status === 'rejected')) ? 1 : 0;
}

/**
 * Tests only (HOCTAP_TEST_FAULT_AT=<file name>): a fault outside the files' content when that file is reached, as a
 * full disk would be, to check that what was stored before it is said.
 */
function testFault(): { beforeFile?: (file: string) => void } {
  const at = process.env.HOCTAP_TEST_FAULT_AT;
  if (!at) return {};
  return { beforeFile: (file) => { if (path.basename(file) === at) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }); } };
}

const SKIPPED_WORDS: Record<BatchResult['skipped'][number]['why'], string> = {
  not_spreadsheet: 'không phải bảng tính hay thư', feedback_copy: 'bản kiểm tra hoctap đã gửi lại đơn vị',
  lock_file: 'tệp khóa của Excel (tệp đang mở)', hidden: 'tệp ẩn',
};

/** The stable JSON shape (documented in docs/ingest.md). */
export function batchJson(r: BatchResult, exitCode: number = batchExitCode(r)) {
  return {
    dryRun: r.dryRun,
    feedbackDir: r.feedbackDir,
    exitCode,
    signaturesUnchecked: r.signaturesUnchecked,
    skipped: r.skipped.map((s) => ({ file: s.file, path: s.path, why: s.why, reason: SKIPPED_WORDS[s.why] })),
    files: r.files.map((f) => ({
      file: f.file, path: f.path, sha256: f.sha256, kind: f.kind, unit: f.unit, unitName: f.unitName, year: f.year,
      status: f.status, reason: reasonOf(f), errors: f.errors, warnings: f.warnings, values: f.values, missing: f.missing,
      submissionId: f.submissionId, supersedes: f.supersedes, duplicateOf: f.duplicateOf, held: f.held, frozen: f.frozen ?? null, change: f.change, receivedAt: f.receivedAt, receivedFrom: f.receivedFrom,
      archive: f.archivePath, feedback: f.feedbackPath, answers: f.answers ? { unit: f.answers.unitCode, year: f.answers.year, kind: f.answers.kind } : null,
      messages: f.messages.map((m) => ({
        severity: m.severity, code: m.code, sheet: m.sheet, cell: m.cell, line: m.line, indicator: m.indicator,
        field: m.field, value: m.value, expected: m.expected, text: m.text,
      })),
    })),
  };
}

function statusText(f: FileResult): string {
  switch (f.status) {
    case 'accepted':
      if (f.held && f.frozen) return chalk.yellow(f.frozen.locked ? 'Đã lưu, không dùng (năm đã khóa)' : 'Đã lưu, không dùng (đã duyệt)');
      if (f.held) return chalk.yellow('Tạm giữ, chưa dùng');
      return chalk.green(f.supersedes ? `Đang dùng (thay bản #${f.supersedes.submissionId})` : 'Đang dùng');
    case 'duplicate': return chalk.gray('Đã nhập trước đó');
    default: return chalk.red('Bị từ chối');
  }
}

/**
 * Files received "today" (no e-mail Date, no --received-at) after their year's deadline will show as late: said, with
 * how to give the real date.
 */
function judgedByToday(ws: Workspace, r: BatchResult): string | null {
  const now = new Date();
  const late = r.files.filter((f) => f.receivedFrom === 'today' && f.status === 'accepted' && f.year !== null &&
    now > deadlineFor(workspaceForYear(ws, f.year).profile, f.year));
  if (!late.length) return null;
  return `Lưu ý: ${late.length} tệp không có ngày nhận (không phải thư .eml hay .msg, không có --received-at) nên được tính nhận hôm nay ` +
    `${formatDayVi(now)}, sau hạn nộp: chúng là "trễ hạn". Lần sau hãy nhập chính thư (.eml, .msg), hoặc ghi ngày nhận thật: --received-at ngày/tháng/năm.`;
}

/**
 * The workspace has no key file: the maps were read without their signature checked. Said once, with what to do; no
 * key is made here (every template sent out would then fail).
 */
function unchecked(n: number): string {
  return `Lưu ý: thư mục làm việc không có tệp khóa ký ${KEY_FILE} (bị mất khi chép thư mục sang máy khác?), nên chữ ký trang ẩn _meta của ` +
    `${n} biểu mẫu không được kiểm tra. Chép lại tệp ${KEY_FILE} từ thư mục làm việc gốc (hoặc bản sao lưu) vào thư mục làm việc này; ` +
    `nếu khóa đã mất hẳn: generate-templates sẽ tạo khóa mới, và biểu mẫu ký bằng khóa cũ khi đó bị từ chối (gửi đơn vị biểu mẫu mới).`;
}

/** What a resubmission changes against the figures in force, and, when held, how to confirm it. */
function changeLines(f: FileResult, dryRun: boolean): string[] {
  if (!f.change) return [];
  const c = f.change;
  const verb = dryRun ? 'sẽ thay đổi' : f.held ? 'muốn thay đổi' : 'đã thay đổi';
  const lines = [`  So với lần nhập đang dùng #${c.inForce}, tệp này ${verb}: ${c.added} số liệu thêm, ${c.changed} sửa, ${c.removed} bỏ` +
    (c.indicators.length ? ` (chỉ số ${c.indicators.slice(0, 8).map((i) => changedGroupLabel(i.id)).join(', ')}${c.indicators.length > 8 ? ` và ${c.indicators.length - 8} chỉ số khác` : ''}).` : ' (không khác gì).')];
  if ((f.held && !f.frozen) || (dryRun && c.removed > 0 && !f.frozen)) {
    lines.push(chalk.yellow(`  Tạm giữ, chưa dùng: tệp bỏ ${c.removed} số liệu mà bản đang dùng có. Nếu đúng là đơn vị muốn bỏ, xác nhận bằng ` +
      `${hoctapHint(['ingest', f.path, '--replace'])}${f.submissionId ? ` hoặc ${hoctapHint(['restore', String(f.submissionId)])}` : ''}.`));
  }
  return lines;
}

/** The mail of hoctap a message's file replies to, and a word when the file is another unit's or year's (src/ingest/email.ts). */
function threadLines(f: FileResult): string[] {
  if (!f.answers) return [];
  const mismatch = threadMismatch(f.answers, { name: f.file, unit: f.unit, year: f.year });
  return [`  Thư ${answeredWords(f.answers)}.`, ...(mismatch ? [chalk.yellow(`  ${mismatch}`)] : [])];
}

/** A file kept out of force because its unit's figures are approved or its year locked: why, and what to do. */
function frozenLines(f: FileResult): string[] {
  if (!f.frozen) return [];
  const y = String(f.year);
  const id = f.submissionId ?? f.duplicateOf?.submissionId ?? null;
  const undo = f.frozen.locked ? hoctapHint(['unlock', '--year', y, '--reason', '<lý do>']) : hoctapHint(['unapprove', f.unit ?? '<đơn vị>', '--year', y, '--reason', '<lý do>']);
  return [chalk.yellow(`  Đã lưu nhưng không thay số liệu đang dùng: ${f.frozen.why}. Nếu số liệu cần thay, người duyệt xác nhận đúng tệp này bằng ` +
    `${hoctapHint(['ingest', f.path, '--force', '--reason', '<lý do>'])}, hoặc ${f.frozen.locked ? 'mở khóa năm' : 'bỏ duyệt'} (${undo}) rồi đưa tệp vào dùng` +
    `${id ? ` bằng ${hoctapHint(['restore', String(id)])}` : ''}.`)];
}

export function renderBatch(r: BatchResult): string {
  const out: string[] = [];
  out.push(renderTable(
    ['Tệp', 'Đơn vị', 'Năm', 'Kết quả', 'Lỗi', 'Cảnh báo'],
    r.files.map((f) => [f.file, f.unit ? `${f.unit}${f.unitName ? `\n${f.unitName}` : ''}` : '—', f.year ?? '—', statusText(f), f.errors, f.warnings]),
  ));
  for (const f of r.files) {
    if (f.status === 'duplicate') {
      out.push(chalk.gray(`${f.file}: ${reasonOf(f)}`));
      if (f.duplicateOf?.status === 'held') out.push(...frozenLines(f));
      continue;
    }
    const change = [...threadLines(f), ...changeLines(f, r.dryRun), ...frozenLines(f)];
    if (!f.messages.length && !change.length) continue;
    out.push('');
    out.push(chalk.bold(`${f.file}${f.unit ? ` (${f.unit})` : ''}:`));
    out.push(...change);
    for (const m of f.messages.slice(0, MESSAGES_SHOWN)) {
      out.push(`  ${(m.severity === 'error' ? chalk.red : chalk.yellow)(SEVERITY_LABELS[m.severity])}: ${m.text}`);
    }
    if (f.messages.length > MESSAGES_SHOWN) out.push(chalk.gray(`  … và ${f.messages.length - MESSAGES_SHOWN} thông báo khác${f.feedbackPath ? ' (xem bản kiểm tra)' : ' (xem --format json)'}`));
  }
  const count = (s: string) => r.files.filter((f) => f.status === s).length;
  out.push('');
  const held = r.files.filter((f) => f.held).length;
  out.push(`${r.files.length} tệp: ${count('accepted')} được nhận${held ? ` (${held} tạm giữ, chưa dùng)` : ''}, ${count('rejected')} bị từ chối, ${count('duplicate')} đã nhập trước đó.`);
  out.push(...skippedLines(r));
  if (r.feedbackDir) out.push(`Bản kiểm tra gửi lại đơn vị (ô lỗi tô đỏ, ô cần xem lại tô cam, có ghi chú): ${r.feedbackDir}`);
  if (r.dryRun) out.push(chalk.yellow('Chạy thử (--dry-run): không lưu gì vào cơ sở dữ liệu.'));
  return out.join('\n') + '\n';
}

/** The other files of the folders, by reason, each named: nothing in a folder goes unsaid. */
function skippedLines(r: BatchResult): string[] {
  if (!r.skipped.length) return [];
  const lines = [chalk.gray(`Bỏ qua ${r.skipped.length} tệp khác trong thư mục (không đọc):`)];
  for (const why of Object.keys(SKIPPED_WORDS) as BatchResult['skipped'][number]['why'][]) {
    const these = r.skipped.filter((s) => s.why === why);
    if (these.length) lines.push(chalk.gray(`  ${SKIPPED_WORDS[why]} (${these.length}): ${these.map((s) => s.file).join(', ')}`));
  }
  return lines;
}

/** A file's reason, with the command that would help written as hoctap is called here. */
function reasonOf(f: FileResult): string | null {
  return f.hint && f.reason ? `${f.reason}; để dùng lại bản đó: ${hoctapHint(f.hint)}` : f.reason;
}
