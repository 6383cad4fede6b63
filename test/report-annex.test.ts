/**
 * A body that does not grow with the number of units (issue 13, point 2): each narrative section starts with the
 * issuing department's text and a count of the other units that wrote on it; their full texts are in Phụ lục III, in
 * the report up to annexSeparateAbove units and as documents of their own beyond; Phụ lục II then lists only the units
 * to chase.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { openWorkspace, type Workspace } from '../src/catalog/workspace.ts';
import { openDatabase, storeOn } from './helpers/sqlite.ts';
import { collectReportInput, generateReport } from '../src/report/generate.ts';
import { loadTemplates, renderAnnexHtml, renderReportHtml } from '../src/report/html.ts';
import { buildReportModel, type ReportModel } from '../src/report/model/index.ts';
import { TEXTS_SHEET } from '../src/report/xlsx.ts';
import { seedSubmission } from './helpers/seed-store.ts';
import { writeCommuneRoster } from './helpers/report-store.ts';
import { needTool, tempDir } from './helpers/tools.ts';
import { runHoctapAsync } from './helpers/cli.ts';
import { pageSizes, poppler, zipEntry } from './helpers/pdf-checks.ts';

const DATE = { year: 2025, month: 1, day: 5 };
const dirs: string[] = [];
afterAll(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });

const SECTIONS = ['tuyen_truyen', 'chi_dao_huong_dan', 'chuyen_doi_so', 'tuan_le', 'cong_dan_hoc_tap', 'kho_khan', 'nhiem_vu', 'de_xuat'];

/**
 * A workspace of the HCM departments and `communes` local units (roster.csv), every unit reporting a text for every
 * section but the last `silent` local units, which send figures only; one unit late, one rejected, one missing.
 */
function workspaceWith(communes: number, opts: { separateAbove?: number; silent?: number } = {}): { ws: Workspace; dir: string } {
  const dir = tempDir('hoctap-report-annex-');
  dirs.push(dir);
  writeCommuneRoster(dir, communes);
  if (opts.separateAbove !== undefined) fs.writeFileSync(path.join(dir, 'hoctap.config.json'), JSON.stringify({ profile: 'hcm', annexSeparateAbove: opts.separateAbove }));
  const ws = openWorkspace(dir, { year: 2024 }); // the year's view: its units and words, as `hoctap report` opens it
  const db = openDatabase(ws.dbPath);
  try {
    ws.roster.forEach((u, k) => {
      if (u.code === 'X0002') return; // missing
      const silent = u.agencyCode === 'UBND' && k >= ws.roster.length - (opts.silent ?? 0);
      const narratives = silent ? {} : Object.fromEntries(SECTIONS.map((s) => [s, `${u.name} — ${s}: nội dung "${u.code}".\nDòng thứ hai của ${u.code}.`]));
      seedSubmission(db, {
        unitCode: u.code, year: 2024, values: { '1.1.1-a.m.tl': 90 + (k % 10) }, narratives,
        status: u.code === 'X0003' ? 'rejected' : 'accepted',
        // Late after 002's 30 December deadline of 2024 (issue 23; it was 20 December against 10 December).
        receivedAt: u.code === 'X0001' ? '2024-12-31T03:00:00.000Z' : undefined,
      }, ws.catalog);
    });
  } finally {
    db.close();
  }
  return { ws, dir };
}

async function modelOf(ws: Workspace): Promise<ReportModel> {
  const db = openDatabase(ws.dbPath);
  try {
    return buildReportModel((await collectReportInput(ws, storeOn(db), 2024, DATE)).input);
  } finally {
    db.close();
  }
}

