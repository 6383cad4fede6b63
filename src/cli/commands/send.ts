import type { Command } from 'commander';
import chalk from 'chalk';
import { formatDayVi } from '../../dates.ts';
import { UserError } from '../../errors.ts';
import type { MailKind } from '../../store/store.ts';
import type { LetterResult } from '../../mail/send.ts';
import type { SendReport } from '../../mail/run-send.ts';
import type { MailHistory } from '../../mail/history.ts';
import { parseFormat, parseYear, progress, renderJson, renderTable } from '../output.ts';
import { workspaceOf, type SetExitCode } from '../context.ts';
import { hoctapHint } from '../invocation.ts';

const KIND_WORDS: Record<MailKind, string> = { templates: 'gửi biểu mẫu', feedback: 'gửi bản kiểm tra', reminders: 'nhắc nộp' };

const STATE_WORDS: Record<LetterResult['state'], string> = {
  sent: 'Đã gửi', drafted: 'Đã soạn thư nháp', failed: 'Gửi không được', already: 'Đã gửi trước đó', uncertain: 'Chưa rõ (lần trước bị ngắt)',
  busy: 'Đang được gửi ở nơi khác', would_send: 'Sẽ gửi',
};

export function registerSend(program: Command, setExitCode: SetExitCode): void {
  program
    .command('send')
    .description('gửi thư cho các đơn vị: biểu mẫu (templates), bản kiểm tra tệp bị từ chối hoặc có cảnh báo (feedback), thư nhắc đơn vị chưa có tệp được nhận (reminders)')
    .argument('<loại>', 'templates, feedback hoặc reminders')
    .option('--year <năm>', 'năm báo cáo (bắt buộc)')
    .option('--unit <mã...>', 'chỉ các đơn vị này (mã trong danh sách đơn vị)')
    .option('--dry-run', 'chạy thử: liệt kê ai sẽ nhận thư gì, không gửi, không ghi gì')
    .option('--drafts <thư-mục>', 'không gửi qua SMTP: ghi mỗi thư một tệp .eml (thư nháp) vào thư mục này để mở bằng Outlook/Thunderbird rồi gửi')
    .option('--resend-uncertain', 'gửi lại cả các thư mà lần chạy trước bị ngắt khi đang gửi (chỉ dùng sau khi đã xem hộp thư Đã gửi)')
    .option('--format <dạng>', 'table (mặc định) hoặc json')
    .addHelpText('after', `
Mỗi thư được ghi vào cơ sở dữ liệu trước và sau khi giao cho máy chủ thư: chạy lại lệnh chỉ gửi thư mới
hoặc thư gửi không được; không đơn vị nào nhận một thư hai lần. Cấu hình SMTP và mật khẩu: docs/mail.md.
Không có "mail.smtp" trong hoctap.config.json thì thư được ghi thành tệp .eml (thư nháp) trong mail-out/.

Ví dụ:
  hoctap send templates --year 2025 --dry-run
  hoctap send templates --year 2025
  hoctap send feedback --year 2025 --unit Q1 Q3
  hoctap send reminders --year 2025 --drafts ./thu-nhac`)
    .action(async (kind: string, opts: { year?: string; unit?: string[]; dryRun?: boolean; drafts?: string; resendUncertain?: boolean; format?: string }, cmd: Command) => {
      const { MAIL_KINDS, runSend } = await import('../../mail/run-send.ts');
      if (!(MAIL_KINDS as readonly string[]).includes(kind)) {
        throw new UserError(`Loại thư "${kind}" không có: chọn templates (biểu mẫu), feedback (bản kiểm tra) hoặc reminders (thư nhắc).`);
      }
      const year = parseYear(opts.year, true);
      const format = parseFormat(opts.format, ['table', 'json'] as const, 'table');
      const ws = workspaceOf(cmd, year);
      let bar: ReturnType<typeof progress> | null = null;
      const report = await runSend(ws, {
        kind: kind as MailKind, year, units: opts.unit ?? [], dryRun: opts.dryRun === true, draftsDir: opts.drafts,
        resendUncertain: opts.resendUncertain === true,
        onProgress: (r) => { bar ??= format === 'table' ? progress('Đang gửi', 0) : null; bar?.tick(r.letter.unitCode); },
      });
      (bar as ReturnType<typeof progress> | null)?.done();
      if (report.results.some((r) => r.state === 'failed' || r.state === 'uncertain')) setExitCode(1);
      process.stdout.write(format === 'json' ? renderJson(sendJson(report)) : renderSend(report));
    });
}

