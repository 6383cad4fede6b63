/**
 * The raw value of every input a workbook's `_meta` maps, with the map checked against the catalog and the sheets.
 */
import type { Catalog } from '../catalog/types.ts';
import { CONTACT_FIELDS, CONTACT_KIND, NARRATIVE_KIND, narrativeFieldId } from '../catalog/ids.ts';
import type { TemplateMeta } from '../templates/meta.ts';
import { say, type Finding } from './codes.ts';
import { cellString, type SheetView, type WorkbookView } from './read-xlsx.ts';
import type { RawInput } from './types.ts';

export interface InputsRead {
  inputs: RawInput[];
  /** File-level problems: a mapped sheet is gone, or rows were inserted so the map no longer fits. */
  problems: Finding[];
}

/**
 * The raw value of every mapped cell. Each entry is checked against the catalog (same field, same kind) and against
 * the sheet (the field's label still on the input's row), since a map followed blindly after an inserted row would
 * read every figure from the wrong line.
 */
export function readInputs(workbook: WorkbookView, meta: TemplateMeta, catalog: Catalog): InputsRead {
  const inputs: RawInput[] = [];
  const problems: Finding[] = [];
  const layout: { sheet: string; cell: string; label: string; fieldId: string }[] = [];
  const missingSheets = new Set<string>();
  const contactIds = new Set<string>(CONTACT_FIELDS.map((c) => c.id));
  const narrativeIds = new Set(catalog.narratives.map((n) => narrativeFieldId(n.id)));
  for (const e of meta.entries) {
    if (e.kind === NARRATIVE_KIND ? !narrativeIds.has(e.fieldId) : e.kind === CONTACT_KIND ? !contactIds.has(e.fieldId) : false) {
      problems.push(say('bad_meta', { fieldId: e.fieldId, kind: e.kind, known: null, unlisted: true }));
      continue;
    }
    const field = catalog.fieldById.get(e.fieldId);
    if (e.kind !== NARRATIVE_KIND && e.kind !== CONTACT_KIND && (!field || field.kind !== e.kind || field.indicatorId !== e.indicatorId)) {
      problems.push(say('bad_meta', { fieldId: e.fieldId, kind: e.kind, known: field ?? null, unlisted: false }));
      continue;
    }
    const sheet = workbook.sheet(e.sheet);
    if (!sheet) {
      if (!missingSheets.has(e.sheet)) problems.push(say('missing_sheet', { sheet: e.sheet }));
      missingSheets.add(e.sheet);
      continue;
    }
    const cell = sheet.cell(e.cell);
    if (field && field.kind !== 'text' && !rowHasText(sheet, e.cell, field.label)) {
      layout.push({ sheet: e.sheet, cell: e.cell, label: field.label, fieldId: e.fieldId });
      continue;
    }
    inputs.push({ entry: e, loc: { sheet: e.sheet, cell: e.cell, line: null }, value: cell.value, numFmt: cell.numFmt });
  }
  // One inserted row shifts every cell below it: the first is reported, with how many more.
  if (layout.length) problems.push(say('layout_changed', { ...layout[0], more: layout.length - 1 }));
  return { inputs, problems };
}

/** The field's label somewhere on the input's row, in the columns up to the input's (or the row's last cell), at most 60. */
export function rowHasText(sheet: SheetView, address: string, label: string): boolean {
  const m = /^([A-Z]+)(\d+)$/.exec(address)!;
  const row = Number(m[2]);
  const col = [...m[1]].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
  const want = label.normalize('NFC').replace(/\s+/g, ' ').trim();
  const last = Math.min(Math.max(sheet.cellCount(row), col), 60);
  // The label sits left of its input in the template: look there first (the answer does not depend on the order).
  const matches = (c: number) => {
    const v = sheet.cellAt(row, c).value;
    // NFC lengthens a text at most threefold and the rest only shortens it: a much shorter text cannot be the label.
    if (typeof v === 'string' && v.length * 3 < want.length) return false;
    return cellString(v).replace(/\s+/g, ' ') === want;
  };
  for (let c = Math.min(col - 1, last); c >= 1; c--) if (matches(c)) return true;
  for (let c = Math.max(col, 1); c <= last; c++) if (matches(c)) return true;
  return false;
}
