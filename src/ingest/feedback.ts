/**
 * The copy sent back to a unit: its own workbook with every flagged cell filled (red: error, orange: warning) and a
 * note holding the message, plus a sheet listing every message. For a CSV file, the same rows with two added columns.
 *
 * The workbook is never loaded whole: its parts are patched as text (fills and notes on the flagged cells, the list
 * sheet added) and zipped again, the untouched parts copied as they were compressed. Only a small file that exceljs
 * read (the targeted reader declined it) is written back through exceljs.
 */
import fs from 'node:fs';
import path from 'node:path';
import type ExcelJS from 'exceljs';
import { workbookBytes } from '../templates/xlsx-write.ts';
import { Package } from '../xlsx/package.ts';
import { SheetPatch, Styles } from '../xlsx/patch-cells.ts';
import { addNotes } from '../xlsx/patch-comments.ts';
import { activateSheet, addSheet } from '../xlsx/patch-sheet.ts';
import type { WorkbookSource } from '../xlsx/read-workbook.ts';
import { findingText } from '../findings/render.ts';
import type { IngestMessage, Location } from './types.ts';

export const FEEDBACK_SUFFIX = '.kiem-tra';
export const FEEDBACK_SHEET = 'KiemTra';

const ARGB = { error: 'FFFF7C80', warning: 'FFFFC000' } as const;
const FILL = {
  error: { type: 'pattern', pattern: 'solid', fgColor: { argb: ARGB.error } } as ExcelJS.Fill,
  warning: { type: 'pattern', pattern: 'solid', fgColor: { argb: ARGB.warning } } as ExcelJS.Fill,
};
const LIST_COLUMNS = [
  { header: 'Mức độ', width: 11 }, { header: 'Trang', width: 10 }, { header: 'Ô', width: 8 }, { header: 'Chỉ số', width: 11 },
  { header: 'Mã ô', width: 18 }, { header: 'Giá trị nhận được', width: 22 }, { header: 'Cần', width: 40 }, { header: 'Nội dung', width: 90 },
];
const NO_MESSAGE = 'Không có lỗi hay cảnh báo.';
const SEVERITY_LABEL = { error: 'Lỗi', warning: 'Cảnh báo' } as const;
/** Excel shows at most a few thousand characters in a note comfortably. */
const NOTE_MAX = 2000;

/** The feedback file name beside the others in the folder, never overwriting one written in the same batch. */
export function feedbackPathFor(dir: string, sourceFile: string, ext: '.xlsx' | '.csv', taken: Set<string>): string {
  const base = path.basename(sourceFile).replace(/\.[^.]+$/, '');
  let candidate = path.join(dir, `${base}${FEEDBACK_SUFFIX}${ext}`);
  for (let i = 2; taken.has(candidate); i++) candidate = path.join(dir, `${base}${FEEDBACK_SUFFIX}-${i}${ext}`);
  taken.add(candidate);
  return candidate;
}

interface Mark { sheet: string; cell: string; severity: 'error' | 'warning'; note: string }

/** One mark per flagged cell: the worst severity, every message about it in one note. */
function marksOf(messages: IngestMessage[], missing: Location[]): Mark[] {
  const byCell = new Map<string, { sheet: string; cell: string; severity: 'error' | 'warning'; texts: string[] }>();
  const mark = (sheet: string, cell: string, severity: 'error' | 'warning', text: string) => {
    const key = `${sheet}!${cell}`;
    const entry = byCell.get(key) ?? byCell.set(key, { sheet, cell, severity, texts: [] }).get(key)!;
    if (severity === 'error') entry.severity = 'error';
    entry.texts.push(text);
  };
  for (const m of messages) {
    if (m.sheet && m.cell) mark(m.sheet, m.cell, m.severity, `${SEVERITY_LABEL[m.severity]}: ${noteText(m)}`);
  }
  for (const loc of missing) {
    if (loc.sheet && loc.cell) mark(loc.sheet, loc.cell, 'warning', 'Cảnh báo: ô còn trống, được tính là thiếu số liệu (không phải 0).');
  }
  return [...byCell.values()].map(({ sheet, cell, severity, texts }) => {
    const note = texts.join('\n\n');
    return { sheet, cell, severity, note: note.length > NOTE_MAX ? `${note.slice(0, NOTE_MAX)}…` : note };
  });
}

/**
 * Marks the messages on the received workbook and writes it to `outFile`. `missing` cells (inputs left empty) are
 * marked as warnings too, so the unit sees what is still to fill.
 */
export async function writeXlsxFeedback(source: WorkbookSource, messages: IngestMessage[], missing: Location[], outFile: string): Promise<void> {
  const marks = marksOf(messages, missing);
  const buffer = source.kind === 'parts' ? patchedCopy(source.bytes, source.files, marks, messages) : await exceljsCopy(source.workbook, marks, messages);
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, buffer);
}

