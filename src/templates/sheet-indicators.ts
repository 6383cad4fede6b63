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
import { COMPUTED_STYLE, INPUT_STYLE, PAGE_SETUP, REF_STYLE, STYLE } from './styles.ts';
import { targetTextForYear } from './target-text.ts';
import { EXPLANATION_VALIDATION, VALIDATIONS } from './validations.ts';
import { computedFormula, indicatorCellText } from './computed-cells.ts';

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
  sheet.columns = IND_COLUMNS.map((col) => ({ width: col.width }));
  const sized: Sized[] = [];
  writeHeading(sheet, ws, unit, year);
  const groups = new Groups(sheet, ws, sized);
  // Where each field's cell is, as written: a computed cell refers to the cells it is computed from.
  const cellOf = new Map<string, string>();
  for (const ind of indicators) {
    groups.enter(ind);
    groups.row = writeIndicator(sheet, groups.row, ws, ind, year, previous.get.bind(previous), entries, sized, cellOf);
  }
  groups.closeAll();
  if (!indicators.length) {
    sheet.mergeCells(groups.row, 1, groups.row, LAST_COL);
    Object.assign(sheet.getCell(groups.row, 1), { value: 'Năm nay đơn vị không được giao chỉ số nào: chỉ điền trang BaoCao.', style: STYLE.text });
  }

  fitRowHeights(sheet, sized);
  sheet.views = [{ state: 'frozen', xSplit: 0, ySplit: INDICATOR_HEADER_ROW, topLeftCell: `A${INDICATOR_HEADER_ROW + 1}`, activeCell: `${columnLetters(COL.input)}${INDICATOR_HEADER_ROW + 1}` }];
  sheet.pageSetup = { ...PAGE_SETUP, printTitlesRow: `${INDICATOR_HEADER_ROW}:${INDICATOR_HEADER_ROW}` };
  sheet.headerFooter = { oddFooter: `&L${escapeHeaderFooter(unit.name)} - năm ${year}&RTrang &P/&N` };
}

/** The title, the unit and deadline line, and the column headers. */
function writeHeading(sheet: ExcelJS.Worksheet, ws: Workspace, unit: Unit, year: number): void {
  sheet.mergeCells(1, 1, 1, LAST_COL);
  Object.assign(sheet.getCell(1, 1), { value: `SỐ LIỆU CÁC CHỈ SỐ XÂY DỰNG THÀNH PHỐ HỌC TẬP NĂM ${year}`, style: STYLE.title });
  sheet.getRow(1).height = 24;
  sheet.mergeCells(2, 1, 2, LAST_COL);
  Object.assign(sheet.getCell(2, 1), {
    value: `Đơn vị báo cáo: ${unit.name} (mã ${unit.code}) · Hạn gửi: ${adminDateWords(vietnamDay(deadlineFor(ws.profile, year)))} · Chỉ nhập vào các ô nền vàng`,
    style: STYLE.subtitle,
  });
  sheet.getRow(2).height = 20;
  // The target column holds the city's threshold and roadmap target, not a target set for the unit (issue 23).
  const head = ['Tiêu chuẩn', 'Tiêu chí', 'Chỉ số (định nghĩa, thời điểm số liệu)', `Chỉ tiêu của Thành phố (năm ${year})`, 'Nội dung số liệu', 'Đơn vị tính',
    `Số liệu năm ${year}`, `Năm ${year - 1} (đã báo cáo)`, 'Minh chứng / ghi chú', 'Giải trình'];
  const headerRow = sheet.getRow(INDICATOR_HEADER_ROW);
  head.forEach((h, i) => Object.assign(headerRow.getCell(i + 1), { value: h, style: STYLE.header }));
  headerRow.height = 32;
}

/**
 * The area rows, and the standard and criterion cells merged over their indicators' rows, as in the appendix: opened
 * when an indicator starts a new group, closed when the next one does.
 */
class Groups {
  row = INDICATOR_HEADER_ROW + 1;
  private area: string | null = null;
  private standard: string | null = null;
  private criterion: string | null = null;
  private standardStart = 0;
  private criterionStart = 0;
  private readonly sheet: ExcelJS.Worksheet;
  private readonly ws: Workspace;
  private readonly sized: Sized[];

  constructor(sheet: ExcelJS.Worksheet, ws: Workspace, sized: Sized[]) {
    this.sheet = sheet;
    this.ws = ws;
    this.sized = sized;
  }

  private standardText(id: string): string {
    return `${id}. ${this.ws.catalog.standardById.get(id)!.name}`;
  }

  private criterionText(id: string): string {
    return `${id}. ${this.ws.catalog.criterionById.get(id)!.name}`;
  }

  private close(col: number, start: number, text: string): void {
    if (!start) return;
    if (this.row - 1 > start) this.sheet.mergeCells(start, col, this.row - 1, col);
    this.sized.push({ cell: this.sheet.getCell(start, col), rows: this.row - start, text, width: IND_COLUMNS[col - 1].width });
  }

  private closeCriterion(): void {
    this.close(COL.criterion, this.criterionStart, this.criterion ? this.criterionText(this.criterion) : '');
    this.criterionStart = 0;
  }

