/**
 * The queries raised on a year's accepted files (src/ingest/checks/queries.ts), their kind (codes.ts), the units'
 * answers ("Giải trình", kept with the accepted figures) and the analyst's confirmations (hoctap confirm): read through
 * the store, as findings (src/findings). An unanswered, unconfirmed impossibility leaves its indicator without a verdict.
 */
import { explanationFieldId } from '../catalog/ids.ts';
import { CODES, isCode, isQuery, queryKind, type Code } from '../findings/codes.ts';
import { findingText } from '../findings/render.ts';
import { storedFinding } from '../findings/stored.ts';
import type { Store, StoredQuery } from '../store/store.ts';
import type { QueryNote } from './types.ts';

const QUERY_CODES = (Object.keys(CODES) as Code[]).filter(isQuery);

/** indicator id → its queries, in unit code order. */
export async function queriesOfYear(db: Store, year: number, unitName: (code: string) => string): Promise<Map<string, QueryNote[]>> {
  const out = new Map<string, QueryNote[]>();
  const confirmed = new Map<string, QueryNote['confirmation']>();
  // The latest confirmation of the submission in force counts (one made over an earlier file of the unit does not).
  for (const c of await db.confirmationsOfYear(year)) confirmed.set(`${c.submissionId}|${c.indicatorId}`, { reason: c.reason, user: c.user, at: c.at });
  for (const q of await db.queriesOfYear(year, QUERY_CODES, explanationFieldId)) {
    const note: QueryNote = {
      unitCode: q.unitCode, unitName: unitName(q.unitCode), code: q.code, ...said(q), answered: q.answer !== null, explanation: q.answer,
      kind: (isCode(q.code) ? queryKind(q.code) : null) ?? 'plausibility', confirmation: confirmed.get(`${q.submissionId}|${q.indicatorId}`) ?? null,
    };
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

/** A query that leaves its indicator without a verdict: an impossibility neither explained by the unit nor confirmed. */
export const isOpenImpossibility = (q: QueryNote): boolean => q.kind === 'impossibility' && !q.answered && q.confirmation === null;
