/**
 * The finishing of the document (issue 13, point 5): number, date and signer from the config or the command line,
 * the Ho Chi Minh City Căn cứ with their numbers and dates, chart labels whole, one kind of quotation marks, Phụ lục II
 * without file names.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace, type Workspace } from '../src/catalog/workspace.ts';
import { openDatabase, storeOn } from './helpers/sqlite.ts';
import { UserError } from '../src/errors.ts';
import { wrapLabel } from '../src/report/charts.ts';
import { collectReportInput, generateReport, withDocumentOptions } from '../src/report/generate.ts';
import { loadTemplates, renderReportHtml } from '../src/report/html.ts';
import { buildReportModel, type ReportModel } from '../src/report/model/index.ts';
import { reportDocument } from '../src/report/docx/index.ts';
import { Packer } from 'docx';
import { runHoctap } from './helpers/cli.ts';
import { zipEntry } from './helpers/pdf-checks.ts';
import { seedSubmission } from './helpers/seed-store.ts';
import { tempDir } from './helpers/tools.ts';

const DATE = { year: 2025, month: 1, day: 5 };
let dir: string;
let ws: Workspace;
let db: DatabaseSync;
let model: ReportModel;
let html: string;

beforeAll(async () => {
  dir = tempDir('hoctap-report-finishing-');
  ws = openWorkspace(dir);
  db = openDatabase(ws.dbPath);
  const c = ws.catalog;
  seedSubmission(db, {
    unitCode: 'SGDDT', year: 2024, values: { '1.1.1-a.m.tl': 96 },
    narratives: { chi_dao: 'Triển khai phong trào "Gia đình học tập" và "Công dân học tập" trên toàn Thành phố.' },
  }, c);
  seedSubmission(db, { unitCode: 'Q1', year: 2024, values: { '1.1.2-a.m.tu': 700, '1.1.2-a.m.mau': 1000 }, fileName: 'Bao_cao_Quan_1_nam_2024_ban_chinh_thuc_da_ky.xlsx' }, c);
  const { input } = await collectReportInput(ws, storeOn(db), 2024, DATE);
  model = buildReportModel(input);
  html = renderReportHtml(model, loadTemplates(dir));
});

afterAll(() => {
  db?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** What a reader sees of the HTML: tags, styles and charts removed, entities decoded. */
function visibleText(h: string): string {
  return h.replace(/<style[\s\S]*?<\/style>/g, '').replace(/<svg[\s\S]*?<\/svg>/g, '').replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').replace(/\s+/g, ' ');
}

