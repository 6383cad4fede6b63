import fs from 'node:fs';
import path from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import ExcelJS from 'exceljs';
import { describeTarget, laterMilestoneNote, targetLabel, targetsInForce } from '../catalog/targets.ts';
import { RATING_LABELS, type Field, type FieldKind, type Indicator } from '../catalog/types.ts';
import { adminDateWords, vietnamDay } from '../dates.ts';
import { deadlineFor, findUnit, indicatorsForUnit, type Profile, type Unit, type Workspace } from '../catalog/workspace.ts';
import { UserError } from '../errors.ts';
import { acceptedValuesOfUnit, type StoredValue } from '../store/queries.ts';
import {
  CONTACT_FIELDS, CONTACT_KIND, META_SHEET, NARRATIVE_KIND, NARRATIVE_PLACEHOLDER, SHEETS, TEMPLATE_VERSION, narrativeFieldId,
  writeMeta, type MetaEntry, type MetaKey,
} from '../xlsx/meta.ts';
import { columnLetters } from '../xlsx/a1.ts';
import { workbookBytes } from './xlsx-write.ts';

/** The labels of the list cells: ingest reads them back, so they are part of the template's wording contract. */
export const DIRECTION_OPTIONS = ['Tăng', 'Giảm'] as const;
export const RATING_OPTIONS = [5, 4, 3, 2, 1].map((n) => `${n} - ${RATING_LABELS[n]}`);

/** Number formats of the input cells. Percentages are typed as 95.5 (meaning 95.5 %), never with Excel's % format. */
export const NUMBER_FORMATS: Record<FieldKind, string> = {
  percent: '0.0##',
  count: '#,##0',
  number: '#,##0.###',
  direction: '@',
  rating: '@',
  text: '@',
};

/** The indicators a unit reports: those assigned to its agency, in catalog order. */
/** ASCII, file-system-safe and still readable: "Ủy ban nhân dân Quận 1" → "Uy-ban-nhan-dan-Quan-1". */
export function asciiSlug(text: string, maxLength = 60): string {
  const slug = text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug.slice(0, maxLength).replace(/-+$/, '');
}

/** "2024_Q1_Uy-ban-nhan-dan-Quan-1.xlsx": the year first so that a folder of several years sorts well. */
export function templateFileName(unit: Unit, year: number): string {
  const slug = asciiSlug(unit.name);
  return `${year}_${unit.code}${slug ? `_${slug}` : ''}.xlsx`;
}

/** "ngày 10 tháng 12 năm 2024", as administrative documents write dates (day on two digits, months 1–2 too). */
export function formatDateVi(d: Date): string {
  return adminDateWords(vietnamDay(d));
}

/**
 * Target texts already written, per indicator (of a loaded catalog) and year: every template of a year repeats them,
 * and number formatting in Vietnamese (toLocaleString) is slow enough to show in the profile of 3,000 templates.
 */
const targetTextCache = new WeakMap<Indicator, Map<number, string>>();

/** The target text of an indicator for a year: the year's roadmap target and the criterion threshold. */
export function targetTextForYear(_ws: Workspace, ind: Indicator, year: number): string {
  let byYear = targetTextCache.get(ind);
  if (!byYear) targetTextCache.set(ind, (byYear = new Map()));
  let text = byYear.get(year);
  if (text === undefined) byYear.set(year, (text = buildTargetText(ind, year)));
  return text;
}

function buildTargetText(ind: Indicator, year: number): string {
  const inForce = targetsInForce(ind, year);
  const lines: string[] = [];
  for (const m of ind.measures) {
    const roadmap = inForce.roadmap.filter((t) => t.measureId === m.id);
    const threshold = inForce.threshold.filter((t) => t.measureId === m.id);
    // A later milestone stands in for a year without a target of its own: name it, as the score and the report do.
    const yearLabel = inForce.ownYear ? `Năm ${year}` : `Năm ${year} (theo ${laterMilestoneNote(inForce.milestoneYear!)})`;
    const parts = [
      ...roadmap.map((t) => `${yearLabel}: ${describeTarget(t, m.unit)}`),
      ...threshold.map((t) => (roadmap.length ? `${targetLabel(t)}: ${describeTarget(t, m.unit)}` : describeTarget(t, m.unit))),
    ];
    if (!parts.length) {
      if (!ind.targets.some((t) => t.measureId === m.id)) continue;
      parts.push(`Năm ${year}: không có chỉ tiêu`);
    }
    lines.push((ind.measures.filter((x) => ind.targets.some((t) => t.measureId === x.id)).length > 1 ? `${m.label}: ` : '') + parts.join(' · '));
  }
  return lines.join('\n') || 'Theo dõi, không có chỉ tiêu';
}

