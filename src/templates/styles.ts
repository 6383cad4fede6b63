/**
 * The templates' look: fonts, fills, borders, the input cells' number formats and styles, protection and page setup.
 * Shared objects: exceljs keeps one style per cell, building them once avoids per-cell allocation.
 */
import type ExcelJS from 'exceljs';
import type { FieldKind } from '../catalog/types.ts';

/** Number formats of the input cells. Percentages are typed as 95.5 (meaning 95.5 %), never with Excel's % format. */
export const NUMBER_FORMATS: Record<FieldKind, string> = {
  percent: '0.0##',
  count: '#,##0',
  number: '#,##0.###',
  direction: '@',
  rating: '@',
  text: '@',
};

const FONT = 'Times New Roman';
export const INPUT_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF2CC' } };
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };
const AREA_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEDEDED' } };
const REF_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };
const THIN: Partial<ExcelJS.Border> = { style: 'thin', color: { argb: 'FF808080' } };
const BORDER: Partial<ExcelJS.Borders> = { top: THIN, left: THIN, bottom: THIN, right: THIN };
export const font = (extra: Partial<ExcelJS.Font> = {}): Partial<ExcelJS.Font> => ({ name: FONT, size: 11, ...extra });
const WRAP_TOP: Partial<ExcelJS.Alignment> = { wrapText: true, vertical: 'top' };

export const STYLE = {
  title: { font: font({ bold: true, size: 14 }), alignment: { horizontal: 'center', vertical: 'middle', wrapText: true } },
  subtitle: { font: font({ italic: true }), alignment: { horizontal: 'center', vertical: 'middle', wrapText: true } },
  header: { font: font({ bold: true }), fill: HEADER_FILL, border: BORDER, alignment: { horizontal: 'center', vertical: 'middle', wrapText: true } },
  area: { font: font({ bold: true }), fill: AREA_FILL, border: BORDER, alignment: { vertical: 'middle', wrapText: true } },
  text: { font: font(), border: BORDER, alignment: WRAP_TOP },
  bold: { font: font({ bold: true }), border: BORDER, alignment: WRAP_TOP },
  center: { font: font(), border: BORDER, alignment: { horizontal: 'center', vertical: 'top', wrapText: true } },
  plain: { font: font(), alignment: WRAP_TOP },
  plainBold: { font: font({ bold: true }), alignment: WRAP_TOP },
  band: { font: font({ bold: true }), fill: HEADER_FILL, alignment: { vertical: 'middle', wrapText: true } },
} satisfies Record<string, Partial<ExcelJS.Style>>;

const inputStyle = (numFmt: string, horizontal: 'right' | 'left' | 'center' = 'left'): Partial<ExcelJS.Style> => ({
  font: font(), fill: INPUT_FILL, border: BORDER, numFmt, protection: { locked: false },
  alignment: { horizontal, vertical: 'top', wrapText: true },
});
export const INPUT_STYLE: Record<FieldKind, Partial<ExcelJS.Style>> = {
  percent: inputStyle(NUMBER_FORMATS.percent, 'right'),
  count: inputStyle(NUMBER_FORMATS.count, 'right'),
  number: inputStyle(NUMBER_FORMATS.number, 'right'),
  direction: inputStyle(NUMBER_FORMATS.direction, 'center'),
  rating: inputStyle(NUMBER_FORMATS.rating, 'center'),
  text: inputStyle(NUMBER_FORMATS.text),
};
/** A computed cell (a rate from its counts, a quantity asked once and repeated): locked, shaded as computed. */
const COMPUTED_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE2EFDA' } };
const computedStyle = (numFmt: string): Partial<ExcelJS.Style> => ({
  font: font({ italic: true }), fill: COMPUTED_FILL, border: BORDER, numFmt, protection: { locked: true },
  alignment: { horizontal: 'right', vertical: 'top', wrapText: true },
});
export const COMPUTED_STYLE: Record<FieldKind, Partial<ExcelJS.Style>> = {
  percent: computedStyle(NUMBER_FORMATS.percent), count: computedStyle(NUMBER_FORMATS.count), number: computedStyle(NUMBER_FORMATS.number),
  direction: computedStyle(NUMBER_FORMATS.direction), rating: computedStyle(NUMBER_FORMATS.rating), text: computedStyle(NUMBER_FORMATS.text),
};
const refStyle = (numFmt: string): Partial<ExcelJS.Style> => ({
  font: font({ color: { argb: 'FF595959' } }), fill: REF_FILL, border: BORDER, numFmt, alignment: { horizontal: 'right', vertical: 'top', wrapText: true },
});
/**
 * The previous-year column's style by kind (text kinds show the figure as General). One object per kind, as above:
 * exceljs remembers the style of an object it has seen, so a new object per cell was rendered and looked up again.
 */
const refFormat = (kind: FieldKind) => (NUMBER_FORMATS[kind] === '@' ? 'General' : NUMBER_FORMATS[kind]);
export const REF_STYLE: Record<FieldKind, Partial<ExcelJS.Style>> = {
  percent: refStyle(refFormat('percent')), count: refStyle(refFormat('count')), number: refStyle(refFormat('number')),
  direction: refStyle(refFormat('direction')), rating: refStyle(refFormat('rating')), text: refStyle(refFormat('text')),
};


export const PROTECT_OPTIONS: Partial<ExcelJS.WorksheetProtection> = {
  // No password: protection only guards against accidental edits (docs/templates.md says so). A spin count of 1 keeps it cheap.
  spinCount: 1, selectLockedCells: true, selectUnlockedCells: true, formatColumns: true, formatRows: true,
};

export const PAGE_SETUP: Partial<ExcelJS.PageSetup> = {
  paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0,
  margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.5, header: 0.3, footer: 0.3 },
};

/** The style of a cell with none: one object for every such cell of a workbook (see shareEmptyStyles). */
const NO_STYLE: Partial<ExcelJS.Style> = Object.freeze({});

/**
 * Gives every row and cell of a sheet without a style of its own (dates aside) one shared empty style object. exceljs
 * renders and looks up the style of each style object it has not met before, and every row starts with a new empty one,
 * as does a merged cell whose merge came before its style: some 200 lookups a template, all giving the default style.
 * An empty style is written the same for every kind of value but a date (given a date format), hence the exception.
 */
export function shareEmptyStyles(sheet: ExcelJS.Worksheet): void {
  const unstyled = (style: Partial<ExcelJS.Style>) => style !== NO_STYLE && Object.keys(style).length === 0;
  // exceljs's typings leave out a row's own style, which every row has (the style its new cells start from).
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const styled = row as ExcelJS.Row & { style: Partial<ExcelJS.Style> };
    if (unstyled(styled.style)) styled.style = NO_STYLE;
    row.eachCell({ includeEmpty: true }, (cell) => {
      if (unstyled(cell.style) && !(cell.value instanceof Date)) cell.style = NO_STYLE;
    });
  });
}
