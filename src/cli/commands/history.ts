import fs from 'node:fs';
import type { Command } from 'commander';
import chalk from 'chalk';
import { openDatabase } from '../../store/db.ts';
import { history, messagesOf, type SubmissionRow } from '../../store/queries.ts';
import { unattributedFiles, type UnattributedRow } from '../../store/submissions.ts';
import { parseFormat, parseYear, renderJson, renderTable } from '../output.ts';
import { workspaceOf, type SetExitCode } from '../context.ts';

const STATUS_LABELS: Record<string, string> = { accepted: 'Đang dùng', superseded: 'Đã được thay thế', rejected: 'Bị từ chối' };
/** Error messages shown under a rejected submission in the table. */
const ERRORS_SHOWN = 5;

export function registerHistory(program: Command, _setExitCode: SetExitCode): void {
  program
    .command('history')
    .description('lịch sử các lần nhập: mọi tệp đã nhận, trạng thái, ngày nhận, bản nào thay thế bản nào')
    .option('--unit <mã>', 'chỉ một đơn vị (mã trong danh sách đơn vị)')
    .option('--year <năm>', 'chỉ một năm báo cáo')
    .option('--format <dạng>', 'table (mặc định ở terminal) hoặc json')
    .addHelpText('after', `
Ví dụ:
  hoctap history --unit Q1 --year 2024
  hoctap history --year 2024 --format json > lich-su-2024.json`)
    .action((opts: { unit?: string; year?: string; format?: string }, cmd: Command) => {
      const ws = workspaceOf(cmd);
      const year = parseYear(opts.year);
      const format = parseFormat(opts.format, ['table', 'json'] as const, process.stdout.isTTY ? 'table' : 'json');
      // A unit code as the analyst types it; a unit no longer in the roster still has its history.
      const unit = opts.unit ? (ws.roster.find((u) => u.code.toUpperCase() === opts.unit!.trim().toUpperCase())?.code ?? opts.unit.trim()) : undefined;
      let rows: SubmissionRow[] = [];
      let unattributed: UnattributedRow[] = [];
      let messages = new Map<number, ReturnType<typeof messagesOf>>();
      // Reading never creates the database (a mistyped --workspace must not leave one behind).
      if (fs.existsSync(ws.dbPath)) {
        const db = openDatabase(ws.dbPath);
        try {
          rows = history(db, unit, year);
          messages = new Map(rows.map((r) => [r.id, messagesOf(db, r.id)]));
          if (!unit && year === undefined) unattributed = unattributedFiles(db);
        } finally {
          db.close();
        }
      }
      const replaced = new Map<number, number>();
      for (const r of rows) if (r.superseded_by !== null) replaced.set(r.superseded_by, r.id);
      const nameOf = (code: string) => ws.roster.find((u) => u.code === code)?.name ?? null;

      if (format === 'json') {
        process.stdout.write(renderJson({
          unit: unit ?? null, year: year ?? null,
          submissions: rows.map((r) => ({
            id: r.id, unit: r.unit_code, unitName: nameOf(r.unit_code), year: r.year, status: r.status, file: r.file_name,
            sha256: r.sha256, archive: r.archive_path, kind: r.source_kind, receivedAt: r.received_at, ingestedAt: r.ingested_at,
            values: r.value_count, errors: r.error_count, warnings: r.warning_count,
            supersededBy: r.superseded_by, supersedes: replaced.get(r.id) ?? null,
            catalogVersion: r.catalog_version, templateVersion: r.template_version,
            messages: (messages.get(r.id) ?? []).map((m) => ({
              severity: m.severity, code: m.code, sheet: m.sheet, cell: m.cell, line: m.line ?? null, indicator: m.indicator_id,
              field: m.field_id, value: m.value_seen, expected: m.expected, text: m.text,
            })),
          })),
          unattributed: unattributed.map((u) => ({
            id: u.id, file: u.file_name, sha256: u.sha256, archive: u.archive_path, receivedAt: u.received_at, ingestedAt: u.ingested_at, code: u.code, reason: u.reason,
          })),
        }));
        return;
      }
      const scope = [unit ? `đơn vị ${unit}` : null, year ? `năm ${year}` : null].filter(Boolean).join(', ');
      if (!rows.length && !unattributed.length) {
        process.stdout.write(`Chưa có lần nhập nào${scope ? ` (${scope})` : ''}.\n`);
        return;
      }
      const link = (r: SubmissionRow) => [
        r.superseded_by !== null ? `thay bởi #${r.superseded_by}` : '',
        replaced.has(r.id) ? `thay cho #${replaced.get(r.id)}` : '',
      ].filter(Boolean).join('\n');
      const color = (s: string) => (s === 'accepted' ? chalk.green : s === 'rejected' ? chalk.red : chalk.gray)(STATUS_LABELS[s] ?? s);
      const out: string[] = [];
      if (rows.length) {
        out.push(renderTable(
          ['#', 'Đơn vị', 'Năm', 'Trạng thái', 'Ngày nhận', 'Tệp', 'Số liệu', 'Lỗi', 'Cảnh báo', 'Thay thế'],
          rows.map((r) => [r.id, r.unit_code, r.year, color(r.status), r.received_at.slice(0, 10), r.file_name, r.value_count, r.error_count, r.warning_count, link(r)]),
        ));
        for (const r of rows.filter((x) => x.status === 'rejected')) {
          const errs = (messages.get(r.id) ?? []).filter((m) => m.severity === 'error');
          out.push(chalk.bold(`#${r.id} ${r.file_name} bị từ chối vì:`));
          for (const m of errs.slice(0, ERRORS_SHOWN)) out.push(`  ${m.text}`);
          if (errs.length > ERRORS_SHOWN) out.push(chalk.gray(`  … và ${errs.length - ERRORS_SHOWN} lỗi khác (xem --format json)`));
        }
      }
      if (unattributed.length) {
        out.push('', chalk.bold('Tệp không xác định được đơn vị (đã lưu bản gốc):'));
        const width = Math.max(process.stdout.columns ?? 120, 100);
        out.push(renderTable(['#', 'Ngày nhận', 'Tệp', 'Lý do'], unattributed.map((u) => [u.id, u.received_at.slice(0, 10), u.file_name, u.reason]), [6, 12, 28, width - 52]));
      }
      out.push(`${rows.length} lần nhập${scope ? ` (${scope})` : ''}${unattributed.length ? `, ${unattributed.length} tệp không xác định được đơn vị` : ''}.`);
      process.stdout.write(out.join('\n') + '\n');
    });
}