// ---------------------------------------------------------------------------------------------------------------
// Styles. Shared objects: exceljs keeps one style per cell, building them once avoids per-cell allocation.

const FONT = 'Times New Roman';
const INPUT_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF2CC' } };
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };
const AREA_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEDEDED' } };
const REF_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };
const THIN: Partial<ExcelJS.Border> = { style: 'thin', color: { argb: 'FF808080' } };
const BORDER: Partial<ExcelJS.Borders> = { top: THIN, left: THIN, bottom: THIN, right: THIN };
const font = (extra: Partial<ExcelJS.Font> = {}): Partial<ExcelJS.Font> => ({ name: FONT, size: 11, ...extra });
const WRAP_TOP: Partial<ExcelJS.Alignment> = { wrapText: true, vertical: 'top' };

const STYLE = {
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
const INPUT_STYLE: Record<FieldKind, Partial<ExcelJS.Style>> = {
  percent: inputStyle(NUMBER_FORMATS.percent, 'right'),
  count: inputStyle(NUMBER_FORMATS.count, 'right'),
  number: inputStyle(NUMBER_FORMATS.number, 'right'),
  direction: inputStyle(NUMBER_FORMATS.direction, 'center'),
  rating: inputStyle(NUMBER_FORMATS.rating, 'center'),
  text: inputStyle(NUMBER_FORMATS.text),
};
const refStyle = (numFmt: string): Partial<ExcelJS.Style> => ({
  font: font({ color: { argb: 'FF595959' } }), fill: REF_FILL, border: BORDER, numFmt, alignment: { horizontal: 'right', vertical: 'top', wrapText: true },
});

// ---------------------------------------------------------------------------------------------------------------
// Validations: every input cell has one, with a Vietnamese prompt and error (Excel limits: title 32, text 255).

function quoteList(values: readonly string[]): string {
  const f = `"${values.join(',')}"`;
  if (f.length > 255) throw new Error(`inline list too long for Excel: ${f}`);
  return f;
}

const validation = (v: Omit<ExcelJS.DataValidation, 'allowBlank' | 'showInputMessage' | 'showErrorMessage' | 'errorStyle'>): ExcelJS.DataValidation => ({
  allowBlank: true, showInputMessage: true, showErrorMessage: true, errorStyle: 'stop', ...v,
});

const VALIDATIONS: Record<FieldKind, ExcelJS.DataValidation> = {
  percent: validation({
    type: 'decimal', operator: 'between', formulae: [0, 100],
    promptTitle: 'Tỷ lệ phần trăm', prompt: 'Gõ một số từ 0 đến 100, ví dụ 95,5 nghĩa là 95,5%. Không gõ dấu %.',
    errorTitle: 'Tỷ lệ không hợp lệ', error: 'Tỷ lệ phải là một số từ 0 đến 100 (ví dụ 95,5), không kèm dấu % hay chữ.',
  }),
  count: validation({
    type: 'whole', operator: 'greaterThanOrEqual', formulae: [0],
    promptTitle: 'Số lượng', prompt: 'Gõ một số nguyên không âm, ví dụ 1250.',
    errorTitle: 'Số lượng không hợp lệ', error: 'Số lượng phải là số nguyên từ 0 trở lên, không kèm chữ hay đơn vị.',
  }),
  number: validation({
    type: 'decimal', operator: 'greaterThanOrEqual', formulae: [0],
    promptTitle: 'Số liệu', prompt: 'Gõ một số không âm (có thể có phần thập phân), đúng đơn vị tính ở cột bên trái.',
    errorTitle: 'Số liệu không hợp lệ', error: 'Số liệu phải là một số từ 0 trở lên, không kèm chữ hay đơn vị.',
  }),
  direction: validation({
    type: 'list', formulae: [quoteList(DIRECTION_OPTIONS)],
    promptTitle: 'Tăng hay giảm', prompt: 'Chọn "Tăng" hoặc "Giảm" so với năm trước trong danh sách.',
    errorTitle: 'Giá trị không hợp lệ', error: 'Chỉ chọn "Tăng" hoặc "Giảm" trong danh sách.',
  }),
  rating: validation({
    type: 'list', formulae: [quoteList(RATING_OPTIONS)],
    promptTitle: 'Mức đánh giá', prompt: 'Chọn một mức trong danh sách: 5 - Xuất sắc, 4 - Rất tốt, 3 - Tốt, 2 - Khá, 1 - Yếu.',
    errorTitle: 'Mức đánh giá không hợp lệ', error: 'Chỉ chọn một trong năm mức của danh sách (5 - Xuất sắc … 1 - Yếu).',
  }),
  text: validation({
    type: 'textLength', operator: 'lessThanOrEqual', formulae: [2000],
    promptTitle: 'Minh chứng / ghi chú', prompt: 'Ghi văn bản, nguồn số liệu hoặc đường dẫn minh chứng; nếu để trống số liệu, ghi lý do.',
    errorTitle: 'Nội dung quá dài', error: 'Ô này nhận tối đa 2000 ký tự: ghi ngắn gọn, đính kèm tài liệu khi gửi.',
  }),
};

const NARRATIVE_VALIDATION = validation({
  type: 'textLength', operator: 'lessThanOrEqual', formulae: [32000],
  promptTitle: 'Nội dung báo cáo', prompt: 'Xóa dòng hướng dẫn có sẵn rồi ghi nội dung. Xuống dòng trong ô: Alt+Enter (Excel) hoặc Ctrl+Enter (LibreOffice).',
  errorTitle: 'Nội dung quá dài', error: 'Một ô nhận tối đa 32000 ký tự: hãy rút gọn hoặc gửi kèm văn bản.',
});
const CONTACT_VALIDATION = validation({
  type: 'textLength', operator: 'lessThanOrEqual', formulae: [255],
  promptTitle: 'Thông tin liên hệ', prompt: 'Ghi thông tin của người lập biểu để Sở liên hệ khi cần.',
  errorTitle: 'Nội dung quá dài', error: 'Ô này nhận tối đa 255 ký tự.',
});

const PROTECT_OPTIONS: Partial<ExcelJS.WorksheetProtection> = {
  // No password: protection only guards against accidental edits (README says so). A spin count of 1 keeps it cheap.
  spinCount: 1, selectLockedCells: true, selectUnlockedCells: true, formatColumns: true, formatRows: true,
};

const PAGE_SETUP: Partial<ExcelJS.PageSetup> = {
  paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0,
  margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.5, header: 0.3, footer: 0.3 },
};

