/**
 * `hoctap report` end to end: a real store with every unit of the roster over two years, the real CLI, a real Chromium,
 * and the PDF checked with poppler-utils as a reader (and a clerk checking the decree's format) would.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { openWorkspace, type Workspace } from '../src/catalog/workspace.ts';
import { openDatabase, storeOn } from './helpers/sqlite.ts';
import { computeScores } from '../src/scoring/score.ts';
import type { ScoreReport } from '../src/scoring/types.ts';
import { SUMMARY_SHEET } from '../src/report/xlsx.ts';
import { curlyQuotes } from '../src/report/model/text.ts';
import { seedReportStore } from './helpers/report-store.ts';
import { needTool, runPython, tempDir } from './helpers/tools.ts';
import { runHoctapAsync } from './helpers/cli.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const BIN = path.join(ROOT, 'bin', 'hoctap.js');

const haveTools = needTool('chromium') && needTool('poppler');

let dir: string;
let ws: Workspace;
let score: ScoreReport;
let run: { status: number | null; stdout: string; stderr: string };
const out = () => path.join(dir, 'reports', '2024');
const pdf = () => path.join(out(), 'bao-cao-2024.pdf');

function hoctap(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [BIN, '-w', dir, ...args], {
    encoding: 'utf8', timeout: 180_000, env: { ...process.env, FORCE_COLOR: '0', ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs a program without blocking the test's event loop; resolves with its exit code. */
function runAsync(cmd: string, args: string[]): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code) => { clearTimeout(timer); resolve(code); });
  });
}

const poppler = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8', timeout: 60_000 }).normalize('NFC');
/** Text of a page's top margin (20 mm = 56.7 pt), where the page number goes. */
const topMargin = (page: number, width: number) =>
  poppler('pdftotext', ['-f', String(page), '-l', String(page), '-x', '0', '-y', '0', '-W', String(Math.round(width)), '-H', '56', '-layout', pdf(), '-']).trim();
const flat = (s: string) => s.replace(/\s+/g, ' ');

