/**
 * The writes: a file stored (one transaction, or savepoint, per file: the "already ingested?" check and the writes
 * happen inside the same BEGIN IMMEDIATE transaction, so two processes ingesting the same files at once cannot both
 * store them), and changes of what is in force. Every stored file is a line of the journal; every change of what is
 * in force is an event, and a line of the journal too. Nothing is ever deleted.
 */
import { refuseUnlessPuttable } from '../in-force-rules.ts';
import type {
  ForceConfirmation, InForceReason, NewSubmission, NewUnattributedFile, PutInForceResult, RecordOutcome, StoreEvent, SubmissionKey, SubmissionStatus,
} from '../store.ts';
import { currentUser } from '../user.ts';
import type { SqliteConnection } from './connection.ts';
import { inForce, submissionById } from './reads.ts';
import { guardInForceChange } from './review.ts';
import { insertItems } from './items.ts';

/**
 * The stored submission that this file repeats, if any. The same bytes for the same unit and year are "already
 * ingested" when they were accepted (or later superseded), or when they were rejected and are rejected again. A file
 * rejected before that passes now (the roster or catalog was corrected since) is ingested anew.
 */
function findIdentical(c: SqliteConnection, s: SubmissionKey): RecordOutcome & { kind: 'duplicate' } | null {
  const rows = c.statement(`SELECT id, status, file_name, received_at FROM submissions WHERE unit_code = ? AND year = ? AND sha256 = ? ORDER BY id DESC`)
    .all(s.unitCode, s.year, s.sha256) as { id: number; status: SubmissionStatus; file_name: string; received_at: string }[];
  const same = rows.find((r) => r.status !== 'rejected' || s.status === 'rejected');
  return same ? { kind: 'duplicate', submissionId: same.id, status: same.status, fileName: same.file_name, receivedAt: same.received_at } : null;
}

function currentAccepted(c: SqliteConnection, unitCode: string, year: number): { id: number; file_name: string } | null {
  return (c.statement(`SELECT id, file_name FROM submissions WHERE unit_code = ? AND year = ? AND status = 'accepted'`).get(unitCode, year) as { id: number; file_name: string } | undefined) ?? null;
}

export function previewSubmission(c: SqliteConnection, s: SubmissionKey): RecordOutcome {
  const same = findIdentical(c, s);
  if (same) return same;
  const prev = s.status === 'accepted' ? currentAccepted(c, s.unitCode, s.year) : null;
  return { kind: 'stored', submissionId: null, supersedes: prev ? { submissionId: prev.id, file: prev.file_name } : null };
}

