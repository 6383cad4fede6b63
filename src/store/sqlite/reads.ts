/** The reads: rows of the SQLite tables turned into the store's domain objects (they never leave src/store as rows). */
import type {
  Contact, StoredMessage, StoredNarrative, StoredQuery, StoredValue, StoreEvent, Submission, SubmissionStatus, SubmissionValue, UnattributedFile,
} from '../store.ts';
import type { InForceReason, JournalEntry } from '../journal.ts';
import type { SqliteConnection } from './connection.ts';

interface SubmissionRow {
  id: number; unit_code: string; year: number; file_name: string; sha256: string; archive_path: string; source_kind: 'xlsx' | 'csv';
  catalog_version: string | null; template_version: string | null; received_at: string; ingested_at: string; status: SubmissionStatus;
  error_count: number; warning_count: number; value_count: number; superseded_by: number | null;
}

const submission = (r: SubmissionRow): Submission => ({
  id: r.id, unitCode: r.unit_code, year: r.year, fileName: r.file_name, sha256: r.sha256, archivePath: r.archive_path, sourceKind: r.source_kind,
  catalogVersion: r.catalog_version, templateVersion: r.template_version, receivedAt: r.received_at, ingestedAt: r.ingested_at, status: r.status,
  errorCount: r.error_count, warningCount: r.warning_count, valueCount: r.value_count, supersededBy: r.superseded_by,
});

const submissions = (rows: unknown[]) => (rows as SubmissionRow[]).map(submission);

interface ValueRow {
  submission_id: number; unit_code: string; field_id: string; indicator_id: string; raw: string | null; value_num: number | null;
  value_text: string | null; cell: string | null;
}

const storedValue = (r: ValueRow): StoredValue => ({
  submissionId: r.submission_id, unitCode: r.unit_code, fieldId: r.field_id, indicatorId: r.indicator_id, raw: r.raw,
  num: r.value_num === null ? null : Number(r.value_num), text: r.value_text, cell: r.cell,
});

const VALUE_COLUMNS = 'v.submission_id, s.unit_code, v.field_id, v.indicator_id, v.raw, v.value_num, v.value_text, v.cell';

export function acceptedValues(c: SqliteConnection, year: number): StoredValue[] {
  return (c.db.prepare(`
    SELECT ${VALUE_COLUMNS} FROM field_values v JOIN submissions s ON s.id = v.submission_id
    WHERE s.year = ? AND s.status = 'accepted' ORDER BY s.unit_code, v.field_id`).all(year) as unknown as ValueRow[]).map(storedValue);
}

export function acceptedValuesOfUnit(c: SqliteConnection, unitCode: string, year: number): StoredValue[] {
  return (c.statement(`
    SELECT ${VALUE_COLUMNS} FROM field_values v JOIN submissions s ON s.id = v.submission_id
    WHERE s.year = ? AND s.unit_code = ? AND s.status = 'accepted'`).all(year, unitCode) as unknown as ValueRow[]).map(storedValue);
}

export function acceptedSubmissionCount(c: SqliteConnection, year: number): number {
  return Number((c.db.prepare(`SELECT COUNT(*) AS n FROM submissions WHERE year = ? AND status = 'accepted'`).get(year) as { n: number }).n);
}

export function submissionsOfYear(c: SqliteConnection, year: number): Submission[] {
  return submissions(c.db.prepare('SELECT * FROM submissions WHERE year = ? ORDER BY unit_code, id').all(year));
}

export function history(c: SqliteConnection, unitCode: string | undefined, year: number | undefined): Submission[] {
  return submissions(c.db.prepare(`SELECT * FROM submissions WHERE (?1 IS NULL OR unit_code = ?1) AND (?2 IS NULL OR year = ?2) ORDER BY unit_code, year, id`)
    .all(unitCode ?? null, year ?? null));
}

export function submissionById(c: SqliteConnection, id: number): Submission | null {
  const r = c.statement('SELECT * FROM submissions WHERE id = ?').get(id) as SubmissionRow | undefined;
  return r ? submission(r) : null;
}

export function inForce(c: SqliteConnection, unitCode: string, year: number): Submission | null {
  const r = c.statement(`SELECT * FROM submissions WHERE unit_code = ? AND year = ? AND status = 'accepted'`).get(unitCode, year) as SubmissionRow | undefined;
  return r ? submission(r) : null;
}

export function isStored(c: SqliteConnection, sha256: string): boolean {
  return c.statement('SELECT 1 AS x FROM submissions WHERE sha256 = ? LIMIT 1').get(sha256) !== undefined;
}

export function yearsWithData(c: SqliteConnection): number[] {
  return (c.db.prepare(`SELECT DISTINCT year FROM submissions WHERE status = 'accepted' ORDER BY year`).all() as { year: number }[]).map((r) => r.year);
}

