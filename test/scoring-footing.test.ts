/**
 * Judged twice and compared fairly: the verdicts against both kinds of target, a change of verdict that only a change
 * of target explains, and indicators resting on fewer units than the roster expects.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace, type Workspace } from '../src/catalog/workspace.ts';
import { openDatabase, storeOn } from './helpers/sqlite.ts';
import { computeScores } from '../src/scoring/score.ts';
import type { IndicatorScore, ScoreReport } from '../src/scoring/types.ts';
import { seedSubmission } from './helpers/seed-store.ts';
import { tempDir } from './helpers/tools.ts';

let ws: Workspace;
let r2024: ScoreReport;
const ind = (id: string): IndicatorScore => r2024.indicators.find((i) => i.id === id)!;

beforeAll(async () => {
  ws = openWorkspace(tempDir('hoctap-footing-'));
  const db = openDatabase(ws.dbPath);
  const seed = (unitCode: string, year: number, values: Record<string, number | string>) => seedSubmission(db, { unitCode, year, values }, ws.catalog);
  // KH.3.1-b: 42.6% in 2023 against that year's 40% (met); 43.8% in 2024 against the 2025 milestone of 60% (not met).
  seed('SGDDT', 2023, { 'KH.3.1-b.m.tl': 42.6, '1.1.1-a.m.tl': 96 });
  seed('SGDDT', 2024, { 'KH.3.1-b.m.tl': 43.8, '1.1.1-a.m.tl': 97 });
  // 1.1.2-a (every district reports): 20 of the 22 districts in 2024, each 80/100 → 80% ≥ 70%.
  const districts = ws.roster.filter((u) => u.agencyCode === 'UBND');
  expect(districts).toHaveLength(22);
  for (const u of districts.slice(0, 20)) seed(u.code, 2024, { '1.1.2-a.m.tu': 80, '1.1.2-a.m.mau': 100 });
  for (const u of districts) seed(u.code, 2023, { '1.1.2-a.m.tu': 75, '1.1.2-a.m.mau': 100 });
  r2024 = await computeScores(ws, storeOn(db), 2024);
});

describe('honest comparisons', () => {
  it('a verdict that changes only because the target changed is said to be so, not a decline', () => {
    const k = ind('KH.3.1-b');
    expect(k.measures[0].previous).toBeCloseTo(42.6, 10);
    expect(k.previousVerdict).toBe('met'); // against 2023's own 40%
    expect(k.verdict).toBe('not_met'); // against the 2025 milestone of 60%
    expect(k.milestone).toEqual({ year: 2025, ownYear: false });
    expect(k.targetChanged).toBe(true);
    expect(k.previousVerdictUnderCurrentTargets).toBe('not_met'); // 42.6% would not have met 60% either
    expect(k.verdictChange).toBe('target_changed');
  });

  it('the same target both years: a verdict that stays is "same", and it counts in the like-for-like line', () => {
    const a = ind('1.1.1-a');
    expect([a.previousVerdict, a.verdict, a.targetChanged, a.verdictChange]).toEqual(['met', 'met', false, 'same']);
    const footing = r2024.rollups.overall.sameFooting!;
    // 1.1.1-a (met both years) and 1.1.2-a (met both years: 75% then 80% against ≥ 70%); KH.3.1-b is left out.
    expect(footing).toEqual({ indicators: 2, met: 2, previousMet: 2 });
  });

  it('an indicator resting on 20 of 22 districts carries its coverage and is counted apart', () => {
    const d = ind('1.1.2-a');
    expect(d.verdict).toBe('met');
    expect(d.coverage).toEqual({ reporting: 20, expected: 22, complete: false });
    expect(ind('1.1.1-a').coverage).toEqual({ reporting: 1, expected: 1, complete: true });
    expect(r2024.rollups.overall.incomplete).toMatchObject({ met: 1, notMet: 0 });
    expect(r2024.rollups.overall.incomplete.total).toBe(r2024.indicators.filter((i) => i.hasTarget && !i.coverage.complete).length);
  });

  it('counts the verdicts against each kind of target apart', () => {
    const kinds = r2024.rollups.overall.byKind;
    expect(kinds.roadmap.notMet).toBeGreaterThanOrEqual(1); // KH.3.1-b against its milestone
    expect(kinds.threshold.met).toBeGreaterThanOrEqual(2); // 1.1.1-a, 1.1.2-a
    expect(kinds.roadmap.total).toBe(r2024.indicators.filter((i) => i.roadmap !== null).length);
  });
});
