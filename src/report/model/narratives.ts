/**
 * The narrative sections (partial narrative.hbs): the units' texts grouped by section of the outline, then by unit in
 * roster order; texts of sections the outline does not know are kept apart so that nothing is dropped.
 */
import type { ModelContext } from './context.ts';
import type { NarrativeBlock } from './types.ts';
import { cleanNarrative, splitParagraphs } from './text.ts';

export const NARRATIVE_OUTLINE = ['I.1', 'I.2', 'I.4', 'I.5', 'II.2', 'III', 'IV'] as const;

export interface Narratives {
  /** The block of an outline section, numbered and titled for where it is printed (the catalog's title by default). */
  section: (code: string, number: string, title?: string) => NarrativeBlock;
  /** The catalog's title of an outline section, if it has one. */
  titleOf: (code: string) => string | undefined;
  other: NarrativeBlock[];
}

const inOutline = (code: string) => (NARRATIVE_OUTLINE as readonly string[]).includes(code);

export function buildNarratives(ctx: ModelContext): Narratives {
  const { catalog } = ctx.input;
  const sectionOf = new Map(catalog.narratives.map((n) => [n.id, n]));
  const blocks = new Map<string, NarrativeBlock>();
  const other = new Map<string, NarrativeBlock>();
  const blockFor = (code: string, title: string) => {
    let b = blocks.get(code);
    if (!b) blocks.set(code, (b = { number: '', title, entries: [], empty: true }));
    return b;
  };
  for (const n of catalog.narratives) if (inOutline(n.reportSection)) blockFor(n.reportSection, n.title);

  const rows = [...ctx.input.narratives].sort((a, b) => ctx.byRoster(a.unit_code, b.unit_code));
  for (const r of rows) {
    const text = cleanNarrative(r.text);
    if (!text) continue;
    const section = sectionOf.get(r.section_id);
    let block: NarrativeBlock;
    if (section && inOutline(section.reportSection)) {
      block = blockFor(section.reportSection, section.title);
    } else {
      const key = section ? section.id : r.section_id;
      block = other.get(key) ?? { number: '', title: section?.title ?? `Nội dung “${r.section_id}”`, entries: [], empty: true };
      other.set(key, block);
    }
    block.entries.push({ unitName: ctx.unitName.get(r.unit_code) ?? r.unit_code, paragraphs: splitParagraphs(text) });
    block.empty = false;
  }
  return {
    section: (code, number, title) => {
      const b = blocks.get(code) ?? { number: '', title: title ?? '', entries: [], empty: true };
      return { ...b, number, title: title ?? b.title };
    },
    titleOf: (code) => blocks.get(code)?.title,
    other: [...other.values()].map((b, k) => ({ ...b, number: String(k + 1) })),
  };
}
