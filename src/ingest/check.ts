/**
 * Judges one parsed file: is it a template of this catalog, for a unit of the roster and the year asked; is every
 * value usable; do the values agree with each other and with last year. Returns the messages and what may be stored.
 */
import { indicatorsForUnit, type Unit, type Workspace } from '../catalog/workspace.ts';
import type { MetaEntry, TemplateMeta } from '../templates/meta.ts';
import { CONTACT_FIELDS, CONTACT_KIND, NARRATIVE_KIND, narrativeFieldId } from '../catalog/ids.ts';
import { columnNumber } from '../xlsx/a1.ts';
import type { WorkbookSource } from '../xlsx/read-workbook.ts';
import { fileMessage, makeMessage, type Subject } from './messages.ts';
import { readInputs, type WorkbookView } from './read-xlsx.ts';
import type { CsvRead } from './read-csv.ts';
import { crossFieldMessages, evidenceMessages, outlierMessages, ratesConfirmedByCounts, stripPlaceholder } from './rules.ts';
import { normaliseValue, type InputKind } from './values.ts';
import type { AcceptedValue, Identity, IngestMessage, Location, RawInput } from './types.ts';

export interface CheckContext {
  ws: Workspace;
  /** The file name shown in messages. */
  file: string;
  /** --year: a file of another year is rejected. */
  year?: number;
  /** The unit's accepted values of a year (for the outlier warnings); empty without a database. */
  previousValues: (unitCode: string, year: number) => { field_id: string; value_num: number | null }[];
}

export interface Contact { name: string | null; position: string | null; phone: string | null; email: string | null }

export interface FileCheck {
  identity: Identity | null;
  messages: IngestMessage[];
  values: AcceptedValue[];
  narratives: { sectionId: string; text: string }[];
  contact: Contact | null;
  /** Indicator figures left empty: missing, not zero. */
  missing: { fieldId: string; indicatorId: string; loc: Location | null }[];
}

export type Parsed =
  /** `source`: what the feedback copy is made from. */
  | { kind: 'xlsx'; workbook: WorkbookView; meta: TemplateMeta; source: WorkbookSource }
  | { kind: 'csv'; csv: Extract<CsvRead, { ok: true }> };

const MAX_MISSING_LISTED = 8;

