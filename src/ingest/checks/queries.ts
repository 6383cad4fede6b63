/**
 * Queries (QUERY_RULES): figures that may well be true but look implausible — a total rate outside its parts, more
 * local units counted than the roster has, a count of people above the population the same file states, a Tăng/Giảm
 * answer the two years' figures contradict. Warnings the unit
 * answers with an explanation (see answerQueries in check.ts).
 */
import { DIRECTION_LABELS, type Field, type FieldRole } from '../../catalog/types.ts';
import { finding } from '../../findings/codes.ts';
import { QUERY_RULES, type QueryRule } from '../rules.ts';
import type { Unit } from '../../catalog/workspace.ts';
import type { AcceptedValue } from '../types.ts';
import { measuresWithValues, placeOf, previousFigures, valueFinding, type Check, type FileState } from './state.ts';

export const queries: Check = {
  name: 'queries',
  codes: ['total_outside_parts', 'more_than_local_units', 'count_above_population', 'direction_contradicts'],
  stage: 'values',
  run(s) {
    for (const rule of QUERY_RULES) {
      if (rule.type === 'between') {
        for (const ind of s.ctx.ws.catalog.indicators) {
          const rate = (suffix: string) => {
            const m = ind.measures.find((x) => x.id === `${ind.id}.${suffix}`);
            const f = m?.fields.find((x) => x.kind === 'percent');
            return f ? s.values.get(f.id) : undefined;
          };
          const total = rate(rule.total.suffix);
          const parts = rule.parts.map((p) => ({ role: p.role, v: rate(p.suffix) }));
          if (total?.num == null || parts.some((p) => p.v?.num == null)) continue;
          const values = parts.map((p) => p.v!.num!);
          if (total.num >= Math.min(...values) - 1e-9 && total.num <= Math.max(...values) + 1e-9) continue;
          valueFinding(s, finding(rule.code, {
            total: { role: rule.total.role, at: placeOf(total), value: total.num }, parts: parts.map((p) => ({ role: p.role, at: placeOf(p.v!), value: p.v!.num! })),
          }), total);
        }
      } else if (rule.type === 'local_units') {
        const limit = localUnits(s.ctx.ws.roster);
        if (!limit) continue;
        for (const v of s.values.values()) {
          const field = s.ctx.ws.catalog.fieldById.get(v.entry.fieldId);
          const measure = field?.measureId ? s.ctx.ws.catalog.measureById.get(field.measureId) : undefined;
          if (!field || field.kind !== 'count' || field.unit !== rule.unit || v.num === null || v.num <= limit) continue;
          if (!rule.wording.test(`${field.label} ${measure?.label ?? ''}`.normalize('NFC'))) continue;
          valueFinding(s, finding(rule.code, { value: v.num, limit }), v);
        }
      } else if (rule.type === 'population') {
        abovePopulation(s, rule);
      } else {
        directions(s, rule.direction, rule.figure);
      }
    }
  },
};

const localCounts = new WeakMap<readonly Unit[], number>();

/** How many local units the roster has (counted once per roster: every file asks). */
function localUnits(roster: readonly Unit[]): number {
  let n = localCounts.get(roster);
  if (n === undefined) localCounts.set(roster, (n = roster.filter((u) => u.agencyKind === 'local').length));
  return n;
}

/**
 * Every count in the rule's unit above the population the file states (the largest, if it states several), but those of
 * the population's own measure: a numerator above its denominator is an error of MEASURE_RULES, not a query.
 */
function abovePopulation(s: FileState, rule: Extract<QueryRule, { type: 'population' }>): void {
  const { catalog } = s.ctx.ws;
  const counts = [...s.values.values()].flatMap((v) => {
    const field = catalog.fieldById.get(v.entry.fieldId);
    return field && field.kind === 'count' && field.unit === rule.unit && v.num !== null ? [{ v, field, num: v.num }] : [];
  });
  const population = counts.filter((c) => isPopulationOf(rule, c.field)).sort((a, b) => b.num - a.num)[0];
  if (!population) return;
  const measureId = population.field.measureId;
  const indicator = (measureId && catalog.measureById.get(measureId)?.indicatorId) ?? population.field.id;
  for (const c of counts) {
    if (c.field.measureId === measureId || c.num <= population.num) continue;
    valueFinding(s, finding(rule.code, {
      value: c.num, unit: rule.unit, population: { label: population.field.label, indicator, at: placeOf(population.v), value: population.num },
    }), c.v);
  }
}

function isPopulationOf(rule: Extract<QueryRule, { type: 'population' }>, f: Field): boolean {
  return f.kind === 'count' && f.unit === rule.unit && f.role === rule.population.role && rule.population.wording.test(f.label.normalize('NFC'));
}

/**
 * Whether a field is a population a rule of QUERY_RULES holds the other counts of people of its file to (the fixtures'
 * generators keep their figures within it).
 */
export function isPopulationField(f: Field): boolean {
  return QUERY_RULES.some((r) => r.type === 'population' && isPopulationOf(r, f));
}

function directions(s: FileState, directionRole: FieldRole, figureRole: FieldRole): void {
  for (const { measure, byRole } of measuresWithValues(s)) {
    const dirField = measure.fields.find((f) => f.role === directionRole);
    const direction: AcceptedValue | undefined = dirField ? s.values.get(dirField.id) : undefined;
    const figure = [...byRole.entries()].find(([role]) => role === figureRole)?.[1];
    if (!direction?.text || !figure) continue;
    const before = previousFigures(s).get(figure.entry.fieldId);
    if (before === undefined) continue;
    const now = figure.num!;
    const agrees = direction.text === DIRECTION_LABELS.up ? now > before : direction.text === DIRECTION_LABELS.down ? now < before : true;
    if (agrees) continue;
    const label = s.ctx.ws.catalog.fieldById.get(figure.entry.fieldId)?.label ?? figure.entry.fieldId;
    valueFinding(s, finding('direction_contradicts', { claimed: direction.text, label, at: placeOf(figure), year: s.identity.year, now, before }), direction);
  }
}
