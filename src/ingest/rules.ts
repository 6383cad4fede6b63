/**
 * The checks that involve more than one value, kept as data: which roles of a measure must add up, which must not
 * exceed which, which rate must agree with its counts, how far from last year a figure may move before a warning.
 * The code below only interprets these tables.
 */
import type { Catalog, Derive, FieldKind, FieldRole, Measure } from '../catalog/types.ts';
import { NARRATIVE_PLACEHOLDER } from '../templates/meta.ts';
import { evidenceFieldId } from '../catalog/ids.ts';
import { say, type Place } from './codes.ts';
import { makeMessage } from './messages.ts';
import type { AcceptedValue, IngestMessage, Location } from './types.ts';

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

export interface RuleContext {
  file: string;
  catalog: Catalog;
  /** Accepted values by field id. */
  values: Map<string, AcceptedValue>;
  /** Where a field sits in the file, filled or not. */
  locOf: (fieldId: string) => Location | null;
}

const placeOf = (v: AcceptedValue): Place => ({ cell: v.loc.cell, line: v.loc.line, fieldId: v.entry.fieldId });

function subject(ctx: RuleContext, v: AcceptedValue) {
  const field = ctx.catalog.fieldById.get(v.entry.fieldId);
  return { file: ctx.file, loc: v.loc, indicator: v.entry.indicatorId, field: v.entry.fieldId, fieldLabel: field?.label ?? null };
}

/** The measures touched by the file's values, with each role's accepted value. */
function measuresWithValues(ctx: RuleContext): { measure: Measure; byRole: Map<FieldRole, AcceptedValue> }[] {
  const out: { measure: Measure; byRole: Map<FieldRole, AcceptedValue> }[] = [];
  const seen = new Set<string>();
  for (const v of ctx.values.values()) {
    const field = ctx.catalog.fieldById.get(v.entry.fieldId);
    if (!field?.measureId || seen.has(field.measureId)) continue;
    seen.add(field.measureId);
    const measure = ctx.catalog.measureById.get(field.measureId)!;
    const byRole = new Map<FieldRole, AcceptedValue>();
    for (const f of measure.fields) {
      const fv = ctx.values.get(f.id);
      if (fv && fv.num !== null && !byRole.has(f.role)) byRole.set(f.role, fv);
    }
    out.push({ measure, byRole });
  }
  return out;
}

/** Nam + Nữ = Tổng, tử số ≤ mẫu số, tỷ lệ khớp với số đếm. */
export function crossFieldMessages(ctx: RuleContext): IngestMessage[] {
  const out: IngestMessage[] = [];
  for (const { measure, byRole } of measuresWithValues(ctx)) {
    for (const rule of MEASURE_RULES) {
      if (rule.type === 'sum') {
        const parts = rule.parts.map((r) => byRole.get(r));
        const total = byRole.get(rule.total);
        if (!total || parts.some((p) => !p)) continue;
        const sum = parts.reduce((s, p) => s + p!.num!, 0);
        if (Math.abs(sum - total.num!) > 1e-9) {
          out.push(makeMessage(say(rule.code, {
            parts: rule.parts.map((role, i) => ({ role, at: placeOf(parts[i]!), value: parts[i]!.num! })), sum, total: rule.total, totalValue: total.num!,
          }), subject(ctx, total), total.raw));
        }
      } else if (rule.type === 'not_greater') {
        if (!rule.derives.includes(measure.derive)) continue;
        const left = byRole.get(rule.left);
        const right = byRole.get(rule.right);
        if (!left || !right || left.num! <= right.num!) continue;
        out.push(makeMessage(say(rule.code, { left: rule.left, leftValue: left.num!, right: rule.right, rightValue: right.num!, rightAt: placeOf(right) }),
          subject(ctx, left), left.raw));
      } else {
        const rate = byRole.get(rule.rate);
        const numRole = rule.numerators.find((r) => byRole.has(r));
        const den = byRole.get(rule.den);
        if (!rate || !numRole || !den || den.num! <= 0) continue;
        const num = byRole.get(numRole)!;
        const computed = (num.num! / den.num!) * 100;
        if (Math.abs(computed - rate.num!) > rule.tolerance) {
          out.push(makeMessage(say(rule.code, {
            rate: rate.num!, numRole, denRole: rule.den, num: num.num!, den: den.num!, computed, numAt: placeOf(num), denAt: placeOf(den), tolerance: rule.tolerance,
          }), subject(ctx, rate), rate.raw));
        }
      }
    }
  }
  return out;
}

