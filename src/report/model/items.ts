/**
 * The synthesis of the structured items the units gave beside their texts (src/catalog/asks.ts): the highlights of a
 * section with their units; difficulties and proposals counted by category with the units named ("Không có" counted as
 * none); a proposal addressed to the issuing department reported as the units' proposal to it, apart from those the
 * report carries to the People's Committee. The issuing department's own items are its voice: not counted with the
 * units'. Pure functions of the model's context.
 */
import type { ItemListName } from '../../catalog/asks.ts';
import type { StoredItem } from '../../store/store.ts';
import type { ModelContext } from './context.ts';
import { lowerFirst, namesWithin, trimStop } from './text.ts';

/** At most this many groups of highlights are said in a section (the most named first). */
const MAX_HIGHLIGHTS = 6;

const itemsOf = (ctx: ModelContext) => ctx.input.items ?? [];

function labelOf(ctx: ModelContext, list: ItemListName, code: string | null, typed: string | null): string {
  return ctx.input.catalog.asks.lists[list].find((o) => o.code === code)?.label ?? typed ?? 'Chưa phân nhóm';
}

/** The units' names in roster order, as many as keep a sentence short (text.ts namesWithin). */
function names(ctx: ModelContext, codes: string[]): string {
  return namesWithin([...codes].sort((a, b) => ctx.byRoster(a, b)).map((c) => ctx.unitName.get(c) ?? c));
}

/** "Sở Y tế" for one unit, "12 đơn vị (Sở Y tế, … và 9 đơn vị khác)" for several (the highlights of part I). */
function unitsText(ctx: ModelContext, codes: string[]): string {
  return codes.length === 1 ? ctx.unitName.get(codes[0]) ?? codes[0] : `${codes.length} đơn vị (${names(ctx, codes)})`;
}

/** A count of units in II.2 and IV: one unit by its name, several by their number (named apart: unitsAfter). */
const countText = (ctx: ModelContext, codes: string[]) => (codes.length === 1 ? ctx.unitName.get(codes[0]) ?? codes[0] : `${codes.length} đơn vị`);
/** " Các đơn vị: Sở Y tế, … và 9 đơn vị khác." after a count of several units: a sentence of its own. */
const unitsAfter = (ctx: ModelContext, codes: string[]) => (codes.length > 1 ? ` Các đơn vị: ${names(ctx, codes)}.` : '');

/** The same model or activity named by two units: its name without case or final stop. */
const modelKey = (name: string) => trimStop(name).normalize('NFC').toLocaleLowerCase('vi-VN');

const isLead = (ctx: ModelContext, unitCode: string) => unitCode === ctx.leadUnit?.code;

/**
 * The highlights of the sections of a block: an intro line, the issuing department's own first (its voice: no name),
 * then the units' grouped by model or activity, the most named first, each with its units and one result.
 */
export function highlightLines(ctx: ModelContext, sectionIds: string[]): string[] {
  const all = itemsOf(ctx).filter((i) => i.item === 'highlight' && sectionIds.includes(i.sectionId) && !i.none && i.name);
  if (!all.length) return [];
  const result = (i: StoredItem) => (i.text ? `: ${lowerFirst(trimStop(i.text))}` : '');
  // The issuing department's own, one sentence in its voice before the units' (a bullet of the same name beside a
  // group of units read as the same model told twice).
  const ownItems = all.filter((i) => isLead(ctx, i.unitCode));
  const issuer = ctx.input.profile.issuingBody;
  const own = ownItems.length
    ? [`${issuer} triển khai ${ownItems.map((i) => `${lowerFirst(trimStop(i.name!))}${i.text ? ` (${lowerFirst(trimStop(i.text))})` : ''}`).join('; ')}.`]
    : [];
  const ownKeys = new Set(ownItems.map((i) => modelKey(i.name!)));
  const groups = new Map<string, StoredItem[]>();
  for (const i of all.filter((x) => !isLead(ctx, x.unitCode))) {
    const key = modelKey(i.name!);
    (groups.get(key) ?? groups.set(key, []).get(key)!).push(i);
  }
  const sorted = [...groups.values()].sort((a, b) => new Set(b.map((i) => i.unitCode)).size - new Set(a.map((i) => i.unitCode)).size);
  const shown = sorted.slice(0, MAX_HIGHLIGHTS).map((g) => {
    const units = [...new Set(g.map((i) => i.unitCode))];
    const first = g[0];
    if (units.length === 1) return `- ${trimStop(first.name!)}${result(first)} (${ctx.unitName.get(first.unitCode) ?? first.unitCode}).`;
    const sample = g.find((i) => i.text);
    const also = ownKeys.has(modelKey(first.name!)) ? `ngoài ${issuer}, ` : '';
    return `- ${trimStop(first.name!)}: ${also}${unitsText(ctx, units)}${sample ? `; ví dụ ${ctx.unitName.get(sample.unitCode) ?? sample.unitCode}${result(sample)}` : ''}.`;
  });
  const rest = sorted.slice(MAX_HIGHLIGHTS).reduce((n, g) => n + g.length, 0);
  const others = all.filter((i) => !isLead(ctx, i.unitCode));
  const units = new Set(others.map((i) => i.unitCode)).size;
  return [
    ...own,
    ...(shown.length ? [`Mô hình, hoạt động nổi bật của các đơn vị (${units} đơn vị nêu ${others.length} mô hình, hoạt động):`] : []),
    ...shown,
    ...(rest ? [`- Và ${rest} mô hình, hoạt động khác của các đơn vị.`] : []),
  ];
}

