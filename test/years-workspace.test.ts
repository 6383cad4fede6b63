/** Issue 14: one workspace, 2024 with the 22 districts and 2025 with a commune roster imported from an xlsx. */
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace } from '../src/catalog/workspace.ts';
import { comparableYears, writeYearSnapshot, yearConfig } from '../src/catalog/years.ts';
import { generateTemplates } from '../src/templates/generate.ts';
import { tempDir } from './helpers/tools.ts';
import { runHoctap } from './helpers/cli.ts';

const GENERATED_AT = new Date('2024-11-20T03:00:00Z');
const DISTRICT_WORDS = /quận|huyện|Thủ Đức|thị trấn/i;

/** The official list of 2025 as a province publishes it: Vietnamese headers, kinds written out. */
async function writeCommuneList(file: string, rows: string[][]): Promise<void> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('Danh sách');
  sheet.addRow(['DANH SÁCH ĐƠN VỊ BÁO CÁO NĂM 2025 (mẫu)']);
  sheet.addRow(['Mã', 'Tên đơn vị', 'Loại', 'Email']);
  for (const r of rows) sheet.addRow(r);
  await wb.xlsx.writeFile(file);
}

const DEPARTMENTS_2025 = [
  ['SGDDT', 'Sở Giáo dục và Đào tạo', 'GDDT', ''],
  ['SNV', 'Sở Nội vụ', 'Sở Nội vụ', ''],
  ['SNNMT', 'Sở Nông nghiệp và Môi trường', 'NNMT', ''],
];
const COMMUNES = [
  ['P_SAIGON', 'Ủy ban nhân dân phường Sài Gòn', 'Phường', 'saigon@example.vn'],
  ['X_CANGIO', 'Ủy ban nhân dân xã Cần Giờ', 'Xã', ''],
  ['DK_CONDAO', 'Ủy ban nhân dân đặc khu Côn Đảo', 'Đặc khu', ''],
];

/** Every text of every part (sheets, shared strings, the hidden _meta sheet) of the workbooks in a folder. */
async function workbookTexts(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.xlsx')).sort()) out.set(name, unzipped(path.join(dir, name)).toString('utf8'));
  return out;
}

/** The content of every part of a zip, in order (a zip's own bytes carry the time it was written). */
const unzipped = (file: string) => execFileSync('unzip', ['-p', file], { maxBuffer: 256 * 1024 * 1024 });

const sha = (file: string) => crypto.createHash('sha256').update(unzipped(file)).digest('hex');
const hashes = (dir: string) => Object.fromEntries(fs.readdirSync(dir).sort().map((f) => [f, sha(path.join(dir, f))]));

