/**
 * The shared store from the command line: before and after every command on a workspace that works with a shared
 * database, its shared files are synced with it (src/store/shared-files.ts).
 */
import type { Command } from 'commander';
import { databaseUrlOf, resolveWorkspaceDir } from '../../catalog/workspace.ts';
import { openPostgresStore } from '../../store/postgres/open.ts';
import { syncSharedFiles } from '../../store/shared-files.ts';
import type { SetExitCode } from '../context.ts';
import fs from 'node:fs';
import chalk from 'chalk';

/** Commands that make their own workspace, or none: no sync around them. */
const NOT_SYNCED = new Set(['init', 'demo', 'help']);

async function syncAround(actionCommand: Command): Promise<void> {
  if (NOT_SYNCED.has(actionCommand.name()) || NOT_SYNCED.has(actionCommand.parent?.name() ?? '')) return;
  const dir = resolveWorkspaceDir((actionCommand.optsWithGlobals() as { workspace?: string }).workspace);
  if (!fs.existsSync(dir)) return;
  const url = databaseUrlOf(dir);
  if (!url) return;
  const store = await openPostgresStore(url);
  try {
    const r = await syncSharedFiles(store, dir);
    for (const aside of r.keptAside) {
      process.stderr.write(chalk.yellow(`Lưu ý: tệp cấu hình đã được sửa cả ở máy này lẫn trong cơ sở dữ liệu chung; dùng bản chung, bản của máy này giữ ở ${aside}.`) + '\n');
    }
  } finally {
    await store.close();
  }
}

export function registerStore(program: Command, _setExitCode: SetExitCode): void {
  program.hook('preAction', (_program, actionCommand) => syncAround(actionCommand));
  program.hook('postAction', (_program, actionCommand) => syncAround(actionCommand));
}
