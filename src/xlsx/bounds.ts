/**
 * Bounded work for every workbook, decided before the work is done. A few kilobytes of XML can ask a reader for
 * billions of cells (`<mergeCell ref="K30:XFD1048576"/>`), a 0.7 MB file can hold a 95 MB text: the targeted reader
 * checks these limits as it scans, and exceljs (which builds every cell, every merged and every validated cell of every
 * sheet in memory) is only let near a file proven small by `fallbackBounds`.
 */
import { MAX_COL, MAX_ROW, columnNumber, parseRange, rangeArea } from './a1.ts';
import { fileFault, type FileFault, type SheetExcess } from './fault.ts';

export const READ_LIMITS = {
  /** Cells of one sheet the targeted reader reads (a template has a few thousand; 350,000 rows of one cell pass). */
  maxCells: 1_000_000,
  /** Cells covered by the merged ranges of one sheet (a template's merges cover a few hundred). */
  maxMergedCells: 100_000,
  /**
   * Characters of one text as stored (Excel holds at most 32,767; escapes and rich-text runs lengthen it as stored).
   * Longer ones up to this are reported on their cell by ingest; a longer one refuses the file as soon as its length is
   * known, before it is decoded or copied (a 10-million-character narrative took 600 MB to refuse on its cell).
   */
  maxTextChars: 1_000_000,
};

export const FALLBACK_LIMITS = {
  /** All parts, uncompressed. */
  maxBytes: 8 * 1024 * 1024,
  /** Cells and rows of all sheets (exceljs needs about a second and 100 MB for 20,000 of them). */
  maxCells: 50_000,
  /** Cells exceljs creates for ranges: merged cells, validated cells, cells of defined names, columns. */
  maxRangeCells: 50_000,
};

export function sheetTooLarge(sheet: string, excess: SheetExcess, part: string | null = null): FileFault {
  return fileFault('sheet_too_large', { sheet, excess }, part);
}

/** A text too long to be read: on its cell when known, else in its part (a shared string no cell was read for yet). */
export function textTooLarge(where: { sheet: string | null; cell: string | null; part: string | null }, chars: number, limits = READ_LIMITS): FileFault {
  return fileFault('text_too_large', { sheet: where.sheet, cell: where.cell, chars, max: limits.maxTextChars }, where.part);
}

/** Counts the occurrences of a short pattern without building a list (a sheet may hold millions). */
export function countOf(text: string, re: RegExp): number {
  let n = 0;
  re.lastIndex = 0;
  while (re.exec(text)) n++;
  return n;
}

