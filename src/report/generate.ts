/** `hoctap report`: from the store to the files (HTML, PDF, DOCX, XLSX) of the year's consolidated report. */
import fs from 'node:fs';
import path from 'node:path';
import type { Profile, Workspace } from '../catalog/workspace.ts';
import { fsErrorReason, UserError } from '../errors.ts';
import { computeScores } from '../scoring/score.ts';
import { computeStatus } from '../scoring/status.ts';
import type { ScoreReport } from '../scoring/types.ts';
import type { Store, StoredValue } from '../store/store.ts';
import type { ReportDate } from './format.ts';
import { annexTemplatesCustomised, loadTemplates, renderAnnexHtml, renderAnnexParts, renderReportHtml, type TemplateSet } from './html.ts';
import { writeAnnexPdf } from './typeset/annex.ts';
import { buildReportModel, type ReportInput, type ReportModel, type TrendPoint } from './model/index.ts';
import { trendPoint } from './model/counts.ts';
import { nhanDinhNotice, syncNhanDinh } from './nhan-dinh-file.ts';
import { findBrowser, startBrowser, type FindBrowserOptions, type StartedBrowser } from './pdf.ts';
import { writeReportXlsx } from './xlsx.ts';
import { writeAnnexDocx, writeReportDocx } from './docx/index.ts';
import { writeAtomicallyAsync } from './write-file.ts';
import {
  printPdfs, ReportRun, REPORT_FORMATS, timed, writeDocx, writeHtmlPages, writeTypesetPdf, type GenerateResult, type ReportDocument, type ReportFormat,
} from './write-files.ts';

export { REPORT_FORMATS, type GenerateResult, type ReportFormat } from './write-files.ts';

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
export async function collectReportInput(
  ws: Workspace, db: Store, year: number, date: ReportDate, final = false,
): Promise<{ input: ReportInput; score: ScoreReport; values: StoredValue[] }> {
  // Every accepted figure, read once: scored here, the narratives' figures below, all of them in the workbook (xlsx.ts).
  const values = await db.acceptedValues(year);
  const score = await computeScores(ws, db, year, values);
  const status = await computeStatus(ws, db, year);
  // The report model reads narratives and figures in the shape of its own input (model/types.ts).
  const narratives = (await db.acceptedNarratives(year)).map((n) => ({ unit_code: n.unitCode, section_id: n.sectionId, text: n.text, received_at: n.receivedAt }));
  const figureIds = new Set(ws.catalog.narratives.flatMap((n) => n.figures.map((f) => f.id)));
  const figures = values.filter((v) => figureIds.has(v.fieldId))
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
    values,
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

/**
 * The report's files; `started`: the browser for the PDFs (null: none was found, or no PDF is wanted).
 * The browser prints (it keeps one core busy) while Node writes what it makes itself: the typeset PDFs, the workbook
 * and the DOCX files, each giving way often to the printing's messages. At 3,000 units on 2 cores the report took
 * 20–21 s so, against 34–39 s with the files written after the printing (docs/benchmarks.md).
 */
async function writeReport(ws: Workspace, db: Store, opts: GenerateOptions, started: StartedBrowser | null): Promise<GenerateResult> {
  const { formats } = opts;
  const wantPdf = formats.includes('pdf');
  const { input, model, templates, values } = await prepareReport(ws, db, opts);
  const base = path.join(makeOutDir(ws, opts), `bao-cao-${opts.year}`);
  const docs = reportDocuments(base, model, templates);
  const run = new ReportRun(opts.onFile);
  // Without a browser the HTML is kept even if only the PDF was asked for: it can be printed from any browser.
  const keepHtml = formats.includes('html') || (wantPdf && !started);
  const pages = writeHtmlPages(docs, formats, keepHtml, run);
  const printing = wantPdf
    ? printPdfs(docs, pages, started, keepHtml, { ...opts, platform: opts.browserSearch?.platform }, run)
    : Promise.resolve({ pdfProblem: null, pdfMissing: false });
  pages.clear();
  if (wantPdf) for (const d of docs) if (d.typesetPdf) await run.attempt(() => writeTypesetPdf(d, run.wrote, opts.notice));
  if (formats.includes('xlsx')) {
    await run.attempt(async () => {
      const [, ms] = await timed(() => writeAtomicallyAsync(`${base}.xlsx`, (tmp) => writeReportXlsx({
        catalog: ws.catalog, roster: ws.roster, score: input.score, values, texts: model.appendixIII,
      }, tmp)));
      run.wrote({ format: 'xlsx', path: `${base}.xlsx`, ms });
    });
  }
  if (formats.includes('docx')) for (const d of docs) await run.attempt(() => writeDocx(d, run));
  const pdf = await printing;
  run.files.sort((a, b) => REPORT_FORMATS.indexOf(a.format) - REPORT_FORMATS.indexOf(b.format));
  if (run.failure) throw run.failure;
  return { files: run.files, ...pdf };
}

/**
 * The run's document number and signer, the report's input and model (with the analyst's words of nhan-dinh.md, the
 * file given fresh drafts) and the templates; the analyst is told of a missing signer and of the workspace's templates.
 */
async function prepareReport(
  ws: Workspace, db: Store, opts: GenerateOptions,
): Promise<{ input: ReportInput; model: ReportModel; templates: TemplateSet; values: StoredValue[] }> {
  const profile = withDocumentOptions(ws.profile, opts.document);
  const { input, values } = await collectReportInput({ ...ws, profile }, db, opts.year, opts.date, opts.final === true);
  if (!profile.signer.name.trim()) {
    opts.notice?.('Chưa có tên người ký (signer.name trong hoctap.config.json, hoặc --signer): báo cáo để trống chỗ ghi tên dưới chữ ký.');
  }
  // The analyst's words (years/<year>/nhan-dinh.md) in place of the drafts they replace; the file gets fresh drafts.
  const nhanDinh = syncNhanDinh(ws.dir, opts.year, buildReportModel(input));
  opts.notice?.(nhanDinhNotice(nhanDinh));
  const templates = loadTemplates(ws.dir);
  if (templates.overridden.length) opts.notice?.(`Dùng mẫu riêng của thư mục làm việc: ${templates.overridden.map((f) => path.relative(process.cwd(), f) || f).join(', ')}`);
  return { input, model: nhanDinh.model, templates, values };
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
