/**
 * The writes through the query layer, on either engine: the same rules as the embedded store's direct path
 * (src/store/sqlite/writes.ts): the "already ingested?" check inside the transaction of the writes, every stored file
 * a journal line, every change of what is in force an event and a journal line. Nothing is ever deleted.
 */
import { sql } from 'kysely';
import type { JournalEntry } from '../journal.ts';
import { refuseUnlessPuttable } from '../in-force-rules.ts';
import type {
  ForceConfirmation, InForceReason, NewSubmission, NewUnattributedFile, PutInForceResult, RecordOutcome, StoreEvent, SubmissionKey, SubmissionStatus,
} from '../store.ts';
import { currentUser } from '../user.ts';
import { inForce, submissionById } from './reads.ts';
import { nextId } from './ids.ts';
import { insertItems, itemRows } from './items.ts';
import { guardInForceChange } from './review.ts';
import type { SqlSession } from './session.ts';


/** Rows per INSERT: well under PostgreSQL's 65,535 parameters. */
const CHUNK = 500;

/** Of a unit and year's submissions, newest first: what a file's unit and year already holds (priorOf). */
type Prior = { same: (RecordOutcome & { kind: 'duplicate' }) | null; prev: { id: number; file_name: string } | null };
type PriorRow = { id: number | string; status: string; file_name: string; received_at: string; sha256: string };

/**
 * The same content stored before (the latest; a rejected one only counts for a file rejected again), and the accepted
 * one, among a unit and year's submissions (newest first).
 */
export function priorAmong(rows: readonly PriorRow[], k: SubmissionKey): Prior {
  const same = rows.find((r) => r.sha256 === k.sha256 && (r.status !== 'rejected' || k.status === 'rejected'));
  const accepted = rows.find((r) => r.status === 'accepted');
  return {
    same: same ? { kind: 'duplicate', submissionId: Number(same.id), status: same.status as SubmissionStatus, fileName: same.file_name, receivedAt: same.received_at } : null,
    prev: accepted ? { id: Number(accepted.id), file_name: accepted.file_name } : null,
  };
}

/** What the store already holds for a file's unit and year, in one query (one round trip on PostgreSQL). */
async function priorOf(s: SqlSession, k: SubmissionKey): Promise<Prior> {
  const rows = await s.db.selectFrom('submissions').select(['id', 'status', 'file_name', 'received_at', 'sha256'])
    .where('unit_code', '=', k.unitCode).where('year', '=', k.year)
    .where((eb) => eb.or([eb('sha256', '=', k.sha256), eb('status', '=', 'accepted')])).orderBy('id', 'desc').execute();
  return priorAmong(rows, k);
}

export async function previewSubmission(s: SqlSession, k: SubmissionKey): Promise<RecordOutcome> {
  const { same, prev } = await priorOf(s, k);
  if (same) return same;
  const supersedes = k.status === 'accepted' && prev ? { submissionId: prev.id, file: prev.file_name } : null;
  return { kind: 'stored', submissionId: null, supersedes };
}

export function recordSubmission(s: SqlSession, n: NewSubmission): Promise<RecordOutcome> {
  return s.run(async () => {
    const prior = await priorOf(s, n);
    if (prior.same) return prior.same;
    const prev = n.status === 'accepted' ? prior.prev : null;
    // One accepted submission per unit and year (a unique index): the old one steps aside before the new one is inserted.
    if (prev) await s.db.updateTable('submissions').set({ status: 'superseded' }).where('id', '=', prev.id).execute();
    const { id: rawId } = await s.db.insertInto('submissions').values({ id: nextId('submissions'), ...submissionRow(n) }).returning('id').executeTakeFirstOrThrow();
    const id = Number(rawId);
    if (prev) await s.db.updateTable('submissions').set({ superseded_by: id }).where('id', '=', prev.id).execute();
    const user = n.user === undefined ? currentUser() : n.user;
    const line = fileLine(n, id, user);
    // An accepted file's journal line goes with its event's, in one INSERT, in that order.
    if (n.status === 'accepted') {
      await recordEvent(s, { at: n.ingestedAt, user, reason: 'file', unitCode: n.unitCode, year: n.year, inForce: id, outOfForce: prev?.id ?? null },
        { seenRev: n.seenRev, force: n.force }, line);
    } else {
      await s.writeJournal(line, id);
    }
    await storeContents(s, id, n);
    return { kind: 'stored', submissionId: id, supersedes: prev ? { submissionId: prev.id, file: prev.file_name } : null } as const;
  });
}

/** A new submission's row, but its id. */
export const submissionRow = (n: NewSubmission) => ({
  unit_code: n.unitCode, year: n.year, file_name: n.fileName, sha256: n.sha256, archive_path: n.archivePath, source_kind: n.sourceKind,
  catalog_version: n.catalogVersion, template_version: n.templateVersion, received_at: n.receivedAt, ingested_at: n.ingestedAt,
  status: n.status, error_count: n.errorCount, warning_count: n.warningCount, value_count: n.values.length, superseded_by: null,
});