const CELL_TAG = /<(?:\w+:)?c[\s/>]/g;
const ROW_TAG = /<(?:\w+:)?row[\s/>]/g;
const ADDRESS_ATTR = /\sr\s*=\s*["']\$?([A-Z]+)?\$?(\d+)["']/g;
const MERGE_REF = /<(?:\w+:)?mergeCell\b[^>]*?\sref\s*=\s*["']([^"']*)["']/g;
const VALIDATION_SQREF = /<(?:\w+:)?dataValidation\b[^>]*?\ssqref\s*=\s*["']([^"']*)["']/g;
const COL_SPAN = /<(?:\w+:)?col\b[^>]*?>/g;
const DEFINED_NAME = /<(?:\w+:)?definedName\b([^>]*)>([^<]*)</g;
/** A1 ranges in a defined name's formula: cells ($A$1:$B$2), whole columns ($A:$C) or whole rows ($3:$5). */
const NAME_RANGE = /\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?|\$?([A-Z]{1,3}):\$?([A-Z]{1,3})|\$?(\d+):\$?(\d+)/g;

function rangeCells(refs: string): number {
  let n = 0;
  for (const ref of refs.trim().split(/\s+/)) {
    if (!ref) continue;
    const r = parseRange(ref.replace(/\$/g, ''));
    // A reference exceljs would refuse or expand unpredictably counts as a whole sheet.
    n += r ? rangeArea(r) : MAX_ROW * MAX_COL;
  }
  return n;
}

/**
 * Whether exceljs may read the file whole: small parts, few cells and rows, ranges that expand to few cells, every
 * address on the sheet. Conservative (prefixed tags count too: exceljs ignores them, counting costs nothing).
 */
export function fallbackBounds(files: Map<string, Buffer>, limits = FALLBACK_LIMITS): boolean {
  let bytes = 0;
  for (const data of files.values()) bytes += data.length;
  if (bytes > limits.maxBytes) return false;
  let cells = 0;
  let rangeCellCount = 0;
  for (const [name, data] of files) {
    if (!name.endsWith('.xml')) continue;
    const xml = data.toString('utf8');
    if (/^xl\/worksheets\/[^/]+\.xml$/.test(name)) {
      cells += countOf(xml, CELL_TAG) + countOf(xml, ROW_TAG);
      for (const m of xml.matchAll(ADDRESS_ATTR)) {
        if (Number(m[2]) > MAX_ROW || (m[1] !== undefined && columnNumber(m[1]) > MAX_COL)) return false;
      }
      for (const m of xml.matchAll(MERGE_REF)) rangeCellCount += rangeCells(m[1]);
      for (const m of xml.matchAll(VALIDATION_SQREF)) rangeCellCount += rangeCells(m[1]);
      for (const m of xml.matchAll(COL_SPAN)) {
        const min = Number(/\smin\s*=\s*["'](\d+)/.exec(m[0])?.[1] ?? 1);
        const max = Number(/\smax\s*=\s*["'](\d+)/.exec(m[0])?.[1] ?? min);
        rangeCellCount += Math.max(0, max - min + 1);
      }
    } else if (name === 'xl/workbook.xml') {
      for (const m of xml.matchAll(DEFINED_NAME)) {
        // Print titles and areas are kept as text; every other name is expanded cell by cell.
        if (/name\s*=\s*["']_xlnm\.Print_(Titles|Area)["']/.test(m[1])) continue;
        for (const r of m[2].matchAll(NAME_RANGE)) {
          if (r[5] !== undefined) rangeCellCount += (Math.abs(columnNumber(r[6]) - columnNumber(r[5])) + 1) * MAX_ROW;
          else if (r[7] !== undefined) rangeCellCount += (Math.abs(Number(r[8]) - Number(r[7])) + 1) * MAX_COL;
          else rangeCellCount += r[3] === undefined ? 1 : rangeCells(`${r[1]}${r[2]}:${r[3]}${r[4]}`);
        }
      }
    }
    if (cells > limits.maxCells || rangeCellCount > limits.maxRangeCells) return false;
  }
  return true;
}

/**
 * The first text (a shared string, or an inline, formula or value text of a sheet) longer than the limit, as stored,
 * before exceljs reads the file whole (it would hold such a text several times over); null when there is none. Only
 * for files within FALLBACK_LIMITS (a few MB): a text is decoded to be counted.
 */
export function longTextFault(files: Map<string, Buffer>, limits = READ_LIMITS): FileFault | null {
  for (const [name, data] of files) {
    if (name !== 'xl/sharedStrings.xml' && !/^xl\/worksheets\/[^/]+\.xml$/.test(name)) continue;
    for (const tag of ['t', 'v']) {
      const end = Buffer.from(`</${tag}>`);
      for (let at = data.indexOf(`<${tag}`); at >= 0; at = data.indexOf(`<${tag}`, at + 2)) {
        // <t>, <t xml:space="preserve">: not <tableParts>, nor <t/>.
        const next = data[at + 2];
        if (next !== 0x3e && next !== 0x20) continue;
        const open = data.indexOf('>', at);
        if (open < 0 || data[open - 1] === 0x2f) continue;
        const close = data.indexOf(end, open);
        if (close < 0) break;
        // Bytes first: a text of n characters takes at least n bytes.
        if (close - open - 1 > limits.maxTextChars) {
          const chars = data.toString('utf8', open + 1, close).length;
          if (chars > limits.maxTextChars) return textTooLarge({ sheet: null, cell: null, part: name }, chars, limits);
        }
        at = close;
      }
    }
  }
  return null;
}
