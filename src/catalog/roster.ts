/** The reporting units of a year: the workspace's roster.csv, and the official lists a province publishes. */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { parse } from 'csv-parse/sync';
import { readCsvRows, readCsvText, cell } from './csv-file.ts';
import { firstLine, sniffDelimiter } from '../csv-text.ts';
import { csvErrorReason, DataFileError, UserError } from '../errors.ts';
import type { AgencyKind, Catalog } from './types.ts';

export interface Unit {
  code: string;
  name: string;
  agencyCode: string;
  agencyKind: AgencyKind;
  email: string;
  /** The roster's "note" column: what the analyst must know of the row ("mẫu": a sample to replace). */
  note?: string;
}

const CODE_PATTERN = /^[A-Za-z0-9_-]+$/;

const rosterSchema = z.object({
  unit_code: cell.required('mã đơn vị').regex(CODE_PATTERN, { error: 'mã đơn vị chỉ gồm chữ không dấu, số, "_" và "-"' }),
  unit_name: cell.required('tên đơn vị'),
  agency_code: cell.required('mã cơ quan'),
  email: cell.optional(),
  note: cell.optional(),
});

export function loadRoster(file: string, catalog: Catalog): Unit[] {
  const shown = path.relative(process.cwd(), file) || file;
  const rows = readCsvRows(file, rosterSchema, shown);
  const seen = new Set<string>();
  return rows.map((r, i) => {
    const agency = catalog.agencyByCode.get(r.agency_code);
    if (!agency) throw new DataFileError(shown, `mã cơ quan "${r.agency_code}" không có trong danh mục (có: ${catalog.agencies.map((a) => a.code).join(', ')})`, i + 2, 'agency_code');
    if (seen.has(r.unit_code)) throw new DataFileError(shown, `mã đơn vị "${r.unit_code}" bị trùng`, i + 2, 'unit_code');
    seen.add(r.unit_code);
    return { code: r.unit_code, name: r.unit_name.normalize('NFC'), agencyCode: r.agency_code, agencyKind: agency.kind, email: r.email, ...(r.note ? { note: r.note.normalize('NFC') } : {}) };
  });
}

/** The units kept in a year's snapshot, checked against the catalog (an agency may have left it since). */
export function unitsFromSnapshot(rows: Omit<Unit, 'agencyKind'>[], catalog: Catalog, file: string): Unit[] {
  const shown = path.relative(process.cwd(), file) || file;
  return rows.map((r) => {
    const agency = catalog.agencyByCode.get(r.agencyCode);
    if (!agency) throw new DataFileError(shown, `đơn vị "${r.code}" thuộc mã cơ quan "${r.agencyCode}" không còn trong danh mục`);
    return { ...r, agencyKind: agency.kind };
  });
}

/** Column names accepted in an official list, as written in Vietnamese or in roster.csv (compared without accents). */
const HEADERS: Record<'code' | 'name' | 'kind' | 'email' | 'note', string[]> = {
  code: ['unit_code', 'ma', 'ma don vi', 'ma dv', 'code'],
  name: ['unit_name', 'ten don vi', 'ten', 'don vi', 'name'],
  kind: ['agency_code', 'loai', 'loai don vi', 'co quan', 'ma co quan', 'kind', 'agency'],
  email: ['email', 'e-mail', 'thu dien tu', 'dia chi email'],
  note: ['note', 'ghi chu', 'ghi_chu'],
};

/** "Phường", "Xã", "Đặc khu"… in the kind column: a local People's Committee. */
const LOCAL_KINDS = ['xa', 'phuong', 'dac khu', 'quan', 'huyen', 'thi xa', 'thi tran', 'thanh pho thuoc thanh pho', 'ubnd', 'uy ban nhan dan'];

const plain = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase().replace(/\s+/g, ' ').trim();

export interface ListRow { line: number; code: string; name: string; kind: string; email: string; note: string }
export interface RosterProblem { file: string; line: number | undefined; column: string | undefined; message: string }

