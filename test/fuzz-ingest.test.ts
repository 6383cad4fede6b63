/**
 * Property-based tests of ingest against mutated workbooks: random cell values and types typed over the inputs,
 * `_meta` rows deleted or edited, sheets removed or renamed, and the zip itself truncated, bit-flipped or overwritten.
 * Whatever the file, ingest must not crash, must never store a value that breaks its kind's rules, and a file it does
 * not accept must leave every accepted figure in the store exactly as it was.
 * Bounded for CI: FUZZ_INGEST_RUNS (default 40) workbooks per property; the seed is fixed (FUZZ_SEED) and fast-check
 * prints it, with the shrunk mutation plan, on failure.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIRECTION_LABELS } from '../src/catalog/types.ts';
import { openWorkspace, type Unit, type Workspace } from '../src/catalog/workspace.ts';
import { ingest } from '../src/ingest/ingest.ts';
import { columnNumber } from '../src/xlsx/a1.ts';
import { exceljsWorkbookView } from '../src/xlsx/exceljs-view.ts';
import { parseMeta } from '../src/xlsx/meta.ts';
import { cellString } from '../src/xlsx/view.ts';
import { KIND_RANGES, normaliseValue, TEXT_MAX_CHARS, type InputKind } from '../src/ingest/values.ts';
import { fastWorkbook, Unsupported } from '../src/xlsx/fast.ts';
import { explanationFieldId } from '../src/catalog/ids.ts';
import { sniffFile } from '../src/ingest/zip-check.ts';
import { buildTemplateWorkbook } from '../src/templates/generate.ts';
import { indicatorsForUnit } from '../src/catalog/workspace.ts';
import { META_SHEET, SHEETS } from '../src/xlsx/meta.ts';
import { acceptedDump as storeDump } from './helpers/accepted.ts';
import { fieldCells, fillTemplate, plausibleValues } from '../fixtures/fill.ts';
import { tempDir } from './helpers/tools.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20_241_210);
const RUNS = Number(process.env.FUZZ_INGEST_RUNS ?? 40);
const YEAR = 2024;
const RECEIVED = new Date(Date.UTC(YEAR, 10, 20));

let root: string;
let ws: Workspace;
/** Units whose templates together hold every field kind (a local unit, two departments, the expert panel). */
let units: Unit[];
/** The filled, valid workbook of each unit (accepted as it is). */
const base = new Map<string, Buffer>();
let fileNo = 0;

function db(): DatabaseSync {
  return new DatabaseSync(ws.dbPath, { readOnly: true });
}

const acceptedDump = () => storeDump(ws.dbPath);

