/**
 * The score of a year: what `hoctap score --format json` prints and what the report renders.
 * A public, stable shape (documented in docs/score.md): add fields, never rename or remove them.
 */
import type { Direction, UnitState, Verdict } from '../vi/labels.ts';
import type { Comparator, Derive } from '../catalog/types.ts';
import type { PlacedFinding } from '../findings/types.ts';

export const SCORE_SCHEMA_VERSION = 1;

/** Đạt / Chưa đạt / Thiếu số liệu. */
export { VERDICT_LABELS, type Verdict } from '../vi/labels.ts';

export type { Direction } from '../vi/labels.ts';

export interface TargetResult {
  measureId: string;
  /** threshold: the criterion's own level, every year; roadmap: the city plan's target for this year. */
  kind: 'threshold' | 'roadmap';
  comparator: Comparator;
  value: number | null;
  valueMax: number | null;
  /** The target as text: "≥ 95%", "Giảm so với năm trước". */
  text: string;
  source: string;
  /** The figure compared: the measure's value, or for increase/decrease its direction. */
  measured: number | null;
  direction: Direction | null;
  verdict: Verdict;
  /** measured − target value (positive = above); null for increase/decrease or a missing figure. */
  gap: number | null;
  /**
   * Added: the target's year (null for a threshold). A roadmap target of a later year is used when the indicator has
   * no threshold and the plans set nothing for the year itself (its text then says which year).
   */
  year: number | null;
  /**
   * Added: the later milestone's year when the year has no target of its own and this one measures progress toward it
   * (a 2025 target read in 2024); null for a threshold or the year's own target. The text never carries it.
   */
  milestoneYear: number | null;
}

export interface MeasureScore {
  id: string;
  label: string;
  derive: Derive;
  unit: string;
  /** The city-wide value: a rate recomputed from summed counts, a sum, a mean rating… null when missing. */
  value: number | null;
  /** True when percentages of several units were averaged without weights: an approximate figure. */
  approximate: boolean;
  /** Summed components, when the measure has counts. */
  components: { num?: number; den?: number; male?: number; female?: number; total?: number };
  /** For ratings: how many raters answered. */
  raters: number | null;
  /** Direction this year vs last: computed from both years' stored values, else the units' own answer. */
  direction: Direction | null;
  directionSource: 'computed' | 'reported' | null;
  /** Last year's city value for this measure, when the store has it. */
  previous: number | null;
  /** value − previous. */
  change: number | null;
  /** Units that gave a usable figure / units expected to report it. */
  reporters: number;
  expected: number;
}

/** A plausibility query raised on a unit's accepted figures, and whether the unit answered it ("Giải trình"). */
export interface QueryNote {
  unitCode: string;
  unitName: string;
  code: string;
  /** The finding's full sentence (with the explanation quoted when there is one), as stored for a row without `finding`. */
  text: string;
  answered: boolean;
  explanation: string | null;
  /** The finding as data (src/findings), which notes word at output; null for a row stored before schema 4. */
  finding: PlacedFinding | null;
  /**
   * Added: plausibility (an unusual figure the unit may explain) or impossibility (figures that cannot all be true: an
   * indicator resting on one unanswered and unconfirmed is 'pending', no verdict).
   */
  kind: 'plausibility' | 'impossibility';
  /** Added: the analyst's confirmation of the figures (hoctap confirm), with its reason; null when none. */
  confirmation: { reason: string; user: string | null; at: string } | null;
}

/**
 * Whether last year's figures compare with this year's unit by unit: a reform between them changes the roster or the
 * level of local government. City-wide sums of counts stay comparable; unit-by-unit comparisons do not.
 */
export interface YearComparison {
  previousYear: number;
  sameUnits: boolean;
  sameLevel: boolean;
  /** Units in both years (same code and agency): the only ones whose figures are paired. */
  commonUnits: number;
  units: [number, number];
  levels: [string | null, string | null];
  /** The sentence the score and the report print when the sets of units differ; null when they are the same. */
  note: string | null;
}