/** Reads an official list (xlsx or csv): the first row naming a code column is the header. */
export async function readUnitList(file: string): Promise<{ rows: ListRow[]; columns: Partial<Record<keyof typeof HEADERS, string>> }> {
  const shown = path.relative(process.cwd(), file) || file;
  if (!fs.existsSync(file)) throw new UserError(`Không có tệp "${shown}".`);
  const ext = path.extname(file).toLowerCase();
  let table: { line: number; cells: string[] }[];
  if (ext === '.xlsx') table = await readXlsxTable(file, shown);
  else if (ext === '.csv' || ext === '.txt') table = readCsvTable(file, shown);
  else throw new UserError(`Tệp "${shown}": chỉ nhận danh sách .xlsx hoặc .csv.`);

  const headerAt = table.findIndex((r) => r.cells.some((c) => HEADERS.code.includes(plain(c))));
  if (headerAt < 0) throw new DataFileError(shown, `không thấy dòng tiêu đề có cột mã đơn vị (ví dụ "Mã", "Tên đơn vị", "Loại", "Email")`);
  if (ext !== '.xlsx') checkWidth(table, headerAt, shown);
  const header = table[headerAt].cells.map(plain);
  const col = (k: keyof typeof HEADERS) => header.findIndex((h) => HEADERS[k].includes(h));
  const idx = { code: col('code'), name: col('name'), kind: col('kind'), email: col('email'), note: col('note') };
  for (const k of ['name', 'kind'] as const) {
    if (idx[k] < 0) throw new DataFileError(shown, `thiếu cột ${k === 'name' ? '"Tên đơn vị"' : '"Loại" (hoặc "Mã cơ quan")'} ở dòng tiêu đề`, table[headerAt].line);
  }
  const columns = Object.fromEntries(Object.entries(idx).filter(([, v]) => v >= 0).map(([k, v]) => [k, table[headerAt].cells[v].trim()]));
  const at = (cells: string[], i: number) => (i >= 0 ? (cells[i] ?? '').trim() : '');
  const rows = table.slice(headerAt + 1)
    .filter((r) => r.cells.some((c) => c.trim() !== ''))
    .map((r) => ({ line: r.line, code: at(r.cells, idx.code), name: at(r.cells, idx.name).normalize('NFC'), kind: at(r.cells, idx.kind), email: at(r.cells, idx.email), note: at(r.cells, idx.note) }));
  return { rows, columns };
}

/** An official list saved as CSV or text (UTF-8, or UTF-16 with BOM: Excel's "Unicode Text"), decoded strictly. */
function readCsvTable(file: string, shown: string): { line: number; cells: string[] }[] {
  const text = readCsvText(file, shown);
  const delimiter = sniffDelimiter(firstLine(text));
  try {
    const recs = parse(text, { delimiter, relax_column_count: true, skip_empty_lines: false, info: true }) as unknown as { record: string[]; info: { lines: number } }[];
    return recs.map((r) => ({ line: r.info.lines, cells: r.record }));
  } catch (e) {
    const err = e as { lines?: number; message?: string };
    throw new DataFileError(shown, `không phải CSV hợp lệ (${csvErrorReason(e) ?? String(err.message).split('\n')[0]})`, err.lines);
  }
}

/**
 * A CSV line with more values than its header has columns (a sheet saved as CSV has as many on every line): a name or
 * note holding the separator without quotes would shift every value after it (the kind read from the name, the email
 * from the kind). Refused with its line.
 */
function checkWidth(table: { line: number; cells: string[] }[], headerAt: number, shown: string): void {
  const width = table[headerAt].cells.length;
  for (const r of table.slice(headerAt + 1)) {
    if (r.cells.length > width) {
      throw new DataFileError(shown, `dòng có ${r.cells.length} ô nhưng dòng tiêu đề có ${width} cột: có thể một tên hay ghi chú chứa dấu phân cách mà không đặt trong dấu nháy kép ("…"); chưa ghi gì, sửa tệp (hoặc lưu lại từ Excel dạng "CSV UTF-8 (Comma delimited)") rồi nhập lại`, r.line);
    }
  }
}

async function readXlsxTable(file: string, shown: string): Promise<{ line: number; cells: string[] }[]> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.readFile(file);
  } catch {
    throw new DataFileError(shown, 'không đọc được tệp Excel (.xlsx)');
  }
  const sheet = wb.worksheets[0];
  if (!sheet) throw new DataFileError(shown, 'tệp Excel không có trang tính nào');
  const out: { line: number; cells: string[] }[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, n) => {
    const cells: string[] = [];
    for (let c = 1; c <= row.cellCount; c++) cells.push(row.getCell(c).text ?? '');
    out.push({ line: n, cells });
  });
  return out;
}

/**
 * Checks an official list against the catalog: every problem with its line (duplicate codes, unknown kind or
 * agency, empty names, codes that cannot be file names). The kind may be an agency code, an agency's name or a
 * local level ("Phường", "Xã", "Đặc khu").
 */
