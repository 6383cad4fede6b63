/**
 * Phụ lục III (partial appendix-texts.hbs): every unit's full text and activity figures, by section of the outline then
 * by unit in roster order, nothing dropped; the issuing department's own texts are in the body (its figures here). Above the profile's annexSeparateAbove
 * it is written as a document of its own.
 */
import type { ModelContext } from './context.ts';
import type { AppendixTextsModel, NarrativeBlock, NarrativeEntry } from './types.ts';
import { itemRows } from './item-rows.ts';

export function buildAppendixTexts(ctx: ModelContext, sections: { title: string; block: NarrativeBlock }[]): AppendixTextsModel {
  const kept = sections
    .filter(({ block }) => block.entries.length)
    .map(({ title, block }) => ({ title, entries: block.entries, shown: block.entries.some((e) => !e.isLead || e.figures.length > 0 || e.items.length > 0) }));
  const lead = ctx.leadUnit?.name;
  return {
    label: 'Phụ lục III',
    title: `NỘI DUNG BÁO CÁO CỦA CÁC ĐƠN VỊ NĂM ${ctx.year}`,
    attached: ctx.attached,
    intro: kept.some((k) => k.shown)
      ? `Nguyên văn phần báo cáo của từng đơn vị, theo từng mục của Báo cáo${lead ? ` (phần của ${lead} đã trình bày trong Báo cáo)` : ''}.`
      : 'Chưa có đơn vị nào gửi nội dung báo cáo.',
    sections: kept,
    figureColumns: ctx.input.catalog.narratives.flatMap((n) => n.figures.map((f) => ({ id: f.id, label: `${f.label} (${f.unit})` }))),
    items: itemRows(ctx),
    separate: ctx.separateAnnex,
  };
}

/** One paragraph of a unit's entry in Phụ lục III: the unit's name before it (in bold), or none, and its lines. */
export interface EntryParagraph { name: string | null; lines: string[] }

/**
 * What Phụ lục III prints of one unit on one section, as templates/partials/unit-texts.hbs writes it: the figures line,
 * its paragraphs and its structured items (a line each), its name before the first; of the issuing department its
 * figures and items only (its text is in the body).
 * The DOCX and the typeset PDF set these paragraphs.
 */
export function entryParagraphs(e: NarrativeEntry): EntryParagraph[] {
  const out: EntryParagraph[] = e.figuresLine ? [{ name: e.unitName, lines: [e.isLead ? `${e.figuresLine} (Nội dung đã trình bày trong Báo cáo.)` : e.figuresLine] }] : [];
  if (!e.isLead) e.paragraphs.forEach((p) => out.push({ name: out.length ? null : e.unitName, lines: p.lines }));
  // Its structured items, after its text: the issuing department's too (the body synthesises only the other units').
  if (e.items.length) out.push({ name: out.length ? null : e.unitName, lines: e.items });
  return out;
}
