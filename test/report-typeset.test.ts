/**
 * Phụ lục III's PDF typeset by hoctap (src/report/typeset): read back with poppler as a reader would, it must hold the
 * text exactly (Vietnamese letters, a text typed decomposed), inside the margins, justified, with two lines at least on
 * each side of a page break, no heading alone at the bottom of a page, in the embedded Tinos; and it is written
 * without a browser, the analyst told of characters the font does not have.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, storeOn } from './helpers/sqlite.ts';
import { generateReport } from '../src/report/generate.ts';
import type { AppendixTextsModel, NarrativeEntry } from '../src/report/model/types.ts';
import { writeAnnexPdf } from '../src/report/typeset/annex.ts';
import { needTool, tempDir } from './helpers/tools.ts';
import { poppler, words, type Word } from './helpers/pdf-checks.ts';
import { seedSeparateAnnexWorkspace } from './helpers/report-store.ts';
import { reportExitCode } from '../src/cli/commands/report.ts';

const dirs: string[] = [];
afterAll(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });
const out = tempDir('hoctap-typeset-');
dirs.push(out);

const MM = 72 / 25.4;
const LEFT = 30 * MM;
const RIGHT = (210 - 15) * MM;
const VIETNAMESE = 'àáảãạ ăằắẳẵặ âầấẩẫậ đ èéẻẽẹ êềếểễệ ìíỉĩị òóỏõọ ôồốổỗộ ơờớởỡợ ùúủũụ ưừứửữự ỳýỷỹỵ';
const FILLER = 'Đơn vị đã tổ chức các lớp bồi dưỡng, sinh hoạt chuyên đề và hoạt động đọc sách tại cơ sở, huy động người dân tham gia học tập suốt đời.';

const entry = (unitName: string, ...paragraphs: string[]): NarrativeEntry => ({
  unitName, isLead: false, figures: [], figuresLine: '', paragraphs: paragraphs.map((p) => ({ lines: p.split('\n') })), items: [],
});
const annex = (sections: { title: string; entries: NarrativeEntry[] }[]): AppendixTextsModel => ({
  label: 'Phụ lục III', title: 'NỘI DUNG BÁO CÁO CỦA CÁC ĐƠN VỊ NĂM 2024', attached: '(Kèm theo Báo cáo số 12/BC-SGDĐT)',
  intro: 'Nguyên văn phần báo cáo của từng đơn vị.', sections: sections.map((s) => ({ ...s, shown: true })), figureColumns: [], items: [], separate: true,
});
let serial = 0;
async function typesetFile(a: AppendixTextsModel) {
  const file = path.join(out, `annex-${++serial}.pdf`);
  const result = await writeAnnexPdf(a, file);
  return { file, ...result };
}
/** The page each listed word is first found on. */
const pageOf = (ws: Word[], text: string) => ws.find((w) => w.text === text)?.page ?? -1;

const havePoppler = needTool('poppler');

