/**
 * A worker thread of generate-templates (generate-threads.ts): builds one unit's workbook per job and answers with its
 * .xlsx bytes, moved (not copied) to the main thread. The workspace, signing key and instant come once, as workerData.
 * Plain erasable TypeScript, loaded by Node's type stripping like the rest of src (Node 22.18 and later, the Windows
 * package's Node 22 included).
 */
import { workerData } from 'node:worker_threads';
import { describeError } from '../errors.ts';
import { serveJobs } from '../workers/pool.ts';
import { buildTemplateWorkbook } from './build.ts';
import type { TemplateJob, ThreadSetup } from './generate-threads.ts';
import { workbookBytesHere } from './xlsx-write.ts';

const setup = workerData as ThreadSetup;
const key = Buffer.from(setup.key);

async function build(job: TemplateJob): Promise<Uint8Array> {
  const unit = setup.ws.roster[job.index];
  // The job names its unit twice: a place in another roster would build another unit's file under this one's name.
  if (unit?.code !== job.code) throw new Error(`generate-worker: roster place ${job.index} is ${unit?.code}, not ${job.code}`);
  const rows = job.previous;
  const wb = await buildTemplateWorkbook(setup.ws, unit, setup.year, {
    generatedAt: setup.generatedAt, key,
    // The main thread asked the store when the template shows last year's figures (rows given), never otherwise.
    previousFigures: rows ? async () => rows : undefined,
    pairedWithLastYear: new Set(rows ? [unit.code] : []),
  });
  // Deflated here: with a worker on each core, sending it to libuv's pool was 3–19 % slower in 5 pairs of runs
  // (docs/benchmarks.md).
  const bytes = await workbookBytesHere(wb);
  // A buffer of its own (not a slice of a shared pool), so that it can be moved.
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : Uint8Array.prototype.slice.call(bytes);
}

serveJobs<TemplateJob, Uint8Array>(async (job) => {
  const bytes = await build(job);
  return { value: bytes, transfer: [bytes.buffer as ArrayBuffer] };
}, describeError);
