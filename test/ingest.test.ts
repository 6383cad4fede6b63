import fs from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace, type Workspace } from '../src/catalog/workspace.ts';
import { buildTemplateWorkbook } from '../src/templates/generate.ts';
import { NARRATIVE_PLACEHOLDER, narrativeFieldId } from '../src/xlsx/meta.ts';
import { ingest, type IngestOptions } from '../src/ingest/ingest.ts';
import type { FileResult } from '../src/ingest/types.ts';
import { acceptedValues, acceptedNarratives, contactOf, history, valuesOfSubmission } from './helpers/sqlite.ts';
import { fieldCells, fillTemplate, plausibleValues } from '../fixtures/fill.ts';
import { tempDir } from './helpers/tools.ts';
import { yearView } from './helpers/csv.ts';
import { narrativesForUnit } from '../src/catalog/assignments.ts';
import { batchExitCode } from '../src/cli/commands/ingest.ts';

let root: string;
let wsCount = 0;
const templates = new Map<string, Buffer>();

beforeAll(() => {
  root = tempDir('hoctap-ingest-');
});
afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

/** A fresh workspace (its own database) and a folder for the files a test sends. */
function freshWorkspace(): { ws: Workspace; inbox: string } {
  const dir = path.join(root, `ws${++wsCount}`);
  fs.mkdirSync(path.join(dir, 'inbox'), { recursive: true });
  return { ws: openWorkspace(dir), inbox: path.join(dir, 'inbox') };
}

async function blankTemplate(ws: Workspace, unitCode: string, year = 2024): Promise<Buffer> {
  const key = `${unitCode}|${year}`;
  if (!templates.has(key)) {
    const unit = ws.roster.find((u) => u.code === unitCode)!;
    templates.set(key, Buffer.from(await (await buildTemplateWorkbook(ws, unit, year, { generatedAt: new Date('2024-10-01T00:00:00Z') })).xlsx.writeBuffer()));
  }
  return templates.get(key)!;
}

/** The unit's plausible answers with `overrides` typed over them, as a file in the inbox. */
async function sendFilled(ws: Workspace, inbox: string, name: string, unitCode: string, overrides: Record<string, unknown> = {}, opts: Parameters<typeof fillTemplate>[2] & { year?: number; seed?: number } = {}): Promise<string> {
  const unit = ws.roster.find((u) => u.code === unitCode)!;
  // The answers to the year's template: its assignment of indicators (issue 23 moved 2.4.1-b from the Sở KHCN in 2024).
  const year = opts.year ?? 2024;
  const buf = await fillTemplate(await blankTemplate(ws, unitCode, year), { ...plausibleValues(yearView(ws, year), unit, { seed: opts.seed }), ...overrides }, opts);
  const file = path.join(inbox, name);
  fs.writeFileSync(file, buf);
  return file;
}

function run(ws: Workspace, paths: string[], opts: IngestOptions = {}) {
  return ingest(ws, paths, { now: new Date('2024-12-12T03:00:00Z'), ...opts });
}

/** Every row of every table, in a stable order: the whole state of the store. */
function dump(ws: Workspace): Record<string, unknown[]> {
  if (!fs.existsSync(ws.dbPath)) return {};
  const db = new DatabaseSync(ws.dbPath, { readOnly: true });
  try {
    const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as { name: string }[]).map((t) => t.name);
    return Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all()]));
  } finally {
    db.close();
  }
}

/** The dump without the rows of one submission (to show that a rejection added only its own record). */
function dumpWithout(d: Record<string, unknown[]>, submissionId: number): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const [t, rows] of Object.entries(d)) {
    // The journal's bookkeeping moves with every stored file; its lines name their submission.
    if (t === 'journal_state') continue;
    out[t] = (rows as Record<string, unknown>[]).filter((r) => (t === 'submissions' ? r.id !== submissionId
      : t === 'journal' ? (JSON.parse(String(r.line)) as { id?: number }).id !== submissionId : r.submission_id !== submissionId));
  }
  return out;
}

