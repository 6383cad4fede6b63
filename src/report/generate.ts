/** `hoctap report`: from the store to the files (HTML, PDF, DOCX, XLSX) of the year's consolidated report. */
import fs from 'node:fs';
import path from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import type { Profile, Workspace } from '../catalog/workspace.ts';
import { UserError } from '../errors.ts';
import { computeScores } from '../scoring/score.ts';
import { computeStatus } from '../scoring/status.ts';
import type { ScoreReport } from '../scoring/types.ts';
import { acceptedNarratives, acceptedValues, yearsWithData } from '../store/queries.ts';
import type { ReportDate } from './format.ts';
import { loadTemplates, renderReportHtml } from './html.ts';
import { buildReportModel, type ReportInput, type TrendPoint } from './model/index.ts';
import { findBrowser, noBrowserMessage, renderPdfs, type FindBrowserOptions } from './pdf.ts';
import { writeReportXlsx } from './xlsx.ts';
import { writeReportDocx } from './docx/index.ts';

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
  /** The document's number and signer for this run, over the workspace config's (`documentNumber`, `signer`). */
  document?: DocumentOptions;
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
  files: { format: ReportFormat; path: string }[];
  /** Why no PDF was made, when one was wanted. */
  pdfProblem: string | null;
  exitCode: number;
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
export function collectReportInput(ws: Workspace, db: DatabaseSync, year: number, date: ReportDate): { input: ReportInput; score: ScoreReport } {
  const score = computeScores(ws, db, year);
  const status = computeStatus(ws, db, year);
  const narratives = acceptedNarratives(db, year);
  const years = yearsWithData(db).filter((y) => y <= year).slice(-TREND_YEARS);
  const trend: TrendPoint[] = years.map((y) => {
    const o = score.rollups.overall;
    if (y === year) return { year: y, met: o.met, notMet: o.notMet, missing: o.missing, assessed: o.assessed, total: o.total };
    // Last year's counts come with this year's scores (same rule as scoring that year on its own); older years are scored.
    if (y === year - 1 && o.previous) {
      const p = o.previous;
      return { year: y, met: p.met, notMet: p.notMet, missing: p.missing, assessed: p.assessed, total: p.met + p.notMet + p.missing };
    }
    const r = computeScores(ws, db, y).rollups.overall;
    return { year: y, met: r.met, notMet: r.notMet, missing: r.missing, assessed: r.assessed, total: r.total };
  });
  return {
    input: { profile: ws.profile, catalog: ws.catalog, roster: ws.roster, score, status, narratives, trend, date },
    score,
  };
}

