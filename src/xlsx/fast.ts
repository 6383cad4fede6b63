/**
 * A targeted reader for returned workbooks: only the parts ingest needs (workbook, relationships, shared strings,
 * number formats, the `_meta` sheet and the sheets `_meta` names), from the entries zip-check has already inflated,
 * scanned with regular expressions instead of a full XML parser and object model.
 *
 * Why: loading every part of every workbook with exceljs (XML parser, object model, JavaScript inflate) made most of
 * ingest's time: 9 ms per file before, 1.6 ms with this reader (3,000 files, docs/benchmarks.md).
 *
 * It gives the same cell values as exceljs would (same shapes: number, string, boolean, Date, { richText },
 * { formula | sharedFormula, result }, { error }, merged cells reading their master) and the same number formats.
 * Anything outside the well-trodden path (namespace prefixes, hyperlinks, CDATA, 1904 dates, inline dates, unknown
 * entities, overlapping merges, missing addresses, a cell pointing past the shared strings…) throws Unsupported, and
 * the caller reads the file with exceljs instead, so odd files behave exactly as before. What is wrong beyond doubt (a
 * limit, a value stored against its type, a part that is not UTF-8) is a FileFault (fault.ts). test/fuzz-ingest.test.ts
 * checks both readers agree on mutated workbooks.
 */
import { MAX_ROW } from './a1.ts';
import { READ_LIMITS } from './bounds.ts';
import { PartMemo, SharedStrings, styleFormats } from './parts.ts';
import { parseSheet } from './sheet-read.ts';
import type { SheetView, WorkbookView } from './view.ts';
import { attributes, checkPlain, partText, Unsupported } from './xml.ts';

export { Unsupported } from './xml.ts';
export type { CellRead, SheetView, WorkbookView } from './view.ts';

/** The targeted reader's workbook: its sheets, parsed on first use. */
export interface FastWorkbook extends WorkbookView {
  /** Whether the workbook has a worksheet of that name (without reading it). */
  has(name: string): boolean;
  /** A sheet whose cells are kept only on rows up to `keepThrough` (parseSheet): every cell is still checked. */
  sheet(name: string, keepThrough?: number): SheetView | null;
}

/**
 * A view of the workbook from its inflated zip entries (name → bytes). The sheets are parsed on first use: the read
 * stage (read-workbook.ts) calls `sheet()` for every sheet ingest needs, where Unsupported and FileFault are thrown.
 */
export function fastWorkbook(entries: Map<string, Buffer>, limits = READ_LIMITS): FastWorkbook {
  const text = (name: string, sheet: string | null = null) => partText(entries.get(name), name, sheet);
  const workbook = text('xl/workbook.xml');
  if (workbook === undefined) throw new Unsupported('no workbook.xml');
  checkPlain(workbook, 'workbook');
  const pr = /<workbookPr([\s/][^>]*?)?\/?>/.exec(workbook);
  const d1904 = pr ? attributes(pr[1]).get('date1904') : undefined;
  if (d1904 !== undefined && d1904 !== '0' && d1904 !== 'false') throw new Unsupported('1904 dates');
  const sheetParts = worksheetParts(workbook, text('xl/_rels/workbook.xml.rels') ?? '', entries);
  const sst = text('xl/sharedStrings.xml');
  const ctx = { strings: new SharedStrings(sst), formats: styleFormats(text('xl/styles.xml')), hasSharedStrings: sst !== undefined, limits };
  const parsed = new Map<string, SheetView>();
  return {
    has: (name) => sheetParts.has(name),
    sheet(name: string, keepThrough = MAX_ROW): SheetView | null {
      const part = sheetParts.get(name);
      if (!part) return null;
      const key = `${part}\n${keepThrough}`;
      let s = parsed.get(key);
      if (!s) {
        try {
          s = parseSheet(text(part, name)!, name, ctx, part, keepThrough);
        } catch (e) {
          // Where the scan stopped, for the message of a file no reader can read.
          if (e instanceof Unsupported && (e.part ?? part) === part) [e.part, e.sheet] = [part, name];
          throw e;
        }
        parsed.set(key, s);
      }
      return s;
    },
  };
}

/** Sheet name → part, for the worksheets the workbook lists (through its relationships) and the package holds. */
function worksheetParts(workbook: string, relsXml: string, entries: Map<string, Buffer>): Map<string, string> {
  checkPlain(relsXml, 'workbook rels');
  const sheetParts = new Map<string, string>();
  for (const { name, part } of listedMemo.get(`${workbook.length}:${workbook}${relsXml}`, () => listedSheets(workbook, relsXml))) {
    if (!entries.has(part)) continue;
    if (sheetParts.has(name)) throw new Unsupported('two sheets with one name');
    sheetParts.set(name, part);
  }
  return sheetParts;
}

/** The workbook's and its relationships' reading, kept for the next files (parts.ts PartMemo). */
const listedMemo = new PartMemo<{ name: string; part: string }[]>(8, 128 * 1024);

/** The sheets the workbook lists whose relationship points to a part named as a worksheet, in order. */
function listedSheets(workbook: string, relsXml: string): { name: string; part: string }[] {
  const rels = new Map<string, string>();
  for (const m of relsXml.matchAll(/<Relationship([\s/][^>]*?)?\/?>/g)) {
    const a = attributes(m[1]);
    if (a.get('Id') && a.get('Target') !== undefined) rels.set(a.get('Id')!, a.get('Target')!);
  }
  const listed: { name: string; part: string }[] = [];
  for (const m of workbook.matchAll(/<sheet([\s/][^>]*?)?\/?>/g)) {
    const a = attributes(m[1]);
    const name = a.get('name');
    const rid = a.get('r:id');
    if (name === undefined || !rid) continue;
    const target = rels.get(rid);
    if (target === undefined) continue;
    // exceljs: "xl/" + the target without a leading "/xl/"; only parts named xl/worksheets/sheetN.xml are worksheets.
    const part = `xl/${target.replace(/^(\s|\/xl\/)+/, '')}`;
    if (/xl\/worksheets\/sheet(\d+)[.]xml/.test(part)) listed.push({ name, part });
  }
  return listed;
}
