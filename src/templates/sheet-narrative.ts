/**
 * The narrative sheet (BaoCao): one input per section of the annual report, each followed by the section's activity
 * figures (whole numbers, summed over the units in the report), then who filled the template in.
 */
import type ExcelJS from 'exceljs';
import type { Unit, Workspace } from '../catalog/workspace.ts';
import type { NarrativeFigure } from '../catalog/types.ts';
import { narrativesForUnit } from '../catalog/assignments.ts';
import { CONTACT_FIELDS, CONTACT_KIND, NARRATIVE_KIND, NARRATIVE_PLACEHOLDER, SHEETS, narrativeFieldId, type MetaEntry } from '../xlsx/meta.ts';
import { fitRowHeights, type Sized } from './row-heights.ts';
import { INPUT_STYLE, PAGE_SETUP, STYLE, font } from './styles.ts';
import { CONTACT_VALIDATION, NARRATIVE_VALIDATION, VALIDATIONS } from './validations.ts';
import { figuresAsked, itemsAsked } from '../catalog/asks.ts';
import { writeItems } from './sheet-items.ts';

/** Columns: the section's label; then the inputs (a text or a contact spans B:D, an item's cells are B, C, D). */
const WIDTHS = [42, 26, 50, 30] as const;
const TEXT_WIDTH = WIDTHS[1] + WIDTHS[2] + WIDTHS[3];

export const NARRATIVE_HEADER_ROW = 3;

/** The label of an activity figure's row: ingest finds the row by it (layout check). */
export const figureRowLabel = (f: NarrativeFigure) => `${f.label} (${f.unit})`;

/** One activity figure: its label, and a whole-number input like an indicator's count. */
function writeFigure(sheet: ExcelJS.Worksheet, r: number, f: NarrativeFigure, entries: MetaEntry[]): Sized {
  const label = sheet.getCell(r, 1);
  Object.assign(label, { value: figureRowLabel(f), style: STYLE.text });
  const input = sheet.getCell(r, 2);
  input.style = { ...INPUT_STYLE.count, alignment: { horizontal: 'left', vertical: 'top' } };
  input.dataValidation = VALIDATIONS.count;
  entries.push({ fieldId: f.id, indicatorId: '', kind: 'count', sheet: SHEETS.narrative, cell: input.address });
  return { cell: label, rows: 1, text: figureRowLabel(f), width: 42 };
}

export function writeNarrative(sheet: ExcelJS.Worksheet, ws: Workspace, unit: Unit, year: number, entries: MetaEntry[]): void {
  sheet.columns = WIDTHS.map((width) => ({ width }));
  const sized: Sized[] = [];
  sheet.mergeCells('A1:D1');
  Object.assign(sheet.getCell('A1'), { value: `BÁO CÁO KẾT QUẢ THỰC HIỆN NĂM ${year} - ${unit.name.toUpperCase()}`, style: STYLE.title });
  sheet.getRow(1).height = 36;
  sheet.mergeCells('A2:D2');
  Object.assign(sheet.getCell('A2'), {
    value: 'Ghi nội dung vào các ô nền vàng bên phải, ngắn gọn, có số liệu minh họa. Mục nào không có nội dung thì ghi "Không có". ' +
      'Dưới nội dung của mục là các dòng nổi bật, khó khăn, đề xuất, khen thưởng: mỗi dòng một ý, chọn nhóm trong danh sách.',
    style: STYLE.subtitle,
  });
  sheet.getRow(2).height = 34;
  const header = sheet.getRow(NARRATIVE_HEADER_ROW);
  Object.assign(header.getCell(1), { value: 'Mục báo cáo', style: STYLE.header });
  sheet.mergeCells(NARRATIVE_HEADER_ROW, 2, NARRATIVE_HEADER_ROW, 4);
  Object.assign(header.getCell(2), { value: 'Nội dung của đơn vị', style: STYLE.header });
  header.height = 22;

  let r = NARRATIVE_HEADER_ROW + 1;
  // Only the sections the unit's agency is asked (002 asks the universities their training alone).
  for (const s of narrativesForUnit(ws.catalog, unit)) {
    const title = s.title.replace(/năm sau/i, `năm ${year + 1}`);
    const text = `${s.reportSection}. ${title}${s.prompt ? `\n(${s.prompt})` : ''}`;
    const label = sheet.getCell(r, 1);
    label.value = { richText: [{ text: `${s.reportSection}. ${title}`, font: font({ bold: true }) }, ...(s.prompt ? [{ text: `\n(${s.prompt})`, font: font({ italic: true, color: { argb: 'FF595959' } }) }] : [])] };
    label.style = STYLE.text;
    sized.push({ cell: label, rows: 1, text, width: 42 });
    sheet.mergeCells(r, 2, r, 4);
    const input = sheet.getCell(r, 2);
    input.style = INPUT_STYLE.text;
    input.value = NARRATIVE_PLACEHOLDER;
    input.dataValidation = NARRATIVE_VALIDATION;
    entries.push({ fieldId: narrativeFieldId(s.id), indicatorId: '', kind: NARRATIVE_KIND, sheet: SHEETS.narrative, cell: input.address });
    // Room to write: a narrative cell starts tall enough for a few paragraphs.
    sized.push({ cell: input, rows: 1, text: '\n'.repeat(7), width: TEXT_WIDTH });
    r++;
    // The expert panel is asked no activity counts (002 asks it for its ratings): narrative_items.csv says who is not.
    for (const f of figuresAsked(ws.catalog.asks, s.id, unit.agencyKind) ? s.figures : []) {
      sized.push(writeFigure(sheet, r, f, entries));
      r++;
    }
    for (const ask of itemsAsked(ws.catalog.asks, s.id, unit.agencyKind)) r = writeItems(sheet, r, ask, ws.catalog.asks, entries, sized);
  }
  r++;
  sheet.mergeCells(r, 1, r, 4);
  Object.assign(sheet.getCell(r, 1), { value: 'THÔNG TIN NGƯỜI LẬP BIỂU', style: STYLE.band });
  sheet.getRow(r).height = 20;
  r++;
  for (const cf of CONTACT_FIELDS) {
    Object.assign(sheet.getCell(r, 1), { value: cf.label, style: STYLE.bold });
    sheet.mergeCells(r, 2, r, 4);
    const input = sheet.getCell(r, 2);
    input.style = INPUT_STYLE.text;
    input.dataValidation = CONTACT_VALIDATION;
    entries.push({ fieldId: cf.id, indicatorId: '', kind: CONTACT_KIND, sheet: SHEETS.narrative, cell: input.address });
    sheet.getRow(r).height = 20;
    r++;
  }
  fitRowHeights(sheet, sized);
  sheet.views = [{ state: 'frozen', xSplit: 0, ySplit: NARRATIVE_HEADER_ROW, topLeftCell: `A${NARRATIVE_HEADER_ROW + 1}`, activeCell: `B${NARRATIVE_HEADER_ROW + 1}` }];
  sheet.pageSetup = { ...PAGE_SETUP, printTitlesRow: `${NARRATIVE_HEADER_ROW}:${NARRATIVE_HEADER_ROW}` };
}
