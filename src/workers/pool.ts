/**
 * A small pool of worker threads (node:worker_threads) that run jobs of one kind: the main thread sends a job, a worker
 * answers with its result or its error. Used where a command's CPU work splits into independent jobs (generate-templates
 * builds one workbook per unit on each of the machine's cores).
 *
 * - At most `perWorker` jobs are in a worker at once (the others wait here, in order): memory stays bounded.
 * - A job that throws in the worker rejects with a WorkerJobError (its name, message, stack and, when the worker's
 *   `describe` knows it, the user's one-line reason); the worker goes on with the next job.
 * - A worker that dies (an error outside a job, process.exit, out of memory) rejects the jobs it held, the jobs still
 *   waiting and every job sent after, with a WorkerExit; the other workers finish the jobs they hold.
 *   A pool with a dead worker takes no more jobs.
 * - close() terminates every worker and rejects whatever was still waiting: the caller calls it in a `finally`, so no
 *   worker outlives the work, whatever happened.
 *
 * The worker side is `serveJobs` (its file calls it once). Job and result cross by structured clone; a result may name
 * ArrayBuffers to transfer instead of copy.
 */
import { parentPort, Worker, type Transferable } from 'node:worker_threads';

/** An error thrown by a job in a worker, as the worker described it. */
export interface JobFailure {
  name: string;
  message: string;
  stack: string | null;
  /** The user's one-line reason, when the worker's `describe` knows the error (else null: a bug). */
  known: string | null;
  /** The exit code the error asks for (hoctap's UserError carries one), else null. */
  exitCode: number | null;
}

export class WorkerJobError extends Error {
  readonly failure: JobFailure;
  constructor(failure: JobFailure) {
    super(failure.message);
    this.name = 'WorkerJobError';
    this.failure = failure;
  }
}

/** A worker that stopped before answering (its exit code, and the error that killed it when there was one). */
export class WorkerExit extends Error {
  readonly exitCode: number | null;
  readonly killedBy: Error | null;
  constructor(message: string, exitCode: number | null, killedBy: Error | null) {
    super(message);
    this.name = 'WorkerExit';
    this.exitCode = exitCode;
    this.killedBy = killedBy;
  }
}

type Reply<R> = { id: number; ok: true; value: R } | { id: number; ok: false; failure: JobFailure };
interface Request<J> { id: number; job: J }

interface Pending<R> { id: number; resolve: (value: R) => void; reject: (e: Error) => void }
interface Waiting<J, R> extends Pending<R> { job: J; transfer: Transferable[] }

interface Member<R> { worker: Worker; held: Map<number, Pending<R>> }

export interface PoolOptions {
  /** How many workers (at least 1). */
  size: number;
  /** Given to every worker as its workerData (structured clone). */
  workerData: unknown;
  /** Jobs sent to one worker before it answers (default 2: one being done, one ready). */
  perWorker?: number;
}

export class WorkerPool<J, R> {
  private readonly members: Member<R>[] = [];
  private readonly waiting: Waiting<J, R>[] = [];
  private readonly perWorker: number;
  private nextId = 0;
  /** Set once a worker died (or close() was called): every job sent then rejects with it. */
  private broken: Error | null = null;
  private closed = false;

  constructor(entry: URL, opts: PoolOptions) {
    this.perWorker = Math.max(1, opts.perWorker ?? 2);
    for (let k = 0; k < Math.max(1, opts.size); k++) this.members.push(this.start(entry, opts.workerData));
  }