/** Row height (points) that shows wrapped text whole: Excel does not fit heights when it opens a file. */
function linesNeeded(text: string, width: number): number {
  let lines = 0;
  for (const part of String(text).split('\n')) lines += Math.max(1, Math.ceil(part.length / Math.max(width - 2, 1)));
  return lines;
}
const LINE_HEIGHT = 15;

interface Sized { cell: ExcelJS.Cell; rows: number; text: string; width: number }

/** Sets row heights so that every (possibly merged) cell's text fits, spreading a merged cell's need over its rows. */
function fitRowHeights(sheet: ExcelJS.Worksheet, sized: Sized[], minHeight = LINE_HEIGHT + 3): void {
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

// ---------------------------------------------------------------------------------------------------------------

export interface BuildOptions { db?: DatabaseSync; generatedAt?: Date }

/** Builds the workbook of one unit and year (instructions, indicators, narrative, `_meta`). */
export async function buildTemplateWorkbook(ws: Workspace, unit: Unit, year: number, opts: BuildOptions = {}): Promise<ExcelJS.Workbook> {
  const indicators = indicatorsForUnit(ws, unit);
  const previous = opts.db ? previousValues(acceptedValuesOfUnit(opts.db, unit.code, year - 1), ws) : new Map<string, string | number>();
  const generatedAt = opts.generatedAt ?? new Date();

  const wb = new ExcelJS.Workbook();
  // Fixed document dates: two runs for the same year give the same file content except `generated_at`.
  const fixed = new Date(Date.UTC(year, 0, 1));
  wb.creator = 'hoctap';
  wb.lastModifiedBy = 'hoctap';
  wb.created = fixed;
  wb.modified = fixed;
  wb.title = `Biểu mẫu báo cáo thành phố học tập năm ${year} - ${unit.name}`;
  wb.subject = unit.code;
  wb.views = [{ x: 0, y: 0, width: 20000, height: 12000, firstSheet: 0, activeTab: 0, visibility: 'visible' }];

  const entries: MetaEntry[] = [];
  const instructions = wb.addWorksheet(SHEETS.instructions, { properties: { tabColor: { argb: 'FF4472C4' } } });
  const indicatorSheet = wb.addWorksheet(SHEETS.indicators, { properties: { tabColor: { argb: 'FFFFC000' } } });
  const narrativeSheet = wb.addWorksheet(SHEETS.narrative, { properties: { tabColor: { argb: 'FF70AD47' } } });
  const metaSheet = wb.addWorksheet(META_SHEET, { state: 'veryHidden' });

  writeInstructions(instructions, ws, unit, year, indicators.length);
  writeIndicators(indicatorSheet, ws, unit, year, indicators, previous, entries);
  writeNarrative(narrativeSheet, ws, unit, year, entries);

  const keys: Record<MetaKey, string> = {
    template_version: TEMPLATE_VERSION,
    catalog_version: ws.catalog.version,
    profile: ws.profile.id,
    year: String(year),
    unit_code: unit.code,
    unit_name: unit.name,
    agency_code: unit.agencyCode,
    generated_at: generatedAt.toISOString(),
  };
  writeMeta(metaSheet, keys, entries);

  for (const sheet of [instructions, indicatorSheet, narrativeSheet, metaSheet]) await sheet.protect('', { ...PROTECT_OPTIONS });
  return wb;
}

/** The unit's accepted figures of the previous year, by field id, as they are shown in the reference column. */
function previousValues(rows: StoredValue[], ws: Workspace): Map<string, string | number> {
  const out = new Map<string, string | number>();
  for (const r of rows) {
    const field = ws.catalog.fieldById.get(r.field_id);
    if (!field || field.kind === 'text') continue;
    if (field.kind === 'rating') {
      const n = r.value_num;
      if (n !== null && RATING_LABELS[n]) out.set(r.field_id, `${n} - ${RATING_LABELS[n]}`);
      else if (r.value_text ?? r.raw) out.set(r.field_id, (r.value_text ?? r.raw)!);
    } else if (field.kind === 'direction') {
      const t = r.value_text ?? r.raw;
      if (t) out.set(r.field_id, t);
    } else if (r.value_num !== null) {
      out.set(r.field_id, r.value_num);
    } else if (r.raw) {
      out.set(r.field_id, r.raw);
    }
  }
  return out;
}

function writeInstructions(sheet: ExcelJS.Worksheet, ws: Workspace, unit: Unit, year: number, indicatorCount: number): void {
  const p = ws.profile;
  sheet.columns = [{ width: 26 }, { width: 100 }];
  const deadline = formatDateVi(deadlineFor(p, year));
  const sendTo = sendToText(p);
  const file = templateFileName(unit, year);
  const sized: Sized[] = [];

  sheet.mergeCells('A1:B1');
  Object.assign(sheet.getCell('A1'), { value: `BIỂU MẪU BÁO CÁO KẾT QUẢ XÂY DỰNG THÀNH PHỐ HỌC TẬP NĂM ${year}`, style: STYLE.title });
  sheet.getRow(1).height = 36;
  sheet.mergeCells('A2:B2');
  Object.assign(sheet.getCell('A2'), { value: `${p.city} · ${p.issuingBody} · mẫu phiên bản ${TEMPLATE_VERSION}, danh mục ${ws.catalog.version}`, style: STYLE.subtitle });

  const rows: [string, string][] = [
    ['Đơn vị báo cáo', `${unit.name} (mã ${unit.code})`],
    ['Người điền', `Cán bộ đầu mối được lãnh đạo ${unit.name} giao tổng hợp số liệu năm ${year}; lãnh đạo đơn vị kiểm tra trước khi gửi. Chỉ điền số liệu của chính đơn vị mình.`],
    ['Hạn gửi', `Chậm nhất ${deadline}.`],
    ['Gửi về', sendTo],
    ['Nội dung cần điền', `${indicatorCount} chỉ số ở trang "${SHEETS.indicators}" và ${ws.catalog.narratives.length} mục nội dung cùng thông tin người lập biểu ở trang "${SHEETS.narrative}".`],
    ['Ô cần nhập', 'Các ô nền vàng (như ô bên trái). Mọi ô khác đã được khóa để tránh sửa nhầm.'],
  ];
  const steps: [string, string][] = [
    ['1. Trang ChiSo', `Mỗi dòng là một số liệu. Ghi số liệu năm ${year} vào cột "Số liệu năm ${year}". Cột "Chỉ tiêu năm ${year}" là mức đơn vị cần đạt. Cột "Năm ${year - 1} (đã báo cáo)" là số liệu đơn vị đã gửi năm trước (nếu có), chỉ để tham khảo. Ghi nguồn, văn bản hoặc đường dẫn minh chứng ở cột "Minh chứng / ghi chú".`],
    ['2. Cách gõ số', 'Chỉ gõ số, không gõ chữ, đơn vị hay dấu %. Tỷ lệ phần trăm gõ 95,5 (nghĩa là 95,5%), không gõ 0,955 hay 95,5%. Dấu phẩy thập phân (95,5) hay dấu chấm (95.5) đều được, theo cài đặt của máy. Số người, số hộ, số trẻ… là số nguyên, không âm. Ô "Tăng / Giảm" và ô mức đánh giá: chọn trong danh sách thả xuống. Chưa có số liệu thì để trống và ghi lý do ở cột "Minh chứng / ghi chú".'],
    ['3. Trang BaoCao', 'Ghi nội dung từng mục báo cáo vào ô nền vàng bên phải (xóa dòng hướng dẫn có sẵn trong ô); xuống dòng trong ô bằng Alt+Enter (Excel) hoặc Ctrl+Enter (LibreOffice). Ghi họ tên, chức vụ, điện thoại, email của người lập biểu.'],
    ['4. Không được thay đổi', 'Không đổi tên, thêm, xóa hay sắp xếp lại các trang, dòng, cột; không sửa ô ngoài các ô nền vàng; không dán đè lên nhiều ô một lúc (dán làm mất kiểm tra dữ liệu; nếu cần, dán giá trị bằng Ctrl+Shift+V). Các trang được khóa không mật khẩu chỉ để tránh sửa nhầm: không gỡ khóa. Tệp có một trang ẩn để máy đọc số liệu tự động: không xóa, không sửa. Không dùng biểu mẫu của đơn vị khác hay của năm khác.'],
    ['5. Lưu và gửi', `Lưu ở định dạng Excel (.xlsx) bằng Excel, LibreOffice hoặc WPS, giữ nguyên tên tệp "${file}". Gửi về ${sendTo} chậm nhất ${deadline}. Gửi lại bản sửa: gửi cả tệp, ghi rõ "bản thay thế".`],
  ];

  let r = 4;
  for (const [label, text] of rows) {
    Object.assign(sheet.getCell(r, 1), { value: label, style: STYLE.plainBold });
    Object.assign(sheet.getCell(r, 2), { value: text, style: STYLE.plain });
    sized.push({ cell: sheet.getCell(r, 2), rows: 1, text, width: 100 });
    r++;
  }
  // The legend cell is shaded like an input but stays locked: it only shows the colour.
  sheet.getCell(r - 1, 1).fill = INPUT_FILL;
  r++;
  sheet.mergeCells(r, 1, r, 2);
  Object.assign(sheet.getCell(r, 1), { value: 'CÁCH ĐIỀN BIỂU MẪU', style: STYLE.band });
  r++;
  for (const [label, text] of steps) {
    Object.assign(sheet.getCell(r, 1), { value: label, style: STYLE.plainBold });
    Object.assign(sheet.getCell(r, 2), { value: text, style: STYLE.plain });
    sized.push({ cell: sheet.getCell(r, 2), rows: 1, text, width: 100 });
    r++;
  }
  fitRowHeights(sheet, sized);
  sheet.pageSetup = { ...PAGE_SETUP, orientation: 'portrait' };
  sheet.views = [{ showGridLines: false }];
}

function sendToText(p: Profile): string {
  return p.submitEmail ? `${p.submitTo}, email ${p.submitEmail}` : p.submitTo;
}

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
] as const;
const COL = Object.fromEntries(IND_COLUMNS.map((c, i) => [c.key, i + 1])) as Record<(typeof IND_COLUMNS)[number]['key'], number>;
const LAST_COL = IND_COLUMNS.length;
export const INDICATOR_HEADER_ROW = 3;