/** A goal on the whole set of criteria (000: "hoàn thành 100% tiêu chí, chỉ số" by 2030), and how far the year is from it. */
export interface GoalProgress {
  id: string;
  year: number;
  text: string;
  /** The share required (%). */
  value: number;
  /** Whether it is the report year's own goal (false: a later one). */
  ownYear: boolean;
  /** Indicators with a target in force met / judged with a target (missing figures count as not met). */
  indicators: { met: number; total: number };
  /** Criteria whose every indicator with a target is met / criteria with such an indicator. */
  criteria: { met: number; total: number };
  /** criteria.met / criteria.total in %, compared with value. */
  share: number;
  reached: boolean;
}

export interface AgencyAnswer {
  agencyCode: string;
  agencyName: string;
  /** measure id → that agency's own value. */
  values: Record<string, number | null>;
  /** Added: measure id → that agency's own Tăng/Giảm answer, for measures that ask for one. */
  directions: Record<string, Direction | null>;
}

export interface UnitFigures {
  unitCode: string;
  unitName: string;
  /** field id → normalised value (number, or text for directions and evidence). */
  values: Record<string, number | string | null>;
  /**
   * Added: measure id → the same unit's figure last year; null when the unit does not exist in both years (a reform:
   * its figures are never paired with another unit's) or last year has none.
   */
  previous: Record<string, number | null> | null;
}

export interface IndicatorScore {
  id: string;
  areaId: string;
  standardId: string;
  criterionId: string;
  text: string;
  agencies: { code: string; name: string }[];
  measures: MeasureScore[];
  /** Against the criterion's own threshold. */
  threshold: { verdict: Verdict; targets: TargetResult[] };
  /** Against this year's roadmap target; null when the plans set none for the year. */
  roadmap: { verdict: Verdict; targets: TargetResult[] } | null;
  /**
   * Every target in force for the year met (threshold and roadmap alike) → met; any not met → not met; else missing.
   * pending when the figures rest on an impossibility neither explained nor confirmed (then threshold and roadmap are
   * pending too, and `pending` says what the figures alone would give).
   */
  verdict: Verdict;
  /** Added: why the indicator has no verdict yet: the units whose figures wait for an explanation; null otherwise. */
  pending: { verdictOnFigures: Verdict; units: string[] } | null;
  /** Last year's verdict (same rule), when the store has last year. */
  previousVerdict: Verdict | null;
  /** Indicators with two responsible agencies: each one's answer, and whether they disagree. */
  agencyAnswers: AgencyAnswer[];
  disagreement: boolean;
  /** Every reporting unit's figures, for the consolidated workbook. */
  units: UnitFigures[];
  /** Added: the plausibility queries on the accepted figures of the indicator, answered or not. */
  queries: QueryNote[];
  /** Evidence and notes the units wrote, unit name → text. */
  evidence: { unitName: string; text: string }[];
  /**
   * Added: false when no target is in force for the year (no threshold and no roadmap target for the year or a later
   * one); such an indicator's verdicts are 'missing' and it is left out of the roll-ups (counted in withoutTarget).
   */
  hasTarget: boolean;
  /** Added: the year of the roadmap targets used, and whether it is the year's own (false: a later milestone). */
  milestone: { year: number; ownYear: boolean } | null;
  /** Added: units that gave the judged figures / units the roster expects; complete when none is missing. */
  coverage: { reporting: number; expected: number; complete: boolean };
  /** Added: last year's figures judged against this year's targets (null without last year or a target). */
  previousVerdictUnderCurrentTargets: Verdict | null;
  /** Added: whether the targets in force differ from last year's (null when either year has none or no data). */
  targetChanged: boolean | null;
  /**
   * Added: how the verdict moved since last year. target_changed: only because the target changed (last year's figure
   * has this year's verdict against this year's target); null when either year is missing a verdict.
   */
  verdictChange: 'improved' | 'declined' | 'same' | 'target_changed' | null;
}

