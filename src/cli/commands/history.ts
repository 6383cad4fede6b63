import type { Command } from 'commander';
import { hoctapHint } from '../invocation.ts';
import chalk from 'chalk';
import { IN_FORCE_REASON_LABELS, REVIEW_ACTION_LABELS, SUBMISSION_STATUS_LABELS } from '../../vi/labels.ts';
import { formatDayVi, formatMomentVi } from '../../dates.ts';
import { openStoreForReading } from '../../store/open.ts';
import type { Confirmation, ReviewEvent, StoredMessage, StoreEvent, Submission, UnattributedFile } from '../../store/store.ts';
import { storedWords } from '../../findings/stored.ts';
import { parseFormat, parseYear, renderCsv, renderJson, renderTable } from '../output.ts';
import { requireStore, workspaceOf, type SetExitCode } from '../context.ts';
import { findUnit, type Workspace } from '../../catalog/workspace.ts';
import { yearConfig } from '../../catalog/years.ts';
import { readMailHistory } from '../../mail/history.ts';
import { renderMailHistory } from './send.ts';

const STATUS_LABELS = SUBMISSION_STATUS_LABELS;
export const REASON_LABELS: Record<StoreEvent['reason'], string> = IN_FORCE_REASON_LABELS;
const UNKNOWN_USER = 'không rõ';
/** Error messages shown under a rejected submission in the table. */
const ERRORS_SHOWN = 5;

export function registerHistory(program: Command, _setExitCode: SetExitCode): void {
  program
    .command('history')
    .description('lịch sử các lần nhập: mọi tệp đã nhận, trạng thái, ngày nhận, bản nào thay thế bản nào, mọi lần thay đổi số liệu đang dùng và mọi lần duyệt, trả lại, khóa năm (ai, khi nào, vì sao)')
    .option('--unit <mã>', 'chỉ một đơn vị (mã trong danh sách đơn vị)')
    .option('--year <năm>', 'chỉ một năm báo cáo')
    .option('--format <dạng>', 'table (mặc định), json hoặc csv')
    .addHelpText('after', `
Mỗi lần số liệu đang dùng của một đơn vị thay đổi (tệp mới được chấp nhận, xác nhận bản tạm giữ,
khôi phục bản trước bằng "hoctap restore") là một sự kiện: ngày, người thực hiện (tài khoản máy tính),
lý do, lần nhập được đưa vào dùng và lần nhập thôi dùng. Không lần nhập nào bị xóa.

Ví dụ:
  hoctap history --unit Q1 --year 2024
  hoctap history --year 2024 --format json > lich-su-2024.json`)
    .action(async (opts: { unit?: string; year?: string; format?: string }, cmd: Command) => {
      const ws = workspaceOf(cmd);
      const year = parseYear(opts.year);
      const format = parseFormat(opts.format, ['table', 'json', 'csv'] as const, 'table');
      // A unit code as the analyst types it; a unit no longer in the roster still has its history.
      const unit = opts.unit ? (findUnit(ws, opts.unit)?.code ?? opts.unit.trim()) : undefined;
      const history = await readHistory(ws, unit, year);
      const render = format === 'json' ? historyJson : format === 'csv' ? historyCsv : historyTable;
      process.stdout.write(render(history));
      // The messages sent to the units (send) and their replies (fetch-mail): src/mail.
      if (format === 'table') process.stdout.write(renderMailHistory(await readMailHistory(ws.dbPath, { unitCode: unit, year })));
    });
}

/** What `hoctap history` shows, read from the store, with what the views share: who replaced whom, names, files. */
interface History {
  unit: string | undefined;
  year: number | undefined;
  rows: Submission[];
  unattributed: UnattributedFile[];
  messages: Map<number, StoredMessage[]>;
  events: StoreEvent[];
  /** The analyst's confirmations of figures a query found impossible (hoctap confirm). */
  confirmations: Confirmation[];
  /** The transitions of review (approve, return, unapprove, lock, unlock, force): who, when, why (docs/review.md). */
  reviews: ReviewEvent[];
  /** Submission id → the id of the submission it replaced. */
  replaced: Map<number, number>;
  /** The unit's name as its year's roster named it, null when that roster does not have it. */
  nameOf: (code: string, year: number) => string | null;
  byId: Map<number, Submission>;
}