describe('number, date and signer', () => {
  it('take this run\'s number and signer over the config, and refuse a number with its own symbol', async () => {
    const p = withDocumentOptions(ws.profile, { number: ' 125 ', signerName: 'Nguyễn Văn An', signerTitle: 'Phó Giám đốc' });
    const { input } = await collectReportInput({ ...ws, profile: p }, storeOn(db), 2024, DATE);
    const m = buildReportModel(input);
    expect(m.header.numberLine).toBe('Số: 125/BC-SGDĐT');
    expect(m.appendixI.attached).toContain('Báo cáo số 125/BC-SGDĐT ngày 05 tháng 01 năm 2025');
    expect(m.closing).toMatchObject({ name: 'Nguyễn Văn An', title: 'PHÓ GIÁM ĐỐC', authority: 'KT. GIÁM ĐỐC' });
    expect(withDocumentOptions(ws.profile, {}).documentNumber).toBe(ws.profile.documentNumber);
    expect(() => withDocumentOptions(ws.profile, { number: '125/BC-SGDĐT' })).toThrow(UserError);
    expect(() => withDocumentOptions(ws.profile, { number: '  ' })).toThrow(/--number/);
  });

  it('prints them from the config, and from the command line over it, and says when the signer has no name', () => {
    const own = tempDir('hoctap-report-config-');
    try {
      fs.writeFileSync(path.join(own, 'hoctap.config.json'), JSON.stringify({ profile: 'hcm', documentNumber: '7', signer: { authority: 'KT. GIÁM ĐỐC', title: 'Phó Giám đốc', name: 'Trần Thị Bình' } }));
      const w = openWorkspace(own);
      const d = openDatabase(w.dbPath);
      try { seedSubmission(d, { unitCode: 'SGDDT', year: 2024, values: { '1.1.1-a.m.tl': 96 } }, w.catalog); } finally { d.close(); }
      const fromConfig = runHoctap(['-w', own, 'report', '--year', '2024', '--format', 'html', '--date', '2025-02-03', '--out', path.join(own, 'a')]);
      expect(fromConfig.status, fromConfig.stderr).toBe(0);
      const a = visibleText(fs.readFileSync(path.join(own, 'a', 'bao-cao-2024.html'), 'utf8'));
      expect(a).toContain('Số: 07/BC-SGDĐT');
      expect(a).toContain('Thành phố Hồ Chí Minh, ngày 03 tháng 02 năm 2025');
      expect(a).toContain('Trần Thị Bình');
      expect(fromConfig.stderr).not.toContain('Chưa có tên người ký');
      const fromCli = runHoctap(['-w', own, 'report', '--year', '2024', '--format', 'html', '--number', '125', '--signer', 'Lê Văn Cường',
        '--signer-title', 'Giám đốc', '--signer-authority', '', '--out', path.join(own, 'b')]);
      expect(fromCli.status, fromCli.stderr).toBe(0);
      const b = visibleText(fs.readFileSync(path.join(own, 'b', 'bao-cao-2024.html'), 'utf8'));
      expect(b).toContain('Số: 125/BC-SGDĐT');
      expect(b).toContain('GIÁM ĐỐC Lê Văn Cường');
      expect(b).not.toContain('Trần Thị Bình');
      const bad = runHoctap(['-w', own, 'report', '--year', '2024', '--format', 'html', '--number', '125/BC']);
      expect(bad.status).toBe(2);
      expect(bad.stderr).toContain('--number');
    } finally {
      fs.rmSync(own, { recursive: true, force: true });
    }
  });

  it('warns when the signer has no name', async () => {
    const notices: string[] = [];
    const out = tempDir('hoctap-report-out-');
    try {
      await generateReport(ws, storeOn(db), { year: 2024, outDir: out, formats: ['html'], formatsExplicit: true, date: DATE, notice: (l) => notices.push(l) });
      expect(notices.join('\n')).toContain('Chưa có tên người ký');
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});

describe('Căn cứ of the Ho Chi Minh City profile', () => {
  it('names each document by its number and date, as the city\'s plans (seeds/sources/000, 002) give them', () => {
    const text = model.canCu.join('\n');
    for (const t of [
      'Quyết định số 1373/QĐ-TTg ngày 30 tháng 7 năm 2021 của Thủ tướng Chính phủ',
      'Kế hoạch số 1256/KH-UBND ngày 03 tháng 4 năm 2023 của Ủy ban nhân dân Thành phố',
      'Kế hoạch số 1927/KH-UBND ngày 11 tháng 4 năm 2024 của Ủy ban nhân dân Thành phố về thực hiện xây dựng “Thành phố học tập toàn cầu UNESCO giai đoạn 2024 - 2030”',
      'Kế hoạch số 3170/KH-UBND ngày 07 tháng 6 năm 2024 của Ủy ban nhân dân Thành phố',
      'Kế hoạch số 7962/KH-UBND ngày 09 tháng 12 năm 2024 của Ủy ban nhân dân Thành phố về tổ chức Hội nghị',
    ]) expect(text).toContain(t);
    for (const c of model.canCu) expect(c).toMatch(/^Căn cứ .+ số \d+\/[A-Za-zĐđ-]+ ngày \d{2} tháng \d{1,2} năm \d{4} của /u);
    expect(visibleText(html)).toContain('Căn cứ Kế hoạch số 1927/KH-UBND ngày 11 tháng 4 năm 2024');
  });
});

describe('charts', () => {
  it('print every standard\'s label whole, on as many lines as it needs', () => {
    const svg = model.partI.results.standardsChart;
    const labels = [...svg.matchAll(/<text [^>]*text-anchor="end">([\s\S]*?)<\/text>/g)].map((m) =>
      m[1].replace(/<tspan[^>]*>/g, ' ').replace(/<\/tspan>/g, '').replace(/&amp;/g, '&').trim());
    // Issue 23: one bar per standard judged against the year's own targets (the others are in the table of progress
    // toward the 2025 milestone); each label is whole, in the catalog's order.
    const whole = ws.catalog.standards.map((s) => `${s.id}. ${s.name}`.normalize('NFC'));
    expect(labels.length).toBeGreaterThan(10);
    expect(labels).toEqual(whole.filter((l) => labels.includes(l)));
    expect(svg).not.toContain('…');
    for (const line of wrapLabel('1.1. Phát huy sự tham gia tích cực của cá nhân và thúc đẩy gắn kết xã hội', 36)) expect(line.length).toBeLessThanOrEqual(36);
    expect(wrapLabel('a '.repeat(3) + 'X'.repeat(50), 36)).toEqual(['a a a', 'X'.repeat(50)]);
  });
});

describe('quotation marks', () => {
  it('are “ ” throughout the HTML and the DOCX, the units\' and the catalog\'s straight ones included', async () => {
    const text = visibleText(html);
    expect(text).toContain('phong trào “Gia đình học tập” và “Công dân học tập”');
    expect(text).toContain('“≈”');
    expect(text).not.toContain('"');
    const file = path.join(dir, 'quotes.docx');
    fs.writeFileSync(file, await Packer.toBuffer(reportDocument(model)));
    const runs = [...zipEntry(file, 'word/document.xml').matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join(' ');
    expect(runs).toContain('“Gia đình học tập”');
    expect(runs).not.toMatch(/"|&quot;/);
    const json = JSON.stringify({ ...model, partI: { ...model.partI, results: { ...model.partI.results, standardsChart: '', trendChart: '' } } });
    // JSON escapes a straight quote inside a string as \"; there must be none.
    expect(json).not.toContain('\\"');
  });
});

describe('Phụ lục II', () => {
  it('lists the units with their state and received date, without file names', () => {
    expect(model.appendixII.columns).toEqual(['STT', 'Đơn vị', 'Tình trạng', 'Ngày nhận']);
    const section = html.slice(html.indexOf('TÌNH HÌNH GỬI BÁO CÁO'));
    expect(section).toContain('Ủy ban nhân dân Quận 1');
    expect(section).toContain('15/11/2024');
    expect(section).not.toContain('Bao_cao_Quan_1');
    expect(section).not.toContain('.xlsx');
  });
});