export function validateUnitList(rows: ListRow[], catalog: Catalog, file: string, columns: Partial<Record<keyof typeof HEADERS, string>>): { units: Unit[]; problems: RosterProblem[] } {
  const shown = path.relative(process.cwd(), file) || file;
  const problems: RosterProblem[] = [];
  const problem = (line: number, column: string | undefined, message: string) => problems.push({ file: shown, line, column, message });
  const byName = new Map(catalog.agencies.map((a) => [plain(a.name), a.code]));
  const byCode = new Map(catalog.agencies.map((a) => [a.code.toUpperCase(), a.code]));
  const local = catalog.agencies.find((a) => a.kind === 'local')?.code;
  const seen = new Map<string, number>();
  const units: Unit[] = [];
  for (const r of rows) {
    if (!r.name) problem(r.line, columns.name, 'tên đơn vị để trống');
    const code = r.code || '';
    if (!code) problem(r.line, columns.code ?? 'Mã', 'mã đơn vị để trống');
    else if (!CODE_PATTERN.test(code)) problem(r.line, columns.code, `mã đơn vị "${code}" chỉ được gồm chữ không dấu, số, "_" và "-"`);
    else if (seen.has(code.toUpperCase())) problem(r.line, columns.code, `mã đơn vị "${code}" bị trùng với dòng ${seen.get(code.toUpperCase())}`);
    else seen.set(code.toUpperCase(), r.line);
    const k = plain(r.kind);
    const agencyCode = byCode.get(r.kind.trim().toUpperCase()) ?? byName.get(k) ?? (LOCAL_KINDS.includes(k) ? local : undefined);
    if (!agencyCode) problem(r.line, columns.kind, `loại/cơ quan "${r.kind}" không có trong danh mục (dùng mã ${catalog.agencies.map((a) => a.code).join(', ')} hoặc Xã, Phường, Đặc khu)`);
    if (r.name && code && agencyCode) {
      units.push({ code, name: r.name, agencyCode, agencyKind: catalog.agencyByCode.get(agencyCode)!.kind, email: r.email, ...(r.note ? { note: r.note } : {}) });
    }
  }
  return { units, problems };
}

export interface RosterDiff {
  added: Unit[];
  removed: Unit[];
  /** Same code, another name. */
  renamed: { code: string; from: string; to: string }[];
  /** Same code, another agency (a unit that now reports other indicators). */
  moved: { code: string; from: string; to: string }[];
}

export function diffRosters(before: Unit[], after: Unit[]): RosterDiff {
  const old = new Map(before.map((u) => [u.code, u]));
  const now = new Map(after.map((u) => [u.code, u]));
  return {
    added: after.filter((u) => !old.has(u.code)),
    removed: before.filter((u) => !now.has(u.code)),
    renamed: after.filter((u) => old.has(u.code) && old.get(u.code)!.name !== u.name).map((u) => ({ code: u.code, from: old.get(u.code)!.name, to: u.name })),
    moved: after.filter((u) => old.has(u.code) && old.get(u.code)!.agencyCode !== u.agencyCode).map((u) => ({ code: u.code, from: old.get(u.code)!.agencyCode, to: u.agencyCode })),
  };
}

const csvCell = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** roster.csv's text for a list of units (the columns loadRoster reads; the note column when a unit has a note). */
export function rosterCsv(units: Pick<Unit, 'code' | 'name' | 'agencyCode' | 'email' | 'note'>[]): string {
  const notes = units.some((u) => u.note);
  const head = notes ? 'unit_code,unit_name,agency_code,email,note' : 'unit_code,unit_name,agency_code,email';
  const row = (u: (typeof units)[number]) => [u.code, u.name, u.agencyCode, u.email, ...(notes ? [u.note ?? ''] : [])].map(csvCell).join(',');
  return [head, ...units.map(row)].join('\n') + '\n';
}

/** A profile's rosters by the year they start from: `rosters/<year>.csv` (2025: the merged departments, the communes). */
export const PROFILE_ROSTERS_DIR = 'rosters';

function profileRosterYears(profileDir: string): number[] {
  const dir = path.join(profileDir, PROFILE_ROSTERS_DIR);
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).map((f) => /^(\d{4})\.csv$/.exec(f)).filter((m) => m !== null).map((m) => Number(m[1])).sort((a, b) => a - b);
}

/**
 * The profile's roster of a year: the latest `rosters/<year>.csv` not after it, else `roster.csv` (the list of the years
 * before, and of the view without a year).
 */
export function profileRosterFile(profileDir: string, year: number | null): string {
  const from = year === null ? undefined : profileRosterYears(profileDir).filter((y) => y <= year).pop();
  return from === undefined ? path.join(profileDir, 'roster.csv') : path.join(profileDir, PROFILE_ROSTERS_DIR, `${from}.csv`);
}

/** The profile's roster that starts in exactly this year (a reorganisation the profile knows), if it has one. */
export function profileRosterStarting(profileDir: string, year: number): string | null {
  return profileRosterYears(profileDir).includes(year) ? path.join(profileDir, PROFILE_ROSTERS_DIR, `${year}.csv`) : null;
}
