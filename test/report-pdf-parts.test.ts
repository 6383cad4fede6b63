/**
 * Phụ lục III as a document of its own (issue 13, point 6). With the bundled templates hoctap typesets its PDF itself;
 * a workspace with its own stylesheet or annex templates has it printed by the browser in parts (several smaller HTML
 * documents, one after the other in one browser, then joined). Either way every unit's text must be in the PDF once
 * and in order, each section's heading once, and the page numbers must run on (only the first page has none).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace, type Workspace } from '../src/catalog/workspace.ts';
import { openDatabase, storeOn } from './helpers/sqlite.ts';
import { collectReportInput, generateReport } from '../src/report/generate.ts';
import { splitAnnex } from '../src/report/html.ts';
import { buildReportModel } from '../src/report/model/index.ts';
import { seedSubmission } from './helpers/seed-store.ts';
import { needTool, tempDir } from './helpers/tools.ts';
import { poppler } from './helpers/pdf-checks.ts';
import { writeCommuneRoster } from './helpers/report-store.ts';

const DATE = { year: 2025, month: 1, day: 5 };
const SECTIONS = ['chi_dao', 'chuyen_doi_so', 'tuan_le', 'cong_dan_hoc_tap', 'kho_khan', 'nhiem_vu', 'de_xuat'];
const COMMUNES = 80;
const dirs: string[] = [];
afterAll(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });

/** A word that names the unit and the section, found again in the PDF's text: MK<section>X<unit code>. */
const marker = (section: number, code: string) => `MK${section}X${code}`;

/** The HCM departments and 80 communes, each writing some 400 characters on every section. */
function workspace(): Workspace {
  const dir = tempDir('hoctap-pdf-parts-');
  dirs.push(dir);
  writeCommuneRoster(dir, COMMUNES);
  const ws = openWorkspace(dir, { year: 2024 });
  const db = openDatabase(ws.dbPath);
  const filler = 'Đơn vị đã tổ chức các lớp bồi dưỡng, sinh hoạt chuyên đề và hoạt động đọc sách tại cơ sở, huy động người dân tham gia học tập suốt đời. ';
  try {
    for (const u of ws.roster) {
      const narratives = Object.fromEntries(SECTIONS.map((s, i) => [s, `${marker(i, u.code)} ${filler.repeat(3)}`]));
      seedSubmission(db, { unitCode: u.code, year: 2024, values: { '1.1.1-a.m.tl': 95 }, narratives }, ws.catalog);
    }
  } finally {
    db.close();
  }
  return ws;
}

const ws = workspace();

/** A copy of the workspace with a stylesheet of its own (the bundled one, and `extra` after it). */
function withStylesheet(prefix: string, extra = ''): Workspace {
  const dir = tempDir(prefix);
  dirs.push(dir);
  fs.cpSync(ws.dir, dir, { recursive: true });
  fs.rmSync(path.join(dir, 'reports'), { recursive: true, force: true });
  const css = fs.readFileSync(path.resolve(import.meta.dirname, '../templates/report.css'), 'utf8');
  fs.mkdirSync(path.join(dir, 'templates'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'templates', 'report.css'), `${css}\n${extra}`);
  return openWorkspace(dir, { year: 2024 });
}

/**
 * What a reader of the annex's PDF checks: its title, every page but the first numbered at the top, every unit's text
 * on every section once and in order, the issuing department's not again, each section's heading once. Returns the
 * page count.
 */
