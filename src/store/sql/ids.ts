/** The ids the query layer gives new rows, the same on both engines. */
import { sql } from 'kysely';

/**
 * The next id of a table, as SQLite gives it (the largest plus one): the same ids on both engines, none lost to a
 * rolled-back file (a PostgreSQL sequence would skip them). Safe: every write holds the writer lock (session.ts).
 */
export const nextId = (table: 'submissions' | 'events' | 'unattributed_files' | 'outbox' | 'mail_seen' | 'confirmations' | 'review_events') => sql<number>`(SELECT COALESCE(MAX(id), 0) + 1 FROM ${sql.table(table)})`;
