/**
 * One worksheet read by the targeted reader: every cell's value in exceljs's shape (lib/xlsx/xform/sheet/cell-xform.js
 * parseClose and reconcile) and its number format, merged cells reading their master.
 */
import { MAX_COL, MAX_ROW, columnNumber, parseA1, parseRange, rangeArea, type CellPos, type Range } from './a1.ts';
import { READ_LIMITS, countOf, sheetTooLarge, textTooLarge } from './bounds.ts';
import { fileFault, type FileFault } from './fault.ts';
import { excelToDate, isDateFormat, richRuns, type RichText, type SharedStrings } from './parts.ts';
import type { CellRead, SheetView } from './view.ts';
import { attributes, checkPlain, decodeXml, exceljsXmlDecode, Unsupported } from './xml.ts';

function position(address: string): CellPos {
  const p = parseA1(address);
  if (!p) throw new Unsupported(`address ${address}`);
  return p;
}

/** One number per cell position: row × KEY + column (columns end at 16,384). */
const KEY = MAX_COL + 1;

/**
 * The last column used on each row, by row number (a sheet of 350,000 rows holds one small number per row, not a map
 * entry per row).
 */
class RowWidths {
  private widths = new Uint16Array(1024);

  get(row: number): number {
    return row < this.widths.length ? this.widths[row] : 0;
  }

  widen(row: number, col: number): void {
    if (row >= this.widths.length) {
      const grown = new Uint16Array(Math.min(Math.max(this.widths.length * 2, row + 1), MAX_ROW + 1));
      grown.set(this.widths);
      this.widths = grown;
    }
    if (col > this.widths[row]) this.widths[row] = col;
  }
}

/** A sheet's cells, kept compact: values by position, number formats only where a cell has one. */
class FastSheet implements SheetView {
  readonly rowCount: number;
  private readonly values: Map<number, unknown>;
  private readonly formats: Map<number, string>;
  private readonly widths: RowWidths;
  /** slave position → master position */
  private readonly merged: Map<number, number>;

  constructor(cells: { values: Map<number, unknown>; formats: Map<number, string> }, widths: RowWidths, merged: Map<number, number>, rowCount: number) {
    this.values = cells.values;
    this.formats = cells.formats;
    this.widths = widths;
    this.merged = merged;
    this.rowCount = rowCount;
  }

  cell(address: string): CellRead {
    const { row, col } = position(address);
    return this.cellAt(row, col);
  }

  cellAt(row: number, col: number): CellRead {
    const key = row * KEY + col;
    const master = this.merged.get(key);
    return { value: this.values.get(master ?? key) ?? null, numFmt: this.formats.get(key) };
  }

  cellCount(row: number): number {
    return this.widths.get(row);
  }
}

const CELL_R = /(?:^|\s)r\s*=\s*"([A-Z]{1,3})([1-9]\d{0,6})"/;
const CELL_S = /(?:^|\s)s\s*=\s*"([^"]*)"/;
const CELL_T = /(?:^|\s)t\s*=\s*"([^"]*)"/;
const CELLS_AND_ROWS = new RegExp([
  '<c r="([A-Z]{1,3})([1-9]\\d{0,6})"(?: s="(\\d+)")?(?: t="(\\w+)")?(?:/>|>([\\s\\S]*?)</c>)',
  '<c([\\s/][^>]*?)?(?:/>|>([\\s\\S]*?)</c>)',
  '<row([\\s/][^>]*)?>',
].join('|'), 'g');

export interface SheetContext {
  strings: SharedStrings;
  formats: readonly (string | undefined)[];
  hasSharedStrings: boolean;
  limits?: typeof READ_LIMITS;
}

/** Where a cell is, as messages name it, and the part it was read from. */
interface CellWhere { sheet: string; address: string; part: string | null }

const CELL_TAG = /<c[\s/>]/g;

