/**
 * The writes of ingest: one transaction per file. The "already ingested?" check and the writes happen inside the same
 * BEGIN IMMEDIATE transaction, so two processes ingesting the same files at once cannot both store them. Every stored
 * file is a line of the journal; an accepted one going in force is an event.
 */
import type { DatabaseSync } from 'node:sqlite';
import { inTransaction, statement, writeJournal } from './db.ts';
import { currentUser, recordEvent } from './events.ts';

export interface NewValue {
  fieldId: string;
  indicatorId: string;
  raw: string | null;
  num: number | null;
  text: string | null;
  sheet: string | null;
  cell: string | null;
  line: number | null;
  note: string | null;
}

export interface NewMessage {
  severity: 'error' | 'warning';
  code: string;
  sheet: string | null;
  cell: string | null;
  line: number | null;
  indicatorId: string | null;
  fieldId: string | null;
  valueSeen: string | null;
  expected: string | null;
  text: string;
  /** The finding's parameters, JSON (src/findings/stored.ts; schema 4); without them, its text is all that is kept. */
  params?: string | null;
}

export interface NewSubmission {
  unitCode: string;
  year: number;
  fileName: string;
  sha256: string;
  /** Relative to the workspace: archive/ab/abcdef….xlsx */
  archivePath: string;
  sourceKind: 'xlsx' | 'csv';
  catalogVersion: string | null;
  templateVersion: string | null;
  receivedAt: string;
  ingestedAt: string;
  /** held: stored with its values but not in force until confirmed. */
  status: 'accepted' | 'rejected' | 'held';
  errorCount: number;
  warningCount: number;
  values: NewValue[];
  messages: NewMessage[];
  narratives: { sectionId: string; text: string }[];
  contact: { name: string | null; position: string | null; phone: string | null; email: string | null } | null;
  /** Who ingests it (default: the OS user; null: not known, as for files ingested before schema 3). */
  user?: string | null;
  /** The name the file's messages use, when not fileName (two files of a batch with one name). */
  label?: string;
  /** The --year it was checked against. */
  expectedYear?: number | null;
}

export type RecordOutcome =
  | { kind: 'duplicate'; submissionId: number; status: string; fileName: string; receivedAt: string }
  | { kind: 'stored'; submissionId: number | null; supersedes: { submissionId: number; file: string } | null };

/**
 * The stored submission that this file repeats, if any. The same bytes for the same unit and year are "already
 * ingested" when they were accepted (or later superseded), or when they were rejected and are rejected again. A file
 * rejected before that passes now (the roster or catalog was corrected since) is ingested anew.
 */
export function findIdentical(db: DatabaseSync, unitCode: string, year: number, sha256: string, newStatus: NewSubmission['status']):
  { id: number; status: string; file_name: string; received_at: string } | null {
  const rows = statement(db, `SELECT id, status, file_name, received_at FROM submissions WHERE unit_code = ? AND year = ? AND sha256 = ? ORDER BY id DESC`)
    .all(unitCode, year, sha256) as { id: number; status: string; file_name: string; received_at: string }[];
  return rows.find((r) => r.status !== 'rejected' || newStatus === 'rejected') ?? null;
}

function currentAccepted(db: DatabaseSync, unitCode: string, year: number): { id: number; file_name: string } | null {
  return (statement(db, `SELECT id, file_name FROM submissions WHERE unit_code = ? AND year = ? AND status = 'accepted'`).get(unitCode, year) as { id: number; file_name: string } | undefined) ?? null;
}

/** What recordSubmission would do, without writing (--dry-run). Works without a database too. */
export function previewSubmission(db: DatabaseSync | null, s: Pick<NewSubmission, 'unitCode' | 'year' | 'sha256' | 'status'>): RecordOutcome {
  if (!db) return { kind: 'stored', submissionId: null, supersedes: null };
  const same = findIdentical(db, s.unitCode, s.year, s.sha256, s.status);
  if (same) return { kind: 'duplicate', submissionId: same.id, status: same.status, fileName: same.file_name, receivedAt: same.received_at };
  const prev = s.status === 'accepted' ? currentAccepted(db, s.unitCode, s.year) : null;
  return { kind: 'stored', submissionId: null, supersedes: prev ? { submissionId: prev.id, file: prev.file_name } : null };
}

/**
 * Stores one file's submission, values, messages, narratives and contact. An accepted one goes in force and supersedes
 * the previous (an event); a held or rejected one changes nothing in force.
 */