interface Tally { label: string; units: string[]; texts: string[]; addressees: Map<string, string[]> }

/** The units' items of a kind on a section, counted by category (units other than the issuing department). */
function byCategory(ctx: ModelContext, sectionId: string, item: 'difficulty' | 'proposal', keep: (i: StoredItem) => boolean = () => true) {
  const items = itemsOf(ctx).filter((i) => i.sectionId === sectionId && i.item === item && !isLead(ctx, i.unitCode));
  // Whether each answering unit gave only "none" items, in one pass: filtering the items again for every unit was
  // quadratic (3,000 units: most of the report model's time). Likewise a Set beside each list that must not repeat.
  const onlyNone = new Map<string, boolean>();
  for (const i of items) onlyNone.set(i.unitCode, (onlyNone.get(i.unitCode) ?? true) && i.none);
  const noneUnits = [...onlyNone.values()].filter(Boolean);
  const tallies = new Map<string, Tally>();
  const seen = new Map<string[], Set<string>>();
  const addOnce = (list: string[], x: string) => {
    const set = seen.get(list) ?? seen.set(list, new Set()).get(list)!;
    if (!set.has(x)) { set.add(x); list.push(x); }
  };
  for (const i of items.filter((x) => !x.none && keep(x))) {
    const key = i.choice ?? '';
    const t = tallies.get(key) ?? tallies.set(key, { label: labelOf(ctx, 'category', i.choice, i.choice ? null : 'Khác'), units: [], texts: [], addressees: new Map() }).get(key)!;
    addOnce(t.units, i.unitCode);
    if (i.text) addOnce(t.texts, trimStop(i.text));
    if (i.addressee) {
      const a = labelOf(ctx, 'addressee', i.addressee, i.addressee);
      addOnce(t.addressees.get(a) ?? t.addressees.set(a, []).get(a)!, i.unitCode);
    }
  }
  // The most named first; "Khác" and what is not classified last.
  const other = (t: Tally) => (t.label === 'Khác' || t.label === 'Chưa phân nhóm' ? 1 : 0);
  const sorted = [...tallies.values()].sort((a, b) => other(a) - other(b) || b.units.length - a.units.length);
  return { answered: onlyNone.size, none: noneUnits.length, tallies: sorted };
}

/** " Ví dụ: “…” và 2 ý khác." (a sentence of its own), or nothing. */
const example = (t: Tally) => (t.texts.length ? ` Ví dụ: “${t.texts[0]}”${t.texts.length > 1 ? ` và ${t.texts.length - 1} ý khác` : ''}.` : '');

/**
 * One category as short sentences (issue 23: the line ran to 60 words): "- Kinh phí: 17 đơn vị. Ví dụ: “…”. Các đơn vị:
 * Sở Nội vụ, … và 14 đơn vị khác."; `to`, a proposal's addressees, after the count.
 */
