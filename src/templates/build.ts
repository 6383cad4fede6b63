/**
 * One unit's template workbook for a year: instructions, indicators, narrative and the signed `_meta` map. The sheets
 * are written by sheet-*.ts; this file assembles them. Called by generate.ts on the main thread and by
 * generate-worker.ts in a worker thread (the same function: the same bytes either way).
 */
import ExcelJS from 'exceljs';
import { sameUnitInYears, workspaceForYear } from '../catalog/years.ts';
import { RATING_LABELS } from '../catalog/types.ts';
import { indicatorsForUnit, type Unit, type Workspace } from '../catalog/workspace.ts';
import { META_SHEET, SHEETS, TEMPLATE_VERSION, writeMeta, type MetaEntry, type MetaKey } from '../xlsx/meta.ts';
import { signMap } from '../xlsx/signature.ts';
import { writeIndicators } from './sheet-indicators.ts';
import { writeInstructions } from './sheet-instructions.ts';
import { writeNarrative } from './sheet-narrative.ts';
import { PROTECT_OPTIONS, shareEmptyStyles } from './styles.ts';

/** One of a unit's accepted figures of a year, as the previous-year column shows it. */
export interface PreviousFigure { fieldId: string; raw: string | null; num: number | null; text: string | null }

/**
 * A unit's accepted figures of a year (given by the caller, who reads the store: templates come before the store in the
 * flow). Absent: no workspace store, no previous-year column.
 */
export type PreviousFigures = (unitCode: string, year: number) => Promise<PreviousFigure[]>;

export interface BuildOptions {
  previousFigures?: PreviousFigures;
  generatedAt?: Date;
  /** The workspace's signing key (signature.ts): `_meta` is signed with it. generate-templates always gives it. */
  key?: Buffer;
  /** The codes whose last year's figures are the same unit's (comparableYears' commonUnits); asked per unit when absent. */
  pairedWithLastYear?: ReadonlySet<string>;
}

/** Builds the workbook of one unit and year (instructions, indicators, narrative, `_meta`). */
export async function buildTemplateWorkbook(anyWs: Workspace, unit: Unit, year: number, opts: BuildOptions = {}): Promise<ExcelJS.Workbook> {
  // A year's template speaks that year's words (territory level, department names) whatever view it is given.
  const ws = workspaceForYear(anyWs, year);
  const indicators = indicatorsForUnit(ws, unit);
  // Last year's column: the same unit's figures, or none (a 2025 commune never shows the 2024 district of its code).
  const previous = opts.previousFigures && (opts.pairedWithLastYear?.has(unit.code) ?? sameUnitInYears(ws, unit.code, year - 1, year))
    ? previousValues(await opts.previousFigures(unit.code, year - 1), ws)
    : new Map<string, string | number>();
  const generatedAt = opts.generatedAt ?? new Date();

  const wb = new ExcelJS.Workbook();
  // Fixed document dates: two runs for the same year give the same file content except `generated_at`.
  const fixed = new Date(Date.UTC(year, 0, 1));
  wb.creator = 'hoctap';
  wb.lastModifiedBy = 'hoctap';
  wb.created = fixed;
  wb.modified = fixed;
  wb.title = `Biểu mẫu báo cáo thành phố học tập năm ${year} - ${unit.name}`;
  wb.subject = unit.code;
  wb.views = [{ x: 0, y: 0, width: 20000, height: 12000, firstSheet: 0, activeTab: 0, visibility: 'visible' }];

  const entries: MetaEntry[] = [];
  const instructions = wb.addWorksheet(SHEETS.instructions, { properties: { tabColor: { argb: 'FF4472C4' } } });
  const indicatorSheet = wb.addWorksheet(SHEETS.indicators, { properties: { tabColor: { argb: 'FFFFC000' } } });
  const narrativeSheet = wb.addWorksheet(SHEETS.narrative, { properties: { tabColor: { argb: 'FF70AD47' } } });
  const metaSheet = wb.addWorksheet(META_SHEET, { state: 'veryHidden' });

  writeInstructions(instructions, ws, unit, year, indicators.length);
  writeIndicators(indicatorSheet, ws, unit, year, indicators, previous, entries);
  writeNarrative(narrativeSheet, ws, unit, year, entries);

  const keys: Record<MetaKey, string> = {
    template_version: TEMPLATE_VERSION,
    catalog_version: ws.catalog.version,
    profile: ws.profile.id,
    year: String(year),
    unit_code: unit.code,
    unit_name: unit.name,
    agency_code: unit.agencyCode,
    generated_at: generatedAt.toISOString(),
  };
  writeMeta(metaSheet, keys, entries, opts.key ? signMap(keys, entries, opts.key) : undefined);

  for (const sheet of [instructions, indicatorSheet, narrativeSheet, metaSheet]) {
    shareEmptyStyles(sheet);
    await sheet.protect('', { ...PROTECT_OPTIONS });
  }
  return wb;
}

/** The unit's accepted figures of the previous year, by field id, as they are shown in the reference column. */
function previousValues(rows: PreviousFigure[], ws: Workspace): Map<string, string | number> {
  const out = new Map<string, string | number>();
  for (const r of rows) {
    const field = ws.catalog.fieldById.get(r.fieldId);
    if (!field || field.kind === 'text') continue;
    if (field.kind === 'rating') {
      const n = r.num;
      if (n !== null && RATING_LABELS[n]) out.set(r.fieldId, `${n} - ${RATING_LABELS[n]}`);
      else if (r.text ?? r.raw) out.set(r.fieldId, (r.text ?? r.raw)!);
    } else if (field.kind === 'direction') {
      const t = r.text ?? r.raw;
      if (t) out.set(r.fieldId, t);
    } else if (r.num !== null) {
      out.set(r.fieldId, r.num);
    } else if (r.raw) {
      out.set(r.fieldId, r.raw);
    }
  }
  return out;
}
