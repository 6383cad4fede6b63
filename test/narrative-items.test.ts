/**
 * Issue 23, items 4 and 8: the narrative sheet asks structured items (highlights, difficulties and proposals by
 * category, nominations for commendation); ingest reads them from a workbook filled with exceljs, re-saved by
 * LibreOffice or written by openpyxl, checks their choices and stores them; the report synthesises them (highlights
 * with their units, counts by category, proposals to the Sở apart) and lists the nominations in Phụ lục V. The
 * template computes each rate in a locked cell (ingest derives it from the counts), shows each indicator's definition
 * and reference date, the Sở's contact, and no internal hash.
 */
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace, type Workspace } from '../src/catalog/workspace.ts';
import { workspaceForYear } from '../src/catalog/years.ts';
import { itemFieldId } from '../src/catalog/ids.ts';
import { buildTemplateWorkbook } from '../src/templates/generate.ts';
import { ingest } from '../src/ingest/ingest.ts';
import type { BatchResult } from '../src/ingest/types.ts';
import type { StoredItem } from '../src/store/store.ts';
import { collectReportInput, generateReport } from '../src/report/generate.ts';
import { zipEntry } from './helpers/pdf-checks.ts';
import { loadTemplates, renderReportHtml } from '../src/report/html.ts';
import { buildReportModel, type ReportModel } from '../src/report/model/index.ts';
import { fieldCells, fillTemplate, plausibleValues } from '../fixtures/fill.ts';
import { FIXTURE_SEED, synthesizeItems } from '../fixtures/synthesize.ts';
import { openDatabase, storeOn } from './helpers/sqlite.ts';
import { OPENPYXL_EDIT } from './helpers/openpyxl.ts';
import { libreOfficeResave, needTool, runPython, tempDir } from './helpers/tools.ts';

const DATE = { year: 2025, month: 1, day: 5 };
const hasSoffice = needTool('soffice');
const id = itemFieldId;

/** What each unit writes in its items (Q1 types a category that is not in the list). */
const ITEMS: Record<string, Record<string, string>> = {
  SGDDT: {
    [id('tuyen_truyen', 'highlight', 1, 'ten')]: 'Chuyên trang “Thành phố học tập” trên cổng thông tin của Sở',
    [id('tuyen_truyen', 'highlight', 1, 'ketqua')]: '120 tin, bài',
    [id('tuan_le', 'highlight', 1, 'ten')]: 'Ngày hội đọc sách',
    [id('tuan_le', 'highlight', 1, 'ketqua')]: '3 ngày hội cấp thành phố',
    [id('de_xuat', 'proposal', 1, 'nhom')]: 'Kinh phí',
    [id('de_xuat', 'proposal', 1, 'noidung')]: 'Bố trí kinh phí cho trung tâm học tập cộng đồng',
    [id('de_xuat', 'proposal', 1, 'guiden')]: 'Ủy ban nhân dân Thành phố',
  },
  Q1: {
    [id('tuan_le', 'highlight', 1, 'ten')]: 'Ngày hội đọc sách',
    [id('tuan_le', 'highlight', 1, 'ketqua')]: '1.200 lượt người tham gia',
    [id('kho_khan', 'difficulty', 1, 'nhom')]: 'Kinh phí',
    [id('kho_khan', 'difficulty', 1, 'noidung')]: 'Kinh phí cho trung tâm học tập cộng đồng còn thiếu',
    [id('kho_khan', 'difficulty', 2, 'nhom')]: 'Tiền bạc',
    [id('kho_khan', 'difficulty', 2, 'noidung')]: 'Chưa có khoản chi riêng',
    [id('de_xuat', 'proposal', 1, 'nhom')]: 'Số liệu thống kê',
    [id('de_xuat', 'proposal', 1, 'noidung')]: 'Tập huấn cách tính các chỉ số',
    [id('de_xuat', 'proposal', 1, 'guiden')]: 'Sở Giáo dục và Đào tạo',
    [id('de_xuat', 'nomination', 1, 'loai')]: 'Tập thể',
    [id('de_xuat', 'nomination', 1, 'ten')]: 'Trung tâm học tập cộng đồng phường Bến Nghé',
    [id('de_xuat', 'nomination', 1, 'thanhtich')]: 'Tổ chức 40 lớp kỹ năng số cho người dân',
  },
  Q3: {
    [id('kho_khan', 'difficulty', 1, 'nhom')]: 'kinh phi',
    [id('kho_khan', 'difficulty', 1, 'noidung')]: 'Trụ sở trung tâm học tập cộng đồng xuống cấp',
    [id('de_xuat', 'proposal', 1, 'noidung')]: 'Không có.',
    [id('de_xuat', 'nomination', 1, 'loai')]: 'Cá nhân',
    [id('de_xuat', 'nomination', 1, 'ten')]: 'Bà Lê Thị Hoa, Chủ tịch Hội Khuyến học phường 5',
    [id('de_xuat', 'nomination', 1, 'thanhtich')]: 'Vận động 300 gia đình đạt danh hiệu “Gia đình học tập”',
  },
  Q4: {
    [id('tuan_le', 'highlight', 1, 'ten')]: 'Ngày hội đọc sách',
    [id('tuan_le', 'highlight', 1, 'ketqua')]: '800 lượt người tham gia',
    [id('kho_khan', 'difficulty', 1, 'nhom')]: 'Nhân lực',
    [id('kho_khan', 'difficulty', 1, 'noidung')]: 'Cán bộ kiêm nhiệm',
  },
};