/** The submissions, their messages and the in-force events (and, unfiltered, the unattributed files) of the scope. */
async function readHistory(ws: Workspace, unit: string | undefined, year: number | undefined): Promise<History> {
  let rows: Submission[] = [];
  let unattributed: UnattributedFile[] = [];
  const messages = new Map<number, StoredMessage[]>();
  let events: StoreEvent[] = [];
  let confirmations: Confirmation[] = [];
  let reviews: ReviewEvent[] = [];
  requireStore(ws);
  const db = await openStoreForReading(ws.dbPath);
  if (db) {
    try {
      rows = await db.history({ unitCode: unit, year });
      for (const r of rows) messages.set(r.id, await db.messagesOf(r.id));
      events = await db.events({ unitCode: unit, year });
      const years = year !== undefined ? [year] : [...new Set(rows.map((r) => r.year))];
      for (const y of years) confirmations = confirmations.concat(...(await db.confirmationsOfYear(y)).filter((c) => !unit || c.unitCode === unit));
      reviews = await db.reviewEvents({ unitCode: unit, year });
      if (!unit && year === undefined) unattributed = await db.unattributedFiles();
    } finally {
      await db.close();
    }
  }
  const replaced = new Map<number, number>();
  for (const r of rows) if (r.supersededBy !== null) replaced.set(r.supersededBy, r.id);
  // A submission is named as its year's roster named the unit (a 2024 department by its pre-merger name).
  const rosters = new Map<number, Map<string, string>>();
  const nameOf = (code: string, y: number) => {
    if (!rosters.has(y)) rosters.set(y, new Map(yearConfig(ws, y).roster.map((u) => [u.code, u.name])));
    return rosters.get(y)!.get(code) ?? null;
  };
  const byId = new Map(rows.map((r) => [r.id, r]));
  return { unit, year, rows, unattributed, messages, events, confirmations, reviews, replaced, nameOf, byId };
}

/** --format json: every submission with its messages, every event, every unattributed file. */
function historyJson(h: History): string {
  const { rows, messages, replaced, nameOf, byId } = h;
  return renderJson({
    unit: h.unit ?? null, year: h.year ?? null,
    submissions: rows.map((r) => ({
      id: r.id, unit: r.unitCode, unitName: nameOf(r.unitCode, r.year), year: r.year, status: r.status, file: r.fileName,
      sha256: r.sha256, archive: r.archivePath, kind: r.sourceKind, receivedAt: r.receivedAt, ingestedAt: r.ingestedAt,
      values: r.valueCount, errors: r.errorCount, warnings: r.warningCount,
      supersededBy: r.supersededBy, supersedes: replaced.get(r.id) ?? null,
      catalogVersion: r.catalogVersion, templateVersion: r.templateVersion,
      messages: (messages.get(r.id) ?? []).map((m) => ({
        severity: m.severity, code: m.code, sheet: m.sheet, cell: m.cell, line: m.line, indicator: m.indicatorId,
        field: m.fieldId, value: m.valueSeen, ...storedWords(m),
      })),
    })),
    events: h.events.map((e) => ({
      id: e.id, at: e.at, user: e.user, reason: e.reason, unit: e.unitCode, year: e.year,
      inForce: e.inForce, inForceFile: e.inForce !== null ? byId.get(e.inForce)?.fileName ?? null : null,
      outOfForce: e.outOfForce, outOfForceFile: e.outOfForce !== null ? byId.get(e.outOfForce)?.fileName ?? null : null,
    })),
    confirmations: h.confirmations,
    reviews: h.reviews.map((e) => ({ id: e.id, at: e.at, user: e.user, action: e.action, unit: e.unitCode, year: e.year, reason: e.reason, rev: e.rev })),
    unattributed: h.unattributed.map((u) => ({
      id: u.id, file: u.fileName, sha256: u.sha256, archive: u.archivePath, receivedAt: u.receivedAt, ingestedAt: u.ingestedAt, code: u.code, reason: u.reason,
    })),
  });
}

/** --format csv: one line per submission. */
function historyCsv(h: History): string {
  const { replaced, nameOf } = h;
  return renderCsv(
    ['id', 'unit_code', 'unit_name', 'year', 'status', 'trang_thai', 'received', 'file', 'values', 'errors', 'warnings', 'superseded_by', 'supersedes'],
    h.rows.map((r) => [r.id, r.unitCode, nameOf(r.unitCode, r.year), r.year, r.status, STATUS_LABELS[r.status] ?? r.status, formatDayVi(r.receivedAt), r.fileName,
      r.valueCount, r.errorCount, r.warningCount, r.supersededBy, replaced.get(r.id) ?? null]),
  );
}

