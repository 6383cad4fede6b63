/**
 * Fills returned workbooks the way units do, in a worker thread (filling is the units' work, not the analyst's, but
 * 3,000 of them take long enough on one core to be worth splitting). Each job: read the unit's template, synthesise
 * plausible figures, retype some the way people do (fixtures/synthesize.ts messify), write the narratives, and fill
 * through `_meta` with the shared test helper.
 */
import fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { openWorkspace, type Unit, type Workspace } from '../src/catalog/workspace.ts';
import { indicatorsForUnit } from '../src/catalog/workspace.ts';
import { hashSeed, messify, rng, synthesize, synthesizeNarratives } from '../fixtures/synthesize.ts';
import { fillTemplate } from '../fixtures/fill.ts';

export interface FillJob { unitCode: string; template: string; out: string }
export interface FillWorkerInput { wsDir: string; year: number; seed: number; errorShare: number; jobs: FillJob[] }
export interface FillWorkerOutput { perFileMs: number[]; withError: number }

/** The values a unit types: messy but meaning the same, and in a few units one real mistake (so some files are rejected). */
export function unitValues(ws: Workspace, unit: Unit, year: number, seed: number, errorShare: number): { values: Record<string, unknown>; withError: boolean } {
  const clean = synthesize(ws, unit, indicatorsForUnit(ws, unit), year, seed).values;
  const values: Record<string, unknown> = {
    ...messify(clean, ws.catalog.fieldById, hashSeed(seed, unit.code, 'messy'), 0.4),
    ...synthesizeNarratives(ws, unit, year, seed),
  };
  const r = rng(hashSeed(seed, unit.code, 'mistake'));
  let withError = false;
  if (r() < errorShare) {
    const counts = Object.keys(clean).filter((id) => ws.catalog.fieldById.get(id)?.kind === 'count');
    if (counts.length) {
      values[counts[Math.floor(r() * counts.length)]] = 'chưa có số liệu';
      withError = true;
    }
  }
  return { values, withError };
}

async function run(input: FillWorkerInput): Promise<FillWorkerOutput> {
  const ws = openWorkspace(input.wsDir, { year: input.year });
  const byCode = new Map(ws.roster.map((u) => [u.code, u]));
  const perFileMs: number[] = [];
  let withError = 0;
  for (const job of input.jobs) {
    const t0 = performance.now();
    const unit = byCode.get(job.unitCode)!;
    const { values, withError: bad } = unitValues(ws, unit, input.year, input.seed, input.errorShare);
    if (bad) withError++;
    const bytes = await fillTemplate(fs.readFileSync(job.template), values);
    fs.writeFileSync(job.out, bytes);
    perFileMs.push(performance.now() - t0);
  }
  return { perFileMs, withError };
}

if (parentPort && workerData) {
  // A failure rejects the worker's promise: thrown again, it ends the worker with its error, which the bench reports.
  run(workerData as FillWorkerInput).then((out) => parentPort!.postMessage(out), (e: unknown) => { throw e; });
}
