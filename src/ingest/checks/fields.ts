/**
 * Which inputs the file holds. Every field of the `_meta` map or CSV line must be one of the catalog's, of the kind the
 * catalog says, and assigned to the unit (one rule for both forms); a CSV names each field once. A workbook's map must
 * be its template's: each input in the template's cell (so never on `_meta`, in the locked last-year column or outside
 * the sheet); a map row deleted leaves its field missing, not gone.
 */
import type { Catalog } from '../../catalog/types.ts';
import { indicatorsForUnit, type Unit } from '../../catalog/workspace.ts';
import { CONTACT_FIELDS, CONTACT_KIND, EXPLANATION_KIND, ITEM_KIND, ITEM_PARTS, NARRATIVE_KIND, explanationFieldId, itemFieldId, narrativeFieldId } from '../../catalog/ids.ts';
import { META_SHEET, type MetaEntry, type MetaKind } from '../../xlsx/meta.ts';
import { finding, type Finding, type Misplaced } from '../../findings/codes.ts';
import { makeMessage } from '../messages.ts';
import { columnLetters } from '../../xlsx/a1.ts';
import { cellPosition, type TemplateShape } from '../template-shape.ts';
import type { Location } from '../types.ts';
import { fileFinding, type Check, type FileState, type Parsed } from './state.ts';

export const fields: Check = {
  name: 'fields',
  codes: ['bad_meta', 'unknown_field', 'field_not_assigned', 'duplicate_field', 'input_moved'],
  stage: 'file',
  needsTemplate: true,
  run(s) {
    if (s.parsed.kind === 'xlsx') mapInputs(s, s.parsed, s.template!);
    else csvInputs(s, s.parsed);
  },
};

const otherInputsOf = new WeakMap<Catalog, ReadonlyMap<string, { kind: MetaKind; indicatorId: string }>>();

/**
 * The inputs that are not catalog fields, by id: narratives and their activity figures (whole numbers of no indicator),
 * contact, and each indicator's explanation. Made once per catalog (every file of a year asks).
 */
function otherInputs(catalog: Catalog): ReadonlyMap<string, { kind: MetaKind; indicatorId: string }> {
  let out = otherInputsOf.get(catalog);
  if (!out) otherInputsOf.set(catalog, (out = listOtherInputs(catalog)));
  return out;
}

function listOtherInputs(catalog: Catalog): Map<string, { kind: MetaKind; indicatorId: string }> {
  const out = new Map<string, { kind: MetaKind; indicatorId: string }>();
  for (const n of catalog.narratives) {
    out.set(narrativeFieldId(n.id), { kind: NARRATIVE_KIND, indicatorId: '' });
    for (const f of n.figures) out.set(f.id, { kind: 'count', indicatorId: '' });
  }
  // The structured items (asks.ts): every row of every section that asks them, whichever kind of unit is asked.
  for (const a of catalog.asks.items) {
    for (let n = 1; n <= a.slots; n++) for (const p of ITEM_PARTS[a.item].parts) out.set(itemFieldId(a.sectionId, a.item, n, p), { kind: ITEM_KIND, indicatorId: '' });
  }
  for (const c of CONTACT_FIELDS) out.set(c.id, { kind: CONTACT_KIND, indicatorId: '' });
  for (const i of catalog.indicators) out.set(explanationFieldId(i.id), { kind: EXPLANATION_KIND, indicatorId: i.id });
  return out;
}

/** The one rule for both forms: an input of an indicator the unit's agency was not given is refused. */
function notAssigned(unit: Unit, assigned: string[], indicatorId: string): Finding | null {
  if (!indicatorId || assigned.includes(indicatorId)) return null;
  return finding('field_not_assigned', { indicatorId, unitName: unit.name, agency: unit.agencyCode, assigned });
}

