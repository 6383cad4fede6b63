/**
 * The one connection of a PostgreSQL store's session (a pool of one, so that transactions, savepoints and locks hold),
 * shared by the query layer (Kysely takes `forQueryLayer` as its pool), the statements sent as SQL and parameters
 * (`pipeline`), and the writes sent now (`sendNow`): a file's writes written to the socket at once, in one message, so
 * that the server stores the file while hoctap reads the next one (src/store/sql/batch-record.ts). A write sent now
 * is waited for by every later use of the connection.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import type { Pipeline, Statement } from '../sql/session.ts';

/** A parameter written as an SQL literal (the simple protocol of one message carries no parameters). */
function literal(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'string') return pg.escapeLiteral(v);
  throw new Error(`không viết được giá trị ${typeof v} thành SQL`);
}

/** The statement with its parameters in place ($n never appears in hoctap's statements but as a parameter). */
const inline = (st: Statement) => st.text.replace(/\$(\d+)/g, (_, n: string) => literal(st.values[Number(n) - 1]));

export class OneConnection {
  private readonly pool: pg.Pool;
  /** The connection, once the pool has made it. */
  private client: pg.PoolClient | null = null;
  /** The write sent now and not yet done (never rejects: its caller is told). */
  private sent: Promise<void> = Promise.resolve();
  private sending = false;
  private readonly names = new Map<string, string>();

  constructor(pool: pg.Pool) {
    this.pool = pool;
  }

  /** What the query layer takes as its pool: each checkout first waits for a write sent now. */
  readonly forQueryLayer: { connect: () => Promise<pg.PoolClient>; end: () => Promise<void>; readonly options: object } = {
    connect: async () => {
      await this.sent;
      const client = await this.pool.connect();
      this.client = client;
      return client;
    },
    end: () => this.pool.end(),
    options: {},
  };

  /** Named: the server parses and plans a statement once per connection, not at each file (a few texts a run). */
  private named(st: Statement) {
    const name = st.values.length
      ? this.names.get(st.text) ?? this.names.set(st.text, `hoctap_${createHash('sha1').update(st.text).digest('hex').slice(0, 20)}`).get(st.text)!
      : undefined;
    return { name, text: st.text, values: st.values };
  }

  readonly pipeline: Pipeline = async (statements, undo = []) => {
    const client = await this.forQueryLayer.connect();
    try {
      const out = [];
      for (const st of statements) {
        const r = await client.query(this.named(st));
        out.push({ rowCount: r.rowCount, rows: r.rows as Record<string, unknown>[] });
      }
      return out;
    } catch (e) {
      for (const st of undo) await client.query(this.named(st)).catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  };

  /**
   * Writes the statements to the socket now, as one message, when the connection is idle (else null: use pipeline).
   * On a failure, `undo` runs before anything else can use the connection, and the promise rejects.
   */
  sendNow(statements: Statement[], undo: Statement[]): Promise<void> | null {
    const client = this.client;
    if (!client || this.sending || this.pool.idleCount !== 1 || this.pool.totalCount !== 1) return null;
    this.sending = true;
    const done = client.query(statements.map(inline).join(';\n')).then(() => undefined, async (e: unknown) => {
      for (const st of undo) await client.query(inline(st)).catch(() => undefined);
      throw e;
    }).finally(() => {
      this.sending = false;
    });
    this.sent = done.catch(() => undefined);
    return done;
  }
}
