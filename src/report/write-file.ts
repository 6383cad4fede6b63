/** The report's files written whole or not at all, and a failed write said in Vietnamese. */
import fs from 'node:fs';
import { fsErrorReason, UserError } from '../errors.ts';

/** Writes next to the target then renames: a failed run never leaves half a file where the last good one was. */
export function writeAtomically(file: string, write: (tmp: string) => void): void {
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    write(tmp);
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw writeError(file, e);
  }
}

export async function writeAtomicallyAsync<T>(file: string, write: (tmp: string) => Promise<T>): Promise<T> {
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    const result = await write(tmp);
    fs.renameSync(tmp, file);
    return result;
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw writeError(file, e);
  }
}

export function writeError(file: string, e: unknown): unknown {
  if (e instanceof UserError) return e;
  // The reason (errors.ts, the home of every file-system error's words) names the file, not the temporary copy it was
  // written to before being renamed.
  const reason = fsErrorReason(e && typeof e === 'object' ? { ...e, path: file, dest: undefined } : e);
  return reason ? new UserError(`Không ghi được báo cáo: ${reason}`) : e;
}
