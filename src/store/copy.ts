/**
 * `hoctap store copy --to postgresql://…`: an embedded workspace's store (hoctap.sqlite and the archive/ folder) copied
 * into a shared PostgreSQL database, through the one query layer on both sides, in one transaction: every row with its
 * id, every archived file's bytes. Verified before it commits: the same number of rows in each table and the same
 * checksum of their contents read back, every archived file's bytes matching its content address. The original is
 * opened read-only and left as it is. Under the long-job locks of both stores.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Kysely, sql } from 'kysely';
import { UserError } from '../errors.ts';
import { withAdvisoryLock, withFileLock } from './long-job.ts';
import { openPostgresStore } from './postgres/open.ts';
import { contentOf } from './sql/archive.ts';
import { nodeSqliteDialect } from './sql/node-sqlite-dialect.ts';
import type { Tables } from './sql/tables.ts';
import { schemaVersionOf } from './sqlite/health.ts';
import { MIGRATIONS } from './sqlite/schema.ts';
import { shownUrl } from '../catalog/database-url.ts';

type CopiedTable = 'submissions' | 'field_values' | 'messages' | 'narratives' | 'contacts' | 'unattributed_files' | 'events' | 'journal'
  | 'narrative_items' | 'confirmations' | 'unit_reviews' | 'year_locks' | 'review_events' | 'outbox' | 'mail_seen';

/** Each table, in an order its references allow, with the columns that order its rows. */
const TABLES: [CopiedTable, string[]][] = [
  ['submissions', ['id']], ['field_values', ['submission_id', 'field_id']], ['messages', ['id']], ['narratives', ['submission_id', 'section_id']],
  ['contacts', ['submission_id']], ['unattributed_files', ['id']], ['events', ['id']], ['journal', ['seq']],
  ['narrative_items', ['submission_id', 'section_id', 'item', 'ordinal']], ['confirmations', ['id']], ['unit_reviews', ['unit_code', 'year']],
  ['year_locks', ['year']], ['review_events', ['id']], ['outbox', ['id']], ['mail_seen', ['id']],
];

/** The tables whose id PostgreSQL can generate (an identity): its next one follows the copied ids. */
const IDENTITY = ['submissions', 'messages', 'unattributed_files', 'events', 'journal', 'confirmations', 'review_events', 'outbox', 'mail_seen'];

const CHUNK = 400;

export interface CopyResult { rows: Record<string, number>; archived: number; bytes: number }

type Row = Record<string, unknown>;

/** Rows as the checksum sees them: numbers as numbers whichever engine (PostgreSQL's bigint comes as text). */
function checksum(rows: Row[], numeric: Set<string>): string {
  const h = crypto.createHash('sha256');
  for (const r of rows) h.update(JSON.stringify(Object.keys(r).sort().map((k) => [k, numeric.has(k) && r[k] !== null ? Number(r[k]) : r[k]])) + '\n');
  return h.digest('hex');
}

const NUMERIC = new Set(['id', 'seq', 'submission_id', 'year', 'error_count', 'warning_count', 'value_count', 'superseded_by', 'value_num', 'line', 'in_force', 'out_of_force',
  'ordinal', 'says_none', 'rev', 'locked', 'attempts', 'uid']);

async function readAll(db: Kysely<Tables>, table: CopiedTable, order: string[]): Promise<Row[]> {
  let q = db.selectFrom(table).selectAll() as unknown as { orderBy(c: string): typeof q; execute(): Promise<Row[]> };
  for (const c of order) q = q.orderBy(c);
  const rows = await q.execute();
  // The journal's place in a file means nothing in a shared store: its lines are kept in the database only.
  return table === 'journal' ? rows.map((r) => ({ ...r, end_offset: null })) : rows;
}

/** The archived files of the workspace: archive/ab/<sha256>.<ext>. */
function archivedFiles(archiveDir: string): string[] {
  if (!fs.existsSync(archiveDir)) return [];
  return fs.readdirSync(archiveDir).filter((d) => /^[0-9a-f]{2}$/.test(d)).sort()
    .flatMap((d) => fs.readdirSync(path.join(archiveDir, d)).filter((f) => contentOf(f) !== null).sort().map((f) => path.join(archiveDir, d, f)));
}

