/**
 * Review and approval on SQLite (docs/review.md): each unit and year's review state and revision (unit_reviews), each
 * year's lock (year_locks), every transition (review_events). Every change checks the revision the caller read in the
 * same transaction (UPDATE … WHERE rev = seen): a conflict changes nothing. Every change of what is in force passes
 * through guardInForceChange (writes.ts), which raises the revision and refuses a change of approved or locked figures
 * unless an approver confirms it. Plain SQL that PostgreSQL also takes.
 */
import { conflictWords, inForceReview, lockRefusal, neverLocked, neverReviewed, nextReview, refuseIfLocked, reviewReason } from '../review-words.ts';
import {
  RevisionConflict, type ForceConfirmation, type ReviewAction, type ReviewEvent, type ReviewOutcome, type ReviewRequest, type ReviewState,
  type UnitReview, type YearLock, type YearLockRequest,
} from '../store.ts';
import type { SqliteConnection } from './connection.ts';
import { inForce } from './reads.ts';

interface ReviewRow { unit_code: string; year: number; rev: number; state: ReviewState; reason: string | null; changed_at: string | null; changed_by: string | null }
interface LockRow { year: number; locked: number; rev: number; reason: string | null; changed_at: string | null; changed_by: string | null }
interface EventRow { id: number; at: string; actor: string | null; action: ReviewAction; unit_code: string | null; year: number; reason: string | null; rev: number }


const toReview = (r: ReviewRow): UnitReview => ({
  unitCode: r.unit_code, year: Number(r.year), rev: Number(r.rev), state: r.state, reason: r.reason, changedAt: r.changed_at, changedBy: r.changed_by,
});

export function unitReview(c: SqliteConnection, unitCode: string, year: number): UnitReview {
  const r = c.statement('SELECT * FROM unit_reviews WHERE unit_code = ? AND year = ?').get(unitCode, year) as ReviewRow | undefined;
  return r ? toReview(r) : neverReviewed(unitCode, year);
}

export function reviewsOfYear(c: SqliteConnection, year: number): UnitReview[] {
  return (c.statement('SELECT * FROM unit_reviews WHERE year = ? ORDER BY unit_code').all(year) as unknown as ReviewRow[]).map(toReview);
}

export function yearLock(c: SqliteConnection, year: number): YearLock {
  const r = c.statement('SELECT * FROM year_locks WHERE year = ?').get(year) as LockRow | undefined;
  return r
    ? { year, locked: Number(r.locked) === 1, rev: Number(r.rev), reason: r.reason, changedAt: r.changed_at, changedBy: r.changed_by }
    : neverLocked(year);
}

export function reviewEvents(c: SqliteConnection, unitCode: string | undefined, year: number | undefined): ReviewEvent[] {
  const rows = c.statement(`SELECT * FROM review_events WHERE (?1 IS NULL OR unit_code = ?1 OR unit_code IS NULL) AND (?2 IS NULL OR year = ?2) ORDER BY id`)
    .all(unitCode ?? null, year ?? null) as unknown as EventRow[];
  return rows.map(toEvent);
}

const toEvent = (e: EventRow): ReviewEvent => ({
  id: Number(e.id), at: e.at, user: e.actor, action: e.action, unitCode: e.unit_code, year: Number(e.year), reason: e.reason, rev: Number(e.rev),
});

