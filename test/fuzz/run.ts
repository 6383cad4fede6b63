/**
 * Runs a suite with fast-check, the seed fixed, and says a failure the way it can be replayed: the suite, the seed,
 * the path of the shrunk case, the shrunk plan and what broke (`npm run fuzz -- --only S --seed N --path P`).
 * The workspace is started afresh every ROTATE cases (the store grows with each file taken, and so do the checks).
 */
import fc from 'fast-check';
import { setup, teardown, type Context, type Suite, type Tally } from './properties.ts';

const ROTATE = 150;

export interface RunOptions { seed: number; runs: number; path?: string }

export interface SuiteOutcome { name: string; tally: Tally; runs: number; failure: string | null }

/** A suite's workspace, started afresh every ROTATE cases. */
export class Workspaces {
  private ctx: Context | undefined;
  private cases = 0;
  private readonly label: string;
  constructor(label: string) {
    this.label = label;
  }
  async get(): Promise<Context> {
    if (this.ctx && this.cases++ >= ROTATE) this.dispose();
    if (!this.ctx) {
      this.ctx = await setup(this.label);
      this.cases = 1;
    }
    return this.ctx;
  }
  dispose(): void {
    teardown(this.ctx);
    this.ctx = undefined;
  }
}

export async function runSuite<T>(suite: Suite<T>, o: RunOptions): Promise<SuiteOutcome> {
  const spaces = new Workspaces(suite.name);
  const tally: Tally = new Map();
  try {
    const details = await fc.check(fc.asyncProperty(suite.arbitrary, async (plan) => suite.run(await spaces.get(), plan, tally)), {
      seed: o.seed, numRuns: o.runs, path: o.path, endOnFailure: suite.cli === true,
    });
    if (!details.failed) return { name: suite.name, tally, runs: details.numRuns, failure: null };
    const err = details.errorInstance as Error | undefined;
    return {
      name: suite.name, tally, runs: details.numRuns,
      failure: [
        `fuzz suite "${suite.name}" broke after ${details.numRuns} runs (${details.numShrinks} shrinks)`,
        `seed ${details.seed}, path ${details.counterexamplePath}`,
        `replay: npm run fuzz -- --only ${suite.name} --seed ${details.seed} --path ${details.counterexamplePath}`,
        `shrunk mutation: ${fc.stringify(details.counterexample?.[0])}`,
        `what broke: ${err?.message ?? String(details.errorInstance)}`,
      ].join('\n'),
    };
  } finally {
    spaces.dispose();
  }
}

export interface Fault { key: string; message: string; count: number; first: { index: number; plan: string } }

/**
 * Every distinct fault of `runs` cases (not only the first): the cases fast-check generates for the seed, each run
 * whatever the others did; faults grouped by their message with numbers and quoted values taken out.
 */
export async function surveySuite<T>(suite: Suite<T>, o: RunOptions): Promise<{ tally: Tally; faults: Fault[] }> {
  const spaces = new Workspaces(suite.name);
  const tally: Tally = new Map();
  const faults = new Map<string, Fault>();
  try {
    const plans = fc.sample(suite.arbitrary, { seed: o.seed, numRuns: o.runs });
    for (const [index, plan] of plans.entries()) {
      try {
        await suite.run(await spaces.get(), plan, tally);
      } catch (e) {
        const message = (e as Error)?.message ?? String(e);
        const key = faultKey(message);
        const f = faults.get(key);
        if (f) f.count++;
        else faults.set(key, { key, message, count: 1, first: { index, plan: fc.stringify(plan) } });
        tally.set('fault', (tally.get('fault') ?? 0) + 1);
      }
    }
  } finally {
    spaces.dispose();
  }
  return { tally, faults: [...faults.values()].sort((a, b) => b.count - a.count) };
}

/** A fault's message without what varies from file to file (numbers, file names, quoted values, stack lines). */
export function faultKey(message: string): string {
  return message.split(' | ')[0]
    .replace(/\(\d+-[^)]*\)/g, '')
    .replace(/"[^"]*"|“[^”]*”/g, '"…"')
    .replace(/\b\d+(\.\d+)?\b/g, 'N')
    .replace(/\d+-[\w.-]+\.(xlsx|csv|eml)/g, 'FILE')
    .slice(0, 160);
}