/** A stored file's line of the journal. */
export function fileLine(n: NewSubmission, id: number, user: string | null): JournalEntry {
  return {
    type: 'submission', id, unit: n.unitCode, year: n.year, status: n.status, file: n.fileName, label: n.label ?? n.fileName,
    sha256: n.sha256, archive: n.archivePath, kind: n.sourceKind, receivedAt: n.receivedAt, ingestedAt: n.ingestedAt, user,
    expectedYear: n.expectedYear ?? null,
  };
}

/** An event's line of the journal. */
export const eventLine = (id: number, e: Omit<StoreEvent, 'id'>): JournalEntry =>
  ({ type: 'event', id, at: e.at, user: e.user, reason: e.reason, unit: e.unitCode, year: e.year, in: e.inForce, out: e.outOfForce });

async function insertChunked<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await insert(rows.slice(i, i + CHUNK));
}

/**
 * A stored file's values, findings, narratives, items and contact (one INSERT of many rows each). On PostgreSQL the
 * values, findings, narratives, contact and items go in one statement (data-modifying WITH): one round trip, not four, which
 * is most of a file's cost when the server is across a network or the machine is busy.
 */
async function storeContents(s: SqlSession, id: number, n: NewSubmission): Promise<void> {
  const { values, messages, narratives, items } = contentRows(id, n);
  if (s.engine === 'postgres' && Math.max(values.length, messages.length, narratives.length, items.length) <= CHUNK) {
    const inserts = [
      values.length ? s.db.insertInto('field_values').values(values) : null,
      messages.length ? s.db.insertInto('messages').values(messages) : null,
      narratives.length ? s.db.insertInto('narratives').values(narratives) : null,
      n.contact ? s.db.insertInto('contacts').values({ submission_id: id, ...n.contact }) : null,
      items.length ? s.db.insertInto('narrative_items').values(items) : null,
    ].filter((q) => q !== null);
    if (inserts.length) {
      const last = inserts.pop()!;
      if (!inserts.length) await last.execute();
      else await sql`WITH ${sql.join(inserts.map((q, i) => sql`${sql.raw(`w${i}`)} AS (${q})`))} ${last}`.execute(s.db);
    }
  } else {
    await insertChunked(values, (rows) => s.db.insertInto('field_values').values(rows).execute());
    await insertChunked(messages, (rows) => s.db.insertInto('messages').values(rows).execute());
    await insertChunked(narratives, (rows) => s.db.insertInto('narratives').values(rows).execute());
    if (n.contact) await s.db.insertInto('contacts').values({ submission_id: id, ...n.contact }).execute();
    await insertItems(s, id, n.items ?? []);
  }
}

/** A stored file's rows of its values, findings, narratives and items (its contact is one row, n.contact). */
export function contentRows(id: number, n: NewSubmission) {
  const values = n.values.map((v) => ({
    submission_id: id, field_id: v.fieldId, indicator_id: v.indicatorId, raw: v.raw, value_num: v.num, value_text: v.text,
    sheet: v.sheet, cell: v.cell, line: v.line, note: v.note,
  }));
  const messages = n.messages.map((m) => ({
    submission_id: id, severity: m.severity, code: m.code, sheet: m.sheet, cell: m.cell, line: m.line, indicator_id: m.indicatorId,
    field_id: m.fieldId, value_seen: m.valueSeen, expected: m.expected, text: m.text, params: m.params,
  }));
  const narratives = n.narratives.map((x) => ({ submission_id: id, section_id: x.sectionId, text: x.text }));
  return { values, messages, narratives, items: itemRows(id, n.items ?? []) };
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
async function recordEvent(s: SqlSession, e: Omit<StoreEvent, 'id'>, guard: { seenRev?: number; force?: ForceConfirmation } = {}, before?: JournalEntry): Promise<number> {
  await guardInForceChange(s, e.unitCode, e.year, { user: e.user, at: e.at, ...guard });
  const { id: rawId } = await s.db.insertInto('events').values({
    id: nextId('events'), at: e.at, user: e.user, reason: e.reason, unit_code: e.unitCode, year: e.year, in_force: e.inForce, out_of_force: e.outOfForce,
  }).returning('id').executeTakeFirstOrThrow();
  const id = Number(rawId);
  const line = eventLine(id, e);
  if (!before) await s.writeJournal(line, e.inForce);
  // The file's line, then its event's: one round trip (the rows get their seq in this order).
  else await s.db.insertInto('journal').values([before, line].map((l) => ({ submission_id: e.inForce, line: JSON.stringify(l), end_offset: null }))).execute();
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
