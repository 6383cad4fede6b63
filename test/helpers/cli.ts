import path from 'node:path';
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';

/** The CLI entry point, run as a user runs it. */
export const BIN = path.resolve(import.meta.dirname, '../../bin/hoctap.js');

export interface RunOptions {
  cwd?: string;
  /** Added to the environment (HOCTAP_WORKSPACE is cleared unless given here). */
  env?: NodeJS.ProcessEnv;
  timeout?: number;
}

function environment(env: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  // A wide page by default, so that assertions read table rows whole; the width tests set COLUMNS=80 themselves.
  return { ...process.env, HOCTAP_WORKSPACE: '', FORCE_COLOR: '0', NO_COLOR: '1', COLUMNS: '200', ...env };
}

/** Runs `hoctap ARGS` in a child process, without colours, and waits for it. */
export function runHoctap(args: string[], opts: RunOptions = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8', cwd: opts.cwd, env: environment(opts.env), timeout: opts.timeout ?? 180_000, maxBuffer: 64 * 1024 * 1024,
  });
}

/** The same without blocking the test runner (long commands, or two at once). */
export function runHoctapAsync(args: string[], opts: RunOptions = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd, env: environment(opts.env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
