/**
 * Issue 23, item 7: the demo's 2024 report written as an official would write it, read in its HTML, DOCX and PDF:
 * levels named ("từ mức 5 (Xuất sắc) … xuống mức 4 (Rất tốt)"), no arrows nor em-dashes in prose, changes said as
 * changes, no "≥ 100%" nor "(0)", Phụ lục I's targets in words with the threshold's source, the Sở speaking as itself,
 * the header's names broken at their place, every paragraph indented (the units' second and later paragraphs too).
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { RATING_LABELS } from '../src/vi/labels.ts';
import { runHoctap, runHoctapAsync } from './helpers/cli.ts';
import { poppler, zipEntry } from './helpers/pdf-checks.ts';
import { needTool, tempDir } from './helpers/tools.ts';

const withPdf = needTool('chromium');
let html: string;
let docx: string;
let styles: string;
let pdf: string;
/** Every indicator's own wording (the appendix's, quoted by the report as it is). */
let indicatorTexts: string[];

const decode = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
/** The document's paragraphs outside tables, as text (HTML <p>, DOCX <w:p>). */
const htmlProse = (from = html) => [...from.replace(/<table[\s\S]*?<\/table>/g, '').matchAll(/<p[ >][\s\S]*?<\/p>/g)].map((m) => decode(m[0].replace(/<[^>]+>/g, '')).trim());
const docxProse = () => [...docx.replace(/<w:tbl>[\s\S]*?<\/w:tbl>/g, '').matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)]
  .map((m) => decode((m[0].match(/<w:t[^>]*>[^<]*<\/w:t>/g) ?? []).map((t) => t.replace(/<[^>]+>/g, '')).join('')).trim());
const straight = (s: string) => s.replace(/[“”]/g, '"');
const between = (text: string, from: string, to: string) => text.slice(text.indexOf(from), text.indexOf(to, text.indexOf(from)));

beforeAll(async () => {
  const dir = path.join(tempDir('hoctap-prose-'), 'demo');
  const demo = await runHoctapAsync(['demo', '--out', dir]);
  expect(demo.status, demo.stderr).toBe(0);
  const catalog = JSON.parse(runHoctap(['-w', dir, 'catalog', '--year', '2024', '--format', 'json']).stdout) as { indicators: { text: string }[] };
  indicatorTexts = catalog.indicators.map((i) => straight(i.text)).sort((a, b) => b.length - a.length);
  const out = runHoctap(['-w', dir, 'report', '--year', '2024', '--format', withPdf ? 'html,docx,pdf' : 'html,docx', '--date', '2024-12-31']);
  expect(out.status, out.stderr).toBe(0);
  html = fs.readFileSync(path.join(dir, 'reports/2024/bao-cao-2024.html'), 'utf8');
  const file = path.join(dir, 'reports/2024/bao-cao-2024.docx');
  docx = zipEntry(file, 'word/document.xml');
  styles = zipEntry(file, 'word/styles.xml');
  pdf = withPdf ? poppler('pdftotext', [path.join(dir, 'reports/2024/bao-cao-2024.pdf'), '-']).replace(/\s+/g, ' ') : '';
}, 240_000);

