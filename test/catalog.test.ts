import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { loadCatalog, CATALOG_DIR } from '../src/catalog/catalog.ts';
import { DataFileError } from '../src/errors.ts';
import { tempDir } from './helpers/tools.ts';
import { BIN, runHoctap } from './helpers/cli.ts';

const run = (args: string[], cwd?: string) => runHoctap(args, { cwd });

/** Counted by hand from the appendix of 001 (after the judgement calls recorded in seeds/README.md). */
const APPENDIX_PER_CRITERION: Record<string, number> = {
  '1.1.1': 2, '1.1.2': 1, '1.1.3': 2, '1.2.1': 2, '1.2.2': 1, '1.2.3': 1, '1.2.4': 2, '1.3.1': 3, '1.3.2': 6,
  '2.1.1': 1, '2.1.2': 2, '2.1.3': 1, '2.1.4': 1, '2.1.5': 1, '2.2.1': 2, '2.2.2': 4, '2.3.1': 1, '2.3.2': 1, '2.3.3': 2,
  '2.4.1': 4, '2.4.2': 2, '2.5.1': 2, '2.5.2': 1, '2.5.3': 1, '2.6.1': 1, '2.6.2': 1,
  '3.1.1': 1, '3.1.2': 1, '3.1.3': 1, '3.2.1': 1, '3.2.2': 1, '3.3.1': 1, '3.3.2': 1, '3.3.3': 1, '3.3.4': 1,
};
const APPENDIX_PER_AGENCY: Record<string, number> = {
  GDDT: 17, NV: 6, TC: 2, NNMT: 3, VHTTDL: 3, KHCN: 5, XD: 1, YT: 2, CA: 2, HKH: 2, TT: 1, CG: 9, UBND: 6,
};

/** The parts of `catalog --format json` these tests read. */
interface IndicatorJson {
  id: string;
  text: string;
  fields: { id: string; kind: string; label: string; role: string }[];
  targets: { year: number | null; text: string }[];
}

