/** How scores read in Vietnamese: values with their unit, directions, targets with gaps (tables, CSV, report). */
import { formatNumberVi, formatValue } from '../vi/numbers.ts';
import type { GoalProgress, IndicatorScore, MeasureScore, QueryNote, Rollup, TargetResult, Verdict } from './types.ts';
import { DIRECTION_LABELS, NO_TARGET_LABEL, PENDING_REASON, RATING_LABELS, VERDICT_LABELS } from '../vi/labels.ts';
import { isMilestoneOnly } from './rollup.ts';
import { laterMilestoneNote, targetSourceText, targetWords } from '../catalog/targets.ts';
import { findingNote } from '../findings/render.ts';

export { formatValue };

/** A signed gap: +10, −20,5 (with the unit for percentages: "điểm %"). */
export function formatGap(gap: number): string {
  if (gap === 0) return '0';
  return (gap > 0 ? '+' : '−') + formatNumberVi(Math.abs(gap), 2);
}

/** Whether a measure is judged by its direction (increase/decrease targets). */
export function judgedByDirection(ind: IndicatorScore, measureId: string): boolean {
  return [...ind.threshold.targets, ...(ind.roadmap?.targets ?? [])]
    .some((t) => t.measureId === measureId && (t.comparator === 'increase' || t.comparator === 'decrease'));
}

/**
 * The city value as a reader sees it: "≈" before an approximate figure; for a rating its level's name and the number
 * of raters; for a measure judged by its direction, the direction first ("Tăng (1.234 triệu đồng)").
 */
export function formatMeasure(m: MeasureScore, byDirection: boolean): string {
  let text = m.value === null ? '' : (m.approximate ? '≈ ' : '') + formatValue(m.value, m.unit === 'mức' ? '' : m.unit);
  if (m.value !== null && m.derive === 'rating') {
    const label = RATING_LABELS[Math.round(m.value)];
    text += `${label ? ` (${label})` : ''}, ${m.raters ?? 0} người đánh giá`;
  }
  if (byDirection) {
    const dir = m.direction ? DIRECTION_LABELS[m.direction] + (m.directionSource === 'reported' ? ' (đơn vị tự đánh giá)' : '') : 'Chưa rõ tăng/giảm';
    return text ? `${dir}: ${text}` : dir;
  }
  return text || '—';
}

/** One line per measure; the measure's label is prefixed when the indicator has several. */
export function formatIndicatorValue(ind: IndicatorScore): string[] {
  return ind.measures.map((m) => {
    const v = formatMeasure(m, judgedByDirection(ind, m.id));
    return ind.measures.length > 1 ? `${m.label}: ${v}` : v;
  });
}

/**
 * Who set a target as the year reads it: "Ngưỡng", "Năm 2024", and for a later milestone used in a year without a
 * target of its own "Mốc năm 2025" (progress toward it, never the year's target).
 */
export function targetWho(t: Pick<TargetResult, 'kind' | 'year'> & { milestoneYear?: number | null }, year: number): string {
  if (t.kind === 'threshold') return 'Ngưỡng';
  const milestone = t.milestoneYear ?? (t.year !== null && t.year !== year ? t.year : null);
  return milestone !== null ? `Mốc ${laterMilestoneNote(milestone).replace(/^mốc /, '')}` : `Năm ${year}`;
}

/** "Năm 2023: ≥ 60% (+10)", "Mốc năm 2025: ≥ 60% (−16,2)", "Ngưỡng: ≥ 90% (−20)". */
export function formatTargetLine(t: TargetResult, year: number): string {
  const gap = t.gap === null ? '' : ` (${formatGap(t.gap)})`;
  return `${targetWho(t, year)}: ${t.text}${gap}`;
}

export function formatTargets(ind: IndicatorScore, year: number): string[] {
  const lines = [...(ind.roadmap?.targets ?? []), ...ind.threshold.targets].map((t) => formatTargetLine(t, year));
  return lines.length ? lines : [`${NO_TARGET_LABEL} cho năm này`];
}

/**
 * The targets as Phụ lục I's column says them, in words and with the threshold's source, without signs or gaps:
 * "Ngưỡng (Bộ tiêu chí): từ 90% trở lên", "Ngưỡng (mức do Sở quy định): từ 45% đến 55%", "Mốc năm 2025: từ 60% trở lên".
 */
export function targetsInWords(ind: IndicatorScore, year: number): string[] {
  const unitOf = (id: string) => ind.measures.find((m) => m.id === id)?.unit ?? '';
  const lines = [...(ind.roadmap?.targets ?? []), ...ind.threshold.targets].map((t) =>
    `${targetWho(t, year)}${t.kind === 'threshold' ? ` (${targetSourceText(t)})` : ''}: ${targetWords(t, unitOf(t.measureId))}`);
  return lines.length ? lines : [`${NO_TARGET_LABEL} cho năm này`];
}