export function checkFile(ctx: CheckContext, parsed: Parsed): FileCheck {
  const identity: Identity = parsed.kind === 'xlsx'
    ? {
      unitCode: parsed.meta.keys.unit_code, year: Number(parsed.meta.keys.year),
      catalogVersion: parsed.meta.keys.catalog_version, templateVersion: parsed.meta.keys.template_version,
    }
    : { unitCode: parsed.csv.unitCode, year: parsed.csv.year, catalogVersion: null, templateVersion: null };
  const result: FileCheck = { identity, messages: [], values: [], narratives: [], contact: null, missing: [] };
  const err = (code: string, reason: string, value: string | null, expected: string | null) =>
    result.messages.push(fileMessage('error', code, ctx.file, reason, value, expected));

  // Identity first: a file for someone else or another catalog is not read further (its map may not fit).
  const { ws } = ctx;
  const unit = ws.roster.find((u) => u.code === identity.unitCode);
  if (parsed.kind === 'xlsx' && identity.catalogVersion !== ws.catalog.version) {
    err('catalog_version', `biểu mẫu lập theo phiên bản danh mục chỉ số ${identity.catalogVersion}, khác phiên bản đang dùng ${ws.catalog.version} (biểu mẫu cũ)`,
      identity.catalogVersion, `biểu mẫu phiên bản danh mục ${ws.catalog.version}: tạo lại bằng hoctap generate-templates và gửi lại cho đơn vị`);
  }
  if (ctx.year !== undefined && identity.year !== ctx.year) {
    err('wrong_year', `biểu mẫu của năm ${identity.year}, không phải năm ${ctx.year}`, String(identity.year), `biểu mẫu năm ${ctx.year}`);
  }
  if (!unit) {
    const name = parsed.kind === 'xlsx' && parsed.meta.keys.unit_name ? ` (${parsed.meta.keys.unit_name})` : '';
    err('unknown_unit', `đơn vị mã "${identity.unitCode}"${name} không có trong danh sách đơn vị (${ws.sources.roster})`,
      identity.unitCode, 'mã một đơn vị trong danh sách đơn vị của thư mục làm việc');
  } else if (parsed.kind === 'xlsx' && parsed.meta.keys.agency_code !== unit.agencyCode) {
    err('agency_mismatch', `biểu mẫu lập cho cơ quan ${parsed.meta.keys.agency_code}, nhưng trong danh sách đơn vị ${unit.code} thuộc ${unit.agencyCode}`,
      parsed.meta.keys.agency_code, `biểu mẫu tạo lại cho ${unit.code} với danh sách đơn vị hiện tại`);
  }
  if (result.messages.length || !unit) return result;

  // The inputs and where they are.
  let inputs: RawInput[];
  let expected: MetaEntry[];
  if (parsed.kind === 'xlsx') {
    const read = readInputs(parsed.workbook, parsed.meta, ws.catalog);
    for (const p of read.problems) err(p.code, p.reason, null, p.expected);
    if (read.problems.length) return result;
    inputs = read.inputs;
    expected = parsed.meta.entries;
  } else {
    const fromCsv = csvInputs(ctx, parsed.csv, unit, result.messages);
    inputs = fromCsv.inputs;
    expected = fromCsv.expected;
  }
  const filled = new Map<string, RawInput>();
  for (const input of inputs) filled.set(input.entry.fieldId, input);
  const locOf = (fieldId: string): Location | null => filled.get(fieldId)?.loc ?? (parsed.kind === 'xlsx'
    ? locFromEntry(parsed.meta.entries.find((e) => e.fieldId === fieldId)) : null);

  const contact: Contact = { name: null, position: null, phone: null, email: null };
  let hasContact = false;
  const accepted = new Map<string, AcceptedValue>();
  for (const input of inputs) {
    const e = input.entry;
    const subj = subjectOf(ctx, input);
    const n = normaliseValue(input.value, e.kind as InputKind, input.numFmt);
    if (n.status === 'empty') {
      if (e.kind !== NARRATIVE_KIND && e.kind !== CONTACT_KIND && e.kind !== 'text') result.missing.push({ fieldId: e.fieldId, indicatorId: e.indicatorId, loc: input.loc });
      continue;
    }
    if (n.status === 'error') {
      result.messages.push(makeMessage('error', n.error.code, subj, n.error.reason, n.raw, n.error.expected));
      continue;
    }
    for (const w of n.warnings) result.messages.push(makeMessage('warning', w.code, subj, w.reason, n.raw, w.expected));
    if (e.kind === NARRATIVE_KIND) {
      const stripped = stripPlaceholder(n.text!);
      if (stripped.hadPlaceholder) {
        result.messages.push(makeMessage('warning', 'narrative_placeholder', subj,
          stripped.text === null ? 'mục còn để nguyên dòng hướng dẫn của biểu mẫu, chưa có nội dung' : 'mục còn giữ dòng hướng dẫn của biểu mẫu (đã bỏ dòng này khi lưu)',
          n.raw, 'nội dung báo cáo của đơn vị thay cho dòng hướng dẫn, hoặc "Không có"'));
      }
      if (stripped.text !== null) result.narratives.push({ sectionId: e.fieldId.replace(/^narrative\./, ''), text: stripped.text });
      continue;
    }
    if (e.kind === CONTACT_KIND) {
      const key = e.fieldId.replace(/^contact\./, '') as keyof Contact;
      if (key in contact) { contact[key] = n.text; hasContact = true; }
      continue;
    }
    accepted.set(e.fieldId, { entry: e, loc: input.loc, raw: n.raw, num: n.num, text: n.text, note: input.note || null });
  }
  // Figures expected but not in the file at all (CSV rows left out) are missing as well.
  for (const e of expected) {
    if (!filled.has(e.fieldId) && e.kind !== 'text' && e.kind !== NARRATIVE_KIND && e.kind !== CONTACT_KIND && e.kind !== 'explanation') {
      result.missing.push({ fieldId: e.fieldId, indicatorId: e.indicatorId, loc: null });
    }
  }
  result.contact = hasContact ? contact : null;
  result.values = [...accepted.values()];

  const ruleCtx = { file: ctx.file, catalog: ws.catalog, values: accepted, locOf };
  const confirmed = ratesConfirmedByCounts(ruleCtx);
  result.messages = result.messages.filter((m) => !(m.code === 'ambiguous_percent' && m.field && confirmed.has(m.field)));
  result.messages.push(...crossFieldMessages(ruleCtx));
  const previous = new Map<string, number>();
  for (const r of ctx.previousValues(unit.code, identity.year - 1)) if (r.value_num !== null) previous.set(r.field_id, r.value_num);
  result.messages.push(...outlierMessages(ruleCtx, previous, identity.year - 1));
  result.messages.push(...evidenceMessages(ruleCtx));
  if (result.missing.length) {
    const listed = result.missing.slice(0, MAX_MISSING_LISTED)
      .map((m) => m.loc?.cell ? `${m.loc.cell} (${m.fieldId})` : m.fieldId).join(', ');
    const more = result.missing.length > MAX_MISSING_LISTED ? ` và ${result.missing.length - MAX_MISSING_LISTED} ô khác` : '';
    result.messages.push(fileMessage('warning', 'missing_values', ctx.file,
      `còn ${result.missing.length} ô số liệu để trống, được tính là thiếu số liệu (không phải 0): ${listed}${more}`,
      null, 'điền số liệu, hoặc ghi lý do ở ô minh chứng của chỉ số'));
  }
  // Errors before warnings; within each, file-level first, then in the order of the file (sheet, row, column, line).
  const sheetOrder = new Map<string, number>();
  for (const e of expected) if (!sheetOrder.has(e.sheet)) sheetOrder.set(e.sheet, sheetOrder.size);
  const key = (m: IngestMessage): number[] => {
    const a1 = m.cell ? /^([A-Z]+)(\d+)$/.exec(m.cell) : null;
    const col = a1 ? columnNumber(a1[1]) : 0;
    return [m.severity === 'error' ? 0 : 1, m.cell || m.line ? 1 : 0, m.sheet ? (sheetOrder.get(m.sheet) ?? 99) : 0, a1 ? Number(a1[2]) : (m.line ?? 0), col];
  };
  result.messages.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] - kb[i];
    return 0;
  });
  return result;
}

