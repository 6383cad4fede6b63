/** Small wording helpers shared by the section builders. */
import { NARRATIVE_PLACEHOLDER } from '../../templates/meta.ts';
import { nfc } from '../format.ts';

/** The unit's text, or '' when it left the cell empty or kept the template's instruction. */
export function cleanNarrative(text: string | null | undefined): string {
  if (!text) return '';
  return nfc(text).replace(/\r\n?/g, '\n').replace(NARRATIVE_PLACEHOLDER.normalize('NFC'), '').trim();
}

/** Blank lines separate paragraphs; single line breaks are kept inside a paragraph. */
export function splitParagraphs(text: string): { lines: string[] }[] {
  return text.split(/\n\s*\n/).map((p) => ({ lines: p.split('\n').map((l) => l.trim()).filter(Boolean) })).filter((p) => p.lines.length);
}

export function trimPunct(s: string): string {
  return s.trim().replace(/[;,.。]+$/u, '').trim();
}

export function trimStop(s: string): string {
  return s.trim().replace(/[.;]+$/, '');
}

export function lowerFirst(s: string): string {
  return /^[A-ZÀ-Ỹ]/u.test(s) && !/^[A-ZĐ]{2}/u.test(s) ? s.charAt(0).toLocaleLowerCase('vi-VN') + s.slice(1) : s;
}

/** NFC everywhere: text typed on different systems (decomposed diacritics) must print and search the same. */
export function normaliseDeep<T>(v: T): T {
  if (typeof v === 'string') return v.normalize('NFC') as T;
  if (Array.isArray(v)) return v.map((x) => normaliseDeep(x)) as T;
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = normaliseDeep(x);
    return out as T;
  }
  return v;
}
