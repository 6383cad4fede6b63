/**
 * Issue 14's "Done when", through the commands an analyst types: one workspace runs 2024 with the 22 districts and
 * 2025 with a commune roster imported from an xlsx; each year's history, status, score, templates and report keep their
 * own units, names and wording; changing 2025's roster leaves 2024's outputs identical but for timestamps.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace } from '../src/catalog/workspace.ts';
import { templateFileName } from '../src/templates/generate.ts';
import { SHEETS } from '../src/xlsx/meta.ts';
import { fillTemplate, plausibleValues } from '../fixtures/fill.ts';
import { runHoctap } from './helpers/cli.ts';
import { needTool, tempDir } from './helpers/tools.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures');
const DISTRICT_WORDS = /quận|huyện|Thủ Đức|thị trấn/i;
/** The reference column "Năm … (đã báo cáo)" of the ChiSo sheet (sheet-indicators.ts: the 8th column). */
const PREVIOUS_COL = 8;
const withPdf = needTool('chromium');

async function writeList(file: string, rows: string[][]): Promise<void> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('Danh sách');
  sheet.addRow(['DANH SÁCH ĐƠN VỊ BÁO CÁO NĂM 2025']);
  sheet.addRow(['Mã', 'Tên đơn vị', 'Loại', 'Email']);
  for (const r of rows) sheet.addRow(r);
  await wb.xlsx.writeFile(file);
}

const DEPARTMENTS = [
  ['SGDDT', 'Sở Giáo dục và Đào tạo', 'GDDT', ''],
  ['SNV', 'Sở Nội vụ', 'Sở Nội vụ', ''],
];
// The province's list reuses the code Q1 for a ward: it is not the 2024 district Quận 1.
const COMMUNES = [
  ['Q1', 'Ủy ban nhân dân phường Sài Gòn', 'Phường', ''],
  ['X_CANGIO', 'Ủy ban nhân dân xã Cần Giờ', 'Xã', ''],
];

const run = (ws: string, args: string[]) => runHoctap(['-w', ws, ...args], { timeout: 300_000 });

/** What a year's reading commands show, timestamps masked: status, score, and the report in every format. */
function outputsOf(ws: string, year: number, tag: string, report = true): Record<string, string> {
  const out: Record<string, string> = {};
  for (const cmd of ['status', 'score']) {
    const r = run(ws, [cmd, '--year', String(year), '--format', 'json']);
    expect(r.status, r.stderr).toBe(0);
    out[cmd] = r.stdout;
  }
  if (!report) return out;
  const dir = path.join(ws, 'out-report', `${year}-${tag}`);
  const formats = withPdf ? 'html,xlsx,docx,pdf' : 'html,xlsx,docx';
  const r = run(ws, ['report', '--year', String(year), '--format', formats, '--date', `${year}-12-30`, '--out', dir]);
  expect(r.status, r.stderr).toBe(0);
  for (const f of fs.readdirSync(dir).sort()) {
    const file = path.join(dir, f);
    if (f.endsWith('.html')) out[f] = fs.readFileSync(file, 'utf8');
    else if (f.endsWith('.pdf')) out[f] = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    // the DOCX's words (its relationship ids and the charts' embedded workbooks are new on every run)
    else if (f.endsWith('.docx')) out[f] = unzipText(file, 'word/document.xml').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    else out[f] = unzipText(file);
  }
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, maskTimes(v)]));
}

const unzipText = (file: string, ...parts: string[]) => execFileSync('unzip', ['-p', file, ...parts], { maxBuffer: 256 * 1024 * 1024 }).toString('utf8');

/** ISO instants and clock times are when a command ran, not what it says. */
const maskTimes = (s: string) => s
  .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z?/g, '<instant>')
  .replace(/\b\d{1,2}:\d\d(:\d\d)?\b/g, '<time>');

