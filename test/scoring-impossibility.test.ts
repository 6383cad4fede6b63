/**
 * Issue 23 (item 3): the three impossibilities (kept as data: a code and its parameters, src/findings/codes.ts) said in
 * the report's words beside an indicator left without a verdict: a total rate outside the men's and women's, more local
 * units than exist, and a count of people above the population the same file states.
 */
import { describe, expect, it } from 'vitest';
import { impossibilityWords } from '../src/scoring/format.ts';
import { queryKind } from '../src/findings/codes.ts';
import type { PlacedFinding } from '../src/findings/types.ts';
import type { QueryNote } from '../src/scoring/types.ts';

const place = { file: 'Quận 1.xlsx', sheet: 'ChiSo', cell: 'G12', line: null, indicator: '1.1.2-a', field: '1.1.2-a.m.mau', fieldLabel: 'Tổng số công dân trên địa bàn', value: '150500', valueLength: 6, severity: 'warning' as const };
const aboveFinding: PlacedFinding = {
  ...place, code: 'count_above_population',
  params: { value: 150_500, unit: 'người', population: { label: 'Tổng số dân cư trên địa bàn', indicator: '1.3.2-a', at: { cell: 'G30', line: null, fieldId: '1.3.2-a.m.mau' }, value: 150_000 } },
};
const note = (finding: PlacedFinding): QueryNote => ({
  unitCode: 'Q1', unitName: 'Ủy ban nhân dân Quận 1', code: finding.code, text: '', answered: false, explanation: null, finding, kind: 'impossibility', confirmation: null,
});

describe('a count above its population', () => {
  it('is an impossibility (no verdict until explained or confirmed), not a plausibility', () => {
    expect(queryKind('count_above_population')).toBe('impossibility');
  });

  it('is said with both figures and the indicator of the population, without cells, as one clause', () => {
    const words = impossibilityWords([note(aboveFinding)]);
    expect(words).toBe('chỉ số 1.1.2-a, "Tổng số công dân trên địa bàn": 150.500 người, nhiều hơn cả "Tổng số dân cư trên địa bàn" (150.000 người) mà chính đơn vị ghi ở chỉ số 1.3.2-a');
    expect(words).not.toMatch(/ô G\d+/);
  });
});
