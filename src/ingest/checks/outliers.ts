/** A figure far from the unit's own accepted figure of the previous year (OUTLIER_RULES). */
import { finding } from '../../findings/codes.ts';
import { OUTLIER_RULES } from '../rules.ts';
import { previousFigures, valueFinding, type Check } from './state.ts';

export const outliers: Check = {
  name: 'outliers',
  codes: ['outlier'],
  stage: 'values',
  run(s) {
    const previousYear = s.identity.year - 1;
    const previous = previousFigures(s);
    for (const v of s.values.values()) {
      if (v.num === null) continue;
      const before = previous.get(v.entry.fieldId);
      if (before === undefined) continue;
      const field = s.ctx.ws.catalog.fieldById.get(v.entry.fieldId);
      const rule = field && OUTLIER_RULES.find((r) => r.kinds.includes(field.kind));
      if (!rule) continue;
      if (rule.type === 'relative' && before <= 0) continue;
      const change = rule.type === 'relative' ? (v.num - before) / before : v.num - before;
      if (Math.abs(change) <= rule.limit) continue;
      valueFinding(s, finding('outlier', { year: previousYear, before, now: v.num, points: rule.type === 'points', change, limit: rule.limit }), v);
    }
  },
};
