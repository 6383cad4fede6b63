/**
 * The report's files from its documents, for generate.ts: the HTML pages, the PDFs the browser prints, the ones hoctap
 * typesets, the DOCX files; what each run wrote, and its first error.
 */
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { UserError } from '../errors.ts';
import type { TypesetResult } from './typeset/annex.ts';
import { noBrowserMessage, renderPdfs, type StartedBrowser } from './pdf.ts';
import { writeAtomically, writeAtomicallyAsync, writeError } from './write-file.ts';

export const REPORT_FORMATS = ['html', 'pdf', 'docx', 'xlsx'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

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

/** What the printing needs of the run's options (generate.ts GenerateOptions). */
export interface PrintOptions {
  formatsExplicit: boolean;
  platform?: NodeJS.Platform;
  annexPartChars?: number;
  onPdfStart?: (browser: string) => void;
}

/** The files a run has written, in the order written, and its first error. */
export class ReportRun {
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

export async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const value = await work();
  return [value, Math.round(performance.now() - t0)];
}

/**
 * Each document's page, kept for the browser to print; written as the HTML file when it is kept. A typeset PDF is made
 * from the model, not from the page: its HTML only if asked for.
 */
export function writeHtmlPages(docs: ReportDocument[], formats: ReportFormat[], keepHtml: boolean, run: ReportRun): Map<ReportDocument, string> {
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
 * The PDFs the browser prints (without one, why none was made). The printing's error is the run's; the other formats
 * are still written. Started while Node goes on with what it writes itself.
 */
export async function printPdfs(
  docs: ReportDocument[], pages: Map<ReportDocument, string>, started: StartedBrowser | null, keepHtml: boolean, opts: PrintOptions, run: ReportRun,
): Promise<Pick<GenerateResult, 'pdfProblem' | 'pdfMissing'>> {
  if (!started) return { pdfProblem: noBrowserMessage(opts.platform), pdfMissing: opts.formatsExplicit };
  const jobs = docs.filter((d) => !d.typesetPdf).map((d) => ({ base: d.base, html: pages.get(d)!, parts: d.printParts?.(opts.annexPartChars) }));
  collectGarbage({ giveBack: true });
  try {
    run.wrote(...await writePdfs(started, jobs, keepHtml, opts.onPdfStart));
  } catch (e) {
    // The printing's error is the run's, whatever failed while it printed.
    run.failure = e;
  }
  return { pdfProblem: null, pdfMissing: false };
}

export async function writeDocx(d: ReportDocument, run: ReportRun): Promise<void> {
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
export function collectGarbage(o: { giveBack?: boolean } = {}): void {
  if (!gc) {
    v8.setFlagsFromString('--expose-gc');
    gc = vm.runInNewContext('gc') as (options?: object) => void;
  }
  gc(o.giveBack ? { type: 'major', execution: 'sync', flavor: 'last-resort' } : undefined);
}

export interface ReportDocument {
  base: string;
  html: () => string;
  docx: (file: string) => Promise<void>;
  /** A long document is printed in parts (HTML documents) joined into one PDF, */
  printParts?: (maxChars?: number) => string[];
  /** or typeset without the browser. */
  typesetPdf?: (file: string) => Promise<TypesetResult>;
}

/** A PDF typeset by hoctap; the analyst is told of characters the bundled font does not have. */
export async function writeTypesetPdf(d: ReportDocument, wrote: (f: GenerateResult['files'][number]) => void, notice?: (message: string) => void): Promise<void> {
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