export function recordSubmission(db: DatabaseSync, s: NewSubmission): RecordOutcome {
  return inTransaction(db, () => {
    const same = findIdentical(db, s.unitCode, s.year, s.sha256, s.status);
    if (same) return { kind: 'duplicate', submissionId: same.id, status: same.status, fileName: same.file_name, receivedAt: same.received_at } as const;
    const prev = s.status === 'accepted' ? currentAccepted(db, s.unitCode, s.year) : null;
    // One accepted submission per unit and year (a unique index): the old one steps aside before the new one is inserted.
    if (prev) statement(db, `UPDATE submissions SET status = 'superseded' WHERE id = ?`).run(prev.id);
    const info = statement(db, `
      INSERT INTO submissions (unit_code, year, file_name, sha256, archive_path, source_kind, catalog_version, template_version,
        received_at, ingested_at, status, error_count, warning_count, value_count)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
      s.unitCode, s.year, s.fileName, s.sha256, s.archivePath, s.sourceKind, s.catalogVersion, s.templateVersion,
      s.receivedAt, s.ingestedAt, s.status, s.errorCount, s.warningCount, s.values.length,
    );
    const id = Number(info.lastInsertRowid);
    if (prev) statement(db, 'UPDATE submissions SET superseded_by = ? WHERE id = ?').run(id, prev.id);
    const user = s.user === undefined ? currentUser() : s.user;
    writeJournal(db, {
      type: 'submission', id, unit: s.unitCode, year: s.year, status: s.status, file: s.fileName, label: s.label ?? s.fileName,
      sha256: s.sha256, archive: s.archivePath, kind: s.sourceKind, receivedAt: s.receivedAt, ingestedAt: s.ingestedAt, user,
      expectedYear: s.expectedYear ?? null,
    }, id);
    if (s.status === 'accepted') {
      recordEvent(db, { at: s.ingestedAt, user, reason: 'file', unit_code: s.unitCode, year: s.year, in_force: id, out_of_force: prev?.id ?? null });
    }
    const insertValue = statement(db, `
      INSERT INTO field_values (submission_id, field_id, indicator_id, raw, value_num, value_text, sheet, cell, line, note)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    for (const v of s.values) insertValue.run(id, v.fieldId, v.indicatorId, v.raw, v.num, v.text, v.sheet, v.cell, v.line, v.note);
    const insertMessage = statement(db, `
      INSERT INTO messages (submission_id, severity, code, sheet, cell, line, indicator_id, field_id, value_seen, expected, text, params)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    for (const m of s.messages) insertMessage.run(id, m.severity, m.code, m.sheet, m.cell, m.line, m.indicatorId, m.fieldId, m.valueSeen, m.expected, m.text, m.params ?? null);
    const insertNarrative = statement(db, 'INSERT INTO narratives (submission_id, section_id, text) VALUES (?, ?, ?)');
    for (const n of s.narratives) insertNarrative.run(id, n.sectionId, n.text);
    if (s.contact) {
      statement(db, 'INSERT INTO contacts (submission_id, name, position, phone, email) VALUES (?, ?, ?, ?, ?)')
        .run(id, s.contact.name, s.contact.position, s.contact.phone, s.contact.email);
    }
    return { kind: 'stored', submissionId: id, supersedes: prev ? { submissionId: prev.id, file: prev.file_name } : null } as const;
  });
}

export interface UnattributedFile {
  fileName: string;
  sha256: string;
  archivePath: string;
  receivedAt: string;
  ingestedAt: string;
  code: string;
  reason: string;
  user?: string | null;
  label?: string;
  expectedYear?: number | null;
}

/** A file that names no unit (unreadable, not a template): recorded once per content, with its reason. */
export function recordUnattributed(db: DatabaseSync, f: UnattributedFile): { id: number; duplicate: boolean } {
  return inTransaction(db, () => {
    const existing = statement(db, 'SELECT id FROM unattributed_files WHERE sha256 = ?').get(f.sha256) as { id: number } | undefined;
    if (existing) return { id: existing.id, duplicate: true };
    const info = statement(db, `INSERT INTO unattributed_files (file_name, sha256, archive_path, received_at, ingested_at, code, reason)
      VALUES (?, ?, ?, ?, ?, ?, ?)`).run(f.fileName, f.sha256, f.archivePath, f.receivedAt, f.ingestedAt, f.code, f.reason);
    const id = Number(info.lastInsertRowid);
    writeJournal(db, {
      type: 'unattributed', id, file: f.fileName, label: f.label ?? f.fileName, sha256: f.sha256, archive: f.archivePath, code: f.code,
      receivedAt: f.receivedAt, ingestedAt: f.ingestedAt, user: f.user === undefined ? currentUser() : f.user, expectedYear: f.expectedYear ?? null,
    }, null);
    return { id, duplicate: false };
  });
}

export interface UnattributedRow {
  id: number; file_name: string; sha256: string; archive_path: string; received_at: string; ingested_at: string; code: string; reason: string;
}

export function unattributedFiles(db: DatabaseSync): UnattributedRow[] {
  return statement(db, 'SELECT * FROM unattributed_files ORDER BY id').all() as unknown as UnattributedRow[];
}
