/** The reads through the query layer: rows of either engine turned into the store's domain objects. */
import { sql, type Selectable } from 'kysely';
import type {
  Contact, ReviewState, StoredMessage, StoredNarrative, StoredQuery, StoredValue, StoreEvent, Submission, SubmissionValue, UnattributedFile,
} from '../store.ts';
import type { JournalEntry } from '../journal.ts';
import { neverReviewed } from '../review-words.ts';
import type { SqlSession } from './session.ts';
import type { MessagesTable, SubmissionsTable } from './tables.ts';
import type { UnitYearState } from './tx-cache.ts';

const num = (x: number | string | null): number | null => (x === null ? null : Number(x));

export const submission = (r: Selectable<SubmissionsTable>): Submission => ({
  id: Number(r.id), unitCode: r.unit_code, year: Number(r.year), fileName: r.file_name, sha256: r.sha256, archivePath: r.archive_path,
  sourceKind: r.source_kind, catalogVersion: r.catalog_version, templateVersion: r.template_version, receivedAt: r.received_at,
  ingestedAt: r.ingested_at, status: r.status, errorCount: Number(r.error_count), warningCount: Number(r.warning_count),
  valueCount: Number(r.value_count), supersededBy: num(r.superseded_by),
});

const submissions = (s: SqlSession) => s.db.selectFrom('submissions').selectAll();

export async function submissionById(s: SqlSession, id: number): Promise<Submission | null> {
  const r = await submissions(s).where('id', '=', id).executeTakeFirst();
  return r ? submission(r) : null;
}

/**
 * A unit and year's submissions (newest first) and review, in one query; inside a write transaction, read once and kept
 * (tx-cache.ts) until the transaction writes something else.
 */
export async function unitYearState(s: SqlSession, unitCode: string, year: number): Promise<UnitYearState> {
  await s.settle();
  const kept = s.cache.unitYear(unitCode, year);
  if (kept) return kept;
  type Row = Selectable<SubmissionsTable> & { r_rev: number | null; r_state: ReviewState | null; r_reason: string | null; r_at: string | null; r_by: string | null };
  const rows = await s.rowsOf(sql<Row>`SELECT r.rev AS r_rev, r.state AS r_state, r.reason AS r_reason, r.changed_at AS r_at, r.changed_by AS r_by, s.*
    FROM (SELECT 1 AS one) AS x LEFT JOIN unit_reviews AS r ON r.unit_code = ${unitCode} AND r.year = ${year}
    LEFT JOIN submissions AS s ON s.unit_code = ${unitCode} AND s.year = ${year} ORDER BY s.id DESC`.compile(s.db));
  const r = rows[0];
  const state: UnitYearState = {
    submissions: rows.filter((x) => x.id !== null).map(submission),
    review: r.r_rev === null
      ? neverReviewed(unitCode, year)
      : { unitCode, year, rev: Number(r.r_rev), state: r.r_state!, reason: r.r_reason, changedAt: r.r_at, changedBy: r.r_by },
  };
  s.cache.keepUnitYear(state);
  return state;
}

export async function inForce(s: SqlSession, unitCode: string, year: number): Promise<Submission | null> {
  if (s.cache.active) return (await unitYearState(s, unitCode, year)).submissions.find((x) => x.status === 'accepted') ?? null;
  const r = await submissions(s).where('unit_code', '=', unitCode).where('year', '=', year).where('status', '=', 'accepted').executeTakeFirst();
  return r ? submission(r) : null;
}

export async function submissionsOfYear(s: SqlSession, year: number): Promise<Submission[]> {
  return (await submissions(s).where('year', '=', year).orderBy('unit_code').orderBy('id').execute()).map(submission);
}

export async function history(s: SqlSession, unitCode?: string, year?: number): Promise<Submission[]> {
  const rows = await submissions(s)
    .$if(unitCode !== undefined, (q) => q.where('unit_code', '=', unitCode!))
    .$if(year !== undefined, (q) => q.where('year', '=', year!))
    .orderBy('unit_code').orderBy('year').orderBy('id').execute();
  return rows.map(submission);
}

export async function isStored(s: SqlSession, sha256: string): Promise<boolean> {
  return (await s.db.selectFrom('submissions').select('id').where('sha256', '=', sha256).limit(1).executeTakeFirst()) !== undefined;
}

export async function yearsWithData(s: SqlSession): Promise<number[]> {
  const rows = await s.db.selectFrom('submissions').select('year').distinct().where('status', '=', 'accepted').orderBy('year').execute();
  return rows.map((r) => Number(r.year));
}

export async function acceptedSubmissionCount(s: SqlSession, year: number): Promise<number> {
  const r = await s.db.selectFrom('submissions').select((eb) => eb.fn.countAll().as('n')).where('year', '=', year).where('status', '=', 'accepted').executeTakeFirstOrThrow();
  return Number(r.n);
}

function acceptedValuesQuery(s: SqlSession, year: number) {
  return s.db.selectFrom('field_values as v').innerJoin('submissions as s', 's.id', 'v.submission_id')
    .select(['v.submission_id', 's.unit_code', 'v.field_id', 'v.indicator_id', 'v.raw', 'v.value_num', 'v.value_text', 'v.cell'])
    .where('s.year', '=', year).where('s.status', '=', 'accepted');
}

