import type { Command } from 'commander';
import { hoctapHint } from '../invocation.ts';
import chalk from 'chalk';
import { computeScores } from '../../scoring/score.ts';
import { openWorkspaceStore } from '../../scoring/store-access.ts';
import {
  byKindText, coverageText, formatIndicatorValue, formatPrevious, formatTargets, goalText, incompleteText, queriesShort, queryLine, targetWho,
} from '../../scoring/format.ts';
import { formatNumberVi } from '../../catalog/targets.ts';
import { NO_TARGET_LABEL } from '../../vi/labels.ts';
import { VERDICT_LABELS, type IndicatorScore, type Rollup, type ScoreReport, type Verdict } from '../../scoring/types.ts';
import { parseFormat, parseYear, renderCsv, renderJson, renderTable } from '../output.ts';
import { requireStore, workspaceOf, type SetExitCode } from '../context.ts';

const COLOURS: Record<Verdict, (s: string) => string> = { met: chalk.green, not_met: chalk.red, missing: chalk.yellow, pending: chalk.magenta };

function verdictLines(ind: IndicatorScore, year: number, colour: boolean): string[] {
  const paint = (v: Verdict) => (colour ? COLOURS[v](VERDICT_LABELS[v]) : VERDICT_LABELS[v]);
  if (!ind.hasTarget) return [NO_TARGET_LABEL];
  const lines = [paint(ind.verdict)];
  // Judged twice: against the criterion's threshold and against the year's roadmap target, side by side.
  if (ind.roadmap && ind.threshold.targets.length) {
    lines.push(`Ngưỡng: ${paint(ind.threshold.verdict)}`);
    lines.push(`${targetWho(ind.roadmap.targets[0], year)}: ${paint(ind.roadmap.verdict)}`);
  }
  const cov = coverageText(ind);
  if (cov) lines.push(colour ? chalk.yellow(cov) : cov);
  const q = queriesShort(ind);
  if (q) lines.push(colour && ind.queries.some((x) => !x.answered) ? chalk.yellow(q) : q);
  if (ind.verdictChange === 'target_changed') lines.push('Chỉ tiêu đổi so với năm trước');
  if (ind.disagreement) lines.push(colour ? chalk.yellow('Các cơ quan báo khác nhau') : 'Các cơ quan báo khác nhau');
  return lines;
}

function rollupCells(r: Rollup, previousYear: number | null): (string | number)[] {
  const prev = r.previous ? `${r.previous.met}/${r.previous.assessed} đạt, ${r.previous.missing} thiếu` : '—';
  return [r.name, r.total, r.met, r.notMet, r.missing, previousYear === null ? '—' : prev];
}

function renderScoreTable(report: ScoreReport): string {
  const width = Math.max(process.stdout.columns ?? 140, 110);
  const rows = report.indicators.map((i) => [
    `${i.id}\n${i.text}`,
    formatIndicatorValue(i).join('\n'),
    formatTargets(i, report.year).join('\n'),
    verdictLines(i, report.year, true).join('\n'),
    formatPrevious(i),
  ]);
  const out: string[] = [];
  out.push(chalk.bold(`Kết quả các chỉ số năm ${report.year}`) + (report.previousYear ? ` (so với năm ${report.previousYear})` : ''));
  out.push(renderTable(
    ['Chỉ số', 'Giá trị', 'Chỉ tiêu', 'Đánh giá', 'Năm trước'],
    rows,
    // Borders take 6 characters; the verdict column is fixed, the others share the rest.
    [0.34, 0.27, 0.25, 0, 0.14].map((share) => (share ? Math.floor((width - 16 - 6) * share) : 16)),
  ));
  const r = report.rollups;
  out.push(chalk.bold('Tổng hợp'));
  out.push(renderTable(
    ['Lĩnh vực', 'Số chỉ số', 'Đạt', 'Chưa đạt', 'Thiếu số liệu', report.previousYear ? `Năm ${report.previousYear}` : 'Năm trước'],
    [...r.areas, r.overall].map((x) => rollupCells(x, report.previousYear)),
    [Math.max(30, width - (11 + 7 + 10 + 15 + 24) - 7), 11, 7, 10, 15, 24],
  ));
  const o = r.overall;
  out.push(`${o.met}/${o.assessed} chỉ số đã đánh giá đạt; ${o.missing} chỉ số thiếu số liệu` +
    (o.withoutTarget ? `; ${o.withoutTarget} chỉ số chưa có chỉ tiêu cho năm ${report.year}` : '') + '.');
  const kinds = byKindText(o, report.year);
  if (kinds) out.push(`Đánh giá theo từng loại chỉ tiêu: ${kinds}.`);
  const incomplete = incompleteText(o);
  if (incomplete) out.push(chalk.yellow(`${incomplete}: kết quả chưa phản ánh toàn bộ các đơn vị.`));
  if (o.sameFooting && report.previousYear !== null) {
    out.push(`So sánh cùng điều kiện (${o.sameFooting.indicators} chỉ số được đánh giá cả hai năm theo chỉ tiêu không đổi): ` +
      `năm ${report.previousYear} đạt ${o.sameFooting.previousMet}, năm ${report.year} đạt ${o.sameFooting.met}.`);
  }
  if (report.comparison?.note) out.push(chalk.yellow(report.comparison.note));
  for (const g of report.goals) out.push(goalText(g) + '.');
  for (const i of report.indicators) {
    // One line per thing said: a unit's two queries answered by its one Giải trình (a Tăng against a figure that fell,
    // far from last year) are one answer, printed once.
    const lines = new Map(i.queries.map((q) => [queryLine(q), q.answered] as const));
    for (const [line, answered] of lines) out.push(answered ? `Chỉ số ${i.id}: ${line}.` : chalk.yellow(`Chỉ số ${i.id}: ${line}.`));
  }
  const disagreeing = report.indicators.filter((i) => i.disagreement);
  for (const i of disagreeing) {
    const answers = i.agencyAnswers.map((a) => `${a.agencyName}: ${i.measures.map((m) => a.values[m.id] === null ? '—' : formatNumberVi(a.values[m.id]!, 2) + (m.unit === '%' ? '%' : '')).join('; ')}`);
    out.push(chalk.yellow(`Chỉ số ${i.id}: các cơ quan báo khác nhau (${answers.join(' · ')}); giá trị dùng là trung bình, cần thống nhất.`));
  }
  return out.join('\n') + '\n';
}

