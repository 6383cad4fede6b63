/**
 * No silent misread in a returned CSV: a line whose columns do not match the header, text that is not UTF-8 (or UTF-16
 * with its byte-order mark), a "�" already in the file, and a file far longer than its unit could send are refused with
 * their line; nothing of such a file is stored; a 15 MB CSV is refused or accepted within 300 MB.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace, type Workspace } from '../src/catalog/workspace.ts';
import { workspaceForYear } from '../src/catalog/years.ts';
import { ingest } from '../src/ingest/ingest.ts';
import { csvRowLimit, readCsv } from '../src/ingest/read-csv.ts';
import { history, valuesOfSubmission } from './helpers/sqlite.ts';
import { measureHoctap } from './helpers/measure.ts';
import { tempDir } from './helpers/tools.ts';
import { reasonText } from '../src/findings/render.ts';
import { batchExitCode } from '../src/cli/commands/ingest.ts';

let root: string;
let n = 0;
beforeAll(() => { root = tempDir('hoctap-csv-strict-'); });
afterAll(() => { fs.rmSync(root, { recursive: true, force: true }); });

function fresh(): { ws: Workspace; dir: string } {
  const dir = path.join(root, `ws${++n}`);
  fs.mkdirSync(dir);
  return { ws: openWorkspace(dir), dir };
}

/** Every value stored for the unit's submissions of 2024 (none when the file was refused). */
function stored(ws: Workspace, unit: string): { field_id: string; raw: string | null; value_num: number | null; value_text: string | null; note: string | null }[] {
  if (!fs.existsSync(ws.dbPath)) return [];
  const db = new DatabaseSync(ws.dbPath, { readOnly: true });
  try {
    return history(db, unit, 2024).flatMap((s) => valuesOfSubmission(db, s.id));
  } finally {
    db.close();
  }
}

const now = new Date('2024-12-12T03:00:00Z');
const HEADER = 'unit_code,year,field_id,value,note';
const bound = { rowLimit: () => 1000 };

describe('a CSV line whose columns differ from the header is refused with its line and likely cause', () => {
  it('an unquoted decimal comma (the issue\'s file): refused at line 2, nothing stored; quoted, 10016,2 is stored', async () => {
    const { ws, dir } = fresh();
    const bad = path.join(dir, 'SKHCN.csv');
    fs.writeFileSync(bad, `${HEADER}\nSKHCN,2024,1.2.4-a.m.xh,Tăng,\nSKHCN,2024,1.2.4-a.m.gt,10016,2,ghi chú\n`);
    const result = await ingest(ws, [bad], { now });
    const r = result.files[0];
    expect(r.status).toBe('rejected');
    expect(batchExitCode(result)).toBe(1);
    expect(r.messages.map((m) => m.code)).toEqual(['csv_field_count']);
    // A CSV line is a place of the finding, said as a cell is ("tệp, dòng 3: …"), since findings are data.
    expect(r.reason).toContain('SKHCN.csv, dòng 3: dòng có 6 cột nhưng dòng tiêu đề có 5 cột');
    expect(r.reason).toContain('số thập phân "10016,2" viết bằng dấu phẩy mà không đặt trong dấu nháy kép');
    expect(r.messages[0].expected).toContain('"10016,2"');
    expect(stored(ws, 'SKHCN')).toEqual([]);

    // The same figure quoted: read whole (the check above would have seen 10016 stored).
    const good = path.join(dir, 'SKHCN-dung.csv');
    fs.writeFileSync(good, `${HEADER}\nSKHCN,2024,1.2.4-a.m.xh,Tăng,\nSKHCN,2024,1.2.4-a.m.gt,"10016,2",ghi chú\n`);
    expect((await ingest(ws, [good], { now })).files[0].status).toBe('accepted');
    expect(stored(ws, 'SKHCN').find((v) => v.field_id === '1.2.4-a.m.gt')).toMatchObject({ value_num: 10016.2, note: 'ghi chú' });
  });

  it('a comma in an unquoted note, another separator on one line, a missing column: each its own cause', async () => {
    const read = (line: string) => readCsv(Buffer.from(`${HEADER}\n${line}\n`), bound);
    const note = await read('Q1,2024,1.1.2-a.m.tu,700,Theo báo cáo 12, quý IV');
    expect(note).toMatchObject({ ok: false, code: 'csv_field_count', line: 2 });
    expect(note.ok || reasonText(note)).toContain('một giá trị (thường là cột note) chứa dấu phẩy (,) mà không đặt trong dấu nháy kép');
    const other = await read('Q1;2024;1.1.2-a.m.tu;700;');
    expect(other.ok || reasonText(other)).toContain('dòng có 1 cột nhưng dòng tiêu đề có 5 cột: có thể dòng này dùng dấu phân cách khác dòng tiêu đề');
    const missing = await read('Q1,2024,1.1.2-a.m.tu');
    expect(missing.ok || reasonText(missing)).toContain('dòng có 3 cột nhưng dòng tiêu đề có 5 cột: thiếu giá trị');
    // A header without the note column: "95,5" unquoted is still two columns, not 95.
    const short = await readCsv(Buffer.from('unit_code,year,field_id,value\nQ1,2024,1.1.2-a.m.tl,95,5\n'), bound);
    expect(short.ok || reasonText(short)).toContain('số thập phân "95,5"');
    // Lines that match the header, and empty ones (even made of separators), are read.
    const fine = await readCsv(Buffer.from(`${HEADER}\nQ1,2024,1.1.2-a.m.tl,"95,5",\n,,,,\n\nQ1,2024,1.1.2-a.m.tu,700,\n`), bound);
    expect(fine.ok && fine.rows.map((r) => [r.line, r.value])).toEqual([[2, '95,5'], [5, '700']]);
  });

  it('stops at the first wrong line: a file wrong on line 2 is refused there, whatever follows', async () => {
    // Line 50,002 holds a byte that is no UTF-8: a reader that decoded the whole file first would name it instead.
    const body = Array.from({ length: 50_000 }, () => 'Q1,2024,1.1.2-a.m.tu,700,').join('\n');
    const bytes = Buffer.concat([Buffer.from(`${HEADER}\nQ1,2024,1.1.2-a.m.tl,95,5,\n${body}\n`), Buffer.from([0xff, 0x0a])]);
    expect(await readCsv(bytes, bound)).toMatchObject({ ok: false, code: 'csv_field_count', line: 2 });
    // Without the wrong line 2, the next fault is the bound, then the bad byte.
    const rest = Buffer.concat([Buffer.from(`${HEADER}\n${body}\n`), Buffer.from([0xff, 0x0a])]);
    expect(await readCsv(rest, bound)).toMatchObject({ ok: false, code: 'csv_too_many_rows', line: 1002 });
    expect(await readCsv(rest, { rowLimit: () => 60_000 })).toMatchObject({ ok: false, code: 'csv_encoding', line: 50_002 });
  });
});

