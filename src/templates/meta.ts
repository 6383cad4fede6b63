/**
 * The `_meta` sheet: the public contract between a generated template and whoever reads or fills it
 * (hoctap ingest, or another program). Documented in README; change only by raising TEMPLATE_VERSION.
 *
 * Layout of the veryHidden sheet `_meta`:
 *   rows 1..n   key | value          (META_KEYS, in this order)
 *   one empty row
 *   header row  field_id | indicator_id | kind | sheet | cell
 *   one row per input cell (cell in A1 notation, sheet by name)
 */
export const META_SHEET = '_meta';
export const TEMPLATE_VERSION = '1';

export const META_KEYS = [
  'template_version', 'catalog_version', 'profile', 'year', 'unit_code', 'unit_name', 'agency_code', 'generated_at',
] as const;
export type MetaKey = (typeof META_KEYS)[number];

export const META_TABLE_HEADER = ['field_id', 'indicator_id', 'kind', 'sheet', 'cell'] as const;

/** Sheet names: ASCII, no spaces (they are referenced by formulas and other programs). */
export const SHEETS = {
  instructions: 'HuongDan',
  indicators: 'ChiSo',
  narrative: 'BaoCao',
} as const;

/** Input cells that are not indicator fields: their kind in `_meta` and their field ids (built in src/catalog/ids.ts). */
export { CONTACT_FIELDS, CONTACT_KIND, NARRATIVE_KIND, narrativeFieldId } from '../catalog/ids.ts';

/** The text a narrative cell holds until the unit writes its own (ingest warns when it is left). */
export const NARRATIVE_PLACEHOLDER = 'Đơn vị ghi nội dung vào ô này (xóa dòng hướng dẫn này).';

export interface MetaEntry {
  fieldId: string;
  indicatorId: string;
  kind: string;
  sheet: string;
  cell: string;
}

export interface TemplateMeta {
  keys: Record<MetaKey, string>;
  entries: MetaEntry[];
}