let root: string;
let ws: Workspace;
let result: BatchResult;
let items: StoredItem[];
let model: ReportModel;
let html: string;
let q4Rate: { stored: number | null; num: number; den: number };

/** A unit's answers: plausible figures, its items; the computed cells left to the template's formulas. */
async function filled(code: string): Promise<Buffer> {
  const unit = ws.roster.find((u) => u.code === code)!;
  const template = await buildTemplateWorkbook(ws, unit, 2024, { generatedAt: new Date('2024-10-01T00:00:00Z') });
  const values: Record<string, unknown> = { ...plausibleValues(ws, unit, { seed: 5 }), ...ITEMS[code] };
  for (const [fieldId, e] of fieldCells(template)) {
    const v = template.getWorksheet(e.sheet)!.getCell(e.cell).value;
    if (v && typeof v === 'object' && 'formula' in v) delete values[fieldId];
  }
  return fillTemplate(template, values);
}

beforeAll(async () => {
  root = tempDir('hoctap-items-');
  ws = workspaceForYear(openWorkspace(root), 2024);
  const inbox = path.join(root, 'inbox');
  fs.mkdirSync(inbox);
  for (const code of ['SGDDT', 'Q1', 'Q3', 'Q4']) fs.writeFileSync(path.join(inbox, `${code}.xlsx`), await filled(code));
  // Q3 works in LibreOffice; Q4's file is written by a script with openpyxl (which caches no formula's result).
  if (hasSoffice) fs.copyFileSync(libreOfficeResave([path.join(inbox, 'Q3.xlsx')], path.join(root, 'lo'))[0], path.join(inbox, 'Q3.xlsx'));
  runPython(OPENPYXL_EDIT, [path.join(inbox, 'Q4.xlsx'), path.join(inbox, 'Q4.xlsx'), '[]']);
  result = await ingest(ws, [inbox], { year: 2024, now: new Date('2024-12-09T03:00:00Z') });
  const db = openDatabase(ws.dbPath);
  try {
    const store = storeOn(db);
    items = await store.acceptedItems(2024);
    const q4 = new Map((await store.acceptedValuesOfUnit('Q4', 2024)).map((v) => [v.fieldId, v.num]));
    q4Rate = { stored: q4.get('1.1.2-a.m.tl') ?? null, num: q4.get('1.1.2-a.m.tu')!, den: q4.get('1.1.2-a.m.mau')! };
    model = buildReportModel((await collectReportInput(ws, store, 2024, DATE)).input);
  } finally {
    db.close();
  }
  html = renderReportHtml(model, loadTemplates(root));
}, 300_000);

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

const bodyOf = (h: string) => h.slice(0, h.indexOf('class="closing"')).replace(/<[^>]+>/g, ' ').replace(/&quot;/g, '"').replace(/\s+/g, ' ');

