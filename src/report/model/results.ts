/** Section I.3 from the scores (partial results.hbs): counts per area and standard, what fell short, what changed, charts. */
import { VERDICT_LABELS, type IndicatorScore, type MeasureScore, type Rollup, type TargetResult } from '../../scoring/types.ts';
import { standardsChart, trendChart } from '../charts.ts';
import { changeMagnitude, changeText, directionWord, percentOf, withUnit } from '../format.ts';
import type { ModelContext } from './context.ts';
import type { ResultsModel } from './types.ts';
import { lowerFirst, trimStop } from './text.ts';

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
  const notMet = indicators.filter((i) => i.verdict === 'not_met').map((i) => `- Chỉ số ${i.id}: ${trimStop(i.text)} — ${shortfall(i)}.`);

  const changed = indicators.flatMap((i) => i.measures.map((m) => ({ i, m })))
    .filter(({ m }) => m.change !== null && m.previous !== null && m.value !== null && m.change !== 0)
    .sort((a, b) => changeMagnitude(b.m) - changeMagnitude(a.m) || a.m.id.localeCompare(b.m.id))
    .slice(0, 5);
  const changes = changed.map(({ i, m }) =>
    `- Chỉ số ${i.id} (${i.measures.length > 1 ? m.label : trimStop(i.text)}): ${withUnit(m.previous!, m.unit)} năm ${prevYear ?? year - 1} → ` +
    `${withUnit(m.value!, m.unit)} năm ${year}, ${changeText(m)}.`);
  const up = indicators.filter((i) => i.previousVerdict === 'not_met' && i.verdict === 'met').map((i) => i.id);
  const down = indicators.filter((i) => i.previousVerdict === 'met' && i.verdict === 'not_met').map((i) => i.id);
  const verdictChanges: string[] = [];
  if (up.length) verdictChanges.push(`- ${up.length} chỉ số chuyển từ chưa đạt sang đạt: ${up.join(', ')}.`);
  if (down.length) verdictChanges.push(`- ${down.length} chỉ số chuyển từ đạt sang chưa đạt: ${down.join(', ')}.`);

  const trend = ctx.input.trend.filter((t) => t.total > 0);
  const trendText = trend.length
    ? `Tỷ lệ chỉ số đạt trên số chỉ số đã đánh giá qua các năm có số liệu: ${trend.map((t) => `năm ${t.year}: ${percentOf(t.met, t.assessed)} (${t.met}/${t.assessed})`).join('; ')}.`
    : '';

  const standardOrder = new Map(catalog.standards.map((s, i) => [s.id, i]));
  const standardBars = [...score.rollups.standards]
    .sort((a, b) => (standardOrder.get(a.key) ?? 1e9) - (standardOrder.get(b.key) ?? 1e9))
    .map((s) => ({ id: s.key, name: s.name, met: s.met, notMet: s.notMet, missing: s.missing }));

  return {
    number: '3',
    // The heading as the city's outline (seeds/sources/002) gives it.
    title: 'Công tác triển khai thực hiện các tiêu chí, chỉ số trong Bộ tiêu chí xây dựng thành phố học tập toàn cầu UNESCO',
    overall: `Năm ${year}, trong ${overall.total} chỉ số có chỉ tiêu áp dụng${withoutTarget ? ` (${withoutTarget} chỉ số khác chưa có chỉ tiêu cho năm này)` : ''}, ` +
      `${overall.assessed} chỉ số có đủ số liệu để đánh giá: ${overall.met} chỉ số đạt (${percentOf(overall.met, overall.assessed)}), ` +
      `${overall.notMet} chỉ số chưa đạt; ${overall.missing} chỉ số thiếu số liệu.`,
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
  return `đạt ${r.met}/${r.assessed} chỉ số đã đánh giá${r.missing ? ` (${r.missing} chỉ số thiếu số liệu)` : ''}.`;
}

/** How an indicator falls short: each failed target, figure against target. */
function shortfall(i: IndicatorScore): string {
  const judged = i.roadmap ?? i.threshold;
  const failed = judged.targets.filter((t) => t.verdict === 'not_met');
  const parts = failed.map((t) => {
    const m = i.measures.find((x) => x.id === t.measureId);
    const label = i.measures.length > 1 && m ? `${m.label}: ` : '';
    return `${label}kết quả ${measuredText(t, m)}, ${t.kind === 'roadmap' ? 'chỉ tiêu Kế hoạch' : 'chỉ tiêu'} ${lowerFirst(t.text)}`;
  });
  return parts.length ? parts.join('; ') : `chưa đạt (${VERDICT_LABELS[i.verdict]})`;
}

function measuredText(t: TargetResult, m: MeasureScore | undefined): string {
  if (t.comparator === 'increase' || t.comparator === 'decrease') {
    return t.direction ? `${directionWord(t.direction).toLocaleLowerCase('vi-VN')} so với năm trước` : 'không xác định được xu hướng';
  }
  if (t.measured === null) return 'chưa có số liệu';
  return withUnit(t.measured, m?.unit ?? '');
}
