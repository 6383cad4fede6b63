/** Runs the CLI in a child and measures it: peak resident memory and CPU time (as the process itself counts them). */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { BIN } from './cli.ts';

const PRELOAD = path.resolve(import.meta.dirname, 'rusage.mjs');

export interface Measured { status: number | null; stdout: string; stderr: string; maxRssMb: number; cpuSeconds: number; wallSeconds: number }

export function measureHoctap(args: string[], cwd: string, timeout = 180_000): Measured {
  const report = path.join(cwd, `.rusage-${process.pid}-${Date.now()}.json`);
  const started = Date.now();
  const r = spawnSync(process.execPath, ['--import', PRELOAD, BIN, ...args], {
    cwd, encoding: 'utf8', timeout, maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, HOCTAP_WORKSPACE: '', FORCE_COLOR: '0', NO_COLOR: '1', HOCTAP_RUSAGE_FILE: report },
  });
  const wallSeconds = (Date.now() - started) / 1000;
  let usage = { maxRssKb: Number.NaN, cpuMs: Number.NaN };
  if (fs.existsSync(report)) {
    usage = JSON.parse(fs.readFileSync(report, 'utf8'));
    fs.rmSync(report);
  }
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, maxRssMb: usage.maxRssKb / 1024, cpuSeconds: usage.cpuMs / 1000, wallSeconds };
}