function writeIndicators(
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
    value: `Đơn vị báo cáo: ${unit.name} (mã ${unit.code}) · Hạn gửi: ${formatDateVi(deadlineFor(ws.profile, year))} · Chỉ nhập vào các ô nền vàng`,
    style: STYLE.subtitle,
  });
  sheet.getRow(2).height = 20;

  const head = ['Tiêu chuẩn', 'Tiêu chí', 'Chỉ số', `Chỉ tiêu năm ${year}`, 'Nội dung số liệu', 'Đơn vị tính',
    `Số liệu năm ${year}`, `Năm ${year - 1} (đã báo cáo)`, 'Minh chứng / ghi chú'];
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
    if (rows > 1) {
      sheet.mergeCells(first, COL.indicator, r - 1, COL.indicator);
      sheet.mergeCells(first, COL.target, r - 1, COL.target);
      sheet.mergeCells(first, COL.evidence, r - 1, COL.evidence);
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

export const NARRATIVE_HEADER_ROW = 3;

function writeNarrative(sheet: ExcelJS.Worksheet, ws: Workspace, unit: Unit, year: number, entries: MetaEntry[]): void {
  sheet.columns = [{ width: 42 }, { width: 100 }];
  const sized: Sized[] = [];
  sheet.mergeCells('A1:B1');
  Object.assign(sheet.getCell('A1'), { value: `BÁO CÁO KẾT QUẢ THỰC HIỆN NĂM ${year} - ${unit.name.toUpperCase()}`, style: STYLE.title });
  sheet.getRow(1).height = 36;
  sheet.mergeCells('A2:B2');
  Object.assign(sheet.getCell('A2'), {
    value: 'Ghi nội dung vào các ô nền vàng bên phải, ngắn gọn, có số liệu minh họa. Mục nào không có nội dung thì ghi "Không có".',
    style: STYLE.subtitle,
  });
  sheet.getRow(2).height = 20;
  const header = sheet.getRow(NARRATIVE_HEADER_ROW);
  Object.assign(header.getCell(1), { value: 'Mục báo cáo', style: STYLE.header });
  Object.assign(header.getCell(2), { value: 'Nội dung của đơn vị', style: STYLE.header });
  header.height = 22;

  let r = NARRATIVE_HEADER_ROW + 1;
  for (const s of ws.catalog.narratives) {
    const title = s.title.replace(/năm sau/i, `năm ${year + 1}`);
    const text = `${s.reportSection}. ${title}${s.prompt ? `\n(${s.prompt})` : ''}`;
    const label = sheet.getCell(r, 1);
    label.value = { richText: [{ text: `${s.reportSection}. ${title}`, font: font({ bold: true }) }, ...(s.prompt ? [{ text: `\n(${s.prompt})`, font: font({ italic: true, color: { argb: 'FF595959' } }) }] : [])] };
    label.style = STYLE.text;
    sized.push({ cell: label, rows: 1, text, width: 42 });
    const input = sheet.getCell(r, 2);
    input.style = INPUT_STYLE.text;
    input.value = NARRATIVE_PLACEHOLDER;
    input.dataValidation = NARRATIVE_VALIDATION;
    entries.push({ fieldId: narrativeFieldId(s.id), indicatorId: '', kind: NARRATIVE_KIND, sheet: SHEETS.narrative, cell: input.address });
    // Room to write: a narrative cell starts tall enough for a few paragraphs.
    sized.push({ cell: input, rows: 1, text: '\n'.repeat(7), width: 100 });
    r++;
  }
  r++;
  sheet.mergeCells(r, 1, r, 2);
  Object.assign(sheet.getCell(r, 1), { value: 'THÔNG TIN NGƯỜI LẬP BIỂU', style: STYLE.band });
  sheet.getRow(r).height = 20;
  r++;
  for (const cf of CONTACT_FIELDS) {
    Object.assign(sheet.getCell(r, 1), { value: cf.label, style: STYLE.bold });
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

// ---------------------------------------------------------------------------------------------------------------

export interface GenerateOptions {
  year: number;
  outDir: string;
  agencies?: string[];
  units?: string[];
  force?: boolean;
  db?: DatabaseSync;
  /** One instant for the whole run (written as `generated_at`). */
  generatedAt?: Date;
  onProgress?: (done: number, total: number, unit: Unit) => void;
}

export interface GeneratedTemplate { unit: Unit; file: string; indicators: number; skipped: boolean }

/**
 * The units chosen by --agency and --unit (either matches; codes are case-insensitive), in roster order.
 * Unknown codes are a UserError listing the valid ones.
 */
export function selectUnits(ws: Workspace, agencies: string[] = [], units: string[] = []): Unit[] {
  const agencyCodes = ws.catalog.agencies.map((a) => a.code);
  const unitCodes = ws.roster.map((u) => u.code);
  const find = (code: string, valid: string[]) => valid.find((v) => v.toUpperCase() === code.trim().toUpperCase());
  const wantedAgencies = new Set<string>();
  for (const a of agencies) {
    const code = find(a, agencyCodes);
    if (!code) throw new UserError(`Không có cơ quan mã "${a}". Các mã: ${agencyCodes.join(', ')}.`);
    if (!ws.roster.some((u) => u.agencyCode === code)) {
      throw new UserError(`Danh sách đơn vị (${ws.sources.roster}) không có đơn vị nào thuộc cơ quan ${code}.`);
    }
    wantedAgencies.add(code);
  }
  const wantedUnits = new Set<string>();
  for (const u of units) {
    const code = findUnit(ws, u)?.code;
    if (!code) throw new UserError(`Không có đơn vị mã "${u}" trong danh sách đơn vị. Các mã: ${unitCodes.join(', ')}.`);
    wantedUnits.add(code);
  }
  if (!wantedAgencies.size && !wantedUnits.size) return [...ws.roster];
  return ws.roster.filter((u) => wantedAgencies.has(u.agencyCode) || wantedUnits.has(u.code));
}

/** Writes one workbook per chosen unit; an existing file is kept (skipped) unless `force`. */
export async function generateTemplates(ws: Workspace, opts: GenerateOptions): Promise<GeneratedTemplate[]> {
  const units = selectUnits(ws, opts.agencies, opts.units);
  try {
    fs.mkdirSync(opts.outDir, { recursive: true });
  } catch (e) {
    throw new UserError(`Không tạo được thư mục ${opts.outDir}: ${(e as Error).message}`);
  }
  const generatedAt = opts.generatedAt ?? new Date();
  const results: GeneratedTemplate[] = [];
  for (const unit of units) {
    const file = path.join(opts.outDir, templateFileName(unit, opts.year));
    const indicators = indicatorsForUnit(ws, unit).length;
    if (fs.existsSync(file) && !opts.force) {
      results.push({ unit, file, indicators, skipped: true });
    } else {
      const wb = await buildTemplateWorkbook(ws, unit, opts.year, { db: opts.db, generatedAt });
      const buffer = await workbookBytes(wb);
      // Write then rename: an interrupted run never leaves a half-written file that a later run would skip.
      const tmp = `${file}.${process.pid}.tmp`;
      try {
        fs.writeFileSync(tmp, buffer);
        fs.renameSync(tmp, file);
      } catch (e) {
        fs.rmSync(tmp, { force: true });
        throw new UserError(`Không ghi được tệp ${file}: ${(e as Error).message} (tệp có đang mở trong Excel?)`);
      }
      results.push({ unit, file, indicators, skipped: false });
    }
    opts.onProgress?.(results.length, units.length, unit);
  }
  return results;
}
