/**
 * Section I.3 from the scores (partial results.hbs): the counts (counts.ts, the one builder), per area and standard, what
 * fell short of the year's own targets, progress toward the next milestone, what changed, charts.
 */
import { targetSourceText, targetsInForce, targetWords } from '../../catalog/targets.ts';
import type { Catalog } from '../../catalog/types.ts';
import { isMilestoneOnly } from '../../scoring/rollup.ts';
import { coverageText, impossibilityWords } from '../../scoring/format.ts';
import { isOpenImpossibility } from '../../scoring/queries.ts';
import {
  VERDICT_LABELS, type GoalProgress, type IndicatorScore, type QueryNote, type MeasureScore, type Rollup, type ScoreReport, type TargetResult,
} from '../../scoring/types.ts';
import { formatNumberVi } from '../../vi/numbers.ts';
import { standardsChart, trendChart } from '../charts.ts';
import { changeMagnitude, changeWords, directionWord, levelWords, percentOf, withUnit } from '../format.ts';
import { footingSentence, milestoneProgress, milestoneYears, overallSentences, ownCounts, rollupSentence } from './counts.ts';
import type { ModelContext } from './context.ts';
import type { ResultsModel } from './types.ts';
import { lowerFirst, trimStop } from './text.ts';

/** "Chỉ số 1.1.2-a (Tỷ lệ …)": an indicator named by its words, its code kept for the appendix. */
export function named(i: IndicatorScore): string {
  return `Chỉ số ${i.id} (${trimStop(i.text)})`;
}

export function buildResults(ctx: ModelContext): ResultsModel {
  const { catalog, score } = ctx.input;
  const { year } = ctx;
  const indicators = score.indicators;
  const prevYear = score.previousYear;

  const own = indicators.filter((i) => i.hasTarget && !isMilestoneOnly(i));
  const notMet = own.filter((i) => i.verdict === 'not_met').map((i) => `- ${named(i)}: ${shortfall(i)}.`);
  const incomplete = own.filter((i) => coverageText(i) !== null && (i.verdict === 'met' || i.verdict === 'not_met'))
    .map((i) => `- ${named(i)}: số liệu của ${coverageText(i)}, ${VERDICT_LABELS[i.verdict].toLocaleLowerCase('vi-VN')} trên số liệu đã có.`);
  const verdictChanges = verdictChangeLines(catalog, score, year);
  const trend = ctx.input.trend.filter((t) => t.total > 0);
  const standardBars = standardBarsOf(catalog, score);
  const pending = indicators.filter((i) => i.pending).map(pendingLine);
  const milestones = buildMilestoneTable(ctx);
  // Sub-items lettered in order, the optional ones only when they have something to say.
  const letters = 'abcdđeg';
  const letter = (n: number) => `${letters[n]})`;
  const pendingAt = 2;
  const milestonesAt = pendingAt + (pending.length ? 1 : 0);
  const changesAt = milestonesAt + (milestones ? 1 : 0);
  if (milestones) milestones.title = `${letter(milestonesAt)} ${milestones.title}`;

  return {
    number: '3',
    // The heading as the city's outline (seeds/sources/002) gives it.
    title: 'Công tác triển khai thực hiện các tiêu chí, chỉ số trong Bộ tiêu chí xây dựng thành phố học tập toàn cầu UNESCO',
    overall: overallSentences(score).join(' '),
    details: detailSentences(ctx),
    incomplete,
    written: null,
    standardsChart: standardsChart(standardBars, `Số chỉ số đạt, chưa đạt và thiếu số liệu theo tiêu chuẩn, năm ${year}`),
    standardBars,
    standardsCaption: `Biểu đồ 1. Số chỉ số đạt, chưa đạt và thiếu số liệu theo tiêu chuẩn, năm ${year}`,
    areasTitle: 'a) Kết quả theo lĩnh vực và tiêu chuẩn',
    areas: areaLines(ctx),
    notMetTitle: `b) Các chỉ số chưa đạt chỉ tiêu năm ${year}`,
    notMet,
    notMetNone: `Không có chỉ số nào chưa đạt chỉ tiêu năm ${year} trong số các chỉ số đã đánh giá.`,
    pendingTitle: `${letter(pendingAt)} Các chỉ số chưa kết luận, chờ đơn vị giải trình số liệu`,
    pendingIntro: 'Số liệu của các chỉ số dưới đây có điểm không thể cùng đúng và đơn vị chưa giải trình; Sở chưa đánh giá đạt hay chưa đạt ' +
      'cho đến khi đơn vị giải trình (ô Giải trình của biểu mẫu) hoặc chuyên viên xác minh và xác nhận số liệu.',
    pending,
    milestones,
    changesTitle: `${letter(changesAt)} Những thay đổi lớn nhất so với năm ${prevYear ?? year - 1}`,
    changes: largestChanges(indicators, prevYear ?? year - 1, year),
    verdictChanges,
    changesNone: prevYear === null
      ? `Chưa có số liệu năm ${year - 1} trong cơ sở dữ liệu để so sánh.`
      : `Không có số đo nào thay đổi so với năm ${prevYear}.`,
    trendText: trendSentence(trend, score),
    trendChart: trend.length ? trendChart(trend, 'Tỷ lệ chỉ số đạt qua các năm') : '',
    trendPoints: trend.map((t) => ({ year: t.year, met: t.met, assessed: t.assessed, total: t.total })),
    trendCaption: trend.length ? 'Biểu đồ 2. Tỷ lệ chỉ số đạt trên số chỉ số có chỉ tiêu của năm qua các năm' : '',
  };
}

