/**
 * The rule for a file of a unit and year that already has figures in force (docs/ingest.md, "Gửi lại, thư và ngày nhận"):
 * - it is compared with the submission in force: figures added, changed and removed, per indicator;
 * - when it would remove figures that the one in force has, it is held — stored with its values, not in force — until
 *   the analyst confirms it (`ingest --replace`, or `hoctap restore N` on the held submission);
 * - otherwise it is put in force, and the submission it replaces stays stored (restorable);
 * - whatever it changes, a file of a unit whose figures are approved, or of a locked year, is stored but changes nothing
 *   in force (docs/review.md) unless an approver confirms it (`ingest --force --reason`).
 */
import { frozenReason } from '../store/review-words.ts';
import { diffFigures } from '../store/diff.ts';
import type { ForceConfirmation, Store } from '../store/store.ts';
import type { AcceptedValue, FileResult } from './types.ts';

/** What the file would change against the figures in force; null when the unit has none in force for the year. */
export async function changeAgainstInForce(db: Store | null, unitCode: string, year: number, values: AcceptedValue[]): Promise<FileResult['change']> {
  const current = db ? await db.inForce(unitCode, year) : null;
  if (!db || !current) return null;
  const d = diffFigures(await db.valuesOf(current.id), values.map((v) => ({
    fieldId: v.entry.fieldId, indicatorId: v.entry.indicatorId, num: v.num, text: v.num === null ? v.text : null, raw: v.raw,
  })));
  return {
    inForce: current.id, added: d.added, changed: d.changed, removed: d.removed,
    indicators: d.indicators.map((i) => ({ id: i.indicatorId, added: i.added.length, changed: i.changed.length, removed: i.removed.length })),
  };
}

/** Whether the change must wait for the analyst: it would take figures away. */
export function mustHold(change: FileResult['change']): boolean {
  return change !== null && change.removed > 0;
}

/**
 * The unit and year's review as the file is judged: the revision read (checked again when the file is stored), and why
 * its figures in force are final (approved, or the year locked), if they are.
 */
export interface ReviewSeen { rev: number; frozen: { why: string; locked: boolean } | null }

export async function reviewSeen(db: Store, unitCode: string, year: number): Promise<ReviewSeen> {
  const [review, lock] = [await db.review(unitCode, year), await db.yearLock(year)];
  const why = frozenReason(review, lock);
  return { rev: review.rev, frozen: why ? { why, locked: lock.locked } : null };
}

/** What becomes of a file that passed its checks, against what is in force for its unit and year. */
export type Decision = 'accepted' | 'held' | 'rejected';

/**
 * The resubmission rule as one object: the analyst's options of the run (--hold, --replace, a rebuild's replay) and
 * what each file would change decide whether it is put in force or held; --replace on a file already held confirms it.
 */
export class ResubmissionPolicy {
  private readonly hold: boolean;
  private readonly replace: boolean;
  private readonly replay: boolean;
  /** --force --reason, by an approver: files of approved units or locked years go in force all the same. */
  readonly force: ForceConfirmation | null;

  constructor(opts: { hold: boolean; replace: boolean; replay: boolean; force?: ForceConfirmation | null }) {
    this.hold = opts.hold;
    this.replace = opts.replace;
    this.replay = opts.replay;
    this.force = opts.force ?? null;
  }

  /** A file that would go in force for an approved unit or a locked year is kept, not in force, unless forced. */
  afterReview(decision: Decision, review: ReviewSeen | null): Decision {
    return decision === 'accepted' && review?.frozen && !this.force ? 'held' : decision;
  }

  /** The approver's confirmation to pass to the store, when the figures it changes are final. */
  forcing(review: ReviewSeen | null): ForceConfirmation | undefined {
    return review?.frozen && this.force ? this.force : undefined;
  }

  /** A file with errors is refused; one that would take figures away waits for the analyst (a rebuild replays the journal's decision). */
  decide(errors: number, change: FileResult['change']): Decision {
    if (errors) return 'rejected';
    return this.hold || (!this.replay && !this.replace && mustHold(change)) ? 'held' : 'accepted';
  }

  /** The very file that is held, given again with --replace (or --force): the analyst's confirmation of it. */
  confirmsHeld(outcome: { kind: string; status?: string }): boolean {
    return (this.replace || this.force !== null) && outcome.kind === 'duplicate' && outcome.status === 'held';
  }
}