export function valuesOf(c: SqliteConnection, submissionId: number): SubmissionValue[] {
  const rows = c.statement(`SELECT field_id, indicator_id, raw, value_num, value_text, sheet, cell, line, note
    FROM field_values WHERE submission_id = ? ORDER BY field_id`).all(submissionId) as {
    field_id: string; indicator_id: string; raw: string | null; value_num: number | null; value_text: string | null;
    sheet: string | null; cell: string | null; line: number | null; note: string | null;
  }[];
  return rows.map((r) => ({
    fieldId: r.field_id, indicatorId: r.indicator_id, raw: r.raw, num: r.value_num === null ? null : Number(r.value_num), text: r.value_text,
    sheet: r.sheet, cell: r.cell, line: r.line, note: r.note,
  }));
}

interface MessageRow {
  submission_id: number; severity: 'error' | 'warning'; code: string; sheet: string | null; cell: string | null; line: number | null;
  indicator_id: string | null; field_id: string | null; value_seen: string | null; expected: string | null; text: string;
  params: string | null;
}

const message = (m: MessageRow): StoredMessage => ({
  submissionId: m.submission_id, severity: m.severity, code: m.code, sheet: m.sheet, cell: m.cell, line: m.line ?? null,
  indicatorId: m.indicator_id, fieldId: m.field_id, valueSeen: m.value_seen, expected: m.expected, text: m.text, params: m.params ?? null,
});

export function messagesOf(c: SqliteConnection, submissionId: number): StoredMessage[] {
  return (c.statement('SELECT * FROM messages WHERE submission_id = ? ORDER BY id').all(submissionId) as unknown as MessageRow[]).map(message);
}

export function acceptedNarratives(c: SqliteConnection, year: number): StoredNarrative[] {
  const rows = c.db.prepare(`
    SELECT s.unit_code, n.section_id, n.text, s.received_at
    FROM narratives n JOIN submissions s ON s.id = n.submission_id
    WHERE s.year = ? AND s.status = 'accepted' ORDER BY s.unit_code, n.section_id`).all(year) as { unit_code: string; section_id: string; text: string; received_at: string }[];
  return rows.map((r) => ({ unitCode: r.unit_code, sectionId: r.section_id, text: r.text, receivedAt: r.received_at }));
}

export function contactOf(c: SqliteConnection, submissionId: number): Contact | null {
  return (c.db.prepare('SELECT name, position, phone, email FROM contacts WHERE submission_id = ?').get(submissionId) as unknown as Contact | undefined) ?? null;
}

export function queriesOfYear(c: SqliteConnection, year: number, codes: readonly string[], answerFieldId: (indicatorId: string) => string): StoredQuery[] {
  if (!codes.length) return [];
  const rows = c.db.prepare(`
    SELECT m.*, s.unit_code
    FROM messages m JOIN submissions s ON s.id = m.submission_id
    WHERE s.year = ? AND s.status = 'accepted' AND m.severity = 'warning' AND m.indicator_id IS NOT NULL
      AND m.code IN (${codes.map(() => '?').join(', ')})
    ORDER BY s.unit_code, s.id, m.id`).all(year, ...codes) as unknown as (MessageRow & { unit_code: string; indicator_id: string })[];
  const answer = c.statement('SELECT value_text FROM field_values WHERE submission_id = ? AND field_id = ?');
  return rows.map((r) => {
    const text = (answer.get(r.submission_id, answerFieldId(r.indicator_id)) as { value_text: string | null } | undefined)?.value_text;
    return { ...message(r), unitCode: r.unit_code, indicatorId: r.indicator_id, answer: text?.trim() || null };
  });
}

interface EventRow {
  id: number; at: string; user: string | null; reason: InForceReason; unit_code: string; year: number; in_force: number | null; out_of_force: number | null;
}

export function events(c: SqliteConnection, unitCode: string | undefined, year: number | undefined): StoreEvent[] {
  const rows = c.db.prepare(`SELECT * FROM events WHERE (?1 IS NULL OR unit_code = ?1) AND (?2 IS NULL OR year = ?2) ORDER BY id`)
    .all(unitCode ?? null, year ?? null) as unknown as EventRow[];
  return rows.map((e) => ({ id: e.id, at: e.at, user: e.user, reason: e.reason, unitCode: e.unit_code, year: e.year, inForce: e.in_force, outOfForce: e.out_of_force }));
}

export function unattributedFiles(c: SqliteConnection): UnattributedFile[] {
  const rows = c.db.prepare('SELECT * FROM unattributed_files ORDER BY id').all() as {
    id: number; file_name: string; sha256: string; archive_path: string; received_at: string; ingested_at: string; code: string; reason: string;
  }[];
  return rows.map((u) => ({
    id: u.id, fileName: u.file_name, sha256: u.sha256, archivePath: u.archive_path, receivedAt: u.received_at, ingestedAt: u.ingested_at, code: u.code, reason: u.reason,
  }));
}

export function journalEntries(c: SqliteConnection): JournalEntry[] {
  return (c.db.prepare('SELECT line FROM journal ORDER BY seq').all() as { line: string }[]).map((r) => JSON.parse(r.line) as JournalEntry);
}
