/**
 * Opening the shared PostgreSQL store: one session (one connection, kept while the command runs) through the query
 * layer, the schema `hoctap` created or migrated by the database's owner, joined by everyone else. A password is never
 * in the URL hoctap keeps: PGPASSWORD, ~/.pgpass, or asked at the terminal (password.ts).
 */
import path from 'node:path';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { UserError } from '../../errors.ts';
import { DatabaseArchive } from '../sql/archive.ts';
import { SqlSession, WRITE_LOCK } from '../sql/session.ts';
import { SqlStore } from '../sql/store.ts';
import type { Tables } from '../sql/tables.ts';
import { OneConnection } from './connection.ts';
import { PasswordAskingClient } from './password.ts';
import { newerSchema, noSchema, olderSchema, pgFailure } from './errors.ts';
import { PG_SCHEMA, PG_SCHEMA_VERSION, postgresMigrations } from './schema.ts';

export interface PostgresOpenOptions {
  /** The workspace's archive folder, in which archive paths are named (nothing is written there). */
  archiveDir?: string;
  /** Create the schema when the database has none (init, by the database's owner). Default: refuse. */
  create?: boolean;
  /** For a command that only reads: all its reads see one snapshot (REPEATABLE READ). */
  snapshot?: boolean;
  /** The schema (default hoctap; rebuild fills a new one beside it: src/store/fresh.ts). */
  schema?: string;
}

export async function openPostgresStore(url: string, opts: PostgresOpenOptions = {}): Promise<SqlStore & { opened: 'created' | 'joined' }> {
  // The password, when the server asks for one: PGPASSWORD, ~/.pgpass, else asked at the terminal (password.ts).
  const pool = new pg.Pool({ Client: PasswordAskingClient, connectionString: url, max: 1, idleTimeoutMillis: 0, connectionTimeoutMillis: 15_000, options: `-c search_path=${opts.schema ?? PG_SCHEMA}` });
  // An idle client whose server went away must not crash the process: the next query says so.
  pool.on('error', () => undefined);
  const connection = new OneConnection(pool);
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool: connection.forQueryLayer }) });
  const session = new SqlSession(db, 'postgres', connection.pipeline, (st, undo) => connection.sendNow(st, undo));
  try {
    const opened = await prepareSchema(session, url, opts.create === true, opts.schema ?? PG_SCHEMA);
    const store = new SqlStore(session, (s) => new DatabaseArchive(s, opts.archiveDir ?? path.resolve('archive')), () => db.destroy());
    if (opts.snapshot) await session.openReadSnapshot();
    return Object.assign(speaking(store, url), { opened });
  } catch (e) {
    await db.destroy().catch(() => undefined);
    throw pgFailure(e, url);
  }
}

/**
 * The store whose every call says PostgreSQL's failures as pgFailure does (the database's refusal of a right, a server
 * gone): one Vietnamese line, never the driver's English. Calls inside one (a transaction's) reach the store itself.
 */
function speaking(store: SqlStore, url: string): SqlStore {
  const said = (e: unknown) => pgFailure(e, url);
  return new Proxy(store, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || prop === 'constructor') return value;
      return (...args: unknown[]) => {
        let out: unknown;
        try {
          out = Reflect.apply(value, target, args);
        } catch (e) {
          throw said(e);
        }
        return out instanceof Promise ? out.catch((e: unknown) => { throw said(e); }) : out;
      };
    },
  });
}

async function schemaVersion(session: SqlSession, schema: string): Promise<number | null> {
  const has = await sql<{ n: string }>`SELECT count(*) AS n FROM pg_catalog.pg_tables WHERE schemaname = ${schema} AND tablename = 'meta'`.execute(session.db);
  if (Number(has.rows[0].n) === 0) return null;
  const r = await sql<{ value: string }>`SELECT value FROM meta WHERE key = 'schema_version'`.execute(session.db);
  return r.rows.length ? Number(r.rows[0].value) : 0;
}

