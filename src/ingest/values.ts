/**
 * Normalisation of one input value, as people type it, for a field kind. The ONE place where numbers, percentages,
 * directions and ratings are parsed: the xlsx reader, the CSV reader and the tests all come through here.
 */
import { RATING_LABELS, DIRECTION_LABELS } from '../catalog/types.ts';
import { finding, type Finding } from '../findings/codes.ts';
import { stripHostile, visible } from '../findings/inert.ts';
import { KIND_RANGES, TEXT_MAX_CHARS, type InputKind } from '../findings/kinds.ts';
import { fold } from '../vi/fold.ts';

export { KIND_RANGES, TEXT_MAX_CHARS, type InputKind };

/** A finding about one value (its words always say what the kind expects: src/findings/locale-vi.ts). */
export type ValueFinding = Finding;

export type Normalised =
  | { status: 'empty' }
  | { status: 'ok'; raw: string; num: number | null; text: string | null; warnings: ValueFinding[] }
  | { status: 'error'; raw: string; error: ValueFinding };

/** A number format that shows a percentage ("0.0%", but not `0.0" %"` where the sign is literal text). */
export function isPercentFormat(fmt: string | undefined | null): boolean {
  if (!fmt) return false;
  const stripped = fmt.replace(/"[^"]*"/g, '').replace(/\\./g, '').replace(/\[[^\]]*\]/g, '');
  return stripped.includes('%');
}


/** Rounds away binary noise (0.955 × 100 = 95.49999999999999). */
function clean(v: number): number {
  return Number(v.toPrecision(12));
}

type Unwrapped =
  | { type: 'empty' }
  | { type: 'number'; v: number; raw: string }
  | { type: 'text'; v: string }
  | { type: 'date'; v: Date; raw: string }
  | { type: 'bool'; v: boolean; raw: string }
  | { type: 'error'; raw: string; issue: ValueFinding };

/** Turns an exceljs cell value (or a CSV string) into one of a few plain shapes. */
function unwrap(value: unknown, kind: InputKind, depth = 0): Unwrapped {
  if (value === null || value === undefined) return { type: 'empty' };
  if (typeof value === 'string') return { type: 'text', v: value };
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return { type: 'error', raw: String(value), issue: finding('not_a_number', { kind, notFinite: true }) };
    return { type: 'number', v: value, raw: String(value) };
  }
  if (typeof value === 'boolean') return { type: 'bool', v: value, raw: value ? 'TRUE' : 'FALSE' };
  if (value instanceof Date) return { type: 'date', v: value, raw: isoDate(value) };
  if (typeof value === 'object' && depth < 4) {
    const o = value as Record<string, unknown>;
    if ('formula' in o || 'sharedFormula' in o) {
      const formula = `=${String(o.formula ?? o.sharedFormula ?? '')}`;
      const result = o.result;
      if (result === undefined || result === null || result === '') return { type: 'error', raw: formula, issue: finding('formula_no_result', { formula }) };
      if (typeof result === 'object' && result !== null && 'error' in (result as object)) {
        const error = String((result as { error: unknown }).error);
        return { type: 'error', raw: `${formula} → ${error}`, issue: finding('formula_error', { formula, error }) };
      }
      return unwrap(result, kind, depth + 1);
    }
    if ('error' in o) {
      const error = String(o.error);
      return { type: 'error', raw: error, issue: finding('cell_error', { error }) };
    }
    if (Array.isArray(o.richText)) {
      return { type: 'text', v: (o.richText as { text?: unknown }[]).map((r) => String(r.text ?? '')).join('') };
    }
    if ('text' in o) return unwrap(o.text, kind, depth + 1);
  }
  return { type: 'error', raw: String(value), issue: finding('unreadable_cell', { kind }) };
}

function isoDate(d: Date): string {
  return Number.isNaN(d.getTime()) ? 'ngày không hợp lệ' : d.toISOString().slice(0, 10);
}

export interface ParsedNumber {
  v: number;
  /** The text carried a "%" sign: the number is already in percent. */
  percentSign: boolean;
  /** "1.234" read as 1234 in a field that also allows decimals: worth a warning. */
  thousandsGuess: boolean;
}

/**
 * Reads a number typed as text: decimal comma or point, dot/comma/space thousands separators, ordinary and
 * non-breaking spaces, a leading sign, a "%" before or after. Returns null for anything else.
 */
