/**
 * Mutations of a CSV export: its structure (fields added or dropped, quotes removed or left open, separators,
 * header, line ends, blank and repeated rows, odd values) and its encoding (Latin-1, UTF-16 with and without a
 * byte-order mark, invalid or cut UTF-8, NUL bytes), and the oracle a reader must agree with: a row whose field
 * count differs from the header's is never accepted.
 */
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { BAD_UTF8 } from './mutate-xlsx.ts';

const ODD_VALUES = ['10016,2', '1.234,5', '1e400', '-0', 'NaN', '١٢', '  ', '="10"', '"', '""', 'Tăng, giảm', '12;5', '\t7', '0x10', '95,5 %', '١'];

export type CsvMutation =
  | { kind: 'extraField'; line: number; value: string }
  | { kind: 'dropField'; line: number }
  | { kind: 'unquote'; line: number }
  | { kind: 'strayQuote'; line: number; at: number }
  | { kind: 'value'; line: number; value: string }
  | { kind: 'separator'; sep: ';' | '\t' | '|'; all: boolean }
  | { kind: 'header'; op: 'rename' | 'duplicate' | 'drop' | 'reorder' | 'upper'; col: number }
  | { kind: 'lineEnds'; to: '\n' | '\r' | '\r\r\n' | '' }
  | { kind: 'blank'; line: number; text: string }
  | { kind: 'repeat'; line: number; times: number }
  | { kind: 'otherUnit'; line: number; unit: string }
  | { kind: 'year'; line: number; year: string };

export type EncodingMutation =
  | { kind: 'none' }
  | { kind: 'latin1' }
  | { kind: 'utf16'; bom: boolean; be: boolean }
  | { kind: 'badByte'; at: number; seq: number }
  | { kind: 'cutChar' }
  | { kind: 'nul'; at: number }
  | { kind: 'bom'; times: number };

export interface CsvPlan { edits: CsvMutation[]; encoding: EncodingMutation }

const line = fc.nat({ max: 400 });
const at = fc.double({ min: 0, max: 1, noNaN: true });

export const csvMutation: fc.Arbitrary<CsvMutation> = fc.oneof(
  fc.record({ kind: fc.constant('extraField' as const), line, value: fc.oneof(fc.constantFrom('2', '5', 'ghi chú', ''), fc.string({ maxLength: 6 })) }),
  fc.record({ kind: fc.constant('dropField' as const), line }),
  fc.record({ kind: fc.constant('unquote' as const), line }),
  fc.record({ kind: fc.constant('strayQuote' as const), line, at }),
  fc.record({ kind: fc.constant('value' as const), line, value: fc.oneof(fc.constantFrom(...ODD_VALUES), fc.string({ unit: 'grapheme', maxLength: 12 })) }),
  fc.record({ kind: fc.constant('separator' as const), sep: fc.constantFrom(';' as const, '\t' as const, '|' as const), all: fc.boolean() }),
  fc.record({ kind: fc.constant('header' as const), op: fc.constantFrom('rename' as const, 'duplicate' as const, 'drop' as const, 'reorder' as const, 'upper' as const), col: fc.nat({ max: 4 }) }),
  fc.record({ kind: fc.constant('lineEnds' as const), to: fc.constantFrom('\n' as const, '\r' as const, '\r\r\n' as const, '' as const) }),
  fc.record({ kind: fc.constant('blank' as const), line, text: fc.constantFrom('', ' ', ',,,,', ';;;', '\t', '"",""') }),
  fc.record({ kind: fc.constant('repeat' as const), line, times: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('otherUnit' as const), line, unit: fc.constantFrom('Q1', 'skhcn', 'XYZ', '', ' SKHCN ') }),
  fc.record({ kind: fc.constant('year' as const), line, year: fc.constantFrom('2023', '24', '2024.0', '', 'năm 2024') }),
);

export const encodingMutation: fc.Arbitrary<EncodingMutation> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ kind: 'none' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'latin1' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('utf16' as const), bom: fc.boolean(), be: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('badByte' as const), at, seq: fc.nat({ max: BAD_UTF8.length - 1 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'cutChar' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('nul' as const), at }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('bom' as const), times: fc.integer({ min: 2, max: 3 }) }) },
);

export const csvPlan: fc.Arbitrary<CsvPlan> = fc.record({ edits: fc.array(csvMutation, { minLength: 0, maxLength: 3 }), encoding: encodingMutation });

