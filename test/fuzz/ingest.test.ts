/**
 * Property-based fuzzing of ingest, one file at a time, from valid filled templates, a CSV export and saved e-mails
 * mutated at every level (test/fuzz/properties.ts). A fixed seed and a few hundred cases in all; `npm run fuzz` runs
 * them long (docs/development.md, "Fuzz"). FUZZ_SEED and FUZZ_SCALE (a multiplier of the runs) change them here.
 */
import { describe, expect, it } from 'vitest';
import { SUITES, type SuiteName } from './properties.ts';
import { runSuite } from './run.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20_241_210);
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
const RUNS: Partial<Record<SuiteName, number>> = { zip: 30, xml: 100, values: 40, csv: 80, eml: 40 };

describe('nhập tệp bị biến đổi ngẫu nhiên, từng tệp một (fuzz)', () => {
  for (const [name, runs] of Object.entries(RUNS) as [SuiteName, number][]) {
    const suite = SUITES[name];
    it(`${name}: ${suite.what}`, async () => {
      const out = await runSuite(suite as Parameters<typeof runSuite>[0], { seed: SEED, runs: Math.ceil(runs * SCALE) });
      expect(out.failure, out.failure ?? '').toBeNull();
      // The mutations reach both ends (otherwise the properties see nothing): some files refused, some taken.
      expect(out.tally.get('rejected') ?? 0, JSON.stringify([...out.tally])).toBeGreaterThan(0);
      // (A zip damaged as a whole is nearly always refused: its CRCs no longer match.)
      if (name !== 'zip') expect((out.tally.get('accepted') ?? 0) + (out.tally.get('held') ?? 0) + (out.tally.get('duplicate') ?? 0), JSON.stringify([...out.tally])).toBeGreaterThan(0);
    });
  }
});
