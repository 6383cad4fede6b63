/**
 * The report without a browser: wording from the scores, narratives compiled and escaped, the administrative details
 * (date, number, Căn cứ, Nơi nhận), template overrides, the browser search order and the consolidated workbook.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { openWorkspace, type Workspace } from '../src/catalog/workspace.ts';
import { openDatabase, storeOn } from './helpers/sqlite.ts';
import { computeScores } from '../src/scoring/score.ts';
import { NARRATIVE_PLACEHOLDER } from '../src/xlsx/meta.ts';
import { UserError } from '../src/errors.ts';
import { parseReportDate, placeDateLine, numberLine, viDateWords } from '../src/report/format.ts';
import { buildReportModel, type ReportModel } from '../src/report/model/index.ts';
import { copyBundledTemplates, loadTemplates, renderReportHtml } from '../src/report/html.ts';
import { collectReportInput, generateReport, parseReportFormats } from '../src/report/generate.ts';
import { defaultBrowserPaths, findBrowser } from '../src/report/pdf.ts';
import { standardsChart } from '../src/report/charts.ts';
import { SUMMARY_FIXED_HEAD, SUMMARY_SHEET, VALUES_SHEET } from '../src/report/xlsx.ts';
import { seedSubmission } from './helpers/seed-store.ts';
import { tempDir } from './helpers/tools.ts';
import { reportExitCode } from '../src/cli/commands/report.ts';

const HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)>';
const DATE = { year: 2025, month: 1, day: 5 };

let dir: string;
let ws: Workspace;
let db: DatabaseSync;
let model: ReportModel;
let html: string;

/** A small store with figures chosen so that every sentence of I.3 and II.2 can be predicted. */
function seed(): void {
  const c = ws.catalog;
  // 2023: literacy 90%, participation 50%.
  seedSubmission(db, { unitCode: 'SGDDT', year: 2023, values: { '1.1.1-a.m.tl': 90, '1.1.1-b.m.tl': 91 } }, c);
  seedSubmission(db, { unitCode: 'Q1', year: 2023, values: { '1.1.2-a.m.tu': 500, '1.1.2-a.m.mau': 1000 } }, c);
  // 2024: literacy 96% (met, +6 points), re-literacy 80% (not met), participation from counts 700/1000 + 450/500 → 76,67%.
  seedSubmission(db, {
    unitCode: 'SGDDT', year: 2024, values: { '1.1.1-a.m.tl': 96, '1.1.1-b.m.tl': 80 },
    narratives: {
      chi_dao: 'Ban hành Kế hoạch số 12/KH-SGDĐT.\nTổ chức 3 hội nghị tập huấn.\n\nĐoạn thứ hai của Sở.',
      tuan_le: 'Khai mạc Tuần lễ học tập suốt đời tại Nhà Văn hóa Thanh niên.',
    },
  }, c);
  seedSubmission(db, {
    unitCode: 'Q1', year: 2024, values: { '1.1.2-a.m.tu': 700, '1.1.2-a.m.mau': 1000, '1.1.2-a.m.tl': 70 },
    narratives: { kho_khan: HOSTILE, chi_dao: 'Quận 1 tuyên truyền trên Cổng thông tin điện tử.' },
  }, c);
  seedSubmission(db, {
    // After 002's 30 December deadline of 2024 (it was 20 December against 10 December before issue 23).
    unitCode: 'Q3', year: 2024, receivedAt: '2024-12-31T03:00:00.000Z', values: { '1.1.2-a.m.tu': 450, '1.1.2-a.m.mau': 500 },
    // Decomposed diacritics (as some Mac and web forms send them) and the template's own instruction left in place.
    narratives: { chi_dao: NARRATIVE_PLACEHOLDER, nhiem_vu: 'Tiếp tục xây dựng mô hình học tập'.normalize('NFD'), de_xuat: '   ' },
  }, c);
  seedSubmission(db, { unitCode: 'Q4', year: 2024, status: 'rejected', errors: 3, values: {} }, c);
}

