/**
 * Issue 23, item 6: the reporting units 002 names in the hcm profile's 2024 roster (the Ủy ban Mặt trận Tổ quốc with the
 * political-social organisations, a sample of universities), the 2024 departments as they were before the 2025
 * mergers, each unit asked only what it is assigned, the merger from 2025, and the by-unit appendix of the report.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { indicatorsForUnit, openWorkspace, type Workspace } from '../src/catalog/workspace.ts';
import { yearConfig } from '../src/catalog/years.ts';
import { fieldCells } from '../fixtures/fill.ts';
import { formatNumberVi } from '../src/vi/numbers.ts';
import { runHoctap } from './helpers/cli.ts';
import { seedReportStore } from './helpers/report-store.ts';
import { tempDir } from './helpers/tools.ts';

const unit = (ws: Workspace, code: string) => {
  const u = ws.roster.find((x) => x.code === code);
  if (!u) throw new Error(`${code} not in the roster of ${ws.year}`);
  return u;
};

describe('the 2024 roster (hcm profile)', () => {
  const ws = openWorkspace(tempDir('hoctap-roster002-'), { year: 2024 });

  it('holds the Ủy ban Mặt trận Tổ quốc and the five political-social organisations (002, item 6)', () => {
    const front = ws.roster.filter((u) => u.agencyCode === 'MTTQ');
    expect(front.map((u) => u.name)).toEqual([
      'Ủy ban Mặt trận Tổ quốc Việt Nam Thành phố', 'Hội Liên hiệp Phụ nữ Thành phố', 'Thành Đoàn Thành phố',
      'Liên đoàn Lao động Thành phố', 'Hội Nông dân Thành phố', 'Hội Cựu chiến binh Thành phố',
    ]);
  });

  it('holds universities (002, item 7), each marked as a sample the analyst edits', () => {
    const universities = ws.roster.filter((u) => u.agencyCode === 'DH');
    expect(universities.length).toBeGreaterThanOrEqual(3);
    expect(universities.map((u) => u.name)).toContain('Trường Đại học Mở Thành phố Hồ Chí Minh'); // 002's programme
    for (const u of universities) expect(u.note, u.code).toMatch(/^mẫu: .*sửa theo danh sách thật/);
  });

  it('has the departments of 2024 as separate units, none named after two departments', () => {
    const name = (code: string) => unit(ws, code).name;
    expect(name('SNV')).toBe('Sở Nội vụ');
    expect(name('SLDTBXH')).toBe('Sở Lao động - Thương binh và Xã hội');
    expect(name('STC')).toBe('Sở Tài chính');
    expect(name('SKHDT')).toBe('Sở Kế hoạch và Đầu tư');
    expect(name('SKHCN')).toBe('Sở Khoa học và Công nghệ');
    expect(name('STTTT')).toBe('Sở Thông tin và Truyền thông');
    for (const u of ws.roster) expect(u.name, u.code).not.toMatch(/, Sở /);
    expect(new Set(ws.roster.map((u) => u.agencyCode)).size).toBeGreaterThan(15);
  });

  it('assigns the indicators as in 2024: poverty 1.2.1-b and unemployment to the labour department, GDP to planning and investment', () => {
    const ids = (code: string) => indicatorsForUnit(ws, unit(ws, code)).map((i) => i.id);
    expect(ids('SLDTBXH')).toEqual(expect.arrayContaining(['1.2.1-b', '1.2.2-a', '2.3.3-a']));
    expect(ids('SNNMT')).not.toContain('1.2.1-b');
    expect(ids('SNNMT')).toEqual(['1.3.1-a', '1.3.1-c']);
    expect(ids('SKHDT')).toEqual(['1.2.1-a']);
    expect(ids('STC')).toEqual(['2.3.2-a']);
    expect(ids('STTTT')).toEqual(['2.4.1-b', '2.4.2-a', '2.4.2-b']);
    expect(ids('SKHCN')).toEqual(['1.2.4-a', '1.2.4-b']);
    expect(ids('SNV')).toEqual(['1.1.3-a']);
    // 2.1.4-a is shared: the labour department's part in 2024, as the Sở Nội vụ's from 2025
    expect(ws.catalog.indicatorById.get('2.1.4-a')!.agencyCodes).toEqual(['LDTBXH', 'GDDT']);
  });
});

describe('from 2025: the merger', () => {
  it('the profile\'s 2025 roster has the merged departments and no department of before', () => {
    const y = yearConfig(openWorkspace(tempDir('hoctap-roster002-')), 2025);
    const codes = y.roster.map((u) => u.code);
    for (const gone of ['SLDTBXH', 'SKHDT', 'STTTT']) expect(codes).not.toContain(gone);
    expect(y.roster.find((u) => u.code === 'SNNMT')!.name).toBe('Sở Nông nghiệp và Môi trường');
    expect(y.roster.find((u) => u.code === 'SXD')!.name).toBe('Sở Xây dựng');
    expect(codes).toEqual(expect.arrayContaining(['UBMTTQ', 'DHMO', 'P_SAIGON']));
    const ws2025 = openWorkspace(tempDir('hoctap-roster002-'), { year: 2025 });
    expect(ws2025.catalog.indicatorById.get('1.2.1-b')!.agencyCodes).toEqual(['NNMT']);
    expect(ws2025.catalog.indicatorById.get('1.2.2-a')!.agencyCodes).toEqual(['NV']);
  });

  it('new-year 2025 starts from the profile\'s 2025 list, keeping the e-mails of last year\'s units', () => {
    const dir = tempDir('hoctap-roster002-');
    expect(runHoctap(['init', dir]).status).toBe(0);
    const roster = path.join(dir, 'roster.csv');
    fs.writeFileSync(roster, fs.readFileSync(roster, 'utf8').replace('SNV,Sở Nội vụ,NV,,', 'SNV,Sở Nội vụ,NV,snv@example.vn,'));
    const r = runHoctap(['-w', dir, 'new-year', '2025']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('lấy từ danh sách của hồ sơ cho năm 2025');
    const y2025 = openWorkspace(dir, { year: 2025 });
    expect(y2025.roster.map((u) => u.code)).not.toContain('SLDTBXH');
    expect(y2025.roster.find((u) => u.code === 'SNV')!.email).toBe('snv@example.vn');
    // the 2024 view of the same workspace keeps its departments
    expect(openWorkspace(dir, { year: 2024 }).roster.map((u) => u.code)).toContain('SLDTBXH');
  });
});

describe('generate-templates for the units 002 adds', () => {
  const dir = tempDir('hoctap-roster002-');
  const out = path.join(dir, 'out');
  const entries = new Map<string, { narratives: string[]; indicators: string[]; sections: string[] }>();

  beforeAll(async () => {
    const r = runHoctap(['-w', dir, 'generate-templates', '--year', '2024', '--unit', 'UBMTTQ,DHMO,SLDTBXH,SGDDT', '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    for (const f of fs.readdirSync(out).filter((x) => x.endsWith('.xlsx'))) {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(path.join(out, f));
      const cells = [...fieldCells(wb).values()];
      const sheet = wb.getWorksheet('BaoCao')!;
      const sections: string[] = [];
      sheet.getColumn(1).eachCell((c) => { const m = /^(I{1,3}V?|IV)(\.\d)*\. /.exec(c.text); if (m) sections.push(c.text.split('\n')[0]); });
      entries.set(f.split('_')[1], {
        narratives: cells.filter((e) => e.kind === 'narrative').map((e) => e.fieldId),
        indicators: [...new Set(cells.map((e) => e.indicatorId).filter(Boolean))],
        sections,
      });
    }
  });

  it('gives the universities only their training, difficulties and proposals, and no indicator', () => {
    const dh = entries.get('DHMO')!;
    expect(dh.narratives).toEqual(['narrative.dao_tao_boi_duong', 'narrative.kho_khan', 'narrative.de_xuat']);
    expect(dh.sections[0]).toMatch(/^I\.5\. Kết quả tổ chức đào tạo, bồi dưỡng cho đội ngũ cán bộ, công chức, viên chức và người dân/);
    expect(dh.indicators).toEqual([]);
  });

  it('gives the Mặt trận the report\'s outline, no training section and no indicator', () => {
    const mt = entries.get('UBMTTQ')!;
    expect(mt.narratives).toContain('narrative.tuyen_truyen');
    expect(mt.narratives).toContain('narrative.de_xuat');
    expect(mt.narratives).not.toContain('narrative.dao_tao_boi_duong');
    expect(mt.indicators).toEqual([]);
  });

  it('keeps the sample mark of the universities in the year\'s snapshot, shown by roster show', () => {
    expect(fs.existsSync(path.join(dir, 'years', '2024', 'snapshot.json'))).toBe(true);
    const shown = JSON.parse(runHoctap(['-w', dir, 'roster', 'show', '--year', '2024', '--format', 'json']).stdout) as { source: string; units: { code: string; note?: string }[] };
    expect(shown.source).toMatch(/snapshot\.json$/);
    expect(shown.units.find((u) => u.code === 'DHMO')!.note).toMatch(/^mẫu: /);
    expect(runHoctap(['-w', dir, 'roster', 'show', '--year', '2024']).stdout).toContain('Ghi chú');
  });

  it('gives a department its indicators and not the universities\' section (the checks above could see both)', () => {
    expect(entries.get('SGDDT')!.indicators.length).toBeGreaterThan(10);
    expect(entries.get('SGDDT')!.narratives).not.toContain('narrative.dao_tao_boi_duong');
    expect(entries.get('SLDTBXH')!.indicators).toContain('1.2.1-b');
  });
});

describe('the by-unit appendix of the report', () => {
  const dir = tempDir('hoctap-roster002-report-');
  let ws: Workspace;
  let html: string;
  let docxRows: string[][];
  let scoreUnits: { unitCode: string; values: Record<string, number | string | null> }[];

  beforeAll(() => {
    ws = openWorkspace(dir, { year: 2024 });
    seedReportStore(ws);
    const r = runHoctap(['-w', dir, 'report', '--year', '2024', '--format', 'html,docx', '--date', '2024-12-25']);
    expect(r.status, r.stderr).toBe(0);
    html = fs.readFileSync(path.join(dir, 'reports', '2024', 'bao-cao-2024.html'), 'utf8');
    const xml = execFileSync('unzip', ['-p', path.join(dir, 'reports', '2024', 'bao-cao-2024.docx'), 'word/document.xml']).toString('utf8');
    docxRows = [...xml.matchAll(/<w:tr[ >][\s\S]*?<\/w:tr>/g)].map((tr) => [...tr[0].matchAll(/<w:tc>[\s\S]*?<\/w:tc>/g)]
      .map((tc) => [...tc[0].matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((t) => t[1]).join('')));
    const score = JSON.parse(runHoctap(['-w', dir, 'score', '--year', '2024', '--format', 'json']).stdout) as { indicators: { id: string; units: typeof scoreUnits }[] };
    scoreUnits = score.indicators.find((i) => i.id === '1.1.2-a')!.units;
  });

  /** Each district's rate of 1.1.2-a from the counts it sent, as the report writes it; "–" for one that sent nothing. */
  const expected = () => ws.roster.filter((u) => u.agencyKind === 'local').map((u) => {
    const v = scoreUnits.find((x) => x.unitCode === u.code)?.values;
    const rate = v ? (Number(v['1.1.2-a.m.tu']) / Number(v['1.1.2-a.m.mau'])) * 100 : null;
    return { name: u.name, text: rate === null ? '–' : formatNumberVi(rate, 1) };
  });

  it('lists every district\'s figure for a district indicator in the HTML', () => {
    const at = html.indexOf('Phụ lục IV');
    expect(at).toBeGreaterThan(0);
    const section = html.slice(at, html.indexOf('</section>', at));
    const head = [...section.matchAll(/<th>([\s\S]*?)<\/th>/g)].map((m) => m[1]);
    const col = head.findIndex((h) => h.includes('1.1.2-a'));
    expect(col).toBeGreaterThan(1);
    const rows = [...section.matchAll(/<tr><td class="index">\d+<\/td>([\s\S]*?)<\/tr>/g)].map((m) => [...m[0].matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((c) => c[1]));
    const want = expected();
    expect(want).toHaveLength(22);
    expect(want.filter((w) => w.text === '–').map((w) => w.name)).toEqual(['Ủy ban nhân dân Quận 5']); // the unit that sent nothing
    expect(rows.map((r) => [r[1], r[col]])).toEqual(want.map((w) => [w.name, w.text]));
  });

  it('status of 2024 gives 002\'s deadline', () => {
    const r = runHoctap(['-w', dir, 'status', '--year', '2024', '--format', 'table']);
    expect(r.stdout).toContain('hạn nộp 30/12/2024');
  });

  it('lists the same in the DOCX, on a landscape section', () => {
    const head = docxRows.find((r) => r[0] === 'STT' && r.some((c) => c.startsWith('1.1.2-a')))!;
    expect(head).toBeDefined();
    const col = head.findIndex((c) => c.startsWith('1.1.2-a'));
    for (const w of expected()) {
      const row = docxRows.find((r) => r[1] === w.name && r.length === head.length);
      expect(row?.[col], w.name).toBe(w.text);
    }
    const xml = execFileSync('unzip', ['-p', path.join(dir, 'reports', '2024', 'bao-cao-2024.docx'), 'word/document.xml']).toString('utf8');
    const tail = xml.slice(xml.lastIndexOf('Phụ lục IV'));
    expect(tail).toMatch(/<w:pgSz [^>]*w:orient="landscape"/);
  });
});