function sendJson(r: SendReport) {
  return {
    kind: r.kind, year: r.year, dryRun: r.dryRun, way: r.way,
    messages: r.results.map((x) => ({
      unit: x.letter.unitCode, unitName: x.letter.unitName, to: x.letter.to, subject: x.letter.subject, attachment: x.letter.attachment?.name ?? null,
      attachmentSha256: x.letter.attachment?.sha256 ?? null, state: x.state, messageId: x.messageId, detail: x.detail, at: x.at,
    })),
    unsent: r.unsent,
  };
}

export function renderSend(r: SendReport): string {
  const out: string[] = [];
  const colour = (s: LetterResult['state']) => (s === 'failed' || s === 'uncertain' ? chalk.red : s === 'already' || s === 'busy' ? chalk.gray : chalk.green);
  out.push(renderTable(
    ['Đơn vị', 'Gửi tới', 'Đính kèm', 'Kết quả'],
    r.results.map((x) => [
      `${x.letter.unitName} (${x.letter.unitCode})`, x.letter.to.join('\n'), x.letter.attachment?.name ?? '—',
      colour(x.state)(STATE_WORDS[x.state] + (x.state === 'already' && x.at ? ` ${formatDayVi(x.at)}` : '')) + (x.state === 'failed' || x.state === 'uncertain' ? `\n${x.detail ?? ''}` : ''),
    ]),
    [40, 30, 36, 40], { dropOrder: [2] },
  ));
  const n = (s: LetterResult['state']) => r.results.filter((x) => x.state === s).length;
  const what = KIND_WORDS[r.kind];
  if (r.dryRun) out.push(`Chạy thử (--dry-run): ${n('would_send')} thư ${what} sẽ được gửi, ${n('already')} đã gửi trước đó; không gửi, không ghi gì.`);
  else out.push(`${'smtp' in r.way ? `Gửi qua ${r.way.smtp}` : `Thư nháp (.eml) trong ${r.way.drafts}`}: ${n('sent') + n('drafted')} thư ${what} mới, ${n('already')} đã gửi trước đó, ${n('failed')} gửi không được.`);
  if (r.unsent.length) {
    out.push(chalk.yellow(`${r.unsent.length} đơn vị không có thư:`));
    for (const u of r.unsent) out.push(chalk.yellow(`  ${u.unitName} (${u.unitCode}): ${u.why}`));
  }
  if (n('failed')) out.push(`Chạy lại lệnh để gửi lại các thư gửi không được: ${hoctapHint(['send', r.kind, '--year', String(r.year)])}.`);
  if (n('uncertain')) {
    out.push(chalk.red(`${n('uncertain')} thư bị ngắt giữa chừng ở lần gửi trước: hoctap không gửi lại để tránh gửi hai lần. Xem hộp thư Đã gửi; ` +
      `nếu chưa có, gửi lại bằng ${hoctapHint(['send', r.kind, '--year', String(r.year), '--resend-uncertain'])}.`));
  }
  return out.join('\n') + '\n';
}

const OUTBOX_WORDS = { sending: 'đang gửi dở', sent: 'đã gửi', failed: 'gửi không được', drafted: 'đã soạn thư nháp' } as const;

/** For `history` and `status`: the messages sent to the units (and replies received), one line each; '' when none. */
export function renderMailHistory(h: MailHistory): string {
  if (!h.sent.length && !h.received.length) return '';
  const out = ['', chalk.bold(`Thư đã gửi (${h.sent.length}):`)];
  out.push(renderTable(
    ['Ngày', 'Đơn vị', 'Năm', 'Loại', 'Gửi tới', 'Đính kèm', 'Kết quả'],
    h.sent.map((e) => [formatDayVi(e.doneAt ?? e.handedAt), e.unitCode, e.year, KIND_WORDS[e.kind], e.recipients, e.attachmentName ?? '—', OUTBOX_WORDS[e.state]]),
    [12, 10, 6, 14, 30, 36, 18], { dropOrder: [5, 2] },
  ));
  if (h.received.length) {
    out.push(chalk.bold(`Thư trả lời đã nhận (${h.received.length}):`));
    out.push(renderTable(['Ngày', 'Đơn vị', 'Năm', 'Người gửi', 'Tiêu đề'], h.received.map((m) => [m.receivedAt ? formatDayVi(m.receivedAt) : '—', m.unitCode ?? '—', m.year ?? '—', m.sender ?? '—', m.subject ?? ''])));
  }
  return out.join('\n') + '\n';
}
