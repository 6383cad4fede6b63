/**
 * City-wide consolidation of one year's accepted figures, indicator by indicator.
 *
 * The rules (documented in README, "hoctap score"):
 * - rate: numerators (or the total of male + female) and denominators are summed over the units that gave both, then
 *   the rate is recomputed; a unit that typed only the rate is counted as if its denominator were the mean denominator
 *   of the others, and the figure is then approximate.
 * - ratio: sum of numerators / sum of denominators.
 * - percent: one unit → its figure; several units of one agency → unweighted mean, approximate (no weights exist).
 * - number: one unit → its figure; several units → the sum for counts and amounts, the unweighted mean (approximate)
 *   when the field is a percentage.
 * - rating: mean of the raters' levels.
 * - An indicator shared by several agencies: each agency's own answer is kept; the city value is the mean of the
 *   agencies' answers (approximate, except ratings which are a mean of raters anyway) and a disagreement is flagged.
 */
import type { Field, Indicator, Measure } from '../catalog/types.ts';
import type { Unit, Workspace } from '../catalog/workspace.ts';
import type { Store, StoredValue } from '../store/store.ts';
import type { Direction } from './types.ts';

/** One unit's stored figure for one field. */
export interface UnitValue { num: number | null; text: string | null }

export interface YearData {
  year: number;
  /** True when the year has at least one accepted submission. */
  hasData: boolean;
  /** unit code → field id → value, accepted submissions only. */
  values: Map<string, Map<string, UnitValue>>;
}

/** The year's accepted figures from the store; `read`: the year's accepted values when the caller has read them already. */
export async function loadYear(db: Store, year: number, read?: readonly StoredValue[]): Promise<YearData> {
  const values = new Map<string, Map<string, UnitValue>>();
  for (const r of read ?? await db.acceptedValues(year)) {
    let unit = values.get(r.unitCode);
    if (!unit) values.set(r.unitCode, (unit = new Map()));
    unit.set(r.fieldId, { num: r.num, text: r.text });
  }
  return { year, hasData: (await db.acceptedSubmissionCount(year)) > 0, values };
}

/** A measure's consolidated figure for one group of units (one agency, or the whole city). */
export interface GroupValue {
  value: number | null;
  approximate: boolean;
  components: { num?: number; den?: number; male?: number; female?: number; total?: number };
  /** Units that gave a usable figure or a direction answer. */
  reporters: number;
  /** Rating measures: the levels given. */
  ratings: number[];
  /** The units' own Tăng/Giảm answers, one per unit that gave one. */
  directions: Direction[];
  /** Their majority (null on a tie or none). */
  reportedDirection: Direction | null;
}

export interface MeasureConsolidation {
  measure: Measure;
  value: number | null;
  approximate: boolean;
  components: GroupValue['components'];
  raters: number | null;
  reporters: number;
  expected: number;
  reportedDirection: Direction | null;
  /** Agency code → that agency's own figure (only for indicators with several agencies). */
  byAgency: Map<string, GroupValue>;
  disagreement: boolean;
}

export interface IndicatorConsolidation {
  indicator: Indicator;
  measures: MeasureConsolidation[];
  /** The units that reported anything for the indicator, in roster order, with their agency ('' when unknown). */
  reportingUnits: { code: string; name: string; agencyCode: string }[];
  expectedUnits: Unit[];
  disagreement: boolean;
}

const roleField = (m: Measure, role: Field['role']) => m.fields.find((f) => f.role === role);

function numOf(unit: Map<string, UnitValue>, field: Field | undefined): number | null {
  if (!field) return null;
  const v = unit.get(field.id);
  return v && v.num !== null && Number.isFinite(v.num) ? v.num : null;
}

/** 'Tăng' → increase, 'Giảm' → decrease (whatever the case or Unicode form); anything else → null. */
export function parseDirection(text: string | null | undefined): Direction | null {
  if (!text) return null;
  const t = text.normalize('NFC').trim().toLowerCase();
  if (t === 'tăng' || t === 'increase') return 'increase';
  if (t === 'giảm' || t === 'decrease') return 'decrease';
  return null;
}

