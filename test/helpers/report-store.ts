/**
 * The store the report's end-to-end tests render: every roster unit over two years with deterministic figures, one
 * unit missing in the last year (Q5), one late (Q3), and narratives for every section, some hostile or awkward.
 */
import fs from 'node:fs';
import path from 'node:path';
import { openWorkspace, type Workspace } from '../../src/catalog/workspace.ts';
import { openDatabase } from './sqlite.ts';
import { seedSubmission } from './seed-store.ts';

/**
 * roster.csv in `dir`: twelve of the Ho Chi Minh City profile's departments and bodies, and `communes` local units X0001,
 * X0002… ("Ủy ban nhân dân xã số 1"…), for the tests of a report with many units.
 */
export function writeCommuneRoster(dir: string, communes: number): void {
  // The twelve departments and bodies of the profile's roster before issue 23 added 002's Mặt trận, organisations and
  // universities and split the 2024 departments: the counts these tests check are of those twelve.
  const added = [',MTTQ,', ',DH,', ',LDTBXH,', ',KHDT,', ',TTTT,'];
  const base = fs.readFileSync(path.resolve(import.meta.dirname, '../../seeds/profiles/hcm/roster.csv'), 'utf8').trim().split('\n')
    .filter((l) => !l.includes(',UBND,') && !added.some((a) => l.includes(a)));
  // As many cells as the profile's header has (its roster has a note column since the sample universities).
  const tail = ','.repeat(base[0].split(',').length - 3);
  const local = Array.from({ length: communes }, (_, k) => `X${String(k + 1).padStart(4, '0')},Ủy ban nhân dân xã số ${k + 1},UBND${tail}`);
  fs.writeFileSync(path.join(dir, 'roster.csv'), [...base, ...local].join('\n') + '\n');
}

/**
 * A workspace of 2024 in `dir` whose Phụ lục III is a document of its own (four communes, annexSeparateAbove 3): every
 * unit has one figure and the text `chiDao(code)` for "chỉ đạo". Returns its year view.
 */
export function seedSeparateAnnexWorkspace(dir: string, chiDao: (unitCode: string) => string): Workspace {
  writeCommuneRoster(dir, 4);
  fs.writeFileSync(path.join(dir, 'hoctap.config.json'), JSON.stringify({ profile: 'hcm', annexSeparateAbove: 3 }));
  const ws = openWorkspace(dir, { year: 2024 });
  const db = openDatabase(ws.dbPath);
  try {
    for (const u of ws.roster) seedSubmission(db, { unitCode: u.code, year: 2024, values: { '1.1.1-a.m.tl': 95 }, narratives: { chi_dao: chiDao(u.code) } }, ws.catalog);
  } finally {
    db.close();
  }
  return ws;
}

export const HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)>';

export interface ReportStoreOptions {
  /** Extra narratives of the last year, by unit code then section id. */
  extraNarratives?: Record<string, Record<string, string>>;
}

export function seedReportStore(ws: Workspace, opts: ReportStoreOptions = {}): void {
  const db = openDatabase(ws.dbPath);
  let state = 12345;
  const rnd = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
  try {
    for (const year of [2023, 2024]) {
      ws.roster.forEach((u, k) => {
        if (year === 2024 && u.code === 'Q5') return;
        const values: Record<string, number | string> = {};
        for (const ind of ws.catalog.indicators) {
          if (!ind.agencyCodes.includes(u.agencyCode)) continue;
          for (const m of ind.measures) {
            for (const f of m.fields) {
              if (f.kind === 'percent') values[f.id] = Math.round((55 + rnd() * 45) * 10) / 10;
              else if (f.kind === 'count' && f.role === 'den') values[f.id] = 1000 + Math.round(rnd() * 1000);
              else if (f.kind === 'count') values[f.id] = 300 + Math.round(rnd() * 700);
              else if (f.kind === 'number') values[f.id] = Math.round(rnd() * 1000);
              else if (f.kind === 'rating') values[f.id] = 1 + Math.floor(rnd() * 5);
              else if (f.kind === 'direction') values[f.id] = rnd() > 0.3 ? 'Tăng' : 'Giảm';
            }
          }
        }
        const narratives: Record<string, string> = {
          chi_dao: `${u.name} ban hành kế hoạch thực hiện năm ${year}.\nTổ chức ${k + 2} hội nghị quán triệt.`,
          nhiem_vu: `Tiếp tục triển khai mô hình học tập tại ${u.name}.`,
        };
        if (u.code === 'Q1') narratives.kho_khan = HOSTILE;
        if (year === 2024) Object.assign(narratives, opts.extraNarratives?.[u.code] ?? {});
        seedSubmission(db, {
          unitCode: u.code, year, values, narratives,
          receivedAt: u.code === 'Q3' ? `${year}-12-20T08:00:00.000Z` : undefined,
        }, ws.catalog);
      });
    }
  } finally {
    db.close();
  }
}