/** The report's body as a reader sees it: from the header to the signature, appendices left out. */
const bodyText = (html: string) => html.slice(html.indexOf('<main'), html.indexOf('</main>')).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('each narrative section', () => {
  const { ws } = workspaceWith(10);
  let m: ReportModel;
  let html: string;
  beforeAll(async () => {
    m = await modelOf(ws);
    html = renderReportHtml(m, loadTemplates(ws.dir));
  });

  it('starts with the issuing department\'s own text, then counts the other units that wrote on it, by group', () => {
    const b = m.partI.directing.subsections[0];
    expect(b.lead).toEqual([{ lines: ['Sở Giáo dục và Đào tạo — tuyen_truyen: nội dung “SGDDT”.', 'Dòng thứ hai của SGDDT.'] }]);
    // 11 other departments and bodies, 10 communes: all wrote but the rejected (X0003) and the missing (X0002).
    expect(b.synthesis).toBe('Ngoài Sở Giáo dục và Đào tạo, 19/21 đơn vị khác đã báo cáo nội dung này (11/11 sở, ngành, cơ quan, tổ chức; ' +
      '8/10 Ủy ban nhân dân quận, huyện, thành phố Thủ Đức); toàn văn báo cáo của từng đơn vị tại Phụ lục III.');
    const body = bodyText(html);
    expect(body).toContain('Sở Giáo dục và Đào tạo — tuyen_truyen: nội dung “SGDDT”.');
    expect(body).not.toContain('nội dung “SNV”');
    expect(body).not.toContain('Ủy ban nhân dân xã số 1 —');
    expect(body).toContain(b.synthesis);
    // Issue 23: the count is said once, under the first section; the later ones only point to Phụ lục III (the same
    // sentence eight times was no synthesis).
    for (const block of [m.partI.directing.subsections[1], m.partI.digital, m.partI.week, m.partI.citizens]) {
      expect(block.lead).toHaveLength(1);
      expect(block.synthesis).toBe('Nội dung báo cáo của các đơn vị: Phụ lục III.');
      expect(body).toContain(block.synthesis);
    }
    expect(body.split('đơn vị khác đã báo cáo nội dung này')).toHaveLength(2);
    // Issue 23: II.2, III and IV say what the units wrote, sentence by sentence with the units; 19 units each writing
    // their own words: counted, the texts in Phụ lục III (the body as long for 3,000 units as for 30).
    for (const block of [m.partII.difficulties.narrative, m.partIV.narrative]) {
      expect(block.lead).toHaveLength(1);
      expect(block.synthesis).toBe('Tổng hợp báo cáo của 19 đơn vị (toàn văn tại Phụ lục III):');
      expect(block.points).toEqual(['- 19 ý kiến khác, mỗi ý kiến của một số ít đơn vị (toàn văn tại Phụ lục III).']);
      expect(body).toContain(block.points[0]);
    }
    // Issue 23 (item 5): III starts with the tasks drafted from what fell short, then the units' own, counted as before.
    const tasks = m.partIII.narrative;
    expect(tasks.points.slice(-2)).toEqual(['Tổng hợp báo cáo của 19 đơn vị (toàn văn tại Phụ lục III):', '- 19 ý kiến khác, mỗi ý kiến của một số ít đơn vị (toàn văn tại Phụ lục III).']);
    expect(tasks.points.join('\n')).toMatch(/^- Khắc phục \d+ chỉ số chưa đạt chỉ tiêu năm 2024/);
  });

  it('has I.3 and I.5 under the full headings of the city\'s outline (seeds/sources/002)', async () => {
    expect(m.partI.results.title).toBe('Công tác triển khai thực hiện các tiêu chí, chỉ số trong Bộ tiêu chí xây dựng thành phố học tập toàn cầu UNESCO');
    expect(m.partI.citizens.title).toBe('Công tác triển khai thực hiện Chương trình “Xây dựng mô hình Công dân học tập giai đoạn 2021 - 2030”');
    expect(bodyText(html)).toContain('5. Công tác triển khai thực hiện Chương trình “Xây dựng mô hình Công dân học tập giai đoạn 2021 - 2030”');
  });

  it('leaves every other unit\'s text to Phụ lục III, by section then by unit, nothing dropped and nothing twice', async () => {
    const a = m.appendixIII;
    expect(a.separate).toBe(false);
    expect(a.sections.map((s) => s.title.split('. ')[0])).toEqual(['I.1.1', 'I.1.2', 'I.2', 'I.4', 'I.5', 'II.2', 'III', 'IV']);
    const appendix = html.slice(html.indexOf('NỘI DUNG BÁO CÁO CỦA CÁC ĐƠN VỊ'));
    const db = openDatabase(ws.dbPath);
    try {
      const written = (await collectReportInput(ws, storeOn(db), 2024, DATE)).input.narratives;
      expect(written.length).toBe(20 * SECTIONS.length);
      for (const n of written) {
        const line = `— ${n.section_id}: nội dung “${n.unit_code}”.`;
        const inAppendix = appendix.split(line).length - 1;
        expect(inAppendix, `${n.unit_code} ${n.section_id}`).toBe(n.unit_code === 'SGDDT' ? 0 : 1);
      }
    } finally {
      db.close();
    }
    // Roster order inside a section.
    const i1 = appendix.slice(0, appendix.indexOf('I.2. '));
    expect(i1.indexOf('Sở Nội vụ —')).toBeLessThan(i1.indexOf('Ủy ban nhân dân xã số 1 —'));
    expect(i1.indexOf('Ủy ban nhân dân xã số 1 —')).toBeLessThan(i1.indexOf('Ủy ban nhân dân xã số 10 —'));
  });
});