/** Every stored value obeys its own kind's rules, whatever submission it belongs to; statuses agree with error counts. */
function checkStoreRules(): void {
  if (!fs.existsSync(ws.dbPath)) return;
  const d = db();
  try {
    const values = d.prepare('SELECT submission_id, field_id, indicator_id, value_num, value_text FROM field_values').all() as
      { submission_id: number; field_id: string; indicator_id: string; value_num: number | null; value_text: string | null }[];
    for (const v of values) {
      const where = `submission ${v.submission_id}, ${v.field_id} = ${JSON.stringify(v.value_num ?? v.value_text)}`;
      // An indicator's explanation (Giải trình) is stored as a text of its indicator, never as a figure.
      if (v.field_id === explanationFieldId(v.indicator_id)) {
        expect(v.value_num, where).toBeNull();
        expect(typeof v.value_text, where).toBe('string');
        continue;
      }
      // A narrative section's activity figure: a count of no indicator.
      const activity = ws.catalog.narratives.flatMap((n) => n.figures).find((f) => f.id === v.field_id);
      const field = ws.catalog.fieldById.get(v.field_id) ?? (activity && { kind: 'count' as const, indicatorId: '' });
      expect(field, `${where}: unknown field stored`).toBeDefined();
      expect(field!.indicatorId, where).toBe(v.indicator_id);
      if (field!.kind === 'percent' || field!.kind === 'count' || field!.kind === 'number' || field!.kind === 'rating') {
        const r = KIND_RANGES[field!.kind];
        expect(typeof v.value_num, where).toBe('number');
        expect(Number.isFinite(v.value_num), where).toBe(true);
        expect(v.value_num!, where).toBeGreaterThanOrEqual(r.min);
        if (r.max !== null) expect(v.value_num!, where).toBeLessThanOrEqual(r.max);
        if (r.integer) expect(Number.isInteger(v.value_num), where).toBe(true);
      } else if (field!.kind === 'direction') {
        expect([DIRECTION_LABELS.up, DIRECTION_LABELS.down], where).toContain(v.value_text);
      } else {
        expect(typeof v.value_text, where).toBe('string');
        expect(v.value_text!.length, where).toBeGreaterThan(0);
        expect(v.value_text!.length, where).toBeLessThanOrEqual(TEXT_MAX_CHARS);
      }
    }
    const subs = d.prepare('SELECT id, unit_code, year, status, error_count, value_count FROM submissions').all() as
      { id: number; unit_code: string; year: number; status: string; error_count: number; value_count: number }[];
    const counts = new Map((d.prepare('SELECT submission_id, count(*) AS n FROM field_values GROUP BY submission_id').all() as { submission_id: number; n: number }[]).map((r) => [r.submission_id, r.n]));
    const acceptedPerUnit = new Map<string, number>();
    for (const s of subs) {
      expect(['accepted', 'rejected', 'superseded', 'held']).toContain(s.status); // held: a resubmission that drops figures (issue 12)
      if (s.status === 'rejected') expect(s.error_count, `submission ${s.id}`).toBeGreaterThan(0);
      else expect(s.error_count, `submission ${s.id}`).toBe(0);
      expect(counts.get(s.id) ?? 0, `submission ${s.id}: value_count`).toBe(s.value_count);
      if (s.status === 'accepted') acceptedPerUnit.set(`${s.unit_code}|${s.year}`, (acceptedPerUnit.get(`${s.unit_code}|${s.year}`) ?? 0) + 1);
    }
    for (const [k, n] of acceptedPerUnit) expect(n, `accepted submissions of ${k}`).toBe(1);
    const narratives = d.prepare('SELECT text FROM narratives').all() as { text: string }[];
    for (const n of narratives) expect(n.text.trim().length).toBeGreaterThan(0);
  } finally {
    d.close();
  }
}

