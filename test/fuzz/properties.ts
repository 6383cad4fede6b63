/**
 * The fuzz suites: each a workspace holding valid figures, an arbitrary mutation plan, and a run that builds the
 * mutated file(s) from the valid bases and ingests them under the harness's properties. Shared by the vitest files
 * (a fixed seed, few runs) and scripts/fuzz.ts (long runs, replay).
 */
import fc from 'fast-check';
import ExcelJS from 'exceljs';
import type { FileResult } from '../../src/ingest/types.ts';
import { fieldCells } from '../../fixtures/fill.ts';
import { addRows, editPart, sheetPart } from '../helpers/hostile.ts';
import { bases, CSV_UNIT, EMAIL_NAMES, VALID_UNITS, XLSX_UNITS, type Bases } from './bases.ts';
import { disposeFuzz, fuzzWorkspace, ingestChecked, ingestCli, must, summary, type Fuzz, type InputFile } from './harness.ts';
import { byteMutation, mutateBytes, mutatePart, mutateValues, partMutation, valueMutation, type ByteMutation, type PartMutation, type ValueMutation } from './mutate-xlsx.ts';
import { csvPlan, mustNotAccept, mutateCsv, type CsvPlan } from './mutate-csv.ts';
import { emlMutation, mutateEml, type EmlMutation } from './mutate-eml.ts';

export interface Context { fz: Fuzz; bases: Bases; inputs: Map<string, { part: string; cell: string }[]>; validVersion: number }

/** Outcomes seen, by kind (accepted, held, rejected, duplicate): a suite that never refuses or never accepts tests little. */
export type Tally = Map<string, number>;

export interface Suite<T> {
  name: string;
  what: string;
  arbitrary: fc.Arbitrary<T>;
  run: (ctx: Context, plan: T, tally: Tally) => Promise<void>;
  /** Through the CLI (seconds a case): fewer runs, and a failure is reported as found, not shrunk. */
  cli?: boolean;
}

const count = (tally: Tally, results: FileResult[]) => {
  for (const r of results) {
    const k = r.held ? 'held' : r.status;
    tally.set(k, (tally.get(k) ?? 0) + 1);
  }
};

/** Where each unit's input cells sit (sheet part, A1), read once from its valid workbook. */
async function inputCells(xlsx: Buffer): Promise<{ part: string; cell: string }[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(xlsx as unknown as ArrayBuffer);
  const parts = new Map<string, string>();
  return [...fieldCells(wb).values()].map((e) => {
    if (!parts.has(e.sheet)) parts.set(e.sheet, sheetPart(xlsx, e.sheet));
    return { part: parts.get(e.sheet)!, cell: e.cell };
  });
}

const inputsCache = new Map<string, { part: string; cell: string }[]>();

/** A workspace with every base ingested (the valid files of the batch units too). */
export async function setup(label: string): Promise<Context> {
  const probe = await fuzzWorkspace(`${label}-probe`, []);
  const b = await bases(probe.ws);
  disposeFuzz(probe);
  const valid: InputFile[] = [...b.xlsx].map(([code, bytes]) => ({ name: `${code}.xlsx`, bytes }));
  valid.push({ name: `${CSV_UNIT}.csv`, bytes: b.csv });
  for (const u of VALID_UNITS) valid.push(await b.valid(u, 0));
  if (!inputsCache.size) for (const [code, bytes] of b.xlsx) inputsCache.set(code, await inputCells(bytes));
  const inputs = inputsCache;
  // The base e-mails' attachments are new files of Q3 and SGDDT: ingested as the e-mail suite's first cases.
  return { fz: await fuzzWorkspace(label, valid), bases: b, inputs, validVersion: 0 };
}

export function teardown(ctx: Context | undefined): void {
  if (ctx) disposeFuzz(ctx.fz);
}

const unit = fc.constantFrom(...XLSX_UNITS);

// ------------------------------------------------------------------------------------------------- damaged files

export type Damage =
  | { level: 'zip'; unit: string; mutations: ByteMutation[] }
  | { level: 'xml'; unit: string; mutation: PartMutation }
  | { level: 'values'; unit: string; values: ValueMutation[] }
  | { level: 'csv'; plan: CsvPlan }
  | { level: 'eml'; base: (typeof EMAIL_NAMES)[number]; mutations: EmlMutation[] };

