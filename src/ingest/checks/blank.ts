/**
 * A file that holds no figure at all (a blank template sent back, or re-saved untouched: every indicator field empty,
 * whatever the narratives, the contact or the evidence cells hold) is refused: accepted, it would count as a
 * submission with every figure missing.
 */
import { say } from '../codes.ts';
import { TEXT_KINDS } from '../kinds.ts';
import { fileFinding, type Check } from './state.ts';

export const blank: Check = {
  name: 'blank',
  codes: ['no_figures'],
  stage: 'values',
  run(s) {
    const figures = s.expected.filter((e) => !TEXT_KINDS.has(e.kind));
    // A unit given no indicator reports only narratives: nothing to refuse.
    if (!figures.length || figures.some((e) => s.filled.has(e.fieldId))) return;
    fileFinding(s, say('no_figures', { count: figures.length, csv: s.parsed.kind === 'csv' }));
  },
};