/** Ingests one file and checks every invariant; returns the file's status. */
async function ingestAndCheck(bytes: Buffer, label: string): Promise<string> {
  const dir = path.join(root, 'in', String(++fileNo));
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${label}.xlsx`);
  fs.writeFileSync(file, bytes);
  const before = acceptedDump();
  let result;
  try {
    result = await ingest(ws, [file], { year: YEAR, receivedAt: RECEIVED });
  } catch (e) {
    throw new Error(`ingest threw on ${label} (${file}): ${(e as Error).stack}`, { cause: e });
  }
  expect(result.files).toHaveLength(1);
  const f = result.files[0];
  expect(['accepted', 'rejected', 'duplicate']).toContain(f.status);
  expect(Array.isArray(f.messages)).toBe(true);
  for (const m of f.messages) {
    expect(['error', 'warning']).toContain(m.severity);
    expect(m.code).toMatch(/^[a-z_]+$/);
    expect(m.text.trim().length).toBeGreaterThan(0);
    expect(m.text).not.toContain('[object Object]');
  }
  if (f.status === 'rejected') {
    expect(f.errors).toBeGreaterThan(0);
    expect(f.reason ?? '').not.toBe('');
    expect(result.exitCode).toBe(1);
  }
  if (f.status === 'accepted') expect(f.errors).toBe(0);
  checkStoreRules();
  if (f.status !== 'accepted') expect(acceptedDump(), `${label}: a ${f.status} file changed the accepted figures`).toBe(before);
  return f.status;
}

beforeAll(async () => {
  root = tempDir('hoctap-fuzz-ingest-');
  ws = openWorkspace(path.join(root, 'ws'));
  units = ['Q1', 'SGDDT', 'SKHCN', 'CHUYENGIA'].map((c) => ws.roster.find((u) => u.code === c)!);
  const kinds = new Set(units.flatMap((u) => indicatorsForUnit(ws, u).flatMap((i) => i.fields.map((f) => f.kind))));
  // The mutations must be able to reach every kind's rules.
  expect([...kinds].sort()).toEqual(['count', 'direction', 'number', 'percent', 'rating', 'text']);
  for (const u of units) {
    const wb = await buildTemplateWorkbook(ws, u, YEAR, { generatedAt: new Date(Date.UTC(YEAR, 9, 1)) });
    base.set(u.code, await fillTemplate(wb, plausibleValues(ws, u, { seed: 3 })));
  }
});

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------------------------
// Mutations

/** Values a person or a tool may leave in an input cell (only what a workbook can hold). */
const cellValue: fc.Arbitrary<ExcelJS.CellValue> = fc.oneof(
  fc.constant(null),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.constantFrom('95,5', '95,5 %', '1.234', '1.234,5', '-3', 'N/A', 'Tăng', 'TANG', 'giảm', '4 - Rất tốt', '6', 'Mức 2: Khá', '0,3', ' ', '\u00a0', '1e5', '٣'),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 }),
  fc.integer({ min: -5, max: 10_000_000 }),
  fc.boolean(),
  fc.date({ min: new Date('1900-03-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
  fc.record({ formula: fc.constantFrom('A1', 'G5/G6*100', 'SUM(G5:G9)'), result: fc.oneof(fc.integer(), fc.string({ maxLength: 6 }), fc.constant(undefined)) }) as fc.Arbitrary<ExcelJS.CellValue>,
  fc.record({ error: fc.constantFrom('#N/A', '#REF!', '#DIV/0!', '#VALUE!') }) as fc.Arbitrary<ExcelJS.CellValue>,
  fc.array(fc.string({ maxLength: 8 }), { minLength: 1, maxLength: 3 }).map((parts) => ({ richText: parts.map((text) => ({ text })) })),
  fc.string({ minLength: 1, maxLength: 12 }).map((text) => ({ text, hyperlink: 'https://example.vn/minh-chung' })),
  // Texts around Excel's cell limit, written as a marker so that a failing plan prints short (expanded in applyPlan).
  fc.integer({ min: TEXT_MAX_CHARS - 2, max: TEXT_MAX_CHARS + 2 }).map((n) => ({ repeatX: n }) as unknown as ExcelJS.CellValue),
);

const expand = (v: ExcelJS.CellValue): ExcelJS.CellValue =>
  v && typeof v === 'object' && 'repeatX' in v ? 'x'.repeat((v as unknown as { repeatX: number }).repeatX) : v;

interface Plan {
  unit: number;
  cells: { entry: number; value: ExcelJS.CellValue }[];
  /** Any cell on an input's row (labels, units, merged cells): what a unit overtypes by mistake. */
  others: { entry: number; col: number; value: ExcelJS.CellValue; numFmt: string | null }[];
  numFmts: { entry: number; fmt: string }[];
  deleteMetaRows: number[];
  metaEdits: { row: number; col: number; value: string | number | null }[];
  sheet: { kind: 'none' } | { kind: 'remove' | 'rename'; name: string };
}

const plan: fc.Arbitrary<Plan> = fc.record({
  unit: fc.nat(),
  cells: fc.array(fc.record({ entry: fc.nat(), value: cellValue }), { maxLength: 8 }),
  others: fc.oneof({ weight: 2, arbitrary: fc.constant<Plan['others']>([]) }, {
    weight: 1,
    arbitrary: fc.array(fc.record({ entry: fc.nat(), col: fc.integer({ min: 1, max: 12 }), value: cellValue, numFmt: fc.constantFrom(null, 'dd/mm/yyyy', '0.0%', '@') }), { minLength: 1, maxLength: 3 }),
  }),
  numFmts: fc.array(fc.record({ entry: fc.nat(), fmt: fc.constantFrom('0.0%', '0%', 'dd/mm/yyyy', '@', 'General', '#,##0') }), { maxLength: 2 }),
  deleteMetaRows: fc.oneof({ weight: 3, arbitrary: fc.constant<number[]>([]) }, { weight: 1, arbitrary: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }) }),
  metaEdits: fc.oneof({ weight: 3, arbitrary: fc.constant<Plan['metaEdits']>([]) }, {
    weight: 1,
    arbitrary: fc.array(fc.record({ row: fc.nat(), col: fc.integer({ min: 1, max: 5 }), value: fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.constant(null), fc.constantFrom('2023', 'Q3', 'XYZ', 'ChiSo', 'Z9999', 'percent', 'rating')) }), { minLength: 1, maxLength: 3 }),
  }),
  sheet: fc.oneof(
    { weight: 6, arbitrary: fc.constant({ kind: 'none' as const }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('remove' as const, 'rename' as const), name: fc.constantFrom(SHEETS.indicators, SHEETS.narrative, SHEETS.instructions, META_SHEET) }) },
  ),
});

/** Applies a plan with exceljs, as a unit's spreadsheet program would save it. */
async function applyPlan(p: Plan): Promise<{ unit: Unit; bytes: Buffer }> {
  const unit = units[p.unit % units.length];
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(base.get(unit.code)! as unknown as ArrayBuffer);
  const entries = [...fieldCells(wb).values()];
  for (const c of p.cells) {
    const e = entries[c.entry % entries.length];
    wb.getWorksheet(e.sheet)!.getCell(e.cell).value = expand(c.value);
  }
  for (const o of p.others) {
    const e = entries[o.entry % entries.length];
    const cell = wb.getWorksheet(e.sheet)!.getCell(Number(/\d+$/.exec(e.cell)![0]), o.col);
    cell.value = expand(o.value);
    if (o.numFmt) cell.style = { ...cell.style, numFmt: o.numFmt };
  }
  for (const n of p.numFmts) {
    const e = entries[n.entry % entries.length];
    const cell = wb.getWorksheet(e.sheet)!.getCell(e.cell);
    cell.style = { ...cell.style, numFmt: n.fmt };
  }
  const meta = wb.getWorksheet(META_SHEET)!;
  for (const r of p.deleteMetaRows) meta.spliceRows((r % meta.rowCount) + 1, 1);
  for (const m of p.metaEdits) meta.getCell((m.row % Math.max(meta.rowCount, 1)) + 1, m.col).value = m.value;
  if (p.sheet.kind === 'remove') {
    const s = wb.getWorksheet(p.sheet.name);
    if (s) wb.removeWorksheet(s.id);
  } else if (p.sheet.kind === 'rename') {
    const s = wb.getWorksheet(p.sheet.name);
    if (s) s.name = `${p.sheet.name}2`;
  }
  return { unit, bytes: Buffer.from(await wb.xlsx.writeBuffer()) };
}

type ByteMutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; bits: { at: number; bit: number }[] }
  | { kind: 'overwrite'; at: number; data: number[] }
  | { kind: 'splice'; at: number; len: number };

const byteMutation: fc.Arbitrary<ByteMutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ kind: fc.constant('flip' as const), bits: fc.array(fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), bit: fc.integer({ min: 0, max: 7 }) }), { minLength: 1, maxLength: 6 }) }),
  fc.record({ kind: fc.constant('overwrite' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), data: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 64 }) }),
  fc.record({ kind: fc.constant('splice' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), len: fc.integer({ min: 1, max: 4096 }) }),
);

function mutateBytes(bytes: Buffer, m: ByteMutation): Buffer {
  if (bytes.length === 0) return bytes;
  const pos = (at: number) => Math.min(bytes.length - 1, Math.floor(at * bytes.length));
  const out = Buffer.from(bytes);
  switch (m.kind) {
    case 'truncate': return out.subarray(0, pos(m.at));
    case 'flip': for (const b of m.bits) out[pos(b.at)] ^= 1 << b.bit; return out;
    case 'overwrite': { const p = pos(m.at); Buffer.from(m.data).copy(out, p); return out; }
    case 'splice': { const p = pos(m.at); return Buffer.concat([out.subarray(0, p), out.subarray(p + m.len)]); }
  }
}

/**
 * The targeted reader (xlsx-fast.ts) against exceljs on the same bytes: the same `_meta`, and for every mapped cell
 * the same normalised value and the same row texts (the label check). Returns whether the targeted reader took the
 * file ('fast'), declined it ('declined': exceljs reads it), or there was nothing to compare.
 */
async function compareReaders(bytes: Buffer): Promise<'fast' | 'declined' | 'unreadable'> {
  const sniffed = sniffFile(bytes, 'x.xlsx');
  if (!sniffed.ok || sniffed.kind !== 'xlsx' || !sniffed.files) return 'unreadable';
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    return 'unreadable';
  }
  const slow = exceljsWorkbookView(wb);
  let fast;
  try {
    fast = fastWorkbook(sniffed.files);
    fast.sheet(META_SHEET);
  } catch (e) {
    if (e instanceof Unsupported) return 'declined';
    throw e;
  }
  const metaSlow = slow.sheet(META_SHEET);
  const metaFast = fast.sheet(META_SHEET);
  expect(metaFast === null, 'the _meta sheet is found by both or neither').toBe(metaSlow === null);
  if (!metaSlow || !metaFast) return 'fast';
  const m = parseMeta(metaFast);
  expect(m).toEqual(parseMeta(metaSlow));
  if (!m.ok) return 'fast';
  for (const e of m.meta.entries) {
    let a;
    try {
      a = fast.sheet(e.sheet);
    } catch (err) {
      if (err instanceof Unsupported) return 'declined';
      throw err;
    }
    const b = slow.sheet(e.sheet);
    expect(a === null, `sheet ${e.sheet}`).toBe(b === null);
    if (!a || !b) continue;
    const ca = a.cell(e.cell);
    const cb = b.cell(e.cell);
    expect(normaliseValue(ca.value, e.kind as InputKind, ca.numFmt), `${e.sheet}!${e.cell}`).toEqual(normaliseValue(cb.value, e.kind as InputKind, cb.numFmt));
    // The label check reads the row up to the input's column or the row's last cell (exceljs's getCell above has
    // made the input's cell exist, so its cellCount is at least the input's column).
    const row = Number(/\d+$/.exec(e.cell)![0]);
    const col = columnNumber(/^[A-Z]+/.exec(e.cell)![0]);
    const width = Math.max(a.cellCount(row), col);
    expect(width, `cells on row ${row}`).toBe(Math.max(b.cellCount(row), col));
    for (let c = 1; c <= Math.min(width, 60); c++) expect(cellString(a.cellAt(row, c).value), `${e.sheet} row ${row} col ${c}`).toBe(cellString(b.cellAt(row, c).value));
  }
  return 'fast';
}

// ---------------------------------------------------------------------------------------------------------------

describe('nhập tệp bị biến đổi ngẫu nhiên (fuzz)', () => {
  it('the unmutated files are accepted (so the properties below can see a rejection change something)', async () => {
    for (const u of units) expect(await ingestAndCheck(base.get(u.code)!, `base-${u.code}`), u.code).toBe('accepted');
    // The same bytes again: already ingested, nothing changes.
    expect(await ingestAndCheck(base.get(units[0].code)!, 'again')).toBe('duplicate');
  });

  it('random values and types in the input cells, edited or deleted _meta rows, removed or renamed sheets', async () => {
    const statuses = new Map<string, number>();
    await fc.assert(fc.asyncProperty(plan, async (p) => {
      const { unit, bytes } = await applyPlan(p);
      const status = await ingestAndCheck(bytes, `cells-${unit.code}`);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }), { seed: SEED, numRuns: RUNS, endOnFailure: true });
    // The mutations reach both outcomes (otherwise they test nothing).
    expect(statuses.get('rejected') ?? 0).toBeGreaterThan(0);
    expect(statuses.get('accepted') ?? 0).toBeGreaterThan(0);
  });

  it('the targeted reader and exceljs read the same values from every mutated workbook', async () => {
    const outcomes = new Map<string, number>();
    await fc.assert(fc.asyncProperty(plan, async (p) => {
      const { bytes } = await applyPlan(p);
      const o = await compareReaders(bytes);
      outcomes.set(o, (outcomes.get(o) ?? 0) + 1);
    }), { seed: SEED + 2, numRuns: RUNS, endOnFailure: true });
    // Mutated cells and _meta rows are the targeted reader's ordinary work: it must not decline them wholesale.
    expect(outcomes.get('fast') ?? 0).toBeGreaterThan(RUNS / 2);
  });

  it('truncated, bit-flipped, overwritten and spliced zips (alone or after cell mutations)', async () => {
    const statuses = new Map<string, number>();
    await fc.assert(fc.asyncProperty(fc.option(plan, { nil: null, freq: 3 }), fc.nat(), fc.array(byteMutation, { minLength: 1, maxLength: 3 }), async (p, u, mutations) => {
      const { unit, bytes } = p ? await applyPlan(p) : { unit: units[u % units.length], bytes: base.get(units[u % units.length].code)! };
      const mutated = mutations.reduce(mutateBytes, bytes);
      const status = await ingestAndCheck(mutated, `bytes-${unit.code}`);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }), { seed: SEED + 1, numRuns: RUNS, endOnFailure: true });
    expect(statuses.get('rejected') ?? 0).toBeGreaterThan(0);
  });
});
