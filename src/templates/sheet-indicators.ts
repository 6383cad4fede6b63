/**
 * The indicators sheet (ChiSo): one row per figure, grouped by area, standard and criterion as in the appendix, with
 * the year's target, last year's accepted figure for reference, the evidence cell and the explanation cell ("Giải
 * trình": the unit's answer to a query or a warning, instead of changing a true figure); every input entered in `_meta`.
 */
import type ExcelJS from 'exceljs';
import type { Field, Indicator } from '../catalog/types.ts';
import { deadlineFor, type Unit, type Workspace } from '../catalog/workspace.ts';
import { columnLetters } from '../xlsx/a1.ts';
import { EXPLANATION_KIND, SHEETS, explanationFieldId, type MetaEntry } from '../xlsx/meta.ts';
import { adminDateWords, vietnamDay } from '../dates.ts';
import { fitRowHeights, type Sized } from './row-heights.ts';
import { INPUT_STYLE, NUMBER_FORMATS, PAGE_SETUP, STYLE, refStyle } from './styles.ts';
import { targetTextForYear } from './target-text.ts';
import { EXPLANATION_VALIDATION, VALIDATIONS } from './validations.ts';

const IND_COLUMNS = [
  { key: 'standard', width: 18 },
  { key: 'criterion', width: 22 },
  { key: 'indicator', width: 38 },
  { key: 'target', width: 18 },
  { key: 'label', width: 34 },
  { key: 'unit', width: 10 },
  { key: 'input', width: 14 },
  { key: 'previous', width: 13 },
  { key: 'evidence', width: 30 },
  { key: 'explanation', width: 30 },
] as const;
const COL = Object.fromEntries(IND_COLUMNS.map((c, i) => [c.key, i + 1])) as Record<(typeof IND_COLUMNS)[number]['key'], number>;
const LAST_COL = IND_COLUMNS.length;
export const INDICATOR_HEADER_ROW = 3;

