/**
 * The units' structured items (highlights, difficulties, proposals with their addressee, nominations for commendation)
 * one by one, as the report lists them: a row each for the workbook's sheet of items (xlsx.ts), a line each under the
 * unit in Phụ lục III (narratives.ts). "Không có" is a row too: what the unit answered. The synthesis of the body
 * (items.ts) counts the same items.
 */
import { ITEM_KINDS, type ItemKind, type ItemListName } from '../../catalog/asks.ts';
import type { StoredItem } from '../../store/store.ts';
import type { ModelContext } from './context.ts';
import type { ItemRow } from './types.ts';
import { trimStop } from './text.ts';

/** What each kind of item is called in the report. */
export const ITEM_KIND_WORDS: Record<ItemKind, string> = {
  highlight: 'Mô hình, hoạt động nổi bật',
  difficulty: 'Khó khăn, tồn tại',
  proposal: 'Đề xuất, kiến nghị',
  nomination: 'Đề nghị khen thưởng',
};

export const NONE_WORDS = 'Không có';

/** The list whose option an item of a kind chooses (none for a highlight). */
const LIST_OF: Record<ItemKind, ItemListName | null> = { highlight: null, difficulty: 'category', proposal: 'category', nomination: 'nominee' };

function optionLabel(ctx: ModelContext, list: ItemListName | null, code: string | null, typed: string | null): string {
  if (!list) return '';
  return ctx.input.catalog.asks.lists[list].find((o) => o.code === code)?.label ?? typed ?? '';
}

/** "II.2. Khó khăn, tồn tại và nguyên nhân": the section as the report numbers it. */
function sectionTitle(ctx: ModelContext, sectionId: string): string {
  const n = ctx.input.catalog.narratives.find((x) => x.id === sectionId);
  return n ? `${n.reportSection}. ${n.title}` : sectionId;
}

function row(ctx: ModelContext, i: StoredItem): ItemRow {
  const clean = (s: string | null) => (s ? trimStop(s) : '');
  return {
    unitCode: i.unitCode,
    unitName: ctx.unitName.get(i.unitCode) ?? i.unitCode,
    sectionId: i.sectionId,
    section: sectionTitle(ctx, i.sectionId),
    kind: ITEM_KIND_WORDS[i.item],
    category: i.none ? '' : optionLabel(ctx, LIST_OF[i.item], i.choice, i.choiceText),
    name: i.none ? '' : clean(i.name),
    text: i.none ? NONE_WORDS : clean(i.text),
    addressee: i.none || i.item !== 'proposal' ? '' : optionLabel(ctx, 'addressee', i.addressee, i.addressee),
    none: i.none,
    item: i.item,
  };
}

/** Every item in force, in roster order, then the sections' order in the catalog, the kinds' order, the row's. */
export function itemRows(ctx: ModelContext): ItemRow[] {
  const sectionOrder = new Map(ctx.input.catalog.narratives.map((n, k) => [n.id, k]));
  const kindOrder = (k: ItemKind) => ITEM_KINDS.indexOf(k);
  return [...(ctx.input.items ?? [])]
    .sort((a, b) => ctx.byRoster(a.unitCode, b.unitCode) || (sectionOrder.get(a.sectionId) ?? 1e9) - (sectionOrder.get(b.sectionId) ?? 1e9) ||
      a.sectionId.localeCompare(b.sectionId) || kindOrder(a.item) - kindOrder(b.item) || a.ordinal - b.ordinal)
    .map((i) => row(ctx, i));
}

/**
 * One item as a line of Phụ lục III: "Đề xuất, kiến nghị (Kinh phí) với Ủy ban nhân dân Thành phố: Bố trí kinh phí …",
 * "Mô hình, hoạt động nổi bật: Thư viện số; kết quả: 1.091 lượt truy cập", "Khó khăn, tồn tại: Không có".
 */
export function itemLine(r: ItemRow): string {
  if (r.none) return `${r.kind}: ${NONE_WORDS}.`;
  const category = r.category ? ` (${r.category})` : '';
  // "Khác" names no one: the proposal is said without an addressee.
  const to = r.addressee && r.addressee !== 'Khác' ? ` với ${r.addressee}` : '';
  const head = `${r.kind}${category}${to}`;
  if (r.item === 'highlight') return `${head}: ${r.name}${r.text ? `; kết quả: ${r.text}` : ''}.`;
  if (r.item === 'nomination') return `${head}: ${r.name}${r.text ? `; thành tích: ${r.text}` : ''}.`;
  return `${head}: ${r.text || r.name}.`;
}
