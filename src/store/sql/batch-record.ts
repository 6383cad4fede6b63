/**
 * A file recorded inside a write batch on PostgreSQL in a few statements (three, five when it supersedes one), by the
 * same rules as writes.ts's recordSubmission, and checked by the same contract suite. The unit and year's submissions,
 * review and lock come from what the batch's transaction has read (tx-cache.ts); the ids are the largest plus one, as
 * nextId gives them. The statements: a savepoint; the old submission stepping aside; one statement for the new one with
 * its event, journal lines, review, values, findings, narratives, contact and items (each table's rows as one JSON
 * parameter); the savepoint released. If any fails, the savepoint is rolled back: the file is all or nothing.
 * The answer is known before the writes (nothing the server says changes it), so they are sent without waiting
 * (SqlSession.writeBehind): the server stores a file while the next one is read. A write that then fails is said at the
 * next use of the store (WriteBehindFailed), before anything is committed.
 * Why: on PostgreSQL a file was about a dozen statements, each a round trip and a plan of the server's, one after the
 * other with the program's own work: ingest took 2.7 times as long as on the embedded store.
 */
import { sql } from 'kysely';
import { WriteBehindFailed, type NewSubmission, type RecordOutcome, type Submission, type UnitReview } from '../store.ts';
import { currentUser } from '../user.ts';
import { submission, unitYearState } from './reads.ts';
import { inForceChangeReview } from './review.ts';
import type { SqlSession, Statement } from './session.ts';
import type { NextIds } from './tx-cache.ts';
import { contentRows, eventLine, fileLine, priorAmong, submissionRow } from './writes.ts';


/** Whether a file can take this path: PostgreSQL, in a batch's transaction, no approver's --force, numbers JSON can carry. */
export function canRecordInBatch(s: SqlSession, n: NewSubmission): boolean {
  return s.pipeline !== null && s.inTransaction && s.cache.active && !n.force && n.values.every((v) => v.num === null || Number.isFinite(v.num));
}

async function nextIds(s: SqlSession): Promise<NextIds> {
  const kept = s.cache.nextIds();
  if (kept) return kept;
  const { rows: [r] } = await sql<{ s: number | string; e: number | string }>`SELECT
    (SELECT COALESCE(MAX(id), 0) + 1 FROM submissions) AS s, (SELECT COALESCE(MAX(id), 0) + 1 FROM events) AS e`.execute(s.db);
  const ids = { submissions: Number(r.s), events: Number(r.e) };
  s.cache.keepIds(ids);
  return ids;
}

/** INSERT of a table's rows given as one JSON array (the rows' keys are the columns). */
function insertJson(table: string, rows: readonly Record<string, unknown>[], param: number, onlyIf = ''): string {
  const cols = Object.keys(rows[0]).map((c) => `"${c}"`).join(', ');
  return `INSERT INTO ${table} (${cols}) SELECT ${cols} FROM jsonb_populate_recordset(NULL::${table}, $${param}::jsonb)${onlyIf}`;
}

/** The one statement of a file's rows; with a review to raise, nothing is stored unless the review row is (rev as read). */
function fileStatement(tables: [string, Record<string, unknown>[]][], review: { next: UnitReview; seen: number } | null): Statement {
  const values: unknown[] = [];
  const parts: string[] = [];
  if (review) {
    const r = review.next;
    values.push(r.unitCode, r.year, r.rev, r.state, r.reason, r.changedAt, r.changedBy, review.seen);
    parts.push(`r AS (INSERT INTO unit_reviews (unit_code, year, rev, state, reason, changed_at, changed_by) VALUES ($1, $2, $3, $4, $5, $6, $7)
      ON CONFLICT (unit_code, year) DO UPDATE SET rev = unit_reviews.rev + 1, state = EXCLUDED.state, reason = EXCLUDED.reason,
      changed_at = EXCLUDED.changed_at, changed_by = EXCLUDED.changed_by WHERE unit_reviews.rev = $8 RETURNING 1)`);
  }
  for (const [table, rows] of tables) {
    if (!rows.length) continue;
    values.push(JSON.stringify(rows));
    // The submission goes in only with its review (the others then fail on their reference to it: all or nothing).
    const onlyIf = table === 'submissions' && review ? ' WHERE EXISTS (SELECT 1 FROM r)' : '';
    parts.push(`w_${table} AS (${insertJson(table, rows, values.length, onlyIf)} RETURNING 1)`);
  }
  return { text: `WITH ${parts.join(',\n')} SELECT (SELECT count(*) FROM w_submissions) AS stored`, values };
}