async function checkAnnexPdf(file: string, copy: Workspace): Promise<number> {
  const info = poppler('pdfinfo', [file]);
  expect(info).toMatch(/^Title:\s+Phụ lục III NỘI DUNG BÁO CÁO CỦA CÁC ĐƠN VỊ NĂM 2024$/m);
  expect(info).toMatch(/^Page size:\s+[\d.]+ x [\d.]+ pts \(A4\)$/m);
  const pageCount = Number(/^Pages:\s+(\d+)$/m.exec(info)![1]);
  const pages = poppler('pdftotext', ['-layout', file, '-']).split('\f').slice(0, pageCount);
  expect(pages).toHaveLength(pageCount);
  const firstLine = (page: string) => page.split('\n').find((l) => l.trim())!.trim();
  expect(firstLine(pages[0])).toBe('Phụ lục III');
  pages.forEach((page, i) => { if (i > 0) expect(firstLine(page), `trang ${i + 1}`).toBe(String(i + 1)); });
  const text = pages.join(' ').replace(/\s+/g, ' ');
  let at = -1;
  for (let s = 0; s < SECTIONS.length; s++) {
    for (const code of printed) {
      const m = marker(s, code);
      const found = text.indexOf(m);
      expect(found, m).toBeGreaterThan(at);
      expect(text.indexOf(m, found + 1), `${m} hai lần`).toBe(-1);
      at = found;
    }
  }
  expect(text).not.toContain(marker(0, 'SGDDT'));
  const db = openDatabase(copy.dbPath);
  const model = buildReportModel((await collectReportInput(copy, storeOn(db), 2024, DATE)).input);
  db.close();
  for (const s of model.appendixIII.sections.filter((x) => x.shown)) {
    expect(text.split(s.title.replace(/\s+/g, ' ')).length - 1, s.title).toBe(1);
  }
  return pageCount;
}

/** `hoctap report --format pdf` on a workspace, Phụ lục III printed (if printed) in parts of `partChars` characters. */
async function reportPdf(w: Workspace, partChars: number) {
  const db = openDatabase(w.dbPath);
  try {
    return await generateReport(w, storeOn(db), { year: 2024, formats: ['pdf'], formatsExplicit: true, date: DATE, annexPartChars: partChars });
  } finally {
    db.close();
  }
}

/** The PDF's fonts, without their subset tags. */
const pdfFonts = (file: string) => poppler('pdffonts', [file]).split('\n').slice(2).filter(Boolean).map((l) => l.split(/\s+/)[0].replace(/^[A-Z]{6}\+/, ''));
/** What the appendix prints: every unit but the issuing department, in roster order, on every section. */
const printed = ws.roster.filter((u) => u.code !== 'SGDDT').map((u) => u.code);

describe('splitAnnex', () => {
  let model: ReturnType<typeof buildReportModel>;
  beforeAll(async () => {
    const db = openDatabase(ws.dbPath);
    model = buildReportModel((await collectReportInput(ws, storeOn(db), 2024, DATE)).input);
    db.close();
  });

  it('cuts Phụ lục III between whole units\' texts, every text once and in order, a section\'s heading where it begins', () => {
    expect(model.appendixIII.separate).toBe(true);
    const parts = splitAnnex(model.appendixIII, 12_000);
    expect(parts.length).toBeGreaterThan(5);
    const seen = parts.flatMap((p) => p.sections.flatMap((s) => s.entries.map((e) => `${s.title}|${e.unitName}`)));
    const expected = model.appendixIII.sections.filter((s) => s.shown).flatMap((s) => s.entries.filter((e) => !e.isLead).map((e) => `${s.title}|${e.unitName}`));
    expect(expected.length).toBe(SECTIONS.length * printed.length);
    expect(seen).toEqual(expected);
    // The heading is printed once per section: in the part where the section begins.
    const headings = parts.flatMap((p) => p.sections.filter((s) => !s.continued).map((s) => s.title));
    expect(headings).toEqual(model.appendixIII.sections.filter((s) => s.shown).map((s) => s.title));
    expect(parts.map((p) => p.continued)).toEqual(parts.map((_, i) => i > 0));
    // No part is over the budget; each but the last was closed at least half full.
    const size = (e: (typeof parts)[number]['sections'][number]['entries'][number]) => e.unitName.length + e.paragraphs.reduce((n, p) => n + p.lines.reduce((t, l) => t + l.length + 1, 0), 0);
    const sizes = parts.map((p) => p.sections.reduce((n, s) => n + s.entries.reduce((t, e) => t + size(e), 0), 0));
    for (const n of sizes.slice(0, -1)) expect(n).toBeGreaterThan(6_000);
    for (const n of sizes) expect(n).toBeLessThanOrEqual(12_000);
    // A budget above the whole text: one part, printed as the whole document is.
    expect(splitAnnex(model.appendixIII, 10_000_000)).toHaveLength(1);
  });
});

