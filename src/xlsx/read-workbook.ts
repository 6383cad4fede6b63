/**
 * Reads a returned workbook's `_meta` (who, which year, which catalog, where every input is) and gives a view of its
 * sheets. The targeted reader (fast.ts) reads it from the entries zip-check inflated, within the limits of bounds.ts;
 * exceljs reads only the files it declines, and only those proven small. Nothing is interpreted here: ingest
 * normalises and judges.
 */
import ExcelJS from 'exceljs';
import { MAX_ROW, parseA1 } from './a1.ts';
import { fallbackBounds, longTextFault } from './bounds.ts';
import { exceljsSheetView, exceljsWorkbookView } from './exceljs-view.ts';
import { FileFault, fileFault, type Fault, type FaultCode } from './fault.ts';
import { fastWorkbook, type FastWorkbook } from './fast.ts';
import { Package } from './package.ts';
import { META_SHEET, SHEETS, parseMeta, type MetaFailure, type TemplateMeta } from './meta.ts';
import { checkStoredValues } from './sheet-read.ts';
import { signatureStatus, type SignatureStatus } from './signature.ts';
import type { SheetView, WorkbookView } from './view.ts';
import { Unsupported } from './xml.ts';

/**
 * Why a workbook could not be read: a fault of its bytes (words: ingest's table of codes), or a `_meta` that is
 * missing or edited into nonsense (worded by meta.ts, as it always was).
 */
export type ReadFailure =
  | { ok: false; code: FaultCode; fault: Fault }
  | { ok: false; code: 'no_meta' | MetaFailure['code']; fault?: undefined; reason: string; expected: string };

/**
 * What the feedback copy is made from: the zip's own parts (patched, never loaded whole), or, for a small file only
 * exceljs could read, the workbook exceljs loaded.
 */
export type WorkbookSource =
  | { kind: 'parts'; bytes: Buffer; files: Map<string, Buffer> }
  | { kind: 'exceljs'; workbook: ExcelJS.Workbook };

/**
 * `workbook`: the sheets as ingest reads them, every one already read (checks never parse bytes); `source`: for the
 * feedback copy; `signature`: whether `_meta` carries this workspace's signature of itself (only when the key was given).
 */
export type WorkbookRead = { ok: true; workbook: WorkbookView; meta: TemplateMeta; source: WorkbookSource; signature?: SignatureStatus } | ReadFailure;

export interface ReadOptions {
  /** The workspace's signing key (signature.ts workspaceKey): the `_meta` signature is verified with it. */
  key?: Buffer;
}

const TEMPLATE_EXPECTED = 'biểu mẫu do hoctap tạo (lệnh generate-templates), điền vào các ô nền vàng';

const noMeta = (): ReadFailure => ({
  ok: false, code: 'no_meta', reason: `không phải biểu mẫu hoctap (không có trang ẩn ${META_SHEET})`, expected: TEMPLATE_EXPECTED,
});

const failed = (e: FileFault): ReadFailure => ({ ok: false, code: e.fault.code, fault: e.fault });

/** Where the targeted reader stopped, when it declined a file. */
interface Declined { part: string | null; sheet: string | null }

/** The targeted reader's answer: a read, a fault it is sure of, or a file it declines (with what it found). */
type FastAnswer = { ok: true; read: WorkbookRead } | { ok: false; found: MetaFailure | ReadFailure | null; at: Declined };

/**
 * Every sheet ingest reads, read now: `_meta`, the sheets of the template and every sheet `_meta` names. The view
 * answers only from them; a check asking for another sheet the workbook has is a bug of hoctap, said as such.
 *
 * Ingest reads the cells of a template's rows only (titles, headers, each input and the label on its row), all of
 * them on or above the last row `_meta` maps: the cells of rows below are checked but not kept (their count and
 * widths are), so that a sheet with hundreds of thousands of added rows costs no more than its bytes.
 */
function readStage(workbook: FastWorkbook, meta: TemplateMeta): WorkbookView {
  const sheets = new Map<string, SheetView>();
  const keepThrough = meta.entries.length ? meta.entries.reduce((last, e) => Math.max(last, parseA1(e.cell)?.row ?? MAX_ROW), 1) : MAX_ROW;
  for (const name of new Set([META_SHEET, ...Object.values(SHEETS), ...meta.entries.map((e) => e.sheet)])) {
    const sheet = name === META_SHEET ? workbook.sheet(name) : workbook.sheet(name, keepThrough);
    if (sheet) sheets.set(name, sheet);
  }
  return {
    sheet(name) {
      const sheet = sheets.get(name);
      if (!sheet && workbook.has(name)) throw new Error(`read stage: sheet "${name}" was not read (add it to readStage in src/xlsx/read-workbook.ts)`);
      return sheet ?? null;
    },
  };
}

