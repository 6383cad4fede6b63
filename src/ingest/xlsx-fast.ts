/**
 * A targeted reader for returned workbooks: only the parts ingest needs (workbook, relationships, shared strings,
 * number formats, the `_meta` sheet and the sheets `_meta` names), from the entries zip-check has already inflated,
 * scanned with regular expressions instead of a full XML parser and object model.
 *
 * Why: loading every part of every workbook with exceljs (XML parser, object model, JavaScript inflate) made most of
 * ingest's time: 9 ms per file before, 1.6 ms with this reader (3,000 files, bench/README).
 *
 * It gives the same cell values as exceljs would (same shapes: number, string, boolean, Date, { richText },
 * { formula | sharedFormula, result }, { error }, merged cells reading their master) and the same number formats.
 * Anything outside the well-trodden path (namespace prefixes, hyperlinks, CDATA, 1904 dates, inline dates, unknown
 * entities, overlapping merges, missing addresses, a cell pointing past the shared strings…) throws Unsupported, and
 * the caller reads the file with exceljs instead, so odd files behave exactly as before. test/fuzz-ingest.test.ts
 * checks both readers agree on mutated workbooks.
 */
export class Unsupported extends Error {}

export interface CellRead { value: unknown; numFmt: string | undefined }

/** The little of a worksheet that ingest reads. */
export interface SheetView {
  /** The last row number (as exceljs's rowCount). */
  readonly rowCount: number;
  /** A cell by A1 address, or by row and column. */
  cell(address: string): CellRead;
  cellAt(row: number, col: number): CellRead;
  /** How many cells the row spans (as exceljs's row.cellCount: the last column used). */
  cellCount(row: number): number;
}

export interface WorkbookView {
  sheet(name: string): SheetView | null;
}

// ---------------------------------------------------------------------------------------------------------------
// XML text

const ENTITY = /&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z]+);/g;

