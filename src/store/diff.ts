/**
 * What changes between two submissions' figures, indicator by indicator: what a resubmission (or a restore) would put
 * in force in place of what is there. Figures are compared by their stored value (the number, or the normalised
 * text), not by how they were typed: "1.000" and "1000" are the same figure.
 */
import type { Store, SubmissionValue } from './store.ts';

export interface Figure {
  fieldId: string;
  /** The stored value: a number, or a text (Tăng/Giảm, evidence). */
  value: number | string | null;
  /** As typed in the file. */
  raw: string | null;
}

export interface FigureChange { fieldId: string; from: Figure; to: Figure }

export interface IndicatorDiff {
  indicatorId: string;
  added: Figure[];
  changed: FigureChange[];
  removed: Figure[];
}

export interface SubmissionDiff {
  fromId: number | null;
  toId: number;
  /** Only the indicators with a difference, in catalog id order. */
  indicators: IndicatorDiff[];
  added: number;
  changed: number;
  removed: number;
  unchanged: number;
}

const figure = (v: FigureRow): Figure => ({ fieldId: v.fieldId, value: v.num !== null ? v.num : v.text, raw: v.raw });

/** Compares fromId's figures (none when null: everything is added) with toId's. An unknown id throws. */
export async function diffSubmissions(store: Store, fromId: number | null, toId: number): Promise<SubmissionDiff> {
  for (const id of [fromId, toId]) if (id !== null && !(await store.submission(id))) throw new Error(`diffSubmissions: không có lần nhập #${id}`);
  return { fromId, toId, ...diffFigures(fromId === null ? [] : await store.valuesOf(fromId), await store.valuesOf(toId)) };
}

/** The figures stored in force against a file's figures before it is stored (what a resubmission would change). */
export type FigureRow = Pick<SubmissionValue, 'fieldId' | 'indicatorId' | 'num' | 'text' | 'raw'>;

export function diffFigures(beforeRows: FigureRow[], afterRows: FigureRow[]): Omit<SubmissionDiff, 'fromId' | 'toId'> {
  const before = new Map(beforeRows.map((v) => [v.fieldId, v]));
  const after = new Map(afterRows.map((v) => [v.fieldId, v]));
  const byIndicator = new Map<string, IndicatorDiff>();
  const entry = (indicatorId: string) => {
    let d = byIndicator.get(indicatorId);
    if (!d) byIndicator.set(indicatorId, (d = { indicatorId, added: [], changed: [], removed: [] }));
    return d;
  };
  let unchanged = 0;
  for (const [fieldId, v] of after) {
    const old = before.get(fieldId);
    if (!old) entry(v.indicatorId).added.push(figure(v));
    else if (figure(old).value !== figure(v).value) entry(v.indicatorId).changed.push({ fieldId, from: figure(old), to: figure(v) });
    else unchanged++;
  }
  for (const [fieldId, v] of before) if (!after.has(fieldId)) entry(v.indicatorId).removed.push(figure(v));
  const indicators = [...byIndicator.values()].sort((a, b) => compareIds(a.indicatorId, b.indicatorId));
  const count = (k: 'added' | 'changed' | 'removed') => indicators.reduce((n, d) => n + d[k].length, 0);
  return { indicators, added: count('added'), changed: count('changed'), removed: count('removed'), unchanged };
}

/** "1.2.10-a" after "1.2.9-b": numbers compared as numbers. */
function compareIds(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}
