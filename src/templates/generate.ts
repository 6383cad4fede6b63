/**
 * generate-templates: one protected, validated workbook per unit and year (instructions, indicators, narrative and
 * the `_meta` map), written to a folder. build.ts assembles a workbook; this file chooses the units and writes files,
 * building on the main thread or, for a large run on a machine with several cores, in worker threads
 * (generate-threads.ts): the same files, byte for byte, in the same order.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { comparableYears, workspaceForYear } from '../catalog/years.ts';
import { indicatorsForUnit, type Unit, type Workspace } from '../catalog/workspace.ts';
import { UserError } from '../errors.ts';
import { workspaceKey } from '../xlsx/signature.ts';
import { buildTemplateWorkbook, type PreviousFigures } from './build.ts';
import { generateInThreads, type PlannedFile, type RunContext } from './generate-threads.ts';
import { templateFileName } from './naming.ts';
import { selectUnits } from './units.ts';
import { workbookBytes } from './xlsx-write.ts';
import { writeFileAtomicAsync } from '../fs/atomic.ts';

// Importers of these names know this module as the templates' entry point.
export { templateFileName } from './naming.ts';
export { selectUnits } from './units.ts';
export { targetTextForYear } from './target-text.ts';
export { RATING_OPTIONS } from './validations.ts';
export { buildTemplateWorkbook, type BuildOptions, type PreviousFigure, type PreviousFigures } from './build.ts';

/**
 * A run builds in worker threads from this many workbooks on. Starting the workers (each loads exceljs and the template
 * code, and runs cold) costs ~0.6 s, and two workers on two cores build ~1.4 times as fast as the main thread (which
 * already deflates on the other core): measured break-even ~350 workbooks (docs/benchmarks.md).
 */
export const THREADS_MIN_UNITS = 400;
/** At most this many workers: each holds ~130 MiB (exceljs, the workspace, its heap), and the run's peak stays bounded. */
const MAX_THREADS = 4;

export interface GenerateOptions {
  year: number;
  outDir: string;
  agencies?: string[];
  units?: string[];
  force?: boolean;
  /** The units' accepted figures of the year before (the CLI reads them from the workspace's store, if it has one). */
  previousFigures?: PreviousFigures;
  /** One instant for the whole run (written as `generated_at`). */
  generatedAt?: Date;
  onProgress?: (done: number, total: number, unit: Unit) => void;
  /**
   * Worker threads that build the workbooks: 0 builds on the main thread. Absent: one per core (at most 4) when the
   * machine has more than one and the run builds at least THREADS_MIN_UNITS workbooks, else none.
   */
  threads?: number;
}

export interface GeneratedTemplate { unit: Unit; file: string; indicators: number; skipped: boolean }

/** Written whole or not at all: an interrupted run never leaves a half-written file that a later run would skip. */
async function writeTemplate(file: string, buffer: Buffer): Promise<void> {
  try {
    await writeFileAtomicAsync(file, buffer);
  } catch (e) {
    throw new UserError(`Không ghi được tệp ${file}: ${(e as Error).message} (tệp có đang mở trong Excel?)`);
  }
}

/** Writes one workbook per chosen unit; an existing file is kept (skipped) unless `force`. */
export async function generateTemplates(anyWs: Workspace, opts: GenerateOptions): Promise<GeneratedTemplate[]> {
  // The year's view once (as the CLI opens it), not once per template: loading a catalog took 4 times a template's own
  // time when a caller gave a workspace opened without the year (bench).
  const ws = workspaceForYear(anyWs, opts.year);
  const units = selectUnits(ws, opts.agencies, opts.units);
  try {
    fs.mkdirSync(opts.outDir, { recursive: true });
  } catch (e) {
    throw new UserError(`Không tạo được thư mục ${opts.outDir}: ${(e as Error).message}`);
  }
  const plan: PlannedFile[] = units.map((unit) => {
    const file = path.join(opts.outDir, templateFileName(unit, opts.year));
    return { unit, file, indicators: indicatorsForUnit(ws, unit).length, skip: fs.existsSync(file) && !opts.force };
  });
  const results: GeneratedTemplate[] = [];
  const ctx: RunContext = {
    ws, year: opts.year, key: workspaceKey(ws.dir), generatedAt: opts.generatedAt ?? new Date(),
    previousFigures: opts.previousFigures,
    pairedWithLastYear: new Set(opts.previousFigures ? comparableYears(ws, opts.year - 1, opts.year).commonUnits : []),
    write: writeTemplate,
    done: (f) => {
      const r = { unit: f.unit, file: f.file, indicators: f.indicators, skipped: f.skip };
      results.push(r);
      opts.onProgress?.(results.length, units.length, r.unit);
    },
  };
  const threads = threadsFor(opts.threads, plan.filter((f) => !f.skip).length);
  if (threads > 0) await generateInThreads(plan, ctx, threads);
  else await generateHere(plan, ctx);
  return results;
}

/** How many worker threads build this run's `building` workbooks (0: the main thread builds them). */
export function threadsFor(asked: number | undefined, building: number): number {
  if (asked !== undefined) return Math.max(0, Math.floor(asked));
  const cores = os.availableParallelism();
  return cores > 1 && building >= THREADS_MIN_UNITS ? Math.min(cores, MAX_THREADS) : 0;
}

/** Builds on the main thread, in order: the last file's write (and the disk's flush of it) runs while the next is built. */
async function generateHere(plan: PlannedFile[], ctx: RunContext): Promise<void> {
  let writing: Promise<void> = Promise.resolve();
  try {
    for (const f of plan) {
      if (f.skip) {
        await writing;
        ctx.done(f);
        continue;
      }
      const wb = await buildTemplateWorkbook(ctx.ws, f.unit, ctx.year, {
        previousFigures: ctx.previousFigures, generatedAt: ctx.generatedAt, key: ctx.key, pairedWithLastYear: ctx.pairedWithLastYear,
      });
      const buffer = await workbookBytes(wb);
      await writing;
      writing = ctx.write(f.file, buffer).then(() => ctx.done(f));
      // Its failure is thrown where it is awaited (above, or below): not an unhandled rejection meanwhile.
      writing.catch(() => undefined);
    }
    await writing;
  } finally {
    // Nothing is left writing once this returns or throws.
    await writing.catch(() => undefined);
  }
}
