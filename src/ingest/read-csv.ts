/**
 * Reads the long CSV form that units export from their own systems:
 *   unit_code,year,field_id,value[,note]
 * UTF-8 with or without BOM, or UTF-16 with BOM (Excel's "Unicode Text"); comma, semicolon or tab separated (the
 * separator is taken from the header line); one unit and one year per file. Values are left as text: values.ts
 * normalises them like typed cells.
 *
 * Nothing is read wrong in silence: the text is decoded strictly (src/csv-text.ts), a line whose number of columns
 * differs from the header's is refused with its likely cause, and the file is streamed and refused at its first wrong
 * line, after at most as many lines as the unit could send (`CsvBound`), so that its size never decides the memory used.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import { CONTACT_FIELDS } from '../catalog/ids.ts';
import { findUnit, indicatorsForUnit, type Workspace } from '../catalog/workspace.ts';
import { decodeChunks, firstLine, sniffDelimiter, TextFaultError, type Delimiter } from '../csv-text.ts';
import { csvErrorReason } from '../errors.ts';
import { finding as say, type Failure, type Finding } from '../findings/codes.ts';

export const CSV_COLUMNS = ['unit_code', 'year', 'field_id', 'value'] as const;
export const CSV_OPTIONAL_COLUMNS = ['note'] as const;

/** A line longer than this (in bytes) is no line of this form: a narrative of 32,767 characters fits with room. */
const MAX_RECORD_BYTES = 256 * 1024;
/** Empty lines kept for the feedback copy; more are skipped (they carry nothing). */
const MAX_BLANK_KEPT = 1000;

export interface CsvRow {
  line: number;
  fieldId: string;
  value: string;
  note: string;
}

type Extra = { line?: number; unitCode?: string; year?: number };

export type CsvRead =
  | { ok: true; unitCode: string; year: number; rows: CsvRow[]; delimiter: ',' | ';'; header: string[]; records: { line: number; cells: string[] }[] }
  | (Failure & Extra);

/** How many data lines a file may hold, once its unit and year are known (from its first data line). */
export interface CsvBound {
  rowLimit: (unitCode: string, year: number) => number;
}

/** Thrown inside the stream to stop it at the first wrong line. */
class Refused {
  readonly read: CsvRead;
  constructor(f: Finding, extra: Extra) {
    this.read = { ok: false, ...f, ...extra };
  }
}

export async function readCsv(bytes: Buffer, bound: CsvBound): Promise<CsvRead> {
  const chunks = decodeChunks(bytes);
  try {
    const head = chunks.next();
    if (head.done) return { ok: false, ...say('empty_file', { headerOnly: false }) };
    // The separator is the header's (empty lines before it skipped, as the parser skips them).
    const delimiter = sniffDelimiter(firstLine(head.value.replace(/^(?:[ \t]*\r?\n)+/, '')));
    const reader = new LineReader(delimiter, bound);
    await pipeline(
      Readable.from(resume(head.value, chunks)),
      parse({ delimiter, info: true, skip_empty_lines: true, relax_column_count: true, max_record_size: MAX_RECORD_BYTES }),
      async (records: AsyncIterable<{ record: string[]; info: { lines: number } }>) => {
        for await (const r of records) reader.take(r.record, r.info.lines);
      },
    );
    return reader.finish();
  } catch (e) {
    if (e instanceof Refused) return e.read;
    if (e instanceof TextFaultError) {
      const { kind, encoding, before, line } = e.fault;
      return { ok: false, ...say('csv_encoding', { kind, encoding, before }), line };
    }
    const parseReason = csvErrorReason(e);
    if (parseReason === null) throw e;
    return { ok: false, ...say('csv_format', { parse: parseReason }), line: (e as { lines?: number }).lines };
  }
}

function* resume(first: string, rest: Iterator<string>): Generator<string> {
  yield first;
  for (let next = rest.next(); !next.done; next = rest.next()) yield next.value;
}

/** Takes the parsed lines one by one, and refuses the file (throws Refused) at the first that is wrong. */
class LineReader {
  private header: string[] | null = null;
  private first: { unit: string; year: string } | null = null;
  private limit = Number.POSITIVE_INFINITY;
  private blanks = 0;
  readonly rows: CsvRow[] = [];
  readonly records: { line: number; cells: string[] }[] = [];
  private readonly delimiter: Delimiter;
  private readonly bound: CsvBound;

