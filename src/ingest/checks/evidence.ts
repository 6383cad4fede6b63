/** 100 % claimed (typed, or counts with numerator = denominator) with nothing in the indicator's evidence cell. */
import { evidenceFieldId } from '../../catalog/ids.ts';
import { finding } from '../../findings/codes.ts';
import { FULL_CLAIM_PERCENT } from '../rules.ts';
import { locOf, measuresWithValues, valueFinding, type Check } from './state.ts';

export const evidence: Check = {
  name: 'evidence',
  codes: ['full_without_evidence'],
  stage: 'values',
  run(s) {
    const { catalog } = s.ctx.ws;
    const evidenced = (indicatorId: string) =>
      !!s.values.get(evidenceFieldId(indicatorId))?.text ||
      [...s.values.values()].some((v) => v.entry.indicatorId === indicatorId && !!v.note);
    for (const { measure, byRole } of measuresWithValues(s)) {
      if (evidenced(measure.indicatorId)) continue;
      let at = [...byRole.values()].find((v) => catalog.fieldById.get(v.entry.fieldId)?.kind === 'percent' && v.num! >= FULL_CLAIM_PERCENT);
      if (!at && measure.derive === 'rate') {
        const num = byRole.get('num') ?? byRole.get('total');
        const den = byRole.get('den');
        if (num && den && den.num! > 0 && num.num! >= den.num!) at = num;
      }
      if (!at) continue;
      const evLoc = locOf(s, evidenceFieldId(measure.indicatorId));
      valueFinding(s, finding('full_without_evidence', { percent: FULL_CLAIM_PERCENT, evidence: evLoc?.cell ? { cell: evLoc.cell } : evLoc === null ? 'note' : 'none' }), at);
    }
  },
};
