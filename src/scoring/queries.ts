/**
 * The plausibility queries raised on a year's accepted files (src/ingest/checks/queries.ts) and the units' answers
 * ("Giải trình", kept with the accepted figures): read through the store, as findings (src/findings).
 */
import { explanationFieldId } from '../catalog/ids.ts';
import { CODES, isQuery, type Code } from '../findings/codes.ts';
import { findingText } from '../findings/render.ts';
import { storedFinding } from '../findings/stored.ts';
import type { Store, StoredQuery } from '../store/store.ts';
import type { QueryNote } from './types.ts';

const QUERY_CODES = (Object.keys(CODES) as Code[]).filter(isQuery);

/** indicator id → its queries, in unit code order. */
export async function queriesOfYear(db: Store, year: number, unitName: (code: string) => string): Promise<Map<string, QueryNote[]>> {
  const out = new Map<string, QueryNote[]>();
  for (const q of await db.queriesOfYear(year, QUERY_CODES, explanationFieldId)) {
    const note: QueryNote = { unitCode: q.unitCode, unitName: unitName(q.unitCode), code: q.code, ...said(q), answered: q.answer !== null, explanation: q.answer };
    (out.get(q.indicatorId) ?? out.set(q.indicatorId, []).get(q.indicatorId)!).push(note);
  }
  return out;
}

/** A stored query as data with the unit's answer, and its sentence; a row stored before schema 4 keeps its own. */
function said(q: StoredQuery): Pick<QueryNote, 'finding' | 'text'> {
  const stored = storedFinding(q);
  if (!stored) return { finding: null, text: q.text };
  const finding = { ...stored, answered: q.answer !== null, explanation: q.answer };
  return { finding, text: findingText(finding) };
}