describe('ingest of the structured items', () => {
  it('accepts the four files and stores every item, from exceljs, LibreOffice and openpyxl alike', () => {
    expect(result.files.map((f) => [f.file, f.status])).toEqual([['Q1.xlsx', 'accepted'], ['Q3.xlsx', 'accepted'], ['Q4.xlsx', 'accepted'], ['SGDDT.xlsx', 'accepted']]);
    const of = (unit: string) => items.filter((i) => i.unitCode === unit).map((i) => [i.sectionId, i.item, i.ordinal, i.choice, i.name, i.text, i.addressee, i.none]);
    expect(of('Q3')).toEqual([
      ['de_xuat', 'nomination', 1, 'ca_nhan', 'Bà Lê Thị Hoa, Chủ tịch Hội Khuyến học phường 5', 'Vận động 300 gia đình đạt danh hiệu “Gia đình học tập”', null, false],
      ['de_xuat', 'proposal', 1, null, null, 'Không có.', null, true],
      // "kinh phi" typed without marks is the list's "Kinh phí".
      ['kho_khan', 'difficulty', 1, 'kinh_phi', null, 'Trụ sở trung tâm học tập cộng đồng xuống cấp', null, false],
    ]);
    expect(of('Q4')).toEqual([
      ['kho_khan', 'difficulty', 1, 'nhan_luc', null, 'Cán bộ kiêm nhiệm', null, false],
      ['tuan_le', 'highlight', 1, null, 'Ngày hội đọc sách', '800 lượt người tham gia', null, false],
    ]);
    expect(of('Q1')).toContainEqual(['de_xuat', 'proposal', 1, 'so_lieu', null, 'Tập huấn cách tính các chỉ số', 'so_gddt', false]);
  });

  it('warns, on its cell, of a category not in the list, and keeps the row as typed', () => {
    const q1 = result.files.find((f) => f.file === 'Q1.xlsx')!;
    const bad = q1.messages.filter((m) => m.code === 'bad_item');
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatchObject({ severity: 'warning', sheet: 'BaoCao', field: id('kho_khan', 'difficulty', 2, 'nhom') });
    expect(bad[0].text).toContain('không có trong danh sách nhóm');
    expect(bad[0].text).toContain('Kinh phí, Nhân lực, Cơ sở vật chất, Cơ chế chính sách, Nhận thức, Số liệu thống kê, Khác');
    expect(items.find((i) => i.unitCode === 'Q1' && i.item === 'difficulty' && i.ordinal === 2)).toMatchObject({ choice: null, choiceText: 'Tiền bạc' });
  });

  it('derives a rate left as the template\'s formula from its counts (openpyxl caches no result)', () => {
    expect(q4Rate.stored).toBe(Math.round((q4Rate.num / q4Rate.den) * 10000) / 100);
  });
});

