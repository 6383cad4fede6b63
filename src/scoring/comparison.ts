/**
 * Comparing a year with the one before across a reform: which units pair up, and what the score and the report say
 * when the rosters or the level of local government differ (the rule itself lives in src/catalog/years.ts).
 */
import { comparableYears, workspaceForYear } from '../catalog/years.ts';
import type { Workspace } from '../catalog/workspace.ts';
import type { YearComparison } from './types.ts';

/** `ws` and `prevWs`: the two years' views (opened once by the caller; opening a year's view reads its files). */
export function yearComparison(ws: Workspace, prevWs: Workspace, year: number, previousYear: number): { comparison: YearComparison; common: Set<string> } {
  const c = comparableYears(ws, previousYear, year);
  const units: [number, number] = [prevWs.roster.length, workspaceForYear(ws, year).roster.length];
  const differs = !c.sameUnits || !c.sameLevel;
  const level = (l: string | null) => l ?? 'không rõ';
  const what = !c.sameLevel
    ? `năm ${previousYear} báo cáo theo ${level(c.levels[0])} (${units[0]} đơn vị), năm ${year} theo ${level(c.levels[1])} (${units[1]} đơn vị)`
    : `danh sách đơn vị khác nhau (năm ${previousYear}: ${units[0]} đơn vị, năm ${year}: ${units[1]} đơn vị, ${c.commonUnits.length} đơn vị có ở cả hai năm)`;
  const note = differs
    ? `So sánh với năm ${previousYear} là so sánh hai tập đơn vị khác nhau: ${what}. ` +
      'Tổng số đếm và tỷ lệ toàn Thành phố vẫn so sánh được; số liệu từng đơn vị chỉ so với chính đơn vị đó khi đơn vị có ở cả hai năm.'
    : null;
  return {
    comparison: { previousYear, sameUnits: c.sameUnits, sameLevel: c.sameLevel, commonUnits: c.commonUnits.length, units, levels: c.levels, note },
    common: new Set(c.commonUnits),
  };
}
