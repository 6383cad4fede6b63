/**
 * The plausibility queries raised on a year's accepted files (src/ingest/checks/queries.ts) and the units' answers
 * ("Giải trình", kept with the accepted figures): read through the store's functions.
 */
import type { DatabaseSync } from 'node:sqlite';
import { explanationFieldId } from '../catalog/ids.ts';
import { CODES, isQuery, type Code } from '../ingest/codes.ts';
import { messagesOf, submissionsOfYear } from '../store/queries.ts';
import type { YearData } from './consolidate.ts';
import type { QueryNote } from './types.ts';

/** indicator id → its queries, in unit code order. */
export function queriesOfYear(db: DatabaseSync, data: YearData, unitName: (code: string) => string): Map<string, QueryNote[]> {
  const out = new Map<string, QueryNote[]>();
  for (const s of submissionsOfYear(db, data.year)) {
    if (s.status !== 'accepted' || s.warning_count === 0) continue;
    for (const m of messagesOf(db, s.id)) {
      if (m.severity !== 'warning' || !m.indicator_id || !(m.code in CODES) || !isQuery(m.code as Code)) continue;
      const explanation = data.values.get(s.unit_code)?.get(explanationFieldId(m.indicator_id))?.text?.trim() || null;
      const note: QueryNote = { unitCode: s.unit_code, unitName: unitName(s.unit_code), code: m.code, text: m.text, answered: explanation !== null, explanation };
      (out.get(m.indicator_id) ?? out.set(m.indicator_id, []).get(m.indicator_id)!).push(note);
    }
  }
  return out;
}
