/**
 * A long job on a store (rebuild, store copy) never runs twice at once: on the embedded store a lock file beside the
 * database (hoctap.sqlite.lock, naming the process; one left by a process that no longer runs is taken over), on
 * PostgreSQL an advisory lock held by the job's session. A second one is refused with one line, before it writes.
 */
import fs from 'node:fs';
import { sql } from 'kysely';
import { UserError } from '../errors.ts';
import { processAlive } from './archive.ts';
import { WRITE_LOCK, type SqlSession } from './sql/session.ts';

const JOB_LOCK = WRITE_LOCK + 1;

function busy(what: string, where: string, pid?: number): UserError {
  return new UserError(`Một lệnh dài khác (dựng lại hoặc sao chép kho dữ liệu) đang chạy trên ${where}${pid ? ` (tiến trình ${pid})` : ''}: chờ nó xong rồi chạy lại "${what}".`);
}

/** Takes the lock file of the embedded store `dbFile`; returns its release. */
export function takeFileLock(dbFile: string, what: string): () => void {
  const lock = `${dbFile}.lock`;
  for (let attempt = 0; ; attempt++) {
    try {
      fs.writeFileSync(lock, `${process.pid}\n`, { flag: 'wx' });
      return () => fs.rmSync(lock, { force: true });
    } catch (e) {
      // No workspace folder yet: nothing to lock.
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return () => undefined;
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number.parseInt(fs.readFileSync(lock, 'utf8'), 10);
      if (attempt > 0 || (Number.isInteger(pid) && processAlive(pid))) throw busy(what, `thư mục làm việc này`, pid);
      fs.rmSync(lock, { force: true });
    }
  }
}

/** Runs fn holding the lock file of the embedded store `dbFile`. */
export async function withFileLock<T>(dbFile: string, what: string, fn: () => Promise<T>): Promise<T> {
  const release = takeFileLock(dbFile, what);
  try {
    return await fn();
  } finally {
    release();
  }
}

/** Takes the long-job advisory lock for the life of a PostgreSQL session (released when it closes). */
export async function takeAdvisoryLock(session: SqlSession, what: string, where: string): Promise<void> {
  const got = await sql<{ ok: boolean }>`SELECT pg_try_advisory_lock(${JOB_LOCK}) AS ok`.execute(session.db);
  if (!got.rows[0]?.ok) throw busy(what, where);
}

/** Runs fn holding the long-job advisory lock of a PostgreSQL store's session. */
export async function withAdvisoryLock<T>(session: SqlSession, what: string, where: string, fn: () => Promise<T>): Promise<T> {
  await takeAdvisoryLock(session, what, where);
  try {
    return await fn();
  } finally {
    await sql`SELECT pg_advisory_unlock(${JOB_LOCK})`.execute(session.db).catch(() => undefined);
  }
}
