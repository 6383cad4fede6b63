/** `hoctap score`: every indicator's city value, its verdicts against the year's targets, and the roll-ups. */
import type { Store, StoredValue } from '../store/store.ts';
import type { Indicator } from '../catalog/types.ts';
import type { Workspace } from '../catalog/workspace.ts';
import { consolidateIndicator, loadYear, type IndicatorConsolidation, type MeasureConsolidation, type YearData } from './consolidate.ts';
import { combineVerdicts, judgeTarget } from './judge.ts';
import { targetsInForce } from '../catalog/targets.ts';
import { evidenceFieldId } from '../catalog/ids.ts';
import { computeRollups, goalProgress } from './rollup.ts';
import { consolidateGroup } from './consolidate.ts';
import { workspaceForYear } from '../catalog/years.ts';
import { yearComparison } from './comparison.ts';
import { isOpenImpossibility, queriesOfYear } from './queries.ts';
import {
  SCORE_SCHEMA_VERSION,
  type AgencyAnswer, type Direction, type IndicatorScore, type MeasureScore, type ScoreReport, type TargetResult, type UnitFigures, type Verdict,
} from './types.ts';

const EPS = 1e-9;

interface MeasureDirection { direction: Direction | null; source: 'computed' | 'reported' | null }

/** This year's direction: from both years' city values when both exist, else the units' own Tăng/Giảm answer. */
export function measureDirection(current: MeasureConsolidation, previous: MeasureConsolidation | undefined): MeasureDirection {
  if (current.value !== null && previous && previous.value !== null) {
    const d = current.value - previous.value;
    const tolerance = EPS * Math.max(1, Math.abs(previous.value));
    return { direction: d > tolerance ? 'increase' : d < -tolerance ? 'decrease' : 'same', source: 'computed' };
  }
  if (current.reportedDirection) return { direction: current.reportedDirection, source: 'reported' };
  return { direction: null, source: null };
}

interface Judgement {
  threshold: { verdict: Verdict; targets: TargetResult[] };
  roadmap: { verdict: Verdict; targets: TargetResult[] } | null;
  verdict: Verdict;
  hasTarget: boolean;
  directions: MeasureDirection[];
  /** What was judged against, to tell a change of figure from a change of target. */
  targetKey: string;
  milestoneYear: number | null;
  ownYear: boolean;
}

/** Judges one year's consolidation (the year before is needed for increase/decrease). */
function judge(ind: Indicator, year: number, cons: IndicatorConsolidation, before: IndicatorConsolidation): Judgement {
  const directions = cons.measures.map((mc, i) => measureDirection(mc, before.measures[i]));
  const { threshold, roadmap, milestoneYear, ownYear } = targetsInForce(ind, year);
  const results = (targets: typeof threshold) => targets.flatMap((t) => {
    const i = cons.measures.findIndex((mc) => mc.measure.id === t.measureId);
    // A target of a measure the year's catalog no longer has (an edited catalog between years) judges nothing.
    return i < 0 ? [] : [judgeTarget(t, cons.measures[i].measure, year, cons.measures[i].value, directions[i].direction)];
  });
  const thresholdResults = results(threshold);
  const roadmapResults = results(roadmap);
  const thresholdPart = { verdict: combineVerdicts(thresholdResults.map((r) => r.verdict)), targets: thresholdResults };
  const roadmapPart = roadmap.length ? { verdict: combineVerdicts(roadmapResults.map((r) => r.verdict)), targets: roadmapResults } : null;
  return {
    threshold: thresholdPart,
    roadmap: roadmapPart,
    // "Đạt" means every target in force is met: the criterion's threshold and the plan's target alike.
    verdict: combineVerdicts([...thresholdResults, ...roadmapResults].map((r) => r.verdict)),
    hasTarget: threshold.length + roadmap.length > 0,
    directions,
    targetKey: [...threshold, ...roadmap].map((t) => `${t.measureId}|${t.year === null ? 'T' : 'R'}|${t.comparator}|${t.value}|${t.valueMax}`).sort().join(';'),
    milestoneYear,
    ownYear,
  };
}

/** Units that gave figures for the judged measures / units the roster expects (the lowest coverage of them). */
function coverageOf(measures: MeasureScore[], now: Judgement): IndicatorScore['coverage'] {
  const judged = new Set([...now.threshold.targets, ...(now.roadmap?.targets ?? [])].map((t) => t.measureId));
  const list = measures.filter((m) => judged.has(m.id));
  const pool = list.length ? list : measures;
  const expected = Math.max(0, ...pool.map((m) => m.expected));
  const reporting = pool.length ? Math.min(...pool.map((m) => m.reporters)) : 0;
  return { reporting, expected, complete: reporting >= expected };
}