/**
 * Reads `_meta` and every sheet ingest needs with the targeted reader. A fault it is sure of (a limit, a value stored
 * against its type, a part that is not UTF-8) is a refusal; a file without `_meta` or with a `_meta` edited into
 * nonsense is declined with that finding (exceljs, which reads more kinds of file, has the last word on small files, so
 * that every message about a bad file is the one it always was).
 */
function readFast(files: Map<string, Buffer>, bytes: Buffer): FastAnswer {
  const at: Declined = { part: null, sheet: null };
  try {
    const workbook = fastWorkbook(files);
    const sheet = workbook.sheet(META_SHEET);
    if (!sheet) return { ok: false, found: noMeta(), at };
    const meta = parseMeta(sheet);
    if (!meta.ok) return { ok: false, found: meta, at };
    return { ok: true, read: { ok: true, workbook: readStage(workbook, meta.meta), meta: meta.meta, source: { kind: 'parts', bytes, files } } };
  } catch (e) {
    if (e instanceof FileFault) return { ok: true, read: failed(e) };
    // Unsupported (or anything unexpected in the scan, a library's error included): the full reader decides, if the
    // file is small.
    if (e instanceof Unsupported) [at.part, at.sheet] = [e.part, e.sheet];
    return { ok: false, found: null, at };
  }
}

async function loadExcel(bytes: Buffer, at: Declined): Promise<{ ok: true; workbook: ExcelJS.Workbook } | ReadFailure> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    // exceljs's own message is technical English ("Cannot read properties of undefined"): the unit needs the remedy.
    return failed(fileFault('unreadable_workbook', { sheet: at.sheet }, at.part));
  }
  if (workbook.worksheets.length === 0) {
    // Some tools write XML that exceljs reads as an empty workbook (namespace-prefixed tags): a re-save fixes it.
    return failed(fileFault('unreadable_workbook', { sheet: null, noSheets: true }));
  }
  return { ok: true, workbook };
}

/**
 * Reads the workbook's `_meta` and the sheets ingest needs. The bytes have passed zip-check already; `files` are its
 * inflated entries. Without them (a caller that did not run zip-check) nothing bounds exceljs's work: such bytes are
 * refused. Every problem of the bytes is a ReadFailure: nothing thrown leaves this function but a bug of hoctap.
 */
export async function readWorkbook(bytes: Buffer, files?: Map<string, Buffer> | null, opts: ReadOptions = {}): Promise<WorkbookRead> {
  const read = await readUnsigned(bytes, files);
  if (!read.ok || !opts.key) return read;
  return { ...read, signature: signatureStatus(read.meta, opts.key) };
}

async function readUnsigned(bytes: Buffer, files?: Map<string, Buffer> | null): Promise<WorkbookRead> {
  if (!files) return failed(fileFault('workbook_too_complex', { sheet: null, unchecked: true }));
  const fast = readFast(files, bytes);
  if (fast.ok) return fast.read;
  if (!fallbackBounds(files)) return fast.found ?? failed(fileFault('workbook_too_complex', { sheet: fast.at.sheet }, fast.at.part));
  try {
    // exceljs would hold a long text several times over, and read "76,5" in a number cell as 76.
    const long = longTextFault(files);
    if (long) return failed(long);
    const pkg = new Package(files);
    checkStoredValues(pkg.sheets().map((s) => ({ name: s.name, xml: pkg.text(s.part) ?? '', part: s.part })));
  } catch (e) {
    if (e instanceof FileFault) return failed(e);
    // XML these scans cannot follow (an unknown entity in an attribute…): not read at all rather than read unchecked.
    if (e instanceof Unsupported) return failed(fileFault('unreadable_workbook', { sheet: fast.at.sheet }, fast.at.part));
    throw e;
  }
  const loaded = await loadExcel(bytes, fast.at);
  if (!loaded.ok) return loaded;
  const { workbook } = loaded;
  const sheet = workbook.getWorksheet(META_SHEET);
  if (!sheet) return noMeta();
  const meta = parseMeta(exceljsSheetView(sheet));
  if (!meta.ok) return meta;
  return { ok: true, workbook: exceljsWorkbookView(workbook), meta: meta.meta, source: { kind: 'exceljs', workbook } };
}