export const damage = {
  zip: fc.record({ level: fc.constant('zip' as const), unit, mutations: fc.array(byteMutation, { minLength: 1, maxLength: 3 }) }),
  xml: fc.record({ level: fc.constant('xml' as const), unit, mutation: partMutation }),
  values: fc.record({ level: fc.constant('values' as const), unit, values: fc.array(valueMutation, { minLength: 1, maxLength: 3 }) }),
  csv: fc.record({ level: fc.constant('csv' as const), plan: csvPlan }),
  eml: fc.record({ level: fc.constant('eml' as const), base: fc.constantFrom(...EMAIL_NAMES), mutations: fc.array(emlMutation, { minLength: 1, maxLength: 2 }) }),
};

export const anyDamage: fc.Arbitrary<Damage> = fc.oneof(damage.zip, damage.xml, damage.values, damage.csv, damage.eml);

/** The damaged file a plan describes. */
export function damaged(ctx: Context, d: Damage): InputFile {
  switch (d.level) {
    case 'zip': return { name: `${d.unit}-zip.xlsx`, bytes: d.mutations.reduce(mutateBytes, ctx.bases.xlsx.get(d.unit)!) };
    case 'xml': return { name: `${d.unit}-xml.xlsx`, bytes: mutatePart(ctx.bases.xlsx.get(d.unit)!, d.mutation).bytes };
    case 'values': return { name: `${d.unit}-values.xlsx`, bytes: mutateValues(ctx.bases.xlsx.get(d.unit)!, ctx.inputs.get(d.unit)!, d.values) };
    case 'csv': return { name: `${CSV_UNIT}.csv`, bytes: mutateCsv(ctx.bases.csv, d.plan) };
    case 'eml': return { name: `${d.base}.eml`, bytes: d.mutations.reduce(mutateEml, ctx.bases.eml.get(d.base)!) };
  }
}

/** One damaged file alone: it ends accepted, held or refused, and the harness's properties hold. */
async function runOne(ctx: Context, d: Damage, tally: Tally): Promise<void> {
  const file = damaged(ctx, d);
  const results = await ingestChecked(ctx.fz, [file]);
  count(tally, results);
  if (d.level === 'csv') {
    // No silent misread: what a strict reading refuses is never accepted.
    const why = mustNotAccept(file.bytes);
    const r = results[0];
    must(!(why && r.status === 'accepted'), `a CSV accepted though ${why} (${summary(results)})`);
  }
}

const single = (name: Damage['level'], what: string): Suite<Damage> => ({ name, what, arbitrary: damage[name] as fc.Arbitrary<Damage>, run: runOne });

// ------------------------------------------------------------------------------------------------------ batches

export interface BatchPlan { damaged: Damage[]; valid: (typeof VALID_UNITS)[number][]; validFirst: boolean }

const batchPlan: fc.Arbitrary<BatchPlan> = fc.record({
  damaged: fc.array(anyDamage, { minLength: 1, maxLength: 4 }),
  valid: fc.subarray([...VALID_UNITS], { minLength: 1 }),
  validFirst: fc.boolean(),
});

/** The batch's files: each valid file a new version of its unit (so that it must be stored, not found a duplicate). */
async function batchFiles(ctx: Context, p: BatchPlan): Promise<{ files: InputFile[]; valid: Set<string> }> {
  const version = ++ctx.validVersion;
  const valid = await Promise.all(p.valid.map((u) => ctx.bases.valid(u, version)));
  const bad = p.damaged.map((d) => damaged(ctx, d));
  return { files: p.validFirst ? [...valid, ...bad] : [...bad, ...valid], valid: new Set(valid.map((v) => v.name)) };
}

/**
 * Each valid file is stored and put in force whatever its neighbours: only an earlier file of the batch taken for
 * the same unit and year (the batch's first-comes rule) may keep it out.
 */
