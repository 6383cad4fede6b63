/**
 * The whole cycle through the CLI, as a user runs it: the demo on the bundled Ho Chi Minh City sample data, and a
 * Hải Phòng workspace with a small commune list of its own, filled through `_meta` with figures chosen by hand.
 */
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { fillTemplate, fieldCells } from '../fixtures/fill.ts';
import { needTool, tempDir } from './helpers/tools.ts';
import { runHoctap, runHoctapAsync } from './helpers/cli.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures');

const hoctap = (args: string[]) => runHoctap(args);

/**
 * Reads the counts a fixture workbook holds, through its `_meta`: field id → number. Counts typed as text
 * ("1.234", "1 234") are read by dropping every non-digit, which is right for whole numbers only.
 */
async function fixtureCounts(file: string): Promise<Map<string, number>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const out = new Map<string, number>();
  for (const [fieldId, e] of fieldCells(wb)) {
    if (e.kind !== 'count') continue;
    const v = wb.getWorksheet(e.sheet)!.getCell(e.cell).value;
    if (typeof v === 'number') out.set(fieldId, v);
    else if (typeof v === 'string' && /\d/.test(v)) out.set(fieldId, Number(v.replace(/\D/g, '')));
  }
  return out;
}

describe('hoctap demo on the Ho Chi Minh City sample data', () => {
  let dir: string;
  let demo: { status: number | null; stdout: string; stderr: string };
  const withPdf = needTool('chromium');

  beforeAll(async () => {
    dir = path.join(tempDir(), 'demo');
    demo = await runHoctapAsync(['demo', '--out', dir]);
  }, 600_000);

  it('runs every step and says where everything is', () => {
    expect(demo.stderr).not.toMatch(/Lỗi không mong đợi|at .*\.ts:\d+/);
    expect(demo.status).toBe(0);
    for (let i = 1; i <= 8; i++) expect(demo.stdout).toContain(`Bước ${i}/8`);
    expect(demo.stdout).toContain(path.join(dir, 'reports', '2024'));
    expect(fs.readdirSync(path.join(dir, 'templates', '2024')).filter((f) => f.endsWith('.xlsx'))).toHaveLength(48); // issue 23: the 2024 roster of 002 (48 units)
    const reports = fs.readdirSync(path.join(dir, 'reports', '2024'));
    expect(reports).toContain('bao-cao-2024.html');
    expect(reports).toContain('bao-cao-2024.xlsx');
    if (withPdf) expect(reports).toContain('bao-cao-2024.pdf');
  });

  it('tracks who reported: late, corrected, wrong-year, someone else\'s template, missing', () => {
    const status = JSON.parse(hoctap(['-w', dir, 'status', '--year', '2024', '--format', 'json']).stdout);
    const state = (code: string) => status.units.find((u: { unitCode: string }) => u.unitCode === code).state;
    expect(state('Q1')).toBe('on_time');
    expect(state('Q3')).toBe('on_time'); // re-saved by LibreOffice
    expect(state('Q4')).toBe('on_time'); // numbers typed as text
    expect(state('SKHCN')).toBe('on_time'); // CSV export
    // Issue 23: 2024's deadline is 002's 30/12, so these three, late against 10/12, were on time.
    expect(state('CUCHI')).toBe('on_time');
    expect(state('Q10')).toBe('on_time'); // rejected on 06/12, corrected on 18/12
    expect(state('Q5')).toBe('on_time'); // sent the 2023 template first
    expect(state('Q7')).toBe('on_time');
    expect(status.toChase.sort()).toEqual(['NHABE', 'Q6']);
    const history = JSON.parse(hoctap(['-w', dir, 'history', '--unit', 'Q10', '--year', '2024', '--format', 'json']).stdout);
    const rows = Array.isArray(history) ? history : history.submissions;
    expect(rows.map((s: { status: string }) => s.status)).toEqual(['rejected', 'accepted']);
  });

  it('consolidates the local units\' counts exactly as summing the files by hand gives', async () => {
    // 1.1.2-a: citizens taking part, reported by every district. Accepted 2024 files: batch 1 without the rejected ones,
    // plus the late ones of batch 2.
    const accepted = [
      ...fs.readdirSync(path.join(FIXTURES, '2024', 'dot-1')).filter((f) => /^2024_.*\.xlsx$/.test(f) && !f.startsWith('2024_Q10_')).map((f) => path.join(FIXTURES, '2024', 'dot-1', f)),
      ...fs.readdirSync(path.join(FIXTURES, '2024', 'dot-2')).map((f) => path.join(FIXTURES, '2024', 'dot-2', f)),
    ];
    let num = 0;
    let den = 0;
    for (const file of accepted) {
      const figures = await fixtureCounts(file);
      if (figures.has('1.1.2-a.m.tu')) {
        num += figures.get('1.1.2-a.m.tu')!;
        den += figures.get('1.1.2-a.m.mau')!;
      }
    }
    const score = JSON.parse(hoctap(['-w', dir, 'score', '--year', '2024', '--format', 'json']).stdout);
    const ind = score.indicators.find((i: { id: string }) => i.id === '1.1.2-a');
    const measure = ind.measures[0];
    expect(measure.reporters).toBe(20); // 22 districts less Nhà Bè and Quận 6; Q4's text numbers count
    expect(measure.components.num).toBe(num);
    expect(measure.components.den).toBe(den);
    expect(measure.value).toBeCloseTo((num / den) * 100, 6);
    expect(ind.verdict).toBe(measure.value >= 70 ? 'met' : 'not_met');
    expect(score.previousYear).toBe(2023);
    expect(score.rollups.overall.previous).not.toBeNull();
  });

  it('writes the report with the sections, the units\' texts and who reported', () => {
    const html = fs.readFileSync(path.join(dir, 'reports', '2024', 'bao-cao-2024.html'), 'utf8');
    for (const text of ['BÁO CÁO', 'SỞ GIÁO DỤC VÀ ĐÀO TẠO', 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Phụ lục I', 'Phụ lục II',
      'Nơi nhận', 'năm 2025', 'Ủy ban nhân dân huyện Nhà Bè', 'Đạt chuẩn phổ cập giáo dục mầm non cho trẻ 5 tuổi']) {
      expect(html, text).toContain(text);
    }
    // a narrative written by one unit in its workbook is in the report
    expect(html).toContain('Tuần lễ hưởng ứng học tập suốt đời năm 2024');
  });
});