function majority(directions: Direction[]): Direction | null {
  if (directions.length === 0) return null;
  const counts = new Map<Direction, number>();
  for (const d of directions) counts.set(d, (counts.get(d) ?? 0) + 1);
  const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  if (sorted.length > 1 && sorted[0][1] === sorted[1][1]) return null;
  return sorted[0][0];
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** Consolidates one measure over a group of units' figures. */
export function consolidateGroup(m: Measure, units: Map<string, UnitValue>[]): GroupValue {
  const directionField = roleField(m, 'direction');
  const directions: Direction[] = [];
  const reporting = new Set<number>();
  units.forEach((u, i) => {
    const d = directionField ? parseDirection(u.get(directionField.id)?.text) : null;
    if (d) {
      directions.push(d);
      reporting.add(i);
    }
  });
  const out: GroupValue = { value: null, approximate: false, components: {}, reporters: 0, ratings: [], directions, reportedDirection: majority(directions) };
  if (m.derive === 'rate' || m.derive === 'ratio') consolidateCounts(m, units, reporting, out);
  else consolidateFigures(m, units, reporting, out);
  out.reporters = reporting.size;
  return out;
}

/** A unit's counts for a rate or ratio, the total taken as male + female when only they were given. */
interface UnitCounts { num: number; den: number; male: number | null; female: number | null; total: number | null }

/**
 * A rate or ratio: the counts summed over the units that gave both, the rate recomputed; a unit that typed only the
 * rate weighs as if its denominator were the mean of the known ones. `reporting` gets the units that gave a figure.
 */
function consolidateCounts(m: Measure, units: Map<string, UnitValue>[], reporting: Set<number>, out: GroupValue): void {
  const maleF = roleField(m, 'male');
  const femaleF = roleField(m, 'female');
  const totalF = roleField(m, 'total');
  const { exact, rateOnly } = unitCounts(m, units, reporting);
  if (exact.length > 0) {
    const sumNum = sum(exact.map((e) => e.num));
    const sumDen = sum(exact.map((e) => e.den));
    out.components = { num: sumNum, den: sumDen };
    if (maleF && exact.every((e) => e.male !== null)) out.components.male = sum(exact.map((e) => e.male!));
    if (femaleF && exact.every((e) => e.female !== null)) out.components.female = sum(exact.map((e) => e.female!));
    if (totalF) out.components.total = sumNum;
    if (m.derive === 'ratio') {
      out.value = sumNum / sumDen;
    } else if (rateOnly.length === 0) {
      out.value = (sumNum * 100) / sumDen;
    } else {
      // Units without counts: weighted as if their denominator were the mean of the known ones.
      const meanDen = sumDen / exact.length;
      out.value = ((sumNum * 100) + sum(rateOnly) * meanDen) / (sumDen + rateOnly.length * meanDen);
      out.approximate = true;
    }
  } else if (rateOnly.length > 0) {
    out.value = mean(rateOnly);
    out.approximate = rateOnly.length > 1;
  }
}

/** Each unit's counts (numerator and a positive denominator), else its rate alone; the units giving either reporting. */
function unitCounts(m: Measure, units: Map<string, UnitValue>[], reporting: Set<number>): { exact: UnitCounts[]; rateOnly: number[] } {
  const numF = roleField(m, 'num');
  const denF = roleField(m, 'den');
  const maleF = roleField(m, 'male');
  const femaleF = roleField(m, 'female');
  const totalF = roleField(m, 'total');
  const rateF = roleField(m, 'rate');
  const exact: UnitCounts[] = [];
  const rateOnly: number[] = [];
  units.forEach((u, i) => {
    const male = numOf(u, maleF);
    const female = numOf(u, femaleF);
    let total = numOf(u, totalF);
    if (total === null && totalF && male !== null && female !== null) total = male + female;
    const num = numF ? numOf(u, numF) : total;
    const den = numOf(u, denF);
    if (num !== null && den !== null && den > 0) {
      exact.push({ num, den, male, female, total });
      reporting.add(i);
      return;
    }
    const rate = m.derive === 'rate' ? numOf(u, rateF) : null;
    if (rate !== null) {
      rateOnly.push(rate);
      reporting.add(i);
    }
  });
  return { exact, rateOnly };
}

/** A rating (the mean of the levels), a count or amount (the sum), or a percentage (the mean, approximate). */
function consolidateFigures(m: Measure, units: Map<string, UnitValue>[], reporting: Set<number>, out: GroupValue): void {
  const valueF = roleField(m, 'value');
  const values: number[] = [];
  units.forEach((u, i) => {
    const v = numOf(u, valueF);
    if (v !== null) {
      values.push(v);
      reporting.add(i);
    }
  });
  if (values.length > 0) {
    if (m.derive === 'rating') {
      out.value = mean(values);
      out.ratings = values;
    } else if (m.derive === 'number' && valueF?.kind !== 'percent') {
      out.value = sum(values);
    } else {
      out.value = mean(values);
      out.approximate = values.length > 1;
    }
  }
}

/** Whether two agencies' answers for a measure disagree. */
export function answersDisagree(m: Measure, a: number, b: number): boolean {
  if (m.derive === 'rating') return Math.abs(a - b) >= 1;
  if (m.unit === '%' || m.derive === 'percent' || m.derive === 'rate') return Math.abs(a - b) > 1;
  return Math.abs(a - b) > 0.01 * Math.max(Math.abs(a), Math.abs(b));
}

const notInRoster = new WeakMap<YearData, { roster: readonly Unit[]; codes: string[] }>();

/** The year's codes that are not the roster's, sorted: found once per year's data (and roster), not per indicator. */
function codesNotInRoster(roster: readonly Unit[], data: YearData): string[] {
  const known = notInRoster.get(data);
  if (known && known.roster === roster) return known.codes;
  const inRoster = new Set(roster.map((u) => u.code));
  const codes = [...data.values.keys()].filter((c) => !inRoster.has(c)).sort();
  notInRoster.set(data, { roster, codes });
  return codes;
}

/** Consolidates every measure of an indicator for one year. */
export function consolidateIndicator(ws: Workspace, ind: Indicator, data: YearData): IndicatorConsolidation {
  const expectedUnits = ws.roster.filter((u) => ind.agencyCodes.includes(u.agencyCode));
  const fieldIds = ind.fields.map((f) => f.id);
  const shared = ind.agencyCodes.length > 1;

  // Units with any figure for the indicator: the roster's first (in its order), then units no longer in the roster
  // (a reorganisation between years), attributed to the indicator's agency when it has only one.
  const reportingUnits: IndicatorConsolidation['reportingUnits'] = [];
  const seen = new Set<string>();
  const reported = (code: string) => {
    const values = data.values.get(code);
    return values !== undefined && fieldIds.some((id) => values.has(id));
  };
  for (const u of expectedUnits) {
    if (seen.has(u.code) || !reported(u.code)) continue;
    seen.add(u.code);
    reportingUnits.push({ code: u.code, name: u.name, agencyCode: u.agencyCode });
  }
  for (const code of codesNotInRoster(ws.roster, data)) {
    if (reported(code)) reportingUnits.push({ code, name: code, agencyCode: shared ? '' : ind.agencyCodes[0] });
  }

  const groups = new Map<string, Map<string, UnitValue>[]>();
  for (const code of ind.agencyCodes) groups.set(code, []);
  for (const u of reportingUnits) groups.get(u.agencyCode)?.push(data.values.get(u.code)!);

  const measures = ind.measures.map((m): MeasureConsolidation => {
    const byAgency = new Map<string, GroupValue>();
    for (const [code, units] of groups) byAgency.set(code, consolidateGroup(m, units));
    const answered = [...byAgency.values()].filter((g) => g.value !== null);
    const allDirections = [...byAgency.values()].flatMap((g) => g.directions);
    const base: MeasureConsolidation = {
      measure: m, value: null, approximate: false, components: {}, raters: m.derive === 'rating' ? 0 : null,
      reporters: sum([...byAgency.values()].map((g) => g.reporters)), expected: expectedUnits.length,
      reportedDirection: null, byAgency: shared ? byAgency : new Map(), disagreement: false,
    };
    if (!shared) {
      const g = [...byAgency.values()][0];
      base.reportedDirection = g.reportedDirection;
      if (g.value !== null) {
        Object.assign(base, { value: g.value, approximate: g.approximate, components: g.components });
        if (m.derive === 'rating') base.raters = g.ratings.length;
      }
      return base;
    }
    // Shared: several agencies each answer for the whole city.
    const reported = [...byAgency.values()].map((g) => g.reportedDirection).filter((d) => d !== null);
    base.reportedDirection = majority(allDirections);
    const values = answered.map((g) => g.value!);
    for (let i = 0; i < values.length; i++) for (let j = i + 1; j < values.length; j++) if (answersDisagree(m, values[i], values[j])) base.disagreement = true;
    if (new Set(reported).size > 1) base.disagreement = true;
    if (answered.length === 1) {
      Object.assign(base, { value: answered[0].value, approximate: answered[0].approximate, components: answered[0].components });
      if (m.derive === 'rating') base.raters = answered[0].ratings.length;
    } else if (answered.length > 1) {
      if (m.derive === 'rating') {
        const ratings = answered.flatMap((g) => g.ratings);
        base.value = mean(ratings);
        base.raters = ratings.length;
      } else {
        base.value = mean(values);
        base.approximate = true;
      }
    }
    return base;
  });

  return { indicator: ind, measures, reportingUnits, expectedUnits, disagreement: measures.some((m) => m.disagreement) };
}