/**
 * How the verdict moved since last year: improved or declined when the figure moved across the same target;
 * target_changed when last year's figure would have had this year's verdict against this year's target.
 */
function verdictChange(now: Judgement, then: Judgement | null, thenUnderNow: Judgement | null): IndicatorScore['verdictChange'] {
  if (!then || !thenUnderNow || !now.hasTarget || !then.hasTarget) return null;
  if (now.verdict === 'missing' || then.verdict === 'missing') return null;
  if (now.verdict === then.verdict) return 'same';
  if (then.targetKey !== now.targetKey && thenUnderNow.verdict === now.verdict) return 'target_changed';
  return now.verdict === 'met' ? 'improved' : 'declined';
}

/**
 * Every reporting unit's figures, with the same unit's figures last year: only for a unit that exists in both years
 * (`common`, from comparableYears), never another unit that happens to carry the code.
 */
function unitFigures(ind: Indicator, cons: IndicatorConsolidation, data: YearData, previous: YearData, common: Set<string> | null): UnitFigures[] {
  return cons.reportingUnits.map((u) => {
    const stored = data.values.get(u.code)!;
    const values: UnitFigures['values'] = {};
    for (const f of ind.fields) {
      const v = stored.get(f.id);
      values[f.id] = !v ? null : f.kind === 'text' || f.kind === 'direction' ? (v.text ?? (v.num === null ? null : String(v.num))) : v.num;
    }
    const before = common?.has(u.code) ? previous.values.get(u.code) : undefined;
    const prev = before ? Object.fromEntries(ind.measures.map((m) => [m.id, consolidateGroup(m, [before]).value])) : null;
    return { unitCode: u.code, unitName: u.name, values, previous: prev };
  });
}

/** `values`: the year's accepted values (db.acceptedValues), when the caller has read them already (the report). */
export async function computeScores(ws: Workspace, db: Store, year: number, values?: readonly StoredValue[]): Promise<ScoreReport> {
  const c = ws.catalog;
  const current = await loadYear(db, year, values);
  const previous = await loadYear(db, year - 1);
  const beforePrevious = await loadYear(db, year - 2);
  // Last year's figures are consolidated over last year's units (a reform may have changed them), and units pair up
  // only when they exist in both years.
  const prevWs = previous.hasData ? workspaceForYear(ws, year - 1) : ws;
  const beforeWs = beforePrevious.hasData ? workspaceForYear(ws, year - 2) : prevWs;
  const compared = previous.hasData ? yearComparison(ws, prevWs, year, year - 1) : null;
  const names = new Map(ws.roster.map((u) => [u.code, u.name]));
  const queries = await queriesOfYear(db, year, (code) => names.get(code) ?? code);
  const years: ScoredYears = { ws, year, current, previous, beforePrevious, prevWs, beforeWs, common: compared?.common ?? null, queries };
  const indicators: IndicatorScore[] = c.indicators.map((ind) => scoreIndicator(years, ind));

  return {
    schemaVersion: SCORE_SCHEMA_VERSION,
    year,
    previousYear: previous.hasData ? year - 1 : null,
    catalogVersion: c.version,
    profile: ws.profile.id,
    generatedAt: new Date().toISOString(),
    indicators,
    comparison: compared?.comparison ?? null,
    goals: goalProgress(c, indicators, year),
    rollups: computeRollups(c, indicators, previous.hasData),
  };
}

/** The three years an indicator is scored from (this one, the one before, the one before that), each with its units. */
interface ScoredYears {
  ws: Workspace;
  year: number;
  current: YearData;
  previous: YearData;
  beforePrevious: YearData;
  prevWs: Workspace;
  beforeWs: Workspace;
  /** The units that exist in both this year and the one before (comparableYears), null without last year's data. */
  common: Set<string> | null;
  queries: Awaited<ReturnType<typeof queriesOfYear>>;
}

