/**
 * City-wide consolidation, verdicts and roll-ups, on multi-unit scenarios in a real SQLite store.
 * Every expected figure below is worked out by hand in the comment next to it.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace, type Workspace } from '../src/catalog/workspace.ts';
import { openDatabase, storeOn } from './helpers/sqlite.ts';
import { computeScores } from '../src/scoring/score.ts';
import { answersDisagree } from '../src/scoring/consolidate.ts';
import type { IndicatorScore, ScoreReport } from '../src/scoring/types.ts';
import { seedSubmission } from './helpers/seed-store.ts';
import { tempDir } from './helpers/tools.ts';

/** A small roster: two GDDT units (several units of one agency), three experts, four local units. */
const ROSTER = `unit_code,unit_name,agency_code,email
SGDDT,Sở Giáo dục và Đào tạo,GDDT,
TTGDTX,Trung tâm Giáo dục thường xuyên Thành phố,GDDT,
SNV,Sở Nội vụ,NV,
STC,Sở Tài chính,TC,
SKHCN,Sở Khoa học và Công nghệ,KHCN,
SNNMT,Sở Nông nghiệp và Môi trường,NNMT,
CATP,Công an Thành phố,CA,
HKHTP,Hội Khuyến học Thành phố,HKH,
SVHTTDL,"Sở Văn hóa, Thể thao và Du lịch",VHTTDL,
TRUYENTHONG,Cơ quan truyền thông Thành phố,TT,
CG1,Chuyên gia 1,CG,
CG2,Chuyên gia 2,CG,
CG3,Chuyên gia 3,CG,
Q1,Ủy ban nhân dân Quận 1,UBND,
Q3,Ủy ban nhân dân Quận 3,UBND,
Q4,Ủy ban nhân dân Quận 4,UBND,
Q5,Ủy ban nhân dân Quận 5,UBND,
`;

let dir: string;
let ws: Workspace;
let db: DatabaseSync;
let r2024: ScoreReport;
let r2023: ScoreReport;
const ind = (r: ScoreReport, id: string): IndicatorScore => {
  const found = r.indicators.find((i) => i.id === id);
  if (!found) throw new Error(`no indicator ${id}`);
  return found;
};

