/**
 * Reads the long CSV form that units export from their own systems:
 *   unit_code,year,field_id,value[,note]
 * UTF-8 with or without BOM, comma or semicolon separated (the separator is taken from the header line), one unit and
 * one year per file. Values are left as text: values.ts normalises them like typed cells.
 */
import { parse } from 'csv-parse/sync';
import { finding as say, type Failure, type Finding } from '../findings/codes.ts';
import { csvErrorReason } from '../errors.ts';

export const CSV_COLUMNS = ['unit_code', 'year', 'field_id', 'value'] as const;
export const CSV_OPTIONAL_COLUMNS = ['note'] as const;

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
  const fail = (f: Finding, extra: { line?: number; unitCode?: string; year?: number } = {}): CsvRead => ({ ok: false, ...f, ...extra });
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return fail(say('csv_encoding'));
  }
  text = text.replace(/^\uFEFF/, '');
  if (text.trim() === '') return fail(say('empty_file', { headerOnly: false }));
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const delimiter: ',' | ';' = count(firstLine, ';') > count(firstLine, ',') ? ';' : ',';
  let parsed: { record: string[]; info: { lines: number } }[];
  try {
    parsed = parse(text, { delimiter, info: true, skip_empty_lines: true, relax_column_count: true, bom: true }) as unknown as typeof parsed;
  } catch (e) {
    const err = e as { lines?: number; message?: string };
    return fail(say('csv_format', { parse: csvErrorReason(e) ?? String(err.message ?? e).split('\n')[0] }), { line: err.lines });
  }
  const records = parsed.map((p) => ({ line: p.info.lines, cells: p.record }));
  if (!records.length) return fail(say('empty_file', { headerOnly: false }));
  const header = records[0].cells.map((h) => h.trim().toLowerCase());
  const missing = CSV_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length) return fail(say('csv_format', { missing, header }), { line: 1 });
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
  if (!rows.length) return fail(say('empty_file', { headerOnly: true }));
  if (units.size > 1) {
    const [[, second]] = [...units].slice(1);
    return fail(say('csv_mixed', { units: [...units.keys()] }), { line: second });
  }
  const [unitCode] = units.keys();
  if (!unitCode) return fail(say('csv_format', { noUnit: true }), { line: rows[0].line });
  const [yearText] = years.keys();
  if (years.size > 1) {
    const [[, second]] = [...years].slice(1);
    return fail(say('csv_mixed', { years: [...years.keys()] }), { line: second, unitCode });
  }
  if (!/^\d{4}$/.test(yearText)) return fail(say('csv_format', { year: yearText }), { line: rows[0].line, unitCode });
  return { ok: true, unitCode, year: Number(yearText), rows, delimiter, header, records };
}

function count(s: string, ch: string): number {
  let n = 0;
  for (const c of s) if (c === ch) n++;
  return n;
}