/** One indicator: its figures this year and last, its verdicts against the year's targets, and how they moved. */
function scoreIndicator(y: ScoredYears, ind: Indicator): IndicatorScore {
  const c = y.ws.catalog;
  const { year, previous } = y;
  const cons = consolidateIndicator(y.ws, ind, y.current);
  const consPrev = consolidateIndicator(y.prevWs, ind, previous);
  const consBefore = consolidateIndicator(y.beforeWs, ind, y.beforePrevious);
  const now = judge(ind, year, cons, consPrev);
  // Last year judged against last year's own targets (the year's view of the catalog).
  const prevInd = y.prevWs.catalog.indicatorById.get(ind.id) ?? ind;
  const then = previous.hasData ? judge(prevInd, year - 1, consPrev, consBefore) : null;
  // Last year's figures against this year's targets: a verdict that changes only because the target did is no progress.
  const thenUnderNow = previous.hasData ? judge(ind, year, consPrev, consBefore) : null;
  const measures = measureScores(cons, consPrev, now, previous.hasData);
  const queries = y.queries.get(ind.id) ?? [];
  // No verdict over figures a query found impossible, until the unit explains them or the analyst confirms them.
  const open = now.hasTarget ? queries.filter(isOpenImpossibility) : [];
  const pending = open.length ? { verdictOnFigures: now.verdict, units: [...new Set(open.map((q) => q.unitName))] } : null;
  const held = <T extends { verdict: Verdict; targets: TargetResult[] }>(part: T): T => (pending && part.targets.length ? { ...part, verdict: 'pending' } : part);

  return {
    id: ind.id, areaId: ind.areaId, standardId: ind.standardId, criterionId: ind.criterionId, text: ind.text,
    agencies: ind.agencyCodes.map((code) => ({ code, name: c.agencyByCode.get(code)?.name ?? code })),
    measures,
    threshold: held(now.threshold),
    roadmap: now.roadmap ? held(now.roadmap) : null,
    verdict: pending ? 'pending' : now.hasTarget ? now.verdict : 'missing',
    pending,
    previousVerdict: then && then.hasTarget ? then.verdict : null,
    agencyAnswers: agencyAnswers(y.ws, ind, cons),
    disagreement: cons.disagreement,
    units: unitFigures(ind, cons, y.current, previous, y.common),
    queries,
    evidence: evidenceOf(ind, cons, y.current),
    hasTarget: now.hasTarget,
    milestone: now.roadmap ? { year: now.milestoneYear!, ownYear: now.ownYear } : null,
    coverage: coverageOf(measures, now),
    previousVerdictUnderCurrentTargets: thenUnderNow && now.hasTarget ? thenUnderNow.verdict : null,
    targetChanged: then !== null && then.hasTarget && now.hasTarget ? then.targetKey !== now.targetKey : null,
    verdictChange: pending ? null : verdictChange(now, then, thenUnderNow),
  };
}

/** Each measure's city figure, its direction, and last year's figure with the change (when last year has data). */
function measureScores(cons: IndicatorConsolidation, consPrev: IndicatorConsolidation, now: Judgement, hasPrevious: boolean): MeasureScore[] {
  return cons.measures.map((mc, i) => {
    const prevValue = hasPrevious ? consPrev.measures[i].value : null;
    return {
      id: mc.measure.id, label: mc.measure.label, derive: mc.measure.derive, unit: mc.measure.unit,
      value: mc.value, approximate: mc.approximate, components: mc.components, raters: mc.raters,
      direction: now.directions[i].direction, directionSource: now.directions[i].source,
      previous: prevValue,
      change: mc.value !== null && prevValue !== null ? mc.value - prevValue : null,
      reporters: mc.reporters, expected: mc.expected,
    };
  });
}

/** An indicator shared by several agencies: each agency's own answer (none for an indicator of one agency). */
function agencyAnswers(ws: Workspace, ind: Indicator, cons: IndicatorConsolidation): AgencyAnswer[] {
  if (ind.agencyCodes.length <= 1) return [];
  return ind.agencyCodes.map((code) => ({
    agencyCode: code,
    agencyName: ws.catalog.agencyByCode.get(code)?.name ?? code,
    values: Object.fromEntries(cons.measures.map((mc) => [mc.measure.id, mc.byAgency.get(code)?.value ?? null])),
    directions: Object.fromEntries(cons.measures
      .filter((mc) => mc.measure.fields.some((f) => f.role === 'direction'))
      .map((mc) => [mc.measure.id, mc.byAgency.get(code)?.reportedDirection ?? null])),
  }));
}

/** The reporting units' evidence texts for an indicator, those left empty left out. */
function evidenceOf(ind: Indicator, cons: IndicatorConsolidation, current: YearData): IndicatorScore['evidence'] {
  const evidenceField = evidenceFieldId(ind.id);
  return cons.reportingUnits
    .map((u) => ({ unitName: u.name, text: (current.values.get(u.code)?.get(evidenceField)?.text ?? '').trim() }))
    .filter((e) => e.text !== '');
}
