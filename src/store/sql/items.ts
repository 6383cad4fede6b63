/**
 * The structured items of the narrative sheet (schema 8: narrative_items) through the query layer: written with their
 * file, read in force (as src/store/sqlite/items.ts).
 */
import type { Selectable } from 'kysely';
import type { NewItem, StoredItem } from '../store.ts';
import type { SqlSession } from './session.ts';
import type { NarrativeItemsTable } from './tables.ts';

/** Rows per INSERT: well under PostgreSQL's 65,535 parameters. */
const CHUNK = 500;

const item = (r: Selectable<NarrativeItemsTable>): NewItem => ({
  sectionId: r.section_id, item: r.item, ordinal: Number(r.ordinal), choice: r.choice, choiceText: r.choice_text, name: r.name,
  text: r.text, addressee: r.addressee, none: Number(r.says_none) === 1,
});

/** A file's items as the table's rows. */
export const itemRows = (submissionId: number, items: readonly NewItem[]) => items.map((i) => ({
  submission_id: submissionId, section_id: i.sectionId, item: i.item, ordinal: i.ordinal, choice: i.choice, choice_text: i.choiceText,
  name: i.name, text: i.text, addressee: i.addressee, says_none: i.none ? 1 : 0,
}));

/** Inside the file's transaction (writes.ts storeContents). */
export async function insertItems(s: SqlSession, submissionId: number, items: readonly NewItem[]): Promise<void> {
  const rows = itemRows(submissionId, items);
  for (let k = 0; k < rows.length; k += CHUNK) await s.db.insertInto('narrative_items').values(rows.slice(k, k + CHUNK)).execute();
}

export async function itemsOf(s: SqlSession, submissionId: number): Promise<NewItem[]> {
  const rows = await s.db.selectFrom('narrative_items').selectAll().where('submission_id', '=', submissionId)
    .orderBy('section_id').orderBy('item').orderBy('ordinal').execute();
  return rows.map(item);
}

export async function acceptedItems(s: SqlSession, year: number): Promise<StoredItem[]> {
  const rows = await s.db.selectFrom('narrative_items as i').innerJoin('submissions as s', 's.id', 'i.submission_id').selectAll('i').select('s.unit_code')
    .where('s.year', '=', year).where('s.status', '=', 'accepted')
    .orderBy('s.unit_code').orderBy('i.section_id').orderBy('i.item').orderBy('i.ordinal').execute();
  return rows.map((r) => ({ ...item(r), unitCode: r.unit_code, submissionId: Number(r.submission_id) }));
}