describe('the prose of the demo report', () => {
  it('has no arrow, em-dash, "≥ 100%" nor "(0)" in any paragraph, body or appendix, HTML and DOCX', () => {
    for (const [format, prose] of [['html', htmlProse()], ['docx', docxProse()]] as const) {
      expect(prose.length, format).toBeGreaterThan(200);
      const bad = prose.filter((p) => /[→←—]|≥ ?100 ?%|\(0\)/u.test(p));
      expect(bad, format).toEqual([]);
    }
    if (withPdf) expect(between(pdf, 'I. KẾT QUẢ THỰC HIỆN', 'Trên đây là')).not.toMatch(/[→—]|≥ ?100 ?%|\(0\)/u);
  });

  // Issue 23 (item 7): the synthesis of II.2, III and IV ran to 80-100 words a sentence. A sentence ends at ".", "!",
  // "?" or ";"; an indicator's own wording, which the report quotes as the appendix gives it, is not the report's.
  it('keeps every sentence of II.2, III and IV within 40 words, HTML and DOCX', () => {
    // From the heading of II.2 (a heading in the HTML, a paragraph in the DOCX) to the closing sentence.
    const heading = '2. Khó khăn, tồn tại và nguyên nhân';
    const start = html.indexOf(heading, html.indexOf('II. ĐÁNH GIÁ'));
    expect(start).toBeGreaterThan(0);
    const docxAll = docxProse();
    for (const [format, prose] of [['html', htmlProse(html.slice(start))], ['docx', docxAll.slice(docxAll.findIndex((p) => p.startsWith(heading)))]] as const) {
      const all = prose.map(straight);
      const to = all.findIndex((p) => p.startsWith('Trên đây là'));
      expect(to, format).toBeGreaterThan(10);
      const sentences = all.slice(0, to)
        .map((p) => indicatorTexts.reduce((q, t) => q.replaceAll(t, 'lời chỉ số'), p))
        .flatMap((p) => p.split(/(?<=[.;!?])\s+/u)).filter(Boolean);
      expect(sentences.length, format).toBeGreaterThan(40);
      expect(sentences.filter((x) => x.split(/\s+/).length > 40), format).toEqual([]);
      // The synthesis is there: the units' categories and their tasks, said in short sentences.
      expect(sentences.some((x) => /^Các đơn vị: /u.test(x)), format).toBe(true);
    }
  });

  it('names every level of a rating it moves between, and says a change as a change', () => {
    const names = Object.values(RATING_LABELS).join('|');
    for (const prose of [htmlProse(), docxProse()]) {
      const text = prose.join('\n');
      // Every level said, in a move or a target ("từ mức 3 (Tốt) trở lên"), carries its name.
      const levels = [...text.matchAll(/(?:từ|lên|xuống) mức ([1-5])\b( \([^)]*\))?/gu)];
      expect(levels.length).toBeGreaterThan(2);
      for (const m of levels) expect(m[2] ?? '', m[0]).toMatch(new RegExp(`^ \\((${names})\\)$`, 'u'));
      expect(text).toMatch(/từ mức 5 \(Xuất sắc\) năm 2023 xuống mức 4 \(Rất tốt\) năm 2024/u);
      // Never a bare difference of levels or a share of a target standing for a change.
      expect(text).not.toMatch(/(giảm|tăng) \d+ mức|bằng [\d,]+% mức chỉ tiêu/u);
    }
  });

  it('Phụ lục I says its targets in words with the threshold\'s source', () => {
    const cells = [...html.matchAll(/<td class="target">([\s\S]*?)<\/td>/g)].map((m) => decode(m[1].replace(/<br>/g, '\n')));
    expect(cells.length).toBeGreaterThan(60);
    expect(cells.filter((c) => /[≥≤–]|\(\s*[−+]?[\d,]+\)/u.test(c))).toEqual([]);
    expect(cells).toContain('Ngưỡng (Bộ tiêu chí): từ 95% trở lên');
    expect(cells).toContain('Ngưỡng (mức do Sở quy định): từ 45% đến 55%');
    expect(cells).toContain('Ngưỡng (Bộ tiêu chí): 100%');
    expect(cells.some((c) => c.startsWith('Ngưỡng (Nghị định 20/2014/NĐ-CP): '))).toBe(true);
    expect(cells).toContain('Mốc năm 2025: từ 60% trở lên');
  });

  it('speaks as the Sở, with its header broken at the names\' places', () => {
    for (const prose of [htmlProse(), docxProse()]) {
      const text = prose.join('\n');
      expect(text).not.toMatch(/báo cáo của Thành phố lập|Thành phố lập trong hạn/u);
      expect(text).toContain('Sở Giáo dục và Đào tạo báo cáo Ủy ban nhân dân Thành phố');
    }
    expect(html).toContain('<div class="parent-body"><div>ỦY BAN NHÂN DÂN</div><div>THÀNH PHỐ HỒ CHÍ MINH</div></div>');
    const header = docx.slice(0, docx.indexOf('CỘNG HÒA'));
    expect(header.match(/<w:t[^>]*>([^<]*)<\/w:t>/g)?.map((t) => t.replace(/<[^>]+>/g, '')))
      // The demo's report is not final (issue 24: review and approval): its first line is the draft mark.
      .toEqual(['DỰ THẢO', 'ỦY BAN NHÂN DÂN', 'THÀNH PHỐ HỒ CHÍ MINH', 'SỞ GIÁO DỤC VÀ ĐÀO TẠO']);
  });

  it('indents every paragraph: the stylesheet unindents only heads, centred lines and table notes; DOCX paragraphs use indented styles', () => {
    const css = html.slice(html.indexOf('<style'), html.indexOf('</style>'));
    const unindented = [...css.replace(/\/\*[\s\S]*?\*\//g, '').matchAll(/([^{}]+)\{[^}]*text-indent:\s*0[;\s}]/g)].flatMap((m) => m[1].split(',').map((s) => s.trim()));
    const allowed = /^(\.title p|table\.closing p|\.appendix-texts h3\.section|\.appendix \.appendix-(label|title|attached)|\.appendix \.table-note)$/;
    expect(unindented.filter((s) => !allowed.test(s))).toEqual([]);
    expect(css).toMatch(/\.appendix-texts \.unit-text p \{ text-indent: 1cm; \}/);
    // The units' texts: one paragraph per paragraph they wrote, never lines joined by breaks.
    // (Up to the next appendix: Phụ lục IV's table heads break a column's title on purpose.)
    const texts = html.slice(html.indexOf('appendix-portrait appendix-texts'));
    const end = texts.indexOf('<table class="units by-unit">');
    expect(texts.slice(0, end < 0 ? undefined : end).includes('<br>')).toBe(false);
    expect(texts.slice(0, end < 0 ? undefined : end)).toContain('class="unit-text"');
    // DOCX: every paragraph outside tables is a heading, a centred line or one of the two indented body styles.
    const firstLine = (id: string) => new RegExp(`w:styleId="${id}"[\\s\\S]*?<w:ind w:firstLine="\\d+"`).test(styles.slice(styles.indexOf(`w:styleId="${id}"`)).split('</w:style>')[0]);
    expect(firstLine('VanBan')).toBe(true);
    expect(firstLine('PhanViet')).toBe(true);
    const paras = [...docx.replace(/<w:tbl>[\s\S]*?<\/w:tbl>/g, '').matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((m) => m[0]).filter((p) => /<w:t[ >]/.test(p));
    const loose = paras.filter((p) => !/w:pStyle w:val="(VanBan|PhanViet|Muc|MucNho|MucLon)"|<w:jc w:val="center"/.test(p));
    expect(loose.map((p) => p.replace(/<[^>]+>/g, '').slice(0, 80))).toEqual([]);
    expect(paras.filter((p) => p.includes('w:val="PhanViet"')).length).toBeGreaterThan(100);
  });
});
