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

/** `_meta` kind of a structured item's cell (a highlight, a difficulty, a proposal, a nomination: asks.ts). */
export const ITEM_KIND = 'item';

/** The parts of each kind of structured item, in the template's column order, and the id word of the kind. */
export const ITEM_PARTS = {
  highlight: { word: 'noibat', parts: ['ten', 'ketqua'] },
  difficulty: { word: 'khokhan', parts: ['nhom', 'noidung'] },
  proposal: { word: 'dexuat', parts: ['nhom', 'noidung', 'guiden'] },
  nomination: { word: 'khenthuong', parts: ['loai', 'ten', 'thanhtich'] },
} as const;
export type ItemPart = (typeof ITEM_PARTS)[keyof typeof ITEM_PARTS]['parts'][number];

/** One cell of a structured item: "item.kho_khan.khokhan.2.nhom". */
export const itemFieldId = (sectionId: string, item: keyof typeof ITEM_PARTS, n: number, part: ItemPart) =>
  `item.${sectionId}.${ITEM_PARTS[item].word}.${n}.${part}`;

/** The pieces of an item cell's id, or null for any other id. */
export function parseItemFieldId(id: string): { sectionId: string; item: keyof typeof ITEM_PARTS; n: number; part: ItemPart } | null {
  const m = /^item\.([A-Za-z0-9_-]+)\.([a-z]+)\.([1-9])\.([a-z]+)$/.exec(id);
  if (!m) return null;
  const item = (Object.keys(ITEM_PARTS) as (keyof typeof ITEM_PARTS)[]).find((k) => ITEM_PARTS[k].word === m[2]);
  if (!item || !(ITEM_PARTS[item].parts as readonly string[]).includes(m[4])) return null;
  return { sectionId: m[1], item, n: Number(m[3]), part: m[4] as ItemPart };
}
