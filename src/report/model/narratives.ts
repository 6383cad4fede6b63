/**
 * The narrative sections (partials narrative.hbs, narrative-body.hbs): each starts with the issuing department's own
 * text, then says how many other units wrote on it, by group; their full texts go to Phụ lục III (appendix-texts.ts).
 * Texts of sections the outline does not know are kept apart so that nothing is dropped.
 */
import type { ModelContext } from './context.ts';
import type { NarrativeBlock } from './types.ts';
import { cleanNarrative, splitParagraphs } from './text.ts';

export const NARRATIVE_OUTLINE = ['I.1', 'I.2', 'I.4', 'I.5', 'II.2', 'III', 'IV'] as const;

/** Headings the city's outline (seeds/sources/002, "NỘI DUNG BÁO CÁO") gives in full, over the catalog's short titles. */
export const OUTLINE_HEADINGS: Partial<Record<string, string>> = {
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

export function buildNarratives(ctx: ModelContext): Narratives {
  const { catalog } = ctx.input;
  const sectionOf = new Map(catalog.narratives.map((n) => [n.id, n]));
  const blocks = new Map<string, NarrativeBlock>();
  const other = new Map<string, NarrativeBlock>();
  const writers = new Map<NarrativeBlock, Set<string>>();
  const newBlock = (title: string): NarrativeBlock => ({ number: '', title, entries: [], empty: true, lead: [], synthesis: '' });
  const blockFor = (code: string, title: string) => {
    let b = blocks.get(code);
    if (!b) blocks.set(code, (b = newBlock(OUTLINE_HEADINGS[code] ?? title)));
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
      block = other.get(key) ?? newBlock(section?.title ?? `Nội dung “${r.section_id}”`);
      other.set(key, block);
    }
    const isLead = r.unit_code === ctx.leadUnit?.code;
    const paragraphs = splitParagraphs(text);
    block.entries.push({ unitName: ctx.unitName.get(r.unit_code) ?? r.unit_code, paragraphs, isLead });
    if (isLead) block.lead.push(...paragraphs);
    (writers.get(block) ?? writers.set(block, new Set()).get(block)!).add(r.unit_code);
    block.empty = false;
  }
  for (const b of [...blocks.values(), ...other.values()]) b.synthesis = synthesis(ctx, writers.get(b) ?? new Set());
  return {
    section: (code, number, title) => {
      const b = blocks.get(code) ?? newBlock(title ?? '');
      return { ...b, number, title: title ?? b.title };
    },
    titleOf: (code) => blocks.get(code)?.title,
    other: [...other.values()].map((b, k) => ({ ...b, number: String(k + 1) })),
  };
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
