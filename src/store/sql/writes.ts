/**
 * The writes through the query layer, on either engine: the same rules as the embedded store's direct path
 * (src/store/sqlite/writes.ts): the "already ingested?" check inside the transaction of the writes, every stored file
 * a journal line, every change of what is in force an event and a journal line. Nothing is ever deleted.
 */
import { refuseUnlessPuttable } from '../in-force-rules.ts';
import type {
  ForceConfirmation, InForceReason, NewSubmission, NewUnattributedFile, PutInForceResult, RecordOutcome, StoreEvent, SubmissionKey,
} from '../store.ts';
import { currentUser } from '../user.ts';
import { inForce, submissionById } from './reads.ts';
import { nextId } from './ids.ts';
import { insertItems } from './items.ts';
import { guardInForceChange } from './review.ts';
import type { SqlSession } from './session.ts';


/** Rows per INSERT: well under PostgreSQL's 65,535 parameters. */
const CHUNK = 500;

async function findIdentical(s: SqlSession, k: SubmissionKey): Promise<(RecordOutcome & { kind: 'duplicate' }) | null> {
  const rows = await s.db.selectFrom('submissions').select(['id', 'status', 'file_name', 'received_at'])
    .where('unit_code', '=', k.unitCode).where('year', '=', k.year).where('sha256', '=', k.sha256).orderBy('id', 'desc').execute();
  const same = rows.find((r) => r.status !== 'rejected' || k.status === 'rejected');
  return same ? { kind: 'duplicate', submissionId: Number(same.id), status: same.status, fileName: same.file_name, receivedAt: same.received_at } : null;
}

async function currentAccepted(s: SqlSession, unitCode: string, year: number): Promise<{ id: number; file_name: string } | null> {
  const r = await s.db.selectFrom('submissions').select(['id', 'file_name'])
    .where('unit_code', '=', unitCode).where('year', '=', year).where('status', '=', 'accepted').executeTakeFirst();
  return r ? { id: Number(r.id), file_name: r.file_name } : null;
}

export async function previewSubmission(s: SqlSession, k: SubmissionKey): Promise<RecordOutcome> {
  const same = await findIdentical(s, k);
  if (same) return same;
  const prev = k.status === 'accepted' ? await currentAccepted(s, k.unitCode, k.year) : null;
  return { kind: 'stored', submissionId: null, supersedes: prev ? { submissionId: prev.id, file: prev.file_name } : null };
}

export function recordSubmission(s: SqlSession, n: NewSubmission): Promise<RecordOutcome> {
  return s.run(async () => {
    const same = await findIdentical(s, n);
    if (same) return same;
    const prev = n.status === 'accepted' ? await currentAccepted(s, n.unitCode, n.year) : null;
    // One accepted submission per unit and year (a unique index): the old one steps aside before the new one is inserted.
    if (prev) await s.db.updateTable('submissions').set({ status: 'superseded' }).where('id', '=', prev.id).execute();
    const { id: rawId } = await s.db.insertInto('submissions').values({
      id: nextId('submissions'), unit_code: n.unitCode, year: n.year, file_name: n.fileName, sha256: n.sha256, archive_path: n.archivePath, source_kind: n.sourceKind,
      catalog_version: n.catalogVersion, template_version: n.templateVersion, received_at: n.receivedAt, ingested_at: n.ingestedAt,
      status: n.status, error_count: n.errorCount, warning_count: n.warningCount, value_count: n.values.length, superseded_by: null,
    }).returning('id').executeTakeFirstOrThrow();
    const id = Number(rawId);
    if (prev) await s.db.updateTable('submissions').set({ superseded_by: id }).where('id', '=', prev.id).execute();
    const user = n.user === undefined ? currentUser() : n.user;
    await s.writeJournal({
      type: 'submission', id, unit: n.unitCode, year: n.year, status: n.status, file: n.fileName, label: n.label ?? n.fileName,
      sha256: n.sha256, archive: n.archivePath, kind: n.sourceKind, receivedAt: n.receivedAt, ingestedAt: n.ingestedAt, user,
      expectedYear: n.expectedYear ?? null,
    }, id);
    if (n.status === 'accepted') {
      await recordEvent(s, { at: n.ingestedAt, user, reason: 'file', unitCode: n.unitCode, year: n.year, inForce: id, outOfForce: prev?.id ?? null },
        { seenRev: n.seenRev, force: n.force });
    }
    await storeContents(s, id, n);
    return { kind: 'stored', submissionId: id, supersedes: prev ? { submissionId: prev.id, file: prev.file_name } : null } as const;
  });
}

