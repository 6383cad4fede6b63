/** The structured items of the narrative sheet (schema 8: narrative_items): written with their file, read in force. */
import type { NewItem, StoredItem } from '../store.ts';
import type { SqliteConnection } from './connection.ts';

interface ItemRow {
  submission_id: number; unit_code?: string; section_id: string; item: NewItem['item']; ordinal: number; choice: string | null;
  choice_text: string | null; name: string | null; text: string | null; addressee: string | null; says_none: number;
}

const item = (r: ItemRow): NewItem => ({
  sectionId: r.section_id, item: r.item, ordinal: r.ordinal, choice: r.choice, choiceText: r.choice_text, name: r.name,
  text: r.text, addressee: r.addressee, none: r.says_none === 1,
});

/** Inside the file's transaction (writes.ts storeContents). */
export function insertItems(c: SqliteConnection, submissionId: number, items: readonly NewItem[]): void {
  const insert = c.statement(`
    INSERT INTO narrative_items (submission_id, section_id, item, ordinal, choice, choice_text, name, text, addressee, says_none)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  for (const i of items) insert.run(submissionId, i.sectionId, i.item, i.ordinal, i.choice, i.choiceText, i.name, i.text, i.addressee, i.none ? 1 : 0);
}

export function itemsOf(c: SqliteConnection, submissionId: number): NewItem[] {
  return (c.statement('SELECT * FROM narrative_items WHERE submission_id = ? ORDER BY section_id, item, ordinal').all(submissionId) as unknown as ItemRow[]).map(item);
}

export function acceptedItems(c: SqliteConnection, year: number): StoredItem[] {
  const rows = c.statement(`
    SELECT i.*, s.unit_code FROM narrative_items i JOIN submissions s ON s.id = i.submission_id
    WHERE s.year = ? AND s.status = 'accepted' ORDER BY s.unit_code, i.section_id, i.item, i.ordinal`).all(year) as unknown as ItemRow[];
  return rows.map((r) => ({ ...item(r), unitCode: r.unit_code!, submissionId: r.submission_id }));
}