function mapInputs(s: FileState, { meta, workbook }: Extract<Parsed, { kind: 'xlsx' }>, template: TemplateShape): void {
  const { catalog } = s.ctx.ws;
  const others = otherInputs(catalog);
  const assigned = indicatorsForUnit(s.ctx.ws, s.unit!).map((i) => i.id);
  s.expected = template.entries;
  for (const e of meta.entries) {
    const field = catalog.fieldById.get(e.fieldId);
    const other = others.get(e.fieldId);
    if (!field && other?.kind !== e.kind) {
      fileFinding(s, finding('bad_meta', { fieldId: e.fieldId, kind: e.kind, known: null, unlisted: e.kind === NARRATIVE_KIND || e.kind === CONTACT_KIND || e.kind === EXPLANATION_KIND || e.kind === ITEM_KIND }));
      continue;
    }
    if (field && (field.kind !== e.kind || field.indicatorId !== e.indicatorId)) {
      fileFinding(s, finding('bad_meta', { fieldId: e.fieldId, kind: e.kind, known: field, unlisted: false }));
      continue;
    }
    const refused = notAssigned(s.unit!, assigned, field?.indicatorId ?? other!.indicatorId);
    if (refused) {
      fileFinding(s, refused, e.fieldId);
      continue;
    }
    const want = template.entryByField.get(e.fieldId);
    const sheet = workbook.sheet(e.sheet);
    const wrong = want
      ? (want.sheet === e.sheet && want.cell === e.cell ? null : misplacement(template, e))
      : misplacement(template, e, sheet?.rowCount ?? 0);
    if (wrong) {
      fileFinding(s, finding('input_moved', { fieldId: e.fieldId, at: `${e.sheet}!${e.cell}`, want: want ? `${want.sheet}!${want.cell}` : null, why: wrong }));
      continue;
    }
    const cell = sheet?.cell(e.cell);
    s.inputs.push({ entry: { ...e, indicatorId: field?.indicatorId ?? other!.indicatorId }, loc: { sheet: e.sheet, cell: e.cell, line: null }, value: cell?.value ?? null, numFmt: cell?.numFmt });
  }
}

/**
 * Why a map row does not point where its template's input is. For an input the template has no cell for (an
 * explanation, in a workbook whose template had none): null when it sits in an input column of an input sheet, on a row
 * added below the template's own rows, inside the sheet.
 */
function misplacement(t: TemplateShape, e: MetaEntry, lastRow?: number): Misplaced | null {
  const shape = t.sheets.get(e.sheet);
  const { row, col } = cellPosition(e.cell);
  if (e.sheet === META_SHEET) return { kind: 'meta' };
  if (!shape) return { kind: 'sheet' };
  const other = t.fieldAt.get(`${e.sheet}!${e.cell}`);
  if (other && other !== e.fieldId) return { kind: 'other', fieldId: other };
  if (col > shape.headers.length || row > Math.max(shape.lastRow, lastRow ?? 0)) return { kind: 'outside' };
  if (!shape.inputColumns.has(col)) return { kind: 'column', column: columnLetters(col), header: shape.headers[col - 1] ?? '' };
  if (lastRow !== undefined && row > shape.lastRow) return null;
  return { kind: 'cell' };
}

function csvInputs(s: FileState, { csv }: Extract<Parsed, { kind: 'csv' }>): void {
  const { catalog } = s.ctx.ws;
  const others = otherInputs(catalog);
  const seen = new Map<string, number>();
  const assigned = indicatorsForUnit(s.ctx.ws, s.unit!);
  const assignedIds = assigned.map((i) => i.id);
  s.expected = assigned.flatMap((i) => i.fields.map((f) => ({ fieldId: f.id, indicatorId: i.id, kind: f.kind, sheet: '', cell: '' })));
  for (const row of csv.rows) {
    const loc: Location = { sheet: null, cell: null, line: row.line };
    const at = { file: s.ctx.file, loc, field: row.fieldId || null };
    const field = catalog.fieldById.get(row.fieldId);
    const known = field ?? others.get(row.fieldId);
    if (!known) {
      s.messages.push(makeMessage(finding('unknown_field'), at, row.fieldId || '(trống)'));
      continue;
    }
    const entry: MetaEntry = { fieldId: row.fieldId, indicatorId: known.indicatorId, kind: known.kind, sheet: '', cell: '' };
    const subj = { ...at, indicator: entry.indicatorId || null, fieldLabel: field?.label ?? null };
    const refused = notAssigned(s.unit!, assignedIds, entry.indicatorId);
    if (refused) {
      s.messages.push(makeMessage(refused, subj, row.value));
      continue;
    }
    if (seen.has(entry.fieldId)) {
      s.messages.push(makeMessage(finding('duplicate_field', { line: seen.get(entry.fieldId)! }), subj, row.value));
      continue;
    }
    seen.set(entry.fieldId, row.line);
    s.inputs.push({ entry, loc, value: row.value, note: row.note || undefined });
  }
}
