/**
 * Damaged copies of a valid returned workbook, damaged inside a sound zip (issue 27: the parts themselves, not the zip):
 * flipped bytes, a part cut short or emptied, an entity declaration, 20,000-deep nesting, absurd cell references,
 * invalid UTF-8, a value stored against its type. Each is decided by the read stage: refused with a Vietnamese reason
 * naming the part or sheet (exit 1), or read as the original; never "Lỗi không mong đợi" (exit 3). Before the read
 * stage read every sheet the checks use, a damaged HuongDan surfaced from the titles check as exit 3.
 * And bounded memory (issue 22): a 10-million-character narrative is refused within 300 MB.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace, type Workspace } from '../src/catalog/workspace.ts';
import { ingest } from '../src/ingest/ingest.ts';
import type { FileResult } from '../src/ingest/types.ts';
import { buildTemplateWorkbook } from '../src/templates/generate.ts';
import { workbookBytes } from '../src/templates/xlsx-write.ts';
import { writeZip } from '../src/xlsx/zip-write.ts';
import { fillTemplate, plausibleValues } from '../fixtures/fill.ts';
import { runHoctap } from './helpers/cli.ts';
import { editPart, sheetPart, unzipParts } from './helpers/hostile.ts';
import { measureHoctap } from './helpers/measure.ts';
import { tempDir } from './helpers/tools.ts';

const MAX_RSS_MB = 300;

let root: string;
let ws: Workspace;
let filled: Buffer;
let other: Buffer;
let huongDan: string;

/** The workbook with one part's bytes replaced. */
function withBytes(xlsx: Buffer, name: string, edit: (b: Buffer) => Buffer): Buffer {
  const parts = unzipParts(xlsx).filter((p) => !p.name.endsWith('/'));
  const part = parts.find((p) => p.name === name)!;
  part.data = edit(part.data);
  return writeZip(parts);
}

/** Bytes that are not UTF-8 in place of the first occurrence of `marker`. */
function notUtf8(data: Buffer, marker: string): Buffer {
  const at = data.indexOf(marker);
  expect(at, marker).toBeGreaterThan(0);
  const out = Buffer.from(data);
  out[at] = 0xc3;
  out[at + 1] = 0x28;
  return out;
}

/** Stands for HuongDan's part in the words a reason must contain (known once the workbook is built). */
const HUONGDAN = '<part of HuongDan>';
const DEEP = '<x>'.repeat(20_000) + '</x>'.repeat(20_000);

