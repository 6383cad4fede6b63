/**
 * Property-based tests of value normalisation (src/ingest/values.ts): whatever a person types, or whatever a workbook
 * tool stores in a cell, the result is a number that obeys its kind's rules, a clear rejection, or a warning; never an
 * exception. Runs are bounded and the seed fixed (FUZZ_SEED overrides it); fast-check prints the seed and the
 * shrunk counterexample on failure.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { reasonText, remedyText } from '../src/findings/render.ts';
import { DIRECTION_LABELS, type Field } from '../src/catalog/types.ts';
import { openWorkspace } from '../src/catalog/workspace.ts';
import { indicatorsForUnit } from '../src/catalog/workspace.ts';
import { KIND_RANGES, normaliseValue, parseNumberText, TEXT_MAX_CHARS, type InputKind, type Normalised } from '../src/ingest/values.ts';
import { messify, synthesize } from '../fixtures/synthesize.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20_241_210);
const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
const params = { seed: SEED, numRuns: RUNS };

const KINDS: InputKind[] = ['percent', 'count', 'number', 'direction', 'rating', 'text', 'narrative', 'contact'];
const PERCENT_FORMATS = [undefined, '0.0##', '#,##0', '0.0%', '0%', '0.00" %"', '@', 'General', '[Red]0.0%;0%', ''];

/** The rules a value that passed must obey, per kind (the same rules the store is checked against in the ingest fuzz). */
export function checkAccepted(n: Extract<Normalised, { status: 'ok' }>, kind: InputKind): void {
  expect(typeof n.raw).toBe('string');
  for (const w of n.warnings) {
    expect(w.code).toMatch(/^[a-z_]+$/);
    expect(reasonText(w).length).toBeGreaterThan(0);
  }
  if (kind === 'percent' || kind === 'count' || kind === 'number' || kind === 'rating') {
    const r = KIND_RANGES[kind];
    expect(n.text).toBeNull();
    expect(typeof n.num).toBe('number');
    expect(Number.isFinite(n.num)).toBe(true);
    expect(n.num!).toBeGreaterThanOrEqual(r.min);
    if (r.max !== null) expect(n.num!).toBeLessThanOrEqual(r.max);
    if (r.integer) expect(Number.isInteger(n.num)).toBe(true);
    expect(Object.is(n.num, -0)).toBe(false);
  } else if (kind === 'direction') {
    expect(n.num).toBeNull();
    expect([DIRECTION_LABELS.up, DIRECTION_LABELS.down]).toContain(n.text);
  } else {
    expect(n.num).toBeNull();
    expect(typeof n.text).toBe('string');
    expect(n.text!.length).toBeGreaterThan(0);
    expect(n.text!.length).toBeLessThanOrEqual(TEXT_MAX_CHARS);
    expect(n.text).toBe(n.text!.normalize('NFC'));
  }
}

/** A rejection says what was seen, why, and what was expected, on one line each. */
function checkRejected(n: Extract<Normalised, { status: 'error' }>): void {
  expect(typeof n.raw).toBe('string');
  expect(n.error.code).toMatch(/^[a-z_]+$/);
  expect(reasonText(n.error).trim().length).toBeGreaterThan(0);
  expect(remedyText(n.error)?.trim().length).toBeGreaterThan(0);
  expect(reasonText(n.error)).not.toMatch(/undefined|NaN|\[object/);
}

function checkAny(value: unknown, kind: InputKind, numFmt?: string): Normalised {
  let n: Normalised;
  try {
    n = normaliseValue(value, kind, numFmt);
  } catch (e) {
    throw new Error(`normaliseValue threw for ${kind} ${JSON.stringify(value)} (${numFmt}): ${(e as Error).message}`, { cause: e });
  }
  expect(['empty', 'ok', 'error']).toContain(n.status);
  if (n.status === 'ok') checkAccepted(n, kind);
  if (n.status === 'error') checkRejected(n);
  return n;
}

/** What people type into a number cell: digits, separators, signs, %, spaces of several kinds, words, units. */
const typedNumber = fc.array(
  fc.constantFrom('0', '1', '2', '5', '9', '.', ',', ' ', '\u00a0', '\u202f', '%', '-', '+', 'e', 'E', 'x', '/', 'N/A', 'người', '\t', '\n', '٣', '１', '½', 'Infinity', 'NaN', '0x1F', '1e400'),
  { maxLength: 14 },
).map((parts) => parts.join(''));

/** Anything a workbook library may hand over as a cell value. */
const cellValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null), fc.constant(undefined),
    fc.string({ unit: 'grapheme', maxLength: 40 }), typedNumber,
    fc.double(), fc.integer(), fc.constantFrom(0, -0, 0.955, 1, 100, 100.0000001, 1e21, -1, Number.MAX_VALUE, Number.MIN_VALUE),
    fc.boolean(), fc.date({ noInvalidDate: false }),
    fc.record({ formula: fc.string({ maxLength: 10 }), result: fc.option(tie('value'), { nil: undefined }) }),
    fc.record({ sharedFormula: fc.string({ maxLength: 10 }), result: tie('value') }),
    fc.record({ error: fc.constantFrom('#N/A', '#REF!', '#DIV/0!', '#VALUE!', '') }),
    fc.record({ richText: fc.array(fc.record({ text: fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.constant(undefined)) }), { maxLength: 4 }) }),
    fc.record({ text: tie('value'), hyperlink: fc.webUrl() }),
    fc.array(fc.integer(), { maxLength: 3 }), fc.object({ maxDepth: 1 }),
  ),
})).value;

