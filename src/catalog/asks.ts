/**
 * What the templates ask beyond the indicators' figures, as data (seeds/catalog, docs/templates.md):
 * - narrative_items.csv: per narrative section, the structured items asked beside its text (highlights, difficulties,
 *   proposals, nominations for commendation) and who is not asked them or the section's activity figures (by kind of
 *   unit: the expert panel is asked no activity counts);
 * - item_lists.csv: the short lists the items choose from (categories of difficulties and proposals, addressees,
 *   collective or individual);
 * - definitions.csv: a short definition of an indicator and the reference date of its figures;
 * - shared_fields.csv: an input that is the same quantity as another's (asked once: the template copies it).
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { cell, readCsvRows } from './csv-file.ts';
import { DataFileError } from '../errors.ts';
import { AGENCY_KINDS, type AgencyKind, type Catalog, type Field } from './types.ts';

export const ITEM_KINDS = ['highlight', 'difficulty', 'proposal', 'nomination'] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];
export const ITEM_LISTS = ['category', 'addressee', 'nominee'] as const;
export type ItemListName = (typeof ITEM_LISTS)[number];

export const ITEMS_FILE = 'narrative_items.csv';
export const ITEM_LISTS_FILE = 'item_lists.csv';
export const DEFINITIONS_FILE = 'definitions.csv';
export const SHARED_FIELDS_FILE = 'shared_fields.csv';
/** Files of this module: part of the catalog's version (they change what a template asks). */
export const ASKS_FILES = [ITEMS_FILE, ITEM_LISTS_FILE, DEFINITIONS_FILE, SHARED_FIELDS_FILE];

/** Structured items a section asks: `slots` rows, of every kind of unit but `exceptKinds`. */
export interface ItemAsk { sectionId: string; item: ItemKind; slots: number; exceptKinds: AgencyKind[]; label: string; source: string }
export interface ListOption { code: string; label: string }
export interface IndicatorDefinition { definition: string; asOf: string }

export interface CatalogAsks {
  items: ItemAsk[];
  /** Sections whose activity figures some kinds of unit are not asked: section id → those kinds. */
  figuresExcept: Map<string, AgencyKind[]>;
  lists: Record<ItemListName, ListOption[]>;
  definitions: Map<string, IndicatorDefinition>;
  /** field id → the field whose value it repeats. */
  sameAs: Map<string, string>;
}

/** The reference date when definitions.csv names none: the end of the report's year. */
export const DEFAULT_AS_OF = '31/12/{nam}';

const kinds = cell.optional().refine((s) => splitKinds(s).every((k) => (AGENCY_KINDS as readonly string[]).includes(k)), {
  error: `loại đơn vị phải là một trong ${AGENCY_KINDS.join(', ')} (cách nhau bằng dấu ;)`,
});
const schemas = {
  items: z.object({
    section_id: cell.required('mã mục'), item: cell.oneOf('loại nội dung', [...ITEM_KINDS, 'figures'] as const),
    slots: cell.optional().refine((s) => s === '' || /^[1-9]$/.test(s), { error: 'số dòng phải từ 1 đến 9' }),
    except_kinds: kinds, label: cell.optional(), source: cell.optional(),
  }),
  // A template's drop-down list is written inline, its options separated by commas: a label cannot hold one.
  lists: z.object({
    list: cell.oneOf('danh sách', ITEM_LISTS), code: cell.required('mã'),
    label: cell.required('nhãn').refine((s) => !s.includes(','), { error: 'nhãn không được có dấu phẩy (danh sách thả xuống của Excel dùng dấu phẩy để tách các lựa chọn)' }),
  }),
  definitions: z.object({ indicator_id: cell.required('mã chỉ số'), definition: cell.optional(), as_of: cell.optional() }),
  shared: z.object({ field_id: cell.required('mã ô nhập'), same_as: cell.required('ô nhập gốc'), note: cell.optional() }),
};

function splitKinds(s: string): string[] {
  return s.split(';').map((x) => x.trim()).filter(Boolean);
}

/** Fills a text's period words; {nam} and {nam_hoc} (the template's year) are left for the template. */
export type AskFiller = (r: { file: string; line: number }, column: string, text: string) => string;

interface Known { sections: Set<string>; indicators: Set<string>; fields: Set<string> }