type ValueRow = { submission_id: number; unit_code: string; field_id: string; indicator_id: string; raw: string | null; value_num: number | null; value_text: string | null; cell: string | null };

const storedValue = (r: ValueRow): StoredValue => ({
  submissionId: Number(r.submission_id), unitCode: r.unit_code, fieldId: r.field_id, indicatorId: r.indicator_id, raw: r.raw,
  num: num(r.value_num), text: r.value_text, cell: r.cell,
});

export async function acceptedValues(s: SqlSession, year: number): Promise<StoredValue[]> {
  return (await acceptedValuesQuery(s, year).orderBy('s.unit_code').orderBy('v.field_id').execute()).map(storedValue);
}

export async function acceptedValuesOfUnit(s: SqlSession, unitCode: string, year: number): Promise<StoredValue[]> {
  return (await s.rowsOf(acceptedValuesQuery(s, year).where('s.unit_code', '=', unitCode).compile())).map(storedValue);
}

export async function valuesOf(s: SqlSession, submissionId: number): Promise<SubmissionValue[]> {
  const rows = await s.db.selectFrom('field_values').select(['field_id', 'indicator_id', 'raw', 'value_num', 'value_text', 'sheet', 'cell', 'line', 'note'])
    .where('submission_id', '=', submissionId).orderBy('field_id').execute();
  return rows.map((r) => ({
    fieldId: r.field_id, indicatorId: r.indicator_id, raw: r.raw, num: num(r.value_num), text: r.value_text, sheet: r.sheet, cell: r.cell,
    line: num(r.line), note: r.note,
  }));
}

const message = (m: Selectable<MessagesTable>): StoredMessage => ({
  submissionId: Number(m.submission_id), severity: m.severity, code: m.code, sheet: m.sheet, cell: m.cell, line: num(m.line),
  indicatorId: m.indicator_id, fieldId: m.field_id, valueSeen: m.value_seen, expected: m.expected, text: m.text, params: m.params ?? null,
});

export async function messagesOf(s: SqlSession, submissionId: number): Promise<StoredMessage[]> {
  return (await s.db.selectFrom('messages').selectAll().where('submission_id', '=', submissionId).orderBy('id').execute()).map(message);
}

export async function contactOf(s: SqlSession, submissionId: number): Promise<Contact | null> {
  return (await s.db.selectFrom('contacts').select(['name', 'position', 'phone', 'email']).where('submission_id', '=', submissionId).executeTakeFirst()) ?? null;
}

export async function acceptedNarratives(s: SqlSession, year: number): Promise<StoredNarrative[]> {
  const rows = await s.db.selectFrom('narratives as n').innerJoin('submissions as s', 's.id', 'n.submission_id')
    .select(['s.unit_code', 'n.section_id', 'n.text', 's.received_at']).where('s.year', '=', year).where('s.status', '=', 'accepted')
    .orderBy('s.unit_code').orderBy('n.section_id').execute();
  return rows.map((r) => ({ unitCode: r.unit_code, sectionId: r.section_id, text: r.text, receivedAt: r.received_at }));
}

export async function queriesOfYear(s: SqlSession, year: number, codes: readonly string[], answerFieldId: (indicatorId: string) => string): Promise<StoredQuery[]> {
  if (!codes.length) return [];
  const rows = await s.db.selectFrom('messages as m').innerJoin('submissions as s', 's.id', 'm.submission_id').selectAll('m').select('s.unit_code')
    .where('s.year', '=', year).where('s.status', '=', 'accepted').where('m.severity', '=', 'warning').where('m.indicator_id', 'is not', null)
    .where('m.code', 'in', [...codes]).orderBy('s.unit_code').orderBy('s.id').orderBy('m.id').execute();
  const out: StoredQuery[] = [];
  for (const r of rows) {
    const a = await s.db.selectFrom('field_values').select('value_text')
      .where('submission_id', '=', r.submission_id).where('field_id', '=', answerFieldId(r.indicator_id!)).executeTakeFirst();
    out.push({ ...message(r), unitCode: r.unit_code, indicatorId: r.indicator_id!, answer: a?.value_text?.trim() || null });
  }
  return out;
}

export async function events(s: SqlSession, unitCode?: string, year?: number): Promise<StoreEvent[]> {
  const rows = await s.db.selectFrom('events').selectAll()
    .$if(unitCode !== undefined, (q) => q.where('unit_code', '=', unitCode!))
    .$if(year !== undefined, (q) => q.where('year', '=', year!))
    .orderBy('id').execute();
  return rows.map((e) => ({
    id: Number(e.id), at: e.at, user: e.user, reason: e.reason, unitCode: e.unit_code, year: Number(e.year), inForce: num(e.in_force), outOfForce: num(e.out_of_force),
  }));
}

export async function unattributedFiles(s: SqlSession): Promise<UnattributedFile[]> {
  const rows = await s.db.selectFrom('unattributed_files').selectAll().orderBy('id').execute();
  return rows.map((u) => ({
    id: Number(u.id), fileName: u.file_name, sha256: u.sha256, archivePath: u.archive_path, receivedAt: u.received_at, ingestedAt: u.ingested_at, code: u.code, reason: u.reason,
  }));
}

export async function journalEntries(s: SqlSession): Promise<JournalEntry[]> {
  return (await s.db.selectFrom('journal').select('line').orderBy('seq').execute()).map((r) => JSON.parse(r.line) as JournalEntry);
}