describe('chuẩn hóa giá trị: không bao giờ lỗi chương trình', () => {
  it('any string a person may type, in any kind of cell: a number within the rules, a rejection or a warning', () => {
    fc.assert(fc.property(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 60 }), typedNumber), fc.constantFrom(...KINDS), fc.constantFrom(...PERCENT_FORMATS), (s, kind, fmt) => {
      checkAny(s, kind, fmt);
    }), params);
  });

  it('any cell value a workbook tool may store (numbers, dates, formulas, errors, rich text, odd objects)', () => {
    fc.assert(fc.property(cellValue, fc.constantFrom(...KINDS), fc.constantFrom(...PERCENT_FORMATS), (v, kind, fmt) => {
      checkAny(v, kind, fmt);
    }), params);
  });

  it('very long texts: accepted up to one Excel cell, rejected with the length beyond', () => {
    fc.assert(fc.property(fc.integer({ min: TEXT_MAX_CHARS - 3, max: TEXT_MAX_CHARS + 3 }), fc.constantFrom<InputKind>('text', 'narrative', 'contact'), (len, kind) => {
      const n = checkAny('ả'.repeat(len), kind);
      expect(n.status).toBe(len <= TEXT_MAX_CHARS ? 'ok' : 'error');
    }), { ...params, numRuns: Math.min(RUNS, 30) });
  });

  it('parseNumberText never throws and returns a finite number or null', () => {
    fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 40 }), typedNumber), fc.constantFrom(...KINDS), (s, kind) => {
      const p = parseNumberText(s, kind);
      if (p !== null) expect(Number.isFinite(p.v)).toBe(true);
    }), params);
  });
});

describe('chuẩn hóa giá trị: cùng một con số dù gõ cách nào', () => {
  it('a negative figure is always rejected, never stored as its absolute value', () => {
    fc.assert(fc.property(fc.double({ min: 0.01, max: 1e9, noNaN: true }), fc.constantFrom<InputKind>('percent', 'count', 'number'), fc.boolean(), (v, kind, asText) => {
      const typed = asText ? `-${String(v).replace('.', ',')}` : -v;
      expect(checkAny(typed, kind).status).toBe('error');
    }), params);
  });

  it('a percentage typed as 95,5 / 95.5 / "95,5 %" / 0,955 in a % cell is the same 95,5', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 1000 }), (tenths) => {
      const v = tenths / 10;
      const comma = String(v).replace('.', ',');
      const readings = [
        normaliseValue(comma, 'percent'), normaliseValue(`${comma} %`, 'percent'), normaliseValue(`${comma}%`, 'percent'),
        normaliseValue(`\u00a0${v} `, 'percent'), normaliseValue(v, 'percent', '0.0##'), normaliseValue(v / 100, 'percent', '0.0%'),
      ];
      for (const n of readings) {
        if (n.status !== 'ok') throw new Error(`${v}: ${JSON.stringify(n)}`);
        expect(n.num).toBe(v);
      }
    }), params);
  });

  it('every value fixtures/synthesize.ts messify retypes still means the same figure', () => {
    const ws = openWorkspace(process.cwd());
    const units = ws.roster;
    fc.assert(fc.property(fc.constantFrom(...units), fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 2020, max: 2030 }), (unit, seed, year) => {
      const clean = synthesize(ws, unit, indicatorsForUnit(ws, unit), year, seed).values;
      const messy = messify(clean, ws.catalog.fieldById, seed, 1);
      for (const [id, typed] of Object.entries(messy)) {
        const field = ws.catalog.fieldById.get(id) as Field;
        const a = normaliseValue(clean[id], field.kind);
        const b = normaliseValue(typed, field.kind);
        if (a.status !== 'ok' || b.status !== 'ok') throw new Error(`${unit.code} ${id}: "${clean[id]}" → ${a.status}, "${typed}" → ${b.status} ${JSON.stringify(b)}`);
        expect(b.num, `${id}: "${typed}"`).toBe(a.num);
        expect(b.text, `${id}: "${typed}"`).toBe(a.text);
      }
    }), { ...params, numRuns: Math.min(RUNS, 100) });
  });
});
