/**
 * What the old fuzz test covered that the mutation suites do not: workbooks changed through exceljs as a unit's
 * spreadsheet program saves them (values and types typed over the inputs, rich text, hyperlinks, dates, formulas and
 * number formats; `_meta` rows deleted or edited; sheets removed or renamed), each ingested under the harness's
 * properties; and the targeted reader compared with exceljs on the same bytes. The seed is fixed (FUZZ_SEED), the runs
 * bounded (FUZZ_EXCELJS_RUNS, default 30); fast-check prints the seed and the shrunk plan on failure.
 */
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Unit } from '../../src/catalog/workspace.ts';
import { indicatorsForUnit } from '../../src/catalog/workspace.ts';
import { columnNumber } from '../../src/xlsx/a1.ts';
import { exceljsWorkbookView } from '../../src/xlsx/exceljs-view.ts';
import { parseMeta, META_SHEET, SHEETS } from '../../src/xlsx/meta.ts';
import { cellString } from '../../src/xlsx/view.ts';
import { normaliseValue, TEXT_MAX_CHARS, type InputKind } from '../../src/ingest/values.ts';
import { fastWorkbook, Unsupported } from '../../src/xlsx/fast.ts';
import { sniffFile } from '../../src/ingest/zip-check.ts';
import { fieldCells } from '../../fixtures/fill.ts';
import { XLSX_UNITS } from './bases.ts';
import { ingestChecked } from './harness.ts';
import { setup, teardown, type Context } from './properties.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20_241_210);
const RUNS = Number(process.env.FUZZ_EXCELJS_RUNS ?? 30);
let ctx: Context;
/** Units whose templates together hold every field kind (a local unit, two departments, the expert panel). */
let units: Unit[];
const base = new Map<string, Buffer>();

/** Ingests one file under the harness's properties; returns its status. */
async function ingestAndCheck(bytes: Buffer, label: string): Promise<string> {
  const [f] = await ingestChecked(ctx.fz, [{ name: `${label}.xlsx`, bytes }]);
  return f.status;
}

beforeAll(async () => {
  ctx = await setup('exceljs');
  units = XLSX_UNITS.map((c) => ctx.fz.ws.roster.find((u) => u.code === c)!);
  const kinds = new Set(units.flatMap((u) => indicatorsForUnit(ctx.fz.ws, u).flatMap((i) => i.fields.map((f) => f.kind))));
  // The mutations must be able to reach every kind's rules.
  expect([...kinds].sort()).toEqual(['count', 'direction', 'number', 'percent', 'rating', 'text']);
  for (const [code, bytes] of ctx.bases.xlsx) base.set(code, bytes);
}, 120_000);

afterAll(() => teardown(ctx));

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

describe('nhập tệp được sửa bằng exceljs (fuzz)', () => {
  it('the unmutated files are already stored (the workspace holds them, so a refusal has figures to keep)', async () => {
    for (const u of units) expect(await ingestAndCheck(base.get(u.code)!, `base-${u.code}`), u.code).toBe('duplicate');
  });

  it('random values and types in the input cells, edited or deleted _meta rows, removed or renamed sheets', async () => {
    const statuses = new Map<string, number>();
    await fc.assert(fc.asyncProperty(plan, async (p) => {
      const { unit, bytes } = await applyPlan(p);
      const status = await ingestAndCheck(bytes, `cells-${unit.code}`);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }), { seed: SEED, numRuns: RUNS });
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
    }), { seed: SEED + 2, numRuns: RUNS });
    // Mutated cells and _meta rows are the targeted reader's ordinary work: it must not decline them wholesale.
    expect(outcomes.get('fast') ?? 0).toBeGreaterThan(RUNS / 2);
  });
});
