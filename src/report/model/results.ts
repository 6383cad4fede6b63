/** Section I.3 from the scores (partial results.hbs): counts per area and standard, what fell short, what changed, charts. */
import { describeTarget, targetsInForce } from '../../catalog/targets.ts';
import type { Catalog } from '../../catalog/types.ts';
import { byKindText, coverageText, goalText, incompleteText, targetWho } from '../../scoring/format.ts';
import { VERDICT_LABELS, type IndicatorScore, type MeasureScore, type Rollup, type ScoreReport, type TargetResult } from '../../scoring/types.ts';
import { standardsChart, trendChart } from '../charts.ts';
import { changeMagnitude, changeText, directionWord, percentOf, withUnit } from '../format.ts';
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
  const overall = score.rollups.overall;
  const prevYear = score.previousYear;

  const standardTitle = (id: string, name: string) => (/^\d/.test(id) ? `Tiêu chuẩn ${id}. ${name}` : `${id}. ${name}`);
  const standardsByArea = new Map<string, Rollup[]>();
  for (const r of score.rollups.standards) {
    const areaId = catalog.standardById.get(r.key)?.areaId ?? r.key.split('.')[0];
    (standardsByArea.get(areaId) ?? standardsByArea.set(areaId, []).get(areaId)!).push(r);
  }
  const areas = score.rollups.areas.map((a) => ({
    text: `- ${ctx.areaTitle(a.key)}: ${rollupSentence(a)}`,
    standards: (standardsByArea.get(a.key) ?? []).map((s) => `+ ${standardTitle(s.key, s.name)}: ${rollupSentence(s)}`),
  }));

  const withoutTarget = indicators.filter((i) => i.hasTarget === false).length;
  const notMet = indicators.filter((i) => i.verdict === 'not_met').map((i) => `- Chỉ số ${i.id}: ${trimStop(i.text)} — ${shortfall(i, year)}.`);
  const incomplete = indicators.filter((i) => coverageText(i) !== null)
    .map((i) => `- ${named(i)}: số liệu của ${coverageText(i)} — ${VERDICT_LABELS[i.verdict].toLocaleLowerCase('vi-VN')} trên số liệu đã có.`);

  const changed = indicators.flatMap((i) => i.measures.map((m) => ({ i, m })))
    .filter(({ m }) => m.change !== null && m.previous !== null && m.value !== null && m.change !== 0)
    .sort((a, b) => scaledChange(b.i, b.m) - scaledChange(a.i, a.m) || a.m.id.localeCompare(b.m.id))
    .slice(0, 5);
  const changes = changed.map(({ i, m }) =>
    `- ${named(i)}${i.measures.length > 1 ? `, ${lowerFirst(m.label)}` : ''}: ${withUnit(m.previous!, m.unit)} năm ${prevYear ?? year - 1} → ` +
    `${withUnit(m.value!, m.unit)} năm ${year}, ${changeText(m)}${scaleNote(i, m)}.`);
  const verdictChanges = verdictChangeLines(catalog, score, year);

  const trend = ctx.input.trend.filter((t) => t.total > 0);
  const footing = overall.sameFooting;
  const differentBases = new Set(trend.map((t) => t.assessed)).size > 1;
  const trendText = trend.length
    ? `Tỷ lệ chỉ số đạt trên số chỉ số đã đánh giá qua các năm có số liệu: ${trend.map((t) => `năm ${t.year}: ${percentOf(t.met, t.assessed)} (${t.met}/${t.assessed})`).join('; ')}.` +
      (differentBases ? ' Số chỉ số được đánh giá mỗi năm khác nhau (chỉ tiêu áp dụng mỗi năm khác nhau), nên các tỷ lệ này không cùng một cơ sở.' : '') +
      (footing && prevYear !== null && footing.indicators > 0
        ? ` So sánh cùng cơ sở (${footing.indicators} chỉ số được đánh giá ở cả hai năm theo chỉ tiêu không đổi): năm ${prevYear} đạt ${footing.previousMet}/${footing.indicators}, năm ${year} đạt ${footing.met}/${footing.indicators}.`
        : '')
    : '';

  const standardOrder = new Map(catalog.standards.map((s, i) => [s.id, i]));
  const standardBars = [...score.rollups.standards]
    .sort((a, b) => (standardOrder.get(a.key) ?? 1e9) - (standardOrder.get(b.key) ?? 1e9))
    .map((s) => ({ id: s.key, name: s.name, met: s.met, notMet: s.notMet, missing: s.missing }));

  const inc = overall.incomplete;
  const kinds = byKindText(overall, year);
  const incompleteLine = incompleteText(overall);
  const answered = indicators.filter((i) => i.queries.some((q) => q.answered));
  const open = indicators.filter((i) => i.queries.some((q) => !q.answered));
  const details = [
    `Một chỉ số được đánh giá đạt khi đạt mọi chỉ tiêu áp dụng trong năm: ngưỡng của tiêu chí và chỉ tiêu lộ trình của Kế hoạch cho năm ${year}` +
      (kinds ? `; kết quả ${kinds}.` : '.'),
    ...(incompleteLine ? [`${incompleteLine.charAt(0).toLocaleUpperCase('vi-VN')}${incompleteLine.slice(1)}: kết quả của các chỉ số này mới phản ánh một phần các đơn vị.`] : []),
    ...score.goals.map((g) => `Tiến độ so với mục tiêu: ${goalText(g)}.`),
    ...(score.comparison?.note ? [score.comparison.note] : []),
    ...(answered.length ? [`Đơn vị đã giải trình số liệu bất thường ở ${answered.length} chỉ số (${answered.map((i) => i.id).join(', ')}); nội dung giải trình tại cột Ghi chú của Phụ lục I.`] : []),
    ...(open.length ? [`${open.length} chỉ số có cảnh báo về số liệu chưa được đơn vị giải trình (${open.map((i) => i.id).join(', ')}); xem cột Ghi chú của Phụ lục I.`] : []),
  ];

  return {
    number: '3',
    // The heading as the city's outline (seeds/sources/002) gives it.
    title: 'Công tác triển khai thực hiện các tiêu chí, chỉ số trong Bộ tiêu chí xây dựng thành phố học tập toàn cầu UNESCO',
    overall: `Năm ${year}, trong ${overall.total} chỉ số có chỉ tiêu áp dụng${withoutTarget ? ` (${withoutTarget} chỉ số khác chưa có chỉ tiêu cho năm này)` : ''}, ` +
      `${overall.assessed} chỉ số có số liệu để đánh giá: ${overall.met} chỉ số đạt (${percentOf(overall.met, overall.assessed)})` +
      `${inc.met ? `, trong đó ${inc.met} chỉ số chưa đủ số liệu của các đơn vị` : ''}; ` +
      `${overall.notMet} chỉ số chưa đạt${inc.notMet ? ` (${inc.notMet} chỉ số chưa đủ số liệu của các đơn vị)` : ''}; ` +
      `${overall.missing} chỉ số không có số liệu.`,
    details,
    incomplete,
    standardsChart: standardsChart(standardBars, `Số chỉ số đạt, chưa đạt và thiếu số liệu theo tiêu chuẩn, năm ${year}`),
    standardBars,
    standardsCaption: `Biểu đồ 1. Số chỉ số đạt, chưa đạt và thiếu số liệu theo tiêu chuẩn, năm ${year}`,
    areasTitle: 'a) Kết quả theo lĩnh vực và tiêu chuẩn',
    areas,
    notMetTitle: 'b) Các chỉ số chưa đạt',
    notMet,
    notMetNone: 'Không có chỉ số nào chưa đạt trong số các chỉ số đã đánh giá.',
    changesTitle: `c) Những thay đổi lớn nhất so với năm ${prevYear ?? year - 1}`,
    changes,
    verdictChanges,
    changesNone: prevYear === null
      ? `Chưa có số liệu năm ${year - 1} trong cơ sở dữ liệu để so sánh.`
      : `Không có số đo nào thay đổi so với năm ${prevYear}.`,
    trendText,
    trendChart: trend.length ? trendChart(trend, 'Tỷ lệ chỉ số đạt qua các năm') : '',
    trendPoints: trend.map((t) => ({ year: t.year, met: t.met, assessed: t.assessed, total: t.total })),
    trendCaption: trend.length ? 'Biểu đồ 2. Tỷ lệ chỉ số đạt trên số chỉ số đã đánh giá qua các năm' : '',
  };
}

