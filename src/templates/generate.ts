/**
 * generate-templates: one protected, validated workbook per unit and year (instructions, indicators, narrative and
 * the `_meta` map), written to a folder. The sheets are written by sheet-*.ts; this file assembles and writes files.
 */
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { comparableYears, sameUnitInYears, workspaceForYear } from '../catalog/years.ts';
import { RATING_LABELS } from '../catalog/types.ts';
import { indicatorsForUnit, type Unit, type Workspace } from '../catalog/workspace.ts';
import { UserError } from '../errors.ts';
import { META_SHEET, SHEETS, TEMPLATE_VERSION, writeMeta, type MetaEntry, type MetaKey } from '../xlsx/meta.ts';
import { signMap, workspaceKey } from '../xlsx/signature.ts';
import { templateFileName } from './naming.ts';
import { writeIndicators } from './sheet-indicators.ts';
import { writeInstructions } from './sheet-instructions.ts';
import { writeNarrative } from './sheet-narrative.ts';
import { PROTECT_OPTIONS, shareEmptyStyles } from './styles.ts';
import { selectUnits } from './units.ts';
import { workbookBytes } from './xlsx-write.ts';
import { writeFileAtomicAsync } from '../fs/atomic.ts';

// Importers of these names know this module as the templates' entry point.
export { templateFileName } from './naming.ts';
export { selectUnits } from './units.ts';
export { targetTextForYear } from './target-text.ts';
export { RATING_OPTIONS } from './validations.ts';

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

export interface GenerateOptions {
  year: number;
  outDir: string;
  agencies?: string[];
  units?: string[];
  force?: boolean;
  /** The units' accepted figures of the year before (the CLI reads them from the workspace's store, if it has one). */
  previousFigures?: PreviousFigures;
  /** One instant for the whole run (written as `generated_at`). */
  generatedAt?: Date;
  onProgress?: (done: number, total: number, unit: Unit) => void;
}

export interface GeneratedTemplate { unit: Unit; file: string; indicators: number; skipped: boolean }

/** Written whole or not at all: an interrupted run never leaves a half-written file that a later run would skip. */
async function writeTemplate(file: string, buffer: Buffer): Promise<void> {
  try {
    await writeFileAtomicAsync(file, buffer);
  } catch (e) {
    throw new UserError(`Không ghi được tệp ${file}: ${(e as Error).message} (tệp có đang mở trong Excel?)`);
  }
}

/** Writes one workbook per chosen unit; an existing file is kept (skipped) unless `force`. */
export async function generateTemplates(anyWs: Workspace, opts: GenerateOptions): Promise<GeneratedTemplate[]> {
  // The year's view once (as the CLI opens it), not once per template: loading a catalog took 4 times a template's own
  // time when a caller gave a workspace opened without the year (bench).
  const ws = workspaceForYear(anyWs, opts.year);
  const units = selectUnits(ws, opts.agencies, opts.units);
  try {
    fs.mkdirSync(opts.outDir, { recursive: true });
  } catch (e) {
    throw new UserError(`Không tạo được thư mục ${opts.outDir}: ${(e as Error).message}`);
  }
  const generatedAt = opts.generatedAt ?? new Date();
  const key = workspaceKey(ws.dir);
  const pairedWithLastYear = new Set(opts.previousFigures ? comparableYears(ws, opts.year - 1, opts.year).commonUnits : []);
  const results: GeneratedTemplate[] = [];
  const done = (r: GeneratedTemplate) => {
    results.push(r);
    opts.onProgress?.(results.length, units.length, r.unit);
  };
  // The last file's write (and the disk's flush of it) runs while the next workbook is built: one at a time, in order.
  let writing: Promise<void> = Promise.resolve();
  try {
    for (const unit of units) {
      const file = path.join(opts.outDir, templateFileName(unit, opts.year));
      const indicators = indicatorsForUnit(ws, unit).length;
      if (fs.existsSync(file) && !opts.force) {
        await writing;
        done({ unit, file, indicators, skipped: true });
        continue;
      }
      const wb = await buildTemplateWorkbook(ws, unit, opts.year, { previousFigures: opts.previousFigures, generatedAt, key, pairedWithLastYear });
      const buffer = await workbookBytes(wb);
      await writing;
      writing = writeTemplate(file, buffer).then(() => done({ unit, file, indicators, skipped: false }));
      // Its failure is thrown where it is awaited (above, or below): not an unhandled rejection meanwhile.
      writing.catch(() => undefined);
    }
    await writing;
  } finally {
    // Nothing is left writing once this returns or throws.
    await writing.catch(() => undefined);
  }
  return results;
}