/**
 * Rate fields whose value agrees with their counts: a small rate there (0,5 % from 1 / 200) is what the counts say,
 * so the "0,5 or 50 %?" warning would only be noise.
 */
export function ratesConfirmedByCounts(ctx: RuleContext): Set<string> {
  const out = new Set<string>();
  for (const { byRole } of measuresWithValues(ctx)) {
    for (const rule of MEASURE_RULES) {
      if (rule.type !== 'rate') continue;
      const rate = byRole.get(rule.rate);
      const numRole = rule.numerators.find((r) => byRole.has(r));
      const den = byRole.get(rule.den);
      if (!rate || !numRole || !den || den.num! <= 0) continue;
      if (Math.abs((byRole.get(numRole)!.num! / den.num!) * 100 - rate.num!) <= rule.tolerance) out.add(rate.entry.fieldId);
    }
  }
  return out;
}

/** A figure far from the unit's accepted figure of the previous year. */
export function outlierMessages(ctx: RuleContext, previous: Map<string, number>, previousYear: number): IngestMessage[] {
  const out: IngestMessage[] = [];
  for (const v of ctx.values.values()) {
    if (v.num === null) continue;
    const before = previous.get(v.entry.fieldId);
    if (before === undefined) continue;
    const field = ctx.catalog.fieldById.get(v.entry.fieldId);
    const rule = field && OUTLIER_RULES.find((r) => r.kinds.includes(field.kind));
    if (!rule) continue;
    if (rule.type === 'relative' && before <= 0) continue;
    const change = rule.type === 'relative' ? (v.num - before) / before : v.num - before;
    if (Math.abs(change) <= rule.limit) continue;
    out.push(makeMessage(say('outlier', { year: previousYear, before, now: v.num, points: rule.type === 'points', change, limit: rule.limit }), subject(ctx, v), v.raw));
  }
  return out;
}

/** 100 % claimed (typed, or counts with numerator = denominator) with nothing in the indicator's evidence cell. */
export function evidenceMessages(ctx: RuleContext): IngestMessage[] {
  const out: IngestMessage[] = [];
  const evidenced = (indicatorId: string) =>
    !!ctx.values.get(evidenceFieldId(indicatorId))?.text ||
    [...ctx.values.values()].some((v) => v.entry.indicatorId === indicatorId && !!v.note);
  for (const { measure, byRole } of measuresWithValues(ctx)) {
    if (evidenced(measure.indicatorId)) continue;
    const typed = [...byRole.values()].find((v) => {
      const f = ctx.catalog.fieldById.get(v.entry.fieldId);
      return f?.kind === 'percent' && v.num! >= FULL_CLAIM_PERCENT;
    });
    let at = typed;
    if (!at && measure.derive === 'rate') {
      const num = byRole.get('num') ?? byRole.get('total');
      const den = byRole.get('den');
      if (num && den && den.num! > 0 && num.num! >= den.num!) at = num;
    }
    if (!at) continue;
    const evLoc = ctx.locOf(evidenceFieldId(measure.indicatorId));
    out.push(makeMessage(say('full_without_evidence', { percent: FULL_CLAIM_PERCENT, evidence: evLoc?.cell ? { cell: evLoc.cell } : evLoc === null ? 'note' : 'none' }),
      subject(ctx, at), at.raw));
  }
  return out;
}

/** A narrative still holding the template's instruction line: returns the unit's own text (if any) and whether it was there. */
export function stripPlaceholder(text: string): { text: string | null; hadPlaceholder: boolean } {
  const norm = (s: string) => s.normalize('NFC').replace(/\s+/g, ' ').trim();
  const placeholder = norm(NARRATIVE_PLACEHOLDER);
  if (!norm(text).includes(placeholder)) return { text, hadPlaceholder: false };
  const rest = text.normalize('NFC').replace(NARRATIVE_PLACEHOLDER.normalize('NFC'), '').trim();
  if (norm(rest) === '' || norm(rest).includes(placeholder)) return { text: null, hadPlaceholder: true };
  return { text: rest, hadPlaceholder: true };
}
