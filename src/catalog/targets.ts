/** Which targets are in force for an indicator in a year, and how a target is written: the one home of both rules. */
import type { Target, Indicator } from './types.ts';
import { formatNumberVi, formatValue } from '../vi/numbers.ts';
import { RATING_LABELS } from '../vi/labels.ts';

export { formatNumberVi };

/**
 * The targets that apply to an indicator in a year.
 * - `threshold`: the criterion's own thresholds, in force every year.
 * - `roadmap`: the city plan's targets for the year. An indicator with no threshold of its own (the plan's indicators)
 *   is judged, in a year between milestones, against the next later milestone: then `milestoneYear` is that later year
 *   and `ownYear` is false.
 */
export interface TargetsInForce {
  threshold: Target[];
  roadmap: Target[];
  /** The year of the roadmap targets used (null when there are none). */
  milestoneYear: number | null;
  /** Whether the roadmap targets are the year's own (false: a later milestone, or none). */
  ownYear: boolean;
}

const inForceCache = new WeakMap<Indicator, Map<number, TargetsInForce>>();

export function targetsInForce(ind: Indicator, year: number): TargetsInForce {
  let byYear = inForceCache.get(ind);
  if (!byYear) inForceCache.set(ind, (byYear = new Map()));
  let found = byYear.get(year);
  if (!found) byYear.set(year, (found = computeTargetsInForce(ind, year)));
  return found;
}

function computeTargetsInForce(ind: Indicator, year: number): TargetsInForce {
  const threshold = ind.targets.filter((t) => t.year === null);
  let roadmap = ind.targets.filter((t) => t.year === year);
  let milestoneYear: number | null = roadmap.length ? year : null;
  if (roadmap.length === 0 && threshold.length === 0) {
    const later = ind.targets.map((t) => t.year).filter((y): y is number => y !== null && y > year).sort((a, b) => a - b);
    if (later.length > 0) {
      milestoneYear = later[0];
      roadmap = ind.targets.filter((t) => t.year === milestoneYear);
    }
  }
  return { threshold, roadmap, milestoneYear, ownYear: milestoneYear === year };
}

/** Every target in force for the year, roadmap first (as the template, the score and the report list them). */
export function targetListInForce(ind: Indicator, year: number): Target[] {
  const { threshold, roadmap } = targetsInForce(ind, year);
  return [...roadmap, ...threshold];
}

/** Renders a target in Vietnamese as a reader of the appendix would write it: "≥ 95%", "Giảm so với năm trước". */
export function describeTarget(t: Target, unit: string): string {
  const u = unit === '%' ? '%' : unit ? ` ${unit}` : '';
  const n = (v: number | null) => (v === null ? '' : formatNumberVi(v));
  switch (t.comparator) {
    case '>=': return `≥ ${n(t.value)}${u}`;
    case '<=': return `≤ ${n(t.value)}${u}`;
    case 'between': return `${n(t.value)}–${n(t.valueMax)}${u}`;
    case 'increase': return 'Tăng so với năm trước';
    case 'decrease': return 'Giảm so với năm trước';
  }
}

/**
 * A target as a sentence says it, without signs: "từ 95% trở lên", "không quá 10%", "từ 45% đến 55%", "100%" (a target
 * of the whole is no "≥ 100%"), "tăng so với năm trước".
 */
export function targetWords(t: Pick<Target, 'comparator' | 'value' | 'valueMax'>, unit: string): string {
  const v = (x: number | null) => formatValue(x ?? 0, unit);
  switch (t.comparator) {
    case '>=': return unit === '%' && t.value === 100 ? '100%' : unit === 'mức' ? `từ ${levelName(t.value ?? 0)} trở lên` : `từ ${v(t.value)} trở lên`;
    case '<=': return `không quá ${v(t.value)}`;
    case 'between': return `từ ${v(t.value)} đến ${v(t.valueMax)}`;
    case 'increase': return 'tăng so với năm trước';
    case 'decrease': return 'giảm so với năm trước';
  }
}

/** A level of the five-level rating with its name: "mức 3 (Tốt)" (names: RATING_LABELS). */
function levelName(level: number): string {
  const name = RATING_LABELS[level];
  return `mức ${formatNumberVi(level)}${name ? ` (${name})` : ''}`;
}

/** Who set a threshold, as the catalog's source column says it: the criteria set's appendix (001), hoctap's default. */
export const APPENDIX_SOURCE = '001';
/** A threshold the appendix does not give, set by hoctap for the Sở (editable in the workspace's targets.csv). */
export const DEPARTMENT_SOURCE = 'Sở';

/**
 * Where a target comes from, in words: "Bộ tiêu chí" (the appendix), a named decree as written, "mức do Sở quy định"
 * for a level the appendix does not give, "Kế hoạch" for a roadmap target of the city's plans.
 */
export function targetSourceText(t: Pick<Target, 'source' | 'year'>): string {
  const s = t.source.trim();
  if (t.year !== null) return 'Kế hoạch của Thành phố';
  if (s === DEPARTMENT_SOURCE) return 'mức do Sở quy định';
  if (!s || s === APPENDIX_SOURCE) return 'Bộ tiêu chí';
  return s;
}

/** Who sets a target, as a line's label: "Ngưỡng" (the criterion), "Năm 2025" (the plan, that year's own milestone). */
export function targetLabel(t: Pick<Target, 'year'>): string {
  return t.year === null ? 'Ngưỡng' : `Năm ${t.year}`;
}

/** Said of a later milestone used in a year without a target of its own. */
export function laterMilestoneNote(milestoneYear: number): string {
  return `mốc năm ${milestoneYear}`;
}