beforeAll(async () => {
  dir = tempDir('hoctap-scoring-');
  fs.writeFileSync(path.join(dir, 'roster.csv'), ROSTER);
  ws = openWorkspace(dir);
  db = openDatabase(ws.dbPath);
  const seed = (unitCode: string, year: number, values: Record<string, number | string>, extra: Record<string, unknown> = {}) =>
    seedSubmission(db, { unitCode, year, values, ...extra }, ws.catalog);

  // ---- 2023 (the previous year) ----
  seed('Q1', 2023, { '1.1.2-a.m.tu': 60, '1.1.2-a.m.mau': 100 });
  seed('Q3', 2023, { '1.1.2-a.m.tu': 20, '1.1.2-a.m.mau': 100 }); // 80/200 = 40% → not met (≥ 70)
  seed('HKHTP', 2023, { '2.2.2-a.m.tu': 70, '2.2.2-a.m.mau': 100 }); // 70%: roadmap 2023 ≥ 60 met, threshold ≥ 90 not met
  seed('SKHCN', 2023, { '1.2.4-a.m.gt': 1000 }); // no 2022, no answer: direction unknown → missing
  seed('SGDDT', 2023, { '2.1.3-a.m.tl': 30 }); // < 35 → not met

  // ---- 2024 ----
  // Rates from summed counts: 30/40, 10/20, 5/40 → 45/100 = 45%.
  seed('Q1', 2024, { '1.1.2-a.m.tu': 1, '1.1.2-a.m.mau': 1 }, { status: 'superseded' }); // replaced: ignored
  seed('Q1', 2024, {
    '1.1.2-a.m.tu': 30, '1.1.2-a.m.mau': 40, '1.1.2-a.m.tl': 75,
    '1.3.1-b.m.tu': 35, '1.3.1-b.m.mau': 50, '1.3.2-a.m.tl': 4,
  });
  seed('Q3', 2024, {
    '1.1.2-a.m.tu': 10, '1.1.2-a.m.mau': 20,
    '1.3.1-b.m.tu': 15, '1.3.1-b.m.mau': 50, '1.3.2-a.m.tl': 8,
    '1.1.2-a.minhchung': '   ',
  });
  seed('Q4', 2024, {
    '1.1.2-a.m.tu': 5, '1.1.2-a.m.mau': 40,
    '1.3.1-b.m.tl': 80, // only the rate: counted as if its denominator were the others' mean (50)
    '1.1.2-a.minhchung': 'Báo cáo số 12/BC-UBND ngày 01/11/2024',
  });
  seed('Q5', 2024, { '1.1.2-a.m.tu': 1000, '1.1.2-a.m.mau': 1000 }, { status: 'rejected', errors: 2 }); // ignored

  // Sex counts, two GDDT units: 300 + 290 = 590 of 600; 200 + 195 (total left blank) of 400 → 985/1000 = 98.5%.
  seed('SGDDT', 2024, {
    '2.1.1-a.m.nam': 300, '2.1.1-a.m.nu': 290, '2.1.1-a.m.tong': 590, '2.1.1-a.m.mau': 600,
    '1.1.1-a.m.tl': 96, '2.1.3-a.m.tl': 40, '2.1.4-a.m.tl': 48,
    'KH.1.1-a.m.tu': 20, 'KH.1.1-a.m.mau': 22, 'KH.3.1-d.m.tl': 100,
  });
  seed('TTGDTX', 2024, {
    '2.1.1-a.m.nam': 200, '2.1.1-a.m.nu': 195, '2.1.1-a.m.mau': 400,
    '1.1.1-a.m.tl': 93, // with SGDDT's 96: unweighted mean 94.5, approximate
    '2.1.4-a.m.tl': 50, // GDDT's answer: (48 + 50) / 2 = 49
  });
  seed('SNV', 2024, { '2.1.4-a.m.tl': 55, '1.1.3-a.m.tl': 50, '1.1.3-b.m.tl': 58 });
  seed('STC', 2024, { '1.2.1-a.m.tu': 162, '1.2.1-a.m.mau': 100 }); // ratio 1.62
  // Computed direction beats the unit's own (contradicting) answer: 1200 > 1000 → increase.
  seed('SKHCN', 2024, { '1.2.4-a.m.gt': 1200, '1.2.4-a.m.xh': 'Giảm' });
  seed('CATP', 2024, { '1.3.2-b.m.gt': 120, '1.3.2-b.m.xh': 'Giảm' }); // no 2023 figure: the answer decides
  seed('SNNMT', 2024, { '1.3.1-c.m.xh': 'Tăng' }); // emissions up: not met
  seed('HKHTP', 2024, { '2.2.2-a.m.tu': 80, '2.2.2-a.m.mau': 100 });
  seed('SVHTTDL', 2024, { '2.6.2-a.m.dg': 4 });
  seed('TRUYENTHONG', 2024, { '2.6.2-a.m.dg': 3 });
  seed('CG1', 2024, { '3.1.1-a.m.dg': 4, '3.1.2-a.m.dg': 2 });
  seed('CG2', 2024, { '3.1.1-a.m.dg': 3, '3.1.2-a.m.dg': 3 });
  seed('CG3', 2024, { '3.1.1-a.m.dg': 2 });

  r2024 = await computeScores(ws, storeOn(db), 2024);
  r2023 = await computeScores(ws, storeOn(db), 2023);
});

