/**
 * What the checks of one file share: the file as read, what is known so far (the unit, the inputs, the normalised
 * values) and the findings. Each check (one module per kind, listed in checks/index.ts) reads and adds to it.
 */
import type { FieldRole, Measure, NarrativeFigure } from '../../catalog/types.ts';
import type { Unit, Workspace } from '../../catalog/workspace.ts';
import { CONTACT_FIELDS, CONTACT_KIND, NARRATIVE_KIND, narrativeFieldId } from '../../catalog/ids.ts';
import type { MetaEntry, TemplateMeta } from '../../xlsx/meta.ts';
import type { Code, Finding, Place } from '../../findings/codes.ts';
import { fileMessage, makeMessage, type Subject } from '../messages.ts';
import type { CsvRead } from '../read-csv.ts';
import type { WorkbookView } from '../../xlsx/view.ts';
import type { WorkbookSource } from '../../xlsx/read-workbook.ts';
import type { TemplateShape } from '../template-shape.ts';
import type { AcceptedValue, Identity, IngestMessage, Location, RawInput } from '../types.ts';
import type { NewItem } from '../../store/store.ts';

export interface CheckContext {
  ws: Workspace;
  /** The file name shown in messages. */
  file: string;
  /** --year: a file of another year is rejected. */
  year?: number;
  /** The unit's accepted values of a year (for the comparisons with last year); empty without a database. */
  previousValues: (unitCode: string, year: number) => { field_id: string; value_num: number | null }[];
  /** The file's sha256 (an identical file twice in a batch is a duplicate, not a second submission). */
  sha256?: string;
  /** The files of the batch so far, by unit and year: the first of a unit and year is the one judged. */
  batch?: BatchMemory;
  /** The e-mail's sender, compared with the unit's address in the roster (null or absent: not an e-mail). */
  sender?: string | null;
  /** A template generated since the workspace's key, without its signature (src/xlsx/signature.ts). */
  unsigned?: boolean;
}

/** Which file of a batch came first for each unit and year. */
export class BatchMemory {
  private readonly seen = new Map<string, { file: string; sha256: string }>();

  /** The first file of the unit and year in this batch, or null: then this file is recorded as the first. */
  claim(unit: string, year: number, file: string, sha256: string): { file: string; sha256: string } | null {
    const key = `${unit}|${year}`;
    const first = this.seen.get(key);
    if (first) return first;
    this.seen.set(key, { file, sha256 });
    return null;
  }
}

export type Parsed =
  /** `source`: what the feedback copy is made from (the zip's parts, patched; or a small workbook exceljs loaded). */
  | { kind: 'xlsx'; workbook: WorkbookView; meta: TemplateMeta; source: WorkbookSource }
  | { kind: 'csv'; csv: Extract<CsvRead, { ok: true }> };

export interface Contact { name: string | null; position: string | null; phone: string | null; email: string | null }

export interface FileState {
  ctx: CheckContext;
  parsed: Parsed;
  identity: Identity;
  /** The roster's unit the file names (identity). */
  unit: Unit | null;
  /** What the unit's template looks like (xlsx; loaded for the checks that need it). */
  template: TemplateShape | null;
  /** The inputs the unit is asked for, where its template puts them (layout). */
  expected: MetaEntry[];
  /** The inputs found in the file, not yet interpreted (layout). */
  inputs: RawInput[];
  /** Fields that hold anything, usable or not (normalisation). */
  filled: Set<string>;
  /** Accepted values by field id (normalisation). */
  values: Map<string, AcceptedValue>;
  /** Narrative texts as typed, by section id (normalisation; the placeholder check strips the template's line). */
  narratives: Map<string, { text: string; input: RawInput }>;
  contact: Contact | null;
  /** The structured items of the narrative sheet (normalisation: src/ingest/items.ts). */
  items: NewItem[];
  /** Indicator figures left empty: missing, not zero. */
  missing: { fieldId: string; indicatorId: string; loc: Location | null }[];
  messages: IngestMessage[];
  /** The same bytes as an earlier file of the batch (its name): not judged again. */
  identicalTo: string | null;
}

