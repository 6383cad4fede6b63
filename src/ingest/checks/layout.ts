/**
 * Do the sheets still have their template's layout, both ways? Every mapped sheet is there; every input still sits on
 * its row (the text of its row, a field's label or a section's title, on the same line) and in its column (each input
 * sheet's header row as in the template). A map followed blindly after an inserted row or column would read every
 * figure from the wrong cell.
 */
import { finding } from '../../findings/codes.ts';
import { columnLetters, parseA1 } from '../../xlsx/a1.ts';
import { cellString, type SheetView } from '../../xlsx/view.ts';
import { squash, type SheetShape } from '../template-shape.ts';
import { fileFinding, hasErrors, type Check } from './state.ts';

export const layout: Check = {
  name: 'layout',
  codes: ['missing_sheet', 'layout_changed', 'columns_changed'],
  stage: 'file',
  needsTemplate: true,
  run(s) {
    if (s.parsed.kind !== 'xlsx' || !s.template) return;
    const { workbook } = s.parsed;
    const template = s.template;
    const missingSheets = new Set<string>();
    for (const name of new Set([...template.sheets.keys(), ...s.inputs.map((i) => i.entry.sheet)])) {
      if (!workbook.sheet(name)) {
        missingSheets.add(name);
        fileFinding(s, finding('missing_sheet', { sheet: name }));
      }
    }
    const columnsMoved = new Set<string>();
    for (const [name, shape] of template.sheets) {
      const sheet = workbook.sheet(name);
      const col = sheet ? headerMismatch(sheet, shape) : -1;
      if (sheet && col >= 0) {
        columnsMoved.add(name);
        fileFinding(s, finding('columns_changed', {
          sheet: name, column: columnLetters(col + 1), row: shape.headerRow,
          got: squash(cellString(sheet.cellAt(shape.headerRow, col + 1).value)), want: shape.headers[col],
        }));
      }
    }
    const moved: { sheet: string; cell: string; label: string; fieldId: string }[] = [];
    for (const { entry: e } of s.inputs) {
      const sheet = workbook.sheet(e.sheet);
      const label = template.rowLabel.get(e.fieldId);
      // On a sheet whose columns moved, the labels moved with them: the columns are the reason to give.
      if (sheet && label && !columnsMoved.has(e.sheet) && !rowHasText(sheet, e.cell, label)) moved.push({ sheet: e.sheet, cell: e.cell, label, fieldId: e.fieldId });
    }
    // One inserted row shifts every cell below it: the first is reported, with how many more.
    if (moved.length) fileFinding(s, finding('layout_changed', { ...moved[0], more: moved.length - 1 }));
    // A workbook whose map or sheets do not fit is not read at all; a CSV's refused lines leave the others readable.
    return hasErrors(s) ? 'stop' : undefined;
  },
};

/** The first column (0-based) whose header differs from the template's, or -1. */
export function headerMismatch(sheet: SheetView, shape: SheetShape): number {
  return shape.headers.findIndex((want, i) => squash(cellString(sheet.cellAt(shape.headerRow, i + 1).value)) !== want);
}

/** A template's row labels as compared (NFC, whitespace folded), by label: the same few for every file. */
const foldedLabels = new Map<string, string>();

function foldedLabel(label: string): string {
  let want = foldedLabels.get(label);
  if (want === undefined) {
    want = label.normalize('NFC').replace(/\s+/g, ' ').trim();
    if (foldedLabels.size < 10_000) foldedLabels.set(label, want);
  }
  return want;
}

/** The row's text somewhere on the input's row, in the columns up to the input's (or the row's last cell), at most 60. */
export function rowHasText(sheet: SheetView, address: string, label: string): boolean {
  const { row, col } = parseA1(address)!;
  const want = foldedLabel(label);
  const last = Math.min(Math.max(sheet.cellCount(row), col), 60);
  // The label sits left of its input in the template: look there first (the answer does not depend on the order).
  const matches = (c: number) => {
    const v = sheet.cellAt(row, c).value;
    // The label as the template wrote it (already in the folded form): the usual case, without folding the cell.
    if (v === want) return true;
    // NFC lengthens a text at most threefold and the rest only shortens it: a much shorter text cannot be the label.
    if (typeof v === 'string' && v.length * 3 < want.length) return false;
    return cellString(v).replace(/\s+/g, ' ') === want;
  };
  for (let c = Math.min(col - 1, last); c >= 1; c--) if (matches(c)) return true;
  for (let c = Math.max(col, 1); c <= last; c++) if (matches(c)) return true;
  return false;
}
