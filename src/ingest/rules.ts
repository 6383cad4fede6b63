/**
 * The checks that involve more than one value, kept as data: which roles of a measure must add up, which must not
 * exceed which, which rate must agree with its counts, how far from last year a figure may move before a warning.
 * The checks (src/ingest/checks/) only interpret these tables.
 */
import type { Derive, FieldKind, FieldRole } from '../catalog/types.ts';

export type MeasureRule =
  /** The parts add up to the total exactly (counts). */
  | { code: 'sex_sum'; type: 'sum'; parts: FieldRole[]; total: FieldRole }
  /** left ≤ right, for measures derived as listed. */
  | { code: 'num_gt_den'; type: 'not_greater'; left: FieldRole; right: FieldRole; derives: Derive[] }
  /** A rate typed beside its counts agrees with (first present numerator) / den × 100 within `tolerance` points. */
  | { code: 'rate_mismatch'; type: 'rate'; rate: FieldRole; numerators: FieldRole[]; den: FieldRole; tolerance: number };

export const MEASURE_RULES: MeasureRule[] = [
  { code: 'sex_sum', type: 'sum', parts: ['male', 'female'], total: 'total' },
  // Only for rates: a ratio (GRDP per head of the city / of the country) may well exceed 1.
  { code: 'num_gt_den', type: 'not_greater', left: 'num', right: 'den', derives: ['rate'] },
  { code: 'num_gt_den', type: 'not_greater', left: 'total', right: 'den', derives: ['rate'] },
  { code: 'rate_mismatch', type: 'rate', rate: 'rate', numerators: ['num', 'total'], den: 'den', tolerance: 0.5 },
];

/** How far from the unit's accepted figure of the previous year a value may move before a warning. */
export const OUTLIER_RULES: { kinds: FieldKind[]; type: 'relative' | 'points'; limit: number }[] = [
  { kinds: ['count', 'number'], type: 'relative', limit: 0.5 },
  { kinds: ['percent'], type: 'points', limit: 20 },
];

/** A percentage at or above this, claimed without anything in the indicator's evidence cell, is worth a warning. */
export const FULL_CLAIM_PERCENT = 100;
