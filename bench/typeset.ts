/**
 * Phụ lục III's typeset PDF alone, on the workspace of a `npm run bench -- --keep` run (the model built first, not
 * timed): node bench/typeset.ts <workspace> [runs=3] [out.pdf]. Prints each run's time, the median, the page count and
 * the peak RSS. The CPU time (user + system, this process) is printed beside the wall time: on a busy machine it
 * varies less.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openWorkspace } from '../src/catalog/workspace.ts';
import { openStoreForReading } from '../src/store/open.ts';
import { collectReportInput } from '../src/report/generate.ts';
import { buildReportModel } from '../src/report/model/index.ts';
import { writeAnnexPdf } from '../src/report/typeset/annex.ts';

const [wsDir, runsArg, outArg] = process.argv.slice(2);
if (!wsDir) {
  console.error('usage: node bench/typeset.ts <workspace> [runs] [out.pdf]');
  process.exit(2);
}
const ws = openWorkspace(wsDir, { year: 2024 });
const db = await openStoreForReading(ws.dbPath);
if (!db) {
  console.error(`no database in ${wsDir}`);
  process.exit(2);
}
const year = 2024;
let model;
try {
  model = buildReportModel((await collectReportInput(ws, db, year, { year, month: 12, day: 25 })).input);
} finally {
  await db.close();
}
const out = outArg ?? path.join(os.tmpdir(), `hoctap-typeset-bench-${process.pid}.pdf`);
const times: number[] = [];
const cpu: number[] = [];
let pages = 0;
for (let i = 0; i < Number(runsArg ?? 3); i++) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  pages = (await writeAnnexPdf(model.appendixIII, out)).pages;
  times.push(performance.now() - t0);
  const c = process.cpuUsage(c0);
  cpu.push((c.user + c.system) / 1000);
}
const median = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)];
console.log(`${pages} trang, ${(fs.statSync(out).size / 1024).toFixed(0)} KiB; lần chạy (s): ${times.map((t) => (t / 1000).toFixed(2)).join(' / ')} (CPU ${cpu.map((t) => (t / 1000).toFixed(2)).join(' / ')}); trung vị ${(median / 1000).toFixed(2)} s; RSS đỉnh ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`);
if (!outArg) fs.rmSync(out);
