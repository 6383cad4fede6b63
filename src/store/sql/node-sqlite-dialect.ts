/**
 * Kysely over node:sqlite. Kysely's own SqliteDialect expects better-sqlite3's API (a statement with `reader`, and
 * parameters as one array); node:sqlite's DatabaseSync takes them spread and says whether a statement returns rows
 * through columns(). This adapter is all it takes; statements are prepared once per database.
 */
import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import { SqliteDialect, type SqliteDatabase, type SqliteStatement } from 'kysely';

export function nodeSqliteDialect(db: DatabaseSync): SqliteDialect {
  const prepared = new Map<string, SqliteStatement>();
  const adapt = (st: StatementSync): SqliteStatement => ({
    reader: st.columns().length > 0,
    all: (params) => st.all(...(params as SQLInputValue[])),
    run: (params) => st.run(...(params as SQLInputValue[])),
    iterate: (params) => st.iterate(...(params as SQLInputValue[])),
  });
  const database: SqliteDatabase = {
    // The database belongs to whoever opened it: Kysely's destroy() leaves it open.
    close: () => undefined,
    prepare: (sql) => {
      let st = prepared.get(sql);
      if (!st) prepared.set(sql, (st = adapt(db.prepare(sql))));
      return st;
    },
  };
  return new SqliteDialect({ database });
}