/** Reads the four files from the catalog folders (each optional), checked against the rest of the catalog. */
export function loadAsks(dirs: string[], fill: AskFiller, known: Known): CatalogAsks {
  const shown = (f: string) => path.relative(process.cwd(), f) || f;
  const read = <S extends z.ZodObject>(name: string, schema: S) => dirs.map((d) => path.join(d, name)).filter((f) => fs.existsSync(f))
    .flatMap((f) => readCsvRows(f, schema, shown(f)).map((r, i) => ({ ...r, file: shown(f), line: i + 2 })));
  const keep = (text: string) => text.replace(/\{(nam|nam_hoc)\}/g, '\u0000$1\u0001');
  const restore = (text: string) => text.replace(/\u0000(nam|nam_hoc)\u0001/g, '{$1}');
  const out: CatalogAsks = {
    items: [], figuresExcept: new Map(), definitions: new Map(), sameAs: new Map(),
    lists: { category: [], addressee: [], nominee: [] },
  };
  for (const r of read(ITEMS_FILE, schemas.items)) {
    if (!known.sections.has(r.section_id)) throw new DataFileError(r.file, `mục báo cáo "${r.section_id}" không có trong narratives.csv`, r.line, 'section_id');
    const except = splitKinds(r.except_kinds) as AgencyKind[];
    if (r.item === 'figures') { out.figuresExcept.set(r.section_id, except); continue; }
    if (!r.slots) throw new DataFileError(r.file, 'thiếu số dòng (slots)', r.line, 'slots');
    if (out.items.some((i) => i.sectionId === r.section_id && i.item === r.item)) throw new DataFileError(r.file, `mục "${r.section_id}" đã có "${r.item}"`, r.line, 'item');
    out.items.push({ sectionId: r.section_id, item: r.item, slots: Number(r.slots), exceptKinds: except, label: fill(r, 'label', r.label), source: r.source });
  }
  for (const r of read(ITEM_LISTS_FILE, schemas.lists)) {
    if (out.lists[r.list].some((o) => o.code === r.code)) throw new DataFileError(r.file, `mã "${r.code}" bị trùng trong danh sách ${r.list}`, r.line, 'code');
    out.lists[r.list].push({ code: r.code, label: fill(r, 'label', r.label) });
  }
  for (const r of read(DEFINITIONS_FILE, schemas.definitions)) {
    if (!known.indicators.has(r.indicator_id)) throw new DataFileError(r.file, `chỉ số "${r.indicator_id}" không có trong danh mục`, r.line, 'indicator_id');
    out.definitions.set(r.indicator_id, { definition: fill(r, 'definition', r.definition), asOf: restore(fill(r, 'as_of', keep(r.as_of || DEFAULT_AS_OF))) });
  }
  for (const r of read(SHARED_FIELDS_FILE, schemas.shared)) {
    for (const [col, id] of [['field_id', r.field_id], ['same_as', r.same_as]] as const) {
      if (!known.fields.has(id)) throw new DataFileError(r.file, `ô nhập "${id}" không có trong fields.csv`, r.line, col);
    }
    out.sameAs.set(r.field_id, r.same_as);
  }
  return out;
}

/** The reference date of an indicator's figures for a year ("31/12/2024", "cuối năm học 2023-2024"). */
export function asOfText(asks: CatalogAsks, indicatorId: string, year: number): string {
  const t = asks.definitions.get(indicatorId)?.asOf ?? DEFAULT_AS_OF;
  return t.replaceAll('{nam_hoc}', `${year - 1}-${year}`).replaceAll('{nam}', String(year));
}

/** The items a unit of this kind is asked on a section, in file order. */
export function itemsAsked(asks: CatalogAsks, sectionId: string, kind: AgencyKind): ItemAsk[] {
  return asks.items.filter((i) => i.sectionId === sectionId && !i.exceptKinds.includes(kind));
}

/** Whether a unit of this kind is asked the section's activity figures. */
export function figuresAsked(asks: CatalogAsks, sectionId: string, kind: AgencyKind): boolean {
  return !(asks.figuresExcept.get(sectionId) ?? []).includes(kind);
}

/** The option of a list a typed text names (its label or code, case and accents folded by the caller), or null. */
export function listOption(asks: CatalogAsks, list: ItemListName, folded: string, fold: (s: string) => string): ListOption | null {
  return asks.lists[list].find((o) => fold(o.label) === folded || o.code === folded) ?? null;
}

/**
 * How an input is computed in the template from the unit's other inputs, if it is: a stated rate from its measure's
 * counts (the numerator, or the total of the sexes, over the denominator), or a quantity repeated from the input
 * shared_fields.csv names. The template writes it as a locked formula; ingest derives it again from the same inputs.
 */
export type Computed = { kind: 'rate'; num: Field; den: Field } | { kind: 'same'; source: Field };

export function computedFrom(catalog: Pick<Catalog, 'asks' | 'fieldById' | 'measureById'>, field: Field): Computed | null {
  const same = catalog.asks.sameAs.get(field.id);
  if (same) return { kind: 'same', source: catalog.fieldById.get(same)! };
  if (field.role !== 'rate' || !field.measureId) return null;
  const m = catalog.measureById.get(field.measureId)!;
  const num = m.fields.find((f) => f.role === 'total') ?? m.fields.find((f) => f.role === 'num');
  const den = m.fields.find((f) => f.role === 'den');
  return num && den ? { kind: 'rate', num, den } : null;
}