describe('a workspace whose 2024 roster was made before the 2024 assignment', () => {
  it('keeps the labour indicators with its own unit (NV), so its accepted figures keep counting', () => {
    const dir = tempDir('hoctap-roster002-old-');
    // The roster init wrote before issue 23: the labour department under code SNV, agency NV; no LDTBXH unit.
    fs.writeFileSync(path.join(dir, 'roster.csv'), 'unit_code,unit_name,agency_code,email\nSGDDT,Sở Giáo dục và Đào tạo,GDDT,\nSNV,Sở Lao động - Thương binh và Xã hội,NV,\nSNNMT,Sở Tài nguyên và Môi trường,NNMT,\nQ1,Ủy ban nhân dân Quận 1,UBND,\n');
    const old = openWorkspace(dir, { year: 2024 });
    expect(indicatorsForUnit(old, unit(old, 'SNV')).map((i) => i.id)).toEqual(expect.arrayContaining(['1.2.2-a', '2.1.4-a', '2.3.3-a']));
    // where no 2024 unit holds it, the appendix's assignment stays: poverty with NNMT, as this roster had it
    expect(indicatorsForUnit(old, unit(old, 'SNNMT')).map((i) => i.id)).toContain('1.2.1-b');
    // the profile's 2024 roster, with the labour department apart, takes the 2024 assignment (the check above can differ)
    const fresh = openWorkspace(tempDir('hoctap-roster002-'), { year: 2024 });
    expect(indicatorsForUnit(fresh, unit(fresh, 'SNV')).map((i) => i.id)).toEqual(['1.1.3-a']);
  });
});
