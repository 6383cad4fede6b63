/** The report's files written whole or not at all, and a failed write said in Vietnamese. */
import { produceFileAtomic, produceFileAtomicSync } from '../fs/atomic.ts';
import { fsErrorReason, UserError } from '../errors.ts';

/** Written whole or not at all (src/fs/atomic.ts): a failed run never leaves half a file where the last good one was. */
export function writeAtomically(file: string, write: (tmp: string) => void): void {
  try {
    produceFileAtomicSync(file, write);
  } catch (e) {
    throw writeError(file, e);
  }
}

export async function writeAtomicallyAsync<T>(file: string, write: (tmp: string) => Promise<T>): Promise<T> {
  try {
    return await produceFileAtomic(file, write);
  } catch (e) {
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
