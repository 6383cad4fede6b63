/**
 * One session with the database through the query layer (Kysely), on either engine: its transactions and savepoints
 * (all on the one connection the session holds), and the journal lines written with them. On PostgreSQL a write
 * transaction first takes the store's writer lock (an advisory lock held until it ends), as SQLite's BEGIN IMMEDIATE
 * does: the "already ingested?" check and the writes of two analysts never interleave.
 */
import { sql, type CompiledQuery, type Kysely } from 'kysely';
import type { JournalEntry } from '../journal.ts';
import type { Tables } from './tables.ts';
import { ForgetOnWrite, TxCache } from './tx-cache.ts';

export type Engine = 'sqlite' | 'postgres';

/** One statement's outcome when sent in a pipeline: its rows and how many it changed. */
export interface PipedResult { rowCount: number | null; rows: Record<string, unknown>[] }

/**
 * PostgreSQL: statements run in order on the session's connection, as SQL and parameters (not built by the query layer,
 * which the cache of the transaction does not see: the caller keeps it true); the first failure stops them, `undo` is
 * run on the same connection before anything else can be, and the failure is thrown.
 */
export type Pipeline = (statements: Statement[], undo?: Statement[]) => Promise<PipedResult[]>;

/** PostgreSQL: statements written to the connection now, in one message, when it is idle (else null). */
export type SendNow = (statements: Statement[], undo: Statement[]) => Promise<void> | null;

/** SQL and its parameters. */
export interface Statement { text: string; values: unknown[] }

/** The advisory lock key of writes (PostgreSQL): "hoct" as a number; long jobs take WRITE_LOCK + 1. */
export const WRITE_LOCK = 0x686f6374;

export class SqlSession {
  readonly db: Kysely<Tables>;
  readonly engine: Engine;
  /** What the open write transaction has read (tx-cache.ts). */
  readonly cache = new TxCache();
  /** PostgreSQL: statements as SQL and parameters, in order (batch-record.ts); null on SQLite. */
  readonly pipeline: Pipeline | null;
  readonly sendNow: SendNow | null;
  private depth = 0;
  private savepoints = 0;
  /** A file's writes sent and not yet known done (writeBehind), and the failure of one not yet said. */
  private behind: Promise<void> | null = null;
  private behindFailure: unknown = null;
  /** A read snapshot is open (openReadSnapshot): ended before a write transaction begins, and at close. */
  private snapshot = false;

  constructor(db: Kysely<Tables>, engine: Engine, pipeline: Pipeline | null = null, sendNow: SendNow | null = null) {
    this.db = db.withPlugin(new ForgetOnWrite(this.cache));
    this.engine = engine;
    this.pipeline = pipeline;
    this.sendNow = sendNow;
  }

  get inTransaction(): boolean {
    return this.depth > 0;
  }

  /**
   * Writes the program need not wait for (a file of a batch: batch-record.ts): the next file is read and checked while
   * the server stores this one. Every later use of the session waits for them first (settle), and the first one that
   * failed is thrown there. Their own failure must leave the transaction as it was before them (a savepoint undone).
   */
  writeBehind(write: Promise<void>): void {
    const before = this.behind;
    this.behind = (before ? before.then(() => write) : write).catch((e: unknown) => {
      this.behindFailure ??= e;
    });
  }

  /** Waits for the writes on their way; throws the failure of one, once. */
  async settle(): Promise<void> {
    const behind = this.behind;
    if (behind) {
      await behind;
      if (this.behind === behind) this.behind = null;
    }
    const failure = this.behindFailure;
    this.behindFailure = null;
    if (failure) throw failure;
  }

  async begin(): Promise<void> {
    await this.settle();
    await this.endReadSnapshot();
    await sql.raw(this.engine === 'sqlite' ? 'BEGIN IMMEDIATE' : 'BEGIN').execute(this.db);
    this.depth = 1;
    if (this.engine === 'postgres') await sql`SELECT pg_advisory_xact_lock(${WRITE_LOCK})`.execute(this.db);
    this.cache.switch(true);
  }

  async commit(): Promise<void> {
    // A file whose writes failed is said before anything is committed; the transaction stays open for the rest.
    await this.settle();
    try {
      await sql.raw('COMMIT').execute(this.db);
    } finally {
      this.depth = 0;
      this.cache.switch(false);
    }
  }

  async rollback(): Promise<void> {
    // Everything of the transaction goes, whatever failed in it.
    await this.settle().catch(() => undefined);
    try {
      await sql.raw('ROLLBACK').execute(this.db);
    } finally {
      this.depth = 0;
      this.cache.switch(false);
    }
  }

  /**
   * From now on, every read sees one snapshot of the store (REPEATABLE READ on PostgreSQL; a read transaction on
   * SQLite): a command that only reads (status, score, report) never mixes what another analyst committed meanwhile.
   */
  async openReadSnapshot(): Promise<void> {
    if (this.depth > 0 || this.snapshot) return;
    await sql.raw(this.engine === 'sqlite' ? 'BEGIN' : 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY').execute(this.db);
    this.snapshot = true;
  }

  async endReadSnapshot(): Promise<void> {
    if (!this.snapshot) return;
    this.snapshot = false;
    await sql.raw('COMMIT').execute(this.db);
  }

  /**
   * The rows of a read that runs once or more a file (ingest's hot path): on PostgreSQL prepared once per connection
   * (the pipeline names it), which spares the server its parse and plan each time; elsewhere as the query layer runs it.
   */
  async rowsOf<R>(q: CompiledQuery<R>): Promise<R[]> {
    await this.settle();
    if (!this.pipeline) return (await this.db.executeQuery(q)).rows;
    return (await this.pipeline([{ text: q.sql, values: [...q.parameters] }]))[0].rows as R[];
  }

  /** A line of the journal, in the current transaction (kept in the database: the journal of a shared store). */
  async writeJournal(entry: JournalEntry, submissionId: number | null): Promise<void> {
    await this.db.insertInto('journal').values({ submission_id: submissionId, line: JSON.stringify(entry), end_offset: null }).execute();
  }

  /** Runs fn in one write transaction; inside one already open, in a savepoint: all or nothing either way. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    await this.settle();
    if (this.depth > 0) {
      const name = `hoctap_${++this.savepoints}`;
      await sql.raw(`SAVEPOINT ${name}`).execute(this.db);
      this.depth++;
      try {
        const result = await fn();
        await sql.raw(`RELEASE SAVEPOINT ${name}`).execute(this.db);
        return result;
      } catch (e) {
        await sql.raw(`ROLLBACK TO SAVEPOINT ${name}`).execute(this.db);
        await sql.raw(`RELEASE SAVEPOINT ${name}`).execute(this.db);
        throw e;
      } finally {
        this.depth--;
      }
    }
    await this.begin();
    try {
      const result = await fn();
      await this.commit();
      return result;
    } catch (e) {
      if (this.depth > 0) await this.rollback();
      throw e;
    }
  }
}
