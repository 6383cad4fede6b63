/**
 * Reads the long CSV form that units export from their own systems:
 *   unit_code,year,field_id,value[,note]
 * UTF-8 with or without BOM, comma or semicolon separated (the separator is taken from the header line), one unit and
 * one year per file. Values are left as text: values.ts normalises them like typed cells.
 */
import { parse } from 'csv-parse/sync';
import type { Failure } from './read-xlsx.ts';
import { csvErrorReason } from '../errors.ts';

export const CSV_COLUMNS = ['unit_code', 'year', 'field_id', 'value'] as const;
export const CSV_OPTIONAL_COLUMNS = ['note'] as const;
const CSV_EXPECTED = `tệp CSV UTF-8 có dòng tiêu đề ${[...CSV_COLUMNS, ...CSV_OPTIONAL_COLUMNS].join(',')} (cột note không bắt buộc), mỗi tệp một đơn vị và một năm`;

export interface CsvRow {
  line: number;
  fieldId: string;
  value: string;
  note: string;
}

export type CsvRead =
  | { ok: true; unitCode: string; year: number; rows: CsvRow[]; delimiter: ',' | ';'; header: string[]; records: { line: number; cells: string[] }[] }
  | (Failure & { line?: number; unitCode?: string; year?: number });

export function readCsv(bytes: Buffer): CsvRead {
  const fail = (code: string, reason: string, extra: { line?: number; unitCode?: string; year?: number } = {}): CsvRead => ({ ok: false, code, reason, expected: CSV_EXPECTED, ...extra });
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return fail('csv_encoding', 'tệp CSV không phải mã UTF-8 (có thể là Windows-1258 hoặc TCVN3): chữ tiếng Việt sẽ bị sai');
  }
  text = text.replace(/^\uFEFF/, '');
  if (text.trim() === '') return fail('empty_file', 'tệp CSV rỗng');
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const delimiter: ',' | ';' = count(firstLine, ';') > count(firstLine, ',') ? ';' : ',';
  let parsed: { record: string[]; info: { lines: number } }[];
  try {
    parsed = parse(text, { delimiter, info: true, skip_empty_lines: true, relax_column_count: true, bom: true }) as unknown as typeof parsed;
  } catch (e) {
    const err = e as { lines?: number; message?: string };
    return fail('csv_format', `không đọc được tệp CSV: ${csvErrorReason(e) ?? String(err.message ?? e).split('\n')[0]}`, { line: err.lines });
  }
  const records = parsed.map((p) => ({ line: p.info.lines, cells: p.record }));
  if (!records.length) return fail('empty_file', 'tệp CSV rỗng');
  const header = records[0].cells.map((h) => h.trim().toLowerCase());
  const missing = CSV_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length) return fail('csv_format', `dòng tiêu đề thiếu cột ${missing.join(', ')} (có: ${header.join(', ') || 'không có cột nào'})`, { line: 1 });
  const col = (name: string) => header.indexOf(name);
  const rows: CsvRow[] = [];
  const units = new Map<string, number>();
  const years = new Map<string, number>();
  for (const rec of records.slice(1)) {
    const get = (name: string) => (col(name) >= 0 ? (rec.cells[col(name)] ?? '') : '');
    if (rec.cells.every((c) => c.trim() === '')) continue;
    const unit = get('unit_code').trim();
    const year = get('year').trim();
    if (!units.has(unit)) units.set(unit, rec.line);
    if (!years.has(year)) years.set(year, rec.line);
    rows.push({ line: rec.line, fieldId: get('field_id').trim(), value: get('value'), note: get('note').trim() });
  }
  if (!rows.length) return fail('empty_file', 'tệp CSV chỉ có dòng tiêu đề, không có số liệu');
  if (units.size > 1) {
    const [[, second]] = [...units].slice(1);
    return fail('csv_mixed', `tệp CSV có nhiều mã đơn vị (${[...units.keys()].map((u) => `"${u}"`).join(', ')})`, { line: second });
  }
  const [unitCode] = units.keys();
  if (!unitCode) return fail('csv_format', 'thiếu mã đơn vị (cột unit_code)', { line: rows[0].line });
  const [yearText] = years.keys();
  if (years.size > 1) {
    const [[, second]] = [...years].slice(1);
    return fail('csv_mixed', `tệp CSV có nhiều năm (${[...years.keys()].join(', ')})`, { line: second, unitCode });
  }
  if (!/^\d{4}$/.test(yearText)) return fail('csv_format', `năm "${yearText}" không hợp lệ (cột year cần 4 chữ số)`, { line: rows[0].line, unitCode });
  return { ok: true, unitCode, year: Number(yearText), rows, delimiter, header, records };
}

function count(s: string, ch: string): number {
  let n = 0;
  for (const c of s) if (c === ch) n++;
  return n;
}
