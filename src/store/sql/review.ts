/**
 * Review and approval through the query layer (docs/review.md), as src/store/sqlite/review.ts: each unit and year's
 * review state and revision (unit_reviews), each year's lock (year_locks), every transition (review_events). Every
 * change checks the revision the caller read in the same transaction (UPDATE … WHERE rev = seen): a conflict changes
 * nothing. Every change of what is in force passes through guardInForceChange (writes.ts).
 */
import { sql } from 'kysely';
import { conflictWords, inForceReview, lockRefusal, neverLocked, neverReviewed, nextReview, refuseIfLocked, reviewReason } from '../review-words.ts';
import {
  RevisionConflict, type ForceConfirmation, type ReviewEvent, type ReviewOutcome, type ReviewRequest, type ReviewState,
  type UnitReview, type YearLock, type YearLockRequest,
} from '../store.ts';
import { nextId } from './ids.ts';
import { inForce, unitYearState } from './reads.ts';
import type { SqlSession } from './session.ts';


export async function unitReview(s: SqlSession, unitCode: string, year: number): Promise<UnitReview> {
  if (s.cache.active) return (await unitYearState(s, unitCode, year)).review;
  const r = await s.db.selectFrom('unit_reviews').selectAll().where('unit_code', '=', unitCode).where('year', '=', year).executeTakeFirst();
  return r
    ? { unitCode: r.unit_code, year: Number(r.year), rev: Number(r.rev), state: r.state, reason: r.reason, changedAt: r.changed_at, changedBy: r.changed_by }
    : neverReviewed(unitCode, year);
}

export async function reviewsOfYear(s: SqlSession, year: number): Promise<UnitReview[]> {
  const rows = await s.db.selectFrom('unit_reviews').selectAll().where('year', '=', year).orderBy('unit_code').execute();
  return rows.map((r) => ({
    unitCode: r.unit_code, year: Number(r.year), rev: Number(r.rev), state: r.state, reason: r.reason, changedAt: r.changed_at, changedBy: r.changed_by,
  }));
}

export async function yearLock(s: SqlSession, year: number): Promise<YearLock> {
  await s.settle();
  const kept = s.cache.lock(year);
  if (kept) return kept;
  const r = await s.db.selectFrom('year_locks').selectAll().where('year', '=', year).executeTakeFirst();
  const lock = r
    ? { year, locked: Number(r.locked) === 1, rev: Number(r.rev), reason: r.reason, changedAt: r.changed_at, changedBy: r.changed_by }
    : neverLocked(year);
  s.cache.keepLock(lock);
  return lock;
}

/** Of one unit: its own transitions and its year's (lock, unlock). */
export async function reviewEvents(s: SqlSession, unitCode: string | undefined, year: number | undefined): Promise<ReviewEvent[]> {
  const rows = await s.db.selectFrom('review_events').selectAll()
    .$if(unitCode !== undefined, (q) => q.where((eb) => eb.or([eb('unit_code', '=', unitCode!), eb('unit_code', 'is', null)])))
    .$if(year !== undefined, (q) => q.where('year', '=', year!))
    .orderBy('id').execute();
  return rows.map((e) => ({
    id: Number(e.id), at: e.at, user: e.actor, action: e.action, unitCode: e.unit_code, year: Number(e.year), reason: e.reason, rev: Number(e.rev),
  }));
}

/** A transition, and its line of the journal (in the same transaction): rebuild makes it again. */
async function recordReviewEvent(s: SqlSession, e: Omit<ReviewEvent, 'id'>): Promise<ReviewEvent> {
  const { id } = await s.db.insertInto('review_events').values({
    id: nextId('review_events'), at: e.at, actor: e.user, action: e.action, unit_code: e.unitCode, year: e.year, reason: e.reason, rev: e.rev,
  }).returning('id').executeTakeFirstOrThrow();
  await s.writeJournal({ type: 'review', id: Number(id), at: e.at, user: e.user, action: e.action, unit: e.unitCode, year: e.year, reason: e.reason, rev: e.rev }, null);
  return { id: Number(id), ...e };
}

/**
 * Writes a unit and year's new state and revision, if its revision is still `seenRev` (else a conflict naming who
 * changed it and when). Returns the new revision.
 */
