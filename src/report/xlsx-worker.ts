/**
 * The consolidated workbook written in a worker thread (writeReportXlsxApart, xlsx.ts): generate.ts has it written
 * while the browser prints the PDFs. The worker's heap is its own and is given back to the system when the worker
 * ends; written on Node's main thread, the workbook grew that heap by some 130 MiB for 3,000 units, and V8 kept it
 * for the rest of the run, on top of the browser's memory (bench).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { writeReportXlsx, type XlsxInput } from './xlsx.ts';

const { input, file } = workerData as { input: XlsxInput; file: string };
try {
  await writeReportXlsx(input, file);
  parentPort?.postMessage({ ok: true });
} catch (e) {
  // The error's code (EBUSY, ENOSPC…) travels too: generate.ts turns it into the analyst's Vietnamese line.
  const err = e as NodeJS.ErrnoException;
  parentPort?.postMessage({ ok: false, message: err.message, code: err.code });
}
