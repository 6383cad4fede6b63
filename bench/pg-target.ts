/**
 * `npm run bench -- --database <postgresql://…|auto>`: the stages run on the shared PostgreSQL store instead of the
 * embedded one. Each run gets an empty store: `auto` starts a throwaway cluster (bench/pg-cluster.ts, with the server's
 * default durability: fsync and synchronous commit on, as on a Sở's server) and makes a new database per run; a given
 * address must hold no hoctap schema yet: the bench makes it, and drops the one it made after each run.
 * The stage processes find the store through HOCTAP_DATABASE_URL, as a user's workspace would.
 */
import pg from 'pg';
import { openPostgresStore } from '../src/store/postgres/open.ts';
import { PG_SCHEMA } from '../src/store/postgres/schema.ts';
import { startPostgres, type PgCluster } from './pg-cluster.ts';

export interface BenchDatabase {
  /** What the figures were measured on (printed, and written to the JSON). */
  label: string;
  /** An empty store for one run (named by `tag`), its schema made; returns its address. */
  fresh(tag: string): Promise<string>;
  /** Rows in a table of the store last made. */
  count(table: string): Promise<number>;
  /** The server's CPU time so far (ms), when the bench started it (auto, on Linux); else null. */
  serverCpuMs(): number | null;
  /** Removes what the bench made: the cluster (auto), or the last schema (a given address). */
  stop(): Promise<void>;
}

async function query<T>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows as T[];
  } finally {
    await client.end();
  }
}

async function makeSchema(url: string): Promise<void> {
  const store = await openPostgresStore(url, { create: true });
  await store.close();
}

/** The analyst's login of a throwaway cluster (auto), its password its name. */
const ANALYST = 'bench_analyst';

export async function benchDatabase(spec: string): Promise<BenchDatabase> {
  let current = '';
  const count = async (table: string) => Number((await query<{ n: string }>(current, `SELECT count(*) AS n FROM ${PG_SCHEMA}.${table}`))[0].n);
  if (spec === 'auto') {
    const cluster: PgCluster = startPostgres({ durable: true });
    const version = cluster.psql('SHOW server_version;').trim();
    return {
      label: `PostgreSQL ${version}, cụm tạm trên máy này (socket, fsync bật), tên đăng nhập của một chuyên viên (hoctap_analyst)`,
      async fresh(tag) {
        const db = `bench_${tag.replace(/\W/g, '_')}`;
        cluster.psql(`CREATE DATABASE ${db};`);
        current = cluster.url('postgres', db);
        await makeSchema(current);
        // The stages run as an analyst does, with a login of hoctap_analyst: the database's guards do their whole work
        // for it (an owner or approver passes them at once), and its password is asked as on a Sở's server.
        cluster.psql(`DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${ANALYST}') THEN
          CREATE ROLE ${ANALYST} LOGIN PASSWORD '${ANALYST}' IN ROLE hoctap_analyst; END IF; END $$;`);
        process.env.PGPASSWORD = ANALYST;
        return cluster.url(ANALYST, db);
      },
      count,
      serverCpuMs: () => cluster.serverCpuMs(),
      stop: async () => cluster.stop(),
    };
  }
  const has = await query<{ n: string }>(spec, `SELECT count(*) AS n FROM pg_namespace WHERE nspname = '${PG_SCHEMA}'`);
  if (Number(has[0].n) > 0) throw new Error(`${spec} đã có lược đồ ${PG_SCHEMA}: bench cần một cơ sở dữ liệu chưa có dữ liệu của hoctap (nó tạo rồi xóa lược đồ của mình).`);
  const version = (await query<{ v: string }>(spec, 'SHOW server_version'))[0].v;
  const drop = async () => {
    if (current) await query(spec, `DROP SCHEMA ${PG_SCHEMA} CASCADE`);
    current = '';
  };
  return {
    label: `PostgreSQL ${version}, ${spec.replace(/:[^:@/]*@/, ':***@')}`,
    async fresh() {
      await drop();
      current = spec;
      await makeSchema(spec);
      return spec;
    },
    count,
    serverCpuMs: () => null,
    stop: drop,
  };
}