/** A transition, and its line of the journal (in the same transaction): rebuild makes it again. */
function recordReviewEvent(c: SqliteConnection, e: Omit<ReviewEvent, 'id'>): ReviewEvent {
  const id = Number(c.statement('INSERT INTO review_events (at, actor, action, unit_code, year, reason, rev) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run(e.at, e.user, e.action, e.unitCode, e.year, e.reason, e.rev).lastInsertRowid);
  c.writeJournal({ type: 'review', id, at: e.at, user: e.user, action: e.action, unit: e.unitCode, year: e.year, reason: e.reason, rev: e.rev }, null);
  return { id, ...e };
}

/**
 * Writes a unit and year's new state and revision, if its revision is still `seenRev` (else a conflict naming who
 * changed it and when). Returns the new revision.
 */
function writeReview(c: SqliteConnection, r: UnitReview, seenRev: number, next: { state: ReviewState; reason: string | null }, user: string | null, at: string): number {
  c.statement(`INSERT INTO unit_reviews (unit_code, year, rev, state) SELECT ?, ?, 0, 'received'
    WHERE NOT EXISTS (SELECT 1 FROM unit_reviews WHERE unit_code = ? AND year = ?)`).run(r.unitCode, r.year, r.unitCode, r.year);
  const done = c.statement(`UPDATE unit_reviews SET rev = rev + 1, state = ?, reason = ?, changed_at = ?, changed_by = ?
    WHERE unit_code = ? AND year = ? AND rev = ?`).run(next.state, next.reason, at, user, r.unitCode, r.year, seenRev);
  if (Number(done.changes) !== 1) throw new RevisionConflict(conflictWords(unitReview(c, r.unitCode, r.year), seenRev));
  return seenRev + 1;
}

/** Approves, returns or unapproves every unit of the request, all or none. */
export function changeReview(c: SqliteConnection, req: ReviewRequest): ReviewOutcome[] {
  return c.run(() => {
    const at = (req.at ?? new Date()).toISOString();
    const reason = req.action === 'approve' ? null : reviewReason(req.action === 'return' ? 'trả lại' : 'bỏ duyệt', req.reason);
    const lock = yearLock(c, req.year);
    refuseIfLocked(lock);
    return req.units.map((u) => changeOne(c, req, u, reason, at));
  });
}

function changeOne(c: SqliteConnection, req: ReviewRequest, u: { unitCode: string; seenRev: number }, reason: string | null, at: string): ReviewOutcome {
  const r = unitReview(c, u.unitCode, req.year);
  if (r.rev !== u.seenRev) throw new RevisionConflict(conflictWords(r, u.seenRev));
  const next = nextReview(r, req.action, req.year, reason, Boolean(inForce(c, u.unitCode, req.year)));
  if (!next) return { unitCode: u.unitCode, changed: false };
  const rev = writeReview(c, r, u.seenRev, next, req.user, at);
  return { unitCode: u.unitCode, changed: true, event: recordReviewEvent(c, { at, user: req.user, action: req.action, unitCode: u.unitCode, year: req.year, reason, rev }) };
}

/** Locks or unlocks a year, if its revision is still the one read. A year locks only when every unit in force is approved. */
export function changeYearLock(c: SqliteConnection, req: YearLockRequest): ReviewOutcome {
  return c.run(() => {
    const at = (req.at ?? new Date()).toISOString();
    const l = yearLock(c, req.year);
    if (l.rev !== req.seenRev) throw new RevisionConflict(conflictWords({ ...l, unitCode: null }, req.seenRev));
    const reason = req.action === 'unlock' ? reviewReason('mở khóa', req.reason) : (req.reason?.trim() || null);
    if (l.locked === (req.action === 'lock')) return { unitCode: null, changed: false };
    if (req.action === 'lock') refuseUnapproved(c, req.year);
    c.statement(`INSERT INTO year_locks (year, locked, rev) SELECT ?, 0, 0 WHERE NOT EXISTS (SELECT 1 FROM year_locks WHERE year = ?)`).run(req.year, req.year);
    const done = c.statement('UPDATE year_locks SET locked = ?, rev = rev + 1, reason = ?, changed_at = ?, changed_by = ? WHERE year = ? AND rev = ?')
      .run(req.action === 'lock' ? 1 : 0, reason, at, req.user, req.year, req.seenRev);
    if (Number(done.changes) !== 1) throw new RevisionConflict(conflictWords({ ...yearLock(c, req.year), unitCode: null }, req.seenRev));
    const event = recordReviewEvent(c, { at, user: req.user, action: req.action, unitCode: null, year: req.year, reason, rev: req.seenRev + 1 });
    return { unitCode: null, changed: true, event };
  });
}

/** A year locks only when it has figures in force and every unit with figures in force is approved. */
function refuseUnapproved(c: SqliteConnection, year: number): void {
  const inForceUnits = (c.statement(`SELECT s.unit_code, r.state FROM submissions s
    LEFT JOIN unit_reviews r ON r.unit_code = s.unit_code AND r.year = s.year
    WHERE s.year = ? AND s.status = 'accepted' ORDER BY s.unit_code`).all(year) as { unit_code: string; state: ReviewState | null }[]);
  const refusal = lockRefusal(year, inForceUnits);
  if (refusal) throw refusal;
}

/**
 * Inside every change of what is in force (writes.ts), in its transaction: the revision the caller read (if it gave
 * one) must still be the unit's; approved figures or a locked year change only with an approver's confirmation
 * (recorded as a review event); the revision is raised, and a returned unit's new figures are received again.
 */
export function guardInForceChange(c: SqliteConnection, unitCode: string, year: number,
  g: { user: string | null; at: string; seenRev?: number; force?: ForceConfirmation }): void {
  const r = unitReview(c, unitCode, year);
  if (g.seenRev !== undefined && r.rev !== g.seenRev) throw new RevisionConflict(conflictWords(r, g.seenRev));
  const lock = yearLock(c, year);
  const { next, forced } = inForceReview(r, lock, Boolean(g.force));
  const rev = writeReview(c, r, r.rev, next, g.user, g.at);
  if (forced && g.force) {
    recordReviewEvent(c, { at: g.at, user: g.force.user ?? g.user, action: 'force', unitCode, year, reason: g.force.reason.trim(), rev });
  }
}
