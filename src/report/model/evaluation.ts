/** Part II (partials achieved.hbs and difficulties.hbs): what was achieved, and what fell short and why. */
import type { IndicatorScore } from '../../scoring/types.ts';
import { goalText, incompleteText } from '../../scoring/format.ts';
import { formatDayVi, instantOfDay } from '../../dates.ts';
import { percentOf, viShortDate } from '../format.ts';
import { named } from './results.ts';
import type { ModelContext } from './context.ts';
import type { Narratives } from './narratives.ts';
import type { AchievedModel, DifficultiesModel } from './types.ts';
import { trimStop } from './text.ts';

export function buildAchieved(ctx: ModelContext): AchievedModel {
  const { score } = ctx.input;
  const { year, counts, received, totalUnits } = ctx;
  const overall = score.rollups.overall;
  const prevYear = score.previousYear;
  const prevOverall = overall.previous;
  const incomplete = incompleteText(overall);
  const ownDate = ctx.input.date;
  const dateBefore = (a: typeof ownDate, b: typeof ownDate) => a.year * 10000 + a.month * 100 + a.day <= b.year * 10000 + b.month * 100 + b.day;
  const reportDeadline = formatDayVi(instantOfDay(ctx.reportDeadline));
  const paragraphs = [
    `Năm ${year}, ${received}/${totalUnits} đơn vị đã gửi báo cáo (${counts.on_time} đơn vị đúng hạn, ${counts.late} đơn vị trễ hạn so với hạn ` +
      `ngày ${viShortDate(ctx.input.status.deadline)}); báo cáo của Thành phố ${dateBefore(ownDate, ctx.reportDeadline) ? 'lập trong hạn' : 'lập sau hạn'} ngày ${reportDeadline}. ` +
      `Toàn Thành phố đạt ${overall.met}/${overall.assessed} chỉ số đã đánh giá (${percentOf(overall.met, overall.assessed)})` +
      `${overall.missing ? `, ${overall.missing} chỉ số không có số liệu` : ''}${incomplete ? `; ${incomplete}` : ''}; kết quả từng tiêu chí, chỉ số tại mục 3 phần I và Phụ lục I.`,
    ...score.goals.map((g) => `So với mục tiêu của Kế hoạch: ${goalText(g)}.`),
  ];
  if (prevOverall && prevYear !== null) {
    // Year on year only on the same footing: the indicators judged in both years against unchanged targets.
    const f = overall.sameFooting;
    const moved = score.indicators.filter((i) => i.verdictChange === 'target_changed');
    const raw = `năm ${prevYear} đạt ${prevOverall.met}/${prevOverall.assessed}, năm ${year} đạt ${overall.met}/${overall.assessed} chỉ số đã đánh giá`;
    paragraphs.push(f && f.indicators > 0
      ? `So với năm ${prevYear}, trên cùng cơ sở so sánh (${f.indicators} chỉ số được đánh giá ở cả hai năm theo chỉ tiêu không đổi), số chỉ số đạt ` +
        `${f.met > f.previousMet ? `tăng từ ${f.previousMet} lên ${f.met}` : f.met < f.previousMet ? `giảm từ ${f.previousMet} xuống ${f.met}` : `không đổi (${f.met})`}` +
        `${moved.length ? `; ${moved.length} chỉ số đổi kết quả đánh giá chỉ do chỉ tiêu thay đổi: ${moved.map((i) => named(i)).join('; ')}` : ''}` +
        ` (số chỉ số có chỉ tiêu mỗi năm khác nhau: ${raw}).`
      : `Chưa so sánh được với năm ${prevYear} trên cùng cơ sở: không có chỉ số nào được đánh giá ở cả hai năm theo cùng chỉ tiêu (${raw}).`);
    if (score.comparison?.note) paragraphs.push(score.comparison.note);
  }
  const best = [...score.rollups.areas].filter((a) => a.assessed > 0).sort((a, b) => b.met / b.assessed - a.met / a.assessed)[0];
  if (best) paragraphs.push(`${ctx.areaTitle(best.key)} có tỷ lệ chỉ số đạt cao nhất: ${best.met}/${best.assessed} (${percentOf(best.met, best.assessed)}).`);
  return { number: '1', title: 'Kết quả đạt được', paragraphs };
}

export function buildDifficulties(ctx: ModelContext, narratives: Narratives): DifficultiesModel {
  const indicators = ctx.input.score.indicators;
  const { counts, totalUnits } = ctx;
  const agencyText = (i: IndicatorScore) => i.agencies.map((a) => a.name).join('; ');
  // A shortfall that only a change of target explains is said so (the figures are set out in I.3).
  const notMet = indicators.filter((i) => i.verdict === 'not_met').map((i) => `- Chỉ số ${i.id}: ${trimStop(i.text)}` +
    `${i.verdictChange === 'target_changed' ? ' (năm trước đạt; năm nay chưa đạt do chỉ tiêu thay đổi, xem mục 3 phần I)' : ''}.`);
  const missing = indicators.filter((i) => i.verdict === 'missing' && i.hasTarget !== false).map((i) => {
    const m = i.measures[0];
    const reporters = m && m.expected > 1 ? ` (${m.reporters}/${m.expected} đơn vị có số liệu)` : '';
    return `- Chỉ số ${i.id}: ${trimStop(i.text)} — đơn vị phụ trách: ${agencyText(i)}${reporters}.`;
  });
  const missingUnits = counts.missing + counts.rejected + counts.held;
  return {
    number: '2',
    title: narratives.titleOf('II.2') ?? 'Khó khăn, tồn tại và nguyên nhân',
    notMetIntro: notMet.length ? `${notMet.length} chỉ số chưa đạt chỉ tiêu:` : 'Không có chỉ số nào chưa đạt chỉ tiêu trong số các chỉ số đã đánh giá.',
    notMet,
    missingIntro: missing.length ? `${missing.length} chỉ số chưa có đủ số liệu để đánh giá:` : 'Tất cả các chỉ số đều có số liệu để đánh giá.',
    missing,
    unitsIntro: missingUnits
      ? `${missingUnits}/${totalUnits} đơn vị chưa có báo cáo được chấp nhận (${counts.missing} chưa nộp, ${counts.rejected} bị từ chối${counts.held ? `, ${counts.held} chờ xác nhận` : ''}); danh sách tại Phụ lục II.`
      : '',
    narrative: narratives.section('II.2', '', ''),
  };
}
