/** What several section builders need: the year, the subject, the units' names and order, the participation counts. */
import type { UnitState } from '../../scoring/types.ts';
import { reportDeadlineFor } from '../../catalog/workspace.ts';
import { vietnamDay, type CalendarDay } from '../../dates.ts';
import { documentNumberText, viDateWords, viUpper } from '../format.ts';
import type { ReportInput } from './types.ts';

export interface ModelContext {
  input: ReportInput;
  year: number;
  nextYear: number;
  /** `{year}` and `{nextYear}` of the profile's texts filled in. */
  fill: (s: string) => string;
  subject: string;
  /** The subject as it reads inside a sentence. */
  subjectLower: string;
  /** "(Kèm theo Báo cáo số …/BC-… ngày … của …)" under each appendix title. */
  attached: string;
  unitName: Map<string, string>;
  unitOrder: Map<string, number>;
  /** Compares unit codes in roster order (units outside the roster last, by code). */
  byRoster: (a: string, b: string) => number;
  counts: Record<UnitState, number>;
  received: number;
  totalUnits: number;
  areaTitle: (id: string) => string;
  /** The unit of the issuing department (its own texts lead each narrative section), if the roster has one. */
  leadUnit: { code: string; name: string } | null;
  /** Phụ lục III (every unit's text) is a document of its own: more units than the profile's annexSeparateAbove. */
  separateAnnex: boolean;
  /** Agency code of each unit the status knows. */
  agencyOf: Map<string, string>;
  /** The city report's own deadline (002: 30/12), not the units' (status.deadline, 10/12). */
  reportDeadline: CalendarDay;
}

export const DEFAULT_ANNEX_SEPARATE_ABOVE = 60;

/**
 * The issuing department's agency: the catalog agency named as the profile's issuing body (Sở Giáo dục và Đào tạo →
 * GDDT), else GDDT.
 */
function issuingAgency(input: ReportInput): string | null {
  const key = (s: string) => s.normalize('NFC').toLocaleLowerCase('vi-VN').trim();
  const named = input.catalog.agencies.find((a) => key(a.name) === key(input.profile.issuingBody));
  return named?.code ?? (input.catalog.agencyByCode.has('GDDT') ? 'GDDT' : null);
}

export function modelContext(input: ReportInput): ModelContext {
  const { profile, catalog, status, date } = input;
  const year = input.score.year;
  const nextYear = year + 1;
  const fill = (s: string) => s.replace(/\{year\}/g, String(year)).replace(/\{nextYear\}/g, String(nextYear));
  const subject = fill(profile.reportSubject);
  const symbol = `BC-${viUpper(profile.issuingBodyAbbreviation)}`;

  const unitName = new Map<string, string>(input.roster.map((u) => [u.code, u.name]));
  for (const s of status.units) if (!unitName.has(s.unitCode)) unitName.set(s.unitCode, s.unitName);
  const unitOrder = new Map<string, number>(input.roster.map((u, i) => [u.code, i]));

  const counts: Record<UnitState, number> = { on_time: 0, late: 0, held: 0, rejected: 0, missing: 0 };
  for (const u of status.units) counts[u.state]++;
  const agencyOf = new Map<string, string>(input.roster.map((u) => [u.code, u.agencyCode]));
  for (const u of status.units) if (!agencyOf.has(u.unitCode)) agencyOf.set(u.unitCode, u.agencyCode);
  const agency = issuingAgency(input);
  const lead = agency ? input.roster.find((u) => u.agencyCode === agency) : undefined;

  return {
    input, year, nextYear, fill, subject,
    subjectLower: subject.charAt(0).toLocaleLowerCase('vi-VN') + subject.slice(1),
    attached: `(Kèm theo Báo cáo số ${documentNumberText(profile.documentNumber)}/${symbol} ${viDateWords(date)} của ${profile.issuingBody})`,
    unitName, unitOrder,
    byRoster: (a, b) => (unitOrder.get(a) ?? 1e9) - (unitOrder.get(b) ?? 1e9) || a.localeCompare(b),
    counts,
    received: counts.on_time + counts.late,
    totalUnits: status.units.length,
    leadUnit: lead ? { code: lead.code, name: lead.name } : null,
    separateAnnex: status.units.length > (profile.annexSeparateAbove ?? DEFAULT_ANNEX_SEPARATE_ABOVE),
    agencyOf,
    reportDeadline: vietnamDay(reportDeadlineFor(profile, year)),
    areaTitle: (id: string) => {
      const name = catalog.areaById.get(id)?.name ?? id;
      return /^\d+$/.test(id) ? `Lĩnh vực ${id}. ${name}` : name;
    },
  };
}