describe('the report\'s synthesis of the items', () => {
  it('names the highlights with their units, the same model of two units said once', () => {
    // The Sở's own highlight is its voice, a sentence before the units' (a bullet of the same name as a group of units
    // read as one model told twice); the units' group of the same model says "ngoài" the Sở.
    expect(model.partI.week.points).toEqual([
      'Sở Giáo dục và Đào tạo triển khai ngày hội đọc sách (3 ngày hội cấp thành phố).',
      'Mô hình, hoạt động nổi bật của các đơn vị (2 đơn vị nêu 2 mô hình, hoạt động):',
      '- Ngày hội đọc sách: ngoài Sở Giáo dục và Đào tạo, 2 đơn vị (Ủy ban nhân dân Quận 1, Ủy ban nhân dân Quận 4); ví dụ Ủy ban nhân dân Quận 1: 1.200 lượt người tham gia.',
    ]);
    expect(model.partI.directing.subsections[0].points).toEqual(['Sở Giáo dục và Đào tạo triển khai chuyên trang “Thành phố học tập” trên cổng thông tin của Sở (120 tin, bài).']);
  });

  it('counts difficulties and proposals by category with the units named, "Không có" as none, proposals to the Sở apart', () => {
    const d = model.partII.difficulties.narrative.points;
    expect(d[0]).toBe('Khó khăn, tồn tại các đơn vị nêu, theo nhóm (3 đơn vị trả lời):');
    // Issue 23 (item 7): each line in short sentences, the count, an example, then the units named (was one sentence).
    expect(d).toContain('- Kinh phí: 2 đơn vị. Ví dụ: “Kinh phí cho trung tâm học tập cộng đồng còn thiếu” và 1 ý khác. Các đơn vị: Ủy ban nhân dân Quận 1, Ủy ban nhân dân Quận 3.');
    expect(d).toContain('- Nhân lực: Ủy ban nhân dân Quận 4. Ví dụ: “Cán bộ kiêm nhiệm”.');
    expect(d.at(-1)).toBe('- Khác: Ủy ban nhân dân Quận 1. Ví dụ: “Chưa có khoản chi riêng”.');
    const p = model.partIV.narrative.points;
    expect(p[0]).toBe('Đề xuất, kiến nghị của các đơn vị, theo nhóm (2 đơn vị trả lời, trong đó 1 đơn vị không có đề xuất, kiến nghị):');
    // The Sở's own report names it once (was "với Sở Giáo dục và Đào tạo (Sở Giáo dục và Đào tạo tiếp thu…)").
    expect(p).toContain('Đề xuất các đơn vị gửi Sở Giáo dục và Đào tạo (Sở tiếp thu, thực hiện trong năm 2025):');
    expect(p).toContain('- Số liệu thống kê: Ủy ban nhân dân Quận 1. Ví dụ: “Tập huấn cách tính các chỉ số”.');
    const body = bodyOf(html);
    for (const line of [...d, ...p]) expect(body).toContain(line.replace(/\s+/g, ' '));
    // The Sở's own proposal (to the People's Committee) is not counted as a unit's.
    expect(p.join('\n')).not.toContain('Sở Giáo dục và Đào tạo, ví dụ');
  });

  it('lists every nomination in Phụ lục V: who proposed whom, for what', () => {
    expect(model.appendixCommendations!.rows).toEqual([
      { index: 1, proposer: 'Ủy ban nhân dân Quận 1', kind: 'Tập thể', name: 'Trung tâm học tập cộng đồng phường Bến Nghé', achievement: 'Tổ chức 40 lớp kỹ năng số cho người dân' },
      { index: 2, proposer: 'Ủy ban nhân dân Quận 3', kind: 'Cá nhân', name: 'Bà Lê Thị Hoa, Chủ tịch Hội Khuyến học phường 5', achievement: 'Vận động 300 gia đình đạt danh hiệu “Gia đình học tập”' },
    ]);
    const appendix = html.slice(html.indexOf('DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG NĂM 2024'));
    expect(appendix).toContain('Bà Lê Thị Hoa, Chủ tịch Hội Khuyến học phường 5');
    expect(appendix).toContain('Trung tâm học tập cộng đồng phường Bến Nghé');
  });

  it('prints Phụ lục V and the synthesis in the DOCX too', async () => {
    const out = path.join(root, 'out');
    const db = openDatabase(ws.dbPath);
    try {
      await generateReport(ws, storeOn(db), { year: 2024, outDir: out, formats: ['docx'], formatsExplicit: true, date: DATE });
    } finally {
      db.close();
    }
    const xml = zipEntry(path.join(out, 'bao-cao-2024.docx'), 'word/document.xml').replace(/<[^>]+>/g, '');
    expect(xml).toContain('DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG NĂM 2024');
    expect(xml).toContain('Bà Lê Thị Hoa, Chủ tịch Hội Khuyến học phường 5');
    expect(xml).toContain('- Nhân lực: Ủy ban nhân dân Quận 4. Ví dụ: “Cán bộ kiêm nhiệm”.');
  });
});

