/** Judging a measured figure against a target: Đạt / Chưa đạt / Thiếu số liệu, and the gap. */
import { describeTarget } from '../catalog/targets.ts';
import type { Measure, Target } from '../catalog/types.ts';
import type { Direction, TargetResult, Verdict } from './types.ts';

/** Tolerance for comparisons: 45/100×100 must reach a target of 45. */
const EPS = 1e-9;

export function judgeTarget(t: Target, m: Measure, year: number, value: number | null, direction: Direction | null): TargetResult {
  const text = describeTarget(t, m.unit);
  // A later milestone used in a year without a target of its own: a field, never words appended to the text.
  const milestoneYear = t.year !== null && t.year !== year ? t.year : null;
  const base = {
    measureId: t.measureId, kind: (t.year === null ? 'threshold' : 'roadmap') as TargetResult['kind'], comparator: t.comparator,
    value: t.value, valueMax: t.valueMax, text, source: t.source, measured: value, direction, year: t.year, milestoneYear,
  };
  if (t.comparator === 'increase' || t.comparator === 'decrease') {
    const verdict: Verdict = direction === null ? 'missing' : direction === t.comparator ? 'met' : 'not_met';
    return { ...base, verdict, gap: null };
  }
  if (value === null) return { ...base, verdict: 'missing', gap: null };
  const lo = t.value!;
  let gap: number;
  let met: boolean;
  if (t.comparator === '>=') {
    gap = value - lo;
    met = gap >= -EPS;
  } else if (t.comparator === '<=') {
    gap = value - lo;
    met = gap <= EPS;
  } else {
    const hi = t.valueMax!;
    gap = value < lo ? value - lo : value > hi ? value - hi : 0;
    met = gap >= -EPS && gap <= EPS;
  }
  if (Math.abs(gap) < EPS) gap = 0;
  return { ...base, verdict: met ? 'met' : 'not_met', gap };
}

/** A set of targets: any not met → not met; else any missing → missing; else met. */
export function combineVerdicts(verdicts: Verdict[]): Verdict {
  if (verdicts.includes('not_met')) return 'not_met';
  if (verdicts.includes('missing') || verdicts.length === 0) return 'missing';
  return 'met';
}
