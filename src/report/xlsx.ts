/**
 * The consolidated workbook for analysts who go on working in Excel: one row per measure with every unit's figure,
 * the city figure, the target and the verdict (sheet TongHop), every unit's stored figures (sheet SoLieuDonVi),
 * every unit's text by section of the report (sheet PhanVietDonVi), and every unit's structured items, one per row
 * (sheet NoiBatKhoKhanDeXuat: highlights, difficulties, proposals with their addressee, nominations for commendation).
 */
import fs from 'node:fs';
import ExcelJS from 'exceljs';
import type { Catalog, Measure } from '../catalog/types.ts';
import type { Unit } from '../catalog/workspace.ts';
import { consolidateGroup, type UnitValue } from '../scoring/consolidate.ts';
import { type IndicatorScore, type ScoreReport, type TargetResult } from '../scoring/types.ts';
import type { StoredValue } from '../store/store.ts';
import { nfc } from './format.ts';
import { THRESHOLD_COLUMN, indicatorNotes, roadmapColumn, targetWho, verdictsByKind } from '../scoring/format.ts';
import type { AppendixTextsModel, ItemRow } from './model/index.ts';

export const SUMMARY_SHEET = 'TongHop';
export const VALUES_SHEET = 'SoLieuDonVi';
export const TEXTS_SHEET = 'PhanVietDonVi';
export const ITEMS_SHEET = 'NoiBatKhoKhanDeXuat';
/** The columns of the sheet of items. */
export const ITEMS_HEAD = ['Mã đơn vị', 'Đơn vị', 'Mục báo cáo', 'Loại', 'Nhóm', 'Mô hình, hoạt động / Tập thể, cá nhân', 'Nội dung', 'Kiến nghị tới'] as const;
/** Excel holds at most 32,767 characters in a cell: a longer text goes on over the next rows. */
const CELL_TEXT_MAX = 32_000;
/** Columns before the units' columns in TongHop. */
export const SUMMARY_FIXED_HEAD = ['Tiêu chuẩn', 'Tiêu chí', 'Chỉ số', 'Nội dung', 'Số đo', 'Đơn vị tính', 'Đơn vị phụ trách'] as const;
/** After the units: the city figure, the targets, the verdicts against each kind of target side by side, the notes. */
export function summaryTailHead(year: number): string[] {
  return ['Thành phố', 'Chỉ tiêu', THRESHOLD_COLUMN, roadmapColumn(year), 'Đánh giá', 'Ghi chú'];
}

export interface XlsxInput {
  catalog: Catalog;
  roster: Unit[];
  score: ScoreReport;
  /** The year's accepted stored figures (raw text and normalised value), for the second sheet. */
  values: StoredValue[];
  /** The units' texts (the report's Phụ lục III, the issuing department's included), for the third sheet. */
  texts?: AppendixTextsModel;
}

/**
 * Cell styles as shared, never mutated objects: exceljs resolves a style object once (it remembers it), where a style
 * set property by property makes a new object, resolved again, for each of the 3,000 units' cells (a sixth of the
 * workbook's time, bench).
 */
const PLAIN_STYLE: Partial<ExcelJS.Style> = Object.freeze({}) as Partial<ExcelJS.Style>;
const TOP_WRAPPED: Partial<ExcelJS.Alignment> = Object.freeze({ wrapText: true, vertical: 'top' });
const TEXT_STYLE: Partial<ExcelJS.Style> = Object.freeze({ alignment: TOP_WRAPPED });
const COUNT_STYLE: Partial<ExcelJS.Style> = Object.freeze({ numFmt: '#,##0', alignment: TOP_WRAPPED });
/**
 * Commits a row once its own style and its cells' left without one (the empty cells of 3,000 unit columns, a value's
 * missing text) are the shared PLAIN_STYLE: each row and cell starts with a new empty object, which exceljs resolved
 * again each time (450,000 times a national workbook). An empty style is written the same (none) whichever object.
 */
