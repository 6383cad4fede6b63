import type { Command } from 'commander';
import chalk from 'chalk';
import { formatDayVi } from '../../dates.ts';
import { UserError } from '../../errors.ts';
import { MAIL_KIND_WORDS } from '../../ingest/email.ts';
import type { FetchResult } from '../../mail/fetch.ts';
import { openStore, openStoreForReading } from '../../store/open.ts';
import { parseFormat, parseYear, progress, renderJson, renderTable } from '../output.ts';
import { workspaceOf, type SetExitCode } from '../context.ts';
import { batchExitCode, batchJson, renderBatch } from './ingest.ts';

export function registerFetchMail(program: Command, setExitCode: SetExitCode): void {
  program
    .command('fetch-mail')
    .description('đọc hộp thư (IMAP): nhập tệp đính kèm của mọi thư chưa đọc như "ingest" nhập thư .eml, rồi đánh dấu đã đọc hoặc chuyển thư mục')
    .option('--year <năm>', 'năm báo cáo: tệp của năm khác bị từ chối')
    .option('--dry-run', 'chạy thử: đọc và kiểm tra như thật nhưng không lưu gì, không đánh dấu thư')
    .option('--format <dạng>', 'table (mặc định) hoặc json')
    .addHelpText('after', `
Cấu hình "mail": { "imap": { "host", "port", "secure", "user", "folder", "moveTo" } } trong hoctap.config.json,
mật khẩu trong biến HOCTAP_IMAP_PASSWORD (hoặc nhập khi được hỏi). Mỗi thư được lưu nguyên vẹn (.eml) trong
mail-in/ và archive/, ngày nhận là ngày của thư; không thư nào được nhập hai lần, kể cả từ máy khác dùng chung
cơ sở dữ liệu. Xem docs/mail.md.

Ví dụ:
  hoctap fetch-mail --year 2025 --dry-run
  hoctap fetch-mail --year 2025`)
    .action(async (opts: { year?: string; dryRun?: boolean; format?: string }, cmd: Command) => {
      const { fetchMail } = await import('../../mail/fetch.ts');
      const year = parseYear(opts.year);
      const format = parseFormat(opts.format, ['table', 'json'] as const, 'table');
      const ws = workspaceOf(cmd, year);
      const imap = ws.mail?.imap;
      if (!imap) throw new UserError('Chưa cấu hình hộp thư: ghi "mail": { "imap": { "host", "port", "secure", "user", "folder" } } vào hoctap.config.json (xem docs/mail.md).');
      const dryRun = opts.dryRun === true;
      const db = dryRun ? await openStoreForReading(ws.dbPath) : await openStore(ws.dbPath);
      if (!db) throw new UserError('Chạy thử cần cơ sở dữ liệu đã có (chưa nhập gì ở thư mục làm việc này).');
      let bar: ReturnType<typeof progress> | null = null;
      let result: FetchResult;
      try {
        result = await fetchMail(ws, db, imap, {
          year, dryRun, onProgress: (done, total) => { bar ??= format === 'table' ? progress('Đang đọc thư', total) : null; bar?.tick(String(done)); },
        });
      } finally {
        (bar as ReturnType<typeof progress> | null)?.done();
        await db.close();
      }
      if (result.batch) setExitCode(batchExitCode(result.batch));
      process.stdout.write(format === 'json' ? renderJson(fetchJson(result)) : renderFetch(result, dryRun));
    });
}

function fetchJson(r: FetchResult) {
  return {
    folder: r.folder,
    messages: r.messages.map((m) => ({
      uid: m.uid, messageId: m.messageKey, from: m.from, subject: m.subject, date: m.date, state: m.state, eml: m.eml,
      answers: m.answers ? { unit: m.answers.unitCode, year: m.answers.year, kind: m.answers.kind } : null, files: m.files.map((f) => f.file),
    })),
    ingest: r.batch ? batchJson(r.batch) : null,
  };
}

const STATE_WORDS = { ingested: 'Đã nhập', own: 'Bản sao thư hoctap gửi: bỏ qua', seen: 'Đã nhập trước đó', busy: 'Đang được nhập ở máy khác', would_ingest: 'Sẽ nhập' } as const;

function renderFetch(r: FetchResult, dryRun: boolean): string {
  const out: string[] = [];
  if (!r.messages.length) return `Không có thư chưa đọc trong thư mục "${r.folder}".\n`;
  out.push(renderTable(
    ['Thư', 'Người gửi', 'Ngày', 'Trả lời thư', 'Kết quả'],
    r.messages.map((m) => [
      m.subject ?? '(không tiêu đề)', m.from ?? '—', m.date ? formatDayVi(m.date) : '—',
      m.answers ? `${MAIL_KIND_WORDS[m.answers.kind]} ${m.answers.unitCode} năm ${m.answers.year}` : '—', STATE_WORDS[m.state],
    ]),
    [40, 30, 12, 26, 24], { dropOrder: [2, 3] },
  ));
  // A file of another unit or year than the mail it answers is said under the batch, with the file (renderBatch).
  if (r.batch) out.push('', renderBatch(r.batch).trimEnd());
  if (dryRun) out.push(chalk.yellow('Chạy thử (--dry-run): không nhập, không đánh dấu thư nào.'));
  return out.join('\n') + '\n';
}
