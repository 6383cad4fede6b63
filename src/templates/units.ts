/** Which units' templates a run writes (--agency, --unit). */
import { findUnit, type Unit, type Workspace } from '../catalog/workspace.ts';
import { UserError } from '../errors.ts';

/**
 * The units chosen by --agency and --unit (either matches; codes are case-insensitive), in roster order.
 * Unknown codes are a UserError listing the valid ones.
 */
export function selectUnits(ws: Workspace, agencies: string[] = [], units: string[] = []): Unit[] {
  const agencyCodes = ws.catalog.agencies.map((a) => a.code);
  const unitCodes = ws.roster.map((u) => u.code);
  const find = (code: string, valid: string[]) => valid.find((v) => v.toUpperCase() === code.trim().toUpperCase());
  const wantedAgencies = new Set<string>();
  for (const a of agencies) {
    const code = find(a, agencyCodes);
    if (!code) throw new UserError(`Không có cơ quan mã "${a}". Các mã: ${agencyCodes.join(', ')}.`);
    if (!ws.roster.some((u) => u.agencyCode === code)) {
      throw new UserError(`Danh sách đơn vị (${ws.sources.roster}) không có đơn vị nào thuộc cơ quan ${code}.`);
    }
    wantedAgencies.add(code);
  }
  const wantedUnits = new Set<string>();
  for (const u of units) {
    const code = findUnit(ws, u)?.code;
    if (!code) throw new UserError(`Không có đơn vị mã "${u}" trong danh sách đơn vị. Các mã: ${unitCodes.join(', ')}.`);
    wantedUnits.add(code);
  }
  if (!wantedAgencies.size && !wantedUnits.size) return [...ws.roster];
  return ws.roster.filter((u) => wantedAgencies.has(u.agencyCode) || wantedUnits.has(u.code));
}