function withDb<T>(ws: Workspace, fn: (db: DatabaseSync) => T): T {
  const db = new DatabaseSync(ws.dbPath, { readOnly: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

function only(results: FileResult[], file: string): FileResult {
  const r = results.find((x) => x.file === file);
  if (!r) throw new Error(`no result for ${file}: ${results.map((x) => x.file).join(', ')}`);
  return r;
}

describe('hoctap ingest: a template filled with exceljs', () => {
  it('is accepted and every value is stored exactly, with its cell, narratives, contact and archive copy', async () => {
    const { ws, inbox } = freshWorkspace();
    const unit = ws.roster.find((u) => u.code === 'SGDDT')!;
    const file = await sendFilled(ws, inbox, 'SGDDT.xlsx', 'SGDDT');
    const result = await run(ws, [inbox], { year: 2024, receivedAt: new Date('2024-12-09T00:00:00Z') });
    expect(batchExitCode(result)).toBe(0);
    const r = only(result.files, 'SGDDT.xlsx');
    expect(r.status).toBe('accepted');
    expect(r.messages).toEqual([]);

    const expected = plausibleValues(ws, unit);
    const cells = fieldCells(await (async () => { const wb = new ExcelJS.Workbook(); await wb.xlsx.load(fs.readFileSync(file) as unknown as ArrayBuffer); return wb; })());
    withDb(ws, (db) => {
      const [sub] = history(db, 'SGDDT', 2024);
      expect(sub).toMatchObject({ status: 'accepted', file_name: 'SGDDT.xlsx', received_at: '2024-12-09T00:00:00.000Z', source_kind: 'xlsx', catalog_version: ws.catalog.version, error_count: 0, warning_count: 0 });
      const stored = valuesOfSubmission(db, sub.id);
      // Every figure is stored: the indicators' and the narrative sections' activity figures (no indicator, sheet BaoCao).
      const activity = new Set(ws.catalog.narratives.flatMap((n) => n.figures.map((f) => f.id)));
      expect(activity.size).toBe(5);
      const texts = new Set(ws.catalog.narratives.map((n) => narrativeFieldId(n.id)));
      const figures = Object.entries(expected).filter(([id]) => !texts.has(id) && !id.startsWith('contact.'));
      expect(figures.filter(([id]) => activity.has(id))).toHaveLength(activity.size);
      expect(stored).toHaveLength(figures.length);
      expect(sub.value_count).toBe(figures.length);
      for (const [fieldId, value] of figures) {
        const row = stored.find((s) => s.field_id === fieldId)!;
        const kind = activity.has(fieldId) ? 'count' : ws.catalog.fieldById.get(fieldId)!.kind;
        if (kind === 'text' || kind === 'direction') expect(row.value_text, fieldId).toBe(value);
        else expect(row.value_num, fieldId).toBe(value);
        expect(row.cell).toBe(cells.get(fieldId)!.cell);
        expect(row.sheet).toBe(activity.has(fieldId) ? 'BaoCao' : 'ChiSo');
        expect(row.indicator_id).toBe(activity.has(fieldId) ? '' : ws.catalog.fieldById.get(fieldId)!.indicatorId);
      }
      const narratives = acceptedNarratives(db, 2024).filter((n) => n.unit_code === 'SGDDT');
      // Issue 23: a section may be asked of some agencies only (dao_tao_boi_duong: the universities'): the unit's sections.
      expect(narratives).toHaveLength(narrativesForUnit(ws.catalog, unit).length);
      expect(narratives.find((n) => n.section_id === 'chi_dao_huong_dan')!.text).toBe(expected['narrative.chi_dao_huong_dan']);
      expect(contactOf(db, sub.id)).toEqual({ name: 'Nguyễn Thị Lan', position: 'Chuyên viên', phone: '0283 822 1234', email: 'lan.nt@example.vn' });
      const archived = path.join(ws.dir, sub.archive_path);
      expect(fs.readFileSync(archived).equals(fs.readFileSync(file))).toBe(true);
      expect(path.basename(archived)).toBe(`${r.sha256}.xlsx`);
    });
  });

  it('reads values as people type them, and stores the normalised value beside the raw text', async () => {
    const { ws, inbox } = freshWorkspace();
    await sendFilled(ws, inbox, 'SGDDT.xlsx', 'SGDDT', {
      '1.1.1-a.m.tl': '95,5',
      '1.1.1-b.m.tl': '95.5',
      '2.1.3-a.m.tl': '95,5 %',
      '2.1.4-a.m.tl': 0.955, // formatted as % below, as Excel stores "95,5%"
      '2.1.1-a.m.nam': '1.234',
      '2.1.1-a.m.nu': '1\u00a0000',
      '2.1.1-a.m.tong': { formula: 'G10+G11', result: 2234 },
      '2.1.1-a.m.mau': ' 3 000 ',
      '2.1.1-a.m.tl': '74,5',
      '2.1.5-a.m.tl': ' 80 ',
      '2.4.1-c.dg.dg': '4 - Rất tốt',
      '2.6.1-a.m.dg': 'Rất tốt',
    }, { numFmts: { '2.1.4-a.m.tl': '0.0%' } });
    await sendFilled(ws, inbox, 'SKHCN.xlsx', 'SKHCN', { '1.2.4-a.m.xh': 'TANG', '1.2.4-b.m.xh': 'giảm', '1.2.4-b.m.gt': '1.234' });
    const result = await run(ws, [inbox], { year: 2024 });
    for (const f of result.files) expect(f.messages.filter((m) => m.severity === 'error'), f.file).toEqual([]);
    expect(batchExitCode(result)).toBe(0);
    withDb(ws, (db) => {
      const v = new Map(acceptedValues(db, 2024).map((x) => [x.field_id, x]));
      const num = (id: string) => v.get(id)!.value_num;
      expect(num('1.1.1-a.m.tl')).toBe(95.5);
      expect(v.get('1.1.1-a.m.tl')!.raw).toBe('95,5');
      expect(num('1.1.1-b.m.tl')).toBe(95.5);
      expect(num('2.1.3-a.m.tl')).toBe(95.5);
      expect(num('2.1.4-a.m.tl')).toBe(95.5);
      expect(num('2.1.1-a.m.nam')).toBe(1234);
      expect(num('2.1.1-a.m.nu')).toBe(1000);
      expect(num('2.1.1-a.m.tong')).toBe(2234);
      expect(num('2.1.1-a.m.mau')).toBe(3000);
      expect(num('2.1.5-a.m.tl')).toBe(80);
      expect(num('2.4.1-c.dg.dg')).toBe(4);
      expect(num('2.6.1-a.m.dg')).toBe(4);
      expect(v.get('1.2.4-a.m.xh')!.value_text).toBe('Tăng');
      expect(v.get('1.2.4-a.m.xh')!.value_num).toBeNull();
      expect(v.get('1.2.4-b.m.xh')!.value_text).toBe('Giảm');
      expect(num('1.2.4-b.m.gt')).toBe(1234);
    });
  });

  it('rejects formulas without a cached result and formula errors, naming the cell', async () => {
    const { ws, inbox } = freshWorkspace();
    // Issue 23 (item 8): a rate cell is the template's own formula, derived from its counts (ingest-items.test.ts): the
    // formulas typed by a unit are put in counts here, which are read as typed.
    const file = await sendFilled(ws, inbox, 'Q1.xlsx', 'Q1', {
      '1.1.2-a.m.tu': { formula: 'G5*2' },
      '1.3.1-b.m.mau': { formula: 'G9/G10*100', result: { error: '#DIV/0!' } },
      '1.3.2-a.m.tu': { error: '#N/A' },
    });
    const cells = fieldCells(await loadWorkbook(file));
    const result = await run(ws, [inbox]);
    const r = only(result.files, 'Q1.xlsx');
    expect(r.status).toBe('rejected');
    expect(batchExitCode(result)).toBe(1);
    const byField = new Map(r.messages.filter((m) => m.severity === 'error').map((m) => [m.field, m]));
    expect(byField.get('1.1.2-a.m.tu')).toMatchObject({ code: 'formula_no_result', sheet: 'ChiSo', cell: cells.get('1.1.2-a.m.tu')!.cell, indicator: '1.1.2-a' });
    expect(byField.get('1.3.1-b.m.mau')).toMatchObject({ code: 'formula_error', cell: cells.get('1.3.1-b.m.mau')!.cell });
    expect(byField.get('1.3.1-b.m.mau')!.text).toContain('#DIV/0!');
    expect(byField.get('1.3.2-a.m.tu')).toMatchObject({ code: 'cell_error', value: '#N/A' });
    expect(r.errors).toBe(3);
  });

  it('checks counts against each other: Nam + Nữ = Tổng, numerator ≤ denominator, a rate agrees with its counts', async () => {
    const { ws, inbox } = freshWorkspace();
    const file = await sendFilled(ws, inbox, 'SGDDT.xlsx', 'SGDDT', {
      '2.1.1-a.m.nam': 600, '2.1.1-a.m.nu': 500, '2.1.1-a.m.tong': 1200, '2.1.1-a.m.mau': 1500, '2.1.1-a.m.tl': 80,
      'KH.1.1-a.m.tu': 25, 'KH.1.1-a.m.mau': 22, 'KH.1.1-a.m.tl': 100,
      'KH.1.1-b.m.tu': 20, 'KH.1.1-b.m.mau': 22, 'KH.1.1-b.m.tl': 95.5,
    });
    const cells = fieldCells(await loadWorkbook(file));
    const r = only((await run(ws, [inbox])).files, 'SGDDT.xlsx');
    expect(r.status).toBe('rejected');
    const errors = r.messages.filter((m) => m.severity === 'error');
    expect(errors.map((m) => `${m.code}@${m.field}`).sort()).toEqual([
      'num_gt_den@KH.1.1-a.m.tu', 'rate_mismatch@KH.1.1-a.m.tl', 'rate_mismatch@KH.1.1-b.m.tl', 'sex_sum@2.1.1-a.m.tong',
    ]);
    const sum = errors.find((m) => m.code === 'sex_sum')!;
    expect(sum).toMatchObject({ file: 'SGDDT.xlsx', sheet: 'ChiSo', cell: cells.get('2.1.1-a.m.tong')!.cell, indicator: '2.1.1-a', value: '1200', expected: 'Tổng = Nam + Nữ = 1.100' });
    // The sentence names file, sheet, cell, indicator, field, value and expectation.
    for (const part of ['SGDDT.xlsx', 'trang ChiSo', `ô ${cells.get('2.1.1-a.m.tong')!.cell}`, 'chỉ số 2.1.1-a', '(2.1.1-a.m.tong)', '"1200"', 'cần: Tổng = Nam + Nữ = 1.100']) {
      expect(sum.text).toContain(part);
    }
    const over = errors.find((m) => m.code === 'num_gt_den')!;
    expect(over).toMatchObject({ cell: cells.get('KH.1.1-a.m.tu')!.cell, value: '25', expected: 'không lớn hơn 22' });
    const rate = errors.find((m) => m.field === 'KH.1.1-b.m.tl')!;
    expect(rate).toMatchObject({ cell: cells.get('KH.1.1-b.m.tl')!.cell, value: '95.5' });
    expect(rate.expected).toContain('90,91');
    // 80 % of 1500 is 1200: the rate beside the wrong sex split agrees, so no rate message for 2.1.1-a.
    expect(errors.some((m) => m.field === '2.1.1-a.m.tl')).toBe(false);
  });

  it('a rate within half a point of its counts is accepted; a small rate confirmed by its counts is not questioned', async () => {
    const { ws, inbox } = freshWorkspace();
    await sendFilled(ws, inbox, 'Q3.xlsx', 'Q3', { '1.1.2-a.m.tu': 2, '1.1.2-a.m.mau': 3, '1.1.2-a.m.tl': 67, '1.3.2-a.m.tu': 1, '1.3.2-a.m.mau': 200, '1.3.2-a.m.tl': '0,5' });
    const r = only((await run(ws, [inbox])).files, 'Q3.xlsx');
    expect(r.messages).toEqual([]);
    expect(r.status).toBe('accepted');
  });

  it('says which template it is when it is not this one: another year, an older catalog, a unit not in the roster', async () => {
    const { ws, inbox } = freshWorkspace();
    await sendFilled(ws, inbox, 'nam-2023.xlsx', 'Q4', {}, { year: 2023 });
    await sendFilled(ws, inbox, 'danh-muc-cu.xlsx', 'Q5', {}, { meta: { catalog_version: '0123456789ab' } });
    await sendFilled(ws, inbox, 'don-vi-la.xlsx', 'Q6', {}, { meta: { unit_code: 'QXX', unit_name: 'Ủy ban nhân dân Quận 99' } });
    const result = await run(ws, [inbox], { year: 2024 });
    expect(batchExitCode(result)).toBe(1);
    const year = only(result.files, 'nam-2023.xlsx');
    expect(year.status).toBe('rejected');
    expect(year.messages).toHaveLength(1);
    expect(year.messages[0]).toMatchObject({ code: 'wrong_year', value: '2023', expected: 'biểu mẫu năm 2024' });
    expect(year.reason).toContain('biểu mẫu của năm 2023, không phải năm 2024');
    const old = only(result.files, 'danh-muc-cu.xlsx');
    expect(old.messages.map((m) => m.code)).toEqual(['catalog_version']);
    expect(old.reason).toContain('0123456789ab');
    expect(old.reason).toContain(ws.catalog.version);
    const stranger = only(result.files, 'don-vi-la.xlsx');
    expect(stranger.messages.map((m) => m.code)).toEqual(['unknown_unit']);
    expect(stranger.reason).toContain('"QXX" (Ủy ban nhân dân Quận 99) không có trong danh sách đơn vị');
    // Rejected files are recorded with their reason, and no figure is accepted.
    withDb(ws, (db) => {
      expect(history(db, undefined, undefined).map((s) => [s.unit_code, s.year, s.status])).toEqual([['Q4', 2023, 'rejected'], ['Q5', 2024, 'rejected'], ['QXX', 2024, 'rejected']]);
      expect(acceptedValues(db, 2024)).toEqual([]);
    });
    // Without --year, the file's own year is used: the 2023 template is accepted for 2023.
    const { ws: ws2, inbox: inbox2 } = freshWorkspace();
    await sendFilled(ws2, inbox2, 'nam-2023.xlsx', 'Q4', {}, { year: 2023 });
    const again = await run(ws2, [inbox2]);
    expect(again.files[0]).toMatchObject({ status: 'accepted', year: 2023 });
  });

  it('an empty input is missing, not zero: not stored, counted in one warning', async () => {
    const { ws, inbox } = freshWorkspace();
    const file = await sendFilled(ws, inbox, 'Q7.xlsx', 'Q7', { '1.1.2-a.m.tu': null, '1.1.2-a.m.mau': '  ', '1.1.2-a.m.tl': null });
    const cells = fieldCells(await loadWorkbook(file));
    const r = only((await run(ws, [inbox])).files, 'Q7.xlsx');
    expect(r.status).toBe('accepted');
    expect(r.missing).toBe(3);
    const warning = r.messages.find((m) => m.code === 'missing_values')!;
    expect(warning.severity).toBe('warning');
    expect(warning.text).toContain('còn 3 ô số liệu để trống');
    expect(warning.text).toContain(`${cells.get('1.1.2-a.m.tu')!.cell} (1.1.2-a.m.tu)`);
    withDb(ws, (db) => {
      const ids = acceptedValues(db, 2024).map((v) => v.field_id);
      expect(ids).not.toContain('1.1.2-a.m.tu');
      expect(ids).not.toContain('1.1.2-a.m.mau');
      expect(ids).toContain('1.3.1-b.m.tu');
    });
  });

  it('warns (and accepts) for a figure far from last year, 100 % without evidence, a narrative left as the placeholder', async () => {
    const { ws, inbox } = freshWorkspace();
    const y2023 = path.join(ws.dir, 'y2023');
    fs.mkdirSync(y2023);
    await sendFilled(ws, y2023, 'Q8-2023.xlsx', 'Q8', {
      '1.1.2-a.m.tu': 1000, '1.1.2-a.m.mau': 2000, '1.1.2-a.m.tl': 50, '1.3.1-b.m.tl': 40, '1.3.1-b.m.tu': 40, '1.3.1-b.m.mau': 100,
      '2.2.1-a.m.tu': 10, '2.2.1-a.m.mau': 10, '2.2.1-a.m.tl': 100, '2.2.2-c.m.tu': 5, '2.2.2-c.m.mau': 5, '2.2.2-c.m.tl': 100,
    }, { year: 2023 });
    expect(batchExitCode(await run(ws, [y2023], { year: 2023 }))).toBe(0);

    const file = await sendFilled(ws, inbox, 'Q8-2024.xlsx', 'Q8', {
      '1.1.2-a.m.tu': 1800, '1.1.2-a.m.mau': 2000, '1.1.2-a.m.tl': 90, // +80 % and +40 points
      '1.3.1-b.m.tl': 45, '1.3.1-b.m.tu': 45, '1.3.1-b.m.mau': 100, // close to last year: no warning
      '2.2.1-a.m.tu': 10, '2.2.1-a.m.mau': 10, '2.2.1-a.m.tl': 100, '2.2.1-a.minhchung': null, // 100 % without evidence
      '2.2.2-c.m.tu': 5, '2.2.2-c.m.mau': 5, '2.2.2-c.m.tl': 100, // 100 % with evidence: fine
      'narrative.chi_dao_huong_dan': NARRATIVE_PLACEHOLDER,
      'narrative.kho_khan': `${NARRATIVE_PLACEHOLDER}\nThiếu kinh phí cho trung tâm học tập cộng đồng.`,
    });
    const cells = fieldCells(await loadWorkbook(file));
    const r = only((await run(ws, [inbox], { year: 2024 })).files, 'Q8-2024.xlsx');
    expect(r.status).toBe('accepted');
    expect(r.errors).toBe(0);
    const codes = r.messages.map((m) => `${m.code}@${m.field}`).sort();
    expect(codes).toEqual([
      'full_without_evidence@2.2.1-a.m.tl', 'narrative_placeholder@narrative.chi_dao_huong_dan', 'narrative_placeholder@narrative.kho_khan',
      'outlier@1.1.2-a.m.tl', 'outlier@1.1.2-a.m.tu',
    ]);
    const outlier = r.messages.find((m) => m.field === '1.1.2-a.m.tu')!;
    expect(outlier.text).toContain('năm 2023');
    expect(outlier.text).toContain('1.000 → 1.800');
    expect(outlier.cell).toBe(cells.get('1.1.2-a.m.tu')!.cell);
    expect(r.messages.find((m) => m.code === 'full_without_evidence')!.expected).toContain(cells.get('2.2.1-a.minhchung')!.cell);
    withDb(ws, (db) => {
      const narratives = acceptedNarratives(db, 2024);
      expect(narratives.find((n) => n.section_id === 'chi_dao_huong_dan')).toBeUndefined();
      expect(narratives.find((n) => n.section_id === 'kho_khan')!.text).toBe('Thiếu kinh phí cho trung tâm học tập cộng đồng.');
    });
  });

  it('the identical file again changes nothing; a new accepted file supersedes the earlier one, which stays in the history', async () => {
    const { ws, inbox } = freshWorkspace();
    const first = await sendFilled(ws, inbox, 'Q10.xlsx', 'Q10', { '1.1.2-a.m.tu': 700, '1.1.2-a.m.mau': 1000, '1.1.2-a.m.tl': 70 });
    const r1 = await run(ws, [first], { receivedAt: new Date('2024-12-01T00:00:00Z') });
    expect(r1.files[0].status).toBe('accepted');
    const before = dump(ws);

    const again = await run(ws, [first], { receivedAt: new Date('2024-12-05T00:00:00Z') });
    expect(again.files[0]).toMatchObject({ status: 'duplicate', duplicateOf: { submissionId: r1.files[0].submissionId, status: 'accepted' } });
    expect(again.files[0].reason).toContain('đã nhập trước đó');
    expect(batchExitCode(again)).toBe(0);
    expect(dump(ws)).toEqual(before);

    const corrected = path.join(ws.dir, 'Q10-ban-sua.xlsx');
    fs.writeFileSync(corrected, await fillTemplate(await blankTemplate(ws, 'Q10'), { ...plausibleValues(ws, ws.roster.find((u) => u.code === 'Q10')!), '1.1.2-a.m.tu': 800, '1.1.2-a.m.mau': 1000, '1.1.2-a.m.tl': 80 }));
    const r2 = await run(ws, [corrected], { receivedAt: new Date('2024-12-08T00:00:00Z') });
    expect(r2.files[0]).toMatchObject({ status: 'accepted', supersedes: { submissionId: r1.files[0].submissionId, file: 'Q10.xlsx' } });
    withDb(ws, (db) => {
      const subs = history(db, 'Q10', 2024);
      expect(subs.map((s) => [s.id, s.status, s.superseded_by, s.file_name])).toEqual([
        [r1.files[0].submissionId, 'superseded', r2.files[0].submissionId, 'Q10.xlsx'],
        [r2.files[0].submissionId, 'accepted', null, 'Q10-ban-sua.xlsx'],
      ]);
      const tu = acceptedValues(db, 2024).filter((v) => v.field_id === '1.1.2-a.m.tu');
      expect(tu.map((v) => v.value_num)).toEqual([800]);
      // The superseded submission keeps its own values.
      expect(valuesOfSubmission(db, r1.files[0].submissionId!).find((v) => v.field_id === '1.1.2-a.m.tu')!.value_num).toBe(700);
    });
  });

  it('a rejected file keeps its messages and archive copy and changes no accepted figure', async () => {
    const { ws, inbox } = freshWorkspace();
    const good = await sendFilled(ws, inbox, 'Q11.xlsx', 'Q11');
    await run(ws, [good]);
    const before = dump(ws);
    const acceptedBefore = withDb(ws, (db) => acceptedValues(db, 2024));
    const bad = path.join(ws.dir, 'Q11-sai.xlsx');
    fs.writeFileSync(bad, await fillTemplate(await blankTemplate(ws, 'Q11'), { ...plausibleValues(ws, ws.roster.find((u) => u.code === 'Q11')!), '1.1.2-a.m.tu': 'nhiều lắm' }));
    const r = (await run(ws, [bad])).files[0];
    expect(r.status).toBe('rejected');
    expect(r.messages[0]).toMatchObject({ code: 'not_a_number', field: '1.1.2-a.m.tu', value: 'nhiều lắm' });
    const after = dump(ws);
    // Only the rejected submission's own rows were added.
    expect(dumpWithout(after, r.submissionId!)).toEqual(dumpWithout(before, r.submissionId!));
    expect(withDb(ws, (db) => acceptedValues(db, 2024))).toEqual(acceptedBefore);
    withDb(ws, (db) => {
      const [, rejected] = history(db, 'Q11', 2024);
      expect(rejected).toMatchObject({ status: 'rejected', error_count: 1, superseded_by: null });
      const msgs = db.prepare('SELECT code, cell, value_seen FROM messages WHERE submission_id = ?').all(rejected.id);
      expect(msgs).toEqual([{ code: 'not_a_number', cell: r.messages[0].cell, value_seen: 'nhiều lắm' }]);
      expect(fs.readFileSync(path.join(ws.dir, rejected.archive_path)).equals(fs.readFileSync(bad))).toBe(true);
    });
    // The same rejected file again: already ingested, nothing written.
    const again = (await run(ws, [bad])).files[0];
    expect(again).toMatchObject({ status: 'duplicate', duplicateOf: { status: 'rejected' } });
    expect(dump(ws)).toEqual(after);
  });

  it('the same unit twice in one batch: the first file (by name) is kept, the other rejected in one line', async () => {
    const { ws, inbox } = freshWorkspace();
    await sendFilled(ws, inbox, 'a-Q12.xlsx', 'Q12', { '1.1.2-a.m.tu': 500, '1.1.2-a.m.mau': 1000, '1.1.2-a.m.tl': 50 });
    await sendFilled(ws, inbox, 'b-Q12.xlsx', 'Q12', { '1.1.2-a.m.tu': 600, '1.1.2-a.m.mau': 1000, '1.1.2-a.m.tl': 60 });
    const result = await run(ws, [inbox]);
    expect(batchExitCode(result)).toBe(1);
    expect(only(result.files, 'a-Q12.xlsx').status).toBe('accepted');
    const second = only(result.files, 'b-Q12.xlsx');
    expect(second.status).toBe('rejected');
    expect(second.messages).toHaveLength(1);
    expect(second.reason).toContain('đơn vị Q12 năm 2024 xuất hiện hai lần trong đợt này (tệp a-Q12.xlsx và b-Q12.xlsx)');
    expect(second.reason).not.toContain('\n');
    withDb(ws, (db) => {
      expect(history(db, 'Q12', 2024).map((s) => s.file_name)).toEqual(['a-Q12.xlsx']);
      expect(acceptedValues(db, 2024).find((v) => v.field_id === '1.1.2-a.m.tu')!.value_num).toBe(500);
    });
    // Ingested alone afterwards, it replaces the first.
    const later = await run(ws, [path.join(inbox, 'b-Q12.xlsx')]);
    expect(later.files[0]).toMatchObject({ status: 'accepted', supersedes: { file: 'a-Q12.xlsx' } });
  });

  it('--dry-run stores nothing and reports the same messages as a real run', async () => {
    const { ws, inbox } = freshWorkspace();
    await sendFilled(ws, inbox, 'Q1.xlsx', 'Q1', { '1.1.2-a.m.tu': 'abc' });
    await sendFilled(ws, inbox, 'Q3.xlsx', 'Q3', { '1.1.2-a.m.tu': null, '1.1.2-a.m.mau': null, '1.1.2-a.m.tl': '0,7' });
    fs.writeFileSync(path.join(inbox, 'rong.xlsx'), '');
    const dry = await run(ws, [inbox], { dryRun: true });
    expect(fs.existsSync(ws.dbPath)).toBe(false);
    expect(fs.existsSync(ws.archiveDir)).toBe(false);
    expect(fs.existsSync(path.join(ws.dir, 'feedback'))).toBe(false);
    expect(dry.dryRun).toBe(true);
    const real = await run(ws, [inbox]);
    const strip = (files: FileResult[]) => files.map((f) => ({ file: f.file, status: f.status, errors: f.errors, warnings: f.warnings, messages: f.messages }));
    expect(strip(dry.files)).toEqual(strip(real.files));
    expect(batchExitCode(dry)).toBe(batchExitCode(real));
    expect(real.files.map((f) => [f.file, f.status])).toEqual([['Q1.xlsx', 'rejected'], ['Q3.xlsx', 'accepted'], ['rong.xlsx', 'rejected']]);
    expect(only(real.files, 'Q3.xlsx').messages.map((m) => m.code)).toContain('ambiguous_percent');
    // With a database present, a dry run still changes nothing and sees the duplicates.
    const before = dump(ws);
    const dry2 = await run(ws, [inbox], { dryRun: true });
    expect(dump(ws)).toEqual(before);
    expect(only(dry2.files, 'Q3.xlsx').status).toBe('duplicate');
  });

  it('writes a feedback copy with the flagged cells filled and a note on each, and a list sheet', async () => {
    const { ws, inbox } = freshWorkspace();
    const file = await sendFilled(ws, inbox, '2024_Q1.xlsx', 'Q1', { '1.1.2-a.m.tu': 'abc', '1.3.1-b.m.tu': null, '1.3.1-b.m.mau': 200, '1.3.1-b.m.tl': '0,5', '1.3.2-a.m.tu': null });
    const cells = fieldCells(await loadWorkbook(file));
    const result = await run(ws, [inbox]);
    const r = result.files[0];
    expect(result.feedbackDir).toBe(path.join(ws.dir, 'feedback', path.basename(result.feedbackDir!)));
    expect(r.feedbackPath).toBe(path.join(result.feedbackDir!, '2024_Q1.kiem-tra.xlsx'));
    const wb = await loadWorkbook(r.feedbackPath!);
    const sheet = wb.getWorksheet('ChiSo')!;
    const errCell = sheet.getCell(cells.get('1.1.2-a.m.tu')!.cell);
    expect((errCell.fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FFFF7C80');
    expect(noteOf(errCell)).toContain('không phải là số');
    expect(noteOf(errCell)).toContain('"abc"');
    const warnCell = sheet.getCell(cells.get('1.3.1-b.m.tl')!.cell);
    expect((warnCell.fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FFFFC000');
    expect(noteOf(warnCell)).toContain('có thể là 50%');
    const emptyCell = sheet.getCell(cells.get('1.3.2-a.m.tu')!.cell);
    expect(noteOf(emptyCell)).toContain('ô còn trống');
    // An untouched input keeps the template's fill.
    expect((sheet.getCell(cells.get('1.3.1-b.m.mau')!.cell).fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FFFFF2CC');
    const list = wb.getWorksheet('KiemTra')!;
    const texts = list.getColumn(8).values.slice(2).map(String);
    expect(texts).toEqual(r.messages.map((m) => m.text));
    // The feedback copy is still a hoctap template: the unit can correct it and send it back.
    const plausible = plausibleValues(ws, ws.roster.find((u) => u.code === 'Q1')!);
    const corrected = await fillTemplate(wb, { '1.1.2-a.m.tu': plausible['1.1.2-a.m.tu'], '1.3.1-b.m.tu': 1, '1.3.1-b.m.tl': '0,5', '1.3.2-a.m.tu': plausible['1.3.2-a.m.tu'] });
    fs.writeFileSync(path.join(ws.dir, 'sua.xlsx'), corrected);
    const back = await run(ws, [path.join(ws.dir, 'sua.xlsx')]);
    expect(back.files[0].status).toBe('accepted');
    expect(back.files[0].messages).toEqual([]);
  });

  it('a row inserted in the sheet (the map no longer fits) is caught, not read from the wrong line', async () => {
    const { ws, inbox } = freshWorkspace();
    const unit = ws.roster.find((u) => u.code === 'Q1')!;
    const wb = await loadWorkbookFromBuffer(await fillTemplate(await blankTemplate(ws, 'Q1'), plausibleValues(ws, unit)));
    wb.getWorksheet('ChiSo')!.spliceRows(6, 0, ['dòng chèn thêm']);
    fs.writeFileSync(path.join(inbox, 'chen-dong.xlsx'), Buffer.from(await wb.xlsx.writeBuffer()));
    const r = (await run(ws, [inbox])).files[0];
    expect(r.status).toBe('rejected');
    expect(r.messages.map((m) => m.code)).toEqual(['layout_changed']);
    expect(r.reason).toContain('đã bị thêm, xóa hoặc sắp xếp lại dòng');
  });
});

async function loadWorkbook(file: string): Promise<ExcelJS.Workbook> {
  return loadWorkbookFromBuffer(fs.readFileSync(file));
}

async function loadWorkbookFromBuffer(buf: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  return wb;
}

function noteOf(cell: ExcelJS.Cell): string {
  const n = cell.note as unknown;
  if (typeof n === 'string') return n;
  return ((n as { texts?: { text: string }[] })?.texts ?? []).map((t) => t.text).join('');
}
