/**
 * Does the map still fit the sheets? Every mapped sheet is there and every input still sits on its row (the field's
 * label on the same line): a map followed blindly after an inserted row would read every figure from the wrong line.
 */
import { say } from '../codes.ts';
import { parseA1 } from '../../xlsx/a1.ts';
import { cellString, type SheetView } from '../../xlsx/view.ts';
import { fileFinding, hasErrors, type Check } from './state.ts';

export const layout: Check = {
  name: 'layout',
  codes: ['missing_sheet', 'layout_changed'],
  stage: 'file',
  run(s) {
    if (s.parsed.kind !== 'xlsx') return;
    const { workbook } = s.parsed;
    const { catalog } = s.ctx.ws;
    const missingSheets = new Set<string>();
    const moved: { sheet: string; cell: string; label: string; fieldId: string }[] = [];
    for (const { entry: e } of s.inputs) {
      const sheet = workbook.sheet(e.sheet);
      if (!sheet) {
        if (!missingSheets.has(e.sheet)) fileFinding(s, say('missing_sheet', { sheet: e.sheet }));
        missingSheets.add(e.sheet);
        continue;
      }
      const field = catalog.fieldById.get(e.fieldId);
      if (field && field.kind !== 'text' && !rowHasText(sheet, e.cell, field.label)) moved.push({ sheet: e.sheet, cell: e.cell, label: field.label, fieldId: e.fieldId });
    }
    // One inserted row shifts every cell below it: the first is reported, with how many more.
    if (moved.length) fileFinding(s, say('layout_changed', { ...moved[0], more: moved.length - 1 }));
    // A workbook whose map or sheets do not fit is not read at all; a CSV's refused lines leave the others readable.
    return hasErrors(s) ? 'stop' : undefined;
  },
};

/** The field's label somewhere on the input's row, in the columns up to the input's (or the row's last cell), at most 60. */
export function rowHasText(sheet: SheetView, address: string, label: string): boolean {
  const { row, col } = parseA1(address)!;
  const want = label.normalize('NFC').replace(/\s+/g, ' ').trim();
  const last = Math.min(Math.max(sheet.cellCount(row), col), 60);
  // The label sits left of its input in the template: look there first (the answer does not depend on the order).
  const matches = (c: number) => {
    const v = sheet.cellAt(row, c).value;
    // NFC lengthens a text at most threefold and the rest only shortens it: a much shorter text cannot be the label.
    if (typeof v === 'string' && v.length * 3 < want.length) return false;
    return cellString(v).replace(/\s+/g, ' ') === want;
  };
  for (let c = Math.min(col - 1, last); c >= 1; c--) if (matches(c)) return true;
  for (let c = Math.max(col, 1); c <= last; c++) if (matches(c)) return true;
  return false;
}
