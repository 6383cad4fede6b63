/**
 * The narrative sections (partials narrative.hbs, narrative-body.hbs): each starts with the issuing department's own
 * text, then the sums of the units' activity figures, then how many other units wrote on it, by group; their full
 * texts and figures go to Phụ lục III (appendix-texts.ts). I.1 has its sub-items 1.1 and 1.2 as the city's outline
 * (seeds/sources/002) has them. Texts of sections the outline does not know are kept apart so that nothing is dropped;
 * texts of a retired section (RETIRED_NARRATIVES) go under the report section they stood for.
 */
import { RETIRED_NARRATIVES } from '../../catalog/ids.ts';
import type { NarrativeSection } from '../../catalog/types.ts';
import type { ModelContext } from './context.ts';
import { figuresByUnit, figuresLine, figuresSynthesis, unitFigures } from './narrative-figures.ts';
import type { NarrativeBlock, NarrativeEntry } from './types.ts';
import { cleanNarrative, splitParagraphs } from './text.ts';
import { highlightLines } from './items.ts';
import { itemLine, itemRows } from './item-rows.ts';

export const NARRATIVE_OUTLINE = ['I.1', 'I.1.1', 'I.1.2', 'I.2', 'I.4', 'I.5', 'II.2', 'III', 'IV'] as const;

/** Headings the city's outline (seeds/sources/002, "NỘI DUNG BÁO CÁO") gives in full, over the catalog's short titles. */
export const OUTLINE_HEADINGS: Partial<Record<string, string>> = {
  'I.1': 'Công tác chỉ đạo, tổ chức triển khai thực hiện Kế hoạch',
  'I.5': 'Công tác triển khai thực hiện Chương trình “Xây dựng mô hình Công dân học tập giai đoạn 2021 - 2030”',
};

export interface Narratives {
  /** The block of an outline section, numbered and titled for where it is printed (the outline's title by default). */
  section: (code: string, number: string, title?: string) => NarrativeBlock;
  /** The title of an outline section: the outline's heading, else the catalog's. */
  titleOf: (code: string) => string | undefined;
  other: NarrativeBlock[];
}

const inOutline = (code: string) => (NARRATIVE_OUTLINE as readonly string[]).includes(code);

interface Building { block: NarrativeBlock; sections: NarrativeSection[]; byUnit: Map<string, NarrativeEntry>; writers: Set<string> }

/** The blocks being built: the outline's by report section, the others by section id; the entry of a unit in each. */
function buildings(ctx: ModelContext) {
  const sectionOf = new Map(ctx.input.catalog.narratives.map((n) => [n.id, n]));
  const blocks = new Map<string, Building>();
  const other = new Map<string, Building>();
  const newBuilding = (title: string): Building => ({ block: emptyBlock(title), sections: [], byUnit: new Map(), writers: new Set() });
  const blockFor = (code: string, title: string) => {
    let b = blocks.get(code);
    if (!b) blocks.set(code, (b = newBuilding(OUTLINE_HEADINGS[code] ?? title)));
    return b;
  };
  for (const n of ctx.input.catalog.narratives) if (inOutline(n.reportSection)) blockFor(n.reportSection, n.title).sections.push(n);
  /** Where a section's texts and items go: its outline section, a retired section's, or a block of its own. */
  const buildingOf = (sectionId: string): Building => {
    const section = sectionOf.get(sectionId);
    const retired = section ? undefined : RETIRED_NARRATIVES[sectionId];
    if (section && inOutline(section.reportSection)) return blockFor(section.reportSection, section.title);
    if (retired && inOutline(retired.reportSection)) return blockFor(retired.reportSection, retired.title);
    const key = section ? section.id : sectionId;
    const b = other.get(key) ?? newBuilding(section?.title ?? retired?.title ?? `Nội dung “${sectionId}”`);
    other.set(key, b);
    return b;
  };
  const entryOf = (b: Building, unitCode: string) => {
    let e = b.byUnit.get(unitCode);
    if (!e) {
      e = { unitName: ctx.unitName.get(unitCode) ?? unitCode, paragraphs: [], isLead: unitCode === ctx.leadUnit?.code, figures: [], figuresLine: '', items: [] };
      b.byUnit.set(unitCode, e);
    }
    return e;
  };
  return { blocks, other, buildingOf, entryOf };
}