/** Damaged copies, by the kind of damage, and what the reason must name. */
const DAMAGED: [string, () => Buffer, { code: string; names: string[] }][] = [
  ['bytes flipped inside HuongDan (no longer UTF-8)', () => withBytes(filled, huongDan, (b) => notUtf8(b, '<v>0</v>')),
    { code: 'damaged_part', names: [HUONGDAN, 'trang HuongDan', 'UTF-8', 'đề nghị đơn vị gửi lại'] }],
  ['invalid UTF-8 in the shared strings', () => withBytes(filled, 'xl/sharedStrings.xml', (b) => notUtf8(b, '<t')),
    { code: 'damaged_part', names: ['xl/sharedStrings.xml', 'UTF-8'] }],
  ['HuongDan cut short', () => withBytes(filled, huongDan, (b) => b.subarray(0, Math.floor(b.length / 2))),
    { code: 'unreadable_workbook', names: [HUONGDAN, 'trang HuongDan', 'lưu lại dạng .xlsx'] }],
  ['HuongDan emptied', () => withBytes(filled, huongDan, () => Buffer.alloc(0)),
    { code: 'unreadable_workbook', names: [HUONGDAN, 'trang HuongDan'] }],
  ['the shared strings emptied', () => withBytes(filled, 'xl/sharedStrings.xml', () => Buffer.alloc(0)),
    { code: 'unreadable_workbook', names: ['xl/sharedStrings.xml'] }],
  ['an entity declared and used in HuongDan', () => editPart(filled, huongDan, (x) =>
    x.replace(/(<\?xml[^>]*\?>)/, '$1<!DOCTYPE x [<!ENTITY e "boom">]>').replace(/<v>\d+<\/v>/, '<v>&e;</v>')),
  { code: 'bad_cell_value', names: ['trang HuongDan, ô A1', '"&e;"'] }],
  ['a value stored against its type in HuongDan A1', () => editPart(filled, huongDan, (x) => x.replace(/<c r="A1"([^>]*)><v>\d+<\/v>/, '<c r="A1"$1><v>x9</v>')),
    { code: 'bad_cell_value', names: ['trang HuongDan, ô A1', '"x9"'] }],
  ['a cell moved past the last column of HuongDan', () => editPart(filled, huongDan, (x) => x.replace(' r="B1"', ' r="XFE1"')),
    { code: 'sheet_too_large', names: ['trang HuongDan', 'XFE1'] }],
  ['a row moved past the last row of ChiSo', () => editPart(filled, sheetPart(filled, 'ChiSo'), (x) => x.replace(/<row r="1"/, '<row r="99999999"')),
    { code: 'sheet_too_large', names: ['trang ChiSo', '99999999'] }],
  ['a cell of HuongDan without a plain address, in a workbook too large for the full reader', () => {
    const parts = unzipParts(editPart(filled, huongDan, (x) => x.replace(' r="B1"', ' r="b1"'))).filter((p) => !p.name.endsWith('/'));
    // 9 MB of an unused part: over what exceljs is let near (src/xlsx/bounds.ts FALLBACK_LIMITS).
    parts.push({ name: 'xl/media/anh.bin', data: Buffer.alloc(9 * 1024 * 1024, 1) });
    return writeZip(parts);
  }, { code: 'workbook_too_complex', names: [HUONGDAN, 'trang HuongDan'] }],
];

beforeAll(async () => {
  root = tempDir('hoctap-damaged-');
  ws = openWorkspace(root);
  const unit = ws.roster.find((u) => u.code === 'Q1')!;
  filled = await fillTemplate(await workbookBytes(await buildTemplateWorkbook(ws, unit, 2024)), plausibleValues(ws, unit));
  const q3 = ws.roster.find((u) => u.code === 'Q3')!;
  other = await fillTemplate(await workbookBytes(await buildTemplateWorkbook(ws, q3, 2024)), plausibleValues(ws, q3));
  huongDan = sheetPart(filled, 'HuongDan');
  const valid = path.join(root, 'hop-le', 'Q1.xlsx');
  fs.mkdirSync(path.dirname(valid), { recursive: true });
  fs.writeFileSync(valid, filled);
  expect((await ingest(ws, [valid], { year: 2024 })).files[0].status).toBe('accepted');
}, 120_000);

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

async function ingestBytes(name: string, bytes: Buffer): Promise<FileResult> {
  const file = path.join(root, 'mot', name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, bytes);
  return (await ingest(ws, [file], { year: 2024, dryRun: true })).files[0];
}

