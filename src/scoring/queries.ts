/**
 * The plausibility queries raised on a year's accepted files (src/ingest/checks/queries.ts) and the units' answers
 * ("Giải trình", kept with the accepted figures): read through the store's functions, as findings (src/findings).
 */
import type { DatabaseSync } from 'node:sqlite';
import { explanationFieldId } from '../catalog/ids.ts';
import { isCode, isQuery } from '../findings/codes.ts';
import { findingText } from '../findings/render.ts';
import { storedFinding } from '../findings/stored.ts';
import { messagesOf, submissionsOfYear, type MessageRow } from '../store/queries.ts';
import type { YearData } from './consolidate.ts';
import type { QueryNote } from './types.ts';

/** indicator id → its queries, in unit code order. */
export function queriesOfYear(db: DatabaseSync, data: YearData, unitName: (code: string) => string): Map<string, QueryNote[]> {
  const out = new Map<string, QueryNote[]>();
  for (const s of submissionsOfYear(db, data.year)) {
    if (s.status !== 'accepted' || s.warning_count === 0) continue;
    for (const m of messagesOf(db, s.id)) {
      if (m.severity !== 'warning' || !m.indicator_id || !isCode(m.code) || !isQuery(m.code)) continue;
      const explanation = data.values.get(s.unit_code)?.get(explanationFieldId(m.indicator_id))?.text?.trim() || null;
      const note: QueryNote = { unitCode: s.unit_code, unitName: unitName(s.unit_code), code: m.code, ...said(m, explanation), answered: explanation !== null, explanation };
      (out.get(m.indicator_id) ?? out.set(m.indicator_id, []).get(m.indicator_id)!).push(note);
    }
  }
  return out;
}

/** A stored query as data with the unit's answer, and its sentence; a row stored before schema 4 keeps its own. */
function said(m: MessageRow, explanation: string | null): Pick<QueryNote, 'finding' | 'text'> {
  const stored = storedFinding(m);
  if (!stored) return { finding: null, text: m.text };
  const finding = { ...stored, answered: explanation !== null, explanation };
  return { finding, text: findingText(finding) };
}
