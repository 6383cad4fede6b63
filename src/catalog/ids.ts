/**
 * How the id of an input is built: every indicator's evidence field, the narrative sections and the contact block.
 * These ids travel in the templates' `_meta` map, the CSV format and the store: the one place that writes them.
 */

/** The automatic evidence / notes field of every indicator. */
export const evidenceFieldId = (indicatorId: string) => `${indicatorId}.minhchung`;

/**
 * The unit's explanation ("Giải trình") of an indicator's figures: answers a query (a plausibility warning) without
 * changing a true figure.
 */
export const explanationFieldId = (indicatorId: string) => `${indicatorId}.giaitrinh`;

/** `_meta` kinds of the inputs that are not indicator fields. */
export const NARRATIVE_KIND = 'narrative';
export const CONTACT_KIND = 'contact';
export const EXPLANATION_KIND = 'explanation';

export const narrativeFieldId = (sectionId: string) => `narrative.${sectionId}`;

/**
 * An activity figure of a narrative section (narrative_figures.csv): a whole number ≥ 0 beside the section's text
 * ("narrative.tuan_le.luot"), stored like an indicator's figure but belonging to no indicator.
 */
export const narrativeFigureId = (sectionId: string, code: string) => `${narrativeFieldId(sectionId)}.${code}`;

/**
 * Narrative sections no longer asked, and the report section their texts stand for: texts already stored under them
 * are printed there, never dropped. `chi_dao` (template version 1) asked I.1 as one text; I.1.1 and I.1.2 replaced it.
 */
export const RETIRED_NARRATIVES: Readonly<Record<string, { reportSection: string; title: string }>> = {
  chi_dao: { reportSection: 'I.1', title: 'Công tác chỉ đạo, tổ chức triển khai thực hiện Kế hoạch' },
};

/** The contact block of a template: who filled it in. */
export const CONTACT_FIELDS = [
  { id: 'contact.name', key: 'name', label: 'Người lập biểu' },
  { id: 'contact.position', key: 'position', label: 'Chức vụ' },
  { id: 'contact.phone', key: 'phone', label: 'Điện thoại' },
  { id: 'contact.email', key: 'email', label: 'Email' },
] as const;