export function buildNarratives(ctx: ModelContext): Narratives {
  const { blocks, other, buildingOf, entryOf } = buildings(ctx);
  for (const r of ctx.input.narratives) {
    const text = cleanNarrative(r.text);
    if (!text) continue;
    const b = buildingOf(r.section_id);
    entryOf(b, r.unit_code).paragraphs.push(...splitParagraphs(text));
    b.writers.add(r.unit_code);
  }
  // Each unit's structured items, a line each under its text in Phụ lục III.
  for (const r of itemRows(ctx)) entryOf(buildingOf(r.sectionId), r.unitCode).items.push(itemLine(r));

  const figures = figuresByUnit(ctx);
  for (const b of blocks.values()) {
    for (const [unitCode, values] of figures) {
      const own = b.sections.flatMap((s) => unitFigures(s, values));
      if (own.length) entryOf(b, unitCode).figures.push(...own);
    }
    b.block.figures = figuresSynthesis(ctx, b.sections, figures);
    // The highlights the units named beside their texts (narrative_items.csv), with their units.
    b.block.points = highlightLines(ctx, b.sections.map((s) => s.id));
  }
  for (const b of [...blocks.values(), ...other.values()]) {
    const entries = [...b.byUnit.entries()].sort(([a], [c]) => ctx.byRoster(a, c)).map(([, e]) => ({ ...e, figuresLine: figuresLine(e.figures) }));
    Object.assign(b.block, {
      entries, empty: !entries.length && !b.block.points.length, lead: entries.filter((e) => e.isLead).flatMap((e) => e.paragraphs),
      synthesis: synthesis(ctx, b.writers),
    });
  }
  sayCoverageOnce(NARRATIVE_OUTLINE.map((code) => blocks.get(code)?.block));
  return {
    section: (code, number, title) => {
      const b = blocks.get(code)?.block ?? emptyBlock(title ?? OUTLINE_HEADINGS[code] ?? '');
      return { ...b, number, title: title ?? b.title };
    },
    titleOf: (code) => blocks.get(code)?.block.title,
    other: [...other.values()].map((b, k) => ({ ...b.block, number: String(k + 1) })),
  };
}

function emptyBlock(title: string): NarrativeBlock {
  return { number: '', title, entries: [], empty: true, lead: [], figures: '', synthesis: '', points: [], sub: false, subsections: [], written: null };
}

/**
 * How many units wrote, and where their texts are, is said once (issue 23: eight times the same sentence is no
 * synthesis): under the first section of the outline that has it. A later section keeps a short pointer only when it
 * has nothing else to say of the units (no figures, no highlights).
 */
function sayCoverageOnce(blocks: (NarrativeBlock | undefined)[]): void {
  let said = false;
  for (const b of blocks) {
    if (!b?.synthesis) continue;
    if (!said) { said = true; continue; }
    b.synthesis = b.figures || b.points.length ? '' : b.synthesis.replace(/^.*toàn văn báo cáo của từng đơn vị tại /u, 'Nội dung báo cáo của các đơn vị: ');
  }
}

/** A block with its sub-items ("1.1", "1.2"): printed under its heading, which stays even when it has no text of its own. */
export function withSubsections(parent: NarrativeBlock, subsections: NarrativeBlock[]): NarrativeBlock {
  return { ...parent, subsections: subsections.map((s) => ({ ...s, sub: true })) };
}

/**
 * "Ngoài Sở …, 30/33 đơn vị khác đã báo cáo nội dung này (9/11 sở, ngành, cơ quan, tổ chức; 21/22 Ủy ban nhân dân quận,
 * huyện, thành phố Thủ Đức); toàn văn tại Phụ lục III." One count per group of units: an agency with several units (the
 * districts, the communes) is a group of its own, agencies of one unit are counted together.
 */
function synthesis(ctx: ModelContext, writers: Set<string>): string {
  const lead = ctx.leadUnit;
  const units = [...ctx.agencyOf.keys()].filter((c) => c !== lead?.code);
  const wrote = [...writers].filter((c) => c !== lead?.code);
  if (!wrote.length) return lead && writers.has(lead.code) ? 'Các đơn vị khác chưa báo cáo nội dung này.' : '';
  const size = new Map<string, number>();
  for (const c of units) size.set(ctx.agencyOf.get(c)!, (size.get(ctx.agencyOf.get(c)!) ?? 0) + 1);
  const groupOf = (c: string) => ((size.get(ctx.agencyOf.get(c) ?? '') ?? 0) > 1 ? ctx.agencyOf.get(c)! : '');
  const groups = new Map<string, { all: number; wrote: number }>();
  for (const c of units) {
    const g = groups.get(groupOf(c)) ?? { all: 0, wrote: 0 };
    g.all++;
    groups.set(groupOf(c), g);
  }
  for (const c of wrote) groups.get(groupOf(c))!.wrote++;
  const name = (g: string) => (g ? ctx.input.catalog.agencyByCode.get(g)?.name ?? g : 'sở, ngành, cơ quan, tổ chức');
  const parts = [...groups.entries()].filter(([, g]) => g.wrote > 0).map(([g, n]) => `${n.wrote}/${n.all} ${name(g)}`);
  const where = ctx.separateAnnex ? 'Phụ lục III (tài liệu riêng kèm theo Báo cáo)' : 'Phụ lục III';
  const who = !lead ? `${wrote.length}/${units.length} đơn vị`
    : writers.has(lead.code) ? `Ngoài ${lead.name}, ${wrote.length}/${units.length} đơn vị khác`
    : `${wrote.length}/${units.length} đơn vị (ngoài ${lead.name})`;
  return `${who} đã báo cáo nội dung này (${parts.join('; ')}); toàn văn báo cáo của từng đơn vị tại ${where}.`;
}