function renderScoreCsv(report: ScoreReport): string {
  return renderCsv(
    ['Mã chỉ số', 'Mã tiêu chí', 'Mã tiêu chuẩn', 'Mã lĩnh vực', 'Chỉ số', 'Giá trị', 'Chỉ tiêu', 'Đánh giá', 'Năm trước'],
    report.indicators.map((i) => [
      i.id, i.criterionId, i.standardId, i.areaId, i.text,
      formatIndicatorValue(i).join('; '),
      formatTargets(i, report.year).join('; '),
      verdictLines(i, report.year, false).join('; '),
      formatPrevious(i),
    ]),
  );
}

export function registerScore(program: Command, _setExitCode: SetExitCode): void {
  program
    .command('score')
    .description('tổng hợp số liệu toàn thành phố từ các biểu mẫu đã chấp nhận, đánh giá từng chỉ số so với chỉ tiêu của năm và ngưỡng của tiêu chí')
    .option('--year <năm>', 'năm báo cáo (bắt buộc)')
    .option('--format <dạng>', 'table (mặc định), json hoặc csv')
    .addHelpText('after', `
Cách tổng hợp: số đếm được cộng dồn rồi tính lại tỷ lệ; tỷ lệ % của nhiều đơn vị không có số đếm
được lấy trung bình và ghi "≈" (số gần đúng); mức đánh giá lấy trung bình kèm số người đánh giá;
chỉ số hai cơ quan cùng phụ trách ghi câu trả lời của từng cơ quan và cảnh báo khi khác nhau.

Ví dụ:
  hoctap score --year 2024
  hoctap score --year 2024 --format json > ket-qua-2024.json
  hoctap score --year 2024 --format csv > ket-qua-2024.csv`)
    .action(async (opts: { year?: string; format?: string }, cmd: Command) => {
      const year = parseYear(opts.year, true);
      const ws = workspaceOf(cmd, year); // the year's roster and names
      const format = parseFormat(opts.format, ['table', 'json', 'csv'] as const, 'table');
      requireStore(ws);
      const { db, exists } = await openWorkspaceStore(ws);
      let report: ScoreReport;
      try {
        report = await computeScores(ws, db, year);
      } finally {
        await db.close();
      }
      const anyData = report.indicators.some((i) => i.units.length > 0);
      if (!exists) process.stderr.write(chalk.yellow(`Thư mục làm việc ${ws.dir} chưa có dữ liệu (chưa chạy "${hoctapHint(['ingest'])}"): mọi chỉ số đều thiếu số liệu.\n`));
      else if (!anyData) process.stderr.write(chalk.yellow(`Năm ${year} chưa có biểu mẫu nào được chấp nhận: mọi chỉ số đều thiếu số liệu.\n`));
      if (format === 'json') process.stdout.write(renderJson(report));
      else if (format === 'csv') process.stdout.write(renderScoreCsv(report));
      else process.stdout.write(renderScoreTable(report));
    });
}
