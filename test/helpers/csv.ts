/**
 * Small valid CSV submissions (long form, one figure a line), made from the unit's own indicators with plausible
 * figures: quick to write by the hundred for the store's crash and rebuild tests.
 */
import { indicatorsForUnit, type Unit, type Workspace } from '../../src/catalog/workspace.ts';
import { workspaceForYear } from '../../src/catalog/years.ts';
import { plausibleValues } from '../../fixtures/fill.ts';

const cell = (v: number | string) => {
  // Vietnamese decimals (the way units type them); texts quoted.
  const s = typeof v === 'number' ? String(v).replace('.', ',') : v;
  return /[",\n;]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

const views = new Map<string, Workspace>();
/** The workspace as it stands for `year` (its assignment of indicators), opened once. */
export function yearView(ws: Workspace, year: number): Workspace {
  const key = `${ws.dir}|${year}`;
  let v = views.get(key);
  if (!v) views.set(key, (v = workspaceForYear(ws, year)));
  return v;
}

/** The CSV of `unit` for `year`: the figures of its first `indicators` indicators (the others are missing: a warning). */
export function smallCsv(ws: Workspace, unit: Unit, year: number, opts: { seed?: number; indicators?: number } = {}): string {
  // The indicators assigned in that year (issue 23: the 2024 assignment differs from earlier years'), as ingest checks.
  const yearWs = yearView(ws, year);
  const values = plausibleValues(yearWs, unit, { seed: opts.seed ?? year });
  // The evidence field is one of the indicator's fields already.
  const fields = indicatorsForUnit(yearWs, unit).slice(0, opts.indicators ?? 2).flatMap((i) => i.fields.map((f) => f.id));
  const lines = ['unit_code,year,field_id,value'];
  for (const id of fields) if (values[id] !== undefined) lines.push([unit.code, year, id, cell(values[id])].join(','));
  return lines.join('\n') + '\n';
}
