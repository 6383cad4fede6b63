/**
 * Issue 13 point 2: the activity figures beside the narrative sections (narrative_figures.csv) are asked in the
 * template, read and checked by ingest like any count, stored, summed in the report's synthesis of their section and
 * listed per unit in Phụ lục III and the workbook's text sheet; I.1 prints its sub-items 1.1 and 1.2 (HTML, DOCX); a
 * text stored under the retired section chi_dao is printed under I.1, not dropped.
 */
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace, type Workspace } from '../src/catalog/workspace.ts';
import { buildTemplateWorkbook } from '../src/templates/generate.ts';
import { ingest } from '../src/ingest/ingest.ts';
import type { BatchResult, FileResult } from '../src/ingest/types.ts';
import { openDatabase, storeOn } from './helpers/sqlite.ts';
import { acceptedValues } from './helpers/sqlite.ts';
import { collectReportInput, generateReport } from '../src/report/generate.ts';
import { loadTemplates, renderReportHtml } from '../src/report/html.ts';
import { buildReportModel, type ReportModel } from '../src/report/model/index.ts';
import { TEXTS_SHEET, VALUES_SHEET } from '../src/report/xlsx.ts';
import { fillTemplate, plausibleValues } from '../fixtures/fill.ts';
import { seedSubmission } from './helpers/seed-store.ts';
import { libreOfficeResave, needTool, tempDir } from './helpers/tools.ts';
import { zipEntry } from './helpers/pdf-checks.ts';
import { reportExitCode } from '../src/cli/commands/report.ts';

const DATE = { year: 2025, month: 1, day: 5 };
const hasSoffice = needTool('soffice');
const FIG = {
  propaganda: 'narrative.tuyen_truyen.hoatdong', weekEvents: 'narrative.tuan_le.hoatdong', weekPeople: 'narrative.tuan_le.luot',
  models: 'narrative.cong_dan_hoc_tap.mohinh', citizens: 'narrative.cong_dan_hoc_tap.congdan',
};
/** What each unit types: SGDDT (the issuing department), Q1 and Q3; Q4 types a word where a count goes. */
const TYPED: Record<string, Record<string, unknown>> = {
  SGDDT: { [FIG.propaganda]: 12, [FIG.weekEvents]: 40, [FIG.weekPeople]: 1500, [FIG.models]: 3, [FIG.citizens]: 120 },
  Q1: { [FIG.propaganda]: 230, [FIG.weekEvents]: 1100, [FIG.weekPeople]: 43_000, [FIG.models]: 85, [FIG.citizens]: 2_400 },
  // Q3 leaves the week's participants empty: the sum says it counts fewer units.
  Q3: { [FIG.propaganda]: 992, [FIG.weekEvents]: 94, [FIG.weekPeople]: null, [FIG.models]: 1, [FIG.citizens]: 0 },
  Q4: { [FIG.weekPeople]: 'nhiều', [FIG.weekEvents]: -3 },
};

let root: string;
let ws: Workspace;
let result: BatchResult;
let model: ReportModel;
let html: string;
const file = (name: string): FileResult => result.files.find((f) => f.file === name)!;

beforeAll(async () => {
  root = tempDir('hoctap-figures-');
  ws = openWorkspace(root, { year: 2024 });
  const inbox = path.join(root, 'inbox');
  fs.mkdirSync(inbox);
  for (const [code, typed] of Object.entries(TYPED)) {
    const unit = ws.roster.find((u) => u.code === code)!;
    const template = await buildTemplateWorkbook(ws, unit, 2024, { generatedAt: new Date('2024-10-01T00:00:00Z') });
    const buf = await fillTemplate(template, { ...plausibleValues(ws, unit, { seed: 3 }), ...typed });
    fs.writeFileSync(path.join(inbox, `${code}.xlsx`), buf);
  }
  // Q1's file re-saved by LibreOffice, as a unit working in LibreOffice sends it.
  if (hasSoffice) {
    const [resaved] = libreOfficeResave([path.join(inbox, 'Q1.xlsx')], path.join(root, 'lo'));
    fs.copyFileSync(resaved, path.join(inbox, 'Q1.xlsx'));
  }
  result = await ingest(ws, [inbox], { year: 2024, now: new Date('2024-12-09T03:00:00Z') });
  const db = openDatabase(ws.dbPath);
  try {
    // A text stored under the retired section chi_dao (a version 1 template) by Q6.
    seedSubmission(db, { unitCode: 'Q6', year: 2024, values: { '1.1.1-a.m.tl': 91 }, narratives: { chi_dao: 'Quận 6 ban hành kế hoạch năm 2024.' } }, ws.catalog);
    model = buildReportModel((await collectReportInput(ws, storeOn(db), 2024, DATE)).input);
  } finally {
    db.close();
  }
  html = renderReportHtml(model, loadTemplates(root));
}, 300_000);

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