const categoryLine = (ctx: ModelContext, t: Tally, to = '') => `- ${t.label}: ${countText(ctx, t.units)}${to}.${example(t)}${unitsAfter(ctx, t.units)}`;

/** II.2: the units' difficulties by category ([] when no unit gave any item). */
export function difficultyLines(ctx: ModelContext, sectionId: string): string[] {
  const d = byCategory(ctx, sectionId, 'difficulty');
  if (!d.answered) return [];
  const lines = d.tallies.map((t) => categoryLine(ctx, t));
  return [
    `Khó khăn, tồn tại các đơn vị nêu, theo nhóm (${d.answered} đơn vị trả lời${d.none ? `, trong đó ${d.none} đơn vị không có khó khăn` : ''}):`,
    ...lines,
  ];
}

/** The issuing department named in a proposal's addressee: its label in the list, or the profile's name. */
function toIssuer(ctx: ModelContext, i: StoredItem): boolean {
  const label = labelOf(ctx, 'addressee', i.addressee, i.addressee).normalize('NFC').toLocaleLowerCase('vi-VN');
  return label === ctx.input.profile.issuingBody.normalize('NFC').toLocaleLowerCase('vi-VN');
}

/**
 * IV: the units' proposals by category and addressee; those addressed to the issuing department apart, as the units'
 * proposals to it (the report is the department's: it does not ask itself). [] when no unit gave any item.
 */
export function proposalLines(ctx: ModelContext, sectionId: string): string[] {
  const up = byCategory(ctx, sectionId, 'proposal', (i) => !toIssuer(ctx, i));
  if (!up.answered) return [];
  const toUs = byCategory(ctx, sectionId, 'proposal', (i) => toIssuer(ctx, i));
  const to = (t: Tally) => {
    // "Các sở, ngành Thành phố" inside a sentence: its first word in lower case; a name ("Ủy ban …") keeps its capital.
    const name = (a: string) => a.replace(/^Các /u, 'các ');
    const parts = [...t.addressees.entries()].map(([a, us]) => (t.addressees.size > 1 ? `${name(a)} (${us.length} đơn vị)` : name(a)));
    return parts.length ? `, kiến nghị ${parts.join(', ')}` : '';
  };
  const lines = [
    `Đề xuất, kiến nghị của các đơn vị, theo nhóm (${up.answered} đơn vị trả lời${up.none ? `, trong đó ${up.none} đơn vị không có đề xuất, kiến nghị` : ''}):`,
    ...up.tallies.map((t) => categoryLine(ctx, t, to(t))),
  ];
  if (toUs.tallies.length) {
    lines.push(`Đề xuất các đơn vị gửi ${ctx.input.profile.issuingBody} (Sở tiếp thu, thực hiện trong năm ${ctx.nextYear}):`);
    lines.push(...toUs.tallies.map((t) => categoryLine(ctx, t)));
  }
  return lines;
}

/** The categories of difficulties most named, for the tasks of next year: "kinh phí (12 đơn vị), nhân lực (8 đơn vị)". */
export function topDifficulties(ctx: ModelContext, sectionId: string, n = 3): string {
  return byCategory(ctx, sectionId, 'difficulty').tallies.filter((t) => t.label !== 'Khác' && t.label !== 'Chưa phân nhóm').slice(0, n)
    .map((t) => `${lowerFirst(t.label)} (${t.units.length} đơn vị)`).join(', ');
}

/** How many highlights the units gave, and in which section most units gave one ('' when none). */
export function highlightsSentence(ctx: ModelContext, titleOf: (sectionId: string) => string): string {
  const all = itemsOf(ctx).filter((i) => i.item === 'highlight' && !i.none && i.name && !isLead(ctx, i.unitCode));
  if (!all.length) return '';
  const units = new Set(all.map((i) => i.unitCode)).size;
  const bySection = new Map<string, Set<string>>();
  for (const i of all) (bySection.get(i.sectionId) ?? bySection.set(i.sectionId, new Set()).get(i.sectionId)!).add(i.unitCode);
  const [top] = [...bySection.entries()].sort((a, b) => b[1].size - a[1].size);
  return `${units} đơn vị nêu ${all.length} mô hình, hoạt động nổi bật (tại các mục của phần I), nhiều nhất về ${lowerFirst(titleOf(top[0]))} (${top[1].size} đơn vị).`;
}
