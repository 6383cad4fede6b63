/**
 * The rule for a file of a unit and year that already has figures in force (README, "Gửi lại"):
 * - it is compared with the submission in force: figures added, changed and removed, per indicator;
 * - when it would remove figures that the one in force has, it is held — stored with its values, not in force — until
 *   the analyst confirms it (`ingest --replace`, or `hoctap restore N` on the held submission);
 * - otherwise it is put in force, and the submission it replaces stays stored (restorable).
 */
import { diffFigures } from '../store/diff.ts';
import type { Store } from '../store/store.ts';
import type { AcceptedValue, FileResult } from './types.ts';

/** What the file would change against the figures in force; null when the unit has none in force for the year. */
export async function changeAgainstInForce(db: Store | null, unitCode: string, year: number, values: AcceptedValue[]): Promise<FileResult['change']> {
  const current = db ? await db.inForce(unitCode, year) : null;
  if (!db || !current) return null;
  const d = diffFigures(await db.valuesOf(current.id), values.map((v) => ({
    fieldId: v.entry.fieldId, indicatorId: v.entry.indicatorId, num: v.num, text: v.num === null ? v.text : null, raw: v.raw,
  })));
  return {
    inForce: current.id, added: d.added, changed: d.changed, removed: d.removed,
    indicators: d.indicators.map((i) => ({ id: i.indicatorId, added: i.added.length, changed: i.changed.length, removed: i.removed.length })),
  };
}

/** Whether the change must wait for the analyst: it would take figures away. */
export function mustHold(change: FileResult['change']): boolean {
  return change !== null && change.removed > 0;
}