/** The table for a person: submissions, why each rejected one was, the held ones, the events, the unattributed files. */
function historyTable(h: History): string {
  const { rows, unattributed, events } = h;
  const scope = [h.unit ? `đơn vị ${h.unit}` : null, h.year ? `năm ${h.year}` : null].filter(Boolean).join(', ');
  if (!rows.length && !unattributed.length) return `Chưa có lần nhập nào${scope ? ` (${scope})` : ''}.\n`;
  const out: string[] = [];
  if (rows.length) out.push(...submissionLines(h));
  if (events.length) {
    const sub = (id: number | null) => (id === null ? '—' : `#${id} ${h.byId.get(id)?.fileName ?? ''}`.trim());
    out.push('', chalk.bold(`Các lần thay đổi số liệu đang dùng (${events.length}):`));
    out.push(renderTable(
      ['Ngày', 'Người thực hiện', 'Lý do', 'Đơn vị', 'Năm', 'Đưa vào dùng', 'Thôi dùng'],
      events.map((e) => [formatDayVi(e.at), e.user ?? UNKNOWN_USER, REASON_LABELS[e.reason] ?? e.reason, e.unitCode, e.year, sub(e.inForce), sub(e.outOfForce)]),
    ));
  }
  if (h.confirmations.length) {
    out.push('', chalk.bold(`Số liệu chuyên viên đã xác nhận (${h.confirmations.length}):`));
    out.push(renderTable(['Ngày', 'Người thực hiện', 'Đơn vị', 'Năm', 'Chỉ số', 'Lần nhập', 'Lý do'],
      h.confirmations.map((c) => [formatDayVi(c.at), c.user ?? UNKNOWN_USER, c.unitCode, c.year, c.indicatorId, `#${c.submissionId}`, c.reason])));
  }
  if (h.reviews.length) {
    out.push('', chalk.bold(`Các lần duyệt, trả lại, khóa năm (${h.reviews.length}):`));
    out.push(renderTable(
      ['Thời điểm', 'Người thực hiện', 'Việc', 'Đơn vị', 'Năm', 'Lý do'],
      h.reviews.map((e) => [formatMomentVi(e.at), e.user ?? UNKNOWN_USER, REVIEW_ACTION_LABELS[e.action] ?? e.action, e.unitCode ?? '(cả năm)', e.year, e.reason ?? '']),
    ));
  }
  if (unattributed.length) {
    out.push('', chalk.bold('Tệp không xác định được đơn vị (đã lưu bản gốc):'));
    out.push(renderTable(['#', 'Ngày nhận', 'Tệp', 'Lý do'], unattributed.map((u) => [u.id, formatDayVi(u.receivedAt), u.fileName, u.reason]), [6, 12, 28, 80]));
  }
  out.push(`${rows.length} lần nhập${scope ? ` (${scope})` : ''}${unattributed.length ? `, ${unattributed.length} tệp không xác định được đơn vị` : ''}.`);
  return out.join('\n') + '\n';
}

/** The submissions' table, then the errors of each rejected submission and a line for each held one. */
function submissionLines(h: History): string[] {
  const { rows, replaced, messages, nameOf } = h;
  const link = (r: Submission) => [
    r.supersededBy !== null ? `thay bởi #${r.supersededBy}` : '',
    replaced.has(r.id) ? `thay cho #${replaced.get(r.id)}` : '',
  ].filter(Boolean).join('\n');
  const color = (s: string) => (s === 'accepted' ? chalk.green : s === 'rejected' ? chalk.red : s === 'held' ? chalk.yellow : chalk.gray)(STATUS_LABELS[s] ?? s);
  const out: string[] = [renderTable(
    ['#', 'Đơn vị', 'Năm', 'Trạng thái', 'Ngày nhận', 'Tệp', 'Số liệu', 'Lỗi', 'Cảnh báo', 'Thay thế'],
    rows.map((r) => [r.id, [r.unitCode, nameOf(r.unitCode, r.year)].filter(Boolean).join('\n'), r.year, color(r.status), formatDayVi(r.receivedAt), r.fileName, r.valueCount, r.errorCount, r.warningCount, link(r)]),
  )];
  for (const r of rows.filter((x) => x.status === 'rejected')) {
    const errs = (messages.get(r.id) ?? []).filter((m) => m.severity === 'error');
    out.push(chalk.bold(`#${r.id} ${r.fileName} bị từ chối vì:`));
    for (const m of errs.slice(0, ERRORS_SHOWN)) out.push(`  ${storedWords(m).text}`);
    if (errs.length > ERRORS_SHOWN) out.push(chalk.gray(`  … và ${errs.length - ERRORS_SHOWN} lỗi khác (xem --format json)`));
  }
  for (const r of rows.filter((x) => x.status === 'held')) {
    out.push(chalk.yellow(`#${r.id} ${r.fileName} đang tạm giữ: số liệu được lưu nhưng chưa dùng; "${hoctapHint(['restore', String(r.id)])}" để đưa vào dùng.`));
  }
  return out;
}
