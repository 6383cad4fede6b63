/** `hoctap report`: from the store to the files (HTML, PDF, DOCX, XLSX) of the year's consolidated report. */
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { Profile, Workspace } from '../catalog/workspace.ts';
import { fsErrorReason, UserError } from '../errors.ts';
import { computeScores } from '../scoring/score.ts';
import { computeStatus } from '../scoring/status.ts';
import type { ScoreReport } from '../scoring/types.ts';
import type { Store } from '../store/store.ts';
import type { ReportDate } from './format.ts';
import { annexTemplatesCustomised, loadTemplates, renderAnnexHtml, renderAnnexParts, renderReportHtml, type TemplateSet } from './html.ts';
import { writeAnnexPdf, type TypesetResult } from './typeset/annex.ts';
import { buildReportModel, type ReportInput, type ReportModel, type TrendPoint } from './model/index.ts';
import { trendPoint } from './model/counts.ts';
import { nhanDinhNotice, syncNhanDinh } from './nhan-dinh-file.ts';
import { findBrowser, noBrowserMessage, renderPdfs, startBrowser, type FindBrowserOptions, type StartedBrowser } from './pdf.ts';
import { writeReportXlsx } from './xlsx.ts';
import { writeAnnexDocx, writeReportDocx } from './docx/index.ts';
import { writeAtomically, writeAtomicallyAsync, writeError } from './write-file.ts';

