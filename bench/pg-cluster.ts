/**
 * A throwaway PostgreSQL cluster (Debian's postgresql 15: initdb and pg_ctl, run as the `postgres` user since initdb
 * refuses root), no TCP (listen_addresses=''), its socket in a temporary folder; stopped and removed by stop().
 * Logins other than `postgres` authenticate with a password (scram), as on a Sở's server; `postgres` is trusted on the
 * socket (the IT's own login). Used by the tests (test/helpers/pg.ts) and by `npm run bench -- --database auto`.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const PG_BIN = process.env.HOCTAP_PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface PgCluster {
  /** The folder of the server's socket (the URL's host). */
  socketDir: string;
  /** A URL through the socket, without password (postgresql://user@/db?host=…). */
  url(user: string, db: string): string;
  /** Runs SQL with psql as the cluster's superuser (or another login with its password); returns psql's output. */
  psql(sqlText: string, opts?: { db?: string; user?: string; password?: string }): string;
  /**
   * CPU time the server has used (ms): the postmaster's and that of its ended processes (each connection's backend is
   * one, counted once it has ended); Linux only (/proc), null elsewhere.
   */
  serverCpuMs(): number | null;
  stop(): void;
}

/** Whether initdb and pg_ctl are where PG_BIN says. */
export function postgresInstalled(): boolean {
  return fs.existsSync(path.join(PG_BIN, 'initdb')) && fs.existsSync(path.join(PG_BIN, 'pg_ctl'));
}

function asPostgres(cmd: string, args: string[]): string {
  const asRoot = process.getuid?.() === 0;
  return execFileSync(asRoot ? 'runuser' : cmd, asRoot ? ['-u', 'postgres', '--', cmd, ...args] : args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * Starts a new cluster (about a second). `durable`: keep the server's defaults for fsync and commit (a measurement of
 * what a real server does); by default they are off, as a test's throwaway data needs no disk flush.
 */
export function startPostgres(opts: { durable?: boolean } = {}): PgCluster {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hoctap-pg-'));
  // The server runs as postgres: it must write its data folder and socket.
  fs.chmodSync(root, 0o777);
  const data = path.join(root, 'data');
  asPostgres(path.join(PG_BIN, 'initdb'), ['-D', data, '-U', 'postgres', '--auth-local=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
  fs.writeFileSync(path.join(data, 'pg_hba.conf'), 'local all postgres trust\nlocal all all scram-sha-256\n');
  const fast = opts.durable ? '' : ' -c fsync=off -c synchronous_commit=off -c full_page_writes=off';
  asPostgres(path.join(PG_BIN, 'pg_ctl'), ['-D', data, '-o', `-c listen_addresses='' -k ${root}${fast}`, '-l', path.join(root, 'log'), '-w', '-s', 'start']);
  let stopped = false;
  return {
    socketDir: root,
    url: (user, db) => `postgresql://${user}@/${db}?host=${encodeURIComponent(root)}`,
    psql: (sqlText, o = {}) => execFileSync('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-h', root, '-U', o.user ?? 'postgres', '-d', o.db ?? 'postgres'], {
      input: sqlText, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, PGPASSWORD: o.password ?? '' },
    }),
    serverCpuMs: () => {
      try {
        const pid = fs.readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0].trim();
        const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
        // Fields after the command's name: state is field 3; utime, stime, cutime, cstime are 14 to 17 (clock ticks).
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return [11, 12, 13, 14].reduce((t, i) => t + Number(f[i]), 0) * 10;
      } catch {
        return null;
      }
    },
    stop: () => {
      if (stopped) return;
      stopped = true;
      try {
        asPostgres(path.join(PG_BIN, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-s', 'stop']);
      } finally {
        fs.rmSync(root, { recursive: true, force: true });
      }
    },
  };
}
