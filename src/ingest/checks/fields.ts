/**
 * Which inputs the file holds: every field of the `_meta` map or CSV line must be one of the catalog's, of the kind the
 * catalog says, and assigned to the unit; a CSV names each field once.
 */
import type { Field } from '../../catalog/types.ts';
import { indicatorsForUnit, type Unit } from '../../catalog/workspace.ts';
import { CONTACT_FIELDS, CONTACT_KIND, NARRATIVE_KIND, narrativeFieldId } from '../../catalog/ids.ts';
import type { MetaEntry } from '../../templates/meta.ts';
import { say, type Finding } from '../codes.ts';
import { makeMessage } from '../messages.ts';
import type { Location } from '../types.ts';
import { fileFinding, type Check, type FileState, type Parsed } from './state.ts';

export const fields: Check = {
  name: 'fields',
  codes: ['bad_meta', 'unknown_field', 'field_not_assigned', 'duplicate_field'],
  stage: 'file',
  run(s) {
    if (s.parsed.kind === 'xlsx') mapInputs(s, s.parsed);
    else csvInputs(s, s.parsed);
  },
};

/** The one rule for both forms: a catalog field of an indicator the unit's agency was not given is refused. */
export function notAssigned(unit: Unit, assigned: string[], field: Field | undefined): Finding | null {
  if (!field || assigned.includes(field.indicatorId)) return null;
  return say('field_not_assigned', { indicatorId: field.indicatorId, unitName: unit.name, agency: unit.agencyCode, assigned });
}

function assignedEntries(s: FileState, unit: Unit): MetaEntry[] {
  return indicatorsForUnit(s.ctx.ws, unit).flatMap((i) => i.fields.map((f) => ({ fieldId: f.id, indicatorId: i.id, kind: f.kind, sheet: '', cell: '' })));
}

function mapInputs(s: FileState, { meta, workbook }: Extract<Parsed, { kind: 'xlsx' }>): void {
  const { catalog } = s.ctx.ws;
  const contactIds = new Set<string>(CONTACT_FIELDS.map((c) => c.id));
  const narrativeIds = new Set(catalog.narratives.map((n) => narrativeFieldId(n.id)));
  s.expected = meta.entries;
  for (const e of meta.entries) {
    if (e.kind === NARRATIVE_KIND ? !narrativeIds.has(e.fieldId) : e.kind === CONTACT_KIND ? !contactIds.has(e.fieldId) : false) {
      fileFinding(s, say('bad_meta', { fieldId: e.fieldId, kind: e.kind, known: null, unlisted: true }));
      continue;
    }
    const field = catalog.fieldById.get(e.fieldId);
    if (e.kind !== NARRATIVE_KIND && e.kind !== CONTACT_KIND && (!field || field.kind !== e.kind || field.indicatorId !== e.indicatorId)) {
      fileFinding(s, say('bad_meta', { fieldId: e.fieldId, kind: e.kind, known: field ?? null, unlisted: false }));
      continue;
    }
    const cell = workbook.sheet(e.sheet)?.cell(e.cell);
    s.inputs.push({ entry: e, loc: { sheet: e.sheet, cell: e.cell, line: null }, value: cell?.value ?? null, numFmt: cell?.numFmt });
  }
}

function csvInputs(s: FileState, { csv }: Extract<Parsed, { kind: 'csv' }>): void {
  const { catalog } = s.ctx.ws;
  const narrativeIds = new Set(catalog.narratives.map((n) => narrativeFieldId(n.id)));
  const contactIds = new Set<string>(CONTACT_FIELDS.map((c) => c.id));
  const seen = new Map<string, number>();
  const assigned = indicatorsForUnit(s.ctx.ws, s.unit!).map((i) => i.id);
  s.expected = assignedEntries(s, s.unit!);
  for (const row of csv.rows) {
    const loc: Location = { sheet: null, cell: null, line: row.line };
    const at = { file: s.ctx.file, loc, field: row.fieldId || null };
    let entry: MetaEntry | null = null;
    const field = catalog.fieldById.get(row.fieldId);
    if (field) entry = { fieldId: field.id, indicatorId: field.indicatorId, kind: field.kind, sheet: '', cell: '' };
    else if (narrativeIds.has(row.fieldId)) entry = { fieldId: row.fieldId, indicatorId: '', kind: NARRATIVE_KIND, sheet: '', cell: '' };
    else if (contactIds.has(row.fieldId)) entry = { fieldId: row.fieldId, indicatorId: '', kind: CONTACT_KIND, sheet: '', cell: '' };
    if (!entry) {
      s.messages.push(makeMessage(say('unknown_field'), at, row.fieldId || '(trống)'));
      continue;
    }
    const subj = { ...at, indicator: entry.indicatorId || null, fieldLabel: field?.label ?? null };
    const refused = notAssigned(s.unit!, assigned, field);
    if (refused) {
      s.messages.push(makeMessage(refused, subj, row.value));
      continue;
    }
    if (seen.has(entry.fieldId)) {
      s.messages.push(makeMessage(say('duplicate_field', { line: seen.get(entry.fieldId)! }), subj, row.value));
      continue;
    }
    seen.set(entry.fieldId, row.line);
    s.inputs.push({ entry, loc, value: row.value, note: row.note || undefined });
  }
}