/** The merged ranges of a sheet, checked against the limits before any merged cell is made. */
function mergedRanges(xml: string, sheet: string, part: string | null, limits: typeof READ_LIMITS): Range[] {
  const ranges: Range[] = [];
  let area = 0;
  for (const mm of xml.matchAll(/<mergeCell([\s/][^>]*?)?\/?>/g)) {
    const ref = mergeRef(mm[1]);
    const r = parseRange(ref);
    if (!r) throw new Unsupported(`merge ${ref}`);
    if (r.bottom > MAX_ROW || r.right > MAX_COL) throw sheetTooLarge(sheet, { mergeOutside: ref }, part);
    area += rangeArea(r);
    if (area > limits.maxMergedCells) {
      throw sheetTooLarge(sheet, { merged: limits.maxMergedCells, example: ref }, part);
    }
    ranges.push(r);
  }
  return ranges;
}

/** A merge's `ref`: as written by every spreadsheet program (` ref="A1:J1"`, nothing to decode) read in place. */
function mergeRef(attrs: string | undefined): string {
  if (attrs && attrs.startsWith(' ref="') && attrs.indexOf('"', 6) === attrs.length - 1 && !/[&\r]/.test(attrs)) return attrs.slice(6, -1);
  return attributes(attrs).get('ref') ?? '';
}

/**
 * Reads one sheet (`part`: where it lies in the package, named by its faults). Every cell is read and checked (a
 * value stored against its type refuses the file wherever it is), but only the cells of rows up to `keepThrough` are
 * kept: a row below holds nothing the caller reads, and counts only for `rowCount` and `cellCount` (350,000 added rows
 * cost a few bytes each, not a map entry per cell).
 */
export function parseSheet(xml: string, name: string, ctx: SheetContext, part: string | null = null, keepThrough = MAX_ROW): SheetView {
  const limits = ctx.limits ?? READ_LIMITS;
  checkPlain(xml, 'worksheet');
  if (/<hyperlinks?\b/.test(xml)) throw new Unsupported('hyperlinks');
  // The limits first: how many cells, how much is merged (a merge costs one entry per covered cell below).
  const cellTags = countOf(xml, CELL_TAG);
  if (cellTags > limits.maxCells) throw sheetTooLarge(name, { cells: cellTags, max: limits.maxCells }, part);
  const ranges = mergedRanges(xml, name, part, limits);
  const cells = { values: new Map<number, unknown>(), formats: new Map<number, string>() };
  const widths = new RowWidths();
  let lastRow = 0;
  const formulaMasters = new Map<string, string>();
  const open = /<sheetData\b[^>]*?(\/?)>/.exec(xml);
  const start = open ? open.index + open[0].length : -1;
  const end = open?.[1] ? start : open ? xml.indexOf('</sheetData>', start) : -1;
  if (end < 0) throw new Unsupported('no sheetData');
  // One pass over the rows' and cells' tags (a row matters only for its number: exceljs counts empty rows too).
  // Alternatives: (1) a cell written as most programs write it, `<c r="B5" s="3" t="s">`, read in the match itself;
  // (2) any other cell, whose attributes are looked up one by one; (3) a row.
  // Scanned in place (a slice of a large sheet is slower to match).
  CELLS_AND_ROWS.lastIndex = start;
  for (let m = CELLS_AND_ROWS.exec(xml); m && m.index < end; m = CELLS_AND_ROWS.exec(xml)) {
    let letters = m[1];
    let digits: string;
    let sAttr: string | undefined;
    let tAttr: string | undefined;
    let body: string | undefined;
    if (letters !== undefined) {
      digits = m[2];
      sAttr = m[3];
      tAttr = m[4];
      body = m[5];
    } else if (m[0].startsWith('<row')) {
      const rAttr = /\br="(\d+)"/.exec(m[8] ?? '');
      if (!rAttr) throw new Unsupported('row without number');
      if (Number(rAttr[1]) > MAX_ROW) throw sheetTooLarge(name, { rowOutside: Number(rAttr[1]) }, part);
      lastRow = Math.max(lastRow, Number(rAttr[1]));
      continue;
    } else {
      const attrs = m[6] ?? '';
      if (attrs.includes("'") || attrs.includes('&')) throw new Unsupported('unusual cell attributes');
      const r = CELL_R.exec(attrs);
      if (!r) throw new Unsupported('cell without a plain address');
      [letters, digits, sAttr, tAttr, body] = [r[1], r[2], CELL_S.exec(attrs)?.[1], CELL_T.exec(attrs)?.[1], m[7]];
    }
    const row = Number(digits);
    const col = columnNumber(letters);
    if (row > MAX_ROW || col > MAX_COL) throw sheetTooLarge(name, { cellOutside: letters + digits }, part);
    if (body !== undefined && body.length > limits.maxTextChars) throw textTooLarge({ sheet: name, cell: letters + digits, part }, body.length, limits);
    const s = sAttr !== undefined ? parseInt(sAttr, 10) : undefined;
    const numFmt = s ? ctx.formats[s] : undefined;
    // A cell without content (most cells of a merged title) has no value: nothing to look for in it.
    const value = body ? cellValue({ sheet: name, address: letters + digits, part }, tAttr, body, numFmt, ctx, formulaMasters) : emptyCell(tAttr);
    if (row <= keepThrough) {
      const key = row * KEY + col;
      cells.values.set(key, value);
      if (numFmt !== undefined) cells.formats.set(key, numFmt);
    }
    widths.widen(row, col);
    if (row > lastRow) lastRow = row;
  }
  const merged = new Map<number, number>();
  const masters = new Set<number>();
  // Every covered cell once: a second range covering one is an overlap (exceljs refuses those).
  for (const r of ranges) {
    for (let i = r.top; i <= r.bottom; i++) {
      for (let j = r.left; j <= r.right; j++) {
        const key = i * KEY + j;
        if (merged.has(key) || masters.has(key)) throw new Unsupported('overlapping merges');
        if (i > r.top || j > r.left) merged.set(key, r.top * KEY + r.left);
        else masters.add(key);
      }
      widths.widen(i, r.right);
    }
    lastRow = Math.max(lastRow, r.bottom);
  }
  return new FastSheet(cells, widths, merged, lastRow);
}

