/**
 * The archive held in the database (PostgreSQL): the original bytes of every file received, by content, written in
 * the transaction of the batch that records them (flush, before the batch commits), so that a second PC with only the
 * database's address can read them back (`rebuild`, `store copy`). Paths are named as on the embedded store
 * (archive/ab/abcdef….xlsx), so a submission's archivePath means the same on both engines.
 */
import path from 'node:path';
import type { ArchiveSink, StoreArchive } from '../store.ts';
import type { SqlSession } from './session.ts';

/** The content's sha256 and extension named by an archive path (…/ab/<sha256>.<ext>), or null. */
export function contentOf(archivePath: string): { sha256: string; ext: string } | null {
  const m = /^([0-9a-f]{64})\.([a-z0-9]{1,8})$/.exec(path.basename(archivePath));
  return m ? { sha256: m[1], ext: m[2] } : null;
}

/** The bytes of the files one INSERT of the archive carries at most (one file alone may be larger). */
const FLUSH_BYTES = 8 * 1024 * 1024;

export class DatabaseArchive implements StoreArchive {
  private readonly s: SqlSession;
  /** The folder the paths are named in (the workspace's archive/, which holds nothing on this engine). */
  private readonly dir: string;

  constructor(s: SqlSession, dir: string) {
    this.s = s;
    this.dir = dir;
  }

  writer(): ArchiveSink {
    const pending = new Map<string, { sha256: string; ext: string; bytes: Buffer }>();
    return {
      write: (bytes, sha256, ext) => {
        const safeExt = /^[a-z0-9]{1,8}$/.test(ext) ? ext : 'bin';
        pending.set(sha256, { sha256, ext: safeExt, bytes });
        return path.join(this.dir, sha256.slice(0, 2), `${sha256}.${safeExt}`);
      },
      flush: async () => {
        const rows = [...pending.values()];
        pending.clear();
        // Several files a statement (one round trip each, not one a file), up to about 8 MB of bytes.
        for (let i = 0; i < rows.length;) {
          let bytes = 0;
          let j = i;
          while (j < rows.length && (j === i || bytes + rows[j].bytes.length <= FLUSH_BYTES)) bytes += rows[j++].bytes.length;
          await this.s.db.insertInto('archive_files').values(rows.slice(i, j).map((r) => ({ sha256: r.sha256, ext: r.ext, size: r.bytes.length, bytes: r.bytes })))
            .onConflict((oc) => oc.column('sha256').doNothing()).execute();
          i = j;
        }
      },
    };
  }

  async read(archivePath: string): Promise<Buffer | null> {
    const c = contentOf(archivePath);
    if (!c) return null;
    const r = await this.s.db.selectFrom('archive_files').select('bytes').where('sha256', '=', c.sha256).executeTakeFirst();
    return r ? Buffer.from(r.bytes) : null;
  }
}
