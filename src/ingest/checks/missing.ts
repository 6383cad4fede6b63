/** Figures left empty, or not sent at all: missing, not zero, said once for the file with the first cells listed. */
import { finding } from '../../findings/codes.ts';
import { fileFinding, type Check } from './state.ts';

const MAX_LISTED = 8;

export const missing: Check = {
  name: 'missing values',
  codes: ['missing_values'],
  stage: 'values',
  run(s) {
    // A file without any figure is refused as such (blank.ts): the list of every cell would only repeat it.
    if (!s.missing.length || s.messages.some((m) => m.code === 'no_figures')) return;
    const listed = s.missing.slice(0, MAX_LISTED).map((m) => (m.loc?.cell ? `${m.loc.cell} (${m.fieldId})` : m.fieldId));
    fileFinding(s, finding('missing_values', { count: s.missing.length, listed, more: Math.max(s.missing.length - MAX_LISTED, 0) }));
  },
};