describe('a CSV is decoded strictly: UTF-8 (BOM or not) or UTF-16 with BOM, never a "�"', () => {
  const lines = ['unit_code\tyear\tfield_id\tvalue\tnote', 'SKHCN\t2024\t1.2.4-a.m.gt\t12.345,5\tQuyết toán năm 2024', 'SKHCN\t2024\t1.2.4-a.m.xh\tGiảm\t'];

  it('Excel\'s "Unicode Text" (UTF-16 LE with BOM, tab separated) and UTF-16 BE are read, Vietnamese intact', async () => {
    const { ws, dir } = fresh();
    const le = path.join(dir, 'SKHCN-unicode.csv');
    fs.writeFileSync(le, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(lines.join('\r\n') + '\r\n', 'utf16le')]));
    const r = (await ingest(ws, [le], { now })).files[0];
    expect(r).toMatchObject({ status: 'accepted', unit: 'SKHCN', year: 2024 });
    const v = stored(ws, 'SKHCN');
    expect(v.find((x) => x.field_id === '1.2.4-a.m.gt')).toMatchObject({ value_num: 12345.5, note: 'Quyết toán năm 2024' });
    expect(v.find((x) => x.field_id === '1.2.4-a.m.xh')!.value_text).toBe('Giảm');
    expect(JSON.stringify(v)).not.toContain('\uFFFD');

    const be = Buffer.from(lines.join('\n'), 'utf16le').swap16();
    const read = await readCsv(Buffer.concat([Buffer.from([0xfe, 0xff]), be]), bound);
    expect(read.ok && read.rows.map((x) => x.note)).toEqual(['Quyết toán năm 2024', '']);
  });

  it('a byte that is no UTF-8 (Windows-1258 "ầ"): refused with its line, the text before it and how to save as CSV UTF-8', async () => {
    const { ws, dir } = fresh();
    const file = path.join(dir, 'SKHCN-1258.csv');
    fs.writeFileSync(file, Buffer.concat([
      Buffer.from(`\uFEFF${HEADER}\nSKHCN,2024,1.2.4-a.m.xh,Tăng,\nSKHCN,2024,1.2.4-a.m.gt,"12,5",Quyết to`),
      Buffer.from([0xe1, 0x6e]), Buffer.from(' 2024\n'),
    ]));
    const r = (await ingest(ws, [file], { now })).files[0];
    expect(r.status).toBe('rejected');
    expect(r.messages.map((m) => m.code)).toEqual(['csv_encoding']);
    expect(r.reason).toContain('dòng 3: tệp CSV không phải mã UTF-8');
    // The end of the line up to the bad byte (its last 30 characters), to find it by.
    expect(r.reason).toContain('ngay sau "4,1.2.4-a.m.gt,"12,5",Quyết to" có byte không đọc được thành chữ');
    expect(r.reason).toContain('"CSV UTF-8 (Comma delimited) (*.csv)"');
    expect(stored(ws, 'SKHCN')).toEqual([]);
  });

  it('a "�" already in the file, a broken UTF-16 file: refused with their line', async () => {
    const damaged = await readCsv(Buffer.from(`${HEADER}\nSKHCN,2024,1.2.4-a.m.xh,Tăng,\nSKHCN,2024,narrative.kho_khan,Ủy ban nhân \uFFFDdân,\n`), bound);
    expect(damaged).toMatchObject({ ok: false, code: 'csv_encoding', line: 3 });
    expect(damaged.ok || reasonText(damaged)).toContain('ngay sau "arrative.kho_khan,Ủy ban nhân" có ký tự "�"');
    const lone = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${lines[0]}\n${lines[1]}\n`, 'utf16le'), Buffer.from([0x00, 0xd8, 0x41, 0x00])]);
    expect(await readCsv(lone, bound)).toMatchObject({ ok: false, code: 'csv_encoding', line: 3 });
  });
});

describe('a CSV is bounded by what its unit can send', () => {
  it('a unit with more indicators may send more lines; one line past the bound is refused on that line', async () => {
    const { ws, dir } = fresh();
    // 2024's bound: 2024's assignment (issue 23: the Sở Khoa học và Công nghệ alone, without the 2.4.x of 2024's TTTT).
    const y2024 = workspaceForYear(ws, 2024);
    const limit = csvRowLimit(y2024, 'SKHCN');
    expect(csvRowLimit(y2024, 'SGDDT')).toBeGreaterThan(limit);
    expect(limit).toBeLessThan(200);
    const lines = (count: number) => [HEADER, ...Array.from({ length: count }, (_, i) => `SKHCN,2024,1.2.4-a.m.gt,${i},`)].join('\n') + '\n';
    fs.writeFileSync(path.join(dir, 'a.csv'), lines(limit));
    fs.writeFileSync(path.join(dir, 'b.csv'), lines(limit + 1));
    const result = await ingest(ws, [path.join(dir, 'a.csv'), path.join(dir, 'b.csv')], { now, dryRun: true });
    // At the bound: read, each repeated line judged on its own.
    expect(result.files[0].messages.filter((m) => m.code === 'duplicate_field')).toHaveLength(limit - 1);
    expect(result.files[1].messages.map((m) => m.code)).toEqual(['csv_too_many_rows']);
    expect(result.files[1].reason).toContain(`dòng ${limit + 2}: tệp CSV có hơn ${limit} dòng số liệu`);
  });
});

describe('a 15 MB CSV, through the CLI: refused or accepted within 300 MB', () => {
  const MAX_RSS_MB = 300;

  it('100,000 lines of one unit: refused at its bound', () => {
    const { dir } = fresh();
    const file = path.join(dir, 'Q1-lon.csv');
    const row = (i: number) => `Q1,2024,1.1.2-a.m.tu,${i},ghi chú dòng ${i} của Ủy ban nhân dân Quận 1 năm báo cáo 2024 -------------------------------------------------`;
    fs.writeFileSync(file, [HEADER, ...Array.from({ length: 100_000 }, (_, i) => row(i))].join('\n') + '\n');
    expect(fs.statSync(file).size).toBeGreaterThan(14 * 1024 * 1024);
    const run = measureHoctap(['ingest', file, '--format', 'json', '--workspace', dir], dir);
    const r = (JSON.parse(run.stdout) as { files: { status: string; reason: string }[] }).files[0];
    expect(run.status).toBe(1);
    expect(r.status).toBe('rejected');
    expect(r.reason).toMatch(/dòng \d+: tệp CSV có hơn \d+ dòng số liệu/);
    expect(run.maxRssMb, 'peak memory (MB)').toBeLessThanOrEqual(MAX_RSS_MB);
  });

  it('a valid CSV padded to 15 MB with empty lines: accepted', () => {
    const { dir } = fresh();
    const file = path.join(dir, 'Q1-dem.csv');
    const blank = ' ,  ,   ,    , '.padEnd(150, ' ');
    const padding = Array.from({ length: 100_000 }, () => blank).join('\n');
    fs.writeFileSync(file, `${HEADER}\nQ1,2024,1.1.2-a.m.tu,700,\nQ1,2024,1.1.2-a.m.mau,1000,\nQ1,2024,1.1.2-a.m.tl,70,\n${padding}\n`);
    expect(fs.statSync(file).size).toBeGreaterThan(14 * 1024 * 1024);
    const run = measureHoctap(['ingest', file, '--format', 'json', '--workspace', dir], dir);
    const r = (JSON.parse(run.stdout) as { files: { status: string; values: number }[] }).files[0];
    expect(r).toMatchObject({ status: 'accepted', values: 3 });
    expect(run.maxRssMb, 'peak memory (MB)').toBeLessThanOrEqual(MAX_RSS_MB);
  });
});
