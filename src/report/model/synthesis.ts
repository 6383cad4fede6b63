/**
 * What the units wrote on a section, said once: each sentence with the units that wrote it, the most written first,
 * "Không có" counted as none. A request addressed to the issuing department is the units' proposal, never printed as
 * the department's own words (the report is the department's).
 */
import type { ModelContext } from './context.ts';
import type { NarrativeBlock, NarrativeParagraph } from './types.ts';
import { lowerFirst, namesWithin, trimStop } from './text.ts';
import { isMilestoneOnly } from '../../scoring/rollup.ts';

/** At most this many sentences are said: the body is as long for 3,000 units as for 30 (the rest is in Phụ lục III). */
const MAX_POINTS = 8;

const NONE = /^(không có|không|chưa có|không có ý kiến|không có đề xuất(, kiến nghị)?)\.?$/iu;

const key = (s: string) => trimStop(s).normalize('NFC').toLocaleLowerCase('vi-VN').replace(/\s+/g, ' ');

/** Whether a sentence asks the issuing department for something ("Đề nghị Sở Giáo dục và Đào tạo …"). */
export function addressedToIssuer(ctx: ModelContext, sentence: string): boolean {
  const issuer = ctx.input.profile.issuingBody.normalize('NFC').toLocaleLowerCase('vi-VN');
  const s = sentence.normalize('NFC').toLocaleLowerCase('vi-VN');
  return /^(đề nghị|kiến nghị|đề xuất|mong)(?=\s)/u.test(s) && s.includes(issuer);
}

/** The department's own paragraphs, without what asks the department itself (reported with the units' proposals). */
export function ownVoice(ctx: ModelContext, lead: NarrativeParagraph[]): NarrativeParagraph[] {
  return lead.map((p) => ({ lines: p.lines.filter((l) => !addressedToIssuer(ctx, l)) })).filter((p) => p.lines.length > 0);
}

export interface Grouped { lines: string[]; none: number; writers: number }

/**
 * The sentences of every unit's text on a block, grouped: "- 15 đơn vị (Quận 1, …) đề nghị Thành phố …". `verb` leads a
 * sentence that does not start with a verb of its own ("nêu", "đề ra nhiệm vụ").
 */
export function groupSentences(ctx: ModelContext, block: NarrativeBlock, verb: string): Grouped {
  const groups = new Map<string, { text: string; units: string[] }>();
  let none = 0;
  let writers = 0;
  for (const e of block.entries) {
    const sentences = e.paragraphs.flatMap((p) => p.lines).flatMap((l) => l.split(/(?<=[.;])\s+(?=[A-ZÀ-Ỹ])/u)).map((l) => l.trim()).filter(Boolean);
    // The department's own words are its voice (ownVoice); only what it asks of itself is counted with the units'.
    if (e.isLead) sentences.splice(0, sentences.length, ...sentences.filter((x) => addressedToIssuer(ctx, x)));
    if (!sentences.length) continue;
    writers++;
    if (sentences.every((s) => NONE.test(s))) {
      none++;
      continue;
    }
    for (const s of sentences.filter((x) => !NONE.test(x))) {
      const g = groups.get(key(s)) ?? groups.set(key(s), { text: trimStop(s), units: [] }).get(key(s))!;
      if (!g.units.includes(e.unitName)) g.units.push(e.unitName);
    }
  }
  // Sentences written by the same units are said together: "15 đơn vị (…) đề nghị Thành phố …; đề nghị Sở …".
  const byUnits = new Map<string, { texts: string[]; units: string[] }>();
  for (const g of groups.values()) {
    const k = g.units.join('\u0000');
    (byUnits.get(k) ?? byUnits.set(k, { texts: [], units: g.units }).get(k)!).texts.push(lowerFirst(g.text));
  }
  const sorted = [...byUnits.values()].sort((a, b) => b.units.length - a.units.length);
  const shownGroups = sorted.length > MAX_POINTS ? sorted.filter((g) => g.units.length > 1).slice(0, MAX_POINTS) : sorted;
  // Short sentences (issue 23: a line ran to 80 words): what they wrote after their number, their names after it.
  const lines = shownGroups.map((g) => {
    const who = g.units.length === 1 ? g.units[0] : `${g.units.length} đơn vị`;
    const named = g.units.length > 1 ? ` Các đơn vị: ${namesWithin(g.units)}.` : '';
    const ownVerb = g.texts.every((t) => /^(đề nghị|kiến nghị|đề xuất)(?=\s)/u.test(t));
    return `- ${who} ${ownVerb ? g.texts.join('; ') : `${verb}: ${g.texts.join('; ')}`}.${named}`;
  });
  const rest = sorted.length - shownGroups.length;
  if (rest) lines.push(`- ${rest} ý kiến khác, mỗi ý kiến của một số ít đơn vị (toàn văn tại Phụ lục III).`);
  return { lines, none, writers };
}