async function writeReview(s: SqlSession, r: UnitReview, seenRev: number, next: { state: ReviewState; reason: string | null }, user: string | null, at: string): Promise<number> {
  const set = { state: next.state, reason: next.reason, changed_at: at, changed_by: user };
  // One statement (a round trip a file on PostgreSQL): a unit and year never reviewed has no row yet, revision 0, so
  // at 0 the row is made or raised; past 0 it must be there.
  const done = seenRev === 0
    ? await s.db.insertInto('unit_reviews').values({ unit_code: r.unitCode, year: r.year, rev: 1, ...set })
      .onConflict((oc) => oc.columns(['unit_code', 'year']).doUpdateSet((eb) => ({ rev: eb('unit_reviews.rev', '+', 1), ...set })).where('unit_reviews.rev', '=', 0))
      .executeTakeFirst().then((d) => Number(d.numInsertedOrUpdatedRows ?? 0))
    : await s.db.updateTable('unit_reviews').set((eb) => ({ rev: eb('rev', '+', 1), ...set }))
      .where('unit_code', '=', r.unitCode).where('year', '=', r.year).where('rev', '=', seenRev).executeTakeFirst().then((d) => Number(d.numUpdatedRows));
  if (done !== 1) throw new RevisionConflict(conflictWords(await unitReview(s, r.unitCode, r.year), seenRev));
  return seenRev + 1;
}

/** Approves, returns or unapproves every unit of the request, all or none. */
export function changeReview(s: SqlSession, req: ReviewRequest): Promise<ReviewOutcome[]> {
  return s.run(async () => {
    const at = (req.at ?? new Date()).toISOString();
    const reason = req.action === 'approve' ? null : reviewReason(req.action === 'return' ? 'trả lại' : 'bỏ duyệt', req.reason);
    const lock = await yearLock(s, req.year);
    refuseIfLocked(lock);
    const out: ReviewOutcome[] = [];
    for (const u of req.units) out.push(await changeOne(s, req, u, reason, at));
    return out;
  });
}

async function changeOne(s: SqlSession, req: ReviewRequest, u: { unitCode: string; seenRev: number }, reason: string | null, at: string): Promise<ReviewOutcome> {
  const r = await unitReview(s, u.unitCode, req.year);
  if (r.rev !== u.seenRev) throw new RevisionConflict(conflictWords(r, u.seenRev));
  const next = nextReview(r, req.action, req.year, reason, Boolean(await inForce(s, u.unitCode, req.year)));
  if (!next) return { unitCode: u.unitCode, changed: false };
  const rev = await writeReview(s, r, u.seenRev, next, req.user, at);
  return { unitCode: u.unitCode, changed: true, event: await recordReviewEvent(s, { at, user: req.user, action: req.action, unitCode: u.unitCode, year: req.year, reason, rev }) };
}

/** Locks or unlocks a year, if its revision is still the one read. A year locks only when every unit in force is approved. */
export function changeYearLock(s: SqlSession, req: YearLockRequest): Promise<ReviewOutcome> {
  return s.run(async () => {
    const at = (req.at ?? new Date()).toISOString();
    const l = await yearLock(s, req.year);
    if (l.rev !== req.seenRev) throw new RevisionConflict(conflictWords({ ...l, unitCode: null }, req.seenRev));
    const reason = req.action === 'unlock' ? reviewReason('mở khóa', req.reason) : (req.reason?.trim() || null);
    if (l.locked === (req.action === 'lock')) return { unitCode: null, changed: false };
    if (req.action === 'lock') await refuseUnapproved(s, req.year);
    await s.db.insertInto('year_locks').values({ year: req.year, locked: 0, rev: 0, reason: null, changed_at: null, changed_by: null })
      .onConflict((oc) => oc.column('year').doNothing()).execute();
    const done = await s.db.updateTable('year_locks')
      .set((eb) => ({ locked: req.action === 'lock' ? 1 : 0, rev: eb('rev', '+', 1), reason, changed_at: at, changed_by: req.user }))
      .where('year', '=', req.year).where('rev', '=', req.seenRev).executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) throw new RevisionConflict(conflictWords({ ...(await yearLock(s, req.year)), unitCode: null }, req.seenRev));
    const event = await recordReviewEvent(s, { at, user: req.user, action: req.action, unitCode: null, year: req.year, reason, rev: req.seenRev + 1 });
    return { unitCode: null, changed: true, event };
  });
}