// Issue 23: the units' items one by one, beside the synthesis: a row each in the workbook, a line each in Phụ lục III.
describe('each unit\'s items, listed', () => {
  const Q1_LINES = [
    'Mô hình, hoạt động nổi bật: Ngày hội đọc sách; kết quả: 1.200 lượt người tham gia.',
    'Khó khăn, tồn tại (Kinh phí): Kinh phí cho trung tâm học tập cộng đồng còn thiếu.',
    'Khó khăn, tồn tại (Tiền bạc): Chưa có khoản chi riêng.',
    'Đề xuất, kiến nghị (Số liệu thống kê) với Sở Giáo dục và Đào tạo: Tập huấn cách tính các chỉ số.',
    'Đề nghị khen thưởng (Tập thể): Trung tâm học tập cộng đồng phường Bến Nghé; thành tích: Tổ chức 40 lớp kỹ năng số cho người dân.',
  ];
  let out: string;
  beforeAll(async () => {
    out = path.join(root, 'out-items');
    const db = openDatabase(ws.dbPath);
    try {
      await generateReport(ws, storeOn(db), { year: 2024, outDir: out, formats: ['docx', 'xlsx'], formatsExplicit: true, date: DATE });
    } finally {
      db.close();
    }
  }, 120_000);

  /** Phụ lục III's text: from its title to the end (the next appendix, Phụ lục V, after it). */
  const annexIII = (text: string) => text.slice(text.indexOf('NỘI DUNG BÁO CÁO CỦA CÁC ĐƠN VỊ NĂM 2024'));

  it('Phụ lục III lists each unit\'s items under its text, in the HTML and the DOCX, "Không có" included', () => {
    const htmlText = annexIII(html.replace(/<[^>]+>/g, ' ').replace(/&quot;/g, '"').replace(/\s+/g, ' '));
    const docxText = annexIII(zipEntry(path.join(out, 'bao-cao-2024.docx'), 'word/document.xml').replace(/<\/w:p>/g, '\n').replace(/<[^>]+>/g, ''));
    for (const text of [htmlText, docxText]) {
      for (const line of Q1_LINES) expect(text).toContain(line);
      expect(text).toContain('Đề xuất, kiến nghị: Không có.');
      // Under the unit, in its section: Q4's difficulty after the heading of II.2, its highlight after that of I.4.
      const ii2 = text.indexOf('II.2. Khó khăn, tồn tại và nguyên nhân');
      expect(ii2).toBeGreaterThan(-1);
      expect(text.indexOf('Khó khăn, tồn tại (Nhân lực): Cán bộ kiêm nhiệm.')).toBeGreaterThan(ii2);
      expect(text.indexOf('Mô hình, hoạt động nổi bật: Ngày hội đọc sách; kết quả: 800 lượt người tham gia.')).toBeLessThan(ii2);
    }
    // Each item once: the same line of Q1 is not printed twice.
    expect(htmlText.split(Q1_LINES[1]).length).toBe(2);
  });

  it('the workbook has a sheet with a row per item: unit, section, kind, category, text, addressee (read by openpyxl)', () => {
    const rows = JSON.parse(runPython(`
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
print(json.dumps([[c if c is not None else '' for c in r] for r in wb['NoiBatKhoKhanDeXuat'].iter_rows(values_only=True)], ensure_ascii=False))
`, [path.join(out, 'bao-cao-2024.xlsx')])) as string[][];
    expect(rows[0]).toEqual(['Mã đơn vị', 'Đơn vị', 'Mục báo cáo', 'Loại', 'Nhóm', 'Mô hình, hoạt động / Tập thể, cá nhân', 'Nội dung', 'Kiến nghị tới']);
    expect(rows.length - 1).toBe(items.length);
    expect(rows).toContainEqual(['Q1', 'Ủy ban nhân dân Quận 1', 'IV. Đề xuất, kiến nghị', 'Đề xuất, kiến nghị', 'Số liệu thống kê', '', 'Tập huấn cách tính các chỉ số', 'Sở Giáo dục và Đào tạo']);
    expect(rows).toContainEqual(['Q3', 'Ủy ban nhân dân Quận 3', 'IV. Đề xuất, kiến nghị', 'Đề xuất, kiến nghị', '', '', 'Không có', '']);
    expect(rows).toContainEqual(['Q4', 'Ủy ban nhân dân Quận 4', 'II.2. Khó khăn, tồn tại và nguyên nhân', 'Khó khăn, tồn tại', 'Nhân lực', '', 'Cán bộ kiêm nhiệm', '']);
    expect(rows).toContainEqual(['Q3', 'Ủy ban nhân dân Quận 3', 'IV. Đề xuất, kiến nghị', 'Đề nghị khen thưởng', 'Cá nhân', 'Bà Lê Thị Hoa, Chủ tịch Hội Khuyến học phường 5', 'Vận động 300 gia đình đạt danh hiệu “Gia đình học tập”', '']);
    // The Sở's own items too, and in roster order: the Sở's rows before the districts'.
    const units = rows.slice(1).map((r) => r[0]);
    expect(units.indexOf('SGDDT')).toBeGreaterThan(-1);
    expect(units.indexOf('SGDDT')).toBeLessThan(units.indexOf('Q1'));
  });
});