export function parseNumberText(input: string, kind: InputKind): ParsedNumber | null {
  let t = input.normalize('NFC').replace(/[\u00a0\u2007\u2009\u202f\t]/g, ' ').trim();
  let percentSign = false;
  if (t.endsWith('%')) { percentSign = true; t = t.slice(0, -1).trim(); }
  else if (t.startsWith('%')) { percentSign = true; t = t.slice(1).trim(); }
  let negative = false;
  if (/^[+-]/.test(t)) { negative = t[0] === '-'; t = t.slice(1).trim(); }
  let thousandsGuess = false;
  let v: number;
  if (t.includes(' ')) {
    // Spaces are only allowed as thousands separators: "1 234" or "1 234,5".
    const m = /^(\d{1,3}(?: \d{3})+)([.,]\d+)?$/.exec(t);
    if (!m) return null;
    v = Number(m[1].replace(/ /g, '') + (m[2] ? '.' + m[2].slice(1) : ''));
  } else {
    if (!/^\d(?:[\d.,]*\d)?$/.test(t)) return null;
    const dots = (t.match(/\./g) ?? []).length;
    const commas = (t.match(/,/g) ?? []).length;
    if (dots && commas) {
      // The last separator is the decimal one: "1.234,5" and "1,234.5".
      const dec = t.lastIndexOf('.') > t.lastIndexOf(',') ? '.' : ',';
      const thou = dec === '.' ? ',' : '.';
      const parts = t.split(dec);
      if (parts.length !== 2 || !groupedBy(parts[0], thou)) return null;
      v = Number(parts[0].split(thou).join('') + '.' + parts[1]);
    } else if (dots + commas === 0) {
      v = Number(t);
    } else {
      const sep = dots ? '.' : ',';
      if (dots + commas > 1) {
        if (!groupedBy(t, sep)) return null;
        v = Number(t.split(sep).join(''));
      } else if (/^\d{1,3}[.,]\d{3}$/.test(t) && (kind === 'count' || (kind === 'number' && sep === '.'))) {
        // A count is whole, so "1.234" and "1,234" are thousands; in a plain number the Vietnamese reading of
        // "1.234" is also 1234, but "1.234" could be a decimal point: stored as 1234 with a warning.
        v = Number(t.replace(sep, ''));
        thousandsGuess = kind === 'number';
      } else {
        v = Number(t.replace(',', '.'));
      }
    }
  }
  if (!Number.isFinite(v)) return null;
  return { v: negative ? -v : v, percentSign, thousandsGuess };
}

function groupedBy(s: string, sep: string): boolean {
  return new RegExp(`^\\d{1,3}(?:\\${sep}\\d{3})+$`).test(s);
}

/** Normalises one input for its kind. `numFmt` is the cell's number format (xlsx only). */
export function normaliseValue(value: unknown, kind: InputKind, numFmt?: string): Normalised {
  const u = unwrap(value, kind);
  if (u.type === 'empty') return { status: 'empty' };
  if (u.type === 'error') return { status: 'error', raw: u.raw, error: u.issue };
  if (u.type === 'text' && u.v.replace(/[\s\u00a0\u2007\u2009\u202f]/g, '') === '') return { status: 'empty' };
  switch (kind) {
    case 'text': case 'narrative': case 'contact': case 'explanation': case 'item': return normaliseText(u);
    case 'direction': return normaliseDirection(u);
    case 'rating': return normaliseRating(u);
    default: return normaliseNumber(u, kind, numFmt);
  }
}

function normaliseText(u: Exclude<Unwrapped, { type: 'empty' } | { type: 'error' }>): Normalised {
  const typed = (u.type === 'text' ? u.v : u.type === 'number' ? String(u.v) : u.raw).normalize('NFC').replace(/\r\n?/g, '\n');
  // Control and bidi characters are taken out of what is stored, and said (shown visibly) in a warning.
  const { text: clean, removed } = stripHostile(typed);
  const text = clean.trim();
  if (text === '') return { status: 'empty' };
  const warnings = removed.length ? [finding('control_chars_removed', { removed: removed.map(visible) })] : [];
  if (text.length > TEXT_MAX_CHARS) {
    return { status: 'error', raw: text, error: finding('text_too_long', { length: text.length }) };
  }
  return { status: 'ok', raw: text, num: null, text, warnings };
}