describe('a workbook damaged inside its parts is refused by the read stage, with its part and what to do', () => {
  it.each(DAMAGED)('%s', async (what, make, want) => {
    const r = await ingestBytes(`${what.replace(/\W+/g, '-')}.xlsx`, make());
    expect(r.status).toBe('rejected');
    expect(r.messages.map((m) => m.code)).toEqual([want.code]);
    const said = r.reason!.slice(r.file.length);
    for (const words of want.names) expect(said).toContain(words === HUONGDAN ? huongDan : words);
    expect(said).toMatch(/; cần: /);
    // No library's or reader's English reaches the user.
    expect(said).not.toMatch(/sheetData|CDATA|entity|plain address|Cannot|undefined|Error/);
  });

  it('20,000-deep nesting in HuongDan and in ChiSo: read as the original, every figure as it was', async () => {
    const original = await ingestBytes('goc.xlsx', filled);
    for (const sheet of ['HuongDan', 'ChiSo']) {
      const r = await ingestBytes(`long-sau-${sheet}.xlsx`, editPart(filled, sheetPart(filled, sheet), (x) => x.replace('<sheetData>', `<sheetData>${DEEP}`)));
      // The original is in force already (the workspace holds it): the copy is accepted and changes no figure.
      expect(r.status, sheet).toBe('accepted');
      expect(r.change, sheet).toMatchObject({ added: 0, changed: 0, removed: 0 });
      expect([r.values, r.missing, r.errors], sheet).toEqual([original.values, original.missing, original.errors]);
    }
    expect(original.status).toBe('duplicate');
    expect(original.values).toBeGreaterThan(10);
  });

  it('a text over an Excel cell\'s 32,767 characters but within the reader\'s limit is still an error on its cell', async () => {
    const unit = ws.roster.find((u) => u.code === 'Q1')!;
    const text = 'Minh chứng số liệu. '.repeat(5_000);
    const r = await ingestBytes('van-ban-100k.xlsx', await fillTemplate(await workbookBytes(await buildTemplateWorkbook(ws, unit, 2024)), {
      ...plausibleValues(ws, unit), 'narrative.kho_khan': text,
    }));
    expect(r.messages.filter((m) => m.severity === 'error').map((m) => [m.code, m.field])).toEqual([['text_too_long', 'narrative.kho_khan']]);
  });
});

describe('hoctap ingest on a folder of damaged workbooks and a valid one', () => {
  it('exit 1: every damaged file has its line, the valid workbook is stored; never an unexpected error', () => {
    const dir = path.join(root, 'thu-muc');
    fs.mkdirSync(dir, { recursive: true });
    DAMAGED.forEach(([what, make], i) => fs.writeFileSync(path.join(dir, `${String(i).padStart(2, '0')}-${what.replace(/\W+/g, '-')}.xlsx`), make()));
    fs.writeFileSync(path.join(dir, 'zz-Q3.xlsx'), other);
    const run = runHoctap(['-w', root, 'ingest', dir, '--year', '2024', '--format', 'json']);
    expect(run.stderr).not.toContain('Lỗi không mong đợi');
    expect(run.status).toBe(1);
    const files = (JSON.parse(run.stdout) as { files: { file: string; status: string; reason: string | null }[] }).files;
    expect(files).toHaveLength(DAMAGED.length + 1);
    expect(files.find((f) => f.file === 'zz-Q3.xlsx')!.status).toBe('accepted');
    for (const f of files.filter((x) => x.file !== 'zz-Q3.xlsx')) {
      expect(f.status, f.file).toBe('rejected');
      expect(f.reason, f.file).toMatch(/[ăâđêôơư]/);
    }
  }, 120_000);
});

describe('bounded memory (issue 22)', () => {
  it('a workbook with one 10-million-character narrative is refused within 300 MB, naming its cell', async () => {
    const unit = ws.roster.find((u) => u.code === 'Q1')!;
    const text = 'Người dân được tham gia khóa học trực tuyến của thành phố học tập. '.repeat(150_000);
    expect(text.length).toBeGreaterThan(9_900_000);
    const file = path.join(root, 'lon', 'bao-cao-10-trieu.xlsx');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, await fillTemplate(await workbookBytes(await buildTemplateWorkbook(ws, unit, 2024)), { ...plausibleValues(ws, unit), 'narrative.kho_khan': text }));
    const run = measureHoctap(['ingest', file, '--year', '2024', '--format', 'json', '--workspace', root, '--feedback-dir', path.join(root, 'fb')], root);
    expect(run.status).toBe(1);
    const r = (JSON.parse(run.stdout) as { files: { messages: { code: string }[]; reason: string }[] }).files[0];
    expect(r.messages.map((m) => m.code)).toEqual(['text_too_large']);
    expect(r.reason).toMatch(/trang BaoCao, ô B\d+ chứa một văn bản dài khoảng 10\.\d{3}\.\d{3} ký tự/);
    expect(run.maxRssMb, 'peak memory (MB)').toBeLessThan(MAX_RSS_MB);
  }, 120_000);
});
