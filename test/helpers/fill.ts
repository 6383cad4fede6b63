/**
 * Fills a generated template the way a unit would, through its `_meta` map (never by position), with exceljs.
 * Used by the ingest tests, the demo fixtures and the benchmark.
 */
import ExcelJS from 'exceljs';
import type { Workspace, Unit } from '../../src/catalog/workspace.ts';
import type { Measure } from '../../src/catalog/types.ts';
import { indicatorsForUnit } from '../../src/catalog/workspace.ts';
import { CONTACT_FIELDS, META_SHEET, narrativeFieldId, parseMeta, type MetaEntry, type MetaKey } from '../../src/xlsx/meta.ts';
import { exceljsSheetView } from '../../src/xlsx/exceljs-view.ts';

export interface FillOptions {
  /** Number formats to set on input cells, by field id (e.g. '0.0%' to store a fraction as Excel does for "95,5%"). */
  numFmts?: Record<string, string>;
  /** `_meta` keys to overwrite (year, unit_code, catalog_version…), to build wrong files. */
  meta?: Partial<Record<MetaKey, string>>;
}

/** Where each field id sits in a template (sheet and A1 cell), read from its `_meta`. */
export function fieldCells(workbook: ExcelJS.Workbook): Map<string, MetaEntry> {
  const sheet = workbook.getWorksheet(META_SHEET);
  if (!sheet) throw new Error(`fieldCells: không có trang ${META_SHEET}`);
  const meta = parseMeta(exceljsSheetView(sheet));
  if (!meta.ok) throw new Error(`fieldCells: ${meta.reason}`);
  return new Map(meta.meta.entries.map((e) => [e.fieldId, e]));
}

async function toWorkbook(input: ExcelJS.Workbook | Buffer | Uint8Array): Promise<ExcelJS.Workbook> {
  if (input instanceof ExcelJS.Workbook) return input;
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(input) as unknown as ArrayBuffer);
  return wb;
}

/**
 * Writes `values` (field id → cell value: number, string, Date, or an exceljs value such as
 * `{ formula: 'G5/G6*100', result: 80 }` or `{ error: '#DIV/0!' }`; null clears the cell) into the template and
 * returns the .xlsx bytes. An unknown field id throws, so a test cannot fill nothing by mistake.
 */
export async function fillTemplate(
  workbookOrBuffer: ExcelJS.Workbook | Buffer | Uint8Array,
  values: Record<string, unknown>,
  opts: FillOptions = {},
): Promise<Buffer> {
  const wb = await toWorkbook(workbookOrBuffer);
  const cells = fieldCells(wb);
  for (const [fieldId, value] of Object.entries(values)) {
    const e = cells.get(fieldId);
    if (!e) throw new Error(`fillTemplate: biểu mẫu không có ô "${fieldId}"`);
    const cell = wb.getWorksheet(e.sheet)!.getCell(e.cell);
    cell.value = value as ExcelJS.CellValue;
  }
  for (const [fieldId, fmt] of Object.entries(opts.numFmts ?? {})) {
    const e = cells.get(fieldId);
    if (!e) throw new Error(`fillTemplate: biểu mẫu không có ô "${fieldId}"`);
    const cell = wb.getWorksheet(e.sheet)!.getCell(e.cell);
    cell.style = { ...cell.style, numFmt: fmt };
  }
  if (opts.meta) {
    const sheet = wb.getWorksheet(META_SHEET)!;
    for (const [key, value] of Object.entries(opts.meta)) {
      let found = false;
      sheet.eachRow((row) => {
        if (!found && row.getCell(1).value === key) {
          row.getCell(2).value = value;
          found = true;
        }
      });
      if (!found) throw new Error(`fillTemplate: _meta không có khóa "${key}"`);
    }
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/**
 * A complete, consistent set of answers for a unit: counts that add up (Nam + Nữ = Tổng, numerator ≤ denominator),
 * rates that agree with their counts, no 100 % claims, nothing ingest would query (a rate of both sexes between the
 * men's and the women's, no more local units than the roster has), every narrative and the contact filled. `seed` varies the
 * figures between units and years; `scale` multiplies the counts (a bigger unit).
 */
export function plausibleValues(ws: Workspace, unit: Unit, opts: { seed?: number; scale?: number } = {}): Record<string, number | string> {
  const seed = opts.seed ?? 1;
  const scale = opts.scale ?? 1;
  const out: Record<string, number | string> = {};
  let k = 0;
  const next = () => {
    k++;
    // A small deterministic spread (no Math.random: fixtures must be reproducible).
    return ((seed * 7919 + k * 104729) % 1000) / 1000;
  };
  const localUnits = ws.roster.filter((u) => u.agencyKind === 'local').length;
  for (const ind of indicatorsForUnit(ws, unit)) {
    for (const m of ind.measures) fillMeasure(m, out, next, scale, localUnits);
    // A rate of both sexes lies between the rates of men and women.
    const rate = (suffix: string) => ind.measures.find((m) => m.id === `${ind.id}.${suffix}`)?.fields.find((f) => f.kind === 'percent')?.id;
    const [men, women, both] = [rate('nam'), rate('nu'), rate('tong')];
    if (men && women && both) out[both] = Math.round(((out[men] as number) + (out[women] as number)) * 5) / 10;
    out[`${ind.id}.minhchung`] = `Báo cáo số ${10 + Math.floor(next() * 90)}/BC-${unit.code} năm ${2000 + (seed % 100)}`;
  }
  for (const n of ws.catalog.narratives) out[narrativeFieldId(n.id)] = `${unit.name}: nội dung mục ${n.title.toLowerCase()}, có số liệu minh họa.`;
  const contact: Record<string, string> = { 'contact.name': 'Nguyễn Thị Lan', 'contact.position': 'Chuyên viên', 'contact.phone': '0283 822 1234', 'contact.email': 'lan.nt@example.vn' };
  for (const c of CONTACT_FIELDS) out[c.id] = contact[c.id];
  return out;
}

function fillMeasure(m: Measure, out: Record<string, number | string>, next: () => number, scale: number, localUnits: number): void {
  let den = Math.round((800 + next() * 4000) * scale);
  // Counts of local-government units ("đơn vị") cannot exceed the roster's local units.
  if (localUnits && m.fields.some((f) => f.kind === 'count' && f.unit === 'đơn vị')) den = Math.min(den, localUnits);
  const num = Math.round(den * (0.6 + next() * 0.35));
  for (const f of m.fields) {
    switch (f.role) {
      case 'den': out[f.id] = den; break;
      case 'num': out[f.id] = f.kind === 'count' ? num : Math.round(num * 10) / 10; break;
      case 'total': out[f.id] = num; break;
      case 'male': out[f.id] = Math.floor(num / 2); break;
      case 'female': out[f.id] = num - Math.floor(num / 2); break;
      case 'rate': out[f.id] = Math.round((num / den) * 1000) / 10; break;
      case 'direction': out[f.id] = 'Tăng'; break;
      case 'value':
        if (f.kind === 'percent') out[f.id] = Math.round((55 + next() * 40) * 10) / 10;
        else if (f.kind === 'count') out[f.id] = Math.round((50 + next() * 500) * scale);
        else if (f.kind === 'number') out[f.id] = Math.round((100 + next() * 900) * scale * 10) / 10;
        else if (f.kind === 'rating') out[f.id] = 4;
        break;
      default: break;
    }
  }
}