/** Entity decoding as an XML parser does it (line ends normalised first); an unknown entity is not ours to guess. */
function decodeXml(raw: string): string {
  const s = raw.includes('\r') ? raw.replace(/\r\n?/g, '\n') : raw;
  if (!s.includes('&')) return s;
  if (/&(?!(?:#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);)/.test(s)) throw new Unsupported('entity');
  return s.replace(ENTITY, (_m, e: string) => {
    switch (e) {
      case 'amp': return '&';
      case 'lt': return '<';
      case 'gt': return '>';
      case 'quot': return '"';
      case 'apos': return "'";
      default: {
        const code = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        if (!Number.isFinite(code) || code > 0x10ffff) throw new Unsupported('character reference');
        return String.fromCodePoint(code);
      }
    }
  });
}

/** exceljs's TextXform: `_x000D_`-style escapes (upper-case hex) in shared strings and rich-text runs. */
const unescapeOoxml = (s: string) => s.replace(/_x([0-9A-F]{4})_/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));

/** exceljs's utils.xmlDecode, which it applies a second time to formula string results and `t="str"` cells. */
function exceljsXmlDecode(text: string): string {
  return text.replace(/&([a-z]*);/g, (c) => {
    switch (c) {
      case '&lt;': return '<';
      case '&gt;': return '>';
      case '&amp;': return '&';
      case '&apos;': return "'";
      case '&quot;': return '"';
      default: return c;
    }
  });
}

function attributes(s: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!s) return out;
  for (const m of s.matchAll(/([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) out.set(m[1], decodeXml(m[2] ?? m[3] ?? ''));
  return out;
}

/**
 * Refuses what the scanner does not handle: a part whose root element has a namespace prefix (<x:worksheet>, where
 * every main element is prefixed: exceljs reads nothing from those, and its message is the one to give), CDATA
 * sections, comments and DOCTYPE. The element patterns below never match a prefixed name (`<c[\s/>]` is not `<x:c>`
 * nor `<c:chart>`), and exceljs ignores prefixed elements of the main namespace too, so both read the same cells.
 */
function checkPlain(xml: string, part: string): void {
  const root = /<(?![?!])([^\s/>]+)/.exec(xml)?.[1] ?? '';
  if (root.includes(':')) throw new Unsupported(`${part}: namespace prefixes`);
}

/** A part's text, after a byte-level look for "<!" (CDATA, comment, DOCTYPE: not for this scanner). */
function partText(bytes: Buffer | undefined, part: string): string | undefined {
  if (bytes === undefined) return undefined;
  if (bytes.includes('<!')) throw new Unsupported(`${part}: CDATA, comment or DOCTYPE`);
  return bytes.toString('utf8');
}

// ---------------------------------------------------------------------------------------------------------------
// Addresses

function columnNumber(letters: string): number {
  let n = 0;
  for (let i = 0; i < letters.length; i++) n = n * 26 + (letters.charCodeAt(i) - 64);
  return n;
}

function decodeAddress(a: string): { row: number; col: number } {
  const m = /^\$?([A-Z]{1,3})\$?([1-9]\d{0,6})$/.exec(a);
  if (!m) throw new Unsupported(`address ${a}`);
  return { row: Number(m[2]), col: columnNumber(m[1]) };
}

// ---------------------------------------------------------------------------------------------------------------
// Shared parts

type RichText = { richText: { text: string }[] };

type SharedString = string | RichText | Record<string, never>;

/**
 * The shared strings, decoded when a needed cell first refers to one (most are the instructions' long texts, which
 * ingest never reads).
 */
class SharedStrings {
  private readonly raw: string[];
  private readonly decoded: (SharedString | undefined)[] = [];

  constructor(xml: string | undefined) {
    this.raw = [];
    if (xml === undefined) return;
    checkPlain(xml, 'sharedStrings');
    for (const si of xml.matchAll(/<si(?:\s[^>]*)?(?:\/>|>([\s\S]*?)<\/si>)/g)) this.raw.push(si[1] ?? '');
  }

  get(i: number): SharedString | undefined {
    if (!(i >= 0 && i < this.raw.length)) return undefined;
    let v = this.decoded[i];
    if (v === undefined) this.decoded[i] = v = decodeSharedString(this.raw[i]);
    return v;
  }
}

/** One <si>, as exceljs's SharedStringXform reads it: plain text, rich-text runs, or an empty object for neither. */
function decodeSharedString(si: string): SharedString {
  const body = si.includes('<rPh') || si.includes('<phoneticPr') ? si.replace(/<rPh\b[\s\S]*?<\/rPh>/g, '').replace(/<phoneticPr\b[^>]*\/>/g, '') : si;
  if (body.includes('<r>') || body.includes('<r ')) {
    const runs = [...body.matchAll(/<r(?:\s[^>]*)?>([\s\S]*?)<\/r>/g)];
    if (/<t[\s>/]/.test(body.replace(/<r(?:\s[^>]*)?>[\s\S]*?<\/r>/g, ''))) throw new Unsupported('shared string with both text and runs');
    return { richText: runs.map((r) => ({ text: unescapeOoxml(decodeXml(/<t(?:\s[^>]*)?(?:\/>|>([\s\S]*?)<\/t>)/.exec(r[1])?.[1] ?? '')) })) };
  }
  const t = /<t(?:\s[^>]*)?(?:\/>|>([\s\S]*?)<\/t>)/.exec(body);
  return t ? unescapeOoxml(decodeXml(t[1] ?? '')) : {};
}

/** exceljs's table of built-in number formats (only those with one code for every locale). */
const BUILTIN_FORMATS: Record<number, string> = {
  0: 'General', 1: '0', 2: '0.00', 3: '#,##0', 4: '#,##0.00', 9: '0%', 10: '0.00%', 11: '0.00E+00', 12: '# ?/?',
  13: '# ??/??', 14: 'mm-dd-yy', 15: 'd-mmm-yy', 16: 'd-mmm', 17: 'mmm-yy', 18: 'h:mm AM/PM', 19: 'h:mm:ss AM/PM',
  20: 'h:mm', 21: 'h:mm:ss', 22: 'm/d/yy "h":mm', 37: '#,##0 ;(#,##0)', 38: '#,##0 ;[Red](#,##0)',
  39: '#,##0.00 ;(#,##0.00)', 40: '#,##0.00 ;[Red](#,##0.00)', 45: 'mm:ss', 46: '[h]:mm:ss', 47: 'mmss.0',
  48: '##0.0E+0', 49: '@',
};

/** The number format of each style index (cellXfs order), as exceljs resolves it. */
function styleFormats(xml: string | undefined): (string | undefined)[] {
  if (xml === undefined) return [];
  checkPlain(xml, 'styles');
  const custom = new Map<number, string>();
  const numFmts = /<numFmts\b[^>]*>([\s\S]*?)<\/numFmts>/.exec(xml)?.[1] ?? '';
  for (const m of numFmts.matchAll(/<numFmt([\s/][^>]*?)?\/?>/g)) {
    const a = attributes(m[1]);
    custom.set(Number(a.get('numFmtId')), a.get('formatCode') ?? '');
  }
  const xfs = /<cellXfs\b[^>]*>([\s\S]*?)<\/cellXfs>/.exec(xml)?.[1] ?? '';
  return [...xfs.matchAll(/<xf([\s/][^>]*?)?(?:\/>|>)/g)].map((m) => {
    const id = Number(attributes(m[1]).get('numFmtId') ?? 0);
    if (!id) return undefined;
    return custom.get(id) ?? BUILTIN_FORMATS[id];
  });
}

/** exceljs's utils.isDateFmt. */
function isDateFormat(fmt: string | undefined): boolean {
  if (!fmt) return false;
  return /[ymdhMsb]+/.test(fmt.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));
}

/** exceljs's utils.excelToDate (1900 system). */
const excelToDate = (v: unknown) => new Date(Math.round(((v as number) - 25569) * 24 * 3600 * 1000));

// ---------------------------------------------------------------------------------------------------------------
// Worksheets

interface Cell { value: unknown; numFmt: string | undefined }

class FastSheet implements SheetView {
  readonly rowCount: number;
  private readonly rows: Map<number, Map<number, Cell>>;
  private readonly widths: Map<number, number>;
  /** slave address → master (row, col) */
  private readonly merged: Map<string, { row: number; col: number }>;

  constructor(rows: Map<number, Map<number, Cell>>, widths: Map<number, number>, merged: Map<string, { row: number; col: number }>, rowCount: number) {
    this.rows = rows;
    this.widths = widths;
    this.merged = merged;
    this.rowCount = rowCount;
  }

  cell(address: string): CellRead {
    const { row, col } = decodeAddress(address);
    return this.cellAt(row, col);
  }

  cellAt(row: number, col: number): CellRead {
    const own = this.rows.get(row)?.get(col);
    const master = this.merged.get(`${row}:${col}`);
    if (master) return { value: this.rows.get(master.row)?.get(master.col)?.value ?? null, numFmt: own?.numFmt };
    return own ? { value: own.value, numFmt: own.numFmt } : { value: null, numFmt: undefined };
  }

  cellCount(row: number): number {
    return this.widths.get(row) ?? 0;
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

function parseSheet(xml: string, strings: SharedStrings, formats: (string | undefined)[], hasSharedStrings: boolean): FastSheet {
  checkPlain(xml, 'worksheet');
  if (/<hyperlinks?\b/.test(xml)) throw new Unsupported('hyperlinks');
  const rows = new Map<number, Map<number, Cell>>();
  const widths = new Map<number, number>();
  let lastRow = 0;
  const formulaMasters = new Map<string, string>();
  const data = /<sheetData\b[^>]*?(?:\/>|>([\s\S]*?)<\/sheetData>)/.exec(xml);
  if (!data) throw new Unsupported('no sheetData');
  // One pass over the rows' and cells' tags (a row matters only for its number: exceljs counts empty rows too).
  // Alternatives: (1) a cell written as most programs write it, `<c r="B5" s="3" t="s">`, read in the match itself;
  // (2) any other cell, whose attributes are looked up one by one; (3) a row.
  for (const m of (data[1] ?? '').matchAll(CELLS_AND_ROWS)) {
    let letters: string;
    let digits: string;
    let sAttr: string | undefined;
    let tAttr: string | undefined;
    let body: string | undefined;
    if (m[1] !== undefined) {
      [letters, digits, sAttr, tAttr, body] = [m[1], m[2], m[3], m[4], m[5]];
    } else if (m[0].startsWith('<row')) {
      const rAttr = /\br="(\d+)"/.exec(m[8] ?? '');
      if (!rAttr) throw new Unsupported('row without number');
      lastRow = Math.max(lastRow, Number(rAttr[1]));
      continue;
    } else {
      const attrs = m[6] ?? '';
      if (attrs.includes("'") || attrs.includes('&')) throw new Unsupported('unusual cell attributes');
      const r = CELL_R.exec(attrs);
      if (!r) throw new Unsupported('cell without a plain address');
      [letters, digits, sAttr, tAttr, body] = [r[1], r[2], CELL_S.exec(attrs)?.[1], CELL_T.exec(attrs)?.[1], m[7]];
    }
    const address = letters + digits;
    const row = Number(digits);
    const col = columnNumber(letters);
    const s = sAttr !== undefined ? parseInt(sAttr, 10) : undefined;
    const numFmt = s ? formats[s] : undefined;
    const value = cellValue(address, tAttr, body ?? '', numFmt, strings, hasSharedStrings, formulaMasters);
    let cells = rows.get(row);
    if (!cells) rows.set(row, (cells = new Map()));
    cells.set(col, { value, numFmt });
    widths.set(row, Math.max(widths.get(row) ?? 0, col));
    lastRow = Math.max(lastRow, row);
  }
  const merged = new Map<string, { row: number; col: number }>();
  const ranges: { top: number; left: number; bottom: number; right: number }[] = [];
  for (const mm of xml.matchAll(/<mergeCell([\s/][^>]*?)?\/?>/g)) {
    const ref = attributes(mm[1]).get('ref') ?? '';
    const [from, to = from] = ref.split(':');
    const a = decodeAddress(from);
    const b = decodeAddress(to);
    const r = { top: Math.min(a.row, b.row), left: Math.min(a.col, b.col), bottom: Math.max(a.row, b.row), right: Math.max(a.col, b.col) };
    if (ranges.some((x) => x.left <= r.right && r.left <= x.right && x.top <= r.bottom && r.top <= x.bottom)) throw new Unsupported('overlapping merges');
    if ((r.bottom - r.top + 1) * (r.right - r.left + 1) > 100_000) throw new Unsupported('huge merge');
    ranges.push(r);
    for (let i = r.top; i <= r.bottom; i++) {
      for (let j = r.left; j <= r.right; j++) if (i > r.top || j > r.left) merged.set(`${i}:${j}`, { row: r.top, col: r.left });
      widths.set(i, Math.max(widths.get(i) ?? 0, r.right));
    }
    lastRow = Math.max(lastRow, r.bottom);
  }
  return new FastSheet(rows, widths, merged, lastRow);
}

/** One cell's value, shaped as exceljs shapes it (lib/xlsx/xform/sheet/cell-xform.js parseClose and reconcile). */
function cellValue(
  address: string, t: string | undefined, body: string, numFmt: string | undefined,
  strings: SharedStrings, hasSharedStrings: boolean, formulaMasters: Map<string, string>,
): unknown {
  if (t === 'd') throw new Unsupported('ISO date cell');
  // The usual cell: a bare <v> (number, shared string index, boolean…).
  if (body.startsWith('<v>') && body.indexOf('<', 3) === body.length - 4 && body.endsWith('</v>')) {
    const raw = body.length > 7 ? decodeXml(body.slice(3, -4)) : undefined;
    return plainValue(raw, t, numFmt, strings, hasSharedStrings);
  }
  const f = /<f([\s/][^>]*?)?(?:\/>|>([\s\S]*?)<\/f>)/.exec(body);
  const v = /<v(?:\s[^>]*)?(?:\/>|>([\s\S]*?)<\/v>)/.exec(body);
  const isBlock = /<is(?:\s[^>]*)?>([\s\S]*?)<\/is>/.exec(body);
  // exceljs takes the text of <v> and of an inline <t> into the same value; a cell with both is not worth guessing.
  if (v && isBlock) throw new Unsupported('value and inline string');
  let raw: string | undefined = v?.[1] !== undefined && v[1] !== '' ? decodeXml(v[1]) : undefined;
  let inlineRich: RichText | null = null;
  if (isBlock) {
    const runs = [...isBlock[1].matchAll(/<r(?:\s[^>]*)?>([\s\S]*?)<\/r>/g)];
    if (runs.length) {
      inlineRich = { richText: runs.map((r) => ({ text: unescapeOoxml(decodeXml(/<t(?:\s[^>]*)?(?:\/>|>([\s\S]*?)<\/t>)/.exec(r[1])?.[1] ?? '')) })) };
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
        else if (t === 'b') result = parseInt(raw, 10) !== 0;
        else if (t === 'e') result = { error: raw };
        else result = parseFloat(raw);
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
  return plainValue(raw, t, numFmt, strings, hasSharedStrings);
}

/** A cell without a formula, from its text (exceljs: a cell without text is empty). */
function plainValue(raw: string | undefined, t: string | undefined, numFmt: string | undefined, strings: SharedStrings, hasSharedStrings: boolean): unknown {
  if (raw === undefined) return null;
  switch (t) {
    case 's': {
      if (!hasSharedStrings) throw new Unsupported('shared string without sharedStrings.xml');
      const str = strings.get(parseInt(raw, 10));
      if (str === undefined) throw new Unsupported('shared string index out of range');
      return str;
    }
    case 'str': return exceljsXmlDecode(raw);
    case 'inlineStr': return raw;
    case 'b': return parseInt(raw, 10) !== 0;
    case 'e': return { error: raw };
    default: {
      const n = parseFloat(raw);
      return isDateFormat(numFmt) ? excelToDate(n) : n;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------

/**
 * A view of the workbook from its inflated zip entries (name → bytes). The sheets are parsed on first use; call
 * `sheet()` for every sheet you need before relying on the view (Unsupported may be thrown then).
 */
export function fastWorkbook(entries: Map<string, Buffer>): WorkbookView {
  const text = (name: string) => partText(entries.get(name), name);
  const workbook = text('xl/workbook.xml');
  if (workbook === undefined) throw new Unsupported('no workbook.xml');
  checkPlain(workbook, 'workbook');
  const pr = /<workbookPr([\s/][^>]*?)?\/?>/.exec(workbook);
  const d1904 = pr ? attributes(pr[1]).get('date1904') : undefined;
  if (d1904 !== undefined && d1904 !== '0' && d1904 !== 'false') throw new Unsupported('1904 dates');
  const relsXml = text('xl/_rels/workbook.xml.rels') ?? '';
  checkPlain(relsXml, 'workbook rels');
  const rels = new Map<string, string>();
  for (const m of relsXml.matchAll(/<Relationship([\s/][^>]*?)?\/?>/g)) {
    const a = attributes(m[1]);
    if (a.get('Id') && a.get('Target') !== undefined) rels.set(a.get('Id')!, a.get('Target')!);
  }
  const sheetParts = new Map<string, string>();
  for (const m of workbook.matchAll(/<sheet([\s/][^>]*?)?\/?>/g)) {
    const a = attributes(m[1]);
    const name = a.get('name');
    const rid = a.get('r:id');
    if (name === undefined || !rid) continue;
    const target = rels.get(rid);
    if (target === undefined) continue;
    // exceljs: "xl/" + the target without a leading "/xl/"; only parts named xl/worksheets/sheetN.xml are worksheets.
    const part = `xl/${target.replace(/^(\s|\/xl\/)+/, '')}`;
    if (!entries.has(part) || !/xl\/worksheets\/sheet(\d+)[.]xml/.test(part)) continue;
    if (sheetParts.has(name)) throw new Unsupported('two sheets with one name');
    sheetParts.set(name, part);
  }
  const sst = text('xl/sharedStrings.xml');
  const strings = new SharedStrings(sst);
  const formats = styleFormats(text('xl/styles.xml'));
  const parsed = new Map<string, FastSheet>();
  return {
    sheet(name: string): SheetView | null {
      const part = sheetParts.get(name);
      if (!part) return null;
      let s = parsed.get(part);
      if (!s) parsed.set(part, (s = parseSheet(text(part)!, strings, formats, sst !== undefined)));
      return s;
    },
  };
}
