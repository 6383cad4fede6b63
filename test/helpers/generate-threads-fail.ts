/**
 * Run in a child process by test/templates-threads.test.ts: generate-templates in worker threads, made to fail at one
 * unit, then the script ends without calling process.exit: it exits only if no worker is left running.
 *   node generate-threads-fail.ts WORKSPACE OUT throw|exit|write
 * throw: that unit's build throws in the worker (an indicator of its agency alone points to an area the catalog lacks).
 * exit: the worker given that unit's job stops before building it (terminated, as a crash would stop it).
 * write: that unit's file cannot be written (a folder that is not empty stands where the file goes).
 * Prints one JSON line: the error, the units in order, the one that fails, and the units reported done.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { openWorkspace } from '../../src/catalog/workspace.ts';
import { UserError } from '../../src/errors.ts';
import { generateTemplates, templateFileName } from '../../src/templates/generate.ts';

const [wsDir, outDir, mode] = process.argv.slice(2);
const ws = openWorkspace(wsDir, { year: 2024 });
const units = ws.roster.slice(0, 8);
// The failing unit: from the fourth on, the first whose agency has an indicator of its own (and none before shares it).
const failing = units.findIndex((u, k) => k >= 3 && ws.catalog.indicators.some((i) => i.agencyCodes.length === 1 && i.agencyCodes[0] === u.agencyCode)
  && !units.slice(0, k).some((v) => v.agencyCode === u.agencyCode));
if (failing < 0) throw new Error('no unit to fail');
if (mode === 'throw') {
  const own = ws.catalog.indicators.find((i) => i.agencyCodes.length === 1 && i.agencyCodes[0] === units[failing].agencyCode)!;
  own.areaId = 'KHONG_CO';
} else if (mode === 'write') {
  fs.mkdirSync(path.join(outDir, templateFileName(units[failing], 2024), 'x'), { recursive: true });
} else {
  const post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (this: Worker, message: unknown, transfer?: readonly Transferable[]) {
    const job = (message as { job?: { code?: string } }).job;
    if (job?.code === units[failing].code) {
      void this.terminate();
      return;
    }
    post.call(this, message, transfer as never);
  };
}
const done: string[] = [];
try {
  await generateTemplates(ws, { year: 2024, outDir, force: true, units: units.map((u) => u.code), threads: 2, onProgress: (_d, _t, u) => done.push(u.code) });
  process.stdout.write(JSON.stringify({ error: null }) + '\n');
} catch (e) {
  const err = e as Error;
  process.stdout.write(JSON.stringify({
    error: { userError: e instanceof UserError, message: err.message, exitCode: (e as UserError).exitCode },
    units: units.map((u) => u.code), failing, done,
  }) + '\n');
}
