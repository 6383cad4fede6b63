/**
 * The `_meta` sheet: the public contract between a generated template and whoever reads or fills it
 * (hoctap ingest, or another program). Documented in docs/templates.md; change only by raising TEMPLATE_VERSION.
 * Its writer (writeMeta, used by generate-templates) and its reader (parseMeta, used by ingest) live here together.
 *
 * Layout of the veryHidden sheet `_meta`:
 *   rows 1..n   key | value          (META_KEYS, in this order)
 *   one empty row
 *   header row  field_id | indicator_id | kind | sheet | cell
 *   one row per input cell (cell in A1 notation, sheet by name)
 * and, beside the keys, G1 = "signature", H1 = its value (optional: see signature.ts; other programs may ignore it).
 */
import type ExcelJS from 'exceljs';
import { z } from 'zod';
import { CONTACT_KIND, EXPLANATION_KIND, ITEM_KIND, NARRATIVE_KIND } from '../catalog/ids.ts';
import { FIELD_KINDS } from '../catalog/types.ts';
import { cellString, type SheetView } from './view.ts';

export const META_SHEET = '_meta';
export const TEMPLATE_VERSION = '3';
/**
 * Versions this reader still reads: version 3 added the structured items (kind `item`), computed cells (a rate from its
 * counts, an input repeated from another) and nothing that changes how a version-2 map is read.
 */
export const READABLE_TEMPLATE_VERSIONS: readonly string[] = ['2', TEMPLATE_VERSION];

export const META_KEYS = [
  'template_version', 'catalog_version', 'profile', 'year', 'unit_code', 'unit_name', 'agency_code', 'generated_at',
] as const;
export type MetaKey = (typeof META_KEYS)[number];

export const META_TABLE_HEADER = ['field_id', 'indicator_id', 'kind', 'sheet', 'cell'] as const;

/** Sheet names: ASCII, no spaces (they are referenced by formulas and other programs). */
export const SHEETS = {
  instructions: 'HuongDan',
  indicators: 'ChiSo',
  narrative: 'BaoCao',
} as const;

/** Input cells that are not indicator fields: their kind in `_meta` and their field ids (built in src/catalog/ids.ts). */
export { CONTACT_FIELDS, CONTACT_KIND, EXPLANATION_KIND, ITEM_KIND, NARRATIVE_KIND, explanationFieldId, itemFieldId, narrativeFieldId } from '../catalog/ids.ts';

/** The text a narrative cell holds until the unit writes its own (ingest warns when it is left). */
export const NARRATIVE_PLACEHOLDER = 'Đơn vị ghi nội dung vào ô này (xóa dòng hướng dẫn này).';

/** Every kind an input of `_meta` may have: a catalog field kind, or one of the inputs that are not fields. */
export const META_KINDS = [...FIELD_KINDS, NARRATIVE_KIND, CONTACT_KIND, EXPLANATION_KIND, ITEM_KIND] as const;

const FIELD_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const CELL = /^[A-Z]{1,3}[1-9]\d{0,6}$/;

const entrySchema = z.object({
  fieldId: z.string().regex(FIELD_ID, { error: 'mã ô không hợp lệ' }),
  indicatorId: z.string(),
  kind: z.enum(META_KINDS, { error: 'loại ô không hợp lệ' }),
  sheet: z.string().min(1, { error: 'thiếu tên trang' }),
  cell: z.string().regex(CELL, { error: 'địa chỉ ô không hợp lệ' }),
});

const keysSchema = z.object({
  template_version: z.string().min(1),
  catalog_version: z.string().min(1, { error: 'thiếu phiên bản danh mục' }),
  profile: z.string(),
  year: z.string().regex(/^\d{4}$/, { error: 'năm không hợp lệ' }),
  unit_code: z.string().min(1, { error: 'thiếu mã đơn vị' }),
  unit_name: z.string(),
  agency_code: z.string().min(1, { error: 'thiếu mã cơ quan' }),
  generated_at: z.string(),
});

/** One input cell of the map. */
export type MetaEntry = z.infer<typeof entrySchema>;
export type MetaKind = MetaEntry['kind'];

const KIND_SET: ReadonlySet<string> = new Set(META_KINDS);

/**
 * Whether a row of the map passes entrySchema, decided without it (the schema is the reference, and words a row that
 * fails; checking some fifty rows per file through zod showed in ingest's profile).
 */
function isEntry(x: { fieldId: string; indicatorId: string; kind: string; sheet: string; cell: string }): x is MetaEntry {
  return FIELD_ID.test(x.fieldId) && KIND_SET.has(x.kind) && x.sheet.length >= 1 && CELL.test(x.cell);
}

export interface TemplateMeta {
  keys: Record<MetaKey, string>;
  entries: MetaEntry[];
  /** The signature written beside the keys (null when there is none): verify it with signatureStatus (signature.ts). */
  signature?: string | null;
}

/** Where the signature sits: outside the A–E columns other programs read. */
const SIGNATURE_LABEL = 'signature';
const SIGNATURE_ROW = 1;
const SIGNATURE_COL = 7;

// ---------------------------------------------------------------------------------------------------------------
// Writer

/**
 * The style of every map cell (text format), one object for all: exceljs renders and looks up the style of each style
 * object it has not seen, and setting `numFmt` on each cell gave each its own (a third of a template's styling time).
 */
const TEXT_CELL: Partial<ExcelJS.Style> = { numFmt: '@' };