function rollupSentence(r: Rollup): string {
  if (r.assessed === 0) {
    return r.missing ? `chưa đánh giá được (${r.missing} chỉ số thiếu số liệu).` : 'chưa có chỉ số nào có chỉ tiêu cho năm này.';
  }
  const extra = [
    ...(r.missing ? [`${r.missing} chỉ số thiếu số liệu`] : []),
    // Among the assessed: an indicator without any figure is counted as missing already.
    ...(r.incomplete.met + r.incomplete.notMet ? [`${r.incomplete.met + r.incomplete.notMet} chỉ số chưa đủ số liệu của các đơn vị`] : []),
  ];
  return `đạt ${r.met}/${r.assessed} chỉ số đã đánh giá${extra.length ? ` (${extra.join('; ')})` : ''}.`;
}

/** The target as the sentence names it: "ngưỡng của tiêu chí ≥ 90%", "chỉ tiêu năm 2024 (theo mốc năm 2025) ≥ 60%". */
function targetPhrase(t: TargetResult, year: number): string {
  const text = lowerFirst(t.text.replace(/ \(mốc năm \d+\)$/, ''));
  return t.kind === 'threshold' ? `ngưỡng của tiêu chí ${text}` : `chỉ tiêu ${lowerFirst(targetWho(t, year))} ${text}`;
}

