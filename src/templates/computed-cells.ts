/**
 * The cells of the indicators sheet that the template computes (a rate from its counts, a quantity asked once and
 * repeated: src/catalog/asks.ts computedFrom) and the indicator's cell with its definition and reference date.
 */
import { asOfText, computedFrom } from '../catalog/asks.ts';
import type { Field, Indicator } from '../catalog/types.ts';
import type { Workspace } from '../catalog/workspace.ts';

/**
 * The formula of a computed field, from the cells already written (`cellOf`); null when the field is an ordinary input
 * (not computed, or its inputs are not in this template, or not above it).
 */
export function computedFormula(ws: Workspace, f: Field, cellOf: Map<string, string>): { formula: string; unitNote: string } | null {
  const c = computedFrom(ws.catalog, f);
  if (!c) return null;
  if (c.kind === 'same') {
    const src = cellOf.get(c.source.id);
    return src ? { formula: `IF(ISNUMBER(${src}),${src},"")`, unitNote: `(lấy ở ô ${src})` } : null;
  }
  const num = cellOf.get(c.num.id);
  const den = cellOf.get(c.den.id);
  if (!num || !den) return null;
  return { formula: `IF(AND(ISNUMBER(${num}),ISNUMBER(${den}),${den}>0),ROUND(${num}/${den}*100,2),"")`, unitNote: '(tự tính)' };
}

/**
 * The indicator's cell: its id and words, then its definition and the date its figures refer to, on lines of their own
 * (plain text: readers of the template find an indicator by the "[id]" its cell starts with).
 */
export function indicatorCellText(ws: Workspace, ind: Indicator, year: number): string {
  const def = ws.catalog.asks.definitions.get(ind.id)?.definition;
  return [`[${ind.id}] ${ind.text}`, ...(def ? [`Định nghĩa: ${def}`] : []), `Số liệu tính đến: ${asOfText(ws.catalog.asks, ind.id, year)}.`].join('\n');
}