async function insertChunked<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await insert(rows.slice(i, i + CHUNK));
}

/** A stored file's values, findings, narratives, items and contact (one INSERT of many rows each: one round trip). */
async function storeContents(s: SqlSession, id: number, n: NewSubmission): Promise<void> {
  await insertChunked(n.values.map((v) => ({
    submission_id: id, field_id: v.fieldId, indicator_id: v.indicatorId, raw: v.raw, value_num: v.num, value_text: v.text,
    sheet: v.sheet, cell: v.cell, line: v.line, note: v.note,
  })), (rows) => s.db.insertInto('field_values').values(rows).execute());
  await insertChunked(n.messages.map((m) => ({
    submission_id: id, severity: m.severity, code: m.code, sheet: m.sheet, cell: m.cell, line: m.line, indicator_id: m.indicatorId,
    field_id: m.fieldId, value_seen: m.valueSeen, expected: m.expected, text: m.text, params: m.params,
  })), (rows) => s.db.insertInto('messages').values(rows).execute());
  await insertChunked(n.narratives.map((x) => ({ submission_id: id, section_id: x.sectionId, text: x.text })),
    (rows) => s.db.insertInto('narratives').values(rows).execute());
  await insertItems(s, id, n.items ?? []);
  if (n.contact) await s.db.insertInto('contacts').values({ submission_id: id, ...n.contact }).execute();
}

export function recordUnattributed(s: SqlSession, f: NewUnattributedFile): Promise<{ id: number; duplicate: boolean }> {
  return s.run(async () => {
    const existing = await s.db.selectFrom('unattributed_files').select('id').where('sha256', '=', f.sha256).executeTakeFirst();
    if (existing) return { id: Number(existing.id), duplicate: true };
    const { id: rawId } = await s.db.insertInto('unattributed_files').values({
      id: nextId('unattributed_files'), file_name: f.fileName, sha256: f.sha256, archive_path: f.archivePath, received_at: f.receivedAt, ingested_at: f.ingestedAt, code: f.code, reason: f.reason,
    }).returning('id').executeTakeFirstOrThrow();
    const id = Number(rawId);
    await s.writeJournal({
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
async function recordEvent(s: SqlSession, e: Omit<StoreEvent, 'id'>, guard: { seenRev?: number; force?: ForceConfirmation } = {}): Promise<number> {
  await guardInForceChange(s, e.unitCode, e.year, { user: e.user, at: e.at, ...guard });
  const { id: rawId } = await s.db.insertInto('events').values({
    id: nextId('events'), at: e.at, user: e.user, reason: e.reason, unit_code: e.unitCode, year: e.year, in_force: e.inForce, out_of_force: e.outOfForce,
  }).returning('id').executeTakeFirstOrThrow();
  const id = Number(rawId);
  await s.writeJournal({ type: 'event', id, at: e.at, user: e.user, reason: e.reason, unit: e.unitCode, year: e.year, in: e.inForce, out: e.outOfForce }, e.inForce);
  return id;
}

export function putInForce(s: SqlSession, submissionId: number, reason: Exclude<InForceReason, 'file'>, user: string | null, at: Date,
  force?: ForceConfirmation): Promise<PutInForceResult> {
  return s.run(async () => {
    const target = await submissionById(s, submissionId);
    refuseUnlessPuttable(submissionId, target, reason);
    if (target.status === 'accepted') return { changed: false, in: target };
    const out = await inForce(s, target.unitCode, target.year);
    if (out) await s.db.updateTable('submissions').set({ status: 'superseded', superseded_by: target.id }).where('id', '=', out.id).execute();
    await s.db.updateTable('submissions').set({ status: 'accepted', superseded_by: null }).where('id', '=', target.id).execute();
    const eventId = await recordEvent(s, {
      at: at.toISOString(), user, reason, unitCode: target.unitCode, year: target.year, inForce: target.id, outOfForce: out?.id ?? null,
    }, { force });
    return { changed: true, eventId, in: (await submissionById(s, target.id))!, out: out ? await submissionById(s, out.id) : null };
  });
}
