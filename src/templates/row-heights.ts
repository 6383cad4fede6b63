/** Row heights that show wrapped text whole: Excel does not fit heights when it opens a file. */
import type ExcelJS from 'exceljs';

function linesNeeded(text: string, width: number): number {
  let lines = 0;
  for (const part of String(text).split('\n')) lines += Math.max(1, Math.ceil(part.length / Math.max(width - 2, 1)));
  return lines;
}
const LINE_HEIGHT = 15;

export interface Sized { cell: ExcelJS.Cell; rows: number; text: string; width: number }

/** Sets row heights so that every (possibly merged) cell's text fits, spreading a merged cell's need over its rows. */
export function fitRowHeights(sheet: ExcelJS.Worksheet, sized: Sized[], minHeight = LINE_HEIGHT + 3): void {
  const need = new Map<number, number>();
  const bump = (row: number, h: number) => need.set(row, Math.max(need.get(row) ?? minHeight, h));
  for (const s of sized.filter((x) => x.rows === 1)) bump(Number(s.cell.row), linesNeeded(s.text, s.width) * LINE_HEIGHT + 3);
  for (const s of sized.filter((x) => x.rows > 1)) {
    const top = Number(s.cell.row);
    const total = linesNeeded(s.text, s.width) * LINE_HEIGHT + 3;
    let have = 0;
    for (let r = top; r < top + s.rows; r++) have += need.get(r) ?? minHeight;
    if (have < total) {
      const extra = (total - have) / s.rows;
      for (let r = top; r < top + s.rows; r++) need.set(r, (need.get(r) ?? minHeight) + extra);
    }
  }
  for (const [r, h] of need) sheet.getRow(r).height = Math.min(409, Math.round(h));
}
