/** A narrative still holding the template's instruction line: warned, and the line is not stored. */
import { NARRATIVE_PLACEHOLDER } from '../../xlsx/meta.ts';
import { finding } from '../../findings/codes.ts';
import { makeMessage } from '../messages.ts';
import { subjectOf, type Check } from './state.ts';

export const placeholders: Check = {
  name: 'placeholders',
  codes: ['narrative_placeholder'],
  stage: 'values',
  run(s) {
    for (const [sectionId, { text, input }] of s.narratives) {
      const stripped = stripPlaceholder(text);
      if (stripped.hadPlaceholder) {
        s.messages.push(makeMessage(finding('narrative_placeholder', { nothingElse: stripped.text === null }), subjectOf(s, input.entry, input.loc), text));
      }
      if (stripped.text === null) s.narratives.delete(sectionId);
      else s.narratives.set(sectionId, { text: stripped.text, input });
    }
  },
};

/** The unit's own text (if any) once the template's instruction line is taken out, and whether it was there. */
export function stripPlaceholder(text: string): { text: string | null; hadPlaceholder: boolean } {
  const norm = (t: string) => t.normalize('NFC').replace(/\s+/g, ' ').trim();
  const placeholder = norm(NARRATIVE_PLACEHOLDER);
  if (!norm(text).includes(placeholder)) return { text, hadPlaceholder: false };
  const rest = text.normalize('NFC').replace(NARRATIVE_PLACEHOLDER.normalize('NFC'), '').trim();
  if (norm(rest) === '' || norm(rest).includes(placeholder)) return { text: null, hadPlaceholder: true };
  return { text: rest, hadPlaceholder: true };
}