describe('the template a commune official fills (item 8)', () => {
  let wb: ExcelJS.Workbook;
  beforeAll(async () => {
    wb = await buildTemplateWorkbook(ws, ws.roster.find((u) => u.code === 'Q1')!, 2024);
  });

  it('computes each rate in a locked cell from its numerator and denominator, and asks a shared quantity once', () => {
    const cells = fieldCells(wb);
    const at = (f: string) => wb.getWorksheet('ChiSo')!.getCell(cells.get(f)!.cell);
    const rate = at('1.1.2-a.m.tl');
    const { tu, mau } = { tu: cells.get('1.1.2-a.m.tu')!.cell, mau: cells.get('1.1.2-a.m.mau')!.cell };
    expect(rate.value).toMatchObject({ formula: `IF(AND(ISNUMBER(${tu}),ISNUMBER(${mau}),${mau}>0),ROUND(${tu}/${mau}*100,2),"")` });
    expect(rate.protection?.locked).not.toBe(false);
    expect(at('1.1.2-a.m.tu').protection?.locked).toBe(false);
    // "Tổng số xã, phường, thị trấn" is asked at 2.2.1-a; 2.2.2-d's cell takes it.
    const shared = cells.get('2.2.1-a.m.mau')!.cell;
    expect(at('2.2.2-d.m.mau').value).toMatchObject({ formula: `IF(ISNUMBER(${shared}),${shared},"")` });
  });

  it('shows each indicator\'s definition and reference date, the Sở\'s contact, the city\'s target column, and no hash', () => {
    const texts: string[] = [];
    for (const name of ['HuongDan', 'ChiSo', 'BaoCao']) wb.getWorksheet(name)!.eachRow((row) => row.eachCell((c) => texts.push(String(c.value))));
    const all = texts.join('\n');
    expect(all).toContain('Định nghĩa: Công dân tham gia ít nhất một hoạt động chung');
    expect(all).toContain('Số liệu tính đến: 31/12/2024.');
    expect(all).toContain('Liên hệ khi cần hỏi');
    expect(all).toContain(ws.profile.contact!.name!);
    expect(all).toContain('Chỉ tiêu của Thành phố (năm 2024)');
    expect(all).not.toContain(ws.catalog.version);
    expect(all).not.toMatch(/danh mục [0-9a-f]{12}/);
  });
});

describe('the fixtures', () => {
  it('carry nominations: the demo\'s Phụ lục V lists them, and SGDDT asks nothing of itself', async () => {
    const dir = tempDir('hoctap-items-fixtures-');
    try {
      const fws = workspaceForYear(openWorkspace(dir), 2024);
      const fixtures = path.join(import.meta.dirname, '..', 'fixtures', '2024');
      await ingest(fws, [path.join(fixtures, 'dot-1')], { year: 2024, now: new Date('2024-12-06T03:00:00Z') });
      const db = openDatabase(fws.dbPath);
      try {
        const m = buildReportModel((await collectReportInput(fws, storeOn(db), 2024, DATE)).input);
        const sgddt = fws.roster.find((u) => u.code === 'SGDDT')!;
        const own = synthesizeItems(fws, sgddt, 2024, FIXTURE_SEED);
        expect(Object.entries(own).filter(([k, v]) => k.endsWith('.guiden') && v === fws.profile.issuingBody)).toEqual([]);
        expect(m.appendixCommendations!.rows.length).toBeGreaterThan(5);
        const q1 = fws.roster.find((u) => u.code === 'Q1')!;
        const names = Object.entries(synthesizeItems(fws, q1, 2024, FIXTURE_SEED)).filter(([k]) => /nomination|khenthuong/.test(k) && k.endsWith('.ten')).map(([, v]) => v);
        for (const n of names.filter((x) => x !== 'Không có')) expect(m.appendixCommendations!.rows).toContainEqual(expect.objectContaining({ proposer: q1.name, name: n }));
        expect(m.partII.difficulties.narrative.points.join('\n')).toMatch(/đơn vị không có khó khăn/);
      } finally {
        db.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