/** Creates or migrates the schema when this login may, under the writer lock; refuses a newer one. */
async function prepareSchema(session: SqlSession, url: string, create: boolean, schema: string): Promise<'created' | 'joined'> {
  const found = await schemaVersion(session, schema);
  if (found === null && !create) throw noSchema(url);
  // Only a login that may create in the database (its owner) makes the schema; anyone else is told who must.
  if (found === null) {
    const may = await sql<{ ok: boolean }>`SELECT has_database_privilege(current_database(), 'CREATE') AS ok`.execute(session.db);
    if (!may.rows[0]?.ok) throw noSchema(url);
  }
  if (found !== null && found > PG_SCHEMA_VERSION) throw newerSchema(url, found, PG_SCHEMA_VERSION);
  if (found === PG_SCHEMA_VERSION) return 'joined';
  // An older schema is brought up to date by the login that owns it; anyone else is told so, not refused a right.
  if (found !== null) {
    const may = await sql<{ ok: boolean }>`SELECT has_schema_privilege(${schema}, 'CREATE') AS ok`.execute(session.db);
    if (!may.rows[0]?.ok) throw olderSchema(url, found, PG_SCHEMA_VERSION);
  }
  await session.run(async () => {
    await sql`SELECT pg_advisory_xact_lock(${WRITE_LOCK + 2})`.execute(session.db);
    // Another PC may have done it meanwhile.
    const again = await schemaVersion(session, schema);
    if (again !== null && again > PG_SCHEMA_VERSION) throw newerSchema(url, again, PG_SCHEMA_VERSION);
    if (again === null) {
      await sql.raw(`CREATE SCHEMA IF NOT EXISTS ${schema}`).execute(session.db);
      await sql.raw(`CREATE TABLE ${schema}.meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`).execute(session.db);
      await sql`INSERT INTO meta (key, value) VALUES ('schema_version', '0')`.execute(session.db);
    }
    const migrations = postgresMigrations();
    for (let v = again ?? 0; v < migrations.length; v++) await sql.raw(migrations[v]).execute(session.db);
    await sql`UPDATE meta SET value = ${String(migrations.length)} WHERE key = 'schema_version'`.execute(session.db);
    await grantRoles(session, schema);
  });
  return found === null ? 'created' : 'joined';
}

/**
 * The two roles (cluster-wide) and what they may do in the schema: an analyst reads and writes the data, an approver
 * is an analyst too. Roles are made here when the owner may make them; otherwise the IT made them (docs/workspace.md).
 */
export async function grantRoles(session: SqlSession, schema = PG_SCHEMA): Promise<void> {
  const mayCreate = await sql<{ ok: boolean }>`SELECT rolcreaterole OR rolsuper AS ok FROM pg_roles WHERE rolname = current_user`.execute(session.db);
  const exists = async (role: string) => (await sql`SELECT 1 FROM pg_roles WHERE rolname = ${role}`.execute(session.db)).rows.length > 0;
  for (const role of ['hoctap_analyst', 'hoctap_approver']) {
    if (await exists(role)) continue;
    if (!mayCreate.rows[0]?.ok) throw new UserError(`Vai trò ${role} chưa có trên máy chủ PostgreSQL và tên đăng nhập này không tạo được vai trò: bộ phận CNTT chạy các lệnh SQL ở docs/workspace.md ("Làm việc nhóm") trước, rồi chạy lại.`);
    await sql.raw(`CREATE ROLE ${role} NOLOGIN`).execute(session.db);
    if (role === 'hoctap_approver') await sql.raw('GRANT hoctap_analyst TO hoctap_approver').execute(session.db);
  }
  for (const stmt of [
    `GRANT USAGE ON SCHEMA ${schema} TO hoctap_analyst`,
    `GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA ${schema} TO hoctap_analyst`,
    `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${schema} TO hoctap_analyst`,
    `REVOKE INSERT, UPDATE ON ${schema}.meta FROM hoctap_analyst`,
  ]) await sql.raw(stmt).execute(session.db);
}
