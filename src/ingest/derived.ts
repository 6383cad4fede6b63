/**
 * The template's computed cells (src/catalog/asks.ts computedFrom: a rate from its counts, a quantity asked once and
 * repeated): where the cell still holds the template's formula, its value is derived here from the unit's own inputs,
 * whatever result the saving program cached (openpyxl caches none). A value the unit typed over the formula (or a CSV
 * line) is read as any input and kept.
 */
import { computedFrom } from '../catalog/asks.ts';
import type { Catalog } from '../catalog/types.ts';
import type { AcceptedValue, RawInput } from './types.ts';

/** Whether an input is a computed cell still holding a formula: its value is derived, not read. */
export function isDerivedInput(catalog: Catalog, input: RawInput): boolean {
  const v = input.value;
  if (v === null || typeof v !== 'object' || !('formula' in v || 'sharedFormula' in v)) return false;
  const field = catalog.fieldById.get(input.entry.fieldId);
  return !!field && computedFrom(catalog, field) !== null;
}

/** Rounds a rate as the template's formula does (2 decimals). */
const round2 = (v: number) => Math.round(v * 100) / 100;

/**
 * Adds to `values` the derived value of each computed input left as a formula, from the values already read: repeated
 * quantities first (a rate may rest on one). An input whose sources are empty or unusable gets no value (its sources are
 * the missing figures).
 */
export function deriveComputed(catalog: Catalog, inputs: RawInput[], values: Map<string, AcceptedValue>): void {
  const derived = inputs.filter((i) => isDerivedInput(catalog, i)).map((input) => ({ input, how: computedFrom(catalog, catalog.fieldById.get(input.entry.fieldId)!)! }));
  derived.sort((a, b) => (a.how.kind === 'same' ? 0 : 1) - (b.how.kind === 'same' ? 0 : 1));
  for (const { input, how } of derived) {
    let num: number | null = null;
    if (how.kind === 'same') num = values.get(how.source.id)?.num ?? null;
    else {
      const n = values.get(how.num.id)?.num;
      const d = values.get(how.den.id)?.num;
      if (n !== undefined && n !== null && d) num = round2((n / d) * 100);
    }
    if (num === null) continue;
    values.set(input.entry.fieldId, { entry: input.entry, loc: input.loc, raw: String(num), num, text: null, note: null });
  }
}
