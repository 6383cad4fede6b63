/**
 * A file that holds no figure at all (a blank template sent back, or re-saved untouched: every indicator field empty,
 * whatever the narratives and their activity figures, the contact or the evidence cells hold) is refused: accepted, it
 * would count as a submission with every figure missing.
 */
import { finding } from '../../findings/codes.ts';
import { TEXT_KINDS } from '../../findings/kinds.ts';
import { fileFinding, type Check } from './state.ts';

export const blank: Check = {
  name: 'blank',
  codes: ['no_figures'],
  stage: 'values',
  run(s) {
    // An indicator's figures: the activity figures beside the narratives (no indicator) go with the narratives.
    const figures = s.expected.filter((e) => e.indicatorId && !TEXT_KINDS.has(e.kind));
    // A unit given no indicator reports only narratives: nothing to refuse.
    if (!figures.length || figures.some((e) => s.filled.has(e.fieldId))) return;
    fileFinding(s, finding('no_figures', { count: figures.length, csv: s.parsed.kind === 'csv' }));
  },
};