const SAVEPOINT = 'hoctap_file';
const plain = (text: string): Statement => ({ text, values: [] });

/** recordSubmission's work for one file of a batch (canRecordInBatch): see the module's comment. */
export async function recordInBatch(s: SqlSession, n: NewSubmission): Promise<RecordOutcome> {
  await s.settle();
  const state = await unitYearState(s, n.unitCode, n.year);
  const prior = priorAmong(state.submissions.map((x) => ({ id: x.id, status: x.status, file_name: x.fileName, received_at: x.receivedAt, sha256: x.sha256 })), n);
  if (prior.same) return prior.same;
  const prev = n.status === 'accepted' ? prior.prev : null;
  const plan = n.status === 'accepted' ? await inForceChangeReview(s, n.unitCode, n.year, { seenRev: n.seenRev, force: false }) : null;
  const ids = await nextIds(s);
  const id = ids.submissions;
  const user = n.user === undefined ? currentUser() : n.user;
  const event = plan && { at: n.ingestedAt, user, reason: 'file' as const, unitCode: n.unitCode, year: n.year, inForce: id, outOfForce: prev?.id ?? null };
  const journal = [fileLine(n, id, user), ...(event ? [eventLine(ids.events, event)] : [])];
  const c = contentRows(id, n);
  const reviewed: UnitReview | null = plan && {
    ...plan.review, rev: plan.review.rev + 1, state: plan.next.state, reason: plan.next.reason, changedAt: n.ingestedAt, changedBy: user,
  };
  const row = { id, ...submissionRow(n) };
  const statement = fileStatement([
    ['submissions', [row]],
    ['events', event ? [{ id: ids.events, at: event.at, user, reason: event.reason, unit_code: n.unitCode, year: n.year, in_force: id, out_of_force: event.outOfForce }] : []],
    // The file's line, then its event's: their seq in this order.
    ['journal', journal.map((l) => ({ submission_id: id, line: JSON.stringify(l) }))],
    ['field_values', c.values], ['messages', c.messages], ['narratives', c.narratives],
    ['contacts', n.contact ? [{ submission_id: id, ...n.contact }] : []], ['narrative_items', c.items],
  ], plan && reviewed && { next: reviewed, seen: plan.review.rev });
  // One accepted submission per unit and year (a unique index): the old one steps aside first, then points to the new.
  s.writeBehind(write(s, n, id, [
    plain(`SAVEPOINT ${SAVEPOINT}`),
    ...(prev ? [{ text: `UPDATE submissions SET status = 'superseded' WHERE id = $1`, values: [prev.id] }] : []),
    statement,
    ...(prev ? [{ text: 'UPDATE submissions SET superseded_by = $1 WHERE id = $2', values: [id, prev.id] }] : []),
    plain(`RELEASE SAVEPOINT ${SAVEPOINT}`),
  ]));
  state.submissions = [submission(row), ...state.submissions.map((x): Submission => (x.id === prev?.id ? { ...x, status: 'superseded', supersededBy: id } : x))];
  if (reviewed) state.review = reviewed;
  s.cache.keepUnitYear(state);
  s.cache.keepIds({ submissions: id + 1, events: ids.events + (event ? 1 : 0) });
  return { kind: 'stored', submissionId: id, supersedes: prev ? { submissionId: prev.id, file: prev.file_name } : null };
}

/**
 * The file's statements, sent while the program goes on (SqlSession.writeBehind); a failure rolls the file back to its
 * savepoint on the same connection before anything else runs there, and the file is then said not stored.
 */
async function write(s: SqlSession, n: NewSubmission, id: number, statements: Statement[]): Promise<void> {
  const undo = [plain(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`), plain(`RELEASE SAVEPOINT ${SAVEPOINT}`)];
  try {
    // Written to the socket now, in one message (the server need not wait for the program between them), else in turn.
    await (s.sendNow?.(statements, undo) ?? s.pipeline!(statements, undo));
  } catch (e) {
    s.cache.forget();
    throw new WriteBehindFailed(n.label ?? n.fileName, id, e);
  }
}