export async function generateReport(ws: Workspace, db: DatabaseSync, opts: GenerateOptions): Promise<GenerateResult> {
  const { year } = opts;
  if (!yearsWithData(db).includes(year)) {
    throw new UserError(`Chưa có số liệu năm ${year} được chấp nhận trong thư mục làm việc ${ws.dir}: hãy chạy "hoctap ingest" với các biểu mẫu đã nhận trước khi lập báo cáo.`);
  }
  // A --browser that does not exist is a mistake to report before anything is written.
  const wantPdf = opts.formats.includes('pdf');
  const found = wantPdf ? findBrowser({ ...opts.browserSearch, explicit: opts.browser }) : { choice: null, warnings: [] };
  for (const w of found.warnings) opts.notice?.(w);

  const profile = withDocumentOptions(ws.profile, opts.document);
  const { input } = collectReportInput({ ...ws, profile }, db, year, opts.date);
  if (!profile.signer.name.trim()) {
    opts.notice?.('Chưa có tên người ký (signer.name trong hoctap.config.json, hoặc --signer): báo cáo để trống chỗ ghi tên dưới chữ ký.');
  }
  const model = buildReportModel(input);
  const templates = loadTemplates(ws.dir);
  if (templates.overridden.length) opts.notice?.(`Dùng mẫu riêng của thư mục làm việc: ${templates.overridden.map((f) => path.relative(process.cwd(), f) || f).join(', ')}`);
  const html = renderReportHtml(model, templates);

  const outDir = path.resolve(opts.outDir ?? path.join(ws.dir, 'reports', String(year)));
  try {
    fs.mkdirSync(outDir, { recursive: true });
  } catch (e) {
    throw new UserError(`Không tạo được thư mục ${outDir}: ${(e as Error).message}`);
  }
  const base = path.join(outDir, `bao-cao-${year}`);
  const files: GenerateResult['files'] = [];
  let exitCode = 0;
  let pdfProblem: string | null = null;

  // Without a browser the HTML is kept even if only the PDF was asked for: it can be printed from any browser.
  const keepHtml = opts.formats.includes('html') || (wantPdf && !found.choice);
  if (keepHtml) {
    writeAtomically(`${base}.html`, (tmp) => fs.writeFileSync(tmp, html));
    files.push({ format: 'html', path: `${base}.html` });
  }
  // The PDF is laid out by the browser in its own processes while Node writes the workbook: both at once.
  let pdfTask: Promise<string> | null = null;
  if (wantPdf) {
    if (!found.choice) {
      pdfProblem = noBrowserMessage(opts.browserSearch?.platform);
      if (opts.formatsExplicit) exitCode = 1;
    } else {
      const browser = found.choice.path;
      pdfTask = (async () => {
        // The page the browser opens sits in the output folder even when no HTML was asked for: a confined browser
        // (Ubuntu's snap Chromium) cannot read the system's temporary folder.
        const htmlFile = keepHtml ? `${base}.html` : `${base}.tmp-${process.pid}.html`;
        try {
          if (!keepHtml) fs.writeFileSync(htmlFile, html);
          opts.onPdfStart?.(browser);
          await writeAtomicallyAsync(`${base}.pdf`, async (tmp) => {
            try {
              await renderPdfs(browser, [{ html: htmlFile, pdf: tmp }]);
            } catch (e) {
              if (e instanceof UserError) throw e;
              throw new UserError(`Không tạo được PDF bằng ${browser}: ${String((e as Error).message).split('\n')[0]}`, 1);
            }
          });
          return `${base}.pdf`;
        } finally {
          if (!keepHtml) fs.rmSync(htmlFile, { force: true });
        }
      })();
    }
  }
  const xlsxTask = opts.formats.includes('xlsx')
    ? writeAtomicallyAsync(`${base}.xlsx`, (tmp) => writeReportXlsx({ catalog: ws.catalog, roster: ws.roster, score: input.score, values: acceptedValues(db, year) }, tmp))
      .then(() => `${base}.xlsx`)
    : null;
  const docxTask = opts.formats.includes('docx')
    ? writeAtomicallyAsync(`${base}.docx`, (tmp) => writeReportDocx(model, tmp)).then(() => `${base}.docx`)
    : null;
  const [docxResult, xlsxResult, pdfResult] = await Promise.allSettled([docxTask, xlsxTask, pdfTask]);
  if (docxResult.status === 'rejected') throw docxResult.reason;
  if (docxResult.value) files.push({ format: 'docx', path: docxResult.value });
  if (xlsxResult.status === 'rejected') throw xlsxResult.reason;
  if (xlsxResult.value) files.push({ format: 'xlsx', path: xlsxResult.value });
  if (pdfResult.status === 'rejected') throw pdfResult.reason;
  if (pdfResult.value) files.push({ format: 'pdf', path: pdfResult.value });
  return { files, pdfProblem, exitCode };
}

/** Writes next to the target then renames: a failed run never leaves half a file where the last good one was. */
function writeAtomically(file: string, write: (tmp: string) => void): void {
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    write(tmp);
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw writeError(file, e);
  }
}

async function writeAtomicallyAsync(file: string, write: (tmp: string) => Promise<void>): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    await write(tmp);
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw writeError(file, e);
  }
}

function writeError(file: string, e: unknown): unknown {
  if (e instanceof UserError) return e;
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'EBUSY' || code === 'EPERM' || code === 'EACCES') {
    return new UserError(`Không ghi được ${file}: tệp đang mở trong chương trình khác hoặc không có quyền ghi. Hãy đóng tệp rồi chạy lại.`);
  }
  if (code === 'ENOSPC') return new UserError(`Không ghi được ${file}: hết dung lượng đĩa.`);
  return e;
}
