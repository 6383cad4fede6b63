/**
 * Property-based fuzzing of ingest on batches: folders that mix damaged files of every level (zip, XML parts, cell
 * values, CSV, e-mail) with valid files of other units. Each valid file is stored whatever its neighbours; through the
 * CLI, the exit code is 0 or 1 (never the unexpected error's 3) and peak memory stays within 300 MB.
 */
import { describe, expect, it } from 'vitest';
import { cliSuite, SUITES } from './properties.ts';
import { runSuite } from './run.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20_241_210);
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);

describe('nhập một thư mục lẫn tệp hỏng và tệp đúng (fuzz)', () => {
  it(`batch: ${SUITES.batch.what}`, async () => {
    const out = await runSuite(SUITES.batch, { seed: SEED, runs: Math.ceil(10 * SCALE) });
    expect(out.failure, out.failure ?? '').toBeNull();
    expect(out.tally.get('accepted') ?? 0, JSON.stringify([...out.tally])).toBeGreaterThanOrEqual(10);
  });

  it(`cli: ${SUITES.cli.what}`, async () => {
    // Without big files here: regressions.test.ts measures them by name.
    const out = await runSuite(cliSuite(false), { seed: SEED, runs: Math.ceil(4 * SCALE) });
    expect(out.failure, out.failure ?? '').toBeNull();
    expect(out.tally.get('accepted') ?? 0, JSON.stringify([...out.tally])).toBeGreaterThanOrEqual(4);
  });
});