describe('one workspace, two shapes of year', () => {
  const ws = tempDir('hoctap-years-');
  const out2024 = path.join(ws, 'out', '2024');
  const out2025 = path.join(ws, 'out', '2025');
  let first2024: Record<string, string>;

  beforeAll(async () => {
    expect(runHoctap(['init', ws]).status).toBe(0);
    const y2024 = openWorkspace(ws, { year: 2024 });
    await generateTemplates(y2024, { year: 2024, outDir: out2024, units: ['SGDDT', 'SNV', 'SLDTBXH', 'Q1'], generatedAt: GENERATED_AT });
    writeYearSnapshot(y2024);
    first2024 = hashes(out2024);
    const list = path.join(ws, 'danh-sach-2025.xlsx');
    await writeCommuneList(list, [...DEPARTMENTS_2025, ...COMMUNES]);
    const imp = runHoctap(['-w', ws, 'roster', 'import', list, '--year', '2025']);
    expect(imp.stderr).toMatch(/^Thư mục làm việc: [^\n]*\n$/); // only the workspace it worked on (issue 12)
    expect(imp.status).toBe(0);
    // Issue 23: 2024 has 48 units (002's Mặt trận, organisations, universities; the departments before the merger):
    // 22 districts and 23 others are not in this short list. SNV was 2024's own Sở Nội vụ; the renamed one is SNNMT.
    expect(imp.stdout).toMatch(/Bớt 45 đơn vị/);
    expect(imp.stdout).toMatch(/Thêm 3 đơn vị: P_SAIGON - Ủy ban nhân dân phường Sài Gòn/);
    expect(imp.stdout).toMatch(/SNNMT: Sở Tài nguyên và Môi trường → Sở Nông nghiệp và Môi trường/);
    await generateTemplates(openWorkspace(ws, { year: 2025 }), { year: 2025, outDir: out2025, generatedAt: GENERATED_AT });
  }, 240_000);

  it('keeps each year its own units and names', () => {
    const y2024 = yearConfig(openWorkspace(ws), 2024);
    const y2025 = yearConfig(openWorkspace(ws), 2025);
    expect(y2024.roster).toHaveLength(48); // issue 23: 002's units added, the 2024 departments apart
    expect(y2024.roster.filter((u) => u.agencyCode === 'UBND')).toHaveLength(22);
    // Issue 23: in 2024 the Sở Nội vụ and the Sở Lao động - Thương binh và Xã hội were two departments.
    expect(y2024.agencyNames.NV).toBe('Sở Nội vụ');
    expect(y2024.agencyNames.LDTBXH).toBe('Sở Lao động - Thương binh và Xã hội');
    expect(y2024.agencyNames.UBND).toBe('Ủy ban nhân dân quận, huyện, thành phố Thủ Đức');
    expect(y2025.roster.map((u) => u.code)).toEqual([...DEPARTMENTS_2025, ...COMMUNES].map((r) => r[0]));
    expect(y2025.roster.find((u) => u.code === 'DK_CONDAO')!.agencyCode).toBe('UBND');
    expect(y2025.agencyNames.NV).toBe('Sở Nội vụ');
    expect(y2025.agencyNames.UBND).toBe('Ủy ban nhân dân xã, phường, đặc khu');
    expect(y2025.recipients).toContain('Ủy ban nhân dân các xã, phường, đặc khu');
    expect(y2024.recipients).toContain('Ủy ban nhân dân các quận, huyện, thành phố Thủ Đức');
  });

  it('sets the units\' and the report\'s deadlines of the year (30/12 both in 2024; 10/12 for the units otherwise)', () => {
    const y = yearConfig(openWorkspace(ws), 2024);
    // Issue 23: 002 asks the units to report before 30/12/2024; the profile's 10/12 holds for the other years.
    expect(y.deadline.toISOString()).toBe('2024-12-30T16:59:59.999Z');
    expect(yearConfig(openWorkspace(ws), 2025).deadline.toISOString()).toBe('2025-12-10T16:59:59.999Z');
    expect(y.reportDeadline.toISOString()).toBe('2024-12-30T16:59:59.999Z');
  });

  it('writes each year\'s templates in its own words', async () => {
    const t2024 = await workbookTexts(out2024);
    const t2025 = await workbookTexts(out2025);
    const sgd2024 = [...t2024].find(([n]) => n.includes('SGDDT'))![1];
    expect(sgd2024).toContain('100% quận, huyện, thành phố Thủ Đức đạt chuẩn xóa mù chữ mức độ 2');
    // Issue 23: the labour department of 2024 is a unit of its own (SNV is 2024's Sở Nội vụ).
    expect([...t2024].find(([n]) => n.includes('SLDTBXH'))![1]).toContain('Sở Lao động - Thương binh và Xã hội');
    expect([...t2025.keys()].some((n) => n.includes('P_SAIGON'))).toBe(true);
    expect([...t2025.keys()].some((n) => n.includes('Q1'))).toBe(false);
    const sgd2025 = [...t2025].find(([n]) => n.includes('SGDDT'))![1];
    expect(sgd2025).toContain('100% xã, phường, đặc khu đạt chuẩn xóa mù chữ mức độ 2');
    for (const [name, text] of t2025) expect(text, name).not.toMatch(DISTRICT_WORDS);
  });

  it('has no district wording in the catalog JSON of 2025 and later', () => {
    for (const year of ['2025', '2026', '2030']) {
      const r = runHoctap(['-w', ws, 'catalog', '--year', year, '--format', 'json']);
      expect(r.status).toBe(0);
      expect(r.stdout, year).not.toMatch(DISTRICT_WORDS);
      expect(JSON.parse(r.stdout).indicators.find((i: { id: string }) => i.id === 'KH.4.1-b').text).toBe('25% xã, phường, đặc khu được công nhận danh hiệu xã, phường, đặc khu học tập (năm 2030: 50%)');
    }
    const r2024 = JSON.parse(runHoctap(['-w', ws, 'catalog', '--year', '2024', '--format', 'json']).stdout);
    const byId = new Map(r2024.indicators.map((i: { id: string }) => [i.id, i]));
    expect((byId.get('2.2.1-a') as { text: string }).text).toMatch(/^Số xã, phường, thị trấn có trung tâm học tập cộng đồng/);
    expect((byId.get('1.2.2-a') as { agencies: { name: string }[] }).agencies[0].name).toBe('Sở Lao động - Thương binh và Xã hội');
  });

  it('says that 2024 and 2025 cannot be paired unit by unit, 2023 and 2024 can', () => {
    const w = openWorkspace(ws);
    const c = comparableYears(w, 2024, 2025);
    expect(c).toMatchObject({ sameUnits: false, sameLevel: false, levels: ['cấp huyện', 'cấp xã'] });
    expect(c.commonUnits).toEqual(['SGDDT', 'SNV', 'SNNMT']);
    expect(comparableYears(w, 2023, 2024)).toMatchObject({ sameUnits: true, sameLevel: true });
  });

  it('leaves 2024 byte-identical when 2025\'s roster and the workspace roster change', async () => {
    const catalog2024 = runHoctap(['-w', ws, 'catalog', '--year', '2024', '--format', 'json']).stdout;
    const status2024 = runHoctap(['-w', ws, 'roster', 'show', '--year', '2024', '--format', 'json']).stdout;
    const list = path.join(ws, 'danh-sach-2025-b.xlsx');
    await writeCommuneList(list, [...DEPARTMENTS_2025, ...COMMUNES.slice(0, 1), ['P_BENTHANH', 'Ủy ban nhân dân phường Bến Thành', 'Phường', '']]);
    expect(runHoctap(['-w', ws, 'roster', 'import', list, '--year', '2025']).status).toBe(0);
    // someone also overwrites the workspace-wide roster: 2024's templates were generated, its snapshot holds
    fs.writeFileSync(path.join(ws, 'roster.csv'), 'unit_code,unit_name,agency_code,email\nSGDDT,Sở Giáo dục và Đào tạo,GDDT,\nSNV,Sở Nội vụ,NV,\nQ1,UBND mới,UBND,\n');
    const again = path.join(ws, 'out', '2024-again');
    await generateTemplates(openWorkspace(ws, { year: 2024 }), { year: 2024, outDir: again, units: ['SGDDT', 'SNV', 'SLDTBXH', 'Q1'], generatedAt: GENERATED_AT });
    expect(hashes(again)).toEqual(first2024);
    expect(runHoctap(['-w', ws, 'catalog', '--year', '2024', '--format', 'json']).stdout).toBe(catalog2024);
    expect(runHoctap(['-w', ws, 'roster', 'show', '--year', '2024', '--format', 'json']).stdout).toBe(status2024);
    expect(yearConfig(openWorkspace(ws), 2025).roster.map((u) => u.code)).toContain('P_BENTHANH');
  }, 120_000);
});