/**
 * How an indicator falls short, judged twice: the figure, then every target in force with its own verdict (the
 * criterion's threshold and the year's roadmap target side by side).
 */
function shortfall(i: IndicatorScore, year: number): string {
  const targets = [...i.threshold.targets, ...(i.roadmap?.targets ?? [])];
  const byMeasure = new Map<string, TargetResult[]>();
  for (const t of targets) (byMeasure.get(t.measureId) ?? byMeasure.set(t.measureId, []).get(t.measureId)!).push(t);
  const parts = [...byMeasure.entries()].filter(([, list]) => list.some((t) => t.verdict !== 'met')).map(([measureId, list]) => {
    const m = i.measures.find((x) => x.id === measureId);
    const label = i.measures.length > 1 && m ? `${m.label}: ` : '';
    const judged = list.map((t) => `${targetPhrase(t, year)}: ${VERDICT_LABELS[t.verdict].toLocaleLowerCase('vi-VN')}`);
    return `${label}kết quả ${measuredText(list[0], m)}, ${judged.join('; ')}`;
  });
  const cov = coverageText(i);
  const extra = [...(cov ? [`số liệu của ${cov}`] : []), ...(i.queries.some((q) => q.answered) ? ['đơn vị đã giải trình số liệu'] : [])];
  return (parts.length ? parts.join('; ') : `chưa đạt (${VERDICT_LABELS[i.verdict]})`) + (extra.length ? ` (${extra.join('; ')})` : '');
}

