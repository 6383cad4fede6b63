/** Issue 14: a profile's plan stays in its profile; a Hải Phòng workspace never names Ho Chi Minh City. */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { tempDir } from './helpers/tools.ts';
import { runHoctap } from './helpers/cli.ts';

const HCM_WORDS = /Hồ Chí Minh|Thủ Đức|HCM|1256\/KH-UBND/i;
const PLAN_IDS = /\bKH\.\d/;

describe('Hải Phòng profile', () => {
  const ws = tempDir('hoctap-haiphong-');

  it('generates templates and a catalog with no Ho Chi Minh City names and no KH indicators', () => {
    expect(runHoctap(['init', ws, '--profile', 'haiphong']).status).toBe(0);
    const gen = runHoctap(['-w', ws, 'generate-templates', '--year', '2026']);
    expect(gen.status, gen.stderr).toBe(0);
    const dir = path.join(ws, 'templates', '2026');
    const books = fs.readdirSync(dir).filter((f) => f.endsWith('.xlsx'));
    expect(books.length).toBe(19);
    for (const b of books) {
      const text = execFileSync('unzip', ['-p', path.join(dir, b)], { maxBuffer: 256 * 1024 * 1024 }).toString('utf8');
      expect(text, b).not.toMatch(HCM_WORDS);
      expect(text, b).not.toMatch(PLAN_IDS);
      expect(text, b).not.toMatch(/quận|huyện/i);
    }
    for (const year of [[], ['--year', '2026']]) {
      const cat = runHoctap(['-w', ws, 'catalog', '--format', 'json', ...year]);
      expect(cat.status).toBe(0);
      expect(cat.stdout).not.toMatch(HCM_WORDS);
      expect(cat.stdout).not.toMatch(PLAN_IDS);
      // targets only from its own document (001) and the national decree
      const sources = new Set(JSON.parse(cat.stdout).indicators.flatMap((i: { targets: { source: string }[] }) => i.targets.map((t) => t.source)));
      // Issue 23: a level the appendix does not give (1-5 scales, 1.1.3-b, 2.3.2-a) is the Sở's, said as such.
      expect([...sources].sort()).toEqual(['001', 'Nghị định 20/2014/NĐ-CP', 'Sở']);
      expect(JSON.parse(cat.stdout).goals).toEqual([]);
    }
    // every file the workspace holds (config, roster, targets, snapshot)
    for (const f of ['hoctap.config.json', 'roster.csv', 'targets.csv', path.join('years', '2026', 'snapshot.json')]) {
      expect(fs.readFileSync(path.join(ws, f), 'utf8'), f).not.toMatch(HCM_WORDS);
    }
  }, 240_000);

  it('runs the rest of the cycle (ingest, status, score, report) with no Ho Chi Minh City names and no KH indicators', async () => {
    const { openWorkspace } = await import('../src/catalog/workspace.ts');
    const { fillTemplate, plausibleValues } = await import('../fixtures/fill.ts');
    const y = openWorkspace(ws, { year: 2026 });
    const dir = path.join(ws, 'templates', '2026');
    const inbox = path.join(ws, 'nhan-2026');
    fs.mkdirSync(inbox, { recursive: true });
    for (const unit of y.roster.filter((u) => ['SGDDT', 'SNV'].includes(u.code) || u.agencyKind === 'local').slice(0, 4)) {
      const name = fs.readdirSync(dir).find((f) => f.startsWith(`2026_${unit.code}_`))!;
      fs.writeFileSync(path.join(inbox, name), await fillTemplate(fs.readFileSync(path.join(dir, name)), plausibleValues(y, unit, { seed: 3 })));
    }
    const ing = runHoctap(['-w', ws, 'ingest', inbox, '--year', '2026', '--received-at', '05/12/2026', '--format', 'json']);
    expect(ing.status, ing.stderr).toBe(0);
    expect((JSON.parse(ing.stdout).files as { status: string }[]).map((f) => f.status)).toEqual(['accepted', 'accepted', 'accepted', 'accepted']);
    const texts: [string, string][] = [];
    for (const cmd of ['status', 'score', 'history']) {
      const r = runHoctap(['-w', ws, cmd, '--year', '2026', '--format', 'json']);
      expect(r.status, r.stderr).toBe(0);
      texts.push([cmd, r.stdout]);
    }
    const out = path.join(ws, 'bao-cao');
    const rep = runHoctap(['-w', ws, 'report', '--year', '2026', '--format', 'html,docx,xlsx', '--date', '2026-12-30', '--out', out], { timeout: 300_000 });
    expect(rep.status, rep.stderr).toBe(0);
    for (const f of fs.readdirSync(out)) {
      const file = path.join(out, f);
      // the words of each document: the HTML without its embedded fonts and pictures (base64 may spell "hcm"), the zips' XML parts
      texts.push([f, f.endsWith('.html')
        ? fs.readFileSync(file, 'utf8').replace(/data:[\w/+.-]+;base64,[A-Za-z0-9+/=]+/g, '')
        : execFileSync('unzip', ['-p', file, '*.xml'], { maxBuffer: 256 * 1024 * 1024 }).toString('utf8')]);
    }
    expect(texts.map(([n]) => n).sort()).toEqual(['bao-cao-2026.docx', 'bao-cao-2026.html', 'bao-cao-2026.xlsx', 'history', 'score', 'status']);
    const html = texts.find(([n]) => n.endsWith('.html'))![1];
    expect(html).toContain('Hải Phòng, ngày 30 tháng 12 năm 2026'); // the report is read: the city's place and date
    for (const [name, text] of texts) {
      expect(text, name).not.toMatch(HCM_WORDS);
      expect(text, name).not.toMatch(PLAN_IDS);
    }
  }, 420_000);
});