/** The value of a cell without content (cellValue of an empty body, without its look for a formula, value or text). */
function emptyCell(t: string | undefined): null {
  if (t === 'd') throw new Unsupported('ISO date cell');
  return null;
}

/** One cell's value, shaped as exceljs shapes it. */
function cellValue(
  where: CellWhere, t: string | undefined, body: string, numFmt: string | undefined, ctx: SheetContext, formulaMasters: Map<string, string>,
): unknown {
  const { address } = where;
  if (t === 'd') throw new Unsupported('ISO date cell');
  // The usual cell: a bare <v> (number, shared string index, boolean…).
  if (body.startsWith('<v>') && body.indexOf('<', 3) === body.length - 4 && body.endsWith('</v>')) {
    const raw = body.length > 7 ? decodeXml(body.slice(3, -4)) : undefined;
    return plainValue(raw, t, numFmt, ctx, where);
  }
  const f = /<f([\s/][^>]*?)?(?:\/>|>([\s\S]*?)<\/f>)/.exec(body);
  const v = /<v(?:\s[^>]*)?(?:\/>|>([\s\S]*?)<\/v>)/.exec(body);
  const isBlock = /<is(?:\s[^>]*)?>([\s\S]*?)<\/is>/.exec(body);
  // exceljs takes the text of <v> and of an inline <t> into the same value; a cell with both is not worth guessing.
  if (v && isBlock) throw new Unsupported('value and inline string');
  let raw: string | undefined = v?.[1] !== undefined && v[1] !== '' ? decodeXml(v[1]) : undefined;
  let inlineRich: RichText | null = null;
  if (isBlock) {
    const rich = richRuns(isBlock[1]);
    if (rich.richText.length) {
      inlineRich = rich;
    } else {
      const tt = /<t(?:\s[^>]*)?(?:\/>|>([\s\S]*?)<\/t>)/.exec(isBlock[1]);
      raw = tt?.[1] !== undefined && tt[1] !== '' ? decodeXml(tt[1]) : undefined;
    }
  }
  if (f) {
    const fa = attributes(f[1]);
    const formula = f[2] !== undefined && f[2] !== '' ? decodeXml(f[2]) : undefined;
    const shareType = fa.get('t');
    if (formula || shareType) {
      if (inlineRich) throw new Unsupported('formula with rich text');
      let result: unknown;
      if (raw) {
        if (t === 'str') result = exceljsXmlDecode(raw);
        else if (t === 'b') result = storedBoolean(raw, where);
        else if (t === 'e') result = { error: raw };
        else result = storedNumber(raw, where);
      }
      if (result !== undefined && isDateFormat(numFmt)) result = excelToDate(result);
      if (shareType && shareType !== 'shared' && shareType !== 'array') throw new Unsupported(`formula type ${shareType}`);
      let master: string | undefined;
      if (shareType === 'shared') {
        const si = fa.get('si') ?? '';
        if (fa.get('ref') !== undefined) formulaMasters.set(si, address);
        else master = formulaMasters.get(si);
      }
      // The shape of exceljs's formula value, except that a result of 0 or FALSE is kept (exceljs's cell.value drops
      // falsy results, which made a formula worth 0 look uncomputed; the exceljs path reads cell.result for the same).
      const out: Record<string, unknown> = formula ? { formula } : master ? { sharedFormula: master } : { sharedFormula: undefined };
      if (result !== undefined) out.result = result;
      return out;
    }
  }
  if (inlineRich) return inlineRich;
  return plainValue(raw, t, numFmt, ctx, where);
}