/** Splits a line into fields (quotes kept), on commas outside quotes. */
function fields(l: string, sep = ','): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (const ch of l) {
    if (ch === '"') quoted = !quoted;
    if (ch === sep && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

function edit(lines: string[], m: CsvMutation): string[] {
  // A data line (the header when there is no other line: an earlier edit may have joined them all).
  const data = (n: number) => (lines.length > 1 ? 1 + (n % (lines.length - 1)) : 0);
  const row = 'line' in m ? data(m.line) : 0;
  const set = (i: number, f: (l: string) => string) => lines.map((l, j) => (j === i ? f(l) : l));
  const setFields = (i: number, f: (fs: string[]) => string[]) => set(i, (l) => f(fields(l)).join(','));
  switch (m.kind) {
    case 'extraField': return set(row, (l) => `${l},${m.value}`);
    case 'dropField': return setFields(row, (fs) => fs.slice(0, -1));
    case 'unquote': {
      // The first quoted field written bare: "10016,2" becomes 10016,2 (a decimal comma, or a comma inside a note).
      const i = lines.findIndex((l, j) => j >= row && l.includes('"'));
      return i < 0 ? set(row, (l) => l.replace(/,([^,]*)$/, ',"$1')) : set(i, (l) => l.replace(/"([^"]*)"/, '$1'));
    }
    case 'strayQuote': return set(row, (l) => { const p = Math.floor(m.at * l.length); return l.slice(0, p) + '"' + l.slice(p); });
    case 'value': return setFields(row, (fs) => { fs[3] = m.value; return fs; });
    case 'separator': return m.all ? lines.map((l) => fields(l).join(m.sep)) : set(data(1), (l) => fields(l).join(m.sep));
    case 'header': {
      const h = fields(lines[0]);
      const c = m.col % h.length;
      const nh = m.op === 'rename' ? h.map((x, i) => (i === c ? `${x}_cu` : x))
        : m.op === 'duplicate' ? [...h, h[c]]
        : m.op === 'drop' ? h.filter((_, i) => i !== c)
        : m.op === 'reorder' ? [...h.slice(c), ...h.slice(0, c)]
        : h.map((x) => x.toUpperCase());
      return [nh.join(','), ...lines.slice(1)];
    }
    case 'lineEnds': return [lines.join(m.to)];
    case 'blank': return [...lines.slice(0, row), m.text, ...lines.slice(row)];
    case 'repeat': return [...lines.slice(0, row + 1), ...Array<string>(m.times).fill(lines[row]), ...lines.slice(row + 1)];
    case 'otherUnit': return setFields(row, (fs) => { fs[0] = m.unit; return fs; });
    case 'year': return setFields(row, (fs) => { fs[1] = m.year; return fs; });
  }
}

function encode(text: string, m: EncodingMutation): Buffer {
  const utf8 = Buffer.from(text, 'utf8');
  const pos = (f: number) => Math.floor(f * utf8.length);
  switch (m.kind) {
    case 'none': return utf8;
    // Windows' "CSV (comma delimited)" on a Western system: Vietnamese letters outside Latin-1 become "?".
    case 'latin1': return Buffer.from([...text].map((c) => (c.codePointAt(0)! <= 0xff ? c.codePointAt(0)! : 0x3f)));
    case 'utf16': {
      const le = Buffer.from(text, 'utf16le');
      const body = m.be ? Buffer.from(le).swap16() : le;
      return m.bom ? Buffer.concat([Buffer.from(m.be ? [0xfe, 0xff] : [0xff, 0xfe]), body]) : body;
    }
    case 'badByte': return Buffer.concat([utf8.subarray(0, pos(m.at)), Buffer.from(BAD_UTF8[m.seq]), utf8.subarray(pos(m.at))]);
    case 'cutChar': {
      // The file cut in the middle of its last multi-byte character (a copy stopped short).
      const last = text.search(/[^\x00-\x7f][^\x00-\x7f]*$/);
      const cut = last < 0 ? utf8.length : Buffer.byteLength(text.slice(0, last), 'utf8') + 1;
      return utf8.subarray(0, cut);
    }
    case 'nul': return Buffer.concat([utf8.subarray(0, pos(m.at)), Buffer.from([0]), utf8.subarray(pos(m.at))]);
    case 'bom': return Buffer.concat([Buffer.from('\uFEFF'.repeat(m.times - 1), 'utf8'), utf8.subarray(0, 3).equals(Buffer.from('\uFEFF')) ? utf8 : Buffer.concat([Buffer.from('\uFEFF'), utf8])]);
  }
}

export function mutateCsv(base: Buffer, p: CsvPlan): Buffer {
  const text = base.toString('utf8');
  const lines = p.edits.reduce(edit, text.replace(/\r?\n$/, '').split(/\r?\n/));
  return encode(lines.join('\r\n') + '\r\n', p.encoding);
}

/**
 * What a strict reading of the bytes says must not be accepted: not UTF-8 (and no UTF-16 byte-order mark), quotes
 * that do not close, or a row whose number of fields differs from the header's. Null when nothing forbids it.
 */
export function mustNotAccept(bytes: Buffer): string | null {
  let text: string;
  // UTF-16 with a byte-order mark (Excel's "Unicode Text") is read, in either byte order; not when cut mid-character.
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  if (utf16 && bytes.length % 2) return 'UTF-16 cut in the middle of a character';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) text = bytes.subarray(2).toString('utf16le');
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) text = Buffer.from(bytes.subarray(2)).swap16().toString('utf16le');
  else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return 'not UTF-8';
    }
  }
  text = text.replace(/^\uFEFF/, '');
  const first = text.slice(0, text.search(/\r?\n|\r|$/));
  const count = (c: string) => first.split(c).length - 1;
  const sep = [',', ';', '\t'].reduce((best, c) => (count(c) > count(best) ? c : best), ',');
  let records: string[][];
  try {
    records = parse(text, { delimiter: sep, skip_empty_lines: true, relax_column_count: true }) as string[][];
  } catch (e) {
    return `not CSV: ${(e as Error).message.split('\n')[0]}`;
  }
  const width = records[0]?.length ?? 0;
  const bad = records.findIndex((r) => r.length !== width && !r.every((c) => c.trim() === ''));
  return bad > 0 ? `record ${bad + 1} has ${records[bad].length} fields, the header ${width}` : null;
}
