/**
 * The `_meta` contract moved to src/xlsx/meta.ts (its writer and its reader side by side); its names stay importable
 * from here for the modules that import them from the templates.
 */
export {
  CONTACT_FIELDS, CONTACT_KIND, EXPLANATION_KIND, META_KEYS, META_KINDS, META_SHEET, META_TABLE_HEADER, NARRATIVE_KIND,
  NARRATIVE_PLACEHOLDER, SHEETS, TEMPLATE_VERSION, explanationFieldId, narrativeFieldId,
  type MetaEntry, type MetaKey, type MetaKind, type TemplateMeta,
} from '../xlsx/meta.ts';