const plain = (s: string) => s.replace(/<[^>]+>/g, ' ').replace(/&#x27;/g, "'").replace(/&quot;/g, '"').replace(/\s+/g, ' ');

describe('activity figures: template to store', () => {
  it('are accepted as counts and stored with their cell on BaoCao, belonging to no indicator', () => {
    for (const code of ['SGDDT', 'Q1', 'Q3']) expect(file(`${code}.xlsx`).status, code).toBe('accepted');
    const db = openDatabase(ws.dbPath);
    try {
      const stored = acceptedValues(db, 2024).filter((v) => v.field_id.startsWith('narrative.'));
      const q1 = stored.filter((v) => v.unit_code === 'Q1');
      expect(Object.fromEntries(q1.map((v) => [v.field_id, v.value_num]))).toEqual(TYPED.Q1);
      expect(q1.every((v) => v.indicator_id === '' && /^B\d+$/.test(v.cell ?? ''))).toBe(true);
      expect(stored.filter((v) => v.unit_code === 'Q3').map((v) => v.field_id)).not.toContain(FIG.weekPeople);
      expect(stored.filter((v) => v.unit_code === 'Q3').map((v) => v.field_id)).toContain(FIG.citizens);
    } finally {
      db.close();
    }
  });

  it('an empty one is a missing figure, not zero; a word or a negative number is refused on its cell, named by its label', () => {
    const q3 = file('Q3.xlsx');
    const missing = q3.messages.find((m) => m.code === 'missing_values')!;
    expect(missing.text).toContain(FIG.weekPeople);
    const q4 = file('Q4.xlsx');
    expect(q4.status).toBe('rejected');
    const errors = q4.messages.filter((m) => m.severity === 'error');
    expect(errors.map((m) => m.field).sort()).toEqual([FIG.weekEvents, FIG.weekPeople].sort());
    for (const m of errors) {
      expect(m.sheet).toBe('BaoCao');
      expect(m.cell).toMatch(/^B\d+$/);
    }
    expect(errors.find((m) => m.field === FIG.weekPeople)!.text).toContain('Số lượt người tham gia các hoạt động của Tuần lễ');
  });
});

describe('activity figures in the report', () => {
  const units = () => model.appendixII.rows.length;

  it('are summed in their section\'s synthesis, with how many units gave them', () => {
    expect(model.partI.week.figures).toBe(`3/${units()} đơn vị báo cáo số liệu; các đơn vị đã tổ chức 1.234 hoạt động hưởng ứng Tuần lễ, ` +
      'thu hút 44.500 lượt người tham gia (số liệu của 2 đơn vị).');
    expect(model.partI.citizens.figures).toBe(`3/${units()} đơn vị báo cáo số liệu; các đơn vị đã công nhận 89 mô hình học tập, 2.520 người đạt danh hiệu “Công dân học tập”.`);
    expect(model.partI.directing.subsections[0].figures).toContain('tổ chức 1.234 hoạt động tuyên truyền, phổ biến.');
    expect(model.partI.digital.figures).toBe('');
    expect(plain(html)).toContain('các đơn vị đã tổ chức 1.234 hoạt động hưởng ứng Tuần lễ, thu hút 44.500 lượt người tham gia');
  });

  it('are listed per unit in Phụ lục III, the issuing department\'s too', () => {
    const week = model.appendixIII.sections.find((s) => s.title.startsWith('I.4.'))!;
    expect(week.entries.find((e) => e.unitName === 'Ủy ban nhân dân Quận 1')!.figuresLine)
      .toBe('Số liệu: đã tổ chức 1.100 hoạt động hưởng ứng Tuần lễ, thu hút 43.000 lượt người tham gia.');
    expect(week.entries.find((e) => e.unitName === 'Ủy ban nhân dân Quận 3')!.figuresLine).toBe('Số liệu: đã tổ chức 94 hoạt động hưởng ứng Tuần lễ.');
    const lead = week.entries.find((e) => e.isLead)!;
    expect(lead.figuresLine).toContain('thu hút 1.500 lượt người tham gia');
    const annex = plain(html.slice(html.indexOf('appendix-texts')));
    expect(annex).toContain('Ủy ban nhân dân Quận 1 : Số liệu: đã tổ chức 1.100 hoạt động hưởng ứng Tuần lễ, thu hút 43.000 lượt người tham gia.');
    expect(annex).toContain('Sở Giáo dục và Đào tạo : Số liệu: đã tổ chức 40 hoạt động hưởng ứng Tuần lễ, thu hút 1.500 lượt người tham gia. (Nội dung đã trình bày trong Báo cáo.)');
  });
});

describe('I.1 with its sub-items, the full headings', () => {
  it('HTML: "1. Công tác chỉ đạo…", then "1.1. Về tuyên truyền…" and "1.2. Về công tác chỉ đạo…" with their own texts', () => {
    const text = plain(html);
    const at = (s: string) => { const k = text.indexOf(s); expect(k, s).toBeGreaterThan(-1); return k; };
    const i1 = at('1. Công tác chỉ đạo, tổ chức triển khai thực hiện Kế hoạch');
    const i11 = at('1.1. Về tuyên truyền, phổ biến, nâng cao nhận thức về xây dựng thành phố học tập UNESCO');
    const i12 = at('1.2. Về công tác chỉ đạo, hướng dẫn thực hiện');
    const i2 = at('2. Chuyển đổi số');
    expect(i1).toBeLessThan(i11);
    expect(i11).toBeLessThan(i12);
    expect(i12).toBeLessThan(i2);
    const lead = plausibleValues(ws, ws.roster.find((u) => u.code === 'SGDDT')!, { seed: 3 });
    expect(text.slice(i11, i12)).toContain(String(lead['narrative.tuyen_truyen']));
    expect(text.slice(i12, i2)).toContain(String(lead['narrative.chi_dao_huong_dan']));
    at('3. Công tác triển khai thực hiện các tiêu chí, chỉ số trong Bộ tiêu chí xây dựng thành phố học tập toàn cầu UNESCO');
    at('5. Công tác triển khai thực hiện Chương trình “Xây dựng mô hình Công dân học tập giai đoạn 2021 - 2030”');
  });

  it('a text of the retired section chi_dao is printed under I.1 and in Phụ lục III', () => {
    expect(model.partI.directing.entries.map((e) => e.unitName)).toEqual(['Ủy ban nhân dân Quận 6']);
    expect(model.partI.directing.synthesis).toContain('1/');
    const i1 = model.appendixIII.sections.find((s) => s.title === 'I.1. Công tác chỉ đạo, tổ chức triển khai thực hiện Kế hoạch')!;
    expect(i1.entries[0].paragraphs[0].lines).toEqual(['Quận 6 ban hành kế hoạch năm 2024.']);
    expect(model.otherNarratives).toEqual([]);
  });

  it('DOCX and the XLSX text sheet: the headings 1.1 and 1.2, the sums, one numeric column per figure', async () => {
    const out = path.join(root, 'out');
    const db = openDatabase(ws.dbPath);
    try {
      expect(reportExitCode(await generateReport(ws, storeOn(db), { year: 2024, outDir: out, formats: ['docx', 'xlsx'], formatsExplicit: true, date: DATE }))).toBe(0);
    } finally {
      db.close();
    }
    const xml = zipEntry(path.join(out, 'bao-cao-2024.docx'), 'word/document.xml');
    const docText = [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');
    for (const s of ['1.1. Về tuyên truyền, phổ biến', '1.2. Về công tác chỉ đạo, hướng dẫn thực hiện', 'thu hút 44.500 lượt người tham gia (số liệu của 2 đơn vị)']) {
      expect(docText).toContain(s);
    }
    expect(docText.indexOf('1.1. Về tuyên truyền')).toBeLessThan(docText.indexOf('1.2. Về công tác chỉ đạo'));
    // Phụ lục III lists the issuing department's figures too, as the HTML does (its text is in the body).
    expect(docText).toContain('Sở Giáo dục và Đào tạo: Số liệu: đã tổ chức 40 hoạt động hưởng ứng Tuần lễ, thu hút 1.500 lượt người tham gia. (Nội dung đã trình bày trong Báo cáo.)');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path.join(out, 'bao-cao-2024.xlsx'));
    const sheet = wb.getWorksheet(TEXTS_SHEET)!;
    const head = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
    const col = head.indexOf('Số lượt người tham gia các hoạt động của Tuần lễ (lượt người)') + 1;
    expect(col).toBeGreaterThan(3);
    let sum = 0;
    sheet.eachRow((row, n) => { if (n > 1 && typeof row.getCell(col).value === 'number') sum += row.getCell(col).value as number; });
    expect(sum).toBe(44_500);
    // The sheet of every stored figure names an activity figure by its label and unit, as it does an indicator's field.
    const values = wb.getWorksheet(VALUES_SHEET)!;
    const rows: string[][] = [];
    values.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? '' : String(v)))));
    const figureRows = rows.filter((r) => r[3] === 'narrative.tuan_le.luot');
    expect(figureRows.length).toBeGreaterThan(0);
    for (const r of figureRows) expect([r[4], r[5]]).toEqual(['Số lượt người tham gia các hoạt động của Tuần lễ', 'lượt người']);
  });
});
