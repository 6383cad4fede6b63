/** Small wording helpers shared by the section builders. */
import { NARRATIVE_PLACEHOLDER } from '../../xlsx/meta.ts';
import { nfc } from '../format.ts';

/** The unit's text, or '' when it left the cell empty or kept the template's instruction. */
export function cleanNarrative(text: string | null | undefined): string {
  if (!text) return '';
  return nfc(text).replace(/\r\n?/g, '\n').replace(NARRATIVE_PLACEHOLDER.normalize('NFC'), '').trim();
}

/**
 * Blank lines separate paragraphs; single line breaks are kept inside a paragraph (the workbook keeps the text as it
 * was written). The report prints every line as a paragraph of its own, indented (units break lines between
 * paragraphs, as Excel's Alt+Enter does): never a line broken inside one paragraph without its indent.
 */
export function splitParagraphs(text: string): { lines: string[] }[] {
  return text.split(/\n\s*\n/).map((p) => ({ lines: p.split('\n').map((l) => l.trim()).filter(Boolean) })).filter((p) => p.lines.length);
}

export function trimPunct(s: string): string {
  return s.trim().replace(/[;,.。]+$/u, '').trim();
}

export function trimStop(s: string): string {
  return s.trim().replace(/[.;]+$/, '');
}

/** Words of unit names said beside a count at most: the sentence stays short (issue 23: about 40 words at most). */
export const NAME_WORDS = 24;

/**
 * Names in order while they fit `words` words (at least one), the rest counted: "Sở Y tế, Ủy ban nhân dân Quận 1 và 9
 * đơn vị khác". A university's name is ten words: a count of names would not keep the sentence short.
 */
export function namesWithin(names: string[], words = NAME_WORDS): string {
  const shown: string[] = [];
  let used = 0;
  for (const n of names) {
    const w = n.split(/\s+/).length;
    if (shown.length && used + w > words) break;
    shown.push(n);
    used += w;
  }
  const rest = names.length - shown.length;
  return rest ? `${shown.join(', ')} và ${rest} đơn vị khác` : shown.join(', ');
}

export function lowerFirst(s: string): string {
  return /^[A-ZÀ-Ỹ]/u.test(s) && !/^[A-ZĐ]{2}/u.test(s) ? s.charAt(0).toLocaleLowerCase('vi-VN') + s.slice(1) : s;
}

/** Straight double quotes as the typographic pair the report uses throughout: “ where a quotation opens, ” elsewhere. */
export function curlyQuotes(s: string): string {
  if (!s.includes('"')) return s;
  return s.replace(/"/g, (_q, i: number) => (i === 0 || /[\s([{/\u2013\u2014-]/u.test(s[i - 1]) ? '\u201c' : '\u201d'));
}

/** Markup the model carries ready-made (the charts' SVG): its quotes are attribute delimiters, not text. */
const MARKUP_KEYS = new Set(['standardsChart', 'trendChart']);

/**
 * NFC everywhere (text typed on different systems, with decomposed diacritics, must print and search the same), and
 * one kind of quotation marks: catalog titles, profile texts and units' texts mix straight and curly ones.
 */
export function normaliseDeep<T>(v: T, key = ''): T {
  if (typeof v === 'string') return (MARKUP_KEYS.has(key) ? v.normalize('NFC') : curlyQuotes(v.normalize('NFC'))) as T;
  if (Array.isArray(v)) return v.map((x) => normaliseDeep(x)) as T;
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = normaliseDeep(x, k);
    return out as T;
  }
  return v;
}
