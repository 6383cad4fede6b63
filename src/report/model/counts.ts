/**
 * The one builder of every count the report's body states: from the score's roll-up categories (src/scoring/rollup.ts),
 * which do not overlap and add up. Each sentence names its category: met or not met against the year's own targets,
 * met or not met on part of the units, without a figure, progress toward a later milestone (never the year's target),
 * without a target. test/report-consistency.test.ts recomputes every number from `hoctap score --format json`.
 */
import { categories, isMilestoneOnly } from '../../scoring/rollup.ts';
import type { IndicatorScore, Rollup, ScoreReport, TargetResult, VerdictCategories } from '../../scoring/types.ts';
import { targetWords } from '../../catalog/targets.ts';
import { formatNumberVi, formatValue } from '../../vi/numbers.ts';
import { percentOf } from '../format.ts';

/**
 * The year's own targets: judged indicators, met and not met (all units or part of them), without a figure, not
 * concluded (figures a query found impossible, unexplained).
 */
export function ownCounts(c: VerdictCategories): { total: number; met: number; notMet: number; assessed: number } {
  const met = c.met + c.metPartial;
  const notMet = c.notMet + c.notMetPartial;
  return { total: met + notMet + c.missing + c.pending, met, notMet, assessed: met + notMet };
}

/** A year of the trend: its counts against its own targets (an indicator read against a later milestone is not counted). */
export function trendPoint(year: number, r: Rollup): { year: number; met: number; notMet: number; missing: number; assessed: number; total: number } {
  const o = ownCounts(r.categories);
  return { year, met: o.met, notMet: o.notMet, missing: r.categories.missing, assessed: o.assessed, total: o.total };
}

/** The milestone year(s) the indicators judged against a later milestone measure progress toward ("2025"). */
export function milestoneYears(indicators: IndicatorScore[]): number[] {
  return [...new Set(indicators.filter(isMilestoneOnly).map((i) => i.milestone!.year))].sort((a, b) => a - b);
}

const yearsText = (years: number[]) => years.map((y) => `năm ${y}`).join(', ');

/** The opening sentences of I.3: every indicator of the set in one category, the categories adding up. */
export function overallSentences(score: ScoreReport): string[] {
  const c = score.rollups.overall.categories;
  const own = ownCounts(c);
  const { year } = score;
  const all = own.total + c.milestone.total + c.withoutTarget;
  const out = [`Năm ${year}, Bộ tiêu chí và Kế hoạch của Thành phố có ${all} chỉ số; ${own.total} chỉ số có chỉ tiêu áp dụng cho năm ${year}.`];
  if (own.total) {
    out.push(`Trong ${own.total} chỉ số này, ${c.met} chỉ số đạt và ${c.notMet} chỉ số chưa đạt trên số liệu của đủ các đơn vị phải báo cáo.`);
    if (c.metPartial + c.notMetPartial) {
      out.push(`${c.metPartial} chỉ số đạt và ${c.notMetPartial} chỉ số chưa đạt trên số liệu của một phần các đơn vị (chưa đủ đơn vị báo cáo).`);
    }
    if (c.missing) out.push(`${c.missing} chỉ số không có số liệu để đánh giá.`);
    if (c.pending) out.push(`${c.pending} chỉ số chưa kết luận, chờ đơn vị giải trình số liệu (danh sách tại mục này, phần các chỉ số chưa kết luận).`);
  }
  if (c.milestone.total) {
    const years = yearsText(milestoneYears(score.indicators));
    out.push(`${c.milestone.total} chỉ số của Kế hoạch không có chỉ tiêu riêng cho năm ${year} mà có mốc ${years}; các chỉ số này được theo dõi tiến độ, ` +
      `không tính là đạt hay chưa đạt của năm ${year}.`);
    out.push(`Trong đó, ${c.milestone.reached} chỉ số đã đạt mức của mốc, ${c.milestone.notReached} chỉ số chưa đạt mức này` +
      `${c.milestone.missing ? `, ${c.milestone.missing} chỉ số chưa có số liệu` : ''}` +
      `${c.milestone.pending ? `, ${c.milestone.pending} chỉ số chưa kết luận vì chờ đơn vị giải trình số liệu` : ''} (bảng tiến độ dưới đây).`);
  }
  if (c.withoutTarget) out.push(`${c.withoutTarget} chỉ số chưa có chỉ tiêu cho năm ${year} và chưa có mốc sau năm này.`);
  return out;
}

