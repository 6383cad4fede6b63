/** Roll-ups of the verdicts: overall, per area, standard, criterion (catalog order) and per agency. */
import type { Catalog } from '../catalog/types.ts';
import { goalMet, goalsInForce } from '../catalog/goals.ts';
import type { GoalProgress, IndicatorScore, Rollup, Verdict, VerdictCategories, VerdictCounts } from './types.ts';

function count(list: IndicatorScore[], verdictOf: (i: IndicatorScore) => Verdict | null) {
  let met = 0, notMet = 0, missing = 0, pending = 0;
  for (const i of list) {
    const v = verdictOf(i);
    if (v === 'met') met++;
    else if (v === 'not_met') notMet++;
    else if (v === 'missing') missing++;
    else if (v === 'pending') pending++;
  }
  return { met, notMet, missing, pending, assessed: met + notMet };
}

/**
 * Counts the verdicts of a group. Indicators without a target in force for the year are left out of total and counted
 * in withoutTarget; the previous year's counts are those of the indicators that had a verdict then.
 */
export function rollup(key: string, name: string, list: IndicatorScore[], withPrevious: boolean): Rollup {
  const judged = list.filter((i) => i.hasTarget);
  const now = count(judged, (i) => i.verdict);
  return {
    key, name,
    total: judged.length,
    ...now,
    previous: withPrevious ? withoutPending(count(list, (i) => i.previousVerdict)) : null,
    withoutTarget: list.length - judged.length,
    byKind: {
      threshold: counts(judged.filter((i) => i.threshold.targets.length > 0), (i) => i.threshold.verdict),
      roadmap: counts(judged.filter((i) => i.roadmap !== null), (i) => i.roadmap!.verdict),
    },
    incomplete: counts(judged.filter((i) => !i.coverage.complete), (i) => i.verdict),
    sameFooting: withPrevious ? sameFooting(judged) : null,
    categories: categories(list, withPrevious),
  };
}

/** Whether an indicator's only target in force is a later milestone (progress toward it, not the year's target). */
export function isMilestoneOnly(i: IndicatorScore): boolean {
  return i.hasTarget && i.threshold.targets.length === 0 && i.milestone !== null && !i.milestone.ownYear;
}

/** Each indicator in one category (VerdictCategories): the report's counts. */
export function categories(list: IndicatorScore[], withPrevious: boolean): VerdictCategories {
  const c: VerdictCategories = {
    met: 0, notMet: 0, metPartial: 0, notMetPartial: 0, missing: 0, pending: 0,
    milestone: { total: 0, reached: 0, notReached: 0, missing: 0, pending: 0 }, withoutTarget: 0, footing: null,
  };
  for (const i of list) {
    if (!i.hasTarget) c.withoutTarget++;
    else if (isMilestoneOnly(i)) {
      c.milestone.total++;
      if (i.verdict === 'met') c.milestone.reached++;
      else if (i.verdict === 'not_met') c.milestone.notReached++;
      else if (i.verdict === 'pending') c.milestone.pending++;
      else c.milestone.missing++;
    } else if (i.verdict === 'pending') c.pending++;
    else if (i.verdict === 'missing') c.missing++;
    else if (i.verdict === 'met') c[i.coverage.complete ? 'met' : 'metPartial']++;
    else c[i.coverage.complete ? 'notMet' : 'notMetPartial']++;
  }
  if (withPrevious) {
    const both = list.filter((i) => i.hasTarget && !isMilestoneOnly(i) && i.targetChanged === false &&
      (i.previousVerdict === 'met' || i.previousVerdict === 'not_met') && (i.verdict === 'met' || i.verdict === 'not_met'));
    c.footing = {
      indicators: both.length,
      previousMet: both.filter((i) => i.previousVerdict === 'met').length,
      met: both.filter((i) => i.verdict === 'met').length,
      improved: both.filter((i) => i.previousVerdict === 'not_met' && i.verdict === 'met').map((i) => i.id),
      declined: both.filter((i) => i.previousVerdict === 'met' && i.verdict === 'not_met').map((i) => i.id),
    };
  }
  return c;
}

function counts(list: IndicatorScore[], verdictOf: (i: IndicatorScore) => Verdict): VerdictCounts {
  const c = count(list, verdictOf);
  return { total: list.length, met: c.met, notMet: c.notMet, missing: c.missing, pending: c.pending };
}

/** Last year's counts, as the roll-up has always given them (last year's queries are not read: never pending). */
function withoutPending(c: ReturnType<typeof count>): NonNullable<Rollup['previous']> {
  return { met: c.met, notMet: c.notMet, missing: c.missing, assessed: c.assessed };
}

/** The indicators judged in both years against unchanged targets: the only fair year-on-year count. */
function sameFooting(judged: IndicatorScore[]): NonNullable<Rollup['sameFooting']> {
  const decided = (v: Verdict | null) => v === 'met' || v === 'not_met';
  const both = judged.filter((i) => i.targetChanged === false && decided(i.previousVerdict) && decided(i.verdict));
  return { indicators: both.length, met: both.filter((i) => i.verdict === 'met').length, previousMet: both.filter((i) => i.previousVerdict === 'met').length };
}

export function computeRollups(c: Catalog, indicators: IndicatorScore[], withPrevious: boolean): {
  overall: Rollup; areas: Rollup[]; standards: Rollup[]; criteria: Rollup[]; agencies: Rollup[];
} {
  return {
    overall: rollup('overall', 'Toàn bộ chỉ số', indicators, withPrevious),
    areas: c.areas.map((a) => rollup(a.id, a.name, indicators.filter((i) => i.areaId === a.id), withPrevious)),
    standards: c.standards.map((s) => rollup(s.id, s.name, indicators.filter((i) => i.standardId === s.id), withPrevious)),
    criteria: c.criteria.map((cr) => rollup(cr.id, cr.name, indicators.filter((i) => i.criterionId === cr.id), withPrevious)),
    agencies: c.agencies
      .map((a) => rollup(a.code, a.name, indicators.filter((i) => i.agencies.some((x) => x.code === a.code)), withPrevious))
      .filter((r) => r.total + r.withoutTarget > 0),
  };
}

/**
 * How far the city is from the plan's goals on the whole set (000: "hoàn thành 100% tiêu chí, chỉ số" by 2030): the
 * indicators with a target in force met, and the criteria all of whose judged indicators are met. A missing figure is
 * not a met one.
 */
export function goalProgress(c: Catalog, indicators: IndicatorScore[], year: number): GoalProgress[] {
  const judged = indicators.filter((i) => i.hasTarget);
  const byCriterion = new Map<string, IndicatorScore[]>();
  for (const i of judged) (byCriterion.get(i.criterionId) ?? byCriterion.set(i.criterionId, []).get(i.criterionId)!).push(i);
  const criteriaMet = [...byCriterion.values()].filter((list) => list.every((i) => i.verdict === 'met')).length;
  const indicatorsMet = judged.filter((i) => i.verdict === 'met').length;
  const share = byCriterion.size ? (criteriaMet / byCriterion.size) * 100 : 0;
  return goalsInForce(c.goals, year).map(({ goal, ownYear }) => ({
    id: goal.id, year: goal.year, text: goal.text, value: goal.value, ownYear,
    indicators: { met: indicatorsMet, total: judged.length },
    criteria: { met: criteriaMet, total: byCriterion.size },
    share,
    reached: byCriterion.size > 0 && goalMet(goal, share) && indicatorsMet === judged.length,
  }));
}
