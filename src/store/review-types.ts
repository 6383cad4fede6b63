/**
 * The store's words for review and approval (docs/review.md): a unit and year's review state, a year's lock, their
 * transitions and the requests that change them. Part of the Store interface (store.ts re-exports them).
 */
import { UserError, type HintedWords } from '../errors.ts';

/** A unit and year's review: received (figures in force, not yet judged), returned to the unit, or approved. */
export type ReviewState = 'received' | 'returned' | 'approved';
/** A transition of review: of a unit and year, of a whole year (lock, unlock), or an approver's override (force). */
export type ReviewAction = 'approve' | 'return' | 'unapprove' | 'lock' | 'unlock' | 'force';

/**
 * Where a unit and year stands in review, and its revision: raised by every change of what is in force and of its
 * review state. A unit and year never touched is at revision 0, received, changed by nobody.
 */
export interface UnitReview {
  unitCode: string;
  year: number;
  rev: number;
  state: ReviewState;
  /** The reason of the last return or unapproval (null otherwise). */
  reason: string | null;
  changedAt: string | null;
  changedBy: string | null;
}

/** Whether a year's figures are final (locked), with its revision and its last change. */
export interface YearLock {
  year: number;
  locked: boolean;
  rev: number;
  reason: string | null;
  changedAt: string | null;
  changedBy: string | null;
}

/** One transition of review (history). `unitCode` is null for a year's lock and unlock. */
export interface ReviewEvent {
  id: number;
  at: string;
  user: string | null;
  action: ReviewAction;
  unitCode: string | null;
  year: number;
  reason: string | null;
  /** The revision it made. */
  rev: number;
}

/**
 * A change of review asked for: each unit with the revision the caller read. All the units change, or none: a unit
 * whose revision moved since is a conflict (RevisionConflict), a transition that does not apply a UserError.
 */
export interface ReviewRequest {
  action: 'approve' | 'return' | 'unapprove';
  year: number;
  units: { unitCode: string; seenRev: number }[];
  /** Required for return and unapprove. */
  reason: string | null;
  user: string | null;
  at?: Date;
}

export interface YearLockRequest {
  action: 'lock' | 'unlock';
  year: number;
  seenRev: number;
  /** Required for unlock. */
  reason: string | null;
  user: string | null;
  at?: Date;
}

/** What a change of review did to one unit (or year): nothing when it was there already. */
export type ReviewOutcome = { unitCode: string | null; changed: true; event: ReviewEvent } | { unitCode: string | null; changed: false };

/**
 * An approver's confirmation that a change of what is in force goes ahead although the unit is approved or its year
 * locked (ingest --force --reason): recorded as a review event with its reason.
 */
export interface ForceConfirmation { reason: string; user: string | null }

/** Another change of the unit and year (or year) came between what a command read and what it wrote: nothing written. */
export class RevisionConflict extends UserError {
  constructor(message: HintedWords) {
    super(message, 2);
    this.name = 'RevisionConflict';
  }
}