export interface Rollup {
  key: string;
  name: string;
  total: number;
  met: number;
  notMet: number;
  missing: number;
  /** Added: indicators without a verdict until their impossible figures are explained or confirmed (not in assessed). */
  pending: number;
  /** met + notMet */
  assessed: number;
  previous: { met: number; notMet: number; missing: number; assessed: number } | null;
  /** Added: indicators of the group with no target in force for the year (not in total). */
  withoutTarget: number;
  /** Added: the verdicts against each kind of target (roadmap: the indicators that have one this year). */
  byKind: { threshold: VerdictCounts; roadmap: VerdictCounts };
  /** Added: judged indicators resting on fewer units than the roster expects, and how they fared. */
  incomplete: VerdictCounts;
  /**
   * Added: last year against this year on the same footing: the indicators judged in both years under unchanged
   * targets (null without last year).
   */
  sameFooting: { indicators: number; met: number; previousMet: number } | null;
  /**
   * Added: every indicator of the group in exactly one category; they add up to total + withoutTarget. The report's
   * counts come from here (src/report/model/counts.ts), so that its sentences never overlap or contradict each other.
   */
  categories: VerdictCategories;
}

/**
 * The indicators of a group, each counted once. The year's own targets (threshold, or the plan's target for the year):
 * met or not met on every unit expected, met or not met on the figures of part of the units, or without a figure.
 * An indicator whose only target is a later milestone (2025 read in 2024) measures progress toward it: counted apart,
 * never as the year's met or not met. Without any target in force: withoutTarget.
 */
export interface VerdictCategories {
  met: number;
  notMet: number;
  metPartial: number;
  notMetPartial: number;
  missing: number;
  /** Not concluded: resting on figures a query found impossible, neither explained by the unit nor confirmed. */
  pending: number;
  milestone: { total: number; reached: number; notReached: number; missing: number; pending: number };
  withoutTarget: number;
  /**
   * The indicators judged in both years against the year's own, unchanged targets, with a figure both years: last
   * year's met, this year's met, and the moves between (previousMet + improved - declined = met).
   */
  footing: { indicators: number; previousMet: number; met: number; improved: string[]; declined: string[] } | null;
}

export interface VerdictCounts { total: number; met: number; notMet: number; missing: number; pending: number }

export interface ScoreReport {
  schemaVersion: number;
  year: number;
  previousYear: number | null;
  catalogVersion: string;
  profile: string;
  generatedAt: string;
  indicators: IndicatorScore[];
  /** Added: whether last year's units are this year's (null without last year). */
  comparison: YearComparison | null;
  /** Added: the plan's goals in force for the year and how far the city is from them. */
  goals: GoalProgress[];
  rollups: {
    overall: Rollup;
    areas: Rollup[];
    standards: Rollup[];
    criteria: Rollup[];
    agencies: Rollup[];
  };
}

export { UNIT_STATE_LABELS, type UnitState } from '../vi/labels.ts';

export interface UnitStatus {
  unitCode: string;
  unitName: string;
  agencyCode: string;
  state: UnitState;
  /** ISO date-time the accepted (or last rejected) file was received. */
  receivedAt: string | null;
  fileName: string | null;
  /** Errors of the last rejected file, when the state is rejected. */
  errors: number;
  /** When the state is held: the held submission, put in force by `hoctap restore <id>` (or ingest --replace). */
  heldSubmission: number | null;
  submissions: number;
}

export interface StatusReport {
  year: number;
  deadline: string;
  units: UnitStatus[];
  /** Units to chase: rejected or missing. */
  toChase: string[];
  /** Units whose only file waits for the analyst's confirmation (held). */
  toConfirm: string[];
}