/** The values shown in last year's reference column of a template. */
async function previousColumn(file: string): Promise<{ header: string; values: unknown[] }> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const sheet = wb.getWorksheet(SHEETS.indicators)!;
  const values: unknown[] = [];
  sheet.eachRow((row, n) => {
    if (n <= 3) return;
    const cell = row.getCell(PREVIOUS_COL);
    if (cell.isMerged) return; // a criterion's heading row spans the sheet
    const v = cell.value;
    if (v !== null && v !== undefined && v !== '') values.push(v);
  });
  return { header: String(sheet.getCell(3, PREVIOUS_COL).value), values };
}

describe('2024 with the districts, 2025 with the communes, in one workspace', () => {
  const ws = tempDir('hoctap-years-out-');
  let before2024: Record<string, string>;
  let before2025: Record<string, string>;

  beforeAll(async () => {
    expect(runHoctap(['init', ws]).status).toBe(0);
    expect(run(ws, ['ingest', path.join(FIXTURES, '2023'), '--year', '2023', '--received-at', '05/12/2023']).status).toBe(0);
    expect(run(ws, ['ingest', path.join(FIXTURES, '2024', 'dot-1'), '--year', '2024', '--received-at', '06/12/2024']).status).toBe(1);
    // 2024's templates are generated: the year is fixed by its snapshot
    expect(run(ws, ['generate-templates', '--year', '2024', '--unit', 'SGDDT']).status).toBe(0);
    const list = path.join(ws, 'ds-2025.xlsx');
    await writeList(list, [...DEPARTMENTS, ...COMMUNES]);
    expect(run(ws, ['roster', 'import', list, '--year', '2025']).status).toBe(0);
    const gen = run(ws, ['generate-templates', '--year', '2025']);
    expect(gen.status, gen.stderr).toBe(0);
    // SNV and the ward Q1 send their 2025 figures in the templates they were sent
    const y2025 = openWorkspace(ws, { year: 2025 });
    const inbox = path.join(ws, 'nhan-2025');
    fs.mkdirSync(inbox);
    for (const code of ['SNV', 'Q1']) {
      const unit = y2025.roster.find((u) => u.code === code)!;
      const name = templateFileName(unit, 2025);
      const filled = await fillTemplate(fs.readFileSync(path.join(ws, 'templates', '2025', name)), plausibleValues(y2025, unit, { seed: 7 }));
      fs.writeFileSync(path.join(inbox, name), filled);
    }
    const ing = run(ws, ['ingest', inbox, '--year', '2025', '--received-at', '05/12/2025']);
    expect(ing.status, ing.stdout + ing.stderr).toBe(0);
    before2024 = outputsOf(ws, 2024, 'a');
    before2025 = outputsOf(ws, 2025, 'a');
  }, 900_000);

  it('names each submission in history as its year\'s roster named the unit', () => {
    const h = JSON.parse(run(ws, ['history', '--format', 'json']).stdout) as { submissions: { unit: string; year: number; unitName: string; status: string }[] };
    const name = (unit: string, year: number) => h.submissions.find((s) => s.unit === unit && s.year === year && s.status === 'accepted')?.unitName;
    // Issue 23: SNV was 2024's own Sở Nội vụ (the labour department is SLDTBXH); the merged one keeps the code.
    expect(name('SNV', 2024)).toBe('Sở Nội vụ');
    expect(name('SNV', 2025)).toBe('Sở Nội vụ');
    expect(name('SLDTBXH', 2024)).toBe('Sở Lao động - Thương binh và Xã hội');
    expect(name('Q1', 2024)).toBe('Ủy ban nhân dân Quận 1');
    expect(name('Q1', 2025)).toBe('Ủy ban nhân dân phường Sài Gòn');
    const table = run(ws, ['history', '--unit', 'SNNMT']).stdout;
    expect(table).toContain('Sở Tài nguyên và Môi trường'); // 2024's name (issue 23: SNV is no longer renamed)
    const csv = run(ws, ['history', '--year', '2025', '--format', 'csv']).stdout;
    expect(csv).toMatch(/,Q1,Ủy ban nhân dân phường Sài Gòn,2025,accepted,/);
  });

  it('shows last year\'s figures of the same unit only: a department keeps its own, the ward reusing Q1 gets none', async () => {
    const y2025 = openWorkspace(ws, { year: 2025 });
    const file = (code: string) => path.join(ws, 'templates', '2025', templateFileName(y2025.roster.find((u) => u.code === code)!, 2025));
    const sgd = await previousColumn(file('SGDDT'));
    expect(sgd.header).toMatch(/Năm 2024/);
    expect(sgd.values.length).toBeGreaterThan(5); // the column is read: the department's 2024 figures are there
    const ward = await previousColumn(file('Q1'));
    expect(ward.header).toMatch(/Năm 2024/);
    expect(ward.values).toEqual([]); // not Quận 1's 2024 figures, although Quận 1 sent them under the same code
    expect((await previousColumn(file('X_CANGIO'))).values).toEqual([]);
  });

  it('keeps each year\'s status, score and report in its own units, names and words', () => {
    const status2024 = before2024.status;
    expect(status2024).toContain('Ủy ban nhân dân Quận 1');
    expect(status2024).toContain('Sở Lao động - Thương binh và Xã hội');
    expect(status2024).not.toContain('phường Sài Gòn');
    expect(before2025.status).toContain('Ủy ban nhân dân phường Sài Gòn');
    expect(before2025.status).toContain('Sở Nội vụ');
    expect(before2025.status).not.toContain('Quận 1');
    const html2024 = before2024['bao-cao-2024.html'];
    expect(html2024).toContain('Sở Lao động - Thương binh và Xã hội');
    expect(html2024).toMatch(/quận, huyện/);
    const html2025 = before2025['bao-cao-2025.html'];
    expect(html2025).toContain('xã, phường, đặc khu');
    expect(html2025).not.toContain('Sở Lao động - Thương binh và Xã hội');
    expect(html2025).not.toContain('Ủy ban nhân dân Quận 1');
    // 2025's outputs name the district level only where they say what last year's figures were reported by (the
    // comparison across the reform, issue 14.5); the note is there, and nothing else has a district word.
    const LAST_YEAR_LEVEL = /năm 2024 báo cáo theo cấp huyện|"levels": \[\s*"cấp huyện"/g;
    expect(before2025.score).toMatch(/"levels": \[\s*"cấp huyện",\s*"cấp xã"/);
    expect(before2025.score).toMatch(/năm 2024 báo cáo theo cấp huyện/);
    expect(html2025).toMatch(LAST_YEAR_LEVEL);
    const districtWords = (text: string) => [...text.replace(/\s+/g, ' ').replace(LAST_YEAR_LEVEL, '').matchAll(new RegExp(`.{0,60}(?:${DISTRICT_WORDS.source}).{0,30}`, 'gi'))].map((m) => m[0]);
    for (const [name, text] of Object.entries(before2025)) expect(districtWords(text), name).toEqual([]);
  });

  it('leaves 2024\'s status, score and report unchanged when 2025\'s roster changes', async () => {
    const list = path.join(ws, 'ds-2025-b.xlsx');
    await writeList(list, [...DEPARTMENTS, COMMUNES[0], ['P_BENTHANH', 'Ủy ban nhân dân phường Bến Thành', 'Phường', '']]);
    const imp = run(ws, ['roster', 'import', list, '--year', '2025', '--force']);
    expect(imp.status, imp.stderr).toBe(0);
    const after2025 = outputsOf(ws, 2025, 'b', false);
    // the same reading sees a roster change where there is one (2025 now lists Bến Thành)…
    expect(after2025.status).not.toBe(before2025.status);
    expect(after2025.status).toContain('phường Bến Thành');
    // …and sees none in 2024
    const after2024 = outputsOf(ws, 2024, 'b');
    expect(Object.keys(after2024).sort()).toEqual(Object.keys(before2024).sort());
    for (const [name, text] of Object.entries(before2024)) expect(after2024[name], name).toBe(text);
  }, 600_000);
});