  constructor(delimiter: Delimiter, bound: CsvBound) {
    this.delimiter = delimiter;
    this.bound = bound;
  }

  take(cells: string[], line: number): void {
    const blank = cells.every((c) => c.trim() === '');
    if (!this.header) {
      if (!blank) this.takeHeader(cells, line);
      return;
    }
    if (blank) {
      if (++this.blanks <= MAX_BLANK_KEPT) this.records.push({ line, cells });
      return;
    }
    const header = this.header;
    if (cells.length !== header.length) throw new Refused(say('csv_field_count', fieldCount(cells, header, this.delimiter)), { line });
    this.records.push({ line, cells });
    const get = (name: string) => (header.includes(name) ? cells[header.indexOf(name)] : '');
    const unit = get('unit_code').trim();
    const year = get('year').trim();
    if (!this.first) {
      if (!unit) throw new Refused(say('csv_format', { noUnit: true }), { line });
      if (!/^\d{4}$/.test(year)) throw new Refused(say('csv_format', { year }), { line, unitCode: unit });
      this.first = { unit, year };
      this.limit = this.bound.rowLimit(unit, Number(year));
    } else if (unit !== this.first.unit) {
      throw new Refused(say('csv_mixed', { units: [this.first.unit, unit] }), { line });
    } else if (year !== this.first.year) {
      throw new Refused(say('csv_mixed', { years: [this.first.year, year] }), { line, unitCode: unit });
    }
    this.rows.push({ line, fieldId: get('field_id').trim(), value: get('value'), note: get('note').trim() });
    if (this.rows.length > this.limit) throw new Refused(say('csv_too_many_rows', { limit: this.limit, unit }), { line, unitCode: unit, year: Number(year) });
  }

  private takeHeader(cells: string[], line: number): void {
    const header = cells.map((h) => h.trim().toLowerCase());
    const missing = CSV_COLUMNS.filter((c) => !header.includes(c));
    if (missing.length) throw new Refused(say('csv_format', { missing, header }), { line });
    this.header = header;
    this.records.push({ line, cells });
  }

  finish(): CsvRead {
    if (!this.header) return { ok: false, ...say('empty_file', { headerOnly: false }) };
    if (!this.first) return { ok: false, ...say('empty_file', { headerOnly: true }) };
    // The feedback copy of a tab-separated file is written comma-separated (it is a CSV of hoctap's own).
    const delimiter = this.delimiter === '\t' ? ',' : this.delimiter;
    return { ok: true, unitCode: this.first.unit, year: Number(this.first.year), rows: this.rows, delimiter, header: this.header, records: this.records };
  }
}

/**
 * Why a line has more or fewer columns than the header, as far as it can be told: a decimal comma in a comma-separated
 * file ("10016,2" read as two columns), the separator inside an unquoted value, another separator than the header's.
 */
function fieldCount(cells: string[], header: string[], delimiter: Delimiter) {
  const base = { got: cells.length, want: header.length, delimiter, value: '' };
  if (cells.length > header.length) {
    const v = header.indexOf('value');
    const [whole, decimals] = [cells[v]?.trim() ?? '', cells[v + 1]?.trim() ?? ''];
    if (delimiter === ',' && /^[+-]?\d[\d. ]*$/.test(whole) && /^\d+\s*%?$/.test(decimals)) {
      return { ...base, cause: 'decimal_comma' as const, value: `${whole},${decimals}` };
    }
    return { ...base, cause: 'separator_in_value' as const };
  }
  const others = ([',', ';', '\t'] as const).filter((d) => d !== delimiter);
  return { ...base, cause: cells.some((c) => others.some((d) => c.includes(d))) ? 'other_separator' as const : 'missing' as const };
}

/**
 * The most data lines a CSV of `unitCode` can hold: each input it may send (its indicators' fields and explanations,
 * the narratives and their figures, the contact) once, twice over so that a file whose every line is repeated still
 * has each line judged, and a few more. A unit not in the roster (refused later) is bounded by the whole catalog.
 */
export function csvRowLimit(ws: Workspace, unitCode: string): number {
  const unit = findUnit(ws, unitCode);
  const indicators = unit ? indicatorsForUnit(ws, unit) : ws.catalog.indicators;
  const own = indicators.reduce((n, i) => n + i.fields.length + 1, 0);
  const shared = ws.catalog.narratives.reduce((n, s) => n + 1 + s.figures.length, 0) + CONTACT_FIELDS.length;
  return 2 * (own + shared) + 20;
}
