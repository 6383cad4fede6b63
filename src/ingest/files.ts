/** The files of a batch: found on the command line or in folders, and the names they are shown under. */
import fs from 'node:fs';
import path from 'node:path';
import type { Workspace } from '../catalog/workspace.ts';
import { UserError } from '../errors.ts';
import { EMAIL_EXTENSIONS } from './email.ts';
import { FEEDBACK_SUFFIX } from './feedback.ts';
import { inert } from '../findings/inert.ts';

/**
 * Extensions of the files a folder is searched for: whatever a spreadsheet program or an e-mail client may have saved a
 * unit's answer as. Each gets its own line: read, or refused with the reason and what to do (an .ods, an .xlsb, an old
 * .xls named alone or found in a folder are said the same way).
 */
export const SPREADSHEET_EXTENSIONS = [
  '.xlsx', '.xlsm', '.xltx', '.xltm', '.xls', '.xlt', '.xlsb', '.ods', '.ots', '.fods', '.numbers', '.csv', '.tsv',
];
export const INGEST_EXTENSIONS = [...SPREADSHEET_EXTENSIONS, ...EMAIL_EXTENSIONS];

/** A file of a folder that is not taken, and why (listed together at the end, never left unsaid). */
export interface SkippedFile { path: string; why: 'not_spreadsheet' | 'feedback_copy' | 'lock_file' | 'hidden' }

export interface CollectedFiles {
  /** The files to ingest, in one order for every run. */
  files: string[];
  /** The other files found in the folders given. */
  skipped: SkippedFile[];
}

/** The files named on the command line: files as given, folders searched (recursively) for INGEST_EXTENSIONS. */
export function collectFiles(ws: Workspace, inputs: string[]): CollectedFiles {
  if (!inputs.length) throw new UserError((run) => `Thiếu tệp hoặc thư mục cần nhập, ví dụ: ${run(['ingest', './bieu-mau-nhan-ve'])}`);
  const skipDirs = new Set([path.resolve(ws.archiveDir), path.resolve(ws.dir, 'feedback')]);
  const found = new Set<string>();
  const skipped: SkippedFile[] = [];
  const walk = (dir: string) => {
    for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, d.name);
      if (d.isDirectory()) {
        if (!d.name.startsWith('.') && !skipDirs.has(path.resolve(full))) walk(full);
        continue;
      }
      const why = skipReason(d.name);
      if (why) skipped.push({ path: path.resolve(full), why });
      else found.add(path.resolve(full));
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
  if (!found.size) {
    const also = skipped.length ? ` (có ${skipped.length} tệp khác: ${skipped.slice(0, 5).map((s) => path.basename(s.path)).join(', ')}${skipped.length > 5 ? ', …' : ''})` : '';
    throw new UserError(`Không tìm thấy bảng tính hay thư nào (${INGEST_EXTENSIONS.join(', ')}) trong ${inputs.join(', ')}${also}.`);
  }
  // One order for every run: the first file of a unit in this order is the one kept when a unit appears twice.
  const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return { files: [...found].sort(byName), skipped: skipped.sort((a, b) => byName(a.path, b.path)) };
}

/** Why a file found in a folder is not taken (null: it is). Extensions in any case: ".XLSX" is an .xlsx. */
function skipReason(name: string): SkippedFile['why'] | null {
  if (name.startsWith('~$')) return 'lock_file';
  if (name.startsWith('.')) return 'hidden';
  if (!INGEST_EXTENSIONS.includes(path.extname(name).toLowerCase())) return 'not_spreadsheet';
  if (isFeedbackFile(name)) return 'feedback_copy';
  return null;
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
