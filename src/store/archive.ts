/**
 * The archive: the original bytes of every file received, by content, <workspace>/archive/ab/abcdef….<ext>, each
 * written once and atomically (a temporary file renamed). With the journal it is what `hoctap rebuild` starts from.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.ts';

/** Where the bytes of a content go. */
export function archivePathFor(archiveDir: string, sha256: string, ext: string): { dir: string; file: string } {
  const safeExt = /^[a-z0-9]{1,8}$/.test(ext) ? ext : 'bin';
  const dir = path.join(archiveDir, sha256.slice(0, 2));
  return { dir, file: path.join(dir, `${sha256}.${safeExt}`) };
}

const TMP = /\.(\d+)-\d+\.tmp$/;

/**
 * Removes the temporary files a killed process left in the archive (its name carries the writer's process id; one
 * of a process still running is being written and is left alone). Returns how many were removed.
 */
export function removeOrphanTemporaries(archiveDir: string): number {
  let removed = 0;
  let dirs: fs.Dirent[];
  try {
    dirs = fs.readdirSync(archiveDir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const d of dirs) {
    if (!d.isDirectory() || !/^[0-9a-f]{2}$/.test(d.name)) continue;
    const dir = path.join(archiveDir, d.name);
    for (const name of fs.readdirSync(dir)) {
      const m = TMP.exec(name);
      if (!m || processAlive(Number(m[1]))) continue;
      fs.rmSync(path.join(dir, name), { force: true });
      removed++;
    }
  }
  return removed;
}

/** Whether the process that wrote a temporary file still runs (its own process counts as running). */
export function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists, under another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const tidied = new Set<string>();

/**
 * Archive writes in the background: the bytes are written while the next files are checked, and every write is
 * awaited (flush) before the batch that records them commits: a stored submission never points to a missing file.
 */
export class ArchiveWriter {
  private readonly archiveDir: string;
  private readonly pending = new Map<string, Promise<void>>();
  private failure: Error | null = null;
  private serial = 0;

  constructor(archiveDir: string) {
    this.archiveDir = archiveDir;
    // Once per process and folder (rebuild makes a writer for every file it re-ingests).
    if (!tidied.has(archiveDir)) {
      tidied.add(archiveDir);
      removeOrphanTemporaries(archiveDir);
    }
  }

  /** Starts writing the bytes (unless that content is archived already); returns the archive file's path. */
  write(bytes: Buffer, sha256: string, ext: string): string {
    const { dir, file } = archivePathFor(this.archiveDir, sha256, ext);
    if (this.pending.has(file) || fs.existsSync(file)) return file;
    const tmp = `${file}.${process.pid}-${++this.serial}.tmp`;
    const job = (async () => {
      try {
        try {
          await fs.promises.writeFile(tmp, bytes);
        } catch (e) {
          // The folder is made on first need only (one system call less per file for the usual case).
          if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
          await fs.promises.mkdir(dir, { recursive: true });
          await fs.promises.writeFile(tmp, bytes);
        }
        await fs.promises.rename(tmp, file);
      } catch (e) {
        await fs.promises.rm(tmp, { force: true }).catch(() => undefined);
        this.failure ??= new UserError(`Không ghi được bản lưu trữ ${file}: ${(e as Error).message}`);
      }
    })();
    this.pending.set(file, job);
    return file;
  }

  /** Waits for every write started; throws the first failure. */
  async flush(): Promise<void> {
    await Promise.all(this.pending.values());
    this.pending.clear();
    if (this.failure) throw this.failure;
  }
}