function checkValidStored(results: FileResult[], valid: Set<string>): void {
  results.forEach((r, i) => {
    const name = r.file.replace(/^\d+-/, '');
    if (!valid.has(name)) return;
    const sameUnitBefore = results.slice(0, i).some((o) => o.unit === r.unit && o.year === r.year);
    if (sameUnitBefore && r.messages.some((m) => m.code === 'duplicate_in_batch')) return;
    must(r.status === 'accepted' && !r.held, `valid file ${r.file} not stored beside damaged ones: ${r.status}${r.held ? ' (held)' : ''} — ${r.reason} [${summary(results)}]`);
  });
}

const batch: Suite<BatchPlan> = {
  name: 'batch', what: 'a folder mixing damaged files of every level and valid files',
  arbitrary: batchPlan,
  run: async (ctx, p, tally) => {
    const { files, valid } = await batchFiles(ctx, p);
    const results = await ingestChecked(ctx.fz, files);
    count(tally, results);
    checkValidStored(results, valid);
  },
};

/** Big files for the memory bound: a long CSV of one unit, a sheet of many rows. */
export type Big = 'none' | 'csvRows' | 'sheetRows' | 'nesting';

/**
 * Batches through the CLI; with `big`, a big file now and then (seconds per case: the long runs have them, `npm test`
 * leaves them to the named memory cases of regressions.test.ts).
 */
export const cliSuite = (big: boolean): Suite<BatchPlan & { big: Big }> => ({
  name: 'cli', what: 'the same through the CLI: exit 0 or 1, never 3; peak memory within the bound', cli: true,
  arbitrary: fc.record({
    damaged: fc.array(anyDamage, { minLength: 1, maxLength: 3 }),
    valid: fc.subarray([...VALID_UNITS], { minLength: 1 }),
    validFirst: fc.constant(false),
    big: big
      ? fc.oneof({ weight: 4, arbitrary: fc.constant<Big>('none') }, { weight: 1, arbitrary: fc.constantFrom<Big>('csvRows', 'sheetRows', 'nesting') })
      : fc.constant<Big>('none'),
  }),
  run: async (ctx, p, tally) => {
    const { files, valid } = await batchFiles(ctx, p);
    if (p.big !== 'none') files.unshift(bigFile(ctx, p.big));
    const out = ingestCli(ctx.fz, files);
    count(tally, out.files);
    checkValidStored(out.files, valid);
  },
});

/** A CSV of 100,000 rows of one unit (about 15 MB), a sheet with 500,000 more rows, or a sheet nested 200,000 deep. */
export function bigFile(ctx: Context, big: Exclude<Big, 'none'>): InputFile {
  if (big === 'csvRows') {
    const lines = ctx.bases.csv.toString('utf8').trimEnd().split('\r\n');
    // The data lines without a note of their own (the first has one, quoted), each given a long note.
    const rows = lines.slice(2);
    const note = 'ghi chú số liệu của đơn vị, theo báo cáo tổng hợp năm, đã đối chiếu sổ sách';
    const out = [lines[0]];
    for (let i = 0; out.length <= 100_000; i++) out.push(`${rows[i % rows.length].slice(0, -1)},"${note} ${i}"`);
    return { name: 'STC-lon.csv', bytes: Buffer.from(out.join('\r\n') + '\r\n', 'utf8') };
  }
  const base = ctx.bases.xlsx.get('CHUYENGIA')!;
  if (big === 'nesting') return { name: 'CHUYENGIA-nested.xlsx', bytes: mutatePart(base, { part: { where: 'read', n: 0, name: sheetPart(base, 'ChiSo') }, mutations: [{ kind: 'nest', depth: 200_000, at: 0.5 }] }).bytes };
  return { name: 'CHUYENGIA-rows.xlsx', bytes: editPart(base, sheetPart(base, 'ChiSo'), (xml) => addRows(xml, 500_000)) };
}

export const SUITES = {
  zip: single('zip', 'the whole file\'s bytes: truncated, bit-flipped, overwritten, spliced'),
  xml: single('xml', 'one XML part inside a sound zip: flips, cuts, deletions, DOCTYPE and entities, deep nesting, odd cells and references, invalid UTF-8'),
  values: single('values', 'input cell values and types written into the sheet XML'),
  csv: single('csv', 'CSV structure and encoding'),
  eml: single('eml', 'MIME structure of saved e-mails'),
  batch,
  cli: cliSuite(true),
} as const;

export type SuiteName = keyof typeof SUITES;