function measuredText(t: TargetResult, m: MeasureScore | undefined): string {
  if (t.comparator === 'increase' || t.comparator === 'decrease') {
    return t.direction ? `${directionWord(t.direction).toLocaleLowerCase('vi-VN')} so với năm trước` : 'không xác định được xu hướng';
  }
  if (t.measured === null) return 'chưa có số liệu';
  return withUnit(t.measured, m?.unit ?? '');
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

function scaleNote(i: IndicatorScore, m: MeasureScore): string {
  const scale = targetScale(i, m);
  if (scale === null || m.change === null) return '';
  return ` (bằng ${percentOf(Math.abs(m.change), scale)} mức chỉ tiêu ${withUnit(scale, m.unit)})`;
}

/** Whether this year's targets are higher than last year's for the same measures (>= targets), lower, or otherwise changed. */
function targetMove(catalog: Catalog, i: IndicatorScore, year: number): { word: string; before: string; now: string } {
  const ind = catalog.indicatorById.get(i.id);
  const now = [...i.threshold.targets, ...(i.roadmap?.targets ?? [])];
  const nowText = now.map((t) => `${t.kind === 'threshold' ? 'ngưỡng' : t.year !== year ? `mốc năm ${t.year}` : `chỉ tiêu năm ${year}`} ${t.text.replace(/ \(mốc năm \d+\)$/, '')}`).join(', ');
  if (!ind) return { word: 'do chỉ tiêu thay đổi', before: '', now: nowText };
  const prev = targetsInForce(ind, year - 1);
  const prevList = [...prev.threshold, ...prev.roadmap];
  const unitOf = (id: string) => i.measures.find((m) => m.id === id)?.unit ?? '';
  const before = prevList.map((t) => `${t.year === null ? 'ngưỡng' : t.year === year - 1 ? `chỉ tiêu năm ${year - 1}` : `mốc năm ${t.year}`} ${describeTarget(t, unitOf(t.measureId))}`).join(', ');
  let higher = 0, lower = 0;
  for (const t of now) {
    const p = prevList.find((x) => x.measureId === t.measureId && x.comparator === t.comparator && (x.year === null) === (t.kind === 'threshold'));
    if (!p || t.value === null || p.value === null || t.value === p.value) continue;
    const up = t.comparator === '<=' ? t.value < p.value : t.value > p.value;
    if (up) higher++;
    else lower++;
  }
  const word = higher && !lower ? 'do chỉ tiêu năm nay cao hơn' : lower && !higher ? 'do chỉ tiêu năm nay thấp hơn' : 'do chỉ tiêu thay đổi';
  return { word, before, now: nowText };
}

/**
 * Verdicts that moved since last year: improved and declined when the figures moved across the same target; a move
 * that only a change of target explains is said to be so (never counted as progress or decline).
 */
function verdictChangeLines(catalog: Catalog, score: ScoreReport, year: number): string[] {
  const prevYear = score.previousYear ?? year - 1;
  const up = score.indicators.filter((i) => i.verdictChange === 'improved');
  const down = score.indicators.filter((i) => i.verdictChange === 'declined');
  const moved = score.indicators.filter((i) => i.verdictChange === 'target_changed');
  const lines: string[] = [];
  if (up.length) lines.push(`- ${up.length} chỉ số chuyển từ chưa đạt sang đạt nhờ kết quả tốt lên (xét theo cùng chỉ tiêu năm nay): ${up.map((i) => named(i)).join('; ')}.`);
  if (down.length) lines.push(`- ${down.length} chỉ số chuyển từ đạt sang chưa đạt do kết quả kém đi (xét theo cùng chỉ tiêu năm nay): ${down.map((i) => named(i)).join('; ')}.`);
  for (const i of moved) {
    const mv = targetMove(catalog, i, year);
    const from = VERDICT_LABELS[i.previousVerdict!].toLocaleLowerCase('vi-VN');
    const to = VERDICT_LABELS[i.verdict].toLocaleLowerCase('vi-VN');
    const figures = i.measures.filter((m) => m.previous !== null && m.value !== null)
      .map((m) => `${withUnit(m.previous!, m.unit)} năm ${prevYear} → ${withUnit(m.value!, m.unit)} năm ${year}`).join('; ');
    lines.push(`- ${named(i)}: chuyển từ ${from} sang ${to} ${mv.word}, không phải do kết quả thay đổi` +
      `${figures ? ` (kết quả ${figures}` : ' ('}` +
      `${mv.before ? `; năm ${prevYear} đánh giá theo ${mv.before}, ` : '; '}năm ${year} theo ${mv.now}).`);
  }
  return lines;
}