export const REPORT_FORMATS = ['html', 'pdf', 'docx', 'xlsx'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** How many years the trend chart shows at most (the latest ones). */
const TREND_YEARS = 10;

export interface GenerateOptions {
  year: number;
  /** Default: <workspace>/reports/<year>. */
  outDir?: string;
  formats: ReportFormat[];
  /** True when --format named the formats (a missing browser is then an error when pdf is among them). */
  formatsExplicit: boolean;
  date: ReportDate;
  browser?: string;
  /** Where to look for a browser (tests replace the platform and the file system). */
  browserSearch?: Omit<FindBrowserOptions, 'explicit'>;
  /** Progress and notices for the analyst (stderr). */
  notice?: (line: string) => void;
  /** Called with the browser's path when the PDF rendering starts (it takes a few seconds). */
  onPdfStart?: (browser: string) => void;
  /** Called with each file once it is written: a run that fails on one file has still said where the others are. */
  onFile?: (file: GenerateResult['files'][number]) => void;
  /** The document's number and signer for this run, over the workspace config's (`documentNumber`, `signer`). */
  document?: DocumentOptions;
  /** --final: the report of a locked year, without the draft mark (the CLI refuses it on a year not locked). */
  final?: boolean;
  /** How much unit text one printed part of a separate Phụ lục III holds (default ANNEX_PART_CHARS, html.ts). */
  annexPartChars?: number;
}

export interface DocumentOptions { number?: string; signerName?: string; signerTitle?: string; signerAuthority?: string }

/** The profile with this run's document number and signer; a number carrying its own symbol is refused. */
export function withDocumentOptions(profile: Profile, d: DocumentOptions = {}): Profile {
  const number = d.number?.trim();
  if (number !== undefined && (!number || /[/\s]/.test(number))) {
    throw new UserError(`--number "${d.number}" không hợp lệ: chỉ ghi số của văn bản (ví dụ 125); ký hiệu "/BC-${profile.issuingBodyAbbreviation}" được thêm tự động.`);
  }
  const signer = { ...profile.signer };
  if (d.signerName !== undefined) signer.name = d.signerName.trim();
  if (d.signerTitle !== undefined) signer.title = d.signerTitle.trim();
  if (d.signerAuthority !== undefined) signer.authority = d.signerAuthority.trim();
  return { ...profile, documentNumber: number ?? profile.documentNumber, signer };
}

export interface GenerateResult {
  /**
   * Each file written, with the time its writing took (the PDF's: its own rendering, after the one before) and, for a
   * PDF printed in parts and joined, how many.
   */
  files: { format: ReportFormat; path: string; ms: number; parts?: number }[];
  /** Why no PDF was made, when one was wanted. */
  pdfProblem: string | null;
  /** The PDF was asked for by name (--format) and none could be made: the CLI says so as a failure. */
  pdfMissing: boolean;
}

/** Parses --format html,pdf,docx,xlsx (any order, duplicates ignored). */
export function parseReportFormats(value: string | undefined): { formats: ReportFormat[]; explicit: boolean } {
  if (value === undefined) return { formats: [...REPORT_FORMATS], explicit: false };
  const parts = value.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  const bad = parts.filter((p) => !(REPORT_FORMATS as readonly string[]).includes(p));
  if (bad.length || parts.length === 0) {
    throw new UserError(`--format "${value}" không hợp lệ: dùng một hoặc nhiều trong ${REPORT_FORMATS.join(', ')}, cách nhau bằng dấu phẩy (ví dụ --format pdf,xlsx).`);
  }
  return { formats: REPORT_FORMATS.filter((f) => parts.includes(f)), explicit: true };
}

/** Everything the report shows, read from the store. */
export async function collectReportInput(ws: Workspace, db: Store, year: number, date: ReportDate, final = false): Promise<{ input: ReportInput; score: ScoreReport }> {
  const score = await computeScores(ws, db, year);
  const status = await computeStatus(ws, db, year);
  // The report model reads narratives and figures in the shape of its own input (model/types.ts).
  const narratives = (await db.acceptedNarratives(year)).map((n) => ({ unit_code: n.unitCode, section_id: n.sectionId, text: n.text, received_at: n.receivedAt }));
  const figureIds = new Set(ws.catalog.narratives.flatMap((n) => n.figures.map((f) => f.id)));
  const figures = (await db.acceptedValues(year)).filter((v) => figureIds.has(v.fieldId))
    .map((v) => ({ unit_code: v.unitCode, field_id: v.fieldId, value_num: v.num }));
  const years = (await db.yearsWithData()).filter((y) => y <= year).slice(-TREND_YEARS);
  // Each year against its own targets (counts.ts): the year before is scored too, its milestones being its own.
  const trend: TrendPoint[] = [];
  for (const y of years) trend.push(trendPoint(y, y === year ? score.rollups.overall : (await computeScores(ws, db, y)).rollups.overall));
  return {
    input: {
      profile: ws.profile, catalog: ws.catalog, roster: ws.roster, score, status, narratives, figures, items: await db.acceptedItems(year), trend, date,
      review: { final, locked: (await db.yearLock(year)).locked, states: (await db.reviewsOfYear(year)).map((r) => ({ unitCode: r.unitCode, state: r.state })) },
    },
    score,
  };
}

export async function generateReport(ws: Workspace, db: Store, opts: GenerateOptions): Promise<GenerateResult> {
  const { year } = opts;
  if (!(await db.yearsWithData()).includes(year)) {
    throw new UserError((run) => `Chưa có số liệu năm ${year} được chấp nhận trong thư mục làm việc ${ws.dir}: hãy chạy "${run(['ingest'])}" với các biểu mẫu đã nhận trước khi lập báo cáo.`);
  }
  // The final report is the locked year's (docs/review.md): refused before anything is written.
  if (opts.final) {
    const lock = await db.yearLock(year);
    if (!lock.locked) {
      throw new UserError((run) => `Chưa lập được báo cáo chính thức (--final): số liệu năm ${year} chưa khóa. Người duyệt duyệt mọi đơn vị có số liệu rồi khóa năm bằng ` +
        `"${run(['lock', '--year', String(year)])}"; không có --final, báo cáo được lập như dự thảo (ghi "DỰ THẢO").`);
    }
  }
  // A --browser that does not exist is a mistake to report before anything is written.
  const wantPdf = opts.formats.includes('pdf');
  const found = wantPdf ? findBrowser({ ...opts.browserSearch, explicit: opts.browser }) : { choice: null, warnings: [] };
  for (const w of found.warnings) opts.notice?.(w);
  // The browser starts up while the report is built, and is closed whatever happens.
  const started = found.choice ? await startBrowser(found.choice.path) : null;
  try {
    return await writeReport(ws, db, opts, started);
  } finally {
    await started?.close();
  }
}

/** The report's files; `started`: the browser for the PDFs (null: none was found, or no PDF is wanted). */
async function writeReport(ws: Workspace, db: Store, opts: GenerateOptions, started: StartedBrowser | null): Promise<GenerateResult> {
  const { year } = opts;
  const wantPdf = opts.formats.includes('pdf');
  const { input, model, templates } = await prepareReport(ws, db, opts);
  const base = path.join(makeOutDir(ws, opts), `bao-cao-${year}`);
  const docs = reportDocuments(base, model, templates);
  const run = new ReportRun(opts.onFile);
  // Without a browser the HTML is kept even if only the PDF was asked for: it can be printed from any browser.
  const keepHtml = opts.formats.includes('html') || (wantPdf && !started);
  const pages = writeHtmlPages(docs, opts.formats, keepHtml, run);
  // The PDFs first, then the DOCX files and the workbook, one after the other. Written while the browser printed, they
  // took what the printing needed (it keeps both cores busy: about 40 s in all either way, 3,000 units) and added their
  // memory to the browser's (1,290 MiB against 780-840, bench). The garbage is collected before each heavy stage, and
  // before the printing V8's spare heap is given back to the system.
  const pdf = wantPdf ? await writePdfStage(docs, pages, started, keepHtml, opts, run) : { pdfProblem: null, pdfMissing: false };
  pages.clear();
  if (opts.formats.includes('docx')) {
    for (const d of docs) await run.attempt(() => writeDocx(d, run));
  }
  if (opts.formats.includes('xlsx')) {
    await run.attempt(async () => {
      const values = await db.acceptedValues(year);
      const [, ms] = await timed(() => writeAtomicallyAsync(`${base}.xlsx`, (tmp) => writeReportXlsx({
        catalog: ws.catalog, roster: ws.roster, score: input.score, values, texts: model.appendixIII,
      }, tmp)));
      run.wrote({ format: 'xlsx', path: `${base}.xlsx`, ms });
    });
  }
  run.files.sort((a, b) => REPORT_FORMATS.indexOf(a.format) - REPORT_FORMATS.indexOf(b.format));
  if (run.failure) throw run.failure;
  return { files: run.files, ...pdf };
}

/**
 * The run's document number and signer, the report's input and model (with the analyst's words of nhan-dinh.md, the
 * file given fresh drafts) and the templates; the analyst is told of a missing signer and of the workspace's templates.
 */
async function prepareReport(ws: Workspace, db: Store, opts: GenerateOptions): Promise<{ input: ReportInput; model: ReportModel; templates: TemplateSet }> {
  const profile = withDocumentOptions(ws.profile, opts.document);
  const { input } = await collectReportInput({ ...ws, profile }, db, opts.year, opts.date, opts.final === true);
  if (!profile.signer.name.trim()) {
    opts.notice?.('Chưa có tên người ký (signer.name trong hoctap.config.json, hoặc --signer): báo cáo để trống chỗ ghi tên dưới chữ ký.');
  }
  // The analyst's words (years/<year>/nhan-dinh.md) in place of the drafts they replace; the file gets fresh drafts.
  const nhanDinh = syncNhanDinh(ws.dir, opts.year, buildReportModel(input));
  opts.notice?.(nhanDinhNotice(nhanDinh));
  const templates = loadTemplates(ws.dir);
  if (templates.overridden.length) opts.notice?.(`Dùng mẫu riêng của thư mục làm việc: ${templates.overridden.map((f) => path.relative(process.cwd(), f) || f).join(', ')}`);
  return { input, model: nhanDinh.model, templates };
}

/** The folder the report is written to (--out, else <workspace>/reports/<year>), made if missing. */
function makeOutDir(ws: Workspace, opts: GenerateOptions): string {
  const outDir = path.resolve(opts.outDir ?? path.join(ws.dir, 'reports', String(opts.year)));
  try {
    fs.mkdirSync(outDir, { recursive: true });
  } catch (e) {
    // A read-only workspace among others: the reason in Vietnamese, and where to write instead.
    throw new UserError(`Không tạo được thư mục ${outDir}: ${fsErrorReason(e) ?? (e as Error).message} Có thể ghi báo cáo vào thư mục khác bằng --out <thư mục>.`);
  }
  return outDir;
}

/** The report, and with many units Phụ lục III as a document of its own beside it, in the same formats. */
function reportDocuments(base: string, model: ReportModel, templates: TemplateSet): ReportDocument[] {
  const docs: ReportDocument[] = [{ base, html: () => renderReportHtml(model, templates), docx: (f) => writeReportDocx(model, f) }];
  if (model.appendixIII.separate) {
    // Typeset by hoctap, in seconds, unless the workspace changed how it looks: then printed by the browser in parts.
    const typeset = !annexTemplatesCustomised(templates);
    docs.push({
      base: `${base}-phu-luc-III`, html: () => renderAnnexHtml(model, templates), docx: (f) => writeAnnexDocx(model.appendixIII, f),
      ...(typeset
        ? { typesetPdf: (f: string) => writeAnnexPdf(model.appendixIII, f) }
        : { printParts: (maxChars?: number) => renderAnnexParts(model, templates, maxChars) }),
    });
  }
  return docs;
}

/** The files a run has written, in the order written, and its first error. */
class ReportRun {
  readonly files: GenerateResult['files'] = [];
  failure: unknown = null;
  readonly #onFile?: (file: GenerateResult['files'][number]) => void;

  constructor(onFile?: (file: GenerateResult['files'][number]) => void) {
    this.#onFile = onFile;
  }

  /** Each file once written: the caller hears of it at once. */
  readonly wrote = (...written: GenerateResult['files']): void => {
    this.files.push(...written);
    for (const f of written) this.#onFile?.(f);
  };

  /** Each file is written even if the one before failed (a DOCX left open in Word); the first error is the run's. */
  async attempt(write: () => Promise<void>): Promise<void> {
    collectGarbage();
    try {
      await write();
    } catch (e) {
      this.failure ??= e;
    }
  }
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const value = await work();
  return [value, Math.round(performance.now() - t0)];
}

/**
 * Each document's page, kept for the browser to print; written as the HTML file when it is kept. A typeset PDF is made
 * from the model, not from the page: its HTML only if asked for.
 */
function writeHtmlPages(docs: ReportDocument[], formats: ReportFormat[], keepHtml: boolean, run: ReportRun): Map<ReportDocument, string> {
  const pages = new Map<ReportDocument, string>();
  for (const d of docs) {
    const keep = keepHtml && (formats.includes('html') || !d.typesetPdf);
    if (d.typesetPdf && !keep) continue;
    const t0 = performance.now();
    const html = d.html();
    pages.set(d, html);
    if (keep) {
      writeAtomically(`${d.base}.html`, (tmp) => fs.writeFileSync(tmp, html));
      run.wrote({ format: 'html', path: `${d.base}.html`, ms: Math.round(performance.now() - t0) });
    }
  }
  return pages;
}

/**
 * The PDFs: the printed ones with the browser (without one, why none was made), then the typeset ones, which need no
 * browser. The printing's error is the run's; the other formats are still written.
 */
async function writePdfStage(
  docs: ReportDocument[], pages: Map<ReportDocument, string>, started: StartedBrowser | null, keepHtml: boolean, opts: GenerateOptions, run: ReportRun,
): Promise<Pick<GenerateResult, 'pdfProblem' | 'pdfMissing'>> {
  let pdfMissing = false;
  let pdfProblem: string | null = null;
  const printed = docs.filter((d) => !d.typesetPdf);
  if (!started) {
    pdfProblem = noBrowserMessage(opts.browserSearch?.platform);
    if (opts.formatsExplicit) pdfMissing = true;
  } else {
    const jobs = printed.map((d) => ({ base: d.base, html: pages.get(d)!, parts: d.printParts?.(opts.annexPartChars) }));
    pages.clear();
    collectGarbage({ giveBack: true });
    try {
      run.wrote(...await writePdfs(started, jobs, keepHtml, opts.onPdfStart));
    } catch (e) {
      run.failure = e;
    }
  }
  for (const d of docs) if (d.typesetPdf) await run.attempt(() => writeTypesetPdf(d, run.wrote, opts.notice));
  return { pdfProblem, pdfMissing };
}

async function writeDocx(d: ReportDocument, run: ReportRun): Promise<void> {
  const [, ms] = await timed(() => writeAtomicallyAsync(`${d.base}.docx`, (tmp) => d.docx(tmp)));
  run.wrote({ format: 'docx', path: `${d.base}.docx`, ms });
}

let gc: ((options?: object) => void) | null = null;

/**
 * A full garbage collection between the report's stages: V8 collects lazily, and the garbage of one stage was still
 * there when the next took new memory on top. `giveBack`: V8's spare heap is also given back to the system. V8 keeps
 * the young generation it grew to while the scores were computed (128 MiB for 3,000 units, Node 24) until the process
 * ends; the "last resort" collection shrinks it (Node 22 and 24): Node held 230 MiB while the browser printed,
 * against 400 (bench). Only before the printing: it grows back, and the stages after it ran 30-50 % slower with it.
 * The collector is reached as Jest reaches it.
 */
function collectGarbage(o: { giveBack?: boolean } = {}): void {
  if (!gc) {
    v8.setFlagsFromString('--expose-gc');
    gc = vm.runInNewContext('gc') as (options?: object) => void;
  }
  gc(o.giveBack ? { type: 'major', execution: 'sync', flavor: 'last-resort' } : undefined);
}

interface ReportDocument {
  base: string;
  html: () => string;
  docx: (file: string) => Promise<void>;
  /** A long document is printed in parts (HTML documents) joined into one PDF, */
  printParts?: (maxChars?: number) => string[];
  /** or typeset without the browser. */
  typesetPdf?: (file: string) => Promise<TypesetResult>;
}

/** A PDF typeset by hoctap; the analyst is told of characters the bundled font does not have. */
async function writeTypesetPdf(d: ReportDocument, wrote: (f: GenerateResult['files'][number]) => void, notice?: (message: string) => void): Promise<void> {
  const t0 = performance.now();
  const file = `${d.base}.pdf`;
  const { missing } = await writeAtomicallyAsync(file, (tmp) => d.typesetPdf!(tmp));
  wrote({ format: 'pdf', path: file, ms: Math.round(performance.now() - t0) });
  if (!missing.length) return;
  const shown = missing.slice(0, 8).map((cp) => `“${String.fromCodePoint(cp)}” (U+${cp.toString(16).toUpperCase().padStart(4, '0')})`).join(', ');
  notice?.(`${path.basename(file)}: ${missing.length} ký tự không có trong phông chữ Tinos đi kèm hoctap được in thành ô trống: ${shown}${missing.length > 8 ? ', …' : ''}. Bản HTML và DOCX giữ nguyên các ký tự này: cần bản PDF có đủ thì mở tệp DOCX bằng Word và lưu thành PDF.`);
}

/**
 * Every document's PDF with one browser, one after the other (one page laid out at a time keeps the memory down); a
 * document given in parts is printed part by part and joined (pdf.ts).
 */
async function writePdfs(started: StartedBrowser, docs: { base: string; html: string; parts?: string[] }[], keepHtml: boolean, onStart?: (browser: string) => void): Promise<GenerateResult['files']> {
  const browser = started.path;
  // The page the browser opens sits in the output folder even when no HTML was asked for: a confined browser
  // (Ubuntu's snap Chromium) cannot read the system's temporary folder. A document printed in parts needs no whole page.
  const jobs = docs.map((d) => ({
    html: keepHtml ? `${d.base}.html` : `${d.base}.tmp-${process.pid}.html`, pdf: `${d.base}.pdf.tmp-${process.pid}`, base: d.base, page: d.html,
    parts: d.parts && d.parts.length > 1 ? d.parts : undefined,
  }));
  const done: GenerateResult['files'] = [];
  try {
    if (!keepHtml) for (const j of jobs) if (!j.parts) fs.writeFileSync(j.html, j.page);
    onStart?.(browser);
    let t0 = performance.now();
    try {
      await renderPdfs(started, jobs, (job) => {
        const j = jobs.find((x) => x.pdf === job.pdf)!;
        fs.renameSync(j.pdf, `${j.base}.pdf`);
        done.push({ format: 'pdf', path: `${j.base}.pdf`, ms: Math.round(performance.now() - t0), ...(j.parts ? { parts: j.parts.length } : {}) });
        t0 = performance.now();
      });
    } catch (e) {
      if (e instanceof UserError) throw e;
      const asWrite = writeError(`${docs[0].base}.pdf`, e);
      if (asWrite instanceof UserError) throw asWrite;
      throw new UserError(`Không tạo được PDF bằng ${browser}: ${String((e as Error).message).split('\n')[0]}`, 1);
    }
    return done;
  } finally {
    for (const j of jobs) {
      fs.rmSync(j.pdf, { force: true });
      if (!keepHtml) fs.rmSync(j.html, { force: true });
    }
  }
}