/** The received parts with the marks and the list sheet added. */
function patchedCopy(bytes: Buffer, files: Map<string, Buffer>, marks: Mark[], messages: IngestMessage[]): Buffer {
  const pkg = new Package(files);
  const stylesXml = pkg.text('xl/styles.xml');
  if (stylesXml === undefined) throw new Error('bảng tính không có phần định dạng (styles.xml)');
  const styles = new Styles(stylesXml);
  const fills = { error: styles.solidFill(ARGB.error), warning: styles.solidFill(ARGB.warning) };
  const sheets = pkg.sheets();
  for (const sheet of new Set(marks.map((m) => m.sheet))) {
    const ref = sheets.find((s) => s.name === sheet);
    const data = ref && pkg.data(ref.part);
    if (!ref || data === undefined) continue;
    const here = marks.filter((m) => m.sheet === sheet);
    // The sheet is patched in place: its cells are copied as slices of the bytes received, never decoded whole.
    const patch = new SheetPatch(data);
    patch.restyle(new Map(here.map((m) => [m.cell, (current: number) => styles.withFill(current, fills[m.severity])])));
    addNotes(pkg, ref.part, patch, here.map((m) => ({ address: m.cell, text: m.note })));
    pkg.setPieces(ref.part, patch.pieces());
  }
  const header = styles.format({ bold: true });
  const wrap = styles.format({ wrapTop: true });
  const severity = { error: styles.format({ wrapTop: true, fillId: fills.error }), warning: styles.format({ wrapTop: true, fillId: fills.warning }) };
  const rows: { values: string[]; styles: number | number[] }[] = [{ values: LIST_COLUMNS.map((c) => c.header), styles: header }];
  if (!messages.length) rows.push({ values: ['', '', '', '', '', '', '', NO_MESSAGE], styles: 0 });
  for (const m of messages) rows.push({ values: listRow(m), styles: [severity[m.severity], ...Array<number>(7).fill(wrap)] });
  const name = addSheet(pkg, { name: FEEDBACK_SHEET, tabColor: 'FFFF0000', widths: LIST_COLUMNS.map((c) => c.width), rows, frozenRows: 1 });
  pkg.set('xl/styles.xml', styles.xml);
  // Open the workbook on the list: it is what the unit has to read first.
  activateSheet(pkg, name);
  return pkg.bytes(bytes);
}

function listRow(m: IngestMessage): string[] {
  return [SEVERITY_LABEL[m.severity], m.sheet ?? '', m.cell ?? '', m.indicator ?? '', m.field ?? '', m.value ?? '', m.expected ?? '', m.text];
}

/** The same through exceljs, for a small workbook exceljs has loaded (it is modified). */
async function exceljsCopy(workbook: ExcelJS.Workbook, marks: Mark[], messages: IngestMessage[]): Promise<Buffer> {
  for (const { sheet, cell, severity, note } of marks) {
    const ws = workbook.getWorksheet(sheet);
    if (!ws) continue;
    const c = ws.getCell(cell);
    // A fresh style object: cells of a template share one, and a fill set on it would colour every input.
    c.style = { ...c.style, fill: FILL[severity] };
    c.note = note;
  }
  addListSheet(workbook, messages);
  return workbookBytes(workbook);
}

/** The message without the file name (the unit knows which file it is reading). */
function noteText(m: IngestMessage): string {
  return findingText(m, { inFile: true });
}

function addListSheet(workbook: ExcelJS.Workbook, messages: IngestMessage[]): void {
  let name = FEEDBACK_SHEET;
  for (let i = 2; workbook.getWorksheet(name); i++) name = `${FEEDBACK_SHEET}${i}`;
  const sheet = workbook.addWorksheet(name, { properties: { tabColor: { argb: 'FFFF0000' } } });
  sheet.columns = LIST_COLUMNS;
  sheet.getRow(1).font = { bold: true };
  if (!messages.length) sheet.addRow(['', '', '', '', '', '', '', NO_MESSAGE]);
  for (const m of messages) {
    const row = sheet.addRow(listRow(m));
    row.getCell(1).fill = FILL[m.severity];
    row.alignment = { wrapText: true, vertical: 'top' };
  }
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  // Open the workbook on the list: it is what the unit has to read first.
  const index = workbook.worksheets.indexOf(sheet);
  workbook.views = [{ x: 0, y: 0, width: 20000, height: 12000, firstSheet: 0, activeTab: Math.max(index, 0), visibility: 'visible' }];
}

