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

/**
 * Queries: plausibility rules whose findings the unit may answer with an explanation (codes.ts marks them). The
 * change-from-last-year rule above (OUTLIER_RULES) is one as well.
 */
export type QueryRule =
  /** A rate of the whole lies between the rates of its parts: measures of one indicator, told apart by id suffix. */
  | { code: 'total_outside_parts'; type: 'between'; total: { suffix: string; role: FieldRole }; parts: { suffix: string; role: FieldRole }[] }
  /** A count of local-government units (a field counted in `unit`, worded as such) is not above the roster's local units. */
  | { code: 'more_than_local_units'; type: 'local_units'; unit: string; wording: RegExp }
  /**
   * A count of people (a count field in `unit`) is not above the population the same file states: the population is a
   * count of the `population.role` worded as such (the denominator of the share of people in temporary housing, "Tổng số
   * dân cư trên địa bàn"), and no part of it (citizens, participants) can exceed it.
   */
  | { code: 'count_above_population'; type: 'population'; unit: string; population: { role: FieldRole; wording: RegExp } }
  /** A Tăng/Giảm answer agrees with the measure's figure this year and last year. */
  | { code: 'direction_contradicts'; type: 'direction'; direction: FieldRole; figure: FieldRole };

export const QUERY_RULES: QueryRule[] = [
  { code: 'total_outside_parts', type: 'between', total: { suffix: 'tong', role: 'total' }, parts: [{ suffix: 'nam', role: 'male' }, { suffix: 'nu', role: 'female' }] },
  { code: 'more_than_local_units', type: 'local_units', unit: 'đơn vị', wording: /xã(?! hội)|phường|đặc khu|quận|huyện/iu },
  { code: 'count_above_population', type: 'population', unit: 'người', population: { role: 'den', wording: /tổng số dân cư/iu } },
  { code: 'direction_contradicts', type: 'direction', direction: 'direction', figure: 'value' },
];