describe('a Hải Phòng workspace with its own commune list', () => {
  it('runs the cycle and scores the figures typed by hand', async () => {
    const ws = tempDir();
    expect(hoctap(['init', ws, '--profile', 'haiphong']).status).toBe(0);
    fs.writeFileSync(path.join(ws, 'roster.csv'), [
      'unit_code,unit_name,agency_code,email',
      'SGDDT,Sở Giáo dục và Đào tạo,GDDT,',
      'CHUYENGIA,Hội đồng chuyên gia đánh giá,CG,',
      'P_HONGBANG,Ủy ban nhân dân phường Hồng Bàng,UBND,',
      'P_LECHAN,Ủy ban nhân dân phường Lê Chân,UBND,',
      'DK_CATHAI,Ủy ban nhân dân đặc khu Cát Hải,UBND,',
    ].join('\n') + '\n');
    const gen = hoctap(['-w', ws, 'generate-templates', '--year', '2026']);
    expect(gen.status, gen.stderr).toBe(0);
    const templates = path.join(ws, 'templates', '2026');
    const files = fs.readdirSync(templates);
    expect(files).toHaveLength(5);

    // Figures by hand: 1.1.2-a (≥ 70%): 300/400, 150/300, 90/100 → 540/800 = 67.5% → Chưa đạt.
    // 3.1.1-a rated 4 by the panel → Đạt. 1.3.2-a (≤ 5%): 10/1000, 30/500, 2/100 → 42/1600 = 2.625% → Đạt.
    const local: Record<string, [number, number, number, number]> = {
      P_HONGBANG: [300, 400, 10, 1000], P_LECHAN: [150, 300, 30, 500], DK_CATHAI: [90, 100, 2, 100],
    };
    const inbox = tempDir();
    for (const file of files) {
      const code = file.split('_').slice(1, -1).join('_');
      const values: Record<string, unknown> = {};
      if (local[code]) {
        const [tu, mau, tam, ho] = local[code];
        Object.assign(values, { '1.1.2-a.m.tu': tu, '1.1.2-a.m.mau': mau, '1.3.2-a.m.tu': tam, '1.3.2-a.m.mau': ho });
      }
      if (code === 'CHUYENGIA') values['3.1.1-a.m.dg'] = '4 - Rất tốt';
      if (code === 'SGDDT') values['1.1.1-a.m.tl'] = '96,5';
      fs.writeFileSync(path.join(inbox, file), await fillTemplate(fs.readFileSync(path.join(templates, file)), values));
    }
    const ing = hoctap(['-w', ws, 'ingest', inbox, '--year', '2026', '--received-at', '2026-12-01', '--format', 'json']);
    expect(ing.status, ing.stderr).toBe(0);

    const score = JSON.parse(hoctap(['-w', ws, 'score', '--year', '2026', '--format', 'json']).stdout);
    const ind = (id: string) => score.indicators.find((i: { id: string }) => i.id === id);
    expect(score.profile).toBe('haiphong');
    expect(ind('1.1.2-a').measures[0].value).toBeCloseTo(67.5, 9);
    expect(ind('1.1.2-a').verdict).toBe('not_met');
    expect(ind('1.3.2-a').measures[0].value).toBeCloseTo(2.625, 9);
    expect(ind('1.3.2-a').verdict).toBe('met');
    expect(ind('3.1.1-a').measures[0].value).toBe(4);
    expect(ind('3.1.1-a').verdict).toBe('met');
    expect(ind('1.1.1-a').measures[0].value).toBe(96.5);
    expect(ind('1.1.1-a').threshold.targets[0].gap).toBeCloseTo(1.5, 9);
    expect(ind('2.2.2-a').verdict).toBe('missing'); // no Hội Khuyến học in this roster

    const status = JSON.parse(hoctap(['-w', ws, 'status', '--year', '2026', '--format', 'json']).stdout);
    expect(status.units.map((u: { state: string }) => u.state)).toEqual(['on_time', 'on_time', 'on_time', 'on_time', 'on_time']);

    const rep = hoctap(['-w', ws, 'report', '--year', '2026', '--format', 'html,xlsx', '--date', '2027-01-05']);
    expect(rep.status, rep.stderr).toBe(0);
    const html = fs.readFileSync(path.join(ws, 'reports', '2026', 'bao-cao-2026.html'), 'utf8');
    // Issue 23: the name breaks where officials break it, after "ỦY BAN NHÂN DÂN".
    expect(html).toContain('<div>ỦY BAN NHÂN DÂN</div><div>THÀNH PHỐ HẢI PHÒNG</div>');
    expect(html).toContain('Hải Phòng, ngày 05 tháng 01 năm 2027');
    expect(html).toContain('Ủy ban nhân dân đặc khu Cát Hải');
    expect(html).toContain('năm 2027');
  });
});