/** Writes the map into the (empty) `_meta` worksheet of a template being built. */
export function writeMeta(sheet: ExcelJS.Worksheet, keys: Record<MetaKey, string>, entries: MetaEntry[], signature?: string): void {
  sheet.columns = [{ width: 24 }, { width: 40 }, { width: 12 }, { width: 12 }, { width: 8 }];
  // Every value is text: other programs read `year` and codes as strings whatever tool saved the file.
  const rows: string[][] = META_KEYS.map((k) => [k, keys[k]]);
  rows.push([]);
  rows.push([...META_TABLE_HEADER]);
  for (const e of entries) rows.push([e.fieldId, e.indicatorId, e.kind, e.sheet, e.cell]);
  rows.forEach((values, i) => {
    const row = sheet.getRow(i + 1);
    values.forEach((v, j) => {
      const cell = row.getCell(j + 1);
      cell.style = TEXT_CELL;
      if (v !== '') cell.value = v;
    });
  });
  if (signature) {
    const row = sheet.getRow(SIGNATURE_ROW);
    for (const [i, v] of [SIGNATURE_LABEL, signature].entries()) Object.assign(row.getCell(SIGNATURE_COL + i), { numFmt: '@', value: v });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Reader

export type MetaFailure = { ok: false; code: 'bad_meta' | 'template_version'; reason: string; expected: string };

/** Parses `_meta` (layout above). Anything that does not fit is one "edited into nonsense" failure. */
export function parseMeta(sheet: SheetView): { ok: true; meta: TemplateMeta } | MetaFailure {
  const nonsense = (row: number, detail: string): MetaFailure => ({
    ok: false, code: 'bad_meta',
    reason: `trang ẩn ${META_SHEET} đã bị sửa, không đọc được (dòng ${row}: ${detail})`,
    expected: 'dùng lại biểu mẫu gốc, không sửa trang ẩn',
  });
  const rowCount = Math.min(sheet.rowCount, 100_000);
  const rowValues = (r: number) => [1, 2, 3, 4, 5].map((c) => cellString(sheet.cellAt(r, c).value));
  const keys: Record<string, string> = {};
  let r = 1;
  for (; r <= rowCount; r++) {
    const [k, v, ...rest] = rowValues(r);
    if (!k && !v && rest.every((x) => !x)) break;
    if (!k) return nonsense(r, 'thiếu tên khóa');
    if (k in keys) return nonsense(r, `khóa "${k}" lặp lại`);
    keys[k] = v;
  }
  if (r > rowCount) return nonsense(r, 'thiếu bảng ô nhập');
  // A template of another version is reported as such, before its keys are judged against this version's list.
  if (keys.template_version !== undefined && !READABLE_TEMPLATE_VERSIONS.includes(keys.template_version)) {
    return {
      ok: false, code: 'template_version',
      reason: `biểu mẫu phiên bản ${keys.template_version}, phiên bản hoctap này đọc được phiên bản ${TEMPLATE_VERSION}`,
      expected: `biểu mẫu phiên bản ${TEMPLATE_VERSION}: tạo lại biểu mẫu bằng hoctap hiện tại`,
    };
  }
  const missing = META_KEYS.filter((k) => !(k in keys));
  if (missing.length) return nonsense(1, `thiếu khóa ${missing.join(', ')}`);
  const parsedKeys = keysSchema.safeParse(keys);
  if (!parsedKeys.success) {
    const issue = parsedKeys.error.issues[0];
    const key = String(issue.path[0]);
    return nonsense(META_KEYS.indexOf(key as MetaKey) + 1, `${key}: ${issue.message} ("${keys[key] ?? ''}")`);
  }
  r++;
  while (r <= rowCount && rowValues(r).every((x) => !x)) r++;
  const header = rowValues(r);
  if (header.join('|') !== META_TABLE_HEADER.join('|')) return nonsense(r, `dòng tiêu đề phải là ${META_TABLE_HEADER.join(' | ')}`);
  const entries: MetaEntry[] = [];
  const seenFields = new Set<string>();
  const seenCells = new Set<string>();
  for (r++; r <= rowCount; r++) {
    const [fieldId, indicatorId, kind, sheetName, cell] = rowValues(r);
    if (!fieldId && !indicatorId && !kind && !sheetName && !cell) continue;
    const candidate = { fieldId, indicatorId, kind, sheet: sheetName, cell: cell.replace(/\$/g, '').toUpperCase() };
    let e: MetaEntry;
    if (isEntry(candidate)) {
      e = candidate;
    } else {
      const parsed = entrySchema.safeParse(candidate);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return nonsense(r, `${issue.message} ("${[fieldId, indicatorId, kind, sheetName, cell].join(' | ')}")`);
      }
      e = parsed.data;
    }
    if (seenFields.has(e.fieldId)) return nonsense(r, `ô ${e.fieldId} xuất hiện hai lần`);
    if (seenCells.has(`${e.sheet}!${e.cell}`)) return nonsense(r, `ô ${e.sheet}!${e.cell} được dùng hai lần`);
    seenFields.add(e.fieldId);
    seenCells.add(`${e.sheet}!${e.cell}`);
    entries.push(e);
  }
  if (!entries.length) return nonsense(r, 'bảng ô nhập trống');
  const signed = cellString(sheet.cellAt(SIGNATURE_ROW, SIGNATURE_COL).value) === SIGNATURE_LABEL;
  const signature = signed ? cellString(sheet.cellAt(SIGNATURE_ROW, SIGNATURE_COL + 1).value) || null : null;
  return { ok: true, meta: { keys: parsedKeys.data as Record<MetaKey, string>, entries, signature } };
}