const haveTools = needTool('chromium') && needTool('poppler');

describe.skipIf(!haveTools)('Phụ lục III\'s PDF printed in parts, with Chromium (a workspace stylesheet)', () => {
  it('joins the parts into one PDF with every unit\'s text once, in order, and the page numbers running on', async () => {
    const copy = withStylesheet('hoctap-pdf-parts-css-');
    const outDir = path.join(copy.dir, 'reports', '2024');
    const r = await reportPdf(copy, 40_000);
    const file = path.join(outDir, 'bao-cao-2024-phu-luc-III.pdf');
    const annex = r.files.find((f) => f.path === file)!;
    expect(annex.parts).toBeGreaterThan(5);
    // Nothing of the parts is left beside the report.
    expect(fs.readdirSync(outDir).sort()).toEqual(['bao-cao-2024-phu-luc-III.pdf', 'bao-cao-2024.pdf']);
    // The first page of each part is numbered too.
    expect(await checkAnnexPdf(file, copy)).toBeGreaterThan(annex.parts! + 5);
  }, 300_000);

  it('prints each part with the fonts it names, loaded before printing (a part is laid out only when printed)', async () => {
    // A workspace whose stylesheet sets Phụ lục III in the embedded Tinos alone: no font of the machine may stand in.
    const copy = withStylesheet('hoctap-pdf-parts-font-', '.appendix-texts, .appendix-texts * { font-family: "Tinos"; }\n@page { @top-center { font-family: "Tinos"; } }\n');
    const r = await reportPdf(copy, 120_000);
    const annex = r.files.find((f) => f.path.endsWith('-phu-luc-III.pdf'))!;
    expect(annex.parts).toBeGreaterThan(1);
    const fonts = pdfFonts(annex.path);
    // Regular and bold (the units' names), embedded, and nothing else for the units' texts.
    expect(new Set(fonts.map((f) => f.replace(/-.*/, '')))).toEqual(new Set(['Tinos']));
    expect(fonts.some((f) => /bold/i.test(f))).toBe(true);
    expect(poppler('pdftotext', [annex.path, '-']).replace(/\s+/g, ' ')).toContain(marker(3, printed.at(-1)!));
  }, 300_000);
});

describe.skipIf(!haveTools)('Phụ lục III\'s PDF typeset by hoctap (the bundled templates)', () => {
  it('holds every unit\'s text once and in order, numbered pages, in Tinos, on about as many pages as the browser prints', async () => {
    const outDir = path.join(ws.dir, 'reports', '2024');
    const r = await reportPdf(ws, 40_000);
    const file = path.join(outDir, 'bao-cao-2024-phu-luc-III.pdf');
    const annex = r.files.find((f) => f.path === file)!;
    expect(annex.parts).toBeUndefined();
    expect(fs.readdirSync(outDir).sort()).toEqual(['bao-cao-2024-phu-luc-III.pdf', 'bao-cao-2024.pdf']);
    const pages = await checkAnnexPdf(file, ws);
    // The fonts' own PostScript names, as pdfkit embeds them ("Tinos-Regular": hoctap's own writer used to say "Tinos").
    expect(new Set(pdfFonts(file))).toEqual(new Set(['Tinos-Regular', 'Tinos-Bold', 'Tinos-Italic']));

    // The same text printed whole by Chromium from the HTML (a workspace stylesheet, the same rules) as a yardstick.
    const copy = withStylesheet('hoctap-pdf-parts-yardstick-');
    await reportPdf(copy, 10_000_000);
    const printed = Number(/^Pages:\s+(\d+)$/m.exec(poppler('pdfinfo', [path.join(copy.dir, 'reports', '2024', 'bao-cao-2024-phu-luc-III.pdf')]))![1]);
    expect(Math.abs(pages - printed) / printed, `${pages} trang, trình duyệt ${printed}`).toBeLessThan(0.05);
  }, 300_000);
});
