/**
 * One stage of the benchmark, in its own process so that its peak memory is its own:
 *   node bench/stage.ts <stage> <workspace> <result.json> [options as JSON]
 * Stages: generate, fill, read-floor, ingest, score, report. The result file gets the per-file times, the peak RSS of
 * this process (process.resourceUsage().maxRSS) and, for the report, the peak of this process and the browser's.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { openWorkspace } from '../src/catalog/workspace.ts';
import { templateFileName } from '../src/templates/naming.ts';
import { openStore } from '../src/store/open.ts';
import type { FillJob, FillWorkerInput, FillWorkerOutput } from './fill-worker.ts';
import { readFloor } from './read-floor.ts';
import { startTreeSampler } from './tree-memory.ts';

export const STAGES = ['generate', 'fill', 'read-floor', 'ingest', 'score', 'report'] as const;
export type Stage = (typeof STAGES)[number];

export interface StageOptions {
  year: number; seed: number; workers: number; errorShare: number;
  /** ingest: the folder to ingest (default: the workspace's returned/); the two analysts of bench/pair.ts get a half each. */
  inbox?: string;
}

export interface StageResult {
  stage: Stage;
  /** Files (or units) the stage handled. */
  files: number;
  /** Time of each file, in ms (empty for stages that work on the whole store). */
  perFileMs: number[];
  /** Time inside the process, from the first file to the last (ms). */
  innerMs: number;
  /** process.resourceUsage().maxRSS of the stage process, KiB (worker threads included). */
  maxRssKiB: number;
  /** Peak memory of the process and its child processes (browser), KiB, sampled; null when not sampled. */
  treePeakKiB: number | null;
  /** Stage-specific figures (statuses, sub-timings). */
  extra: Record<string, number | string>;
  /** The report's files: format, document, pages (PDF: counted; DOCX: laid out as Word would), time, size. */
  documents?: ReportFileFigures[];
}

/** One file of the report; `parts`: a PDF printed in that many parts and joined. */
export interface ReportFileFigures { format: string; document: string; pages: number | null; ms: number; kiB: number; parts?: number }

export const dirs = (wsDir: string) => ({ templates: path.join(wsDir, 'templates'), returned: path.join(wsDir, 'returned') });

/** Per-file times from progress callbacks: the time between one file's end and the next one's. */
function lapTimer() {
  let last = performance.now();
  const laps: number[] = [];
  return {
    reset: () => { last = performance.now(); },
    lap: () => { const now = performance.now(); laps.push(now - last); last = now; },
    laps,
  };
}

async function generate(wsDir: string, o: StageOptions): Promise<Omit<StageResult, 'maxRssKiB' | 'treePeakKiB'>> {
  // Each stage loads only what its command loads (the CLI loads a command's modules when it runs): not the others'.
  const { generateTemplates } = await import('../src/templates/generate.ts');
  const ws = openWorkspace(wsDir, { year: o.year });
  const t = lapTimer();
  const t0 = performance.now();
  const out = await generateTemplates(ws, {
    year: o.year, outDir: dirs(wsDir).templates, force: true, generatedAt: new Date(Date.UTC(o.year, 9, 1)),
    onProgress: () => t.lap(),
  });
  return { stage: 'generate', files: out.length, perFileMs: t.laps, innerMs: performance.now() - t0, extra: {} };
}

async function fill(wsDir: string, o: StageOptions): Promise<Omit<StageResult, 'maxRssKiB' | 'treePeakKiB'>> {
  const ws = openWorkspace(wsDir, { year: o.year });
  const { templates, returned } = dirs(wsDir);
  fs.rmSync(returned, { recursive: true, force: true });
  fs.mkdirSync(returned, { recursive: true });
  const jobs: FillJob[] = ws.roster.map((u) => ({
    unitCode: u.code, template: path.join(templates, templateFileName(u, o.year)), out: path.join(returned, templateFileName(u, o.year)),
  }));
  const workers = Math.max(1, Math.min(o.workers, jobs.length));
  const t0 = performance.now();
  const outputs = await Promise.all(Array.from({ length: workers }, (_, w) => new Promise<FillWorkerOutput>((resolve, reject) => {
    const input: FillWorkerInput = { wsDir, year: o.year, seed: o.seed, errorShare: o.errorShare, jobs: jobs.filter((_, i) => i % workers === w) };
    const worker = new Worker(new URL('./fill-worker.ts', import.meta.url), { workerData: input });
    worker.once('message', (m: FillWorkerOutput) => { resolve(m); void worker.terminate(); });
    worker.once('error', reject);
  })));
  return {
    stage: 'fill', files: jobs.length, perFileMs: outputs.flatMap((x) => x.perFileMs), innerMs: performance.now() - t0,
    extra: { workers, withError: outputs.reduce((s, x) => s + x.withError, 0) },
  };
}

