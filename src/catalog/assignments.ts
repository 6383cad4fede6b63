/**
 * Who is asked what, by year. Two questions live here:
 * - which agencies report an indicator in a year: indicators.csv gives the assignment of the appendix (001, the
 *   departments after the 2025 mergers); a profile's assignments.csv gives the assignment an earlier year had (in 2024,
 *   poverty 1.2.1-b was the Sở Lao động - Thương binh và Xã hội's, not the Sở Nông nghiệp và Môi trường's);
 * - which narrative sections an agency is asked (002 asks the universities only their training of officials and
 *   citizens): agencies.csv `sections` and narratives.csv `agencies`.
 */
import { z } from 'zod';
import { cell } from './csv-file.ts';
import type { Agency, Catalog, NarrativeSection } from './types.ts';

export const ASSIGNMENTS_FILE = 'assignments.csv';

export const assignmentSchema = z.object({
  indicator_id: cell.required('mã chỉ số'),
  until_year: cell.required('năm cuối').regex(/^\d{4}$/, { error: 'năm cuối phải có 4 chữ số' }),
  agencies: cell.required('đơn vị phụ trách'),
  source: cell.optional(),
  note: cell.optional(),
});

export interface Assignment { indicatorId: string; untilYear: number; agencies: string[] }

/** A `;`-separated list of codes. */
export function splitCodes(s: string): string[] {
  return s.split(';').map((x) => x.trim()).filter(Boolean);
}

/**
 * The agencies reporting an indicator in a year: the assignment row with the earliest last year not before it, else the
 * appendix's (indicators.csv). Without a year (the catalog as it stands now): the appendix's.
 */
export function agenciesInYear(indicatorId: string, appendix: string[], rows: Assignment[], year: number | null): string[] {
  if (year === null) return appendix;
  const applying = rows.filter((r) => r.indicatorId === indicatorId && r.untilYear >= year).sort((a, b) => a.untilYear - b.untilYear);
  return applying[0]?.agencies ?? appendix;
}

/**
 * Whether an agency is asked a narrative section: an agency with a list of its own (agencies.csv `sections`) is asked
 * exactly those; any other is asked every section open to all (narratives.csv `agencies` empty) and those naming it.
 */
export function asksSection(agency: Pick<Agency, 'code' | 'sections'>, section: Pick<NarrativeSection, 'id' | 'agencies'>): boolean {
  if (agency.sections.length) return agency.sections.includes(section.id);
  return section.agencies.length === 0 || section.agencies.includes(agency.code);
}

/** The narrative sections a unit of this agency is asked, in the catalog's order. */
export function narrativesForAgency<S extends Pick<NarrativeSection, 'id' | 'agencies'>>(
  narratives: S[], agency: Pick<Agency, 'code' | 'sections'> | undefined,
): S[] {
  return agency ? narratives.filter((s) => asksSection(agency, s)) : narratives;
}

/** The narrative sections a unit is asked (its agency's, see asksSection). */
export function narrativesForUnit(catalog: Pick<Catalog, 'narratives' | 'agencyByCode'>, unit: { agencyCode: string }): NarrativeSection[] {
  return narrativesForAgency(catalog.narratives, catalog.agencyByCode.get(unit.agencyCode));
}

/**
 * A year's assignment holds only where the year's roster has the units to report it. A workspace whose roster of that
 * year was made before the assignment (its 2024 roster has one unit for the Sở Lao động - Thương binh và Xã hội under the
 * code NV, none under LDTBXH) keeps the appendix's: the figures it already accepted keep counting, none is set aside.
 */
export function fitAssignmentsToRoster(catalog: Pick<Catalog, 'indicators'>, roster: { agencyCode: string }[]): void {
  const present = new Set(roster.map((u) => u.agencyCode));
  for (const ind of catalog.indicators) {
    const ownYear = ind.agencyCodes.join(';') !== ind.appendixAgencyCodes.join(';');
    if (ownYear && ind.agencyCodes.some((code) => !present.has(code))) ind.agencyCodes = [...ind.appendixAgencyCodes];
  }
}