export function writeIndicators(
  sheet: ExcelJS.Worksheet, ws: Workspace, unit: Unit, year: number, indicators: Indicator[],
  previous: Map<string, string | number>, entries: MetaEntry[],
): void {
  const c = ws.catalog;
  sheet.columns = IND_COLUMNS.map((col) => ({ width: col.width }));
  const sized: Sized[] = [];

  sheet.mergeCells(1, 1, 1, LAST_COL);
  Object.assign(sheet.getCell(1, 1), { value: `SỐ LIỆU CÁC CHỈ SỐ XÂY DỰNG THÀNH PHỐ HỌC TẬP NĂM ${year}`, style: STYLE.title });
  sheet.getRow(1).height = 24;
  sheet.mergeCells(2, 1, 2, LAST_COL);
  Object.assign(sheet.getCell(2, 1), {
    value: `Đơn vị báo cáo: ${unit.name} (mã ${unit.code}) · Hạn gửi: ${adminDateWords(vietnamDay(deadlineFor(ws.profile, year)))} · Chỉ nhập vào các ô nền vàng`,
    style: STYLE.subtitle,
  });
  sheet.getRow(2).height = 20;

  const head = ['Tiêu chuẩn', 'Tiêu chí', 'Chỉ số', `Chỉ tiêu năm ${year}`, 'Nội dung số liệu', 'Đơn vị tính',
    `Số liệu năm ${year}`, `Năm ${year - 1} (đã báo cáo)`, 'Minh chứng / ghi chú', 'Giải trình'];
  const headerRow = sheet.getRow(INDICATOR_HEADER_ROW);
  head.forEach((h, i) => Object.assign(headerRow.getCell(i + 1), { value: h, style: STYLE.header }));
  headerRow.height = 32;

  let r = INDICATOR_HEADER_ROW + 1;
  let area: string | null = null;
  let standardStart = 0;
  let criterionStart = 0;
  let standard: string | null = null;
  let criterion: string | null = null;
  // Standard and criterion cells are merged over their rows, as in the appendix.
  const closeGroup = (col: number, start: number, text: string) => {
    if (!start) return;
    if (r - 1 > start) sheet.mergeCells(start, col, r - 1, col);
    sized.push({ cell: sheet.getCell(start, col), rows: r - start, text, width: IND_COLUMNS[col - 1].width });
  };
  const standardText = (id: string) => `${id}. ${c.standardById.get(id)!.name}`;
  const criterionText = (id: string) => `${id}. ${c.criterionById.get(id)!.name}`;

  for (const ind of indicators) {
    if (ind.criterionId !== criterion || ind.areaId !== area) {
      closeGroup(COL.criterion, criterionStart, criterion ? criterionText(criterion) : '');
      criterionStart = 0;
    }
    if (ind.standardId !== standard || ind.areaId !== area) {
      closeGroup(COL.standard, standardStart, standard ? standardText(standard) : '');
      standardStart = 0;
    }
    if (ind.areaId !== area) {
      area = ind.areaId;
      const a = c.areaById.get(area)!;
      sheet.mergeCells(r, 1, r, LAST_COL);
      Object.assign(sheet.getCell(r, 1), { value: /^\d+$/.test(a.id) ? `${a.id}. ${a.name}` : a.name, style: STYLE.area });
      sheet.getRow(r).height = 20;
      r++;
      standard = null;
      criterion = null;
    }
    if (ind.standardId !== standard) {
      standard = ind.standardId;
      standardStart = r;
      Object.assign(sheet.getCell(r, COL.standard), { value: standardText(standard), style: STYLE.bold });
    }
    if (ind.criterionId !== criterion) {
      criterion = ind.criterionId;
      criterionStart = r;
      Object.assign(sheet.getCell(r, COL.criterion), { value: criterionText(criterion), style: STYLE.text });
    }

    const first = r;
    const valueFields = ind.fields.filter((f) => f.role !== 'evidence');
    const evidence = ind.fields.find((f) => f.role === 'evidence');
    const indicatorText = `[${ind.id}] ${ind.text}`;
    const target = targetTextForYear(ws, ind, year);
    Object.assign(sheet.getCell(r, COL.indicator), { value: indicatorText, style: STYLE.text });
    Object.assign(sheet.getCell(r, COL.target), { value: target, style: STYLE.center });
    for (const f of valueFields.length ? valueFields : [null]) {
      if (f) {
        writeFieldRow(sheet, r, f, previous.get(f.id), ind, entries, sized);
      } else {
        // An indicator with nothing to count (only evidence): the row still has its borders.
        for (const col of [COL.label, COL.unit, COL.input, COL.previous]) sheet.getCell(r, col).style = STYLE.text;
      }
      if (r > first) {
        for (const col of [COL.standard, COL.criterion]) if (!sheet.getCell(r, col).value) sheet.getCell(r, col).style = STYLE.text;
      }
      r++;
    }
    const rows = r - first;
    if (evidence) {
      const cell = sheet.getCell(first, COL.evidence);
      cell.style = INPUT_STYLE.text;
      cell.dataValidation = VALIDATIONS.text;
      entries.push({ fieldId: evidence.id, indicatorId: ind.id, kind: evidence.kind, sheet: SHEETS.indicators, cell: cell.address });
    } else {
      sheet.getCell(first, COL.evidence).style = STYLE.text;
    }
    // Every indicator has its explanation cell, whatever its fields: a query may be about any of them.
    const explanation = sheet.getCell(first, COL.explanation);
    explanation.style = INPUT_STYLE.text;
    explanation.dataValidation = EXPLANATION_VALIDATION;
    entries.push({ fieldId: explanationFieldId(ind.id), indicatorId: ind.id, kind: EXPLANATION_KIND, sheet: SHEETS.indicators, cell: explanation.address });
    if (rows > 1) {
      sheet.mergeCells(first, COL.indicator, r - 1, COL.indicator);
      sheet.mergeCells(first, COL.target, r - 1, COL.target);
      sheet.mergeCells(first, COL.evidence, r - 1, COL.evidence);
      sheet.mergeCells(first, COL.explanation, r - 1, COL.explanation);
    }
    sized.push({ cell: sheet.getCell(first, COL.indicator), rows, text: indicatorText, width: IND_COLUMNS[COL.indicator - 1].width });
    sized.push({ cell: sheet.getCell(first, COL.target), rows, text: target, width: IND_COLUMNS[COL.target - 1].width });
  }
  closeGroup(COL.criterion, criterionStart, criterion ? criterionText(criterion) : '');
  closeGroup(COL.standard, standardStart, standard ? standardText(standard) : '');
  if (!indicators.length) {
    sheet.mergeCells(r, 1, r, LAST_COL);
    Object.assign(sheet.getCell(r, 1), { value: 'Năm nay đơn vị không được giao chỉ số nào: chỉ điền trang BaoCao.', style: STYLE.text });
  }

  fitRowHeights(sheet, sized);
  sheet.views = [{ state: 'frozen', xSplit: 0, ySplit: INDICATOR_HEADER_ROW, topLeftCell: `A${INDICATOR_HEADER_ROW + 1}`, activeCell: `${columnLetters(COL.input)}${INDICATOR_HEADER_ROW + 1}` }];
  sheet.pageSetup = { ...PAGE_SETUP, printTitlesRow: `${INDICATOR_HEADER_ROW}:${INDICATOR_HEADER_ROW}` };
  sheet.headerFooter = { oddFooter: `&L${escapeHeaderFooter(unit.name)} - năm ${year}&RTrang &P/&N` };
}

/** Header/footer codes start with "&": keep a literal ampersand from being read as one. */
function escapeHeaderFooter(s: string): string {
  return s.replace(/&/g, '&&');
}

function unitLabel(f: Field): string {
  if (f.kind === 'direction') return 'Tăng/Giảm';
  if (f.kind === 'rating') return 'Mức 1–5';
  return f.unit;
}

function writeFieldRow(
  sheet: ExcelJS.Worksheet, r: number, f: Field, prev: string | number | undefined, ind: Indicator,
  entries: MetaEntry[], sized: Sized[],
): void {
  Object.assign(sheet.getCell(r, COL.label), { value: f.label, style: STYLE.text });
  sized.push({ cell: sheet.getCell(r, COL.label), rows: 1, text: f.label, width: IND_COLUMNS[COL.label - 1].width });
  Object.assign(sheet.getCell(r, COL.unit), { value: unitLabel(f), style: STYLE.center });
  const input = sheet.getCell(r, COL.input);
  input.style = INPUT_STYLE[f.kind];
  input.dataValidation = VALIDATIONS[f.kind];
  const ref = sheet.getCell(r, COL.previous);
  ref.style = refStyle(NUMBER_FORMATS[f.kind] === '@' ? 'General' : NUMBER_FORMATS[f.kind]);
  if (prev !== undefined) ref.value = prev;
  entries.push({ fieldId: f.id, indicatorId: ind.id, kind: f.kind, sheet: SHEETS.indicators, cell: input.address });
}