afterAll(() => {
  db?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('consolidation', () => {
  it('recomputes a rate from the summed counts of the accepted submissions only', () => {
    const i = ind(r2024, '1.1.2-a');
    const m = i.measures[0];
    expect(m.value).toBeCloseTo(45, 10);
    expect(m.approximate).toBe(false);
    expect(m.components).toEqual({ num: 45, den: 100 });
    expect(m.reporters).toBe(3);
    expect(m.expected).toBe(4);
    expect(i.threshold.targets[0]).toMatchObject({ comparator: '>=', value: 70, verdict: 'not_met', kind: 'threshold' });
    expect(i.threshold.targets[0].gap).toBeCloseTo(-25, 10);
    expect(i.verdict).toBe('not_met');
  });

  it('sums counts by sex, using male + female when the total is blank', () => {
    const m = ind(r2024, '2.1.1-a').measures[0];
    expect(m.value).toBeCloseTo(98.5, 10);
    expect(m.components).toEqual({ num: 985, den: 1000, male: 500, female: 485, total: 985 });
    expect(m.approximate).toBe(false);
    expect(m.reporters).toBe(2);
    expect(ind(r2024, '2.1.1-a').threshold.targets[0].gap).toBeCloseTo(13.5, 10);
  });

  it('counts a unit that gave only the rate as approximate', () => {
    // (35 + 15) of (50 + 50), plus Q4's 80% with the mean denominator 50: (5000 + 80×50) / 150 = 60.
    const m = ind(r2024, '1.3.1-b').measures[0];
    expect(m.value).toBeCloseTo(60, 10);
    expect(m.approximate).toBe(true);
    expect(m.components).toEqual({ num: 50, den: 100 });
    expect(m.reporters).toBe(3);
    expect(ind(r2024, '1.3.1-b').verdict).toBe('not_met');
    // Only rates, no counts at all (4% and 8%): unweighted mean 6%, approximate; ≤ 5% → not met, 1 point above.
    const a = ind(r2024, '1.3.2-a');
    expect(a.measures[0].value).toBeCloseTo(6, 10);
    expect(a.measures[0].approximate).toBe(true);
    expect(a.threshold.targets[0]).toMatchObject({ comparator: '<=', verdict: 'not_met' });
    expect(a.threshold.targets[0].gap).toBeCloseTo(1, 10);
  });

  it('computes a ratio', () => {
    const i = ind(r2024, '1.2.1-a');
    expect(i.measures[0].value).toBeCloseTo(1.62, 10);
    expect(i.measures[0].components).toEqual({ num: 162, den: 100 });
    expect(i.verdict).toBe('met');
    expect(i.threshold.targets[0].gap).toBeCloseTo(0.12, 10);
  });

  it('averages percentages of several units of one agency without weights, flagged approximate', () => {
    const i = ind(r2024, '1.1.1-a');
    expect(i.measures[0].value).toBeCloseTo(94.5, 10);
    expect(i.measures[0].approximate).toBe(true);
    expect(i.verdict).toBe('not_met');
    expect(i.threshold.targets[0].gap).toBeCloseTo(-0.5, 10);
    // One unit: its own figure, exact.
    const one = ind(r2024, '2.1.3-a');
    expect(one.measures[0].value).toBe(40);
    expect(one.measures[0].approximate).toBe(false);
  });

  it('averages ratings with the number of raters', () => {
    const a = ind(r2024, '3.1.1-a').measures[0]; // (4 + 3 + 2) / 3 = 3
    expect(a.value).toBeCloseTo(3, 10);
    expect(a.raters).toBe(3);
    expect(ind(r2024, '3.1.1-a').verdict).toBe('met');
    expect(ind(r2024, '3.1.1-a').threshold.targets[0].gap).toBeCloseTo(0, 10);
    const b = ind(r2024, '3.1.2-a').measures[0]; // (2 + 3) / 2 = 2.5 < 3
    expect(b.value).toBeCloseTo(2.5, 10);
    expect(b.raters).toBe(2);
    expect(ind(r2024, '3.1.2-a').verdict).toBe('not_met');
  });

  it('keeps both answers of a shared indicator and flags the disagreement', () => {
    const i = ind(r2024, '2.1.4-a');
    expect(i.agencyAnswers.map((a) => [a.agencyCode, a.values['2.1.4-a.m']])).toEqual([['NV', 55], ['GDDT', 49]]);
    expect(i.agencyAnswers[0].agencyName).toBe('Sở Nội vụ');
    expect(i.disagreement).toBe(true);
    expect(i.measures[0].value).toBeCloseTo(52, 10); // (55 + 49) / 2
    expect(i.measures[0].approximate).toBe(true);
    expect(i.measures[0].reporters).toBe(3);
    expect(i.verdict).toBe('met');
    // A shared rating: 4 and 3 differ by a level; the value is the mean of the raters.
    const r = ind(r2024, '2.6.2-a');
    expect(r.agencyAnswers.map((a) => [a.agencyCode, a.values['2.6.2-a.m']])).toEqual([['VHTTDL', 4], ['TT', 3]]);
    expect(r.disagreement).toBe(true);
    expect(r.measures[0].value).toBeCloseTo(3.5, 10);
    expect(r.measures[0].raters).toBe(2);
    // Single-agency indicators carry no agency answers.
    expect(ind(r2024, '1.1.2-a').agencyAnswers).toEqual([]);
    expect(ind(r2024, '1.1.2-a').disagreement).toBe(false);
  });

  it('decides when two answers disagree', () => {
    const pct = ws.catalog.measureById.get('2.1.4-a.m')!;
    const rating = ws.catalog.measureById.get('2.6.2-a.m')!;
    expect(answersDisagree(pct, 50, 50.8)).toBe(false);
    expect(answersDisagree(pct, 50, 51.5)).toBe(true);
    expect(answersDisagree(rating, 4, 4)).toBe(false);
    expect(answersDisagree(rating, 4, 3)).toBe(true);
  });

  it('lists every reporting unit with its figures, and the evidence written', () => {
    const i = ind(r2024, '1.1.2-a');
    expect(i.units.map((u) => u.unitCode)).toEqual(['Q1', 'Q3', 'Q4']);
    expect(i.units[0].values).toEqual({ '1.1.2-a.m.tu': 30, '1.1.2-a.m.mau': 40, '1.1.2-a.m.tl': 75, '1.1.2-a.minhchung': null });
    expect(i.evidence).toEqual([{ unitName: 'Ủy ban nhân dân Quận 4', text: 'Báo cáo số 12/BC-UBND ngày 01/11/2024' }]);
    expect(ind(r2024, '1.3.2-b').units[0].values['1.3.2-b.m.xh']).toBe('Giảm');
  });
});

describe('directions', () => {
  it('computes the direction from both years when both exist, over the unit\'s own answer', () => {
    const i = ind(r2024, '1.2.4-a');
    const m = i.measures[0];
    expect(m).toMatchObject({ value: 1200, previous: 1000, change: 200, direction: 'increase', directionSource: 'computed' });
    expect(i.threshold.targets[0]).toMatchObject({ comparator: 'increase', direction: 'increase', verdict: 'met', gap: null });
    expect(i.verdict).toBe('met');
    // 1.1.2-a also has both years: 45% vs 40%.
    expect(ind(r2024, '1.1.2-a').measures[0]).toMatchObject({ previous: 40, direction: 'increase', directionSource: 'computed' });
    expect(ind(r2024, '1.1.2-a').measures[0].change).toBeCloseTo(5, 10);
  });

  it('uses the unit\'s own Tăng/Giảm answer when last year is missing', () => {
    const b = ind(r2024, '1.3.2-b');
    expect(b.measures[0]).toMatchObject({ direction: 'decrease', directionSource: 'reported', previous: null });
    expect(b.verdict).toBe('met');
    const c = ind(r2024, '1.3.1-c');
    expect(c.measures[0]).toMatchObject({ value: null, direction: 'increase', directionSource: 'reported' });
    expect(c.verdict).toBe('not_met');
    // Nothing at all: missing.
    expect(ind(r2024, '1.2.4-b').measures[0]).toMatchObject({ direction: null, directionSource: null });
    expect(ind(r2024, '1.2.4-b').verdict).toBe('missing');
  });
});

describe('verdicts against roadmap and threshold', () => {
  it('judges 2.2.2-a in 2023 against the roadmap (≥ 60) and the threshold (≥ 90) separately', () => {
    const i = ind(r2023, '2.2.2-a');
    expect(i.measures[0].value).toBeCloseTo(70, 10);
    expect(i.roadmap?.verdict).toBe('met');
    expect(i.roadmap?.targets[0]).toMatchObject({ kind: 'roadmap', value: 60, year: 2023, source: '003' });
    expect(i.roadmap?.targets[0].gap).toBeCloseTo(10, 10);
    expect(i.threshold.verdict).toBe('not_met');
    expect(i.threshold.targets[0].gap).toBeCloseTo(-20, 10);
    // Overall "Đạt" means every target in force is met: the missed threshold is not hidden by the roadmap's "Đạt".
    expect(i.verdict).toBe('not_met');
    expect(i.previousVerdict).toBeNull();
    expect(r2023.previousYear).toBeNull();
    expect(r2023.rollups.overall.previous).toBeNull();
  });

  it('has no roadmap in 2024 for 2.2.2-a, and remembers 2023\'s verdict', () => {
    const i = ind(r2024, '2.2.2-a');
    expect(i.roadmap).toBeNull();
    expect(i.verdict).toBe('not_met'); // 80% < 90%
    expect(i.previousVerdict).toBe('not_met'); // 2023: 70% met the plan's 60% but not the threshold's 90%
    expect(i.measures[0].previous).toBeCloseTo(70, 10);
  });

  it('judges a "between" target and an edge value', () => {
    const b = ind(r2024, '1.1.3-b'); // 45–55%, 58% → 3 points above
    expect(b.verdict).toBe('not_met');
    expect(b.threshold.targets[0].gap).toBeCloseTo(3, 10);
    const a = ind(r2024, '1.1.3-a'); // exactly 50 against ≥ 50
    expect(a.verdict).toBe('met');
    expect(a.threshold.targets[0].gap).toBe(0);
  });

  it('judges a plan indicator without threshold against its next milestone, or not at all', () => {
    const k = ind(r2024, 'KH.1.1-a'); // 20/22 = 90.909…% against the 2025 milestone ≥ 100
    expect(k.hasTarget).toBe(true);
    expect(k.roadmap?.targets[0]).toMatchObject({ year: 2025, value: 100, verdict: 'not_met' });
    // Issue 23: the later milestone is a field of the target (milestoneYear), no longer words appended to its text.
    expect(k.roadmap?.targets[0]).toMatchObject({ text: '≥ 100%', milestoneYear: 2025 });
    expect(k.roadmap?.targets[0].gap).toBeCloseTo(2000 / 22 - 100, 10);
    expect(k.threshold.targets).toEqual([]);
    const d = ind(r2024, 'KH.3.1-d'); // only a 2023 target: none in force in 2024
    expect(d.hasTarget).toBe(false);
    expect(d.measures[0].value).toBe(100);
    expect(d.roadmap).toBeNull();
  });
});

describe('roll-ups', () => {
  // 2024 verdicts (hand-made above):
  //   met (9):     1.1.3-a 1.2.1-a 1.2.4-a 1.3.2-b 2.1.1-a 2.1.3-a 2.1.4-a 2.6.2-a 3.1.1-a
  //   not met (9): 1.1.1-a 1.1.2-a 1.1.3-b 1.3.1-b 1.3.1-c 1.3.2-a 2.2.2-a 3.1.2-a KH.1.1-a
  //   no target in 2024: KH.3.1-d, KH.4.1-c, and (issue 14) KH.3.1-e, KH.4.1-d, KH.4.1-e (only 2023 targets)
  // 2023: not met 1.1.2-a, 2.1.3-a, 2.2.2-a (its plan target met, its threshold not); every indicator had a target.
  const countIn = (pred: (i: { areaId: string; standardId: string; agencyCodes: string[] }) => boolean) =>
    ws.catalog.indicators.filter(pred).length;

  it('overall, with the previous year', () => {
    const o = r2024.rollups.overall;
    const all = ws.catalog.indicators.length;
    expect(o).toMatchObject({ total: all - 5, met: 9, notMet: 9, missing: all - 5 - 18, assessed: 18, withoutTarget: 5 });
    expect(o.previous).toEqual({ met: 0, notMet: 3, missing: all - 3, assessed: 3 });
    expect(r2024.previousYear).toBe(2023);
  });

  it('per area and standard, in catalog order', () => {
    expect(r2024.rollups.areas.map((a) => a.key)).toEqual(ws.catalog.areas.map((a) => a.id));
    const area = (k: string) => r2024.rollups.areas.find((a) => a.key === k)!;
    const n1 = countIn((i) => i.areaId === '1');
    expect(area('1')).toMatchObject({ total: n1, met: 4, notMet: 6, missing: n1 - 10 });
    expect(area('1').previous).toEqual({ met: 0, notMet: 1, missing: n1 - 1, assessed: 1 });
    const n2 = countIn((i) => i.areaId === '2');
    expect(area('2')).toMatchObject({ total: n2, met: 4, notMet: 1, missing: n2 - 5 });
    expect(area('2').previous).toEqual({ met: 0, notMet: 2, missing: n2 - 2, assessed: 2 });
    expect(area('3')).toMatchObject({ met: 1, notMet: 1, missing: countIn((i) => i.areaId === '3') - 2 });
    const nKH = countIn((i) => i.areaId === 'KH');
    expect(area('KH')).toMatchObject({ total: nKH - 5, met: 0, notMet: 1, missing: nKH - 6, withoutTarget: 5 });

    const std = (k: string) => r2024.rollups.standards.find((s) => s.key === k)!;
    expect(std('1.1')).toMatchObject({ total: 5, met: 1, notMet: 3, missing: 1, assessed: 4 });
    expect(std('1.1').previous).toEqual({ met: 0, notMet: 1, missing: 4, assessed: 1 });
    expect(std('2.1')).toMatchObject({ total: 6, met: 3, notMet: 0, missing: 3 });
    const crit = (k: string) => r2024.rollups.criteria.find((c) => c.key === k)!;
    expect(crit('1.3.2')).toMatchObject({ total: 6, met: 1, notMet: 1, missing: 4 });
    expect(r2024.rollups.criteria.map((c) => c.key)).toEqual(ws.catalog.criteria.map((c) => c.id));
  });

  it('per agency, a shared indicator counting for both', () => {
    const ag = (k: string) => r2024.rollups.agencies.find((a) => a.key === k)!;
    const nG = countIn((i) => i.agencyCodes.includes('GDDT'));
    // GDDT: met 2.1.1-a 2.1.3-a 2.1.4-a; not met 1.1.1-a KH.1.1-a; KH.3.1-d, KH.4.1-c (and KH.3.1-e, KH.4.1-d, KH.4.1-e) without target.
    expect(ag('GDDT')).toMatchObject({ total: nG - 5, met: 3, notMet: 2, missing: nG - 10, withoutTarget: 5 });
    expect(ag('GDDT').previous).toMatchObject({ met: 0, notMet: 1 });
    expect(ag('NV')).toMatchObject({ met: 2, notMet: 1 }); // 2.1.4-a, 1.1.3-a; 1.1.3-b
    expect(ag('UBND')).toMatchObject({ met: 0, notMet: 3 });
    expect(ag('TT')).toMatchObject({ total: 1, met: 1, notMet: 0, missing: 0 });
    expect(ag('VHTTDL')).toMatchObject({ met: 1 });
  });
});

describe('a year without data', () => {
  it('scores everything as missing', async () => {
    const r = await computeScores(ws, storeOn(db), 2019);
    expect(r.previousYear).toBeNull();
    expect(r.indicators.every((i) => i.verdict === 'missing' && i.units.length === 0)).toBe(true);
    expect(r.rollups.overall.met + r.rollups.overall.notMet).toBe(0);
    expect(r.schemaVersion).toBe(1);
    expect(r.profile).toBe('hcm');
    expect(r.catalogVersion).toBe(ws.catalog.version);
  });
});
