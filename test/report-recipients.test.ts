/**
 * Issue 23: "Nơi nhận" names the reporting units of the year's roster (derived, no list in code): the Ủy ban Mặt trận
 * Tổ quốc with the political-social organisations and the universities of 002 in 2024, beside the profile's own lines
 * (the bodies reported to, the departments together), each once, "Lưu" last.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openWorkspace, initWorkspace, type Workspace } from '../src/catalog/workspace.ts';
import { workspaceForYear } from '../src/catalog/years.ts';
import { modelContext } from '../src/report/model/context.ts';
import { buildClosing } from '../src/report/model/closing.ts';
import type { ReportInput } from '../src/report/model/types.ts';
import type { ScoreReport, StatusReport } from '../src/scoring/types.ts';
import { tempDir } from './helpers/tools.ts';

const dirs: string[] = [];
afterAll(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });

/** The closing of a report built on a workspace's roster for 2024 (nothing else of the report is needed). */
function recipients(ws: Workspace): string[] {
  const input: ReportInput = {
    profile: ws.profile, catalog: ws.catalog, roster: ws.roster, narratives: [], figures: [], trend: [], date: { year: 2025, month: 1, day: 5 },
    score: { year: 2024 } as ScoreReport, status: { units: [] } as unknown as StatusReport,
  };
  return buildClosing(modelContext(input)).closing.recipients;
}

function workspace(profile: 'hcm' | 'haiphong', roster?: (csv: string) => string): Workspace {
  const dir = tempDir('hoctap-recipients-');
  dirs.push(dir);
  initWorkspace(dir, profile, false);
  if (roster) {
    const file = path.join(dir, 'roster.csv');
    fs.writeFileSync(file, roster(fs.readFileSync(file, 'utf8')));
  }
  return workspaceForYear(openWorkspace(dir), 2024);
}

const MTTQ = '- Ủy ban Mặt trận Tổ quốc Việt Nam Thành phố và các tổ chức chính trị - xã hội;';
const UNIVERSITIES = '- Các cơ sở giáo dục đại học;';

describe('Nơi nhận', () => {
  it('names the 2024 roster\'s Ủy ban MTTQ with the political-social organisations and the universities, each once', () => {
    const r = recipients(workspace('hcm'));
    expect(r).toEqual([
      '- Ủy ban nhân dân Thành phố (để báo cáo);',
      '- Bộ Giáo dục và Đào tạo (để báo cáo);',
      '- Giám đốc Sở (để báo cáo);',
      '- Các Sở, ban, ngành Thành phố;',
      '- Hội Khuyến học Thành phố;',
      '- Các cơ quan báo chí, truyền thông Thành phố;',
      MTTQ,
      UNIVERSITIES,
      // The profile's own words for the districts, at the roster's place, not repeated by the agency's name.
      '- Ủy ban nhân dân các quận, huyện, thành phố Thủ Đức;',
      '- Lưu: VT, GDTX.',
    ]);
    // Not the expert panel, not a department by name (the departments are addressed together).
    expect(r.join('\n')).not.toMatch(/chuyên gia|Sở Y tế|Công an/u);
  });

  it('follows the roster: without its universities and organisations, neither line', () => {
    const r = recipients(workspace('hcm', (csv) => csv.split('\n').filter((l) => !/,(DH|MTTQ),/.test(l)).join('\n')));
    expect(r).not.toContain(MTTQ);
    expect(r).not.toContain(UNIVERSITIES);
    expect(r).toContain('- Hội Khuyến học Thành phố;');
    // A single university left is named by its own name.
    const one = recipients(workspace('hcm', (csv) => csv.split('\n').filter((l) => !/,DH,/.test(l) || l.startsWith('DHSG,')).join('\n')));
    expect(one).toContain('- Trường Đại học Sài Gòn;');
    expect(one).not.toContain(UNIVERSITIES);
  });

  it('Hải Phòng\'s profile: its own lines, the communes once', () => {
    const r = recipients(workspace('haiphong'));
    expect(r.filter((l) => /Ủy ban nhân dân .*xã, phường, đặc khu/u.test(l))).toEqual(['- Ủy ban nhân dân các xã, phường, đặc khu;']);
    expect(new Set(r).size).toBe(r.length);
    expect(r.at(-1)).toMatch(/^- Lưu: VT/u);
  });
});