/** One kind of check: the codes it may raise and the function that looks. */
export interface Check {
  name: string;
  codes: readonly Code[];
  /** 'file': runs on the file as read, before any value is interpreted. 'values': runs on the normalised values. */
  stage: 'file' | 'values';
  /** It compares the workbook with the unit's template (loaded before it runs). */
  needsTemplate?: boolean;
  /** 'stop': the file is not read further (a map that does not fit would read every figure from the wrong cell). */
  run(s: FileState): void | 'stop';
}

export const hasErrors = (s: FileState) => s.messages.some((m) => m.severity === 'error');

export function fileFinding(s: FileState, f: Finding, value: string | null = null): void {
  s.messages.push(fileMessage(f, s.ctx.file, value));
}

/** What a message says about an input: its place, indicator, field and the label the unit sees. */
export function subjectOf(s: FileState, entry: MetaEntry, loc: Location | null): Subject {
  let label: string | null;
  if (entry.kind === NARRATIVE_KIND) label = s.ctx.ws.catalog.narratives.find((n) => narrativeFieldId(n.id) === entry.fieldId)?.title ?? null;
  else if (entry.kind === CONTACT_KIND) label = CONTACT_FIELDS.find((c) => c.id === entry.fieldId)?.label ?? null;
  else label = s.ctx.ws.catalog.fieldById.get(entry.fieldId)?.label ?? narrativeFigure(s, entry.fieldId)?.label ?? null;
  return { file: s.ctx.file, loc, indicator: entry.indicatorId || null, field: entry.fieldId, fieldLabel: label };
}

/** The activity figure of a narrative section an input is, if it is one. */
export function narrativeFigure(s: FileState, fieldId: string): NarrativeFigure | undefined {
  for (const n of s.ctx.ws.catalog.narratives) for (const f of n.figures) if (f.id === fieldId) return f;
  return undefined;
}

export function valueFinding(s: FileState, f: Finding, v: AcceptedValue): void {
  s.messages.push(makeMessage(f, subjectOf(s, v.entry, v.loc), v.raw));
}

export const placeOf = (v: AcceptedValue): Place => ({ cell: v.loc.cell, line: v.loc.line, fieldId: v.entry.fieldId });

/** Where a field sits in the file, filled or not (null: a CSV line not sent). */
export function locOf(s: FileState, fieldId: string): Location | null {
  const input = s.inputs.find((i) => i.entry.fieldId === fieldId);
  if (input) return input.loc;
  const e = s.parsed.kind === 'xlsx' ? s.expected.find((x) => x.fieldId === fieldId) : undefined;
  return e ? { sheet: e.sheet, cell: e.cell, line: null } : null;
}

/** The measures touched by the file's values, with each role's accepted figure. */
export function measuresWithValues(s: FileState): { measure: Measure; byRole: Map<FieldRole, AcceptedValue> }[] {
  const { catalog } = s.ctx.ws;
  const out: { measure: Measure; byRole: Map<FieldRole, AcceptedValue> }[] = [];
  const seen = new Set<string>();
  for (const v of s.values.values()) {
    const field = catalog.fieldById.get(v.entry.fieldId);
    if (!field?.measureId || seen.has(field.measureId)) continue;
    seen.add(field.measureId);
    const measure = catalog.measureById.get(field.measureId)!;
    const byRole = new Map<FieldRole, AcceptedValue>();
    for (const f of measure.fields) {
      const fv = s.values.get(f.id);
      if (fv && fv.num !== null && !byRole.has(f.role)) byRole.set(f.role, fv);
    }
    out.push({ measure, byRole });
  }
  return out;
}

const previousCache = new WeakMap<FileState, Map<string, number>>();

/** The unit's accepted figures of the year before the file's, by field id (read once per file). */
export function previousFigures(s: FileState): Map<string, number> {
  let out = previousCache.get(s);
  if (!out) {
    out = new Map();
    for (const r of s.ctx.previousValues(s.unit!.code, s.identity.year - 1)) if (r.value_num !== null) out.set(r.field_id, r.value_num);
    previousCache.set(s, out);
  }
  return out;
}
