/**
 * Long fuzz runs of ingest (test/fuzz): `npm run fuzz -- --runs N --seed S` runs every suite N times (the CLI suite
 * N/20 times: each case starts hoctap) and stops a suite at its first broken property, printing the seed, the path
 * and the shrunk mutation; `--only xml,csv` picks suites; `--path P` with the same seed replays one case;
 * `--survey` runs every case whatever breaks and lists each distinct fault once, with its first case.
 * Exit code: 0 when nothing broke, 1 otherwise.
 */
import { parseArgs } from 'node:util';
import { SUITES, type SuiteName } from '../test/fuzz/properties.ts';
import { runSuite, surveySuite } from '../test/fuzz/run.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '1000' },
    seed: { type: 'string' },
    only: { type: 'string' },
    path: { type: 'string' },
    survey: { type: 'boolean', default: false },
  },
});
const seed = values.seed !== undefined ? Number(values.seed) : Date.now() % 2 ** 31;
const runs = Number(values.runs);
const names = (values.only ? values.only.split(',') : Object.keys(SUITES)) as SuiteName[];
for (const n of names) if (!(n in SUITES)) throw new Error(`--only: no suite "${n}" (suites: ${Object.keys(SUITES).join(', ')})`);

console.log(`fuzz: seed ${seed}, ${runs} runs per suite${values.path ? `, replaying path ${values.path}` : ''}`);
let broken = 0;
for (const name of names) {
  const suite = SUITES[name] as Parameters<typeof runSuite>[0];
  const n = suite.cli ? Math.max(1, Math.ceil(runs / 20)) : runs;
  const started = Date.now();
  const tallyText = (t: Map<string, number>) => [...t].map(([k, v]) => `${k} ${v}`).join(', ');
  if (values.survey) {
    const out = await surveySuite(suite, { seed, runs: n });
    console.log(`\n${name}: ${n} cases in ${((Date.now() - started) / 1000).toFixed(0)} s (${tallyText(out.tally)}); ${out.faults.length} distinct faults`);
    for (const f of out.faults) console.log(`  ${f.count}× ${f.message.slice(0, 400)}\n     first: case ${f.first.index} of seed ${seed}: ${f.first.plan.slice(0, 600)}`);
    broken += out.faults.length;
    continue;
  }
  const out = await runSuite(suite, { seed, runs: n, path: values.path });
  console.log(`\n${name}: ${out.runs} cases in ${((Date.now() - started) / 1000).toFixed(0)} s (${tallyText(out.tally)})`);
  if (out.failure) {
    broken++;
    console.log(out.failure);
  }
}
console.log(broken ? `\nfuzz: ${broken} ${values.survey ? 'faults' : 'suites broke'} (seed ${seed})` : `\nfuzz: nothing broke (seed ${seed})`);
process.exitCode = broken ? 1 : 0;