beforeAll(async () => {
  dir = tempDir('hoctap-report-model-');
  ws = openWorkspace(dir);
  db = openDatabase(ws.dbPath);
  seed();
  const { input } = await collectReportInput(ws, storeOn(db), 2024, DATE);
  model = buildReportModel(input);
  html = renderReportHtml(model, loadTemplates(dir));
});

afterAll(() => {
  db?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The HTML's text as a reader sees it: tags removed, entities decoded, spaces collapsed. */
function visibleText(h: string): string {
  return h.replace(/<style[\s\S]*?<\/style>/g, '').replace(/<svg[\s\S]*?<\/svg>/g, '').replace(/<br>/g, ' ')
    .replace(/<\/?(b|span)\b[^>]*>/g, '').replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;|\u00a0/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#x27;/g, "'")
    .replace(/&#x3D;/g, '=').replace(/&#x60;/g, '`').replace(/&amp;/g, '&').replace(/\s+/g, ' ');
}

describe('administrative details', () => {
  it('writes dates as the decree does: a leading zero for days below 10 and for January and February', () => {
    expect(viDateWords({ year: 2025, month: 1, day: 5 })).toBe('ngày 05 tháng 01 năm 2025');
    expect(viDateWords({ year: 2025, month: 2, day: 28 })).toBe('ngày 28 tháng 02 năm 2025');
    expect(viDateWords({ year: 2024, month: 3, day: 9 })).toBe('ngày 09 tháng 3 năm 2024');
    expect(viDateWords({ year: 2024, month: 12, day: 15 })).toBe('ngày 15 tháng 12 năm 2024');
    expect(placeDateLine('Thành phố Hồ Chí Minh', DATE)).toBe('Thành phố Hồ Chí Minh, ngày 05 tháng 01 năm 2025');
  });

  it('rejects an impossible --date with a Vietnamese message', () => {
    expect(() => parseReportDate('2025-02-30')).toThrow(UserError);
    expect(() => parseReportDate('05/01/2025')).toThrow(/NĂM-THÁNG-NGÀY/);
    expect(parseReportDate('2024-12-31')).toEqual({ year: 2024, month: 12, day: 31 });
  });

  it('leaves room for the number when there is none, and writes a number below 10 as 05', () => {
    expect(numberLine('', 'SGDĐT')).toBe(`Số: ${'\u00a0'.repeat(7)}/BC-SGDĐT`);
    expect(numberLine('5', 'SGDĐT')).toBe('Số: 05/BC-SGDĐT');
    expect(numberLine('123', 'sgdđt')).toBe('Số: 123/BC-SGDĐT');
  });

  it('prints the header in capitals and the subject with the years filled in', () => {
    expect(model.header.parentBody).toBe('ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH');
    expect(model.header.issuingBody).toBe('SỞ GIÁO DỤC VÀ ĐÀO TẠO');
    expect(model.subject).toBe('Kết quả thực hiện xây dựng thành phố học tập năm 2024 và phương hướng, nhiệm vụ năm 2025');
    const text = visibleText(html);
    expect(text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(text).toContain('Độc lập - Tự do - Hạnh phúc');
    expect(text).toContain('Thành phố Hồ Chí Minh, ngày 05 tháng 01 năm 2025');
    expect(text).toContain('BÁO CÁO');
  });

  it('ends each Căn cứ with ";" and the last with ".", and closes the distribution list with "Lưu"', () => {
    expect(model.canCu.length).toBe(ws.profile.canCu.length);
    for (const c of model.canCu.slice(0, -1)) expect(c.endsWith(';')).toBe(true);
    expect(model.canCu.at(-1)!.endsWith('.')).toBe(true);
    expect(model.canCu.at(-1)!.endsWith(';.')).toBe(false);
    for (const r of model.closing.recipients.slice(0, -1)) expect(r).toMatch(/^- .+;$/);
    expect(model.closing.recipients.at(-1)).toBe('- Lưu: VT, GDTX.');
    expect(model.closing.authority).toBe('KT. GIÁM ĐỐC');
    expect(model.closing.title).toBe('PHÓ GIÁM ĐỐC');
  });
});

describe('section I.3 and II from the scores', () => {
  it('counts the indicators met per area and standard', async () => {
    const score = await computeScores(ws, storeOn(db), 2024);
    const std = score.rollups.standards.find((s) => s.key === '1.1')!;
    expect(std.met).toBeGreaterThan(0);
    const line = model.partI.results.areas.flatMap((a) => a.standards).find((s) => s.includes('Tiêu chuẩn 1.1.'))!;
    // Issue 23: the counts are the year's own targets' (categories), each named; no figure is its own category.
    const c = std.categories;
    expect(line).toContain(`đạt ${c.met + c.metPartial}/${c.met + c.metPartial + c.notMet + c.notMetPartial} chỉ số có chỉ tiêu năm 2024`);
    expect(line).toContain(`${c.missing} chỉ số không có số liệu`);
  });

  it('names the indicators not met with their figure and target, and not the ones met', () => {
    const notMet = model.partI.results.notMet.join('\n');
    expect(notMet).toContain('Chỉ số 1.1.1-b');
    // Issue 23: the target in words with its source, no sign.
    expect(notMet).toContain('kết quả 80%, ngưỡng là từ 90% trở lên (Bộ tiêu chí)');
    expect(notMet).not.toContain('Chỉ số 1.1.1-a:');
    expect(notMet).not.toContain('Chỉ số 1.1.2-a:');
  });

  it('reports the largest changes since last year first, in percentage points, falls as well as rises', () => {
    // 1.1.2-a: 50% → 76,67% (+26,67 points), 1.1.1-b: 91% → 80% (−11), 1.1.1-a: 90% → 96% (+6).
    const changes = model.partI.results.changes;
    expect(changes).toHaveLength(3);
    expect(changes[0]).toContain('Chỉ số 1.1.2-a');
    // Issue 23: a change said as a change, no arrow.
    expect(changes[0]).toContain('tăng từ 50% năm 2023 lên 76,67% năm 2024');
    expect(changes[1]).toContain('Chỉ số 1.1.1-b');
    expect(changes[1]).toContain('giảm từ 91% năm 2023 xuống 80% năm 2024');
    expect(changes[2]).toContain('Chỉ số 1.1.1-a');
    expect(changes[2]).toContain('tăng từ 90% năm 2023 lên 96% năm 2024');
    // Named by their words, and said to come from the figures (the targets did not change).
    expect(model.partI.results.verdictChanges.join(' ')).toContain(
      '1 chỉ số chuyển từ đạt sang chưa đạt do kết quả kém đi (cùng chỉ tiêu hai năm): Chỉ số 1.1.1-b (Số người mới biết chữ');
  });

  it('II.2 names the indicators not met and those without figures', () => {
    const d = model.partII.difficulties;
    expect(d.notMet.join('\n')).toContain('Chỉ số 1.1.1-b');
    const missing = d.missing.join('\n');
    expect(missing).toContain('Chỉ số 1.2.1-a');
    expect(missing).not.toContain('Chỉ số 1.1.1-a:');
    expect(d.unitsIntro).toMatch(/chưa có báo cáo được chấp nhận/);
  });

  it('charts the standards with one bar per standard and the years in the store', async () => {
    expect(model.partI.results.standardsChart.startsWith('<svg')).toBe(true);
    const labels = [...model.partI.results.standardsChart.matchAll(/text-anchor="end">([^<]+)</g)].map((m) => m[1]);
    // Issue 23: one bar per standard with an indicator judged against the year's own targets (the plan's standards,
    // read against the 2025 milestone in 2024, are in the table of progress instead).
    const own = (await computeScores(ws, storeOn(db), 2024)).rollups.standards.filter((r) => r.categories.met + r.categories.notMet + r.categories.metPartial + r.categories.notMetPartial + r.categories.missing > 0);
    expect(own.length).toBeGreaterThan(10);
    expect(own.map((s) => labels.some((l) => l.startsWith(`${s.key}. `)))).toEqual(own.map(() => true));
    expect(model.partI.results.trendChart).toContain('>2023<');
    expect(model.partI.results.trendChart).toContain('>2024<');
    expect(html).not.toMatch(/(src|href)="https?:/);
    const svg = standardsChart([{ id: '9.9', name: 'A <b>& "x"', met: 1, notMet: 0, missing: 0 }], 't');
    expect(svg).toContain('A &lt;b&gt;&amp; &quot;x&quot;');
  });
});

describe('narratives', () => {
  it('escapes a hostile narrative: no script, no event handler, the text shown as typed', () => {
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src&#x3D;x onerror&#x3D;alert(2)&gt;');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<[^>]*\son\w+\s*=/i);
    expect(visibleText(html)).toContain(`Ủy ban nhân dân Quận 1: ${HOSTILE}`);
  });

  it('compiles every unit text under its section, keeps line breaks and paragraphs, skips empty and placeholder texts', () => {
    const directing = model.partI.directing;
    expect(directing.entries.map((e) => e.unitName)).toEqual(['Sở Giáo dục và Đào tạo', 'Ủy ban nhân dân Quận 1']);
    expect(directing.entries[0].paragraphs).toEqual([
      { lines: ['Ban hành Kế hoạch số 12/KH-SGDĐT.', 'Tổ chức 3 hội nghị tập huấn.'] },
      { lines: ['Đoạn thứ hai của Sở.'] },
    ]);
    // Issue 23: the report prints every line as a paragraph of its own, each indented (no line broken inside one).
    expect(html).toContain('<p>Ban hành Kế hoạch số 12/KH-SGDĐT.</p><p>Tổ chức 3 hội nghị tập huấn.</p>');
    expect(html).not.toContain(NARRATIVE_PLACEHOLDER);
    expect(model.partI.week.entries.map((e) => e.unitName)).toEqual(['Sở Giáo dục và Đào tạo']);
    expect(model.partI.week.title).toContain('năm 2024');
    expect(model.partIV.narrative.empty).toBe(true);
    expect(visibleText(html)).toContain('Chưa có đơn vị nào báo cáo nội dung này.');
  });

  it('normalises decomposed Vietnamese to NFC', () => {
    const nfc = 'Tiếp tục xây dựng mô hình học tập';
    expect(html).toContain(nfc);
    expect(html).not.toContain(nfc.normalize('NFD'));
    expect(model.partIII.narrative.entries[0].unitName).toBe('Ủy ban nhân dân Quận 3');
  });
});

describe('Phụ lục', () => {
  it('lists every indicator once with its result, target and verdict', () => {
    const rows = model.appendixI.groups.flatMap((g) => g.rows);
    expect(rows.map((r) => r.id)).toEqual(ws.catalog.indicators.map((i) => i.id));
    const a = rows.find((r) => r.id === '1.1.1-a')!;
    // Issue 23: last year's figure beside this year's, and the change in words.
    expect(a.results).toEqual(['96%', 'Năm 2023: 90%', 'Tăng từ 90% lên 96%']);
    expect(a.verdict).toBe('Đạt');
    expect(a.targets.join(' ')).toContain('Ngưỡng (Bộ tiêu chí): từ 95% trở lên'); // issue 23: in words with its source (was "≥ 95%")
    const b = rows.find((r) => r.id === '1.1.2-a')!;
    // Fewer units than the roster expects: said once, in the notes, as not complete.
    expect(b.notes).toContain('Số liệu của 2/22 đơn vị (chưa đủ)');
    expect(b.agencies.join(' ')).not.toContain('đơn vị báo cáo');
    expect(rows.find((r) => r.id === '1.1.1-b')!.verdict).toBe('Chưa đạt');
  });

  it('lists every roster unit with its state and date in Phụ lục II', () => {
    const rows = model.appendixII.rows;
    expect(rows.map((r) => r.code)).toEqual(ws.roster.map((u) => u.code));
    expect(rows.find((r) => r.code === 'SGDDT')).toMatchObject({ state: 'Đã nhận, đúng hạn', receivedAt: '15/11/2024' });
    expect(rows.find((r) => r.code === 'Q3')!.state).toBe('Đã nhận, trễ hạn');
    expect(rows.find((r) => r.code === 'Q4')!.state).toBe('Bị từ chối');
    expect(rows.find((r) => r.code === 'Q5')).toMatchObject({ state: 'Chưa nộp', receivedAt: '' });
    expect(model.appendixII.summary.join(' ')).toContain('Hạn gửi báo cáo: ngày 30/12/2024.'); // 002's deadline (issue 23)
  });
});

describe('templates', () => {
  it('takes a workspace template in place of the bundled one, file by file', () => {
    const own = tempDir('hoctap-report-tpl-');
    try {
      fs.mkdirSync(path.join(own, 'templates', 'partials'), { recursive: true });
      fs.writeFileSync(path.join(own, 'templates', 'partials', 'closing.hbs'), '<p class="my-closing">KÝ TÊN: {{closing.title}}</p>');
      fs.writeFileSync(path.join(own, 'templates', 'report.css'), 'body { color: #123456; }');
      const t = loadTemplates(own);
      expect(t.overridden).toHaveLength(2);
      const out = renderReportHtml(model, t);
      expect(out).toContain('<p class="my-closing">KÝ TÊN: PHÓ GIÁM ĐỐC</p>');
      expect(out).toContain('color: #123456');
      expect(out).not.toContain('recipients-label');
      // the other partials are still the bundled ones
      expect(out).toContain('class="doc-header"');
    } finally {
      fs.rmSync(own, { recursive: true, force: true });
    }
  });

  it('copies the bundled templates into the workspace without overwriting, and they render the same report', () => {
    const own = tempDir('hoctap-report-tpl-');
    try {
      fs.mkdirSync(path.join(own, 'templates'), { recursive: true });
      fs.writeFileSync(path.join(own, 'templates', 'report.css'), '/* mine */');
      const { written, kept } = copyBundledTemplates(own);
      expect(kept).toEqual([path.join(own, 'templates', 'report.css')]);
      expect(written).toContain(path.join(own, 'templates', 'partials', 'narrative.hbs'));
      expect(fs.readFileSync(path.join(own, 'templates', 'report.css'), 'utf8')).toBe('/* mine */');
      fs.rmSync(path.join(own, 'templates', 'report.css'));
      copyBundledTemplates(own);
      expect(renderReportHtml(model, loadTemplates(own))).toBe(html);
    } finally {
      fs.rmSync(own, { recursive: true, force: true });
    }
  });

  it('reports a broken workspace template with its file', () => {
    const own = tempDir('hoctap-report-tpl-');
    try {
      fs.mkdirSync(path.join(own, 'templates'), { recursive: true });
      fs.writeFileSync(path.join(own, 'templates', 'report.hbs'), '{{#each canCu}}<p>{{this}}</p>');
      expect(() => renderReportHtml(model, loadTemplates(own))).toThrow(/templates[\\/]report\.hbs.*Handlebars/);
    } finally {
      fs.rmSync(own, { recursive: true, force: true });
    }
  });

  it('embeds the Tinos faces (normal, bold, italic; Vietnamese and Latin) so nothing is fetched', () => {
    const faces = html.match(/@font-face \{[^}]*\}/g) ?? [];
    expect(faces).toHaveLength(8);
    for (const f of faces) expect(f).toMatch(/src: url\(data:font\/woff2;base64,/);
    expect(html).toMatch(/font-family: "Times New Roman", "Tinos", serif/);
  });
});

describe('browser search', () => {
  const only = (...files: string[]) => (f: string) => files.includes(f);

  it('tries --browser, then HOCTAP_BROWSER, then PUPPETEER_EXECUTABLE_PATH, then the usual paths', () => {
    const env = { HOCTAP_BROWSER: '/opt/a/chrome', PUPPETEER_EXECUTABLE_PATH: '/opt/b/chrome' };
    const all = only('/x/mine', '/opt/a/chrome', '/opt/b/chrome', '/usr/bin/chromium');
    expect(findBrowser({ explicit: '/x/mine', env, platform: 'linux', exists: all }).choice?.path).toBe('/x/mine');
    expect(findBrowser({ env, platform: 'linux', exists: all }).choice).toEqual({ path: '/opt/a/chrome', source: 'HOCTAP_BROWSER' });
    expect(findBrowser({ env: { PUPPETEER_EXECUTABLE_PATH: '/opt/b/chrome' }, platform: 'linux', exists: all }).choice?.source).toBe('PUPPETEER_EXECUTABLE_PATH');
    expect(findBrowser({ env: {}, platform: 'linux', exists: all }).choice?.path).toBe('/usr/bin/chromium');
    expect(findBrowser({ env: {}, platform: 'linux', exists: only('/snap/bin/chromium') }).choice?.path).toBe('/snap/bin/chromium');
  });

  it('skips an environment variable that points nowhere, with a warning, and rejects a wrong --browser', () => {
    const r = findBrowser({ env: { HOCTAP_BROWSER: '/nope' }, platform: 'linux', exists: only('/usr/bin/google-chrome') });
    expect(r.choice?.path).toBe('/usr/bin/google-chrome');
    expect(r.warnings[0]).toContain('HOCTAP_BROWSER');
    expect(() => findBrowser({ explicit: '/nope', env: {}, platform: 'linux', exists: only() })).toThrow(/--browser/);
    expect(findBrowser({ env: {}, platform: 'linux', exists: only() }).choice).toBeNull();
  });

  it('knows the Windows and macOS install paths', () => {
    const win = defaultBrowserPaths('win32', { ProgramFiles: 'C:\\Program Files', 'ProgramFiles(x86)': 'C:\\Program Files (x86)', LOCALAPPDATA: 'C:\\Users\\an\\AppData\\Local' });
    expect(win).toContain('C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe');
    expect(win).toContain('C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe');
    expect(win).toContain('C:\\Users\\an\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe');
    expect(win.indexOf('C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe')).toBeLessThan(win.indexOf('C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe'));
    const mac = defaultBrowserPaths('darwin', { HOME: '/Users/an' });
    expect(mac[0]).toBe('/Applications/Google Chrome.app/Contents/MacOS/Google Chrome');
    expect(mac).toContain('/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge');
  });

  it('parses --format lists', () => {
    expect(parseReportFormats(undefined)).toEqual({ formats: ['html', 'pdf', 'docx', 'xlsx'], explicit: false });
    expect(parseReportFormats('xlsx, PDF')).toEqual({ formats: ['pdf', 'xlsx'], explicit: true });
    expect(parseReportFormats('docx,html')).toEqual({ formats: ['html', 'docx'], explicit: true });
    expect(() => parseReportFormats('odt')).toThrow(/--format "odt"/);
  });
});

describe('without a browser, and the workbook', () => {
  it('still writes the HTML and the XLSX, says how to get the PDF, and fails only when pdf was asked for', async () => {
    const out = tempDir('hoctap-report-out-');
    try {
      const none = { env: {}, platform: 'linux' as const, exists: () => false };
      const r1 = await generateReport(ws, storeOn(db), { year: 2024, outDir: out, formats: ['html', 'pdf', 'xlsx'], formatsExplicit: false, date: DATE, browserSearch: none });
      expect(r1.files.map((f) => f.format)).toEqual(['html', 'xlsx']);
      expect(reportExitCode(r1)).toBe(0);
      expect(r1.pdfProblem).toMatch(/--browser/);
      expect(r1.pdfProblem).toMatch(/HOCTAP_BROWSER/);
      expect(r1.pdfProblem).toMatch(/apt install chromium/);
      expect(fs.existsSync(path.join(out, 'bao-cao-2024.pdf'))).toBe(false);
      const r2 = await generateReport(ws, storeOn(db), { year: 2024, outDir: out, formats: ['pdf'], formatsExplicit: true, date: DATE, browserSearch: none });
      expect(reportExitCode(r2)).toBe(1);
      expect(r2.files.map((f) => f.format)).toEqual(['html']);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  it('refuses a year without accepted figures', async () => {
    await expect(generateReport(ws, storeOn(db), { year: 2022, formats: ['html'], formatsExplicit: true, date: DATE })).rejects.toThrow(/Chưa có số liệu năm 2022/);
  });

  it('writes one row per measure with every unit, the city figure equal to the score, target and verdict, filtered', async () => {
    const out = tempDir('hoctap-report-xlsx-');
    try {
      await generateReport(ws, storeOn(db), { year: 2024, outDir: out, formats: ['xlsx'], formatsExplicit: true, date: DATE });
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(path.join(out, 'bao-cao-2024.xlsx'));
      const sheet = wb.getWorksheet(SUMMARY_SHEET)!;
      const head = (sheet.getRow(1).values as unknown[]).slice(1) as string[];
      expect(head.slice(0, SUMMARY_FIXED_HEAD.length)).toEqual([...SUMMARY_FIXED_HEAD]);
      // Issue 23: the plan's column named as Phụ lục I names it (it holds progress toward a later milestone too).
      expect(head.slice(-6)).toEqual(['Thành phố', 'Chỉ tiêu', 'Theo ngưỡng tiêu chí', 'Theo chỉ tiêu của Kế hoạch', 'Đánh giá', 'Ghi chú']);
      expect(head).toContain('Ủy ban nhân dân Quận 1');
      const score = await computeScores(ws, storeOn(db), 2024);
      const measures = score.indicators.flatMap((i) => i.measures.map((m) => ({ i, m })));
      expect(sheet.rowCount).toBe(1 + measures.length);
      const col = (name: string) => head.indexOf(name) + 1;
      for (let r = 2; r <= sheet.rowCount; r++) {
        const row = sheet.getRow(r);
        const { i, m } = measures[r - 2];
        expect(row.getCell(3).value).toBe(i.id);
        expect(row.getCell(col('Thành phố')).value ?? null).toBe(m.value);
        // Issue 23: a later milestone is progress (no verdict of the year); figures found impossible, unexplained, are pending.
        const milestoneOnly = i.hasTarget && !i.threshold.targets.length && i.milestone !== null && !i.milestone.ownYear;
        expect(row.getCell(col('Đánh giá')).value).toBe(i.hasTarget === false ? 'Chưa có chỉ tiêu' : i.verdict === 'pending' ? 'Chưa kết luận (chờ đơn vị giải trình)'
          : milestoneOnly ? `Theo dõi tiến độ (mốc năm ${i.milestone!.year})` : { met: 'Đạt', not_met: 'Chưa đạt', missing: 'Thiếu số liệu' }[i.verdict]);
      }
      // A rate: each unit's own rate from its counts, the city's from the summed counts.
      const row = sheet.getRow(2 + measures.findIndex(({ m }) => m.id === '1.1.2-a.m'));
      expect(row.getCell(col('Ủy ban nhân dân Quận 1')).value).toBe(70);
      expect(row.getCell(col('Ủy ban nhân dân Quận 3')).value).toBe(90);
      expect(row.getCell(col('Thành phố')).value).toBeCloseTo((1150 / 1500) * 100, 9);
      expect(row.getCell(col('Sở Giáo dục và Đào tạo')).value ?? null).toBeNull();
      expect(sheet.autoFilter).toBeTruthy();
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      const values = wb.getWorksheet(VALUES_SHEET)!;
      const raw = [];
      for (let r = 2; r <= values.rowCount; r++) raw.push((values.getRow(r).values as unknown[]).slice(1, 8));
      expect(raw).toContainEqual(['Q3', 'Ủy ban nhân dân Quận 3', '1.1.2-a', '1.1.2-a.m.tu', 'Số công dân tham gia hoạt động chung', 'người', 450]);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
