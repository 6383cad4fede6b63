/**
 * What a shared store holds, read by direct SQL (psql as the cluster's superuser) for the PostgreSQL tests: rows per
 * table, and the submissions stored only in part (a value, its archive bytes or its journal line missing).
 */
import type { PgCluster } from './pg.ts';

/** The tables a file's ingest writes to. */
export const STORE_TABLES = ['submissions', 'field_values', 'messages', 'narratives', 'contacts', 'unattributed_files', 'events', 'journal', 'archive_files'] as const;

/** Rows per table of the schema hoctap of database `db`. */
export function tableCounts(pg: PgCluster, db: string): Record<string, number> {
  const out = pg.psql(STORE_TABLES.map((t) => `SELECT '${t}', count(*) FROM hoctap.${t};`).join('\n'), { db });
  return Object.fromEntries(out.trim().split('\n').map((l) => l.split('|')).map(([t, n]) => [t, Number(n)]));
}

/** Runs a query and returns its rows, each its columns joined by '|'. */
export function rows(pg: PgCluster, db: string, query: string): string[] {
  return pg.psql(query, { db }).split('\n').filter((l) => l !== '');
}

/**
 * Submissions (and unattributed files) not whole: fewer values or findings than their counts say, no archive bytes of
 * their content, no journal line, an accepted one without its event; rows of a submission that is not there; a content
 * stored twice. Each line names what is wrong; an empty list is a whole store.
 */
export function halfStored(pg: PgCluster, db: string): string[] {
  return rows(pg, db, `
    SELECT 'values of ' || s.id FROM hoctap.submissions s
      WHERE s.value_count <> (SELECT count(*) FROM hoctap.field_values v WHERE v.submission_id = s.id);
    SELECT 'findings of ' || s.id FROM hoctap.submissions s
      WHERE (s.status = 'accepted' AND s.warning_count <> (SELECT count(*) FROM hoctap.messages m WHERE m.submission_id = s.id))
         OR s.error_count > (SELECT count(*) FROM hoctap.messages m WHERE m.submission_id = s.id AND m.severity = 'error');
    SELECT 'archive of ' || s.id FROM hoctap.submissions s
      WHERE NOT EXISTS (SELECT 1 FROM hoctap.archive_files a WHERE a.sha256 = s.sha256 AND a.size = length(a.bytes) AND a.size > 0);
    SELECT 'archive of unattributed ' || u.id FROM hoctap.unattributed_files u
      WHERE NOT EXISTS (SELECT 1 FROM hoctap.archive_files a WHERE a.sha256 = u.sha256);
    SELECT 'journal of ' || s.id FROM hoctap.submissions s
      WHERE (SELECT count(*) FROM hoctap.journal j WHERE j.submission_id = s.id AND j.line LIKE '{"type":"submission"%') <> 1;
    SELECT 'event of ' || s.id FROM hoctap.submissions s
      WHERE s.status = 'accepted' AND NOT EXISTS (SELECT 1 FROM hoctap.events e WHERE e.in_force = s.id);
    SELECT 'orphan ' || t FROM (
      SELECT 'field_values' AS t FROM hoctap.field_values WHERE submission_id NOT IN (SELECT id FROM hoctap.submissions)
      UNION ALL SELECT 'messages' FROM hoctap.messages WHERE submission_id NOT IN (SELECT id FROM hoctap.submissions)
      UNION ALL SELECT 'narratives' FROM hoctap.narratives WHERE submission_id NOT IN (SELECT id FROM hoctap.submissions)
      UNION ALL SELECT 'contacts' FROM hoctap.contacts WHERE submission_id NOT IN (SELECT id FROM hoctap.submissions)) o;
    SELECT 'twice ' || unit_code || ' ' || year || ' ' || sha256 FROM hoctap.submissions GROUP BY unit_code, year, sha256, status HAVING count(*) > 1;
    SELECT 'two in force ' || unit_code || ' ' || year FROM hoctap.submissions WHERE status = 'accepted' GROUP BY unit_code, year HAVING count(*) > 1;
  `);
}
