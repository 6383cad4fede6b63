/**
 * One open SQLite database and what belongs to it alone: its journal file, whether the open transaction wrote journal
 * lines, its prepared statements and its savepoint names. Transactions, and the journal lines written with them.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { appendToJournal, type JournalEntry } from '../journal.ts';

export class SqliteConnection {
  readonly db: DatabaseSync;
  /** The journal file committed lines are appended to; null: they are kept in the database only. */
  readonly journalFile: string | null;
  private pending = false;
  private savepoints = 0;
  /** A read snapshot is open (openReadSnapshot): ended before a write transaction begins. */
  private snapshot = false;
  private readonly statements = new Map<string, StatementSync>();

  constructor(db: DatabaseSync, journalFile: string | null) {
    this.db = db;
    this.journalFile = journalFile;
  }

  /**
   * A prepared statement, prepared once per connection: ingest runs the same few statements for every file, and
   * preparing them again each time showed in the profile of 3,000 files.
   */
  statement(sql: string): StatementSync {
    let st = this.statements.get(sql);
    if (!st) this.statements.set(sql, (st = this.db.prepare(sql)));
    return st;
  }

  /**
   * Adds a line to the journal, in the current transaction; it reaches the file when the transaction commits.
   * `submissionId`: the submission the line is about (stored, or put in force), if any.
   */
  writeJournal(entry: JournalEntry, submissionId: number | null): void {
    this.statement('INSERT INTO journal (submission_id, line) VALUES (?, ?)').run(submissionId, JSON.stringify(entry));
    this.pending = true;
  }

  /** Opens a write transaction (BEGIN IMMEDIATE: waits for other writers instead of failing). */
  begin(): void {
    this.endReadSnapshot();
    this.db.exec('BEGIN IMMEDIATE');
  }

  /** From now on every read sees one snapshot of the database (a read transaction), until a write begins. */
  openReadSnapshot(): void {
    if (this.db.isTransaction) return;
    this.db.exec('BEGIN');
    this.snapshot = true;
  }

  endReadSnapshot(): void {
    if (!this.snapshot) return;
    this.snapshot = false;
    if (this.db.isTransaction) this.db.exec('COMMIT');
  }

  /**
   * Commits the current transaction. Its journal lines are appended to the journal file (fsync'd) first, and where
   * each ends in the file recorded in the transaction: a crash before COMMIT leaves lines the next writer marks void.
   * Without a journal file (rebuild's new database) the lines wait in the database.
   */
  commit(): void {
    if (this.pending && this.journalFile) {
      const rows = this.statement('SELECT seq, line FROM journal WHERE end_offset IS NULL ORDER BY seq').all() as { seq: number; line: string }[];
      if (rows.length) {
        const setOffset = this.statement('UPDATE journal SET end_offset = ? WHERE seq = ?');
        const written = appendToJournal(this.journalFile, this.committedJournalLength(), rows.map((r) => r.line), () => {
          // The file was cut: written again from the lines committed before, whose ends move accordingly.
          const committed = this.db.prepare('SELECT seq, line FROM journal WHERE end_offset IS NOT NULL ORDER BY seq').all() as { seq: number; line: string }[];
          return { lines: committed.map((r) => r.line), ended: (ends: number[]) => committed.forEach((r, i) => setOffset.run(ends[i], r.seq)) };
        });
        rows.forEach((r, i) => setOffset.run(written[i], r.seq));
      }
    }
    this.db.exec('COMMIT');
    this.pending = false;
  }

  rollback(): void {
    this.db.exec('ROLLBACK');
    this.pending = false;
  }

  get inTransaction(): boolean {
    return this.db.isTransaction && !this.snapshot;
  }

  /** The journal file's length as the database knows it: where its last committed line ends. */
  committedJournalLength(): number {
    const last = this.statement('SELECT end_offset FROM journal WHERE end_offset IS NOT NULL ORDER BY seq DESC LIMIT 1').get() as { end_offset: number } | undefined;
    return Number(last?.end_offset ?? 0);
  }

  /** Runs fn in one write transaction; inside one already open, in a savepoint: all or nothing either way. */
  run<T>(fn: () => T): T {
    if (this.inTransaction) {
      const name = this.savepoint();
      try {
        const result = fn();
        this.db.exec(`RELEASE ${name}`);
        return result;
      } catch (e) {
        this.undo(name);
        throw e;
      }
    }
    this.begin();
    try {
      const result = fn();
      this.commit();
      return result;
    } catch (e) {
      if (this.db.isTransaction) this.rollback();
      throw e;
    }
  }

  /** run, for work that awaits (the caller's steps between the store's writes). */
  async runAsync<T>(fn: () => Promise<T>): Promise<T> {
    if (this.inTransaction) {
      const name = this.savepoint();
      try {
        const result = await fn();
        this.db.exec(`RELEASE ${name}`);
        return result;
      } catch (e) {
        if (this.db.isTransaction) this.undo(name);
        throw e;
      }
    }
    this.begin();
    try {
      const result = await fn();
      this.commit();
      return result;
    } catch (e) {
      if (this.db.isTransaction) this.rollback();
      throw e;
    }
  }

  private savepoint(): string {
    const name = `hoctap_${++this.savepoints}`;
    this.db.exec(`SAVEPOINT ${name}`);
    return name;
  }

  private undo(name: string): void {
    this.db.exec(`ROLLBACK TO ${name}`);
    this.db.exec(`RELEASE ${name}`);
  }
}
