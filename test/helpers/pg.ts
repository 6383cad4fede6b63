/**
 * A throwaway PostgreSQL cluster for the tests (bench/pg-cluster.ts, shared with `npm run bench -- --database auto`).
 * Without PostgreSQL the test fails in CI and is skipped loudly otherwise.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PG_BIN, postgresInstalled } from '../../bench/pg-cluster.ts';

export { startPostgres, type PgCluster } from '../../bench/pg-cluster.ts';

/** Whether this machine has PostgreSQL 15; in CI its absence throws, otherwise it is said loudly (the caller skips). */
export function havePostgres(): boolean {
  if (postgresInstalled()) return true;
  const reason = `PostgreSQL 15 (${PG_BIN}/initdb, gói postgresql) không có trên máy này`;
  if (process.env.CI) throw new Error(`Thiếu công cụ cho kiểm thử: ${reason}. .ci/run phải cài nó.`);
  console.warn(`\n!!! BỎ QUA kiểm thử PostgreSQL: ${reason}. Trong CI kiểm thử này sẽ thất bại. !!!\n`);
  return false;
}

/** The SQL block of docs/workspace.md's "Làm việc nhóm" section, as the IT would paste it. */
export function itSqlFromDocs(): string {
  const doc = fs.readFileSync(path.resolve(import.meta.dirname, '../../docs/workspace.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## Làm việc nhóm'));
  const m = /```sql\n([\s\S]*?)```/.exec(section);
  if (!m) throw new Error('docs/workspace.md: no SQL block under "Làm việc nhóm"');
  return m[1];
}