/** An indicator without a verdict: what cannot all be true, in whose figures. */
function pendingLine(i: IndicatorScore): string {
  const groups = new Map<string, QueryNote[]>();
  for (const q of i.queries.filter(isOpenImpossibility)) {
    const key = `${q.unitName}|${q.code}`;
    (groups.get(key) ?? groups.set(key, []).get(key)!).push(q);
  }
  const found = [...groups.values()].map((list) => `số liệu của ${list[0].unitName}: ${impossibilityWords(list)}`);
  return `- ${named(i)}: ${found.join('; ')}.`;
}

/** Each area's sentence, with its standards' sentences under it. */
function areaLines(ctx: ModelContext): ResultsModel['areas'] {
  const { catalog, score } = ctx.input;
  const standardTitle = (id: string, name: string) => (/^\d/.test(id) ? `Tiêu chuẩn ${id}. ${name}` : `${id}. ${name}`);
  const standardsByArea = new Map<string, Rollup[]>();
  for (const r of score.rollups.standards) {
    const areaId = catalog.standardById.get(r.key)?.areaId ?? r.key.split('.')[0];
    (standardsByArea.get(areaId) ?? standardsByArea.set(areaId, []).get(areaId)!).push(r);
  }
  return score.rollups.areas.map((a) => ({
    text: `- ${ctx.areaTitle(a.key)}: ${rollupSentence(a, ctx.year)}`,
    standards: (standardsByArea.get(a.key) ?? []).map((s) => `+ ${standardTitle(s.key, s.name)}: ${rollupSentence(s, ctx.year)}`),
  }));
}

/** The five largest changes of a measure since the year before, like with like (scaledChange). */
function largestChanges(indicators: IndicatorScore[], prevYear: number, year: number): string[] {
  const changed = indicators.flatMap((i) => i.measures.map((m) => ({ i, m })))
    .filter(({ m }) => m.change !== null && m.previous !== null && m.value !== null && m.change !== 0)
    .sort((a, b) => scaledChange(b.i, b.m) - scaledChange(a.i, a.m) || a.m.id.localeCompare(b.m.id))
    .slice(0, 5);
  return changed.map(({ i, m }) =>
    `- ${named(i)}${i.measures.length > 1 ? `, ${lowerFirst(m.label)}` : ''}: ${changeWords(m, [prevYear, year])}.`);
}

/** The share of indicators met year by year, said with whether the years stand on the same footing. */
function trendSentence(trend: ModelContext['input']['trend'], score: ScoreReport): string {
  if (!trend.length) return '';
  const footing = footingSentence(score);
  const differentBases = new Set(trend.map((t) => t.assessed)).size > 1;
  return `Tỷ lệ chỉ số đạt trên số chỉ số có chỉ tiêu của năm và có số liệu: ${trend.map((t) => `năm ${t.year} đạt ${t.met}/${t.assessed} chỉ số (${percentOf(t.met, t.assessed)})`).join('; ')}.` +
    (differentBases ? ' Số chỉ số có chỉ tiêu mỗi năm khác nhau nên các tỷ lệ này không cùng một cơ sở.' : '') +
    (footing && trend.length > 1 ? ` ${footing}` : '');
}