/**
 * A section synthesised from the units' structured items (items.ts) when any unit gave them: the item lines stand in
 * for the sentences of the free texts (which stay in Phụ lục III), and the units that wrote only free text are
 * counted. Without items, the block is as groupSentences made it.
 */
export function withItems(ctx: ModelContext, b: NarrativeBlock, lines: string[], sectionIds: string[]): NarrativeBlock {
  if (!lines.length) return b;
  const gave = new Set((ctx.input.items ?? []).filter((i) => sectionIds.includes(i.sectionId)).map((i) => i.unitCode));
  const textOnly = b.entries.filter((e) => !e.isLead && e.paragraphs.length && !gave.has(codeOf(ctx, e.unitName))).length;
  const where = ctx.separateAnnex ? 'Phụ lục III (tài liệu riêng kèm theo Báo cáo)' : 'Phụ lục III';
  return {
    ...b,
    empty: false,
    synthesis: '',
    points: [...lines, ...(textOnly ? [`${textOnly} đơn vị khác chỉ báo cáo bằng lời (không theo nhóm): toàn văn tại ${where}.`] : [])],
  };
}

function codeOf(ctx: ModelContext, unitName: string): string {
  for (const [code, name] of ctx.unitName) if (name === unitName) return code;
  return unitName;
}

/**
 * III: the tasks of next year drafted from what fell short (the indicators not met, the milestones still ahead, the
 * difficulties most named), before the units' own tasks: a draft the analyst finishes (nhan-dinh.md).
 */
export function draftTasks(ctx: ModelContext, topDifficulties: string): string[] {
  const { score } = ctx.input;
  const own = score.indicators.filter((i) => i.hasTarget && !isMilestoneOnly(i) && i.verdict === 'not_met');
  const ahead = score.indicators.filter((i) => isMilestoneOnly(i) && i.verdict === 'not_met');
  const partial = (list: typeof own) => {
    const n = list.filter((i) => !i.coverage.complete).length;
    return n ? `, trong đó ${n} chỉ số mới có số liệu của một phần các đơn vị` : '';
  };
  const ids = (list: { id: string }[]) => `${list.slice(0, 12).map((i) => i.id).join(', ')}${list.length > 12 ? ` và ${list.length - 12} chỉ số khác` : ''}`;
  return [
    // The same categories as II.2: those judged on part of the units are said as such.
    ...(own.length ? [`- Khắc phục ${own.length} chỉ số chưa đạt chỉ tiêu năm ${ctx.year}${partial(own)}. Đơn vị phụ trách từng chỉ số rà soát nguyên nhân, đề ra giải pháp và thời hạn. Các chỉ số: ${ids(own)}.`] : []),
    ...(ahead.length ? [`- Hoàn thành các mốc của Kế hoạch còn chưa đạt (${ids(ahead)}).`] : []),
    ...(topDifficulties ? [`- Tập trung tháo gỡ các khó khăn các đơn vị nêu nhiều nhất: ${topDifficulties}.`] : []),
  ];
}