describe('Hồ Chí Minh City profile', () => {
  it('keeps the plan indicators (KH) and the 2023 roadmap of 003 in its own profile', () => {
    const out = JSON.parse(runHoctap(['catalog', '--year', '2023', '--format', 'json'], { cwd: tempDir() }).stdout);
    const byId = new Map(out.indicators.map((i: { id: string }) => [i.id, i]));
    expect(byId.has('KH.1.1-a')).toBe(true);
    const t = (id: string) => (byId.get(id) as { targets: { year: number | null; text: string; source: string }[] }).targets;
    expect(t('2.2.2-a').map((x) => `${x.year} ${x.text} ${x.source}`)).toEqual(['null ≥ 90% 001', '2023 ≥ 60% 003']);
    // 003's 2023 targets that had no home
    expect(t('KH.4.1-d').map((x) => `${x.year} ${x.text}`)).toEqual(['2023 ≥ 30%']);
    expect(t('KH.4.1-e').map((x) => `${x.year} ${x.text}`)).toEqual(['2023 ≥ 50%']);
    expect((byId.get('KH.4.1-e') as { text: string }).text).toContain('trong đơn vị học tập cấp xã, cấp huyện, cấp thành phố');
    expect((byId.get('KH.3.1-e') as { text: string }).text).toMatch(/^Mỗi quận, huyện, thành phố Thủ Đức có ít nhất 01 trung tâm học tập cộng đồng điểm/);
    const y2030 = JSON.parse(runHoctap(['catalog', '--year', '2030', '--format', 'json'], { cwd: tempDir() }).stdout);
    expect(y2030.goals).toEqual([{ id: 'hoan-thanh-bo-tieu-chi', year: 2030, scope: 'criteria', comparator: '>=', value: 100, source: '000',
      text: 'Hoàn thành 100% tiêu chí, chỉ số trong Bộ tiêu chí thành phố học tập', note: expect.any(String) }]);
    expect(y2030.indicators).toHaveLength(76);
  });

  it('asks 1.3.2-a in people, not households', () => {
    const out = JSON.parse(runHoctap(['catalog', '--format', 'json'], { cwd: tempDir() }).stdout);
    const f = out.indicators.find((i: { id: string }) => i.id === '1.3.2-a').fields;
    expect(f.slice(0, 2).map((x: { label: string; unit: string }) => `${x.label} (${x.unit})`)).toEqual(['Số người sống ở các khu nhà tạm (người)', 'Tổng số dân cư trên địa bàn (người)']);
  });

  it('keeps the other readings of the domain audit (seeds/README.md, 8): KH.3.1-b in 2023, KH.1.1-b by year, 1.2.4-a', () => {
    type Out = { indicators: { id: string; text: string; targets: { year: number | null; value: number | null; comparator: string; note: string; source: string }[]; fields: { label: string; unit: string; kind: string }[] }[] };
    const at = (year: number) => new Map((JSON.parse(runHoctap(['catalog', '--year', String(year), '--format', 'json'], { cwd: tempDir() }).stdout) as Out).indicators.map((i) => [i.id, i]));
    const y2023 = at(2023);
    expect(y2023.get('KH.3.1-b')!.targets).toMatchObject([{ year: 2023, value: 40, source: '003', note: expect.stringMatching(/chỉ tính cơ sở giáo dục phổ thông, giáo dục thường xuyên/) }]);
    expect(at(2025).get('KH.1.1-b')!.targets).toMatchObject([{ year: 2025, value: 90, note: 'Năm 2025: trẻ em mẫu giáo' }]);
    expect(at(2030).get('KH.1.1-b')!.targets).toMatchObject([{ year: 2030, value: 100, note: expect.stringMatching(/^Năm 2030: trẻ em trong độ tuổi/) }]);
    // 1.2.4-a's "%": the year's budget is asked, the change on last year is judged
    const budget = y2023.get('1.2.4-a')!;
    expect(budget.fields.slice(0, 2).map((f) => `${f.label} (${f.unit || f.kind})`)).toEqual(['Kinh phí trong năm (triệu đồng)', 'Tăng / Giảm so với năm trước (direction)']);
    expect(budget.targets.map((t) => t.comparator)).toEqual(['increase']);
  });
});
