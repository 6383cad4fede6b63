/**
 * Findings said in words, at output: the reason, the remedy, the full sentence and the short note of a finding, from its
 * code and parameters, in the locale in use (Vietnamese, locale-vi.ts). Whatever a file carried (a value, a name in
 * `_meta`, a file name) is shown inert, never sent raw to a terminal.
 */
import type { Finding } from './codes.ts';
import { inert } from './inert.ts';
import { VI, type Locale, type SentenceParts } from './locale-vi.ts';
import type { PlacedFinding } from './types.ts';

let locale: Locale = VI;

/** The locale findings are worded in from now on (as zod's `z.config(z.locales.vi())`); returns the one it replaces. */
export function useLocale(next: Locale): Locale {
  const before = locale;
  locale = next;
  return before;
}

/** What is wrong, in words. */
export function reasonText(f: Finding): string {
  return (locale.codes[f.code].reason as (p: Finding['params']) => string)(f.params);
}

/** What would be right, in words; null for a code without a remedy. */
export function remedyText(f: Finding): string | null {
  const remedy = locale.codes[f.code].remedy as ((p: Finding['params']) => string | null) | undefined;
  const text = remedy ? remedy(f.params) : null;
  return text ? inert(text) : null;
}

function parts(f: PlacedFinding): SentenceParts {
  const value = f.value === null ? null : { shown: f.value, length: f.valueLength ?? f.value.length };
  return { place: f, reason: reasonText(f), remedy: remedyText(f), value, explanation: f.explanation ?? null };
}

/**
 * The full sentence of a finding: where, about what, the reason, the value received, the remedy, the unit's answer.
 * `inFile`: said inside the file (a feedback copy), without the file's name when the finding has a place in it.
 */
export function findingText(f: PlacedFinding, opts: { inFile?: boolean } = {}): string {
  return inert(locale.sentence({ ...parts(f), inFile: opts.inFile }));
}

/** What was found, for a note beside a figure (report, `hoctap score`): about what, and the reason. */
export function findingNote(f: PlacedFinding): string {
  return inert(locale.note(parts(f)));
}

/** A value as a finding keeps it: white space flattened, cut at `max` characters, inert. */
export function shownValue(v: string | null | undefined, max = 200): string | null {
  return v === null || v === undefined ? null : inert(locale.shownValue(v.replace(/\s+/g, ' '), max, v.length));
}