function commitRow(row: ExcelJS.Row): void {
  const empty = (style: Partial<ExcelJS.Style>) => style !== PLAIN_STYLE && Object.keys(style).length === 0;
  // exceljs's typings leave out a row's own style, which every row has.
  const own = row as ExcelJS.Row & { style: Partial<ExcelJS.Style> };
  if (empty(own.style)) own.style = PLAIN_STYLE;
  row.eachCell({ includeEmpty: true }, (c) => { if (empty(c.style)) c.style = PLAIN_STYLE; });
  row.commit();
}
const numberStyles = new Map<string, Partial<ExcelJS.Style>>();
const numberStyle = (numFmt: string) => {
  let style = numberStyles.get(numFmt);
  if (!style) numberStyles.set(numFmt, style = Object.freeze({ numFmt }));
  return style;
};

/** A unit's own figure for a measure, by the same rule as the city's (a rate from its own counts). */
export function unitMeasureValue(m: Measure, values: Map<string, UnitValue>): number | null {
  return consolidateGroup(m, [values]).value;
}

function numberFormat(m: Measure): string {
  if (m.derive === 'rating') return '0.0';
  if (m.derive === 'ratio') return '0.00';
  if (m.unit === '%') return '0.0#';
  return '#,##0.##';
}

function targetText(i: IndicatorScore, measureId: string, year: number): string {
  const line = (t: TargetResult) => `${targetWho(t, year)}: ${t.text}`;
  return [...(i.roadmap?.targets ?? []), ...i.threshold.targets].filter((t) => t.measureId === measureId).map(line).join('; ');
}

/**
 * Written with exceljs's streaming writer: with thousands of units the second sheet has tens of thousands of rows,
 * which the in-memory workbook takes several times longer to write.
 */
export async function writeReportXlsx(input: XlsxInput, file: string): Promise<void> {
  const { score } = input;
  // The file's stream is ours: exceljs listens for its errors only once the workbook is committed, and a file that
  // cannot be opened (a missing folder, no space) failed before that, as an uncaught error.
  const stream = fs.createWriteStream(file);
  const failed = new Promise<never>((_, reject) => stream.once('error', reject));
  failed.catch(() => undefined);
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
  wb.creator = 'hoctap';
  wb.created = new Date(score.generatedAt);
  const unitCols = unitColumns(input);
  writeSummary(wb, input, unitCols);
  writeValues(wb, input, unitCols);
  if (input.texts) {
    writeTexts(wb, input.texts);
    writeItems(wb, input.texts.items);
  }
  await Promise.race([wb.commit(), failed]);
}

type Workbook = ExcelJS.stream.xlsx.WorkbookWriter;
interface UnitColumn { code: string; name: string }

/** Units as columns: the roster's order, then any unit that reported but is no longer in the roster. */
function unitColumns(input: XlsxInput): UnitColumn[] {
  const unitCols: UnitColumn[] = input.roster.map((u) => ({ code: u.code, name: u.name }));
  const known = new Set(unitCols.map((u) => u.code));
  for (const i of input.score.indicators) for (const u of i.units) if (!known.has(u.unitCode)) { known.add(u.unitCode); unitCols.push({ code: u.unitCode, name: u.unitName }); }
  return unitCols;
}