/** Last year's figures and verdict: "42% · Chưa đạt". */
export function formatPrevious(ind: IndicatorScore): string {
  const values = ind.measures.filter((m) => m.previous !== null).map((m) => formatValue(m.previous!, m.unit === 'mức' ? '' : m.unit));
  const parts = [...(values.length ? [values.join('; ')] : []), ...(ind.previousVerdict ? [VERDICT_LABELS[ind.previousVerdict]] : [])];
  return parts.length ? parts.join(' · ') : '—';
}

/**
 * The heading of the roadmap verdict's column, as Phụ lục I names it: the year's own target or, in a year without one,
 * progress toward the plan's next milestone (never "chỉ tiêu năm 2024" for a 2025 milestone).
 */
export const roadmapColumn = (_year: number) => 'Theo chỉ tiêu của Kế hoạch';
export const THRESHOLD_COLUMN = 'Theo ngưỡng tiêu chí';
/** Said in a verdict cell when the indicator has no target of that kind. */
export const NO_KIND_LABEL = '—';

/** An indicator without a verdict until its impossible figures are explained: "Chưa kết luận (chờ đơn vị giải trình)". */
export const PENDING_LABEL = `${VERDICT_LABELS.pending} (${PENDING_REASON})`;

/**
 * The two judgements side by side: against the criterion's threshold and against the year's roadmap target, and the
 * indicator's as a whole. A later milestone (the year has no target of its own) measures progress, never the year's
 * Đạt / Chưa đạt: "Đã đạt mức của mốc năm 2025", "Chưa tới mức của mốc năm 2025". Figures a query found impossible,
 * unexplained: "Chưa kết luận (chờ đơn vị giải trình)" in every cell.
 */
export function verdictsByKind(ind: IndicatorScore): { threshold: string; roadmap: string; overall: string; thresholdKey: Verdict | null; roadmapKey: Verdict | null } {
  const t = ind.threshold.targets.length ? ind.threshold.verdict : null;
  const r = ind.roadmap ? ind.roadmap.verdict : null;
  const said = (v: Verdict | null) => (v === null ? NO_KIND_LABEL : v === 'pending' ? PENDING_LABEL : VERDICT_LABELS[v]);
  const milestone = ind.milestone && !ind.milestone.ownYear ? laterMilestoneNote(ind.milestone.year) : null;
  const progress = (v: Verdict) => (v === 'met' ? `Đã đạt mức của ${milestone}` : v === 'not_met' ? `Chưa tới mức của ${milestone}` : said(v));
  const overall = !ind.hasTarget ? NO_TARGET_LABEL : ind.verdict === 'pending' ? PENDING_LABEL
    : isMilestoneOnly(ind) ? `Theo dõi tiến độ (${milestone})` : VERDICT_LABELS[ind.verdict];
  return { threshold: said(t), roadmap: r && milestone ? progress(r) : said(r), overall, thresholdKey: t, roadmapKey: r };
}

/** "20/22 đơn vị" when the indicator rests on fewer units than the roster expects; null when complete. */
export function coverageText(ind: IndicatorScore): string | null {
  return ind.hasTarget && !ind.coverage.complete ? `${ind.coverage.reporting}/${ind.coverage.expected} đơn vị` : null;
}

/** "có giải trình" when every query is answered, else how many still wait for one; null without queries. */
export function queriesShort(ind: IndicatorScore): string | null {
  if (!ind.queries.length) return null;
  const open = ind.queries.filter((q) => !q.answered).length;
  if (open === 0) return 'có giải trình';
  return open === ind.queries.length ? `${open} cảnh báo chưa giải trình` : `${ind.queries.length - open} có giải trình, ${open} chưa giải trình`;
}

/** One query as a note: "Quận 1: có giải trình “…”" or "Quận 1: cảnh báo chưa giải trình (…)". */
export function queryLine(q: QueryNote, max = 160): string {
  const cut = (s: string) => (s.length > max ? `${s.slice(0, max - 1).trimEnd()}…` : s);
  // What was found, worded now from the finding's code and parameters; a finding stored before they were kept (schema
  // 4) is said by the sentence it was stored with.
  const reason = q.finding ? findingNote(q.finding) : q.text;
  if (q.answered) return `${q.unitName}: có giải trình "${cut(q.explanation ?? '')}"`;
  if (q.confirmation) return `${q.unitName}: Sở đã xác minh và xác nhận số liệu "${cut(q.confirmation.reason)}"`;
  return `${q.unitName}: cảnh báo chưa giải trình (${cut(reason)})`;
}

/**
 * Queries as a table cell says them: per unit, its explanation (shortened) or how many warnings wait for one; the
 * findings themselves are in the unit's feedback copy and in `hoctap score`.
 */
export function briefQueries(queries: QueryNote[]): string[] {
  const byUnit = new Map<string, QueryNote[]>();
  for (const q of queries) (byUnit.get(q.unitName) ?? byUnit.set(q.unitName, []).get(q.unitName)!).push(q);
  return [...byUnit.entries()].map(([unit, list]) => {
    const answered = list.find((q) => q.answered) ?? list.find((q) => q.confirmation !== null);
    if (answered) return queryLine(answered, 120);
    // Long enough to say what is wrong (the field and the figure), not only which field.
    return list.length === 1 ? queryLine(list[0], 140) : `${unit}: ${list.length} cảnh báo chưa giải trình`;
  });
}