function normaliseDirection(u: Exclude<Unwrapped, { type: 'empty' } | { type: 'error' }>): Normalised {
  const raw = u.type === 'text' ? u.v : u.raw;
  const f = fold(raw).replace(/[.!]+$/, '');
  const canonical = f === 'tang' || f === 'tang so voi nam truoc' ? DIRECTION_LABELS.up
    : f === 'giam' || f === 'giam so voi nam truoc' ? DIRECTION_LABELS.down : null;
  if (!canonical) return { status: 'error', raw, error: finding('bad_direction') };
  return { status: 'ok', raw, num: null, text: canonical, warnings: [] };
}

function normaliseRating(u: Exclude<Unwrapped, { type: 'empty' } | { type: 'error' }>): Normalised {
  const bad = (raw: string): Normalised => ({ status: 'error', raw, error: finding('bad_rating') });
  if (u.type === 'number') return checkRange(u.v, u.raw, 'rating', []);
  if (u.type !== 'text') return bad(u.raw);
  const raw = u.v;
  const f = fold(raw).replace(/[–—]/g, '-');
  const labelOf = (level: number) => fold(RATING_LABELS[level]);
  const byLabel = (s: string) => Object.keys(RATING_LABELS).map(Number).find((k) => labelOf(k) === s);
  // "4", "4 - Rất tốt", "Mức 4: Rất tốt", "4. Rất tốt"
  const m = /^(?:muc\s*)?(\d+(?:[.,]\d+)?)\s*(?:[-:.)]\s*)?(.*)$/.exec(f);
  if (m) {
    const n = parseNumberText(m[1], 'rating');
    if (!n) return bad(raw);
    const rest = m[2].trim();
    if (rest) {
      const level = byLabel(rest);
      if (level === undefined) return bad(raw);
      if (level !== n.v) return { status: 'error', raw, error: finding('rating_label_mismatch', { typed: m[1], level }) };
    }
    return checkRange(n.v, raw, 'rating', []);
  }
  const level = byLabel(f);
  if (level === undefined) return bad(raw);
  return { status: 'ok', raw, num: level, text: null, warnings: [] };
}

function normaliseNumber(u: Exclude<Unwrapped, { type: 'empty' } | { type: 'error' }>, kind: 'percent' | 'count' | 'number', numFmt: string | undefined): Normalised {
  const warnings: ValueFinding[] = [];
  if (u.type === 'date') return { status: 'error', raw: u.raw, error: finding('date_in_number', { kind }) };
  if (u.type === 'bool') return { status: 'error', raw: u.raw, error: finding('not_a_number', { kind }) };
  let v: number;
  let raw: string;
  let alreadyPercent = false;
  if (u.type === 'number') {
    raw = u.raw;
    v = u.v;
    if (kind === 'percent' && isPercentFormat(numFmt)) {
      // 0.955 shown as "95,5%": Excel stores the fraction.
      v = clean(v * 100);
      alreadyPercent = true;
    }
  } else {
    raw = u.v;
    const p = parseNumberText(u.v, kind);
    if (!p) return { status: 'error', raw, error: finding('not_a_number', { kind }) };
    if (p.percentSign && kind !== 'percent') return { status: 'error', raw, error: finding('unexpected_percent', { kind }) };
    v = p.v;
    alreadyPercent = p.percentSign;
    if (p.thousandsGuess) warnings.push(finding('thousands_guess', { kind, value: v }));
  }
  if (kind === 'percent' && !alreadyPercent && v > 0 && v <= 1) warnings.push(finding('ambiguous_percent', { value: v, times100: clean(v * 100) }));
  return checkRange(v, raw, kind, warnings);
}

function checkRange(v: number, raw: string, kind: keyof typeof KIND_RANGES, warnings: ValueFinding[]): Normalised {
  const r = KIND_RANGES[kind];
  const value = clean(v);
  if (r.integer && !Number.isInteger(value)) return { status: 'error', raw, error: finding('not_integer', { kind, value }) };
  if (value < r.min || (r.max !== null && value > r.max)) return { status: 'error', raw, error: finding('out_of_range', { kind, value }) };
  return { status: 'ok', raw, num: value, text: null, warnings };
}