describe('with many units', () => {
  it('keeps the body the same length whatever the number of units', async () => {
    const small = await modelOf(workspaceWith(10).ws);
    const large = workspaceWith(150, { silent: 20 });
    const big = await modelOf(large.ws);
    const t = loadTemplates(large.dir);
    const a = bodyText(renderReportHtml(small, t));
    const b = bodyText(renderReportHtml(big, t));
    // Only figures and where Phụ lục III is differ: a few hundred characters, not 140 units' texts (100 characters each).
    expect(Math.abs(a.length - b.length)).toBeLessThan(600);
    // Issue 23: the count by group is said once, under the first section (1.1).
    expect(big.partI.directing.subsections[0].synthesis).toContain('/150 Ủy ban nhân dân');
    expect(big.appendixIII.separate).toBe(true);
    const html = renderReportHtml(big, t);
    expect(html).not.toContain('NỘI DUNG BÁO CÁO CỦA CÁC ĐƠN VỊ');
    expect(html).toContain('Phụ lục III (tài liệu riêng kèm theo Báo cáo)');
    const annex = renderAnnexHtml(big, t);
    expect(annex).toContain('NỘI DUNG BÁO CÁO CỦA CÁC ĐƠN VỊ NĂM 2024');
    expect(annex).toContain('Ủy ban nhân dân xã số 130 —');
  });

  it('lists in Phụ lục II the counts and only the units late, rejected or missing', async () => {
    const m = await modelOf(workspaceWith(70).ws);
    expect(m.appendixII.summary.join(' ')).toContain('Đã nhận 80/82 đơn vị (79 đúng hạn, 1 trễ hạn); bị từ chối: 1; chưa nộp: 1.');
    expect(m.appendixII.rows.map((r) => [r.code, r.state])).toEqual([['X0001', 'Đã nhận, trễ hạn'], ['X0002', 'Chưa nộp'], ['X0003', 'Bị từ chối']]);
    expect(m.appendixII.listTitle).toContain('3 đơn vị; 79 đơn vị gửi đúng hạn không liệt kê');
    const few = await modelOf(workspaceWith(10).ws);
    expect(few.appendixII.rows).toHaveLength(22);
    expect(few.appendixII.listTitle).toBe('');
  });

  it('follows annexSeparateAbove from the config, and writes Phụ lục III beside the report, every text in the workbook', async () => {
    const { ws, dir } = workspaceWith(10, { separateAbove: 5 });
    const out = path.join(dir, 'out');
    const db = openDatabase(ws.dbPath);
    try {
      const r = await generateReport(ws, storeOn(db), { year: 2024, outDir: out, formats: ['html', 'docx', 'xlsx'], formatsExplicit: true, date: DATE });
      expect(r.files.map((f) => path.basename(f.path)).sort()).toEqual([
        'bao-cao-2024-phu-luc-III.docx', 'bao-cao-2024-phu-luc-III.html', 'bao-cao-2024.docx', 'bao-cao-2024.html', 'bao-cao-2024.xlsx']);
      for (const f of r.files) expect(f.ms).toBeGreaterThanOrEqual(0);
    } finally {
      db.close();
    }
    const main = zipEntry(path.join(out, 'bao-cao-2024.docx'), 'word/document.xml');
    const annex = zipEntry(path.join(out, 'bao-cao-2024-phu-luc-III.docx'), 'word/document.xml');
    expect(main).not.toContain('nội dung “SNV”');
    expect(annex).toContain('nội dung “SNV”');
    expect(annex).toContain('Phụ lục III');
    expect(annex).toMatch(/<w:titlePg\/>/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path.join(out, 'bao-cao-2024.xlsx'));
    const sheet = wb.getWorksheet(TEXTS_SHEET)!;
    expect(sheet.rowCount).toBe(1 + 20 * SECTIONS.length);
    const cells = new Set<string>();
    sheet.eachRow((row, n) => { if (n > 1) cells.add(String(row.getCell(3).value)); });
    expect(cells).toContain('Sở Giáo dục và Đào tạo — tuyen_truyen: nội dung “SGDDT”.\nDòng thứ hai của SGDDT.');
    expect(cells).toContain('Ủy ban nhân dân xã số 10 — de_xuat: nội dung “X0010”.\nDòng thứ hai của X0010.');
  });
});

