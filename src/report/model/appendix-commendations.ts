/**
 * Phụ lục V (partial appendix-commendations.hbs, docx/appendices.ts): the units' proposals of commendation (002
 * IV.4.3; 004), from the nominations of the narrative sheet: who proposed whom, collective or individual, for what; in
 * roster order of the proposing unit. Null when no unit proposed any: the appendix is then left out.
 */
import type { ModelContext } from './context.ts';
import type { AppendixCommendationsModel } from './types.ts';
import { trimStop } from './text.ts';

export function buildAppendixCommendations(ctx: ModelContext, label = 'Phụ lục V'): AppendixCommendationsModel | null {
  const lists = ctx.input.catalog.asks.lists;
  const nominations = (ctx.input.items ?? []).filter((i) => i.item === 'nomination' && !i.none && i.name)
    .sort((a, b) => ctx.byRoster(a.unitCode, b.unitCode) || a.ordinal - b.ordinal);
  if (!nominations.length) return null;
  const proposers = new Set(nominations.map((n) => n.unitCode)).size;
  const kindOf = (code: string | null, typed: string | null) => lists.nominee.find((o) => o.code === code)?.label ?? typed ?? '';
  const collective = nominations.filter((n) => n.choice === 'tap_the').length;
  const individual = nominations.filter((n) => n.choice === 'ca_nhan').length;
  return {
    label,
    title: `DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG NĂM ${ctx.year}`,
    attached: ctx.attached,
    intro: `${proposers} đơn vị đề nghị khen thưởng ${nominations.length} tập thể, cá nhân (${collective} tập thể, ${individual} cá nhân) có thành tích ` +
      `trong xây dựng thành phố học tập năm ${ctx.year}, để xem xét, trình cấp có thẩm quyền khen thưởng.`,
    columns: ['STT', 'Đơn vị đề nghị', 'Tập thể / Cá nhân', 'Tên tập thể, cá nhân', 'Thành tích'],
    rows: nominations.map((n, k) => ({
      index: k + 1, proposer: ctx.unitName.get(n.unitCode) ?? n.unitCode, kind: kindOf(n.choice, n.choiceText),
      name: trimStop(n.name!), achievement: n.text ? trimStop(n.text) : '',
    })),
  };
}
