/**
 * One rule decides which targets are in force in a year: the catalog listing, the template's target column and the
 * score must name the same targets for every indicator and every year of the plans (and the years after them).
 */
import { describe, expect, it } from 'vitest';
import { openWorkspace } from '../src/catalog/workspace.ts';
import { describeTarget } from '../src/catalog/targets.ts';
import { indicatorJson } from '../src/cli/commands/catalog.ts';
import { targetTextForYear } from '../src/templates/generate.ts';
import { computeScores } from '../src/scoring/score.ts';
import { openDatabase, storeOn } from './helpers/sqlite.ts';
import { runHoctap } from './helpers/cli.ts';
import { tempDir } from './helpers/tools.ts';

const YEARS = [2023, 2024, 2025, 2026, 2027, 2028, 2029, 2030, 2031];

describe('targets in force, every indicator and year 2023–2031', () => {
  const ws = openWorkspace(tempDir());
  const c = ws.catalog;
  const db = openDatabase(':memory:');

  it.each(YEARS)('catalog --year, the template and score agree in %i', async (year) => {
    const scores = new Map((await computeScores(ws, storeOn(db), year)).indicators.map((i) => [i.id, i]));
    let withTargets = 0;
    for (const ind of c.indicators) {
      const unitOf = (measureId: string) => c.measureById.get(measureId)!.unit;
      const listed = indicatorJson(c, ind, year).targets.map((t) => `${t.measure}|${t.year ?? '-'}|${t.text}`).sort();
      const s = scores.get(ind.id)!;
      const judged = [...s.threshold.targets, ...(s.roadmap?.targets ?? [])]
        .map((t) => `${t.measureId}|${t.year ?? '-'}|${t.text}`).sort(); // issue 23: the text carries no milestone words to strip
      expect(judged, `${ind.id} ${year}: score vs catalog`).toEqual(listed);
      expect(s.hasTarget, `${ind.id} ${year}`).toBe(listed.length > 0);

      const cell = targetTextForYear(ws, ind, year);
      // A measure without a target this year says so in its line; the others list their targets.
      const parts = cell.split(/\n| · /).filter((p) => !/không có chỉ tiêu/.test(p)).map((p) => p.replace(/^.*: /, ''));
      const expectedParts = indicatorJson(c, ind, year).targets.map((t) => t.text);
      if (expectedParts.length === 0) {
        expect(cell, `${ind.id} ${year}: template`).toMatch(/không có chỉ tiêu/);
        expect(cell).not.toMatch(/[≥≤]|Tăng|Giảm/);
      } else {
        withTargets++;
        expect(parts.sort(), `${ind.id} ${year}: template "${cell}"`).toEqual(expectedParts.sort());
        for (const t of ind.targets.filter((x) => !listed.includes(`${x.measureId}|${x.year ?? '-'}|${describeTarget(x, unitOf(x.measureId))}`))) {
          // A target not in force may only appear in the cell if another target in force has the same wording.
          if (!expectedParts.includes(describeTarget(t, unitOf(t.measureId)))) expect(cell).not.toContain(describeTarget(t, unitOf(t.measureId)));
        }
      }
    }
    expect(withTargets).toBeGreaterThan(50);
  });

  it('names a later milestone where a year has no target of its own (KH.1.1-b in 2024)', async () => {
    const dir = tempDir();
    const listed = JSON.parse(runHoctap(['catalog', '--year', '2024', '--format', 'json'], { cwd: dir }).stdout)
      .indicators.find((i: { id: string }) => i.id === 'KH.1.1-b');
    expect(listed.targets.map((t: { year: number; text: string; laterMilestone: boolean }) => [t.year, t.text, t.laterMilestone]))
      .toEqual([[2025, '≥ 90%', true]]);
    const ind = c.indicatorById.get('KH.1.1-b')!;
    // Issue 23 (item 8): the milestone is progress toward it, never worded as a 2024 target ("Năm 2024 (theo mốc …)").
    expect(targetTextForYear(ws, ind, 2024)).toBe('Tiến tới mốc năm 2025: ≥ 90%');
    const score = (await computeScores(ws, storeOn(db), 2024)).indicators.find((i) => i.id === 'KH.1.1-b')!;
    // Issue 23: the milestone is a field (milestoneYear), the text the target alone.
    expect(score.roadmap?.targets.map((t) => [t.year, t.text, t.milestoneYear])).toEqual([[2025, '≥ 90%', 2025]]);
    // After the last milestone nothing is in force, and all three say so.
    expect(targetTextForYear(ws, ind, 2031)).toBe('Năm 2031: không có chỉ tiêu');
    expect((await computeScores(ws, storeOn(db), 2031)).indicators.find((i) => i.id === 'KH.1.1-b')!.hasTarget).toBe(false);
  });
});
