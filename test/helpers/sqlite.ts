/**
 * The SQLite store's tables, for the tests that look at them directly (what was stored, row by row) or seed them: the
 * database opened (and migrated) as hoctap opens it, a Store on a database already open, and the rows the tests
 * compare (snake_case, as in the tables).
 */
import type { DatabaseSync } from 'node:sqlite';
import { SqliteConnection } from '../../src/store/sqlite/connection.ts';
import { openSqliteStore, type SqliteOpenOptions } from '../../src/store/sqlite/open.ts';
import { SqliteStore } from '../../src/store/sqlite/store.ts';

export type { SubmissionStatus } from '../../src/store/store.ts';

/** The workspace's database, created and migrated like hoctap does, for SQL. */
export function openDatabase(file: string, opts: SqliteOpenOptions = {}): DatabaseSync {
  return openSqliteStore(file, opts).db;
}

/** The Store on a database the test has open (no journal file, no archive: for reading, and writes the test checks). */
export function storeOn(db: DatabaseSync): SqliteStore {
  return new SqliteStore(new SqliteConnection(db, null), null);
}

export interface SubmissionRow {
  id: number; unit_code: string; year: number; file_name: string; sha256: string; archive_path: string; source_kind: 'xlsx' | 'csv';
  catalog_version: string | null; template_version: string | null; received_at: string; ingested_at: string; status: string;
  error_count: number; warning_count: number; value_count: number; superseded_by: number | null;
}

export interface StoredValueRow {
  submission_id: number; unit_code: string; field_id: string; indicator_id: string; raw: string | null; value_num: number | null;
  value_text: string | null; cell: string | null;
}

export interface SubmissionValueRow {
  field_id: string; indicator_id: string; raw: string | null; value_num: number | null; value_text: string | null;
  sheet: string | null; cell: string | null; line: number | null; note: string | null;
}

export interface MessageRow {
  submission_id: number; severity: 'error' | 'warning'; code: string; sheet: string | null; cell: string | null; line: number | null;
  indicator_id: string | null; field_id: string | null; value_seen: string | null; expected: string | null; text: string;
}

export interface EventRow {
  id: number; at: string; user: string | null; reason: string; unit_code: string; year: number; in_force: number | null; out_of_force: number | null;
}

export function history(db: DatabaseSync, unitCode?: string, year?: number): SubmissionRow[] {
  return db.prepare(`SELECT * FROM submissions WHERE (?1 IS NULL OR unit_code = ?1) AND (?2 IS NULL OR year = ?2) ORDER BY unit_code, year, id`)
    .all(unitCode ?? null, year ?? null) as unknown as SubmissionRow[];
}

export function submissionById(db: DatabaseSync, id: number): SubmissionRow | null {
  return (db.prepare('SELECT * FROM submissions WHERE id = ?').get(id) as unknown as SubmissionRow | undefined) ?? null;
}

export function acceptedValues(db: DatabaseSync, year: number): StoredValueRow[] {
  return db.prepare(`
    SELECT v.submission_id, s.unit_code, v.field_id, v.indicator_id, v.raw, v.value_num, v.value_text, v.cell
    FROM field_values v JOIN submissions s ON s.id = v.submission_id
    WHERE s.year = ? AND s.status = 'accepted'
    ORDER BY s.unit_code, v.field_id`).all(year) as unknown as StoredValueRow[];
}

export function valuesOfSubmission(db: DatabaseSync, submissionId: number): SubmissionValueRow[] {
  return db.prepare(`SELECT field_id, indicator_id, raw, value_num, value_text, sheet, cell, line, note
    FROM field_values WHERE submission_id = ? ORDER BY field_id`).all(submissionId) as unknown as SubmissionValueRow[];
}

export function messagesOf(db: DatabaseSync, submissionId: number): MessageRow[] {
  return db.prepare('SELECT * FROM messages WHERE submission_id = ? ORDER BY id').all(submissionId) as unknown as MessageRow[];
}

export function acceptedNarratives(db: DatabaseSync, year: number): { unit_code: string; section_id: string; text: string; received_at: string }[] {
  return db.prepare(`
    SELECT s.unit_code, n.section_id, n.text, s.received_at
    FROM narratives n JOIN submissions s ON s.id = n.submission_id
    WHERE s.year = ? AND s.status = 'accepted' ORDER BY s.unit_code, n.section_id`).all(year) as unknown as { unit_code: string; section_id: string; text: string; received_at: string }[];
}

export function contactOf(db: DatabaseSync, submissionId: number): { name: string | null; position: string | null; phone: string | null; email: string | null } | null {
  return (db.prepare('SELECT name, position, phone, email FROM contacts WHERE submission_id = ?').get(submissionId) as
    { name: string | null; position: string | null; phone: string | null; email: string | null } | undefined) ?? null;
}

export function eventsOf(db: DatabaseSync, unitCode?: string, year?: number): EventRow[] {
  return db.prepare(`SELECT * FROM events WHERE (?1 IS NULL OR unit_code = ?1) AND (?2 IS NULL OR year = ?2) ORDER BY id`)
    .all(unitCode ?? null, year ?? null) as unknown as EventRow[];
}

export function unattributedFiles(db: DatabaseSync): { id: number; file_name: string; sha256: string; archive_path: string; received_at: string; ingested_at: string; code: string; reason: string }[] {
  return db.prepare('SELECT * FROM unattributed_files ORDER BY id').all() as unknown as ReturnType<typeof unattributedFiles>;
}

/** The SQLite store of a file, opened (and migrated) like hoctap opens it; `.db` is its database, for SQL. */
export function openSqlite(file: string, opts: SqliteOpenOptions = {}): SqliteStore {
  return openSqliteStore(file, opts);
}

/** Where the journal file's last committed line ends, as the database records it. */
export function committedJournalLength(db: DatabaseSync): number {
  return new SqliteConnection(db, null).committedJournalLength();
}