beforeAll(async () => {
  if (!haveTools) return;
  dir = tempDir('hoctap-report-e2e-');
  // The 2024 view: since issue 23 who reports an indicator depends on the year (SLDTBXH, SKHDT, STTTT in 2024), so the
  // store is filled and scored as `report --year 2024` reads it, not by the appendix's post-2025 assignments.
  ws = openWorkspace(dir, { year: 2024 });
  seedReportStore(ws);
  const db = openDatabase(ws.dbPath);
  try {
    score = await computeScores(ws, storeOn(db), 2024);
  } finally {
    db.close();
  }
  run = hoctap(['report', '--year', '2024', '--date', '2025-01-05']);
}, 180_000);

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!haveTools)('hoctap report with Chromium', () => {
  it('writes the four files in <workspace>/reports/<year>/ and prints their paths', () => {
    expect(run.stderr).not.toMatch(/Lỗi/);
    expect(run.status).toBe(0);
    const files = ['html', 'xlsx', 'pdf', 'docx'].map((e) => path.join(out(), `bao-cao-2024.${e}`));
    expect(run.stdout.trim().split('\n').sort()).toEqual([...files].sort());
    for (const f of files) expect(fs.statSync(f).size).toBeGreaterThan(1000);
    // No temporary file left: the PDF's (.tmp-<pid>) nor the atomic writer's (.<name>.<pid>-<random>.tmp).
    expect(fs.readdirSync(out()).filter((f) => f.includes('.tmp-') || f.endsWith('.tmp'))).toEqual([]);
  });

  it('prints on A4 pages, portrait for the report, every font embedded', () => {
    const info = poppler('pdfinfo', ['-f', '1', '-l', '999', pdf()]);
    const pages = Number(/Pages:\s+(\d+)/.exec(info)![1]);
    expect(pages).toBeGreaterThan(5);
    const sizes = [...info.matchAll(/Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(sizes).toHaveLength(pages);
    for (const [w, h] of sizes) {
      const [short, long] = [Math.min(w, h), Math.max(w, h)];
      expect(Math.abs(short - 595.3)).toBeLessThan(1.5);
      expect(Math.abs(long - 841.9)).toBeLessThan(1.5);
    }
    expect(sizes[0][0]).toBeLessThan(sizes[0][1]);
    // the wide indicator table is on landscape pages
    expect(sizes.some(([w, h]) => w > h)).toBe(true);

    const fonts = poppler('pdffonts', [pdf()]).split('\n').slice(2).filter((l) => l.trim());
    expect(fonts.length).toBeGreaterThan(0);
    for (const line of fonts) {
      // name type encoding emb sub uni object-id gen: "emb" is the 4th column from the end + 1
      const cols = line.trim().split(/\s+/);
      expect(cols.at(-5), line).toBe('yes');
    }
    // Times New Roman, or a metric-compatible stand-in FORMAT.md names: the embedded Tinos, or Liberation Serif where
    // fontconfig offers it for Times New Roman (fonts-liberation2, which LibreOffice's package recommends).
    expect(fonts.some((l) => /Tinos|TimesNewRoman|LiberationSerif/.test(l))).toBe(true);
  });

  it('extracts the header, title and indicator texts with their diacritics', () => {
    const page1 = flat(poppler('pdftotext', ['-f', '1', '-l', '1', '-layout', pdf(), '-']));
    // Issue 23: the parent body breaks after "ỦY BAN NHÂN DÂN", never mid-name.
    for (const t of ['ỦY BAN NHÂN DÂN', 'THÀNH PHỐ HỒ CHÍ MINH', 'SỞ GIÁO DỤC VÀ ĐÀO TẠO', 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Độc lập - Tự do - Hạnh phúc',
      '/BC-SGDĐT', 'Thành phố Hồ Chí Minh, ngày 05 tháng 01 năm 2025', 'BÁO CÁO', 'Căn cứ Quyết định số 1373/QĐ-TTg']) {
      expect(page1).toContain(t);
    }
    const all = flat(poppler('pdftotext', [pdf(), '-']));
    expect(all).toContain('Kết quả thực hiện xây dựng thành phố học tập năm 2024 và phương hướng, nhiệm vụ năm 2025');
    expect(all).toContain('I. KẾT QUẢ THỰC HIỆN NĂM 2024');
    expect(all).toContain('III. NHIỆM VỤ TRỌNG TÂM NĂM 2025');
    expect(all).toContain('Phụ lục I');
    expect(all).toContain('Phụ lục II');
    expect(all).toContain('Nơi nhận:');
    expect(all).toContain('KT. GIÁM ĐỐC');
    // Indicator texts as the body lists them (not met) and as the appendix shows them.
    const notMet = score.indicators.filter((i) => i.verdict === 'not_met');
    expect(notMet.length).toBeGreaterThan(2);
    for (const i of notMet.slice(0, 4)) expect(all).toContain(`Chỉ số ${i.id}: ${i.text.replace(/[.;]+$/, '')}`);
    for (const id of ['1.1.1-a', '2.2.2-a', '3.3.4-a']) {
      // The report prints the catalog's straight quotes as “ ” (one kind of quotation marks throughout).
      const words = curlyQuotes(ws.catalog.indicatorById.get(id)!.text.split(' ').slice(0, 6).join(' '));
      expect(all).toContain(words);
    }
    expect(all).toContain('Ủy ban nhân dân huyện Cần Giờ');
    expect(all).toContain('Chưa nộp');
  });

  it('numbers the pages at the top centre from page 2, none on page 1', () => {
    const info = poppler('pdfinfo', ['-f', '1', '-l', '3', pdf()]);
    const width = (p: number) => Number(new RegExp(`Page\\s+${p} size:\\s+([\\d.]+)`).exec(info)![1]);
    expect(topMargin(1, width(1))).toBe('');
    expect(topMargin(2, width(2))).toBe('2');
    expect(topMargin(3, width(3))).toBe('3');
    // centred: the number sits in the middle third of the page's width
    const bbox = poppler('pdftotext', ['-f', '2', '-l', '2', '-bbox', '-y', '0', '-H', '56', '-x', '0', '-W', '596', pdf(), '-']);
    const m = /<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>2<\/word>/.exec(bbox)!;
    const centre = (Number(m[1]) + Number(m[2])) / 2;
    // the text block is centred between the 30 mm left and 15 mm right margins
    expect(Math.abs(centre - (85 + (595.3 - 42.5)) / 2)).toBeLessThan(10);
  });

  it('escapes the hostile narrative in the HTML and prints it as text', () => {
    const html = fs.readFileSync(path.join(out(), 'bao-cao-2024.html'), 'utf8');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<[^>]*\son\w+\s*=/i);
    expect(flat(poppler('pdftotext', [pdf(), '-']))).toContain('<script>alert(1)</script>');
  });

  it('fills the workbook with the city figures of the scores', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path.join(out(), 'bao-cao-2024.xlsx'));
    const sheet = wb.getWorksheet(SUMMARY_SHEET)!;
    const head = (sheet.getRow(1).values as unknown[]).slice(1) as string[];
    const city = head.indexOf('Thành phố') + 1;
    const expected = score.indicators.flatMap((i) => i.measures.map((m) => [i.id, m.id, m.value] as const));
    const seen: [string, number | null][] = [];
    for (let r = 2; r <= sheet.rowCount; r++) {
      const v = sheet.getRow(r).getCell(city).value;
      seen.push([String(sheet.getRow(r).getCell(3).value), v === null || v === undefined ? null : Number(v)]);
    }
    expect(seen).toEqual(expected.map(([id, , v]) => [id, v]));
    expect(seen.filter(([, v]) => v !== null).length).toBeGreaterThan(60);
    expect(head.filter((h) => h.startsWith('Ủy ban nhân dân')).length).toBe(22);
    // Another reader (openpyxl, as Excel would) sees the filter on the header row and the frozen header.
    if (needTool('openpyxl')) {
      const seenByPython = JSON.parse(runPython(`
import json, sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])['TongHop']
print(json.dumps({"filter": ws.auto_filter.ref, "freeze": ws.freeze_panes, "rows": ws.max_row, "city": [ws.cell(row=r, column=${city}).value for r in range(2, ws.max_row + 1)]}))
`, [path.join(out(), 'bao-cao-2024.xlsx')]));
      expect(seenByPython.filter).toMatch(/^A1:[A-Z]+\d+$/);
      expect(seenByPython.freeze).toBe('E2');
      expect(seenByPython.city).toEqual(expected.map(([, , v]) => v));
    }
  });

  it('blocks every network request while rendering, even from a workspace template', async () => {
    // Connections as well as requests: a request cut off before its headers still reached the server.
    let hits = 0;
    const server = http.createServer((_req, res) => { hits++; res.end('x'); });
    server.on('connection', () => { hits++; });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const own = path.join(dir, 'templates');
    const profile = tempDir('hoctap-report-control-');
    try {
      fs.mkdirSync(own, { recursive: true });
      // A template without the bundled Content-Security-Policy: only the request interception stands in the way.
      fs.writeFileSync(path.join(own, 'report.hbs'), `<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">
<link rel="stylesheet" href="http://127.0.0.1:${port}/a.css"><style>{{{fontCss}}}{{{css}}}</style></head>
<body><p>{{subject}}</p><img src="http://127.0.0.1:${port}/b.png"><iframe src="http://127.0.0.1:${port}/c"></iframe></body></html>`);
      // Control: the same page opened by the same browser without hoctap's interception reaches the server, and the
      // test sees it while the child runs (the CLI and the browser run asynchronously, the server answers meanwhile).
      const page = await runHoctapAsync(['-w', dir, 'report', '--year', '2024', '--format', 'html', '--out', path.join(dir, 'control')]);
      expect(page.status).toBe(0);
      const control = await runAsync('/usr/bin/chromium', ['--headless', '--disable-gpu', '--no-sandbox', '--no-first-run', `--user-data-dir=${profile}`,
        `--print-to-pdf=${path.join(dir, 'control', 'direct.pdf')}`, pathToFileURL(path.join(dir, 'control', 'bao-cao-2024.html')).href]);
      expect(control, 'chromium run directly').toBe(0);
      expect(hits).toBeGreaterThanOrEqual(3);

      hits = 0;
      const r = await runHoctapAsync(['-w', dir, 'report', '--year', '2024', '--format', 'pdf', '--out', path.join(dir, 'offline')]);
      expect(r.stderr).toContain('templates');
      expect(r.status).toBe(0);
      // only the PDF was asked for: the page the browser opened is gone
      expect(fs.readdirSync(path.join(dir, 'offline'))).toEqual(['bao-cao-2024.pdf']);
      expect(hits).toBe(0);
    } finally {
      fs.rmSync(own, { recursive: true, force: true });
      fs.rmSync(profile, { recursive: true, force: true });
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  it('rejects a --browser that does not exist before writing anything, and a bad --format', () => {
    const r = hoctap(['report', '--year', '2024', '--browser', path.join(dir, 'no-chrome'), '--out', path.join(dir, 'none')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--browser');
    expect(fs.existsSync(path.join(dir, 'none'))).toBe(false);
    const f = hoctap(['report', '--year', '2024', '--format', 'odt']);
    expect(f.status).toBe(2);
    expect(f.stderr).toContain('--format "odt"');
  });
});
