import fs from 'node:fs';
import path from 'node:path';
import chalk from 'chalk';
import type { Command } from 'commander';
import { openWorkspace, type Workspace } from '../catalog/workspace.ts';
import { UserError } from '../errors.ts';
import { journalPathFor } from '../store/journal.ts';
import { shownUrl } from '../catalog/database-url.ts';
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
  const state = ws.databaseUrl ? ` (cơ sở dữ liệu chung ${shownUrl(ws.databaseUrl)})` : fs.existsSync(ws.dbPath) ? '' : fs.existsSync(ws.dir) ? ' (chưa có cơ sở dữ liệu)' : ' (thư mục chưa có)';
  used = `Thư mục làm việc: ${quotePath(ws.dir)}${state}`;
  if (ws.damagedSnapshot) {
    process.stderr.write(chalk.yellow(
      `Lưu ý: ${quotePath(ws.damagedSnapshot)} bị hỏng (không đọc được), nên năm ${ws.year} đang dùng danh sách đơn vị và cấu hình hiện có. ` +
      `${hoctapHint(['generate-templates', '--year', String(ws.year)])} sẽ ghi lại tệp này từ cấu hình hiện có.`,
    ) + '\n');
  }
  return ws;
}

let used: string | null = null;

/**
 * For the commands whose output carries the profile's texts (templates, report): the keys of hoctap.config.json edited
 * after the year's templates went out, which the year does not follow, and where to write them for that year.
 */
export function sayHeldBySnapshot(ws: Workspace): void {
  if (!ws.heldBySnapshot.length || ws.year === null) return;
  const keys = ws.heldBySnapshot.map((k) => `"${k}"`).join(', ');
  const yearConfig = path.join('years', String(ws.year), 'config.json');
  process.stderr.write(chalk.yellow(
    `Lưu ý: ${keys} trong hoctap.config.json khác với bản đã lưu khi tạo biểu mẫu năm ${ws.year} ` +
    `(${path.join('years', String(ws.year), 'snapshot.json')}) nên năm ${ws.year} vẫn dùng bản đã lưu. ` +
    `Muốn đổi cho năm ${ws.year}, ghi ${ws.heldBySnapshot.length > 1 ? 'các khóa này' : 'khóa này'} vào ${yearConfig}.`,
  ) + '\n');
}

/**
 * Said once the command has run (main.ts), on stderr: seen at the terminal, so that a mistyped -w shows at once, and
 * never mixed into what stdout holds (a table to paste, JSON, CSV, the paths of the files written).
 */
export function announceWorkspace(): void {
  if (!used) return;
  process.stderr.write(used + '\n');
  used = null;
}

/**
 * For the commands that only read the store: a folder without a database is a mistake (a wrong -w), not an empty year.
 */
export function requireStore(ws: Workspace): void {
  if (ws.databaseUrl || fs.existsSync(ws.dbPath)) return;
  // A database lost beside an archive's journal is no wrong folder: the store says to rebuild it.
  const journal = journalPathFor(ws.dbPath);
  if (fs.existsSync(journal) && fs.statSync(journal).size > 0) return;
  throw new UserError(
    `Thư mục làm việc ${quotePath(ws.dir)} chưa có cơ sở dữ liệu (hoctap.sqlite): chưa nhập tệp nào ở đây. ` +
    `Kiểm tra lại -w (hoặc biến HOCTAP_WORKSPACE), hoặc nhập số liệu trước: ${hoctapHint(['-w', ws.dir, 'ingest'])} <thư mục tệp nhận về>.`,
  );
}