function locFromEntry(e: MetaEntry | undefined): Location | null {
  return e ? { sheet: e.sheet, cell: e.cell, line: null } : null;
}

function subjectOf(ctx: CheckContext, input: RawInput): Subject {
  const e = input.entry;
  let label: string | null;
  if (e.kind === NARRATIVE_KIND) label = ctx.ws.catalog.narratives.find((n) => narrativeFieldId(n.id) === e.fieldId)?.title ?? null;
  else if (e.kind === CONTACT_KIND) label = CONTACT_FIELDS.find((c) => c.id === e.fieldId)?.label ?? null;
  else label = ctx.ws.catalog.fieldById.get(e.fieldId)?.label ?? null;
  return { file: ctx.file, loc: input.loc, indicator: e.indicatorId || null, field: e.fieldId, fieldLabel: label };
}

/** CSV rows as inputs; unknown, repeated or unassigned fields are errors on their line. */
function csvInputs(ctx: CheckContext, csv: Extract<CsvRead, { ok: true }>, unit: Unit, messages: IngestMessage[]): { inputs: RawInput[]; expected: MetaEntry[] } {
  const { catalog } = ctx.ws;
  const assigned = indicatorsForUnit(ctx.ws, unit);
  const assignedIds = new Set(assigned.map((i) => i.id));
  const expected: MetaEntry[] = assigned.flatMap((i) => i.fields.map((f) => ({ fieldId: f.id, indicatorId: i.id, kind: f.kind, sheet: '', cell: '' })));
  const narrativeIds = new Set(catalog.narratives.map((n) => narrativeFieldId(n.id)));
  const contactIds = new Set<string>(CONTACT_FIELDS.map((c) => c.id));
  const seen = new Map<string, number>();
  const inputs: RawInput[] = [];
  for (const row of csv.rows) {
    const loc: Location = { sheet: null, cell: null, line: row.line };
    const at: Subject = { file: ctx.file, loc, field: row.fieldId || null };
    let entry: MetaEntry | null = null;
    const field = catalog.fieldById.get(row.fieldId);
    if (field) entry = { fieldId: field.id, indicatorId: field.indicatorId, kind: field.kind, sheet: '', cell: '' };
    else if (narrativeIds.has(row.fieldId)) entry = { fieldId: row.fieldId, indicatorId: '', kind: NARRATIVE_KIND, sheet: '', cell: '' };
    else if (contactIds.has(row.fieldId)) entry = { fieldId: row.fieldId, indicatorId: '', kind: CONTACT_KIND, sheet: '', cell: '' };
    if (!entry) {
      messages.push(makeMessage('error', 'unknown_field', at, 'mã ô không có trong danh mục chỉ số', row.fieldId || '(trống)', 'một mã ô của danh mục (xem hoctap catalog --format csv, cột fields)'));
      continue;
    }
    const subj: Subject = { ...at, indicator: entry.indicatorId || null, fieldLabel: field?.label ?? null };
    if (field && !assignedIds.has(field.indicatorId)) {
      messages.push(makeMessage('error', 'field_not_assigned', subj, `chỉ số ${field.indicatorId} không giao cho ${unit.name} (cơ quan ${unit.agencyCode})`, row.value, `chỉ các chỉ số giao cho đơn vị: ${[...assignedIds].join(', ') || 'không có'}`));
      continue;
    }
    if (seen.has(entry.fieldId)) {
      messages.push(makeMessage('error', 'duplicate_field', subj, `ô này đã có ở dòng ${seen.get(entry.fieldId)}`, row.value, 'mỗi mã ô một dòng'));
      continue;
    }
    seen.set(entry.fieldId, row.line);
    inputs.push({ entry, loc, value: row.value, note: row.note || undefined });
  }
  return { inputs, expected };
}