/** One area's or standard's line: its own-target counts, then its milestone progress, each named. */
export function rollupSentence(r: Rollup, year: number): string {
  const c = r.categories;
  const own = ownCounts(c);
  const parts: string[] = [];
  if (own.assessed) {
    const partial = c.metPartial + c.notMetPartial;
    parts.push(`đạt ${own.met}/${own.assessed} chỉ số có chỉ tiêu năm ${year}` +
      (partial ? ` (${partial} chỉ số trong đó mới có số liệu của một phần các đơn vị)` : ''));
  }
  if (c.missing) parts.push(`${c.missing} chỉ số không có số liệu`);
  if (c.pending) parts.push(`${c.pending} chỉ số chưa kết luận (chờ đơn vị giải trình)`);
  if (c.milestone.total) {
    parts.push(`${c.milestone.reached}/${c.milestone.total} chỉ số đã đạt mức của mốc sau` +
      (c.milestone.pending ? ` (${c.milestone.pending} chỉ số chưa kết luận, chờ đơn vị giải trình)` : ''));
  }
  if (c.withoutTarget) parts.push(`${c.withoutTarget} chỉ số chưa có chỉ tiêu`);
  return parts.length ? `${parts.join('; ')}.` : 'chưa có chỉ số nào có chỉ tiêu cho năm này.';
}

/**
 * Last year against this year on the same footing (own, unchanged targets, a figure both years): the count and the
 * moves that make it (previous + improved - declined = now), said as a change.
 */
export function footingSentence(score: ScoreReport): string | null {
  const f = score.rollups.overall.categories.footing;
  const prev = score.previousYear;
  if (!f || prev === null) return null;
  if (!f.indicators) return `Chưa so sánh được với năm ${prev}: không có chỉ số nào được đánh giá ở cả hai năm theo cùng chỉ tiêu.`;
  const change = f.met > f.previousMet ? `tăng từ ${f.previousMet} lên ${f.met}` : f.met < f.previousMet ? `giảm từ ${f.previousMet} xuống ${f.met}` : `không đổi (${f.met})`;
  const moves = [
    ...(f.improved.length ? [`${f.improved.length} chỉ số chuyển từ chưa đạt sang đạt`] : []),
    ...(f.declined.length ? [`${f.declined.length} chỉ số chuyển từ đạt sang chưa đạt`] : []),
  ];
  return `So với năm ${prev}, trong ${f.indicators} chỉ số được đánh giá ở cả hai năm theo cùng chỉ tiêu, số chỉ số đạt ${change}` +
    `${moves.length ? `: ${moves.join(', ')}` : ''}.`;
}

/** Whether an indicator is measured by the experts' 1–5 ratings only (not comparable with measured rates). */
function ratedOnly(i: IndicatorScore): boolean {
  return i.measures.length > 0 && i.measures.every((m) => m.derive === 'rating');
}

/**
 * The area with the highest share met, over comparable indicators only (measured figures, own targets): an area of
 * the experts' 1–5 ratings is said apart, never "the highest".
 */
export function bestAreaSentences(score: ScoreReport, areaTitle: (id: string) => string): string[] {
  const byArea = new Map<string, IndicatorScore[]>();
  for (const i of score.indicators) (byArea.get(i.areaId) ?? byArea.set(i.areaId, []).get(i.areaId)!).push(i);
  const rated: string[] = [];
  const shares: { id: string; met: number; assessed: number }[] = [];
  for (const [id, list] of byArea) {
    const own = list.filter((i) => i.hasTarget && !isMilestoneOnly(i) && i.verdict !== 'missing');
    if (!own.length) continue;
    if (own.every(ratedOnly)) {
      rated.push(id);
      continue;
    }
    const o = ownCounts(categories(own.filter((i) => !ratedOnly(i)), false));
    if (o.assessed) shares.push({ id, met: o.met, assessed: o.assessed });
  }
  const out: string[] = [];
  const best = shares.sort((a, b) => b.met / b.assessed - a.met / a.assessed)[0];
  if (shares.length > 1 && best) {
    out.push(`Trong các chỉ số đo bằng số liệu thống kê, ${areaTitle(best.id)} có tỷ lệ chỉ số đạt cao nhất: ${best.met}/${best.assessed} chỉ số (${percentOf(best.met, best.assessed)}).`);
  }
  for (const id of rated) {
    out.push(`Các chỉ số của ${areaTitle(id)} đều do chuyên gia đánh giá theo thang 5 mức nên không so sánh tỷ lệ đạt với các lĩnh vực khác.`);
  }
  return out;
}

/** The judged figure against a later milestone: "43,8%; mốc năm 2025 là 60%, còn cách 16,2 điểm phần trăm". */
export function milestoneProgress(t: TargetResult, unit: string): string {
  const target = `mốc năm ${t.milestoneYear ?? t.year} là ${targetWords(t, unit)}`;
  if (t.comparator === 'increase' || t.comparator === 'decrease') return target;
  if (t.measured === null) return `chưa có số liệu; ${target}`;
  const value = formatValue(t.measured, unit);
  if (t.verdict === 'met') return `${value}; ${target}, đã đạt mức này`;
  const gap = Math.abs(t.gap ?? 0);
  const how = unit === '%' ? `${formatNumberVi(gap, 1)} điểm phần trăm` : formatValue(gap, unit);
  return `${value}; ${target}, còn cách ${how}`;
}