describe('catalog transcribed from the appendix', () => {
  const json = JSON.parse(run(['catalog', '--format', 'json'], tempDir()).stdout);
  const appendix = json.indicators.filter((i: { area: { id: string } }) => i.area.id !== 'KH');

  it('lists every indicator of the three areas, standards 1.1–3.3 and criteria 1.1.1–3.3.4', () => {
    const perArea = (a: string) => appendix.filter((i: { area: { id: string } }) => i.area.id === a).length;
    expect([perArea('1'), perArea('2'), perArea('3')]).toEqual([20, 28, 9]);
    const standards = new Set(appendix.map((i: { standard: { id: string } }) => i.standard.id));
    expect([...standards]).toEqual(['1.1', '1.2', '1.3', '2.1', '2.2', '2.3', '2.4', '2.5', '2.6', '3.1', '3.2', '3.3']);
    const perCriterion: Record<string, number> = {};
    for (const i of appendix) perCriterion[i.criterion.id] = (perCriterion[i.criterion.id] ?? 0) + 1;
    expect(perCriterion).toEqual(APPENDIX_PER_CRITERION);
  });

  it('assigns the appendix agencies, including the shared indicators', () => {
    const perAgency: Record<string, number> = {};
    for (const i of appendix) for (const a of i.agencies) perAgency[a.code] = (perAgency[a.code] ?? 0) + 1;
    expect(perAgency).toEqual(APPENDIX_PER_AGENCY);
    const shared = appendix.filter((i: { agencies: unknown[] }) => i.agencies.length === 2).map((i: { id: string }) => i.id);
    expect(shared).toEqual(['2.1.4-a', '2.6.2-a']);
    const byId = new Map(json.indicators.map((i: { id: string }) => [i.id, i]));
    expect((byId.get('2.1.4-a') as { agencies: { name: string }[] }).agencies.map((a) => a.name)).toEqual(['Sở Nội vụ', 'Sở Giáo dục và Đào tạo']);
  });

  it('keeps the exact Vietnamese wording and the kinds of figures asked for', () => {
    const byId = new Map<string, IndicatorJson>(json.indicators.map((i: IndicatorJson) => [i.id, i]));
    expect(byId.get('1.1.1-a')!.text).toBe('Tỷ lệ người trong độ tuổi 15-60 được công nhận đạt chuẩn biết chữ mức độ 2 đạt ≥ 95%');
    expect(byId.get('1.3.2-b')!.text).toBe('Số vụ tai nạn giao thông giảm so với năm trước');
    const kinds = (id: string) => byId.get(id)!.fields.map((f: { kind: string }) => f.kind);
    expect(kinds('2.1.1-a')).toEqual(['count', 'count', 'count', 'count', 'percent', 'text']); // Nam, Nữ, Tổng, mẫu số, Tỷ lệ, minh chứng
    expect(byId.get('2.1.1-a')!.fields.slice(0, 3).map((f: { label: string }) => f.label.split(' - ').pop())).toEqual(['Nam', 'Nữ', 'Tổng']);
    expect(kinds('1.3.2-b')).toEqual(['count', 'direction', 'text']);
    expect(kinds('3.1.1-a')).toEqual(['rating', 'text']);
    // shares reported by every local unit ask for numerator and denominator
    for (const i of appendix.filter((x: { agencies: { code: string }[] }) => x.agencies.some((a) => a.code === 'UBND'))) {
      const roles = i.fields.map((f: { role: string }) => f.role);
      expect(roles, i.id).toContain('num');
      expect(roles, i.id).toContain('den');
    }
  });

  it('gives every indicator at least one agency, one field and one target, with stable ids', () => {
    for (const i of json.indicators) {
      expect(i.agencies.length, i.id).toBeGreaterThan(0);
      expect(i.fields.filter((f: { role: string }) => f.role !== 'evidence').length, i.id).toBeGreaterThan(0);
      expect(i.targets.length, i.id).toBeGreaterThan(0);
      for (const f of i.fields) expect(f.id.startsWith(i.id + '.'), f.id).toBe(true);
    }
    expect(json.catalogVersion).toMatch(/^[0-9a-f]{12}$/);
  });

  it('reads targets from the wording and the roadmap of the city plans', () => {
    const byId = new Map<string, IndicatorJson>(json.indicators.map((i: IndicatorJson) => [i.id, i]));
    const t = (id: string) => byId.get(id)!.targets.map((x: { year: number | null; text: string }) => `${x.year ?? '-'} ${x.text}`);
    expect(t('1.1.1-a')).toEqual(['- ≥ 95%']);
    expect(t('1.2.2-a')).toEqual(['- ≤ 5%']);
    expect(t('1.3.1-c')).toEqual(['- Giảm so với năm trước']);
    expect(t('1.2.4-a')).toEqual(['- Tăng so với năm trước']);
    expect(t('2.2.2-a')).toEqual(['- ≥ 90%', '2023 ≥ 60%']);
    expect(t('KH.2.1-a')).toEqual(['2023 ≥ 50%', '2025 ≥ 50%', '2030 ≥ 70%']);
    const plan = json.indicators.filter((i: { area: { id: string } }) => i.area.id === 'KH');
    expect(plan.length).toBe(19); // issue 14: 003's 2023 targets that had no home became KH.3.1-e, KH.4.1-d, KH.4.1-e
    for (const i of plan) expect(i.agencies.map((a: { code: string }) => a.code)).toEqual(['GDDT']);
  });

  it('filters by agency and shows the targets in force for a year', () => {
    const out = JSON.parse(run(['catalog', '--agency', 'HKH', '--year', '2025', '--format', 'json'], tempDir()).stdout);
    expect(out.indicators.map((i: { id: string }) => i.id)).toEqual(['2.2.2-a', '2.2.2-b']);
    expect(out.indicators[0].targets.map((x: { year: number | null }) => x.year)).toEqual([null]);
    const csv = run(['catalog', '--agency', 'CA', '--format', 'csv'], tempDir()).stdout;
    expect(csv.split('\r\n').filter(Boolean)).toHaveLength(3);
    expect(csv).toContain('Số vụ tai nạn giao thông giảm so với năm trước');
  });

  it('derives the catalog version from the content', () => {
    const dir = tempDir();
    fs.cpSync(CATALOG_DIR, dir, { recursive: true });
    const v1 = loadCatalog({ dir }).version;
    expect(loadCatalog({ dir }).version).toBe(v1);
    fs.appendFileSync(path.join(dir, 'fields.csv'), '1.1.1-a.m.extra,1.1.1-a.m,Thêm,count,người,num\n');
    expect(loadCatalog({ dir }).version).not.toBe(v1);
  });
});