/** Sheet TongHop: one row per measure, every unit's figure, the city figure, the targets, the verdicts, the notes. */
function writeSummary(wb: Workbook, input: XlsxInput, unitCols: UnitColumn[]): void {
  const { score } = input;
  const head = [...SUMMARY_FIXED_HEAD, ...unitCols.map((u) => nfc(u.name)), ...summaryTailHead(score.year)];
  const rowCount = score.indicators.reduce((n, i) => n + i.measures.length, 0);
  const ws = wb.addWorksheet(SUMMARY_SHEET, { views: [{ state: 'frozen', xSplit: 4, ySplit: 1 }] });
  const wrap: Partial<ExcelJS.Alignment> = { wrapText: true, vertical: 'top' };
  ws.columns = [
    ...[22, 22, 11, 50, 36, 10, 24].map((width, k) => ({ width, style: [0, 1, 3, 4, 6].includes(k) ? { alignment: wrap } : {} })),
    ...unitCols.map(() => ({ width: 14 })),
    { width: 14 }, { width: 28, style: { alignment: wrap } }, { width: 14 }, { width: 16, style: { alignment: wrap } }, { width: 14 },
    { width: 50, style: { alignment: wrap } },
  ];
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: rowCount + 1, column: head.length } };
  const header = ws.addRow(head);
  header.font = { bold: true };
  header.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  header.height = 45;
  header.eachCell((c) => { c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E2F3' } }; c.border = { bottom: { style: 'thin' } }; });
  header.commit();
  const colOf = new Map(unitCols.map((u, k) => [u.code, k]));
  for (const ind of score.indicators) writeIndicatorRows(ws, input, ind, colOf, unitCols.length);
  ws.commit();
}

/** An indicator's rows of TongHop, one per measure; `colOf`: a unit's place among the `unitCount` units' columns. */
function writeIndicatorRows(ws: ExcelJS.Worksheet, input: XlsxInput, ind: IndicatorScore, colOf: Map<string, number>, unitCount: number): void {
  const { catalog, score } = input;
  const fixed = SUMMARY_FIXED_HEAD.length;
  const cityCol = fixed + unitCount + 1;
  const kinds = verdictsByKind(ind);
  const notes = indicatorNotes(ind, score.previousYear).map(nfc).join('\n');
  const std = catalog.standardById.get(ind.standardId);
  const crit = catalog.criterionById.get(ind.criterionId);
  const perUnit = unitValueMaps(ind);
  for (const ms of ind.measures) {
    const measure = catalog.measureById.get(ms.id);
    const unitValues: (number | null)[] = new Array(unitCount).fill(null);
    if (measure) {
      for (const u of perUnit) {
        const k = colOf.get(u.code);
        if (k !== undefined) unitValues[k] = unitMeasureValue(measure, u.map);
      }
    }
    const row = ws.addRow([
      `${ind.standardId}. ${std?.name ?? ''}`,
      `${ind.criterionId}. ${crit?.name ?? ''}`,
      ind.id,
      nfc(ind.text),
      nfc(ms.label),
      ms.unit,
      ind.agencies.map((a) => a.name).join('; '),
      ...unitValues,
      ms.value,
      targetText(ind, ms.id, score.year),
      ind.hasTarget === false ? '' : kinds.threshold,
      ind.hasTarget === false ? '' : kinds.roadmap,
      kinds.overall,
      notes || null,
    ]);
    if (measure) {
      const fmt = numberFormat(measure);
      // Only the cells that hold a figure: styling thousands of empty unit cells would bloat the file.
      const style = numberStyle(fmt);
      unitValues.forEach((v, k) => { if (v !== null) row.getCell(fixed + 1 + k).style = style; });
      row.getCell(cityCol).style = style;
    }
    if (ms.approximate) row.getCell(cityCol).note = 'Giá trị gần đúng: bình quân các tỷ lệ do đơn vị báo cáo (không đủ tử số, mẫu số).';
    commitRow(row);
  }
}

/** Each reporting unit's figures for an indicator, as the consolidation reads them. */
function unitValueMaps(ind: IndicatorScore): { code: string; map: Map<string, UnitValue> }[] {
  return ind.units.map((u) => {
    const map = new Map<string, UnitValue>();
    for (const [fid, v] of Object.entries(u.values)) {
      if (v === null) continue;
      map.set(fid, typeof v === 'number' ? { num: v, text: null } : { num: null, text: v });
    }
    return { code: u.unitCode, map };
  });
}

/** Sheet SoLieuDonVi: every stored figure, one row per unit and field: the long form filters and pivots well. */
function writeValues(wb: Workbook, input: XlsxInput, unitCols: UnitColumn[]): void {
  const { catalog } = input;
  const vs = wb.addWorksheet(VALUES_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  vs.columns = [12, 36, 11, 20, 50, 10, 14, 30, 20, 12].map((width) => ({ width }));
  vs.autoFilter = { from: { row: 1, column: 1 }, to: { row: input.values.length + 1, column: 10 } };
  const vh = vs.addRow(['Mã đơn vị', 'Đơn vị', 'Chỉ số', 'Mã ô', 'Nội dung ô', 'Đơn vị tính', 'Giá trị', 'Văn bản', 'Nguyên văn', 'Ô trong biểu mẫu']);
  vh.font = { bold: true };
  vh.commit();
  const nameOf = new Map(unitCols.map((u) => [u.code, u.name]));
  // Activity figures are no indicator's fields: their label and unit come from the narrative section asking them.
  const figureById = new Map(catalog.narratives.flatMap((n) => n.figures).map((g) => [g.id, g]));
  for (const v of sortedValues(input)) {
    const f = catalog.fieldById.get(v.fieldId) ?? figureById.get(v.fieldId);
    const row = vs.addRow([
      v.unitCode, nfc(nameOf.get(v.unitCode) ?? v.unitCode), v.indicatorId, v.fieldId, nfc(f?.label ?? ''), f?.unit ?? '',
      v.num, v.text === null ? null : nfc(v.text), v.raw === null ? null : nfc(v.raw), v.cell,
    ]);
    // One shared (never mutated) style object: exceljs then resolves the style once instead of once per cell.
    row.eachCell((c) => { c.style = PLAIN_STYLE; });
    commitRow(row);
  }
  vs.commit();
}

/** The stored figures by unit (the roster's order, then by code) and by field (the catalog's order, then by id). */
function sortedValues(input: XlsxInput): StoredValue[] {
  const rosterOrder = new Map(input.roster.map((u, k) => [u.code, k]));
  const fieldOrder = new Map<string, number>();
  input.catalog.indicators.forEach((i) => i.fields.forEach((f) => fieldOrder.set(f.id, fieldOrder.size)));
  return [...input.values].sort((a, b) =>
    (rosterOrder.get(a.unitCode) ?? 1e9) - (rosterOrder.get(b.unitCode) ?? 1e9) || a.unitCode.localeCompare(b.unitCode) ||
    (fieldOrder.get(a.fieldId) ?? 1e9) - (fieldOrder.get(b.fieldId) ?? 1e9) || a.fieldId.localeCompare(b.fieldId));
}

/**
 * Every unit's text by section, with the section's activity figures in their own numeric columns (one per figure of
 * the catalog, filled on the unit's row of the section they belong to): they sum and filter as the report's figures.
 */
function writeTexts(wb: Workbook, texts: AppendixTextsModel): void {
  const ts = wb.addWorksheet(TEXTS_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  const figures = texts.figureColumns;
  ts.columns = [
    { width: 42 }, { width: 36 }, { width: 110, style: TEXT_STYLE },
    ...figures.map(() => ({ width: 18, style: COUNT_STYLE })),
  ];
  const textOf = (e: AppendixTextsModel['sections'][number]['entries'][number]) => e.paragraphs.map((p) => p.lines.join('\n')).join('\n\n');
  const rows = texts.sections.reduce((n, s) => n + s.entries.reduce((k, e) => k + Math.max(1, Math.ceil(textOf(e).length / CELL_TEXT_MAX)), 0), 0);
  ts.autoFilter = { from: { row: 1, column: 1 }, to: { row: rows + 1, column: 3 + figures.length } };
  const head = ts.addRow(['Mục báo cáo', 'Đơn vị', 'Nội dung', ...figures.map((f) => f.label)]);
  head.font = { bold: true };
  head.alignment = { wrapText: true, vertical: 'top' };
  head.commit();
  for (const s of texts.sections) {
    for (const e of s.entries) {
      const text = textOf(e);
      const own = new Map(e.figures.map((f) => [f.id, f.value]));
      for (let at = 0; at < text.length || at === 0; at += CELL_TEXT_MAX) {
        const row = ts.addRow([
          s.title, at ? `${e.unitName} (tiếp)` : e.unitName, text.slice(at, at + CELL_TEXT_MAX),
          ...figures.map((f) => (at ? null : own.get(f.id) ?? null)),
        ]);
        row.eachCell({ includeEmpty: true }, (c, k) => { c.style = k > 3 ? COUNT_STYLE : TEXT_STYLE; });
        commitRow(row);
      }
    }
  }
  ts.commit();
}

/** Sheet NoiBatKhoKhanDeXuat: every unit's structured items, a row each ("Không có" too: what the unit answered). */
function writeItems(wb: Workbook, items: ItemRow[]): void {
  const sheet = wb.addWorksheet(ITEMS_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = [12, 36, 40, 24, 18, 40, 70, 30].map((width) => ({ width, style: TEXT_STYLE }));
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: items.length + 1, column: ITEMS_HEAD.length } };
  const head = sheet.addRow([...ITEMS_HEAD]);
  head.font = { bold: true };
  head.commit();
  for (const r of items) {
    const row = sheet.addRow([r.unitCode, r.unitName, r.section, r.kind, r.category, r.name, r.text, r.addressee].map((v) => nfc(v)));
    row.eachCell({ includeEmpty: true }, (c) => { c.style = TEXT_STYLE; });
    commitRow(row);
  }
  sheet.commit();
}