  /** Runs a job on the least busy worker (or when one is free); `transfer`: buffers of the job moved, not copied. */
  run(job: J, transfer: Transferable[] = []): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      if (this.broken) return reject(this.broken);
      this.waiting.push({ id: this.nextId++, job, transfer, resolve, reject });
      this.dispatch();
    });
  }

  /** Terminates every worker; jobs not answered yet reject. Safe to call more than once. */
  async close(): Promise<void> {
    this.closed = true;
    this.stop(this.broken ?? new WorkerExit('worker pool closed', null, null), this.members);
    await Promise.all(this.members.map((m) => m.worker.terminate().catch(() => undefined)));
  }

  private start(entry: URL, workerData: unknown): Member<R> {
    const member: Member<R> = { worker: new Worker(entry, { workerData }), held: new Map() };
    member.worker.on('message', (reply: Reply<R>) => this.answer(member, reply));
    // An error outside a job kills the worker: 'exit' follows, and says it to every job.
    let killedBy: Error | null = null;
    member.worker.on('error', (e: Error) => { killedBy = e; });
    // An answer that cannot be read back would leave its job waiting for ever: the pool stops instead.
    member.worker.on('messageerror', (e: Error) => this.stop(new WorkerExit(`worker answer unreadable: ${e.message}`, null, e), [member]));
    member.worker.on('exit', (code: number) => {
      if (this.closed) return;
      const why = killedBy ? `worker stopped: ${killedBy.message}` : `worker exited with code ${code}`;
      this.stop(new WorkerExit(why, killedBy ? null : code, killedBy), [member]);
    });
    return member;
  }

  private answer(member: Member<R>, reply: Reply<R>): void {
    const pending = member.held.get(reply.id);
    if (!pending) return;
    member.held.delete(reply.id);
    if (reply.ok) pending.resolve(reply.value);
    else pending.reject(new WorkerJobError(reply.failure));
    this.dispatch();
  }

  /** Sends waiting jobs, in order, to the workers with room, the least busy first. */
  private dispatch(): void {
    while (this.waiting.length && !this.broken) {
      const member = this.members.reduce((a, b) => (b.held.size < a.held.size ? b : a));
      if (member.held.size >= this.perWorker) return;
      const next = this.waiting.shift()!;
      member.held.set(next.id, next);
      try {
        member.worker.postMessage({ id: next.id, job: next.job } satisfies Request<J>, next.transfer);
      } catch (e) {
        // A job that cannot be cloned is the caller's error: this job fails, the pool goes on.
        member.held.delete(next.id);
        next.reject(e as Error);
      }
    }
  }

  /** Rejects with `e` the jobs waiting, those `members` hold, and every job sent from now on (with the first such `e`). */
  private stop(e: Error, members: Member<R>[]): void {
    this.broken ??= e;
    const all: Pending<R>[] = [...this.waiting.splice(0), ...members.flatMap((m) => [...m.held.values()])];
    for (const m of members) m.held.clear();
    for (const p of all) p.reject(e);
  }
}

/** What a job's handler returns: its value, and the buffers in it to move to the main thread rather than copy. */
export interface Answer<R> { value: R; transfer?: Transferable[] }

/**
 * The worker's side: answers each job with `handler`, one at a time in the order received. `describe` gives the user's
 * one-line reason for an error it knows (e.g. errors.ts describeError), null for a bug.
 */
export function serveJobs<J, R>(handler: (job: J) => Promise<Answer<R>>, describe: (e: unknown) => string | null = () => null): void {
  const port = parentPort;
  if (!port) throw new Error('serveJobs: not in a worker thread');
  let queue: Promise<void> = Promise.resolve();
  port.on('message', (request: Request<J>) => {
    queue = queue.then(async () => {
      try {
        const answer = await handler(request.job);
        port.postMessage({ id: request.id, ok: true, value: answer.value } satisfies Reply<R>, answer.transfer ?? []);
      } catch (e) {
        port.postMessage({ id: request.id, ok: false, failure: failureOf(e, describe) } satisfies Reply<R>);
      }
    });
  });
}

function failureOf(e: unknown, describe: (e: unknown) => string | null): JobFailure {
  const err = e instanceof Error ? e : new Error(String(e));
  const exitCode = (err as { exitCode?: unknown }).exitCode;
  let known: string | null;
  try {
    known = describe(e);
  } catch {
    known = null;
  }
  return { name: err.name, message: err.message, stack: err.stack ?? null, known, exitCode: typeof exitCode === 'number' ? exitCode : null };
}
