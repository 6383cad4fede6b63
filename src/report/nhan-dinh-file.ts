/** years/<year>/nhan-dinh.md on disk: read, merged with this run's drafts (model/nhan-dinh.ts), written atomically. */
import fs from 'node:fs';
import path from 'node:path';
import { yearDir } from '../catalog/workspace.ts';
import { fsErrorReason } from '../errors.ts';
import { applyWritten, mergeNhanDinh, outlineItems } from './model/nhan-dinh.ts';
import type { ReportModel } from './model/types.ts';
import { writeFileAtomic } from '../fs/atomic.ts';

export const NHAN_DINH_FILE = 'nhan-dinh.md';

export interface NhanDinhResult {
  model: ReportModel;
  file: string;
  /** Items still drafted by hoctap (their codes, in the report's order). */
  drafts: string[];
  /** Why the file could not be written (a read-only workspace); the analyst's text read is still used. */
  problem: string | null;
}

/**
 * Reads the analyst's file (creating it on the year's first report), puts the analyst's words in the model in place of
 * the drafts they replace and writes the file back with fresh drafts, never touching what the analyst wrote.
 */
export function syncNhanDinh(workspaceDir: string, year: number, model: ReportModel): NhanDinhResult {
  const file = path.join(yearDir(workspaceDir, year), NHAN_DINH_FILE);
  let existing: string | null = null;
  try {
    existing = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const merged = mergeNhanDinh(existing, outlineItems(model), year);
  let problem: string | null = null;
  if (merged.text !== existing) {
    try {
      writeFileAtomic(file, merged.text);
    } catch (e) {
      problem = fsErrorReason(e) ?? (e as Error).message;
    }
  }
  return { model: applyWritten(model, merged.written), file, drafts: merged.drafts, problem };
}

/** What `report` says of the file: where it is, which items are still drafts, why it could not be written. */
export function nhanDinhNotice(r: NhanDinhResult): string {
  const drafts = r.drafts.length ? `các mục còn là bản nháp của hoctap: ${r.drafts.join(', ')}` : 'mọi mục đã có lời của chuyên viên';
  return `Nhận định của chuyên viên: ${r.file} (${drafts}).${r.problem ? ` Không ghi được tệp này: ${r.problem}` : ''}`;
}