async function floor(wsDir: string): Promise<Omit<StageResult, 'maxRssKiB' | 'treePeakKiB'>> {
  const { returned } = dirs(wsDir);
  const files = fs.readdirSync(returned).filter((f) => f.endsWith('.xlsx')).sort().map((f) => path.join(returned, f));
  const perFileMs: number[] = [];
  let cells = 0;
  const t0 = performance.now();
  for (const f of files) {
    const t = performance.now();
    cells += readFloor(f);
    perFileMs.push(performance.now() - t);
  }
  return { stage: 'read-floor', files: files.length, perFileMs, innerMs: performance.now() - t0, extra: { cells } };
}

async function ingestStage(wsDir: string, o: StageOptions): Promise<Omit<StageResult, 'maxRssKiB' | 'treePeakKiB'>> {
  const { ingest } = await import('../src/ingest/ingest.ts');
  const ws = openWorkspace(wsDir, { year: o.year });
  const t = lapTimer();
  const t0 = performance.now();
  const result = await ingest(ws, [o.inbox ?? dirs(wsDir).returned], {
    year: o.year, receivedAt: new Date(Date.UTC(o.year, 10, 20)),
    onStart: () => t.reset(),
    onProgress: () => t.lap(),
  });
  const count = (s: string) => result.files.filter((f) => f.status === s).length;
  return {
    stage: 'ingest', files: result.files.length, perFileMs: t.laps, innerMs: performance.now() - t0,
    extra: {
      accepted: count('accepted'), rejected: count('rejected'), duplicate: count('duplicate'),
      withWarnings: result.files.filter((f) => f.warnings > 0).length, feedbackFiles: result.files.filter((f) => f.feedbackPath).length,
    },
  };
}

async function score(wsDir: string, o: StageOptions): Promise<Omit<StageResult, 'maxRssKiB' | 'treePeakKiB'>> {
  const [{ computeScores }, { computeStatus }] = await Promise.all([import('../src/scoring/score.ts'), import('../src/scoring/status.ts')]);
  const ws = openWorkspace(wsDir, { year: o.year });
  const db = await openStore(ws.dbPath);
  const t0 = performance.now();
  try {
    const s = await computeScores(ws, db, o.year);
    const tScore = performance.now() - t0;
    const st = await computeStatus(ws, db, o.year);
    // What `hoctap score --format json` and `status --format json` print, written where the analyst would keep it.
    fs.writeFileSync(path.join(wsDir, `score-${o.year}.json`), JSON.stringify(s));
    fs.writeFileSync(path.join(wsDir, `status-${o.year}.json`), JSON.stringify(st));
    return {
      stage: 'score', files: ws.roster.length, perFileMs: [], innerMs: performance.now() - t0,
      extra: { indicators: s.indicators.length, scoreMs: Math.round(tScore), statusMs: Math.round(performance.now() - t0 - tScore) },
    };
  } finally {
    await db.close();
  }
}

