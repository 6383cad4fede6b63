/**
 * The activity figures beside the narrative sections (narrative_figures.csv): each unit's figures as a sentence for
 * Phụ lục III, and their sums over the units for the section's synthesis ("34/36 đơn vị báo cáo số liệu; các đơn vị đã
 * tổ chức 1.234 hoạt động hưởng ứng Tuần lễ, thu hút 56.789 lượt người tham gia").
 */
import type { NarrativeFigure, NarrativeSection } from '../../catalog/types.ts';
import { formatNumberVi } from '../../vi/numbers.ts';
import type { ModelContext } from './context.ts';
import type { NarrativeFigureValue } from './types.ts';

/** Every unit's figures, by unit code then figure id (accepted submissions; a value the store has not, left out). */
export function figuresByUnit(ctx: ModelContext): Map<string, Map<string, number>> {
  const known = new Set(ctx.input.catalog.narratives.flatMap((n) => n.figures.map((f) => f.id)));
  const out = new Map<string, Map<string, number>>();
  for (const v of ctx.input.figures) {
    if (!known.has(v.field_id) || v.value_num === null) continue;
    (out.get(v.unit_code) ?? out.set(v.unit_code, new Map()).get(v.unit_code)!).set(v.field_id, Number(v.value_num));
  }
  return out;
}

const phraseOf = (f: NarrativeFigure, n: number) => f.phrase.replace('{n}', formatNumberVi(n, 0));

/** One unit's figures of a section, in the catalog's order. */
export function unitFigures(section: NarrativeSection, values: Map<string, number> | undefined): NarrativeFigureValue[] {
  if (!values) return [];
  return section.figures.filter((f) => values.has(f.id)).map((f) => {
    const value = values.get(f.id)!;
    return { id: f.id, label: f.label, unit: f.unit, value, text: phraseOf(f, value) };
  });
}

/** "Số liệu: đã tổ chức 12 hoạt động hưởng ứng Tuần lễ, thu hút 1.500 lượt người tham gia." ('' without figures). */
export function figuresLine(figures: NarrativeFigureValue[]): string {
  return figures.length ? `Số liệu: đã ${figures.map((f) => f.text).join(', ')}.` : '';
}

/**
 * The sums of the sections' figures over every unit that gave them, as one sentence ('' when no unit gave any). A
 * figure fewer units gave than the section's says how many did.
 */
export function figuresSynthesis(ctx: ModelContext, sections: NarrativeSection[], byUnit: Map<string, Map<string, number>>): string {
  const figures = sections.flatMap((s) => s.figures);
  if (!figures.length) return '';
  const reporters = [...byUnit.entries()].filter(([, v]) => figures.some((f) => v.has(f.id))).length;
  if (!reporters) return '';
  const parts: string[] = [];
  for (const f of figures) {
    let sum = 0;
    let gave = 0;
    for (const v of byUnit.values()) {
      if (!v.has(f.id)) continue;
      sum += v.get(f.id)!;
      gave++;
    }
    if (gave) parts.push(`${phraseOf(f, sum)}${gave < reporters ? ` (số liệu của ${gave} đơn vị)` : ''}`);
  }
  return `${reporters}/${ctx.totalUnits} đơn vị báo cáo số liệu; các đơn vị đã ${parts.join(', ')}.`;
}
