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

/** The contact block of a template: who filled it in. */
export const CONTACT_FIELDS = [
  { id: 'contact.name', key: 'name', label: 'Người lập biểu' },
  { id: 'contact.position', key: 'position', label: 'Chức vụ' },
  { id: 'contact.phone', key: 'phone', label: 'Điện thoại' },
  { id: 'contact.email', key: 'email', label: 'Email' },
] as const;
