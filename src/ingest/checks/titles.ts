/**
 * The workbook's own titles agree with its `_meta`: where the template names its unit (by name and by code) and its
 * year, the sheets still name the unit and year `_meta` claims. An edited `unit_code` or `year` is caught here.
 */
import { finding } from '../../findings/codes.ts';
import { cellString } from '../../xlsx/view.ts';
import { squash } from '../template-shape.ts';
import { headerMismatch } from './layout.ts';
import { fileFinding, hasErrors, type Check } from './state.ts';

export const titles: Check = {
  name: 'titles',
  codes: ['content_mismatch'],
  stage: 'file',
  needsTemplate: true,
  run(s) {
    if (s.parsed.kind !== 'xlsx' || !s.template || !s.unit) return;
    const { workbook } = s.parsed;
    const unit = { name: s.unit.name, code: s.unit.code };
    const year = s.identity.year;
    // Every sheet a title sits on was read by the read stage (src/xlsx/read-workbook.ts): nothing is parsed here.
    for (const t of s.template.titles) {
      const sheet = workbook.sheet(t.sheet);
      // A sheet that is gone, or whose columns moved (its titles with them), is the layout check's to report.
      const shape = s.template.sheets.get(t.sheet);
      if (!sheet || (shape && headerMismatch(sheet, shape) >= 0)) continue;
      const raw = cellString(sheet.cell(t.cell).value);
      const text = squash(raw).toUpperCase();
      const names = (!t.name || text.includes(unit.name.normalize('NFC').toUpperCase())) && (!t.code || text.includes(`(MÃ ${unit.code.toUpperCase()})`));
      if (!names) fileFinding(s, finding('content_mismatch', { sheet: t.sheet, cell: t.cell, unit, year: null }), raw);
      else if (t.year && !text.includes(String(year))) fileFinding(s, finding('content_mismatch', { sheet: t.sheet, cell: t.cell, unit: null, year }), raw);
      // One cell that disagrees says it all.
      if (hasErrors(s)) return 'stop';
    }
  },
};