/**
 * What a reader must know beside the verdict (the later milestone is named with the target and the verdict): the units
 * it rests on when not all, a target changed since last year, the queries and their answers.
 */
export function indicatorNotes(ind: IndicatorScore, previousYear: number | null, brief = false): string[] {
  const notes: string[] = [];
  const cov = coverageText(ind);
  if (cov) notes.push(`Số liệu của ${cov} (chưa đủ)`);
  if (ind.verdictChange === 'target_changed' && previousYear !== null) {
    notes.push(`Đánh giá khác năm ${previousYear} do chỉ tiêu thay đổi, không do kết quả (số liệu năm ${previousYear} theo chỉ tiêu năm nay: ${VERDICT_LABELS[ind.previousVerdictUnderCurrentTargets!]})`);
  }
  if (!brief) for (const q of ind.queries) notes.push(queryLine(q));
  else notes.push(...briefQueries(ind.queries));
  return notes;
}

/** "Theo ngưỡng tiêu chí: 40/57 đạt; theo chỉ tiêu năm 2024: 10/14 đạt" from a roll-up. */
export function byKindText(r: Rollup, year: number): string {
  const k = (c: Rollup['byKind']['threshold']) => `${c.met}/${c.met + c.notMet} chỉ số đạt${c.missing ? `, ${c.missing} thiếu số liệu` : ''}`;
  const parts: string[] = [];
  if (r.byKind.threshold.total) parts.push(`theo ngưỡng của tiêu chí ${k(r.byKind.threshold)}`);
  if (r.byKind.roadmap.total) parts.push(`theo chỉ tiêu lộ trình năm ${year} ${k(r.byKind.roadmap)}`);
  return parts.join('; ');
}

/** "6 chỉ số chưa đủ đơn vị báo cáo (4 đạt, 2 chưa đạt)"; null when every judged indicator is complete. */
export function incompleteText(r: Rollup): string | null {
  const c = r.incomplete;
  if (!c.total) return null;
  return `${c.total} chỉ số chưa đủ số liệu của các đơn vị phải báo cáo (${c.met} đạt, ${c.notMet} chưa đạt${c.missing ? `, ${c.missing} thiếu số liệu` : ''})`;
}

/** "48/71 chỉ số đạt (67,6%), 10/40 tiêu chí đạt mọi chỉ số; mục tiêu năm 2030: hoàn thành 100% tiêu chí, chỉ số; còn 23 chỉ số …". */
export function goalText(g: GoalProgress): string {
  const share = g.indicators.total ? formatNumberVi((g.indicators.met / g.indicators.total) * 100, 1) : '0';
  const left = g.indicators.total - g.indicators.met;
  return `${g.indicators.met}/${g.indicators.total} chỉ số đạt (${share}%), ${g.criteria.met}/${g.criteria.total} tiêu chí đạt mọi chỉ số; ` +
    `mục tiêu năm ${g.year}: ${g.text.charAt(0).toLocaleLowerCase('vi-VN')}${g.text.slice(1)}` +
    // Those left are every indicator not met: not met, without a figure, or not concluded (issue 23: said as such).
    (g.reached ? '; đã đạt' : `; còn ${left} chỉ số chưa đạt, thiếu số liệu hoặc chưa kết luận`);
}

/**
 * What impossibility queries of one code found in one unit's figures, in a sentence's words (no cells): "tỷ lệ chung
 * 3,5% không nằm giữa tỷ lệ của nam (60,9%) và của nữ (45,7%)", "số đơn vị ghi là 345 và 360, nhiều hơn 22 đơn vị
 * hành chính trong danh sách đơn vị"; any other code (a count above the population) by its note in the locale.
 */
export function impossibilityWords(queries: QueryNote[]): string {
  const f = queries[0].finding;
  if (f?.code === 'total_outside_parts') {
    const pct = (v: number) => `${formatNumberVi(v)}%`;
    const [a, b] = f.params.parts;
    return `tỷ lệ chung ${pct(f.params.total.value)} không nằm giữa tỷ lệ của nam (${pct(a.value)}) và của nữ (${pct(b.value)})`;
  }
  if (f?.code === 'more_than_local_units') {
    const values = [...new Set(queries.map((q) => (q.finding?.code === 'more_than_local_units' ? q.finding.params.value : null)).filter((v) => v !== null))];
    return `số đơn vị ghi là ${values.map((v) => formatNumberVi(v)).join(' và ')}, nhiều hơn ${formatNumberVi(f.params.limit)} đơn vị hành chính trong danh sách đơn vị`;
  }
  // A clause of the caller's sentence: the note's own full stop dropped.
  return [...new Set(queries.map((q) => (q.finding ? findingNote(q.finding) : q.text).replace(/\.$/, '')))].join('; ');
}
