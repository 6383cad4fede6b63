/**
 * The structured items of a narrative sheet (src/catalog/asks.ts), read from their cells: one item per row that holds
 * anything, its list choices matched to the catalog's lists (item_lists.csv) by label or code, whatever the case and
 * marks. A choice not in its list, or a row with its text but not its name or choice, is a warning on the cell (the row is
 * still stored, as typed): a narrative never stops a file. A row saying "Không có" is stored as saying none.
 */
import { listOption, type CatalogAsks, type ItemListName } from '../catalog/asks.ts';
import { ITEM_PARTS, parseItemFieldId, type ItemPart } from '../catalog/ids.ts';
import { finding } from '../findings/codes.ts';
import type { NewItem } from '../store/store.ts';
import { fold } from '../vi/fold.ts';
import { makeMessage, type Subject } from './messages.ts';
import type { IngestMessage, RawInput } from './types.ts';

/** What a unit writes when it has nothing to report ("Không có", "Không", "Chưa có"). */
export const SAYS_NONE = /^(khong co|khong|chua co|khong co y kien|khong co de xuat(, kien nghi)?)\.?$/;

const LIST_OF: Partial<Record<ItemPart, ItemListName>> = { nhom: 'category', loai: 'nominee', guiden: 'addressee' };
/** The part a row cannot do without, by kind of item, and how a finding names it. */
const ESSENTIAL: Record<NewItem['item'], { part: ItemPart; words: string }> = {
  highlight: { part: 'ten', words: 'tên mô hình, hoạt động' },
  difficulty: { part: 'nhom', words: 'nhóm' },
  proposal: { part: 'nhom', words: 'nhóm' },
  nomination: { part: 'ten', words: 'tên tập thể, cá nhân' },
};

interface Row { sectionId: string; item: NewItem['item']; n: number; cells: Map<ItemPart, { text: string; input: RawInput }> }

/**
 * The items of a file from its item cells' texts (already normalised, by field id), with the findings about them.
 * `subject` places a finding on its cell.
 */
export function readItems(
  asks: CatalogAsks, texts: Map<string, { text: string; input: RawInput }>, subject: (input: RawInput) => Subject,
): { items: NewItem[]; messages: IngestMessage[] } {
  const rows = new Map<string, Row>();
  for (const [fieldId, cell] of texts) {
    const id = parseItemFieldId(fieldId);
    if (!id) continue;
    const key = `${id.sectionId}|${id.item}|${id.n}`;
    const row = rows.get(key) ?? rows.set(key, { sectionId: id.sectionId, item: id.item, n: id.n, cells: new Map() }).get(key)!;
    row.cells.set(id.part, cell);
  }
  const items: NewItem[] = [];
  const messages: IngestMessage[] = [];
  for (const row of rows.values()) {
    const got = (p: ItemPart) => row.cells.get(p)?.text ?? null;
    const none = [...row.cells.values()].some((c) => SAYS_NONE.test(fold(c.text)));
    const choice = (part: ItemPart): { code: string | null; text: string | null } => {
      const list = LIST_OF[part];
      const cell = row.cells.get(part);
      if (!list || !cell) return { code: null, text: null };
      const option = listOption(asks, list, fold(cell.text), fold);
      if (!option) {
        messages.push(makeMessage(finding('bad_item', { problem: 'not_in_list', list, allowed: asks.lists[list].map((o) => o.label) }), subject(cell.input), cell.text));
      }
      return { code: option?.code ?? null, text: option ? null : cell.text };
    };
    const parts = ITEM_PARTS[row.item].parts as readonly ItemPart[];
    const first = parts.includes('nhom') ? choice('nhom') : parts.includes('loai') ? choice('loai') : { code: null, text: null };
    const addressee = parts.includes('guiden') ? choice('guiden') : { code: null, text: null };
    const essential = ESSENTIAL[row.item];
    if (!none && !row.cells.has(essential.part)) {
      const [any] = row.cells.values();
      messages.push(makeMessage(finding('bad_item', { problem: 'incomplete', missing: essential.words }), subject(any.input), any.text));
    }
    const textPart = row.item === 'highlight' ? 'ketqua' : row.item === 'nomination' ? 'thanhtich' : 'noidung';
    items.push({
      sectionId: row.sectionId, item: row.item, ordinal: row.n, choice: first.code, choiceText: first.text,
      name: got('ten'), text: got(textPart), addressee: addressee.code ?? addressee.text, none,
    });
  }
  items.sort((a, b) => a.sectionId.localeCompare(b.sectionId) || a.item.localeCompare(b.item) || a.ordinal - b.ordinal);
  return { items, messages };
}