export async function copyStoreToPostgres(dbFile: string, url: string): Promise<CopyResult> {
  if (!fs.existsSync(dbFile)) throw new UserError(`Thư mục làm việc chưa có cơ sở dữ liệu ${dbFile}: không có gì để sao chép.`);
  return withFileLock(dbFile, 'store copy', async () => {
    const source = new DatabaseSync(dbFile, { readOnly: true });
    const from = new Kysely<Tables>({ dialect: nodeSqliteDialect(source) });
    try {
      if (schemaVersionOf(source, dbFile, MIGRATIONS.length) < MIGRATIONS.length) {
        throw new UserError((run) => `Cơ sở dữ liệu ${dbFile} cần được nâng cấp trước: chạy "${run(['status'])}" trên thư mục làm việc này rồi sao chép lại.`);
      }
      const target = await openPostgresStore(url, { create: true });
      try {
        return await withAdvisoryLock(target.session, 'store copy', shownUrl(url), () => target.transaction(async () => {
          const to = target.session.db;
          const held = await to.selectFrom('submissions').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
          const other = await to.selectFrom('unattributed_files').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
          if (Number(held.n) + Number(other.n) > 0) throw new UserError(`Cơ sở dữ liệu ${shownUrl(url)} đã có dữ liệu của hoctap (${held.n} lần nhập): chỉ sao chép vào một cơ sở dữ liệu chưa có gì, không có gì được ghi.`);
          const rows: Record<string, number> = {};
          for (const [table, order] of TABLES) rows[table] = await copyTable(from, to, table, order);
          const archive = await copyArchive(to, path.join(path.dirname(dbFile), 'archive'));
          return { rows, ...archive };
        }));
      } finally {
        await target.close();
      }
    } finally {
      await from.destroy();
      source.close();
    }
  });
}

async function copyTable(from: Kysely<Tables>, to: Kysely<Tables>, table: CopiedTable, order: string[]): Promise<number> {
  const rows = await readAll(from, table, order);
  // A submission may name a later one (superseded_by): set once every submission is there.
  const insertable = table === 'submissions' ? rows.map((r) => ({ ...r, superseded_by: null })) : rows;
  for (let i = 0; i < insertable.length; i += CHUNK) {
    await to.insertInto(table).values(insertable.slice(i, i + CHUNK) as never).execute();
  }
  if (table === 'submissions') {
    for (const r of rows.filter((x) => x.superseded_by !== null)) {
      await to.updateTable('submissions').set({ superseded_by: Number(r.superseded_by) }).where('id', '=', Number(r.id)).execute();
    }
  }
  const key = table === 'journal' ? 'seq' : 'id';
  if (IDENTITY.includes(table)) {
    // The next generated id follows the copied ones.
    await sql`SELECT setval(pg_get_serial_sequence(${`hoctap.${table}`}, ${key}), GREATEST((SELECT MAX(${sql.ref(key)}) FROM ${sql.table(table)}), 1))`.execute(to);
  }
  const back = await readAll(to, table, order);
  if (back.length !== rows.length || checksum(back, NUMERIC) !== checksum(rows, NUMERIC)) {
    throw new Error(`Sao chép bảng ${table}: đọc lại ${back.length} dòng, khác với ${rows.length} dòng của bản gốc (tổng kiểm tra khác nhau); không có gì được ghi.`);
  }
  return rows.length;
}

async function copyArchive(to: Kysely<Tables>, archiveDir: string): Promise<{ archived: number; bytes: number }> {
  let bytes = 0;
  const files = archivedFiles(archiveDir);
  for (const file of files) {
    const { sha256, ext } = contentOf(file)!;
    const content = fs.readFileSync(file);
    if (crypto.createHash('sha256').update(content).digest('hex') !== sha256) {
      throw new UserError((run) => `Bản lưu trữ ${file} đã bị thay đổi (mã băm khác tên tệp): không sao chép, không có gì được ghi; kiểm tra kho lưu trữ (hoặc chạy "${run(['rebuild'])}").`);
    }
    await to.insertInto('archive_files').values({ sha256, ext, size: content.length, bytes: content }).execute();
    const back = await to.selectFrom('archive_files').select('bytes').where('sha256', '=', sha256).executeTakeFirstOrThrow();
    if (crypto.createHash('sha256').update(back.bytes).digest('hex') !== sha256) throw new Error(`Sao chép ${file}: nội dung đọc lại khác.`);
    bytes += content.length;
  }
  return { archived: files.length, bytes };
}