/** Chart 1's bars: each standard's indicators met, not met and missing, in the catalog's order. */
function standardBarsOf(catalog: Catalog, score: ScoreReport): ResultsModel['standardBars'] {
  const standardOrder = new Map(catalog.standards.map((s, i) => [s.id, i]));
  return [...score.rollups.standards]
    .sort((a, b) => (standardOrder.get(a.key) ?? 1e9) - (standardOrder.get(b.key) ?? 1e9))
    // The year's own targets only (counts.ts): an indicator measured against a later milestone is in the table of progress.
    .map((s) => ({ id: s.key, name: s.name, ...ownCounts(s.categories), missing: s.categories.missing }))
    .filter((s) => s.total > 0)
    .map(({ id, name, met, notMet, missing }) => ({ id, name, met, notMet, missing }));
}

/** How an indicator is judged, where the thresholds come from, the goals, the comparison, the units' explanations. */
function detailSentences(ctx: ModelContext): string[] {
  const { score } = ctx.input;
  const answered = score.indicators.filter((i) => i.queries.some((q) => q.answered));
  const open = score.indicators.filter((i) => !i.pending && i.queries.some((q) => !q.answered && q.confirmation === null));
  const confirmed = score.indicators.filter((i) => i.queries.some((q) => !q.answered && q.confirmation !== null));
  return [
    `Một chỉ số đạt khi đạt mọi chỉ tiêu áp dụng trong năm: ngưỡng của tiêu chí và chỉ tiêu của Kế hoạch cho năm ${ctx.year}.`,
    ...sourceSentences(ctx),
    ...score.goals.map((g) => goalSentence(g)),
    ...(score.comparison?.note ? [score.comparison.note] : []),
    ...(answered.length ? [`Đơn vị đã giải trình số liệu bất thường ở ${answered.length} chỉ số (${answered.map((i) => i.id).join(', ')}); nội dung giải trình tại cột Ghi chú của Phụ lục I.`] : []),
    ...(open.length ? [`${open.length} chỉ số có cảnh báo về số liệu chưa được đơn vị giải trình (${open.map((i) => i.id).join(', ')}); xem cột Ghi chú của Phụ lục I.`] : []),
    ...(confirmed.length ? [`Sở đã xác minh và xác nhận số liệu của ${confirmed.length} chỉ số (${confirmed.map((i) => i.id).join(', ')}); lý do tại cột Ghi chú của Phụ lục I.`] : []),
  ];
}

/** The 2030 goal on the whole set: the criteria all of whose indicators are met, in a sentence of its own. */
function goalSentence(g: GoalProgress): string {
  const text = `${g.text.charAt(0).toLocaleLowerCase('vi-VN')}${g.text.slice(1)}`;
  return `Mục tiêu đến năm ${g.year} của Kế hoạch là ${trimStop(text)}. Năm nay có ${g.criteria.met}/${g.criteria.total} tiêu chí mà mọi chỉ số đều đạt` +
    `${g.reached ? '; mục tiêu đã đạt.' : '.'}`;
}

/**
 * Where the thresholds come from, named: the criteria set's appendix, a decree, or the level the Sở set where the
 * appendix gives none (editable in the workspace's targets.csv).
 */
function sourceSentences(ctx: ModelContext): string[] {
  const bySource = new Map<string, string[]>();
  const ownLevels = new Map<string, string[]>();
  for (const i of ctx.input.score.indicators) {
    for (const t of i.threshold.targets) {
      const src = targetSourceText(t);
      const ids = bySource.get(src) ?? bySource.set(src, []).get(src)!;
      if (!ids.includes(i.id)) ids.push(i.id);
      if (src !== 'mức do Sở quy định') continue;
      const words = targetWords(t, i.measures.find((m) => m.id === t.measureId)?.unit ?? '');
      const same = ownLevels.get(words) ?? ownLevels.set(words, []).get(words)!;
      if (!same.includes(i.id)) same.push(i.id);
    }
  }
  const out: string[] = [];
  const others = [...bySource.entries()].filter(([s]) => s !== 'Bộ tiêu chí' && s !== 'mức do Sở quy định');
  if (bySource.size) {
    out.push(`Ngưỡng của các tiêu chí lấy theo Bộ tiêu chí` +
      others.map(([s, ids]) => `; ngưỡng của ${ids.length} chỉ số (${ids.join(', ')}) lấy theo ${s}`).join('') + '.');
  }
  const own = bySource.get('mức do Sở quy định');
  if (own?.length) {
    const levels = [...ownLevels.entries()].map(([words, ids]) => `${words} với ${ids.length > 3 ? `${ids.length} chỉ số` : `chỉ số ${ids.join(', ')}`}`);
    // Three short sentences, not one of seventy words (issue 23, item 7).
    out.push(`Bộ tiêu chí không ghi ngưỡng cho ${own.length} chỉ số (${own.join(', ')}).`);
    out.push(`Các chỉ số này được đánh giá theo mức do Sở quy định: ${levels.join('; ')}.`);
    out.push('Sở có thể điều chỉnh các mức này trong tệp targets.csv của thư mục làm việc.');
  }
  return out;
}