/**
 * A cell a spreadsheet would run as a formula (= + - @, or a tab or line break first) gets an apostrophe in front:
 * the unit opens this file in Excel, and a value it sent, echoed back, must stay text. The XLSX copy writes every
 * text as text already.
 */
export function neutralise(v: string): string {
  return /^[=+\-@\t\r\n]/.test(v) ? `'${v}` : v;
}

/**
 * The received CSV rows with two columns added (severity, messages); file-level messages at the end. Linear in the
 * rows and messages (a 100,000-line file has its copy in a moment).
 */
export function writeCsvFeedback(records: { line: number; cells: string[] }[], delimiter: ',' | ';', messages: IngestMessage[], outFile: string): void {
  const esc = (raw: string) => {
    const v = neutralise(raw);
    return /["\n\r,;]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
  };
  const byLine = new Map<number, IngestMessage[]>();
  for (const m of messages) if (m.line) (byLine.get(m.line) ?? byLine.set(m.line, []).get(m.line)!).push(m);
  const lines: string[] = [];
  const recordLines = new Set<number>();
  records.forEach((r, i) => {
    recordLines.add(r.line);
    const ms = byLine.get(r.line) ?? [];
    const severity = i === 0 ? 'kiem_tra_muc_do' : ms.some((m) => m.severity === 'error') ? SEVERITY_LABEL.error : ms.length ? SEVERITY_LABEL.warning : '';
    const text = i === 0 ? 'kiem_tra_noi_dung' : ms.map((m) => m.text).join(' | ');
    lines.push([...r.cells, severity, text].map(esc).join(delimiter));
  });
  const width = records[0]?.cells.length ?? 0;
  for (const m of messages.filter((x) => !x.line || !recordLines.has(x.line))) {
    lines.push([...Array<string>(width).fill(''), SEVERITY_LABEL[m.severity], m.text].map(esc).join(delimiter));
  }
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, '\uFEFF' + lines.join('\r\n') + '\r\n');
}

/** A feedback copy being written: `.<name>.<sha256 of the file checked>.<pid>.tmp`, beside the copy it becomes. */
const STAGED = /^\.(.+)\.([0-9a-f]{64})\.(\d+)\.tmp$/;

interface Staged { tmp: string; final: string; failed: (e: Error) => void }

/**
 * Feedback copies are written under a hidden temporary name and shown (renamed to their name) only once the batch
 * that stores their files has committed: no copy goes back to a unit for a file the store does not have. A run killed
 * between the commit and the renames leaves temporary files: the next ingest shows those whose file is stored and
 * removes the others (tidyFeedback). With nothing to commit (a dry run), a copy is shown as soon as it is written.
 */
export class FeedbackFiles {
  private readonly immediate: boolean;
  private staged: Staged[] = [];

  constructor(immediate: boolean) {
    this.immediate = immediate;
  }

  /** Where to write the copy that will be shown as `final`. */
  temporary(final: string, sha256: string): string {
    return path.join(path.dirname(final), `.${path.basename(final)}.${sha256}.${process.pid}.tmp`);
  }

  /** The copy is written at `tmp`; `failed` is told if it cannot be shown. */
  written(tmp: string, final: string, failed: (e: Error) => void): void {
    this.staged.push({ tmp, final, failed });
    if (this.immediate) this.publish();
  }

  /** After a commit: every copy written so far gets its name. */
  publish(): void {
    for (const s of this.staged) {
      try {
        fs.renameSync(s.tmp, s.final);
      } catch (e) {
        fs.rmSync(s.tmp, { force: true });
        s.failed(e as Error);
      }
    }
    this.staged = [];
  }

  /** The batch was dropped: its copies are removed. */
  discard(): void {
    for (const s of this.staged) fs.rmSync(s.tmp, { force: true });
    this.staged = [];
  }
}

/**
 * Temporary copies left by a killed run in `dirs` or their sub-folders (one level: feedback/<date_time>/): shown when
 * the file they are about is stored (`stored`), removed when it is not. Those of a process still running are left.
 */
export async function tidyFeedback(dirs: string[], stored: (sha256: string) => Promise<boolean>, alive: (pid: number) => boolean): Promise<number> {
  let tidied = 0;
  const visit = async (dir: string, depth: number) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const d of entries) {
      if (d.isDirectory() && depth > 0) await visit(path.join(dir, d.name), depth - 1);
      const m = d.isFile() ? STAGED.exec(d.name) : null;
      if (!m || alive(Number(m[3]))) continue;
      const tmp = path.join(dir, d.name);
      const final = path.join(dir, m[1]);
      if ((await stored(m[2])) && !fs.existsSync(final)) fs.renameSync(tmp, final);
      else fs.rmSync(tmp, { force: true });
      tidied++;
    }
  };
  for (const dir of dirs) await visit(dir, 1);
  return tidied;
}
