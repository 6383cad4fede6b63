/** The files of a batch: found on the command line or in folders, and the names they are shown under. */
import fs from 'node:fs';
import path from 'node:path';
import type { Workspace } from '../catalog/workspace.ts';
import { UserError } from '../errors.ts';
import { EMAIL_EXTENSIONS } from './email.ts';
import { FEEDBACK_SUFFIX } from './feedback.ts';
import { inert } from '../findings/inert.ts';

/** Extensions picked up when a folder is given (.xls and .xlsm too: their senders get a precise reason). */
export const INGEST_EXTENSIONS = ['.xlsx', '.csv', '.xls', '.xlsm', ...EMAIL_EXTENSIONS];
/** The files named on the command line: files as given, folders searched (recursively) for INGEST_EXTENSIONS. */
export function collectFiles(ws: Workspace, inputs: string[]): string[] {
  if (!inputs.length) throw new UserError('Thiếu tệp hoặc thư mục cần nhập, ví dụ: hoctap ingest ./bieu-mau-nhan-ve');
  const skipDirs = new Set([path.resolve(ws.archiveDir), path.resolve(ws.dir, 'feedback')]);
  const found = new Set<string>();
  const walk = (dir: string) => {
    for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, d.name);
      if (d.name.startsWith('.') || d.name.startsWith('~$')) continue; // hidden files, Excel lock files
      if (d.isDirectory()) {
        if (!skipDirs.has(path.resolve(full))) walk(full);
      } else if (INGEST_EXTENSIONS.includes(path.extname(d.name).toLowerCase()) && !isFeedbackFile(d.name)) {
        found.add(path.resolve(full));
      }
    }
  };
  for (const input of inputs) {
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(input);
    } catch {
      throw new UserError(`Không tìm thấy tệp hoặc thư mục "${input}".`);
    }
    if (stat.isDirectory()) walk(input);
    else found.add(path.resolve(input));
  }
  if (!found.size) throw new UserError(`Không tìm thấy tệp ${INGEST_EXTENSIONS.join(', ')} nào trong ${inputs.join(', ')}.`);
  // One order for every run: the first file of a unit in this order is the one kept when a unit appears twice.
  return [...found].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function isFeedbackFile(name: string): boolean {
  return new RegExp(`${FEEDBACK_SUFFIX.replace('.', '\\.')}(-\\d+)?\\.(xlsx|csv)$`, 'i').test(name);
}

/**
 * Base names, unless two files of the batch share one: then their paths relative to the current folder. Shown inert:
 * a file name may carry control characters too.
 */
export function displayNames(files: string[]): Map<string, string> {
  const counts = new Map<string, number>();
  for (const f of files) counts.set(path.basename(f), (counts.get(path.basename(f)) ?? 0) + 1);
  return new Map(files.map((f) => [f, inert(counts.get(path.basename(f))! > 1 ? path.relative(process.cwd(), f) || f : path.basename(f))]));
}

