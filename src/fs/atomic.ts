/**
 * Files a crash must never leave half-written (snapshots, configs, rosters, reports, templates, feedback copies): written
 * to a temporary file in the same folder, flushed to the disk, then renamed over the target in one step. A reader sees
 * the old file or the new one, never a part.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** The temporary name beside a target: hidden, recognisable, unique to this write. */
export function temporaryPathFor(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}-${crypto.randomBytes(4).toString('hex')}.tmp`);
}

/** The temporary file flushed to the disk, then renamed over the target in one step. */
function flushAndRename(tmp: string, file: string): void {
  const fd = fs.openSync(tmp, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

/** Writes data to file atomically (its folder made if needed); the temporary file is removed if anything fails. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = temporaryPathFor(file);
  try {
    fs.writeFileSync(tmp, data);
    flushAndRename(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * As writeFileAtomic, the writing, flushing and renaming done in libuv's thread pool: the caller works meanwhile
 * (generate-templates builds the next workbook while the disk flushes the last one).
 */
export async function writeFileAtomicAsync(file: string, data: string | Uint8Array): Promise<void> {
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  const tmp = temporaryPathFor(file);
  try {
    const handle = await fs.promises.open(tmp, 'w');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.promises.rename(tmp, file);
  } catch (e) {
    await fs.promises.rm(tmp, { force: true });
    throw e;
  }
}

/**
 * Makes a file by a writer that wants a path of its own (exceljs, docx, a browser's PDF): the writer writes the
 * temporary path, which is then flushed and renamed over the target. Nothing is left behind on failure.
 */
export async function produceFileAtomic<T>(file: string, write: (tmp: string) => Promise<T> | T): Promise<T> {
  const tmp = temporaryPathFor(file);
  try {
    const result = await write(tmp);
    flushAndRename(tmp, file);
    return result;
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/** As produceFileAtomic, for a writer that writes synchronously. */
export function produceFileAtomicSync(file: string, write: (tmp: string) => void): void {
  const tmp = temporaryPathFor(file);
  try {
    write(tmp);
    flushAndRename(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}
