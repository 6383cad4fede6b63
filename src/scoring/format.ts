/** How scores read in Vietnamese: values with their unit, directions, targets with gaps (tables, CSV, report). */
import { formatNumberVi, formatValue } from '../vi/numbers.ts';
import type { IndicatorScore, MeasureScore, TargetResult } from './types.ts';
import { DIRECTION_LABELS, NO_TARGET_LABEL, RATING_LABELS, VERDICT_LABELS } from '../vi/labels.ts';

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

/** "Năm 2023: ≥ 60% (+10)", "Ngưỡng: ≥ 90% (−20)". */
export function formatTargetLine(t: TargetResult, year: number): string {
  const who = t.kind === 'threshold' ? 'Ngưỡng' : `Năm ${t.year ?? year}`;
  const gap = t.gap === null ? '' : ` (${formatGap(t.gap)})`;
  const text = t.year !== null && t.year !== year ? t.text.replace(/ \(mốc năm \d+\)$/, '') : t.text;
  return `${who}: ${text}${gap}`;
}

export function formatTargets(ind: IndicatorScore, year: number): string[] {
  const lines = [...(ind.roadmap?.targets ?? []), ...ind.threshold.targets].map((t) => formatTargetLine(t, year));
  return lines.length ? lines : [`${NO_TARGET_LABEL} cho năm này`];
}

/** Last year's figures and verdict: "42% · Chưa đạt". */
export function formatPrevious(ind: IndicatorScore): string {
  const values = ind.measures.filter((m) => m.previous !== null).map((m) => formatValue(m.previous!, m.unit === 'mức' ? '' : m.unit));
  const parts = [...(values.length ? [values.join('; ')] : []), ...(ind.previousVerdict ? [VERDICT_LABELS[ind.previousVerdict]] : [])];
  return parts.length ? parts.join(' · ') : '—';
}