/** A year locks only when it has figures in force and every unit with figures in force is approved. */
async function refuseUnapproved(s: SqlSession, year: number): Promise<void> {
  const inForceUnits = await s.db.selectFrom('submissions as s')
    .leftJoin('unit_reviews as r', (j) => j.onRef('r.unit_code', '=', 's.unit_code').onRef('r.year', '=', 's.year'))
    .select(['s.unit_code', 'r.state']).where('s.year', '=', year).where('s.status', '=', 'accepted').orderBy('s.unit_code').execute();
  const refusal = lockRefusal(year, inForceUnits);
  if (refusal) throw refusal;
}

/** A unit and year's review and its year's lock in one query (one round trip a file on PostgreSQL). */
async function reviewAndLock(s: SqlSession, unitCode: string, year: number): Promise<{ review: UnitReview; lock: YearLock }> {
  // Inside a write transaction, what it has read already (tx-cache.ts): no round trip for a file's second question.
  if (s.cache.active) return { review: await unitReview(s, unitCode, year), lock: await yearLock(s, year) };
  type Row = { rev: number | null; state: ReviewState | null; reason: string | null; changed_at: string | null; changed_by: string | null;
    locked: number | null; lock_rev: number | null; lock_reason: string | null; lock_at: string | null; lock_by: string | null };
  const { rows: [r] } = await sql<Row>`SELECT ur.rev, ur.state, ur.reason, ur.changed_at, ur.changed_by, yl.locked, yl.rev AS lock_rev,
    yl.reason AS lock_reason, yl.changed_at AS lock_at, yl.changed_by AS lock_by
    FROM (SELECT 1 AS one) AS x LEFT JOIN unit_reviews AS ur ON ur.unit_code = ${unitCode} AND ur.year = ${year}
    LEFT JOIN year_locks AS yl ON yl.year = ${year}`.execute(s.db);
  return {
    review: r.rev === null
      ? neverReviewed(unitCode, year)
      : { unitCode, year, rev: Number(r.rev), state: r.state!, reason: r.reason, changedAt: r.changed_at, changedBy: r.changed_by },
    lock: r.locked === null
      ? neverLocked(year)
      : { year, locked: Number(r.locked) === 1, rev: Number(r.lock_rev), reason: r.lock_reason, changedAt: r.lock_at, changedBy: r.lock_by },
  };
}

/**
 * What review a change of what is in force leaves, checked but not written: the revision the caller read (if it gave
 * one) must still be the unit's, and approved figures or a locked year change only with an approver's confirmation.
 */
export async function inForceChangeReview(s: SqlSession, unitCode: string, year: number, g: { seenRev?: number; force: boolean }):
  Promise<{ review: UnitReview; next: { state: ReviewState; reason: string | null }; forced: boolean }> {
  const { review, lock } = await reviewAndLock(s, unitCode, year);
  if (g.seenRev !== undefined && review.rev !== g.seenRev) throw new RevisionConflict(conflictWords(review, g.seenRev));
  return { review, ...inForceReview(review, lock, g.force) };
}

/**
 * Inside every change of what is in force (writes.ts), in its transaction: the revision the caller read (if it gave
 * one) must still be the unit's; approved figures or a locked year change only with an approver's confirmation
 * (recorded as a review event); the revision is raised, and a returned unit's new figures are received again.
 */
export async function guardInForceChange(s: SqlSession, unitCode: string, year: number,
  g: { user: string | null; at: string; seenRev?: number; force?: ForceConfirmation }): Promise<void> {
  const { review: r, next, forced } = await inForceChangeReview(s, unitCode, year, { seenRev: g.seenRev, force: Boolean(g.force) });
  const rev = await writeReview(s, r, r.rev, next, g.user, g.at);
  if (forced && g.force) {
    await recordReviewEvent(s, { at: g.at, user: g.force.user ?? g.user, action: 'force', unitCode, year, reason: g.force.reason.trim(), rev });
  }
}