describe('what is decided when the report is signed', () => {
  it('takes the signer, the number and annexSeparateAbove from the configs even after the snapshot; the rest stays as it was', () => {
    const dir = tempDir('hoctap-years-signer-');
    expect(runHoctap(['init', dir]).status).toBe(0);
    writeYearSnapshot(openWorkspace(dir, { year: 2024 }));
    const frozen = openWorkspace(dir, { year: 2024 }).profile;
    expect(frozen.signer.name).toBe('');
    const configFile = path.join(dir, 'hoctap.config.json');
    const config = JSON.parse(fs.readFileSync(configFile, 'utf8'));
    // The name alone is enough (the notice for a missing signer asks for signer.name); a frozen key changed too.
    fs.writeFileSync(configFile, JSON.stringify({ ...config, signer: { name: 'Trần Thị B' }, documentNumber: '125', annexSeparateAbove: 7, recipients: ['Nơi khác'] }));
    fs.writeFileSync(path.join(dir, 'years', '2024', 'config.json'), JSON.stringify({ signer: { title: 'GIÁM ĐỐC' } }));
    const p = openWorkspace(dir, { year: 2024 }).profile;
    expect(p.signer).toEqual({ authority: frozen.signer.authority, title: 'GIÁM ĐỐC', name: 'Trần Thị B' });
    expect(p.documentNumber).toBe('125');
    expect(p.annexSeparateAbove).toBe(7);
    expect(p.recipients).toEqual(frozen.recipients);
    expect(p.recipients).not.toContain('Nơi khác');
    // …and the analyst is told so, with where to write it for 2024 (the commands whose output carries the texts).
    expect(openWorkspace(dir, { year: 2024 }).heldBySnapshot).toEqual(['recipients']);
    const out = path.join(dir, 'out');
    const gen = runHoctap(['-w', dir, 'generate-templates', '--year', '2024', '--unit', 'SGDDT', '--out', out]);
    expect(gen.status).toBe(0);
    expect(gen.stderr).toContain('Lưu ý: "recipients" trong hoctap.config.json khác với bản đã lưu khi tạo biểu mẫu năm 2024');
    expect(gen.stderr).toContain(`ghi khóa này vào ${path.join('years', '2024', 'config.json')}`);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('follows all of the year\'s own config after the snapshot: a deadline put off, Nơi nhận changed for that year', () => {
    const dir = tempDir('hoctap-years-own-');
    expect(runHoctap(['init', dir]).status).toBe(0);
    writeYearSnapshot(openWorkspace(dir, { year: 2024 }));
    const frozen = openWorkspace(dir, { year: 2024 }).profile;
    expect(frozen.deadline).toEqual({ month: 12, day: 10 });
    fs.writeFileSync(path.join(dir, 'years', '2024', 'config.json'), JSON.stringify({
      deadline: { month: 12, day: 20 }, recipients: ['Như trên;', 'Lưu: VT, {cap_dia_phuong}.'],
    }));
    const y2024 = openWorkspace(dir, { year: 2024 });
    expect(y2024.profile.deadline).toEqual({ month: 12, day: 20 });
    // In the year's words, as every text of the year is.
    expect(y2024.profile.recipients).toEqual(['Như trên;', 'Lưu: VT, quận, huyện, thành phố Thủ Đức.']);
    expect(y2024.profile.canCu).toEqual(frozen.canCu);
    expect(y2024.heldBySnapshot).toEqual([]);
    expect(openWorkspace(dir, { year: 2025 }).profile.deadline).toEqual({ month: 12, day: 10 });
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('roster import checks the list', () => {
  it('names every problem with file and line, writes nothing, exit 2', () => {
    const ws = tempDir('hoctap-roster-');
    const file = path.join(ws, 'ds.csv');
    fs.writeFileSync(file, 'Mã;Tên đơn vị;Loại;Email\nP1;Ủy ban nhân dân phường Một;Phường;\nP1;Ủy ban nhân dân phường Hai;Phường;\nP3;;Xã;\nP4;Ban Lạ;Sở Lạ;\n');
    const r = runHoctap(['-w', ws, 'roster', 'import', file, '--year', '2025']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/ds\.csv, dòng 3, cột "Mã": mã đơn vị "P1" bị trùng với dòng 2/);
    expect(r.stderr).toMatch(/ds\.csv, dòng 4, cột "Tên đơn vị": tên đơn vị để trống/);
    expect(r.stderr).toMatch(/ds\.csv, dòng 5, cột "Loại": loại\/cơ quan "Sở Lạ" không có trong danh mục/);
    expect(fs.existsSync(path.join(ws, 'years', '2025', 'roster.csv'))).toBe(false);
  });

  it('refuses to replace the roster of a year whose templates exist, unless --force', () => {
    const ws = tempDir('hoctap-roster-');
    writeYearSnapshot(openWorkspace(ws, { year: 2024 }));
    const file = path.join(ws, 'ds.csv');
    fs.writeFileSync(file, 'Mã,Tên đơn vị,Loại\nQ1,Ủy ban nhân dân Quận 1,UBND\n');
    const r = runHoctap(['-w', ws, 'roster', 'import', file, '--year', '2024']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/Năm 2024 đã tạo biểu mẫu/);
    expect(openWorkspace(ws, { year: 2024 }).roster).toHaveLength(48); // issue 23: 48 units in the 2024 roster
    expect(runHoctap(['-w', ws, 'roster', 'import', file, '--year', '2024', '--force']).status).toBe(0);
    expect(openWorkspace(ws, { year: 2024 }).roster.map((u) => u.code)).toEqual(['Q1']);
  });
});

describe('new-year', () => {
  it('copies the previous year as a starting point and warns across the reform', () => {
    const ws = tempDir('hoctap-newyear-');
    const r = runHoctap(['-w', ws, 'new-year', '2025']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/năm 2024 báo cáo theo cấp huyện, năm 2025 theo cấp xã/);
    // Issue 23: the profile has a roster of 2025 (the merged departments): the year starts from it, not from 2024's.
    const roster2025 = fs.readFileSync(path.join(ws, 'years', '2025', 'roster.csv'), 'utf8');
    expect(roster2025).toContain('SNNMT,Sở Nông nghiệp và Môi trường,NNMT');
    expect(roster2025).not.toContain('Q1,Ủy ban nhân dân Quận 1,UBND');
    const cfg = JSON.parse(fs.readFileSync(path.join(ws, 'years', '2025', 'config.json'), 'utf8'));
    expect(cfg.reportDeadline).toEqual({ month: 12, day: 30 });
    expect(runHoctap(['-w', ws, 'new-year', '2025']).status).toBe(2);
  });
});

describe('the sample submissions in fixtures/', () => {
  const FIXTURES = path.resolve(import.meta.dirname, '../fixtures');
  const books = ['2023', path.join('2024', 'dot-1'), path.join('2024', 'dot-2')]
    .flatMap((d) => fs.readdirSync(path.join(FIXTURES, d)).filter((f) => f.endsWith('.xlsx')).map((f) => path.join(FIXTURES, d, f)));

  it('carry the words and names of their own year (make-fixtures builds each year from its own view)', () => {
    expect(books.length).toBeGreaterThan(60);
    const sgd = unzipped(path.join(FIXTURES, '2024', 'dot-1', '2024_SGDDT_So-Giao-duc-va-Dao-tao.xlsx')).toString('utf8');
    expect(sgd).toContain('100% quận, huyện, thành phố Thủ Đức đạt chuẩn xóa mù chữ mức độ 2');
    // Issue 23: 2024's labour department is SLDTBXH; 2024 also had a Sở Nội vụ of its own (SNV), so that name is no
    // longer a word of 2025 alone.
    expect(unzipped(path.join(FIXTURES, '2024', 'dot-1', '2024_SLDTBXH_So-Lao-dong-Thuong-binh-va-Xa-hoi.xlsx')).toString('utf8')).toContain('Sở Lao động - Thương binh và Xã hội');
    // the words of 2025 (communes, the merged departments) are in none of them
    for (const b of books) expect(unzipped(b).toString('utf8'), b).not.toMatch(/đặc khu|Sở Nông nghiệp và Môi trường/);
  });
});