describe('a catalog, roster or config edited wrongly', () => {
  const targetsHeader = 'measure_id,year,comparator,value,value_max,source,note\n';
  const cases: [string, string, string, RegExp][] = [
    ['unknown comparator', 'targets.csv', targetsHeader + '1.1.1-a.m,,>>,95,,001,\n', /targets\.csv, dòng 2, cột "comparator": phép so sánh không hợp lệ: phải là một trong >=, <=, between, increase, decrease \(giá trị ">>"\)/],
    ['wrong number format', 'targets.csv', targetsHeader + '1.1.1-a.m,,>=,"95,5%",,001,\n', /targets\.csv, dòng 2, cột "value": giá trị chỉ tiêu phải là một số hoặc để trống \(giá trị "95,5%"\)/],
    ['missing column', 'targets.csv', 'measure_id,year,value\n1.1.1-a.m,,95\n', /targets\.csv, dòng 1, cột "comparator": thiếu cột "comparator"/],
    ['unknown measure', 'targets.csv', targetsHeader + '9.9.9-z.m,,>=,95,,001,\n', /targets\.csv, dòng 2, cột "measure_id": số đo "9\.9\.9-z\.m" không có trong danh mục/],
    ['unknown agency', 'roster.csv', 'unit_code,unit_name,agency_code,email\nQ1,UBND Quận 1,UBND,\nX,Sở Lạ,SOLA,\n', /roster\.csv, dòng 3, cột "agency_code": mã cơ quan "SOLA" không có trong danh mục/],
    ['duplicate id', 'roster.csv', 'unit_code,unit_name,agency_code,email\nQ1,UBND Quận 1,UBND,\nQ1,UBND Quận 1 (bản sao),UBND,\n', /roster\.csv, dòng 3, cột "unit_code": mã đơn vị "Q1" bị trùng/],
    ['config not JSON', 'hoctap.config.json', '{\n  "city": "Hà Nội",\n  "deadline": { "month": 12 "day": 10 }\n}\n', /hoctap\.config\.json, dòng 3: không phải JSON hợp lệ/],
    ['config wrong value', 'hoctap.config.json', '{\n  "profile": "hcm",\n  "deadline": { "month": 13, "day": 10 }\n}\n', /hoctap\.config\.json, dòng 3, cột "deadline\.month": giá trị của "deadline\.month" không hợp lệ/],
  ];
  for (const [name, file, content, message] of cases) {
    it(`${name}: file, line, column and reason, exit 2`, () => {
      const ws = tempDir();
      fs.writeFileSync(path.join(ws, file), content);
      const r = run(['-w', ws, 'catalog', '--format', 'json']);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
    });
  }

  it('a duplicate indicator id in the catalog itself', () => {
    const dir = tempDir();
    fs.cpSync(CATALOG_DIR, dir, { recursive: true });
    const file = path.join(dir, 'indicators.csv');
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    lines.splice(3, 0, lines[1]);
    fs.writeFileSync(file, lines.join('\n'));
    expect(() => loadCatalog({ dir })).toThrowError(DataFileError);
    expect(() => loadCatalog({ dir })).toThrowError(/indicators\.csv, dòng 4, cột "indicator_id": mã "1\.1\.1-a" bị trùng/);
  });
});

