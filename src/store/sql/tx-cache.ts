/**
 * What a write transaction has read of a unit and year, kept until the transaction writes anything else. Inside a write
 * transaction the store's writer lock is held (session.ts), so no other hoctap process changes these rows meanwhile;
 * reading them again for each of a file's questions (what is in force, its review, its year's lock, the same content
 * stored before) costs a round trip each on PostgreSQL and tells nothing new. Every statement of the transaction other
 * than a read forgets it all (ForgetOnWrite sees each statement the query layer sends), so a write the cache does not
 * know of can never leave it stale; the one write that keeps it true itself is a file recorded in a batch (batch-record.ts).
 */
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import type { Submission, UnitReview, YearLock } from '../store.ts';

/** A unit and year as the transaction has read it: its submissions (newest first) and its review. */
export interface UnitYearState { submissions: Submission[]; review: UnitReview }

/** The next ids of the tables a file writes with ids of its own (as nextId gives them: the largest plus one). */
export interface NextIds { submissions: number; events: number }

export class TxCache {
  /** On only while a write transaction is open (the session turns it on at BEGIN, off at COMMIT or ROLLBACK). */
  private on = false;
  private readonly unitYears = new Map<string, UnitYearState>();
  private readonly locks = new Map<number, YearLock>();
  private ids: NextIds | null = null;

  get active(): boolean {
    return this.on;
  }

  /** At BEGIN (true), at COMMIT or ROLLBACK (false); either way nothing read before is kept. */
  switch(on: boolean): void {
    this.on = on;
    this.forget();
  }

  forget(): void {
    this.unitYears.clear();
    this.locks.clear();
    this.ids = null;
  }

  unitYear(unitCode: string, year: number): UnitYearState | undefined {
    return this.unitYears.get(key(unitCode, year));
  }

  lock(year: number): YearLock | undefined {
    return this.locks.get(year);
  }

  nextIds(): NextIds | null {
    return this.ids;
  }

  keepUnitYear(state: UnitYearState): void {
    if (this.on) this.unitYears.set(key(state.review.unitCode, state.review.year), state);
  }

  keepLock(lock: YearLock): void {
    if (this.on) this.locks.set(lock.year, lock);
  }

  keepIds(ids: NextIds): void {
    if (this.on) this.ids = ids;
  }
}

const key = (unitCode: string, year: number) => `${year}\u0000${unitCode}`;

/** A statement that only reads: a query built as a SELECT, or raw SQL that begins with SELECT (no data-modifying WITH). */
function onlyReads(node: RootOperationNode): boolean {
  if (node.kind === 'SelectQueryNode') return true;
  return node.kind === 'RawNode' && /^\s*SELECT\b/i.test(node.sqlFragments[0] ?? '');
}

/** The query layer's plugin: any statement but a read forgets what the transaction has read. */
export class ForgetOnWrite implements KyselyPlugin {
  private readonly cache: TxCache;

  constructor(cache: TxCache) {
    this.cache = cache;
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (!onlyReads(args.node)) this.cache.forget();
    return args.node;
  }

  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(args.result);
  }
}