/** Progress toward the next milestone of the plan: one row per indicator without a target of the year's own. */
function buildMilestoneTable(ctx: ModelContext): ResultsModel['milestones'] {
  const { score } = ctx.input;
  const list = score.indicators.filter(isMilestoneOnly);
  if (!list.length) return null;
  const years = milestoneYears(score.indicators);
  const prev = score.previousYear ?? ctx.year - 1;
  const rows = list.flatMap((i) => (i.roadmap?.targets ?? []).map((t) => {
    const m = i.measures.find((x) => x.id === t.measureId);
    const unit = m?.unit ?? '';
    return [
      `${i.id}. ${trimStop(i.text)}`,
      m?.previous !== null && m?.previous !== undefined ? withUnit(m.previous, unit) : '',
      t.measured !== null ? withUnit(t.measured, unit) : 'Chưa có số liệu',
      targetWords(t, unit),
      i.pending ? 'Chưa kết luận (chờ đơn vị giải trình)' : progressCell(t, unit),
    ];
  }));
  return {
    title: `Tiến độ so với mốc ${years.map((y) => `năm ${y}`).join(', ')} của Kế hoạch`,
    intro: `Các chỉ số dưới đây không có chỉ tiêu riêng cho năm ${ctx.year}; kết quả năm ${ctx.year} được so với mốc gần nhất của Kế hoạch để theo dõi tiến độ.`,
    columns: ['Chỉ số', `Kết quả năm ${prev}`, `Kết quả năm ${ctx.year}`, `Mức của mốc năm ${years.join(', ')}`, 'Tiến độ'],
    rows,
  };
}

function progressCell(t: TargetResult, unit: string): string {
  if (t.measured === null) return 'Chưa có số liệu';
  if (t.verdict === 'met') return 'Đã đạt mức của mốc';
  const gap = Math.abs(t.gap ?? 0);
  return `Còn cách ${unit === '%' ? `${formatNumberVi(gap, 1)} điểm phần trăm` : withUnit(gap, unit)}`;
}

/** The target as a sentence names it: "ngưỡng của tiêu chí là từ 90% trở lên (Bộ tiêu chí)", "chỉ tiêu năm 2024 là 60%". */
function targetPhrase(t: TargetResult, unit: string, year: number): string {
  const words = targetWords(t, unit);
  return t.kind === 'threshold' ? `ngưỡng là ${words} (${targetSourceText(t)})` : `chỉ tiêu năm ${year} là ${words}`;
}

/** How an indicator falls short of the year's own targets: the figure, then each target it misses, with its source. */
function shortfall(i: IndicatorScore): string {
  const targets = [...i.threshold.targets, ...(i.roadmap?.targets ?? [])].filter((t) => t.verdict === 'not_met');
  const parts = targets.map((t) => {
    const m = i.measures.find((x) => x.id === t.measureId);
    const label = i.measures.length > 1 && m ? `${lowerFirst(m.label)} ` : 'kết quả ';
    return `${label}${measuredText(t, m)}, ${targetPhrase(t, m?.unit ?? '', t.year ?? 0)}`;
  });
  const cov = coverageText(i);
  const extra = [...(cov ? [`số liệu của ${cov}`] : []), ...(i.queries.some((q) => q.answered) ? ['đơn vị đã giải trình số liệu'] : [])];
  return (parts.length ? parts.join('; ') : 'chưa đạt') + (extra.length ? ` (${extra.join('; ')})` : '');
}

function measuredText(t: TargetResult, m: MeasureScore | undefined): string {
  if (t.comparator === 'increase' || t.comparator === 'decrease') {
    return t.direction ? `${directionWord(t.direction).toLocaleLowerCase('vi-VN')} so với năm trước` : 'không xác định được xu hướng';
  }
  if (t.measured === null) return 'chưa có số liệu';
  return m?.derive === 'rating' ? levelWords(t.measured) : withUnit(t.measured, m?.unit ?? '');
}

