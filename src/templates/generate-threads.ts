/**
 * generate-templates on several cores: worker threads (generate-worker.ts) build the workbooks and deflate them, the
 * main thread asks the store for last year's figures, writes the files and reports progress, in roster order.
 *
 * Each worker gets, once, the year's workspace exactly as the main thread has it (a structured clone: the same profile,
 * overrides, roster and catalog, however the caller opened it), the signing key and the run's instant; then one job per
 * unit: its place in the roster and last year's figures when the template shows them. The bytes are those of
 * buildTemplateWorkbook + workbookBytes on the main thread (test/templates-threads.test.ts compares every file).
 *
 * At most two jobs are in a worker at once, a few more wait for the first worker free, and files are written as soon as
 * they are next in order: a run holds a few dozen workbooks at most, never the whole year's. Whatever happens, every worker is terminated before this returns.
 */
import type { Unit, Workspace } from '../catalog/workspace.ts';
import { UserError } from '../errors.ts';
import { WorkerExit, WorkerJobError, WorkerPool } from '../workers/pool.ts';
import type { PreviousFigure, PreviousFigures } from './build.ts';

/** One unit of the run: its file, and whether an existing file is kept (skipped). */
export interface PlannedFile { unit: Unit; file: string; indicators: number; skip: boolean }

/** What building and writing need, the same on either path (generate.ts). */
export interface RunContext {
  /** The year's view of the workspace. */
  ws: Workspace;
  year: number;
  key: Buffer;
  generatedAt: Date;
  previousFigures: PreviousFigures | undefined;
  pairedWithLastYear: ReadonlySet<string>;
  write: (file: string, bytes: Buffer) => Promise<void>;
  /** Called once per unit, in roster order, after its file is written (or found and kept). */
  done: (f: PlannedFile) => void;
}

/** Given to each worker once (workerData). */
export interface ThreadSetup { ws: Workspace; year: number; key: Uint8Array; generatedAt: Date }

/** One workbook to build: the unit's place in the roster (and its code, checked), last year's figures or null. */
export interface TemplateJob { index: number; code: string; previous: PreviousFigure[] | null }

/** Jobs sent to one worker before it answers: one being built, one ready to start. */
const PER_WORKER = 2;
/**
 * Units a worker may be ahead of the file being written: the jobs past its two wait in the pool for whichever worker is
 * free first. With only the two, a worker whose jobs were done waited for the other one's slower job to be written.
 */
const AHEAD = 8;

interface Slot { f: PlannedFile; bytes: Promise<Uint8Array> | null }

/** Builds `plan`'s workbooks in `threads` workers and writes them in order (see the top of this file). */
export async function generateInThreads(plan: PlannedFile[], ctx: RunContext, threads: number): Promise<void> {
  const setup: ThreadSetup = { ws: ctx.ws, year: ctx.year, key: ctx.key, generatedAt: ctx.generatedAt };
  const pool = new WorkerPool<TemplateJob, Uint8Array>(new URL('./generate-worker.ts', import.meta.url), {
    size: threads, workerData: setup, perWorker: PER_WORKER,
  });
  const rosterIndex = new Map(ctx.ws.roster.map((u, k) => [u, k]));
  const window: Slot[] = [];
  try {
    for (const f of plan) {
      const bytes = f.skip ? null : pool.run(await jobFor(ctx, f.unit, rosterIndex.get(f.unit)));
      // Its failure is thrown where it is awaited, in order (finish): not an unhandled rejection meanwhile.
      bytes?.catch(() => undefined);
      window.push({ f, bytes });
      // Written as soon as it is next in order; the workers meanwhile build the jobs after it.
      while (window.length > threads * AHEAD) await finish(window.shift()!, ctx);
    }
    while (window.length) await finish(window.shift()!, ctx);
  } finally {
    await pool.close();
  }
}

/** A unit's job, with last year's figures read here, one unit after the other (the store is the main thread's). */
async function jobFor(ctx: RunContext, unit: Unit, index: number | undefined): Promise<TemplateJob> {
  if (index === undefined) throw new Error(`generate-threads: unit ${unit.code} is not in the workspace's roster`);
  const wanted = ctx.previousFigures && ctx.pairedWithLastYear.has(unit.code);
  const previous = wanted ? await ctx.previousFigures!(unit.code, ctx.year - 1) : null;
  return { index, code: unit.code, previous };
}

/** Waits for a unit's bytes (in order), writes its file, says it is done. */
async function finish(slot: Slot, ctx: RunContext): Promise<void> {
  if (slot.bytes) {
    let bytes: Uint8Array;
    try {
      bytes = await slot.bytes;
    } catch (e) {
      throw threadError(e, slot.f.unit);
    }
    await ctx.write(slot.f.file, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  }
  ctx.done(slot.f);
}

const debugDetail = (stack: string | null | undefined) => (process.env.HOCTAP_DEBUG && stack ? `\n${stack}` : '');

/**
 * A worker's failure as the user reads it: the worker's own reason when it is one hoctap knows (a UserError, a file
 * system error), else one line saying it is hoctap's fault, which unit, and that no file was left half-written.
 */
export function threadError(e: unknown, unit: Unit): Error {
  if (e instanceof UserError) return e;
  const which = `biểu mẫu của ${unit.code} - ${unit.name}`;
  const written = 'các tệp đã ghi trước đó còn nguyên, không tệp nào bị ghi dở; chạy lại lệnh để tạo tiếp các biểu mẫu còn thiếu';
  if (e instanceof WorkerJobError) {
    const f = e.failure;
    if (f.known) return new UserError(f.known, f.exitCode ?? 2);
    return new UserError(`Lỗi không mong đợi khi tạo ${which}: ${f.message.split('\n')[0]}. Đây là lỗi của hoctap, không phải của dữ liệu; ${written}.${debugDetail(f.stack)}`, 3);
  }
  if (e instanceof WorkerExit) {
    const code = (e.killedBy as { code?: unknown } | null)?.code;
    const why = code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'hết bộ nhớ' : e.exitCode !== null ? `mã thoát ${e.exitCode}` : 'lỗi của hoctap';
    return new UserError(`Luồng tạo biểu mẫu dừng bất thường (${why}) khi đang tạo ${which}; ${written}.${debugDetail(e.killedBy?.stack ?? e.stack)}`, 3);
  }
  return e instanceof Error ? e : new Error(String(e));
}