  private closeStandard(): void {
    this.close(COL.standard, this.standardStart, this.standard ? this.standardText(this.standard) : '');
    this.standardStart = 0;
  }

  closeAll(): void {
    this.closeCriterion();
    this.closeStandard();
  }

  /** Before an indicator's rows: closes the groups it leaves, writes the area row and opens the groups it starts. */
  enter(ind: Indicator): void {
    if (ind.criterionId !== this.criterion || ind.areaId !== this.area) this.closeCriterion();
    if (ind.standardId !== this.standard || ind.areaId !== this.area) this.closeStandard();
    if (ind.areaId !== this.area) {
      this.area = ind.areaId;
      const a = this.ws.catalog.areaById.get(this.area)!;
      this.sheet.mergeCells(this.row, 1, this.row, LAST_COL);
      Object.assign(this.sheet.getCell(this.row, 1), { value: /^\d+$/.test(a.id) ? `${a.id}. ${a.name}` : a.name, style: STYLE.area });
      this.sheet.getRow(this.row).height = 20;
      this.row++;
      this.standard = null;
      this.criterion = null;
    }
    if (ind.standardId !== this.standard) {
      this.standard = ind.standardId;
      this.standardStart = this.row;
      Object.assign(this.sheet.getCell(this.row, COL.standard), { value: this.standardText(this.standard), style: STYLE.bold });
    }
    if (ind.criterionId !== this.criterion) {
      this.criterion = ind.criterionId;
      this.criterionStart = this.row;
      Object.assign(this.sheet.getCell(this.row, COL.criterion), { value: this.criterionText(this.criterion), style: STYLE.text });
    }
  }
}

/** One indicator's rows from `first` (a row per field), its evidence and explanation cells; returns the next free row. */
function writeIndicator(
  sheet: ExcelJS.Worksheet, first: number, ws: Workspace, ind: Indicator, year: number,
  previousOf: (fieldId: string) => string | number | undefined, entries: MetaEntry[], sized: Sized[], cellOf: Map<string, string>,
): number {
  let r = first;
  const valueFields = ind.fields.filter((f) => f.role !== 'evidence');
  const evidence = ind.fields.find((f) => f.role === 'evidence');
  const indicatorText = indicatorCellText(ws, ind, year);
  const target = targetTextForYear(ws, ind, year);
  Object.assign(sheet.getCell(r, COL.indicator), { value: indicatorText, style: STYLE.text });
  Object.assign(sheet.getCell(r, COL.target), { value: target, style: STYLE.center });
  for (const f of valueFields.length ? valueFields : [null]) {
    if (f) {
      writeFieldRow(sheet, r, f, previousOf(f.id), ind, entries, sized, computedFormula(ws, f, cellOf));
      cellOf.set(f.id, sheet.getCell(r, COL.input).address);
    } else {
      // An indicator with nothing to count (only evidence): the row still has its borders.
      for (const col of [COL.label, COL.unit, COL.input, COL.previous]) sheet.getCell(r, col).style = STYLE.text;
    }
    if (r > first) {
      for (const col of [COL.standard, COL.criterion]) if (!sheet.getCell(r, col).value) sheet.getCell(r, col).style = STYLE.text;
    }
    r++;
  }
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
  const rows = r - first;
  if (rows > 1) {
    for (const col of [COL.indicator, COL.target, COL.evidence, COL.explanation]) sheet.mergeCells(first, col, r - 1, col);
  }
  sized.push({ cell: sheet.getCell(first, COL.indicator), rows, text: indicatorText, width: IND_COLUMNS[COL.indicator - 1].width });
  sized.push({ cell: sheet.getCell(first, COL.target), rows, text: target, width: IND_COLUMNS[COL.target - 1].width });
  return r;
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
  entries: MetaEntry[], sized: Sized[], computed: { formula: string; unitNote: string } | null,
): void {
  Object.assign(sheet.getCell(r, COL.label), { value: f.label, style: STYLE.text });
  sized.push({ cell: sheet.getCell(r, COL.label), rows: 1, text: f.label, width: IND_COLUMNS[COL.label - 1].width });
  Object.assign(sheet.getCell(r, COL.unit), { value: computed ? `${unitLabel(f)} ${computed.unitNote}` : unitLabel(f), style: STYLE.center });
  const input = sheet.getCell(r, COL.input);
  if (computed) {
    // Computed from the unit's own inputs, locked: ingest derives it again from them (src/ingest/derived.ts).
    input.style = COMPUTED_STYLE[f.kind];
    input.value = { formula: computed.formula, date1904: false };
  } else {
    input.style = INPUT_STYLE[f.kind];
    input.dataValidation = VALIDATIONS[f.kind];
  }
  const ref = sheet.getCell(r, COL.previous);
  ref.style = REF_STYLE[f.kind];
  if (prev !== undefined) ref.value = prev;
  entries.push({ fieldId: f.id, indicatorId: ind.id, kind: f.kind, sheet: SHEETS.indicators, cell: input.address });
}
