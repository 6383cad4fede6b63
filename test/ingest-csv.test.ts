import fs from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace, type Workspace } from '../src/catalog/workspace.ts';
import { ingest } from '../src/ingest/ingest.ts';
import { history, valuesOfSubmission, acceptedNarratives } from './helpers/sqlite.ts';
import { tempDir } from './helpers/tools.ts';
import { batchExitCode } from '../src/cli/commands/ingest.ts';

let root: string;
let n = 0;
beforeAll(() => { root = tempDir('hoctap-csv-'); });
afterAll(() => { fs.rmSync(root, { recursive: true, force: true }); });

function fresh(): { ws: Workspace; dir: string } {
  const dir = path.join(root, `ws${++n}`);
  fs.mkdirSync(dir);
  return { ws: openWorkspace(dir), dir };
}

function withDb<T>(ws: Workspace, fn: (db: DatabaseSync) => T): T {
  const db = new DatabaseSync(ws.dbPath, { readOnly: true });
  try { return fn(db); } finally { db.close(); }
}

const now = new Date('2024-12-12T03:00:00Z');

describe('hoctap ingest: CSV in long form', () => {
  it('UTF-8 with BOM, comma separated, quoted decimal commas, a note column: accepted, values stored with their line', async () => {
    const { dir } = fresh();
    // A 2024 roster with one unit for science and for information and communications (as before issue 23 split them):
    // SKHCN keeps 2.4.1-b and 2.4.2 (fitAssignmentsToRoster), so one CSV carries numbers, directions and percentages.
    const profileRoster = fs.readFileSync(path.resolve(import.meta.dirname, '../seeds/profiles/hcm/roster.csv'), 'utf8');
    fs.writeFileSync(path.join(dir, 'roster.csv'), profileRoster.split('\n').filter((l) => !l.startsWith('STTTT,')).join('\n'));
    const ws = openWorkspace(dir);
    const file = path.join(dir, 'SKHCN-2024.csv');
    fs.writeFileSync(file, '\uFEFF' + [
      'unit_code,year,field_id,value,note',
      'SKHCN,2024,1.2.4-a.m.gt,"12.345,5",Quyết toán 2024',
      'SKHCN,2024,1.2.4-a.m.xh,tăng,',
      'SKHCN,2024,1.2.4-b.m.gt,1.234,',
      'SKHCN,2024,1.2.4-b.m.xh,GIAM,',
      'SKHCN,2024,2.4.1-b.m.tl,"95,5",',
      'SKHCN,2024,2.4.2-a.m.tl,"100 %",Báo cáo số 15/BC-SKHCN',
      'SKHCN,2024,2.4.2-b.m.tl,"87,25",',
      'SKHCN,2024,narrative.chi_dao_huong_dan,"Đã ban hành kế hoạch.',
      'Tổ chức 3 hội nghị.",',
      'SKHCN,2024,contact.name,Trần Văn Minh,',
      '',
    ].join('\r\n'));
    const result = await ingest(ws, [file], { year: 2024, now });
    const r = result.files[0];
    expect(r).toMatchObject({ kind: 'csv', unit: 'SKHCN', year: 2024, status: 'accepted', errors: 0 });
    expect(batchExitCode(result)).toBe(0);
    withDb(ws, (db) => {
      const [sub] = history(db, 'SKHCN', 2024);
      expect(sub.source_kind).toBe('csv');
      expect(path.extname(sub.archive_path)).toBe('.csv');
      const v = new Map(valuesOfSubmission(db, sub.id).map((x) => [x.field_id, x]));
      expect(v.get('1.2.4-a.m.gt')).toMatchObject({ value_num: 12345.5, raw: '12.345,5', line: 2, cell: null, note: 'Quyết toán 2024' });
      expect(v.get('1.2.4-a.m.xh')).toMatchObject({ value_text: 'Tăng', value_num: null, line: 3 });
      expect(v.get('1.2.4-b.m.gt')!.value_num).toBe(1234);
      expect(v.get('1.2.4-b.m.xh')!.value_text).toBe('Giảm');
      expect(v.get('2.4.1-b.m.tl')!.value_num).toBe(95.5);
      expect(v.get('2.4.2-a.m.tl')!.value_num).toBe(100);
      expect(v.get('2.4.2-b.m.tl')!.value_num).toBe(87.25);
      expect(acceptedNarratives(db, 2024)).toEqual([{ unit_code: 'SKHCN', section_id: 'chi_dao_huong_dan', text: 'Đã ban hành kế hoạch.\nTổ chức 3 hội nghị.', received_at: sub.received_at }]);
    });
    // The note counts as evidence for the 100 % claim, and every assigned figure was sent: no message at all.
    expect(r.messages.map((m) => m.code)).toEqual([]);
  });

  it('semicolon separated, no BOM, unquoted decimal commas: accepted', async () => {
    const { ws, dir } = fresh();
    const file = path.join(dir, 'Q1.csv');
    fs.writeFileSync(file, [
      'unit_code;year;field_id;value',
      'Q1;2024;1.1.2-a.m.tu;1.500',
      'Q1;2024;1.1.2-a.m.mau;2 000',
      'Q1;2024;1.1.2-a.m.tl;75,0',
      'Q1;2024;1.3.1-b.m.tl;12,5',
    ].join('\n'));
    const r = (await ingest(ws, [file], { now })).files[0];
    expect(r.status).toBe('accepted');
    // Figures of the unit's other indicators were not sent: missing, not zero.
    expect(r.missing).toBe(14);
    expect(r.messages.map((m) => m.code)).toEqual(['missing_values']);
    withDb(ws, (db) => {
      const [sub] = history(db, 'Q1', 2024);
      const v = new Map(valuesOfSubmission(db, sub.id).map((x) => [x.field_id, x.value_num]));
      expect(Object.fromEntries(v)).toEqual({ '1.1.2-a.m.tu': 1500, '1.1.2-a.m.mau': 2000, '1.1.2-a.m.tl': 75, '1.3.1-b.m.tl': 12.5 });
    });
  });

  it('unknown, unassigned and repeated fields and bad values are errors on their line; a feedback CSV is written', async () => {
    const { ws, dir } = fresh();
    const file = path.join(dir, 'Q3.csv');
    fs.writeFileSync(file, [
      'unit_code,year,field_id,value,note',
      'Q3,2024,1.1.2-a.m.tu,700,',
      'Q3,2024,1.1.2-a.m.mau,1000,',
      'Q3,2024,1.1.2-a.m.tl,"80,5",',
      'Q3,2024,9.9.9-z.m.tl,50,',
      'Q3,2024,1.1.1-a.m.tl,50,',
      'Q3,2024,1.1.2-a.m.tu,710,',
      'Q3,2024,1.3.1-b.m.tu,nhiều,',
    ].join('\n'));
    const result = await ingest(ws, [file], { now, feedbackDir: path.join(dir, 'phan-hoi') });
    const r = result.files[0];
    expect(r.status).toBe('rejected');
    expect(r.messages.filter((m) => m.severity === 'error').map((m) => [m.code, m.line, m.field])).toEqual([
      ['rate_mismatch', 4, '1.1.2-a.m.tl'],
      ['unknown_field', 5, '9.9.9-z.m.tl'],
      ['field_not_assigned', 6, '1.1.1-a.m.tl'],
      ['duplicate_field', 7, '1.1.2-a.m.tu'],
      ['not_a_number', 8, '1.3.1-b.m.tu'],
    ]);
    expect(r.messages[1].text).toContain('Q3.csv, dòng 5');
    expect(r.messages.find((m) => m.code === 'rate_mismatch')!.text).toContain('Q3.csv, dòng 4 — chỉ số 1.1.2-a');
    const feedback = fs.readFileSync(r.feedbackPath!, 'utf8');
    expect(path.basename(r.feedbackPath!)).toBe('Q3.kiem-tra.csv');
    const lines = feedback.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe('unit_code,year,field_id,value,note,kiem_tra_muc_do,kiem_tra_noi_dung');
    expect(lines[1]).toBe('Q3,2024,1.1.2-a.m.tu,700,,,');
    expect(lines[4]).toMatch(/^Q3,2024,9\.9\.9-z\.m\.tl,50,,Lỗi,.*mã ô không có trong danh mục/);
  });

  it('a CSV of another year, several units, or not UTF-8 is refused in one line', async () => {
    const { ws, dir } = fresh();
    fs.writeFileSync(path.join(dir, 'a-nam.csv'), 'unit_code,year,field_id,value\nQ4,2023,1.1.2-a.m.tu,5\n');
    fs.writeFileSync(path.join(dir, 'b-hai-don-vi.csv'), 'unit_code,year,field_id,value\nQ4,2024,1.1.2-a.m.tu,5\nQ5,2024,1.1.2-a.m.tu,5\n');
    fs.writeFileSync(path.join(dir, 'c-ma-hoa.csv'), Buffer.concat([Buffer.from('unit_code,year,field_id,value\nQ6,2024,narrative.chi_dao_huong_dan,'), Buffer.from([0x54, 0xe4, 0x6e, 0x67, 0x0a])]));
    fs.writeFileSync(path.join(dir, 'd-thieu-cot.csv'), 'don_vi,nam,o,gia_tri\nQ7,2024,1.1.2-a.m.tu,5\n');
    const result = await ingest(ws, [dir], { year: 2024, now });
    const byFile = new Map(result.files.map((f) => [f.file, f]));
    expect(byFile.get('a-nam.csv')!.messages.map((m) => m.code)).toEqual(['wrong_year']);
    expect(byFile.get('b-hai-don-vi.csv')!.reason).toContain('dòng 3: tệp CSV có nhiều mã đơn vị ("Q4", "Q5")');
    expect(byFile.get('c-ma-hoa.csv')!.reason).toContain('không phải mã UTF-8');
    expect(byFile.get('d-thieu-cot.csv')!.reason).toContain('dòng tiêu đề thiếu cột unit_code, year, field_id, value');
    for (const f of result.files) {
      expect(f.status).toBe('rejected');
      expect(f.reason).not.toContain('\n');
    }
    expect(batchExitCode(result)).toBe(1);
  });
});
