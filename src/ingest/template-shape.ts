/**
 * What a returned workbook must look like, taken from the template generator itself: the template of the unit's
 * agency and year is built once (per workspace, agency and year) and remembered as the facts ingest compares with —
 * where every input sits, the header row of each input sheet, the text that names each input's row, and the title
 * cells that name the unit and the year. Nothing here repeats the generator's wording.
 */
import type ExcelJS from 'exceljs';
import type { Catalog } from '../catalog/types.ts';
import type { Unit, Workspace } from '../catalog/workspace.ts';
import { buildTemplateWorkbook } from '../templates/generate.ts';
import { INDICATOR_HEADER_ROW } from '../templates/sheet-indicators.ts';
import { NARRATIVE_HEADER_ROW } from '../templates/sheet-narrative.ts';
import { META_SHEET, SHEETS, parseMeta, type MetaEntry } from '../xlsx/meta.ts';
import { a1, parseA1 } from '../xlsx/a1.ts';
import { exceljsSheetView } from '../xlsx/exceljs-view.ts';
import { cellString, type SheetView } from '../xlsx/view.ts';

/** The generator's header row of each input sheet. */
const HEADER_ROWS: Record<string, number> = { [SHEETS.indicators]: INDICATOR_HEADER_ROW, [SHEETS.narrative]: NARRATIVE_HEADER_ROW };
/** The rows at the top of every sheet that carry its title: where a template names its unit and year. */
const TITLE_ROWS = 4;

export interface SheetShape {
  headerRow: number;
  /** The header row's texts, column 1 first (whitespace folded). */
  headers: string[];
  /** Columns that hold inputs. */
  inputColumns: Set<number>;
  lastRow: number;
}

export interface TemplateShape {
  entries: MetaEntry[];
  entryByField: Map<string, MetaEntry>;
  /** Field id of the input at each "sheet!cell". */
  fieldAt: Map<string, string>;
  sheets: Map<string, SheetShape>;
  /** The text that sits on each input's row (the field's label, a section's title), by field id. */
  rowLabel: Map<string, string>;
  /** Title cells and what they name: the unit (by name, by code) and the year. */
  titles: { sheet: string; cell: string; name: boolean; code: boolean; year: boolean }[];
}

export const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

/** Row and column of a `_meta` entry's cell (checked as A1 by meta.ts; row and column 0 for anything else). */
export const cellPosition = (address: string) => parseA1(address) ?? { row: 0, col: 0 };

const cache = new WeakMap<Workspace, Map<string, Promise<TemplateShape>>>();

/** The shape of the template of `unit`'s agency for `year` (built on first need). */
export function templateShape(ws: Workspace, unit: Unit, year: number): Promise<TemplateShape> {
  let byKey = cache.get(ws);
  if (!byKey) cache.set(ws, (byKey = new Map()));
  const key = `${unit.agencyCode}|${year}`;
  let shape = byKey.get(key);
  if (!shape) {
    // One unit of the agency stands for all of them: the layout depends on the agency's indicators and the year.
    const model = ws.roster.find((u) => u.agencyCode === unit.agencyCode) ?? unit;
    shape = buildTemplateWorkbook(ws, model, year).then((wb) => shapeOf(wb, ws.catalog, model, year));
    byKey.set(key, shape);
  }
  return shape;
}

function shapeOf(wb: ExcelJS.Workbook, catalog: Catalog, model: Unit, year: number): TemplateShape {
  const meta = parseMeta(exceljsSheetView(wb.getWorksheet(META_SHEET)!));
  if (!meta.ok) throw new Error(`the generator wrote a _meta ingest cannot read: ${meta.reason}`);
  const entries = meta.meta.entries;
  const views = new Map<string, SheetView>();
  const view = (name: string) => {
    if (!views.has(name)) views.set(name, exceljsSheetView(wb.getWorksheet(name)!));
    return views.get(name)!;
  };
  const text = (sheet: string, row: number, col: number) => squash(cellString(view(sheet).cellAt(row, col).value));

  const sheets = new Map<string, SheetShape>();
  for (const e of entries) {
    let shape = sheets.get(e.sheet);
    if (!shape) {
      const headerRow = HEADER_ROWS[e.sheet] ?? 0;
      const v = view(e.sheet);
      const headers = headerRow ? Array.from({ length: v.cellCount(headerRow) }, (_, i) => text(e.sheet, headerRow, i + 1)) : [];
      sheets.set(e.sheet, (shape = { headerRow, headers, inputColumns: new Set(), lastRow: v.rowCount }));
    }
    shape.inputColumns.add(cellPosition(e.cell).col);
  }

  // A row's label: the figure's own label, or (evidence) the label of the figure on its row; else (a narrative, the
  // contact, an indicator with nothing to count) the nearest text left of the input.
  const figureOnRow = new Map<string, string>();
  const rowKey = (e: MetaEntry) => `${e.sheet}!${cellPosition(e.cell).row}`;
  const figureLabel = (e: MetaEntry) => {
    const f = catalog.fieldById.get(e.fieldId);
    return f && f.kind !== 'text' ? squash(f.label) : null;
  };
  for (const e of entries) {
    const label = figureLabel(e);
    if (label && !figureOnRow.has(rowKey(e))) figureOnRow.set(rowKey(e), label);
  }
  const rowLabel = new Map<string, string>();
  for (const e of entries) {
    let label = figureLabel(e) ?? figureOnRow.get(rowKey(e)) ?? '';
    const at = cellPosition(e.cell);
    for (let c = at.col - 1; !label && c >= 1; c--) label = text(e.sheet, at.row, c);
    if (label) rowLabel.set(e.fieldId, label);
  }

  const titles: TemplateShape['titles'] = [];
  const name = model.name.normalize('NFC').toUpperCase();
  const code = `(MÃ ${model.code.toUpperCase()})`;
  for (const sheet of wb.worksheets) {
    if (sheet.name === META_SHEET) continue;
    const v = view(sheet.name);
    // An input sheet's header row and what follows are the layout's to compare.
    const below = sheets.get(sheet.name)?.headerRow ?? TITLE_ROWS + 1;
    for (let r = 1; r <= Math.min(TITLE_ROWS, below - 1, v.rowCount); r++) {
      for (let c = 1; c <= v.cellCount(r); c++) {
        const t = text(sheet.name, r, c).toUpperCase();
        // A merged title reads the same in every cell it covers: its first cell stands for it.
        if (c > 1 && t === text(sheet.name, r, c - 1).toUpperCase()) continue;
        const flags = { name: t.includes(name), code: t.includes(code), year: t.includes(String(year)) };
        if (flags.name || flags.code || flags.year) titles.push({ sheet: sheet.name, cell: a1(r, c), ...flags });
      }
    }
  }
  return {
    entries, entryByField: new Map(entries.map((e) => [e.fieldId, e])), fieldAt: new Map(entries.map((e) => [`${e.sheet}!${e.cell}`, e.fieldId])),
    sheets, rowLabel, titles,
  };
}
