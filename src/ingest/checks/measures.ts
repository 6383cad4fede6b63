/** The values of one measure against each other (MEASURE_RULES): Nam + Nữ = Tổng, tử số ≤ mẫu số, tỷ lệ khớp số đếm. */
import { finding } from '../../findings/codes.ts';
import type { FieldRole } from '../../catalog/types.ts';
import { MEASURE_RULES, type MeasureRule } from '../rules.ts';
import type { AcceptedValue } from '../types.ts';
import { measuresWithValues, placeOf, valueFinding, type Check, type FileState } from './state.ts';

export const measures: Check = {
  name: 'measures',
  codes: ['sex_sum', 'num_gt_den', 'rate_mismatch'],
  stage: 'values',
  run(s) {
    // A small rate that its own counts confirm (0,5 % from 1 / 200) is what the counts say: "0,5 or 50 %?" is noise.
    const confirmed = ratesConfirmedByCounts(s);
    s.messages = s.messages.filter((m) => !(m.code === 'ambiguous_percent' && m.field && confirmed.has(m.field)));
    for (const { measure, byRole } of measuresWithValues(s)) {
      for (const rule of MEASURE_RULES) {
        if (rule.type === 'sum') {
          const parts = rule.parts.map((r) => byRole.get(r));
          const total = byRole.get(rule.total);
          if (!total || parts.some((p) => !p)) continue;
          const sum = parts.reduce((acc, p) => acc + p!.num!, 0);
          if (Math.abs(sum - total.num!) <= 1e-9) continue;
          valueFinding(s, finding(rule.code, {
            parts: rule.parts.map((role, i) => ({ role, at: placeOf(parts[i]!), value: parts[i]!.num! })), sum, total: rule.total, totalValue: total.num!,
          }), total);
        } else if (rule.type === 'not_greater') {
          if (!rule.derives.includes(measure.derive)) continue;
          const left = byRole.get(rule.left);
          const right = byRole.get(rule.right);
          if (!left || !right || left.num! <= right.num!) continue;
          valueFinding(s, finding(rule.code, { left: rule.left, leftValue: left.num!, right: rule.right, rightValue: right.num!, rightAt: placeOf(right) }), left);
        } else {
          const r = rateAgainstCounts(rule, byRole);
          if (!r || r.agrees) continue;
          valueFinding(s, finding(rule.code, {
            rate: r.rate.num!, numRole: r.numRole, denRole: rule.den, num: r.num.num!, den: r.den.num!, computed: r.computed,
            numAt: placeOf(r.num), denAt: placeOf(r.den), tolerance: rule.tolerance,
          }), r.rate);
        }
      }
    }
  },
};

/** A measure's typed rate against (first present numerator) / den × 100, when it has all three. */
function rateAgainstCounts(rule: Extract<MeasureRule, { type: 'rate' }>, byRole: Map<FieldRole, AcceptedValue>) {
  const rate = byRole.get(rule.rate);
  const numRole = rule.numerators.find((r) => byRole.has(r));
  const den = byRole.get(rule.den);
  if (!rate || !numRole || !den || den.num! <= 0) return null;
  const num = byRole.get(numRole)!;
  const computed = (num.num! / den.num!) * 100;
  return { rate, numRole, num, den, computed, agrees: Math.abs(computed - rate.num!) <= rule.tolerance };
}

/** Rate fields whose value agrees with their counts. */
function ratesConfirmedByCounts(s: FileState): Set<string> {
  const out = new Set<string>();
  for (const { byRole } of measuresWithValues(s)) {
    for (const rule of MEASURE_RULES) {
      const r = rule.type === 'rate' ? rateAgainstCounts(rule, byRole) : null;
      if (r?.agrees) out.add(r.rate.entry.fieldId);
    }
  }
  return out;
}
