import fs from 'node:fs';
import type { Command } from 'commander';
import { openWorkspace, type Workspace } from '../catalog/workspace.ts';
import { UserError } from '../errors.ts';
import { journalPathFor } from '../store/journal.ts';
import { hoctapHint, quotePath } from './invocation.ts';

export type SetExitCode = (code: number) => void;
export type RegisterCommand = (program: Command, setExitCode: SetExitCode) => void;

/**
 * The workspace named by the global --workspace option (or its defaults); with a year, that year's view of it.
 * Every command that opens one says which it worked on (announceWorkspace).
 */
export function workspaceOf(cmd: Command, year?: number): Workspace {
  const opts = cmd.optsWithGlobals() as { workspace?: string };
  const ws = openWorkspace(opts.workspace, { year });
  const state = fs.existsSync(ws.dbPath) ? '' : fs.existsSync(ws.dir) ? ' (chưa có cơ sở dữ liệu)' : ' (thư mục chưa có)';
  used = `Thư mục làm việc: ${quotePath(ws.dir)}${state}`;
  return ws;
}

let used: string | null = null;

/**
 * Said once the command has run (main.ts): after its text on stdout, or on stderr when stdout holds JSON or CSV, so
 * that a mistyped -w is seen at once and machine output stays clean.
 */
export function announceWorkspace(format: unknown): void {
  if (!used) return;
  const machine = format === 'json' || format === 'csv';
  (machine ? process.stderr : process.stdout).write(used + '\n');
  used = null;
}

/**
 * For the commands that only read the store: a folder without a database is a mistake (a wrong -w), not an empty year.
 */
export function requireStore(ws: Workspace): void {
  if (fs.existsSync(ws.dbPath)) return;
  // A database lost beside an archive's journal is no wrong folder: the store says to rebuild it.
  const journal = journalPathFor(ws.dbPath);
  if (fs.existsSync(journal) && fs.statSync(journal).size > 0) return;
  throw new UserError(
    `Thư mục làm việc ${quotePath(ws.dir)} chưa có cơ sở dữ liệu (hoctap.sqlite): chưa nhập tệp nào ở đây. ` +
    `Kiểm tra lại -w (hoặc biến HOCTAP_WORKSPACE), hoặc nhập số liệu trước: ${hoctapHint(['-w', ws.dir, 'ingest'])} <thư mục tệp nhận về>.`,
  );
}
