/**
 * The structured items of a narrative section on the BaoCao sheet (seeds/catalog/narrative_items.csv): a small table
 * under the section's text, one row per item, its cells in columns B–D: a highlight (model or activity, one-line
 * result), a difficulty (category, text), a proposal (category, text, addressee), a nomination for commendation
 * (collective or individual, name, achievement). Lists come from item_lists.csv.
 */
import type ExcelJS from 'exceljs';
import type { CatalogAsks, ItemAsk, ItemListName } from '../catalog/asks.ts';
import { ITEM_KIND, ITEM_PARTS, itemFieldId, type ItemPart } from '../catalog/ids.ts';
import { SHEETS, type MetaEntry } from '../xlsx/meta.ts';
import type { Sized } from './row-heights.ts';
import { INPUT_STYLE, STYLE } from './styles.ts';
import { itemListValidation, ITEM_TEXT_VALIDATION } from './validations.ts';

interface PartLayout { header: string; list?: ItemListName }

/** Column titles and lists of each part. */
const PART_LAYOUT: Record<ItemPart, PartLayout> = {
  ten: { header: 'Tên' },
  ketqua: { header: 'Kết quả (một dòng)' },
  nhom: { header: 'Nhóm', list: 'category' },
  noidung: { header: 'Nội dung' },
  guiden: { header: 'Kiến nghị với', list: 'addressee' },
  loai: { header: 'Tập thể / Cá nhân', list: 'nominee' },
  thanhtich: { header: 'Thành tích' },
};

/** Titles that depend on the kind of item. */
const HEADERS: Partial<Record<ItemAsk['item'], Partial<Record<ItemPart, string>>>> = {
  highlight: { ten: 'Mô hình, hoạt động' },
  difficulty: { noidung: 'Nội dung (một dòng)' },
  nomination: { ten: 'Tên tập thể, cá nhân' },
};
const ROW_WORD: Record<ItemAsk['item'], string> = { highlight: 'Nổi bật', difficulty: 'Khó khăn', proposal: 'Đề xuất', nomination: 'Khen thưởng' };

/** The row label of an item: ingest finds the row by it (layout check). */
export const itemRowLabel = (ask: ItemAsk, n: number) => `${ROW_WORD[ask.item]} ${n}`;

/** Where each part sits: columns B, C, D; of two parts, the second covers C:D. */
function columnsOf(parts: readonly ItemPart[]): { part: ItemPart; col: number; span: number }[] {
  return parts.map((part, i) => ({ part, col: 2 + i, span: parts.length === 2 && i === 1 ? 2 : 1 }));
}

/** Writes one item table from row `r`; returns the next free row. */
export function writeItems(sheet: ExcelJS.Worksheet, r: number, ask: ItemAsk, asks: CatalogAsks, entries: MetaEntry[], sized: Sized[]): number {
  const layout = columnsOf(ITEM_PARTS[ask.item].parts);
  const title = `${ask.label} (tối đa ${ask.slots} dòng; không có thì ghi "Không có" ở dòng đầu)`;
  Object.assign(sheet.getCell(r, 1), { value: title, style: STYLE.bold });
  sized.push({ cell: sheet.getCell(r, 1), rows: 1, text: title, width: 42 });
  for (const { part, col, span } of layout) {
    if (span === 2) sheet.mergeCells(r, col, r, col + 1);
    Object.assign(sheet.getCell(r, col), { value: HEADERS[ask.item]?.[part] ?? PART_LAYOUT[part].header, style: STYLE.header });
  }
  r++;
  for (let n = 1; n <= ask.slots; n++) {
    Object.assign(sheet.getCell(r, 1), { value: itemRowLabel(ask, n), style: STYLE.text });
    for (const { part, col, span } of layout) {
      if (span === 2) sheet.mergeCells(r, col, r, col + 1);
      const input = sheet.getCell(r, col);
      input.style = INPUT_STYLE.text;
      const list = PART_LAYOUT[part].list;
      input.dataValidation = list ? itemListValidation(list, asks.lists[list].map((o) => o.label)) : ITEM_TEXT_VALIDATION;
      entries.push({ fieldId: itemFieldId(ask.sectionId, ask.item, n, part), indicatorId: '', kind: ITEM_KIND, sheet: SHEETS.narrative, cell: input.address });
    }
    sized.push({ cell: sheet.getCell(r, 2), rows: 1, text: '\n', width: 24 });
    r++;
  }
  return r;
}