async function report(wsDir: string, o: StageOptions): Promise<Omit<StageResult, 'maxRssKiB' | 'treePeakKiB'>> {
  const { generateReport } = await import('../src/report/generate.ts');
  const ws = openWorkspace(wsDir, { year: o.year });
  const db = await openStore(ws.dbPath);
  const t0 = performance.now();
  let pdfStart = 0;
  try {
    // What `hoctap report --year Y` does by default: HTML, DOCX, XLSX and, when a browser is found, PDF (with many
    // units, Phụ lục III as documents of its own in each format but XLSX).
    const r = await generateReport(ws, db, {
      year: o.year, formats: ['html', 'pdf', 'docx', 'xlsx'], formatsExplicit: false, date: { year: o.year, month: 12, day: 25 },
      onPdfStart: () => { pdfStart = performance.now(); },
    });
    const end = performance.now();
    const kiB = (file: string) => Math.round(fs.statSync(file).size / 1024);
    const size = (f: string) => {
      const file = r.files.find((x) => x.format === f);
      return file ? kiB(file.path) : 0;
    };
    // Pages: a PDF's from the file, the HTML's are its PDF's; a DOCX's are laid out by the bench afterwards, outside
    // this process (docxPages), so that neither this stage's time nor its memory counts them.
    const pdfPages = new Map(r.files.filter((f) => f.format === 'pdf').map((f) => [path.basename(f.path, '.pdf'), pdfPageCount(f.path)]));
    const documents: ReportFileFigures[] = r.files.map((f) => {
      const name = path.basename(f.path).replace(/\.[^.]+$/, '');
      const pages = f.format === 'pdf' || f.format === 'html' ? pdfPages.get(name) ?? null : null;
      return { format: f.format, document: name, pages, ms: f.ms, kiB: kiB(f.path), ...(f.parts ? { parts: f.parts } : {}) };
    });
    const pdf = r.files.find((x) => x.format === 'pdf');
    const sum = (formats: string[]) => r.files.filter((f) => formats.includes(f.format)).reduce((t, f) => t + f.ms, 0);
    return {
      stage: 'report', files: ws.roster.length, perFileMs: [], innerMs: end - t0, documents,
      extra: {
        // Model + HTML (the browser starting up meanwhile), then the files: the browser prints while Node writes the
        // typeset PDF, the workbook and the DOCX files (src/report/generate.ts). pdfMs, officeMs: the files' own times
        // added up (they overlap).
        htmlMs: Math.round((pdfStart || end) - t0), afterHtmlMs: Math.round(end - (pdfStart || end)),
        pdfMs: sum(['pdf']), officeMs: sum(['docx', 'xlsx']),
        htmlKiB: size('html'), pdfKiB: size('pdf'), docxKiB: size('docx'), xlsxKiB: size('xlsx'),
        ...(pdf ? { pdfPages: pdfPageCount(pdf.path) } : { pdfMissing: r.pdfProblem ?? 'không tạo được PDF' }),
      },
    };
  } finally {
    await db.close();
  }
}

/** Pages of a PDF written by Chromium (Skia), joined from its parts or typeset (pdf-lib, no object streams): one "/Type /Page" object per page. */
function pdfPageCount(file: string): number {
  const text = fs.readFileSync(file).toString('latin1');
  return (text.match(/\/Type\s*\/Page\b(?!s)/g) ?? []).length;
}

async function main(): Promise<void> {
  const [stage, wsDir, resultFile, optsJson] = process.argv.slice(2);
  if (!STAGES.includes(stage as Stage) || !wsDir || !resultFile) {
    console.error(`usage: node bench/stage.ts <${STAGES.join('|')}> <workspace> <result.json> [options-json]`);
    process.exit(2);
  }
  const o: StageOptions = { year: 2024, seed: 1, workers: os.availableParallelism(), errorShare: 0.03, ...(optsJson ? JSON.parse(optsJson) : {}) };
  const sampler = stage === 'report' ? startTreeSampler() : null;
  const run = { generate, fill, 'read-floor': floor, ingest: ingestStage, score, report }[stage as Stage];
  const r = await run(wsDir, o);
  // CPU time of this process (user + system), which a machine shared with other work does not inflate as it does wall time.
  const cpu = process.cpuUsage();
  r.extra.cpuMs = Math.round((cpu.user + cpu.system) / 1000);
  const result: StageResult = { ...r, maxRssKiB: process.resourceUsage().maxRSS, treePeakKiB: sampler ? sampler.stop() : null };
  fs.writeFileSync(resultFile, JSON.stringify(result));
}

await main();