/** The numeric target a measure is judged against this year (the largest of its levels), null without one. */
function targetScale(i: IndicatorScore, m: MeasureScore): number | null {
  // A rating's scale is its five levels (changeMagnitude), whatever level the target asks for.
  if (m.derive === 'rating') return null;
  const levels = [...i.threshold.targets, ...(i.roadmap?.targets ?? [])]
    .filter((t) => t.measureId === m.id && t.value !== null && t.comparator !== 'increase' && t.comparator !== 'decrease')
    .map((t) => Math.abs(t.valueMax ?? t.value!));
  const top = levels.length ? Math.max(...levels) : 0;
  return top > 0 ? top : null;
}

/**
 * How large a change is, like with like: relative to the target's level when the measure has one (5 points on a
 * target of 10% weigh more than on one of 90%), else as changeMagnitude measures it (points, share of the rating scale,
 * relative change). Never raw points across units of measure.
 */
function scaledChange(i: IndicatorScore, m: MeasureScore): number {
  const scale = targetScale(i, m);
  if (scale !== null && m.change !== null) return (Math.abs(m.change) / scale) * 100;
  return changeMagnitude(m);
}

/**
 * Verdicts that moved since last year. On the same footing (own, unchanged targets): the moves that make the count of
 * II.1 (previous + improved - declined = now). Any other move is said apart with why: a change of target, or a target
 * of the year's own replaced by progress toward a milestone.
 */
function verdictChangeLines(catalog: Catalog, score: ScoreReport, year: number): string[] {
  const prevYear = score.previousYear ?? year - 1;
  const f = score.rollups.overall.categories.footing;
  const byId = new Map(score.indicators.map((i) => [i.id, i]));
  const lines: string[] = [];
  const list = (ids: string[]) => ids.map((id) => named(byId.get(id)!)).join('; ');
  if (f?.improved.length) lines.push(`- ${f.improved.length} chỉ số chuyển từ chưa đạt sang đạt nhờ kết quả tốt lên (cùng chỉ tiêu hai năm): ${list(f.improved)}.`);
  if (f?.declined.length) lines.push(`- ${f.declined.length} chỉ số chuyển từ đạt sang chưa đạt do kết quả kém đi (cùng chỉ tiêu hai năm): ${list(f.declined)}.`);
  const inFooting = new Set([...(f?.improved ?? []), ...(f?.declined ?? [])]);
  const decided = (v: string | null) => v === 'met' || v === 'not_met';
  const others = score.indicators.filter((i) => !inFooting.has(i.id) && decided(i.previousVerdict) &&
    decided(i.verdict) && i.previousVerdict !== i.verdict && i.targetChanged === true);
  for (const i of others) {
    const figures = i.measures.filter((m) => m.previous !== null && m.value !== null).map((m) => changeWords(m, [prevYear, year])).join('; ');
    const before = previousTargets(catalog, i, year);
    const from = VERDICT_LABELS[i.previousVerdict!].toLocaleLowerCase('vi-VN');
    if (isMilestoneOnly(i)) {
      const t = i.roadmap!.targets[0];
      const m = i.measures.find((x) => x.id === t.measureId);
      lines.push(`- ${named(i)}: năm ${prevYear} ${from} chỉ tiêu của năm đó${before ? ` (${before})` : ''}; năm ${year} không có chỉ tiêu riêng, ` +
        `kết quả ${milestoneProgress(t, m?.unit ?? '')}${figures ? ` (kết quả ${figures})` : ''}.`);
      continue;
    }
    const to = VERDICT_LABELS[i.verdict].toLocaleLowerCase('vi-VN');
    lines.push(`- ${named(i)}: chuyển từ ${from} sang ${to} do chỉ tiêu thay đổi${before ? ` (năm ${prevYear}: ${before})` : ''}` +
      `${figures ? `; kết quả ${figures}` : ''}.`);
  }
  return lines;
}

/** Last year's targets of an indicator, in words: "chỉ tiêu năm 2023 từ 40% trở lên". */
function previousTargets(catalog: Catalog, i: IndicatorScore, year: number): string {
  const ind = catalog.indicatorById.get(i.id);
  if (!ind) return '';
  const prev = targetsInForce(ind, year - 1);
  const unitOf = (id: string) => i.measures.find((m) => m.id === id)?.unit ?? '';
  return [...prev.threshold, ...prev.roadmap].map((t) =>
    `${t.year === null ? 'ngưỡng' : t.year === year - 1 ? `chỉ tiêu năm ${year - 1}` : `mốc năm ${t.year}`} ${targetWords(t, unitOf(t.measureId))}`).join(', ');
}
