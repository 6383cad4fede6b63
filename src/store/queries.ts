import type { DatabaseSync } from 'node:sqlite';
import { statement } from './db.ts';

/** accepted: in force; superseded: was in force; held: kept with its values, not in force yet; rejected: has errors. */
export type SubmissionStatus = 'accepted' | 'rejected' | 'superseded' | 'held';

export interface SubmissionRow {
  id: number;
  unit_code: string;
  year: number;
  file_name: string;
  sha256: string;
  archive_path: string;
  source_kind: 'xlsx' | 'csv';
  catalog_version: string | null;
  template_version: string | null;
  received_at: string;
  ingested_at: string;
  status: SubmissionStatus;
  error_count: number;
  warning_count: number;
  value_count: number;
  superseded_by: number | null;
}

export interface StoredValue {
  submission_id: number;
  unit_code: string;
  field_id: string;
  indicator_id: string;
  raw: string | null;
  value_num: number | null;
  value_text: string | null;
  cell: string | null;
}

export interface MessageRow {
  submission_id: number;
  severity: 'error' | 'warning';
  code: string;
  sheet: string | null;
  cell: string | null;
  indicator_id: string | null;
  field_id: string | null;
  value_seen: string | null;
  expected: string | null;
  text: string;
  /** Line of a CSV submission (schema 2). */
  line?: number | null;
  /** The finding's parameters, JSON (src/findings/stored.ts); null or absent for a row stored before schema 4. */
  params?: string | null;
}

/** The accepted figures of a year, every unit. */
export function acceptedValues(db: DatabaseSync, year: number): StoredValue[] {
  return db.prepare(`
    SELECT v.submission_id, s.unit_code, v.field_id, v.indicator_id, v.raw, v.value_num, v.value_text, v.cell
    FROM field_values v JOIN submissions s ON s.id = v.submission_id
    WHERE s.year = ? AND s.status = 'accepted'
    ORDER BY s.unit_code, v.field_id`).all(year) as unknown as StoredValue[];
}

/** The accepted figures of one unit and year (for the previous-year column and outlier warnings). */
export function acceptedValuesOfUnit(db: DatabaseSync, unitCode: string, year: number): StoredValue[] {
  return statement(db, `
    SELECT v.submission_id, s.unit_code, v.field_id, v.indicator_id, v.raw, v.value_num, v.value_text, v.cell
    FROM field_values v JOIN submissions s ON s.id = v.submission_id
    WHERE s.year = ? AND s.unit_code = ? AND s.status = 'accepted'`).all(year, unitCode) as unknown as StoredValue[];
}

/** How many submissions of a year are in force (one per unit at most). */
export function acceptedSubmissionCount(db: DatabaseSync, year: number): number {
  return Number((db.prepare(`SELECT COUNT(*) AS n FROM submissions WHERE year = ? AND status = 'accepted'`).get(year) as { n: number }).n);
}

export function submissionsOfYear(db: DatabaseSync, year: number): SubmissionRow[] {
  return db.prepare('SELECT * FROM submissions WHERE year = ? ORDER BY unit_code, id').all(year) as unknown as SubmissionRow[];
}

export function history(db: DatabaseSync, unitCode: string | undefined, year: number | undefined): SubmissionRow[] {
  return db.prepare(`SELECT * FROM submissions WHERE (?1 IS NULL OR unit_code = ?1) AND (?2 IS NULL OR year = ?2) ORDER BY unit_code, year, id`)
    .all(unitCode ?? null, year ?? null) as unknown as SubmissionRow[];
}

export function messagesOf(db: DatabaseSync, submissionId: number): MessageRow[] {
  return db.prepare('SELECT * FROM messages WHERE submission_id = ? ORDER BY id').all(submissionId) as unknown as MessageRow[];
}

/** Years that have accepted figures, ascending. */
export function yearsWithData(db: DatabaseSync): number[] {
  return (db.prepare(`SELECT DISTINCT year FROM submissions WHERE status = 'accepted' ORDER BY year`).all() as { year: number }[]).map((r) => r.year);
}

export interface NarrativeRow { unit_code: string; section_id: string; text: string; received_at: string }

export function acceptedNarratives(db: DatabaseSync, year: number): NarrativeRow[] {
  return db.prepare(`
    SELECT s.unit_code, n.section_id, n.text, s.received_at
    FROM narratives n JOIN submissions s ON s.id = n.submission_id
    WHERE s.year = ? AND s.status = 'accepted' ORDER BY s.unit_code, n.section_id`).all(year) as unknown as NarrativeRow[];
}

/** Every value of one submission (whatever its status), with where it came from. */
export interface SubmissionValueRow {
  field_id: string;
  indicator_id: string;
  raw: string | null;
  value_num: number | null;
  value_text: string | null;
  sheet: string | null;
  cell: string | null;
  line: number | null;
  note: string | null;
}

export function valuesOfSubmission(db: DatabaseSync, submissionId: number): SubmissionValueRow[] {
  return db.prepare(`SELECT field_id, indicator_id, raw, value_num, value_text, sheet, cell, line, note
    FROM field_values WHERE submission_id = ? ORDER BY field_id`).all(submissionId) as unknown as SubmissionValueRow[];
}

export function submissionById(db: DatabaseSync, id: number): SubmissionRow | null {
  return (db.prepare('SELECT * FROM submissions WHERE id = ?').get(id) as unknown as SubmissionRow | undefined) ?? null;
}

export interface ContactRow { name: string | null; position: string | null; phone: string | null; email: string | null }

export function contactOf(db: DatabaseSync, submissionId: number): ContactRow | null {
  return (db.prepare('SELECT name, position, phone, email FROM contacts WHERE submission_id = ?').get(submissionId) as unknown as ContactRow | undefined) ?? null;
}

/** Whether a file of these bytes is stored as a submission (whatever its status). */
export function isStored(db: DatabaseSync, sha256: string): boolean {
  return statement(db, 'SELECT 1 AS x FROM submissions WHERE sha256 = ? LIMIT 1').get(sha256) !== undefined;
}