const haveTools = needTool('chromium') && needTool('poppler');

describe.skipIf(!haveTools)('hoctap report beyond annexSeparateAbove, with Chromium', () => {
  it('writes the report\'s PDF as short as with few units, and Phụ lục III\'s PDF with every text', async () => {
    const few = workspaceWith(10);
    const many = workspaceWith(120);
    const [a, b] = await Promise.all([few, many].map(({ dir }) => runHoctapAsync(['-w', dir, 'report', '--year', '2024', '--format', 'pdf', '--date', '2025-01-05'])));
    expect(a.status, a.stderr).toBe(0);
    expect(b.status, b.stderr).toBe(0);
    const pdf = (dir: string, name: string) => path.join(dir, 'reports', '2024', name);
    expect(b.stdout.trim().split('\n').sort()).toEqual([pdf(many.dir, 'bao-cao-2024-phu-luc-III.pdf'), pdf(many.dir, 'bao-cao-2024.pdf')]);
    // The page with the signature: the body ends there, on the same page (give or take one) with 22 units as with 132.
    const closingPage = (file: string) => {
      for (const s of pageSizes(file)) if (poppler('pdftotext', ['-f', String(s.page), '-l', String(s.page), file, '-']).includes('Nơi nhận:')) return s.page;
      return -1;
    };
    const [pf, pm] = [closingPage(pdf(few.dir, 'bao-cao-2024.pdf')), closingPage(pdf(many.dir, 'bao-cao-2024.pdf'))];
    expect(pf).toBeGreaterThan(2);
    expect(Math.abs(pm - pf)).toBeLessThanOrEqual(1);
    const annex = poppler('pdftotext', [pdf(many.dir, 'bao-cao-2024-phu-luc-III.pdf'), '-']).replace(/\s+/g, ' ');
    expect(annex).toContain('Phụ lục III');
    for (const code of ['SNV', 'X0001', 'X0060', 'X0120']) expect(annex).toContain(`— nhiem_vu: nội dung “${code}”.`);
    expect(annex).not.toContain('nội dung “SGDDT”');
  }, 300_000);
});