describe('narrative_figures.csv', () => {
  it('gives each narrative section its activity figures, ids built by narrativeFigureId, the sum\'s wording with {n}', () => {
    const c = loadCatalog();
    const week = c.narratives.find((n) => n.id === 'tuan_le')!;
    expect(week.figures.map((f) => [f.id, f.unit])).toEqual([['narrative.tuan_le.hoatdong', 'hoạt động'], ['narrative.tuan_le.luot', 'lượt người']]);
    expect(week.figures[1].phrase).toBe('thu hút {n} lượt người tham gia');
    expect(c.narratives.find((n) => n.id === 'kho_khan')!.figures).toEqual([]);
  });

  const figureCases: [string, string, RegExp][] = [
    ['unknown section', 'khong_co,hoatdong,Số hoạt động,hoạt động,tổ chức {n} hoạt động,\n', /narrative_figures\.csv, dòng 7, cột "section_id": mục báo cáo "khong_co" không có trong danh mục/],
    ['phrase without {n}', 'tuan_le,khac,Số khác,lần,tổ chức nhiều lần,\n', /narrative_figures\.csv, dòng 7, cột "phrase": cách viết tổng phải có \{n\}/],
    ['same figure twice', 'tuan_le,luot,Số lượt,lượt,thu hút {n} lượt,\n', /narrative_figures\.csv, dòng 7, cột "code": mã "narrative\.tuan_le\.luot" bị trùng/],
  ];
  for (const [name, row, message] of figureCases) {
    it(`${name}: file, line, column and reason`, () => {
      const dir = tempDir();
      fs.cpSync(CATALOG_DIR, dir, { recursive: true });
      fs.appendFileSync(path.join(dir, 'narrative_figures.csv'), row);
      expect(() => loadCatalog({ dir })).toThrowError(DataFileError);
      expect(() => loadCatalog({ dir })).toThrowError(message);
    });
  }
});

describe('workspace and profiles', () => {
  it('init writes an editable workspace and the Hải Phòng profile uses its own names', () => {
    const ws = tempDir();
    const r = run(['init', ws, '--profile', 'haiphong']);
    expect(r.status).toBe(0);
    const config = JSON.parse(fs.readFileSync(path.join(ws, 'hoctap.config.json'), 'utf8'));
    expect(config.profile).toBe('haiphong');
    expect(config.city).toBe('Thành phố Hải Phòng');
    expect(fs.readFileSync(path.join(ws, 'roster.csv'), 'utf8')).toContain('đặc khu Cát Hải');
    const again = run(['init', ws]);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/không ghi đè/);
    const out = JSON.parse(run(['-w', ws, 'catalog', '--agency', 'CA', '--format', 'json']).stdout);
    expect(out.profile).toBe('haiphong');
    expect(out.indicators[0].agencies[0].name).toBe('Công an thành phố');
  });

  it('HOCTAP_WORKSPACE names the workspace when --workspace is absent', () => {
    const ws = tempDir();
    fs.writeFileSync(path.join(ws, 'hoctap.config.json'), JSON.stringify({ profile: 'haiphong' }));
    const r = runHoctap(['catalog', '--format', 'json'], { env: { HOCTAP_WORKSPACE: ws } });
    expect(JSON.parse(r.stdout).profile).toBe('haiphong');
  });

  it('every command shows an example in its help', () => {
    const help = execFileSync(process.execPath, [BIN, '--help'], { encoding: 'utf8' });
    expect(help).toMatch(/Ví dụ/);
    const section = help.split('Lệnh:')[1].split('\n\n')[0];
    const commands = [...section.matchAll(/^ {2}([a-z-]+)/gm)].map((m) => m[1]).filter((c) => c !== 'help');
    expect(commands).toContain('catalog');
    for (const c of commands) {
      const h = execFileSync(process.execPath, [BIN, c, '--help'], { encoding: 'utf8' });
      expect(h, c).toMatch(/Ví dụ:\n {2}(npx )?hoctap /);
    }
  });

  it('an unknown option is a one-line Vietnamese error with exit 2', () => {
    const r = run(['catalog', '--agnecy', 'GDDT']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/không có tùy chọn --agnecy/);
  });
});
