/**
 * Phụ lục III (partial appendix-texts.hbs): every unit's full text, by section of the outline then by unit in roster
 * order, nothing dropped; the issuing department's own texts are in the body. Above the profile's annexSeparateAbove
 * it is written as a document of its own.
 */
import type { ModelContext } from './context.ts';
import type { AppendixTextsModel, NarrativeBlock } from './types.ts';

export function buildAppendixTexts(ctx: ModelContext, sections: { title: string; block: NarrativeBlock }[]): AppendixTextsModel {
  const kept = sections
    .filter(({ block }) => block.entries.length)
    .map(({ title, block }) => ({ title, entries: block.entries, shown: block.entries.some((e) => !e.isLead) }));
  const lead = ctx.leadUnit?.name;
  return {
    label: 'Phụ lục III',
    title: `NỘI DUNG BÁO CÁO CỦA CÁC ĐƠN VỊ NĂM ${ctx.year}`,
    attached: ctx.attached,
    intro: kept.some((k) => k.shown)
      ? `Nguyên văn phần báo cáo của từng đơn vị, theo từng mục của Báo cáo${lead ? ` (phần của ${lead} đã trình bày trong Báo cáo)` : ''}.`
      : 'Chưa có đơn vị nào gửi nội dung báo cáo.',
    sections: kept,
    separate: ctx.separateAnnex,
  };
}
