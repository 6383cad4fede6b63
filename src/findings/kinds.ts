/**
 * The kinds of input a template or CSV file holds, and the limits every value of a kind must keep (data, not code): what
 * ingest's checks hold a value to and what a finding about a value names (what each kind expects is said in
 * phrases-vi.ts).
 */
import type { FieldKind } from '../catalog/types.ts';
import { CONTACT_KIND, EXPLANATION_KIND, ITEM_KIND, NARRATIVE_KIND } from '../catalog/ids.ts';

export type InputKind = FieldKind | typeof NARRATIVE_KIND | typeof CONTACT_KIND | typeof EXPLANATION_KIND | typeof ITEM_KIND;

/** Excel's own limit for one cell: anything longer did not come from a person typing in Excel. */
export const TEXT_MAX_CHARS = 32_767;

/** Ranges per numeric kind. */
export const KIND_RANGES: Record<'percent' | 'count' | 'number' | 'rating', { min: number; max: number | null; integer: boolean }> = {
  percent: { min: 0, max: 100, integer: false },
  count: { min: 0, max: null, integer: true },
  number: { min: 0, max: null, integer: false },
  rating: { min: 1, max: 5, integer: true },
};

/** Kinds that hold text rather than a figure: an empty one is not a missing figure. */
export const TEXT_KINDS: ReadonlySet<string> = new Set<string>(['text', NARRATIVE_KIND, CONTACT_KIND, EXPLANATION_KIND, ITEM_KIND]);