/** A cell without a formula, from its text (exceljs: a cell without text is empty). */
function plainValue(raw: string | undefined, t: string | undefined, numFmt: string | undefined, ctx: SheetContext, where: CellWhere): unknown {
  if (raw === undefined) return null;
  switch (t) {
    case 's': {
      if (!ctx.hasSharedStrings) throw new Unsupported('shared string without sharedStrings.xml', 'xl/sharedStrings.xml');
      const i = storedIndex(raw, where);
      const limits = ctx.limits ?? READ_LIMITS;
      const stored = ctx.strings.storedLength(i);
      if (stored > limits.maxTextChars) throw textTooLarge({ sheet: where.sheet, cell: where.address, part: where.part }, stored, limits);
      const str = ctx.strings.get(i);
      if (str === undefined) throw new Unsupported('shared string index out of range', 'xl/sharedStrings.xml');
      return str;
    }
    case 'str': return exceljsXmlDecode(raw);
    case 'inlineStr': return raw;
    case 'b': return storedBoolean(raw, where);
    case 'e': return { error: raw };
    default: {
      const n = storedNumber(raw, where);
      return isDateFormat(numFmt) ? excelToDate(n) : n;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Stored values, read strictly: what a program wrote in <v> is a number, a string index or a boolean as the format
// defines them. parseFloat("76,5") is 76: a third-party exporter's decimal comma would silently lose the decimals.

const NUMBER = /^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$/;
const INDEX = /^\s*\d+\s*$/;
const BOOLEAN = /^\s*(?:0|1|true|false)\s*$/;

function badValue(where: CellWhere, raw: string, want: 'number' | 'index' | 'boolean'): FileFault {
  const shown = raw.length > 40 ? `${raw.slice(0, 40)}…` : raw;
  return fileFault('bad_cell_value', { sheet: where.sheet, cell: where.address, raw: shown, want }, where.part);
}

function storedNumber(raw: string, where: CellWhere): number {
  if (!NUMBER.test(raw)) throw badValue(where, raw, 'number');
  return Number(raw);
}

function storedIndex(raw: string, where: CellWhere): number {
  if (!INDEX.test(raw)) throw badValue(where, raw, 'index');
  return Number(raw);
}

function storedBoolean(raw: string, where: CellWhere): boolean {
  if (!BOOLEAN.test(raw)) throw badValue(where, raw, 'boolean');
  const v = raw.trim();
  return v === '1' || v === 'true';
}

const ANY_CELL = /<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g;

/**
 * The same strictness over every cell of the given sheets, for a file exceljs reads (exceljs would take "76,5" as
 * 76). Throws the FileFault of the first bad value.
 */
export function checkStoredValues(sheets: { name: string; xml: string; part: string }[]): void {
  for (const { name, xml, part } of sheets) {
    for (const m of xml.matchAll(ANY_CELL)) {
      const v = m[2] === undefined ? undefined : /<v(?:\s[^>]*)?>([\s\S]*?)<\/v>/.exec(m[2])?.[1];
      if (v === undefined || v === '') continue;
      const t = CELL_T.exec(m[1])?.[1];
      const where = { sheet: name, address: CELL_R.exec(m[1])?.slice(1, 3).join('') ?? '?', part };
      if (t === 's') storedIndex(v, where);
      else if (t === 'b') storedBoolean(v, where);
      else if (t === undefined || t === 'n') storedNumber(v, where);
    }
  }
}
