/**
 * A1 addresses: column letters ↔ numbers, "B12" ↔ row and column. The one place this arithmetic is written (the
 * template writer, the readers, the feedback copy and the order of messages all use it).
 */

/** Excel's sheet size: rows 1..1,048,576, columns A..XFD (16,384). */
export const MAX_ROW = 1_048_576;
export const MAX_COL = 16_384;

/** "A" → 1, "Z" → 26, "AA" → 27 (upper-case letters; no check of the range). */
export function columnNumber(letters: string): number {
  let n = 0;
  for (let i = 0; i < letters.length; i++) n = n * 26 + (letters.charCodeAt(i) - 64);
  return n;
}

/** 1 → "A", 27 → "AA". */
export function columnLetters(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

/** Row and column → "B12". */
export function a1(row: number, col: number): string {
  return `${columnLetters(col)}${row}`;
}

export interface CellPos { row: number; col: number }

const ADDRESS = /^\$?([A-Z]{1,3})\$?([1-9]\d{0,6})$/;

/** "B12" or "$B$12" → { row: 12, col: 2 }; null for anything else (lower case, ranges, a row 0). */
export function parseA1(address: string): CellPos | null {
  const m = ADDRESS.exec(address);
  return m ? { row: Number(m[2]), col: columnNumber(m[1]) } : null;
}

/** Whether a position lies on an Excel sheet (a file may name "ZZZ9999999", which no program writes). */
export const onSheet = (p: CellPos) => p.row >= 1 && p.row <= MAX_ROW && p.col >= 1 && p.col <= MAX_COL;

export interface Range { top: number; left: number; bottom: number; right: number }

/** "K30:M40" (either corner first) or a single "K30" → the range; null when either end is not an address. */
export function parseRange(ref: string): Range | null {
  const [from, to = from] = ref.split(':');
  const a = parseA1(from);
  const b = parseA1(to);
  if (!a || !b) return null;
  return { top: Math.min(a.row, b.row), left: Math.min(a.col, b.col), bottom: Math.max(a.row, b.row), right: Math.max(a.col, b.col) };
}

/** Cells in a range (a number, not a list: a range may cover the whole sheet). */
export const rangeArea = (r: Range) => (r.bottom - r.top + 1) * (r.right - r.left + 1);