export function recordSubmission(c: SqliteConnection, s: NewSubmission): RecordOutcome {
  return c.run(() => {
    const same = findIdentical(c, s);
    if (same) return same;
    const prev = s.status === 'accepted' ? currentAccepted(c, s.unitCode, s.year) : null;
    // One accepted submission per unit and year (a unique index): the old one steps aside before the new one is inserted.
    if (prev) c.statement(`UPDATE submissions SET status = 'superseded' WHERE id = ?`).run(prev.id);
    const info = c.statement(`
      INSERT INTO submissions (unit_code, year, file_name, sha256, archive_path, source_kind, catalog_version, template_version,
        received_at, ingested_at, status, error_count, warning_count, value_count)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
      s.unitCode, s.year, s.fileName, s.sha256, s.archivePath, s.sourceKind, s.catalogVersion, s.templateVersion,
      s.receivedAt, s.ingestedAt, s.status, s.errorCount, s.warningCount, s.values.length,
    );
    const id = Number(info.lastInsertRowid);
    if (prev) c.statement('UPDATE submissions SET superseded_by = ? WHERE id = ?').run(id, prev.id);
    const user = s.user === undefined ? currentUser() : s.user;
    c.writeJournal({
      type: 'submission', id, unit: s.unitCode, year: s.year, status: s.status, file: s.fileName, label: s.label ?? s.fileName,
      sha256: s.sha256, archive: s.archivePath, kind: s.sourceKind, receivedAt: s.receivedAt, ingestedAt: s.ingestedAt, user,
      expectedYear: s.expectedYear ?? null,
    }, id);
    if (s.status === 'accepted') {
      recordEvent(c, { at: s.ingestedAt, user, reason: 'file', unitCode: s.unitCode, year: s.year, inForce: id, outOfForce: prev?.id ?? null },
        { seenRev: s.seenRev, force: s.force });
    }
    storeContents(c, id, s);
    return { kind: 'stored', submissionId: id, supersedes: prev ? { submissionId: prev.id, file: prev.file_name } : null } as const;
  });
}

/** A stored file's values, findings, narratives and contact. */
function storeContents(c: SqliteConnection, id: number, s: NewSubmission): void {
  const insertValue = c.statement(`
    INSERT INTO field_values (submission_id, field_id, indicator_id, raw, value_num, value_text, sheet, cell, line, note)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  for (const v of s.values) insertValue.run(id, v.fieldId, v.indicatorId, v.raw, v.num, v.text, v.sheet, v.cell, v.line, v.note);
  const insertMessage = c.statement(`
    INSERT INTO messages (submission_id, severity, code, sheet, cell, line, indicator_id, field_id, value_seen, expected, text, params)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  for (const m of s.messages) insertMessage.run(id, m.severity, m.code, m.sheet, m.cell, m.line, m.indicatorId, m.fieldId, m.valueSeen, m.expected, m.text, m.params);
  const insertNarrative = c.statement('INSERT INTO narratives (submission_id, section_id, text) VALUES (?, ?, ?)');
  for (const n of s.narratives) insertNarrative.run(id, n.sectionId, n.text);
  insertItems(c, id, s.items ?? []);
  if (s.contact) {
    c.statement('INSERT INTO contacts (submission_id, name, position, phone, email) VALUES (?, ?, ?, ?, ?)')
      .run(id, s.contact.name, s.contact.position, s.contact.phone, s.contact.email);
  }
}

export function recordUnattributed(c: SqliteConnection, f: NewUnattributedFile): { id: number; duplicate: boolean } {
  return c.run(() => {
    const existing = c.statement('SELECT id FROM unattributed_files WHERE sha256 = ?').get(f.sha256) as { id: number } | undefined;
    if (existing) return { id: existing.id, duplicate: true };
    const info = c.statement(`INSERT INTO unattributed_files (file_name, sha256, archive_path, received_at, ingested_at, code, reason)
      VALUES (?, ?, ?, ?, ?, ?, ?)`).run(f.fileName, f.sha256, f.archivePath, f.receivedAt, f.ingestedAt, f.code, f.reason);
    const id = Number(info.lastInsertRowid);
    c.writeJournal({
      type: 'unattributed', id, file: f.fileName, label: f.label ?? f.fileName, sha256: f.sha256, archive: f.archivePath, code: f.code,
      receivedAt: f.receivedAt, ingestedAt: f.ingestedAt, user: f.user === undefined ? currentUser() : f.user, expectedYear: f.expectedYear ?? null,
    }, null);
    return { id, duplicate: false };
  });
}

/**
 * Records one change of what is in force (inside the caller's transaction), once review allows it: the unit and year's
 * revision is raised, and approved or locked figures change only with an approver's confirmation (review.ts).
 */
function recordEvent(c: SqliteConnection, e: Omit<StoreEvent, 'id'>, guard: { seenRev?: number; force?: ForceConfirmation } = {}): number {
  guardInForceChange(c, e.unitCode, e.year, { user: e.user, at: e.at, ...guard });
  const id = Number(c.statement(`INSERT INTO events (at, user, reason, unit_code, year, in_force, out_of_force) VALUES (?, ?, ?, ?, ?, ?, ?)`)
    .run(e.at, e.user, e.reason, e.unitCode, e.year, e.inForce, e.outOfForce).lastInsertRowid);
  c.writeJournal({ type: 'event', id, at: e.at, user: e.user, reason: e.reason, unit: e.unitCode, year: e.year, in: e.inForce, out: e.outOfForce }, e.inForce);
  return id;
}

export function putInForce(c: SqliteConnection, submissionId: number, reason: Exclude<InForceReason, 'file'>, user: string | null, at: Date,
  force?: ForceConfirmation): PutInForceResult {
  return c.run(() => {
    const target = submissionById(c, submissionId);
    refuseUnlessPuttable(submissionId, target, reason);
    if (target.status === 'accepted') return { changed: false, in: target };
    const out = inForce(c, target.unitCode, target.year);
    // One submission in force per unit and year (a unique index): the current one steps aside first.
    if (out) c.statement(`UPDATE submissions SET status = 'superseded', superseded_by = ? WHERE id = ?`).run(target.id, out.id);
    c.statement(`UPDATE submissions SET status = 'accepted', superseded_by = NULL WHERE id = ?`).run(target.id);
    const eventId = recordEvent(c, {
      at: at.toISOString(), user, reason, unitCode: target.unitCode, year: target.year, inForce: target.id, outOfForce: out?.id ?? null,
    }, { force });
    return { changed: true, eventId, in: submissionById(c, target.id)!, out: out ? submissionById(c, out.id) : null };
  });
}