describe.skipIf(!havePoppler)('Phụ lục III typeset by hoctap, read with poppler', () => {
  it('holds the text exactly, in the margins, justified but each paragraph\'s last line, in the embedded Tinos', async () => {
    const long = `https://example.org/${'x'.repeat(150)}`;
    const a = annex([{
      title: 'I.1. Mục thử', entries: [
        entry('Ủy ban nhân dân xã số 1', `ZZBEGIN ${FILLER} ${FILLER} ${FILLER} ZZEND`),
        entry('Ủy ban nhân dân xã số 2', VIETNAMESE, VIETNAMESE.toUpperCase(), 'Hoà Bình, Thuỷ Lợi'.normalize('NFD'), long, 'học\u00adtập\u200b\ufeffsuốt đời'),
      ],
    }]);
    const { file, pages, missing } = await typesetFile(a);
    expect(pages).toBe(1);
    expect(missing).toEqual([]);
    const text = poppler('pdftotext', [file, '-']).replace(/\s+/g, ' ');
    expect(text).toContain(VIETNAMESE);
    expect(text).toContain(VIETNAMESE.toUpperCase());
    expect(text).toContain('Ủy ban nhân dân xã số 2: àáảãạ');
    // Typed decomposed (a Mac's keyboard), set and read back precomposed, as the font draws Vietnamese best.
    expect(execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' })).toContain('Hoà Bình, Thuỷ Lợi'.normalize('NFC'));
    expect(text.replace(/ /g, '')).toContain(long);
    // What a browser does not draw is not drawn (nor counted as missing from the font).
    expect(text).toContain('họctậpsuốt đời');

    const ws = words(file);
    for (const w of ws) {
      expect(w.xMin, w.text).toBeGreaterThanOrEqual(LEFT - 0.5);
      expect(w.xMax, w.text).toBeLessThanOrEqual(RIGHT + 0.5);
    }
    // The paragraph from ZZBEGIN to ZZEND: every line starts at the left margin, ends at the right one, but the last.
    const begin = ws.find((w) => w.text === 'ZZBEGIN')!;
    const end = ws.find((w) => w.text === 'ZZEND')!;
    const lines = new Map<number, Word[]>();
    for (const w of ws) if (w.yMin >= begin.yMin - 1 && w.yMin <= end.yMin + 1) lines.set(Math.round(w.yMin), [...(lines.get(Math.round(w.yMin)) ?? []), w]);
    const rows = [...lines.values()];
    expect(rows.length).toBeGreaterThanOrEqual(4);
    for (const row of rows) expect(Math.min(...row.map((w) => w.xMin))).toBeCloseTo(LEFT, 0);
    for (const row of rows.slice(0, -1)) expect(Math.max(...row.map((w) => w.xMax))).toBeCloseTo(RIGHT, 0);
    expect(Math.max(...rows.at(-1)!.map((w) => w.xMax))).toBeLessThan(RIGHT - 20);

    const fonts = poppler('pdffonts', [file]).split('\n').slice(2).filter(Boolean).map((l) => l.split(/\s+/));
    // The fonts' own PostScript names (pdfkit embeds them as the font files name them, as Chromium does): the regular
    // style is "Tinos-Regular", which hoctap's own writer used to call "Tinos".
    expect(new Set(fonts.map((f) => f[0].replace(/^[A-Z]{6}\+/, '')))).toEqual(new Set(['Tinos-Regular', 'Tinos-Bold', 'Tinos-Italic']));
    // Embedded, with the map back to text, each a font poppler can draw (no complaint, ink where the text is).
    for (const f of fonts) expect(f.slice(-5, -2), f[0]).toEqual(['yes', 'yes', 'yes']);
    const png = path.join(out, 'page');
    const stderr = execFileSync('pdftoppm', ['-r', '40', '-gray', '-png', '-singlefile', file, png], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(stderr).toBe('');
    expect(fs.statSync(`${png}.png`).size).toBeGreaterThan(8_000);
  });

  it('sets the font\'s kerning: "AVAVAVAV" (seven kerned pairs) is narrower than "AAAAVVVV" (one), the same letters', async () => {
    const { file } = await typesetFile(annex([{ title: 'I.1. Mục thử', entries: [entry('Đơn vị', 'AVAVAVAV', 'AAAAVVVV')] }]));
    const ws = words(file);
    const width = (text: string) => { const w = ws.find((x) => x.text === text)!; return w.xMax - w.xMin; };
    // Tinos kerns "AV" and "VA" by some 1.5 pt at 13 pt: six more kerned pairs, some 9 pt narrower.
    expect(width('AAAAVVVV') - width('AVAVAVAV')).toBeGreaterThan(5);
  });

  it('leaves two lines at least on each side of a page break and no heading alone at the bottom of a page', async () => {
    // A first section of n one-word lines pushes a heading and a five-line paragraph across the bottom of page 1.
    const seen = { split: 0, headingMoved: 0 };
    for (let n = 30; n <= 52; n++) {
      const a = annex([
        { title: 'I.1. Mục đầu', entries: [entry('Đơn vị A', Array.from({ length: n }, (_, i) => `dòng${i + 1}`).join('\n'))] },
        { title: 'I.2. HEADTWO', entries: [entry('Đơn vị B', ['P1', 'P2', 'P3', 'P4', 'P5'].join('\n'))] },
      ]);
      const { file } = await typesetFile(a);
      const ws = words(file);
      const p = ['P1', 'P2', 'P3', 'P4', 'P5'].map((t) => pageOf(ws, t));
      const last = pageOf(ws, `dòng${n}`);
      const heading = pageOf(ws, 'HEADTWO');
      expect(p.every((x) => x > 0), `n=${n}`).toBe(true);
      const onFirst = p.filter((x) => x === p[0]).length;
      if (p[4] !== p[0]) {
        seen.split++;
        expect(onFirst, `n=${n}: ${p}`).toBeGreaterThanOrEqual(2);
        expect(5 - onFirst, `n=${n}: ${p}`).toBeGreaterThanOrEqual(2);
      }
      // The heading is on the page where the first lines of its text are.
      expect(heading, `n=${n}`).toBe(pageOf(ws, 'B:'));
      if (heading > last) seen.headingMoved++;
    }
    // The cases the rules are there for did come up.
    expect(seen.split).toBeGreaterThan(0);
    expect(seen.headingMoved).toBeGreaterThan(0);
  }, 60_000);
});

describe.skipIf(!havePoppler)('hoctap report without a browser, Phụ lục III of its own', () => {
  it('still writes the typeset Phụ lục III, and names the characters the font does not have', async () => {
    const dir = tempDir('hoctap-typeset-ws-');
    dirs.push(dir);
    const ws = seedSeparateAnnexWorkspace(dir, (code) => `${code} ${FILLER}${code === 'X0004' ? ' Tên riêng 中文.' : ''}`);
    const db = openDatabase(ws.dbPath);
    const notices: string[] = [];
    try {
      const none = { env: {}, platform: 'linux' as const, exists: () => false };
      const r = await generateReport(ws, storeOn(db), { year: 2024, formats: ['pdf'], formatsExplicit: true, date: { year: 2025, month: 1, day: 5 }, browserSearch: none, notice: (m) => notices.push(m) });
      const reports = path.join(dir, 'reports', '2024');
      // The report's own PDF needs the browser: its HTML is kept to print from any browser, and the run fails.
      expect(reportExitCode(r)).toBe(1);
      expect(r.pdfProblem).toMatch(/--browser/);
      expect(fs.readdirSync(reports).sort()).toEqual(['bao-cao-2024-phu-luc-III.pdf', 'bao-cao-2024.html']);
      const text = poppler('pdftotext', [path.join(reports, 'bao-cao-2024-phu-luc-III.pdf'), '-']).replace(/\s+/g, ' ');
      expect(text).toContain(`X0004 ${FILLER}`);
      expect(notices.filter((n) => n.includes('中'))).toEqual([
        'bao-cao-2024-phu-luc-III.pdf: 2 ký tự không có trong phông chữ Tinos đi kèm hoctap được in thành ô trống: “中” (U+4E2D), “文” (U+6587). Bản HTML và DOCX giữ nguyên các ký tự này: cần bản PDF có đủ thì mở tệp DOCX bằng Word và lưu thành PDF.',
      ]);
    } finally {
      db.close();
    }
  });
});
