/** Part II (partials achieved.hbs and difficulties.hbs): what was achieved, and what fell short and why. */
import type { IndicatorScore } from '../../scoring/types.ts';
import { isMilestoneOnly } from '../../scoring/rollup.ts';
import { percentOf, viShortDate } from '../format.ts';
import type { ModelContext } from './context.ts';
import { bestAreaSentences, footingSentence, milestoneProgress, milestoneYears, ownCounts } from './counts.ts';
import type { Narratives } from './narratives.ts';
import { groupSentences, ownVoice } from './synthesis.ts';
import type { AchievedModel, DifficultiesModel, NarrativeBlock } from './types.ts';
import { trimStop } from './text.ts';

export function buildAchieved(ctx: ModelContext): AchievedModel {
  const { score } = ctx.input;
  const { year, counts, received, totalUnits } = ctx;
  const c = score.rollups.overall.categories;
  const own = ownCounts(c);
  const deadline = viShortDate(ctx.input.status.deadline);
  const paragraphs = [
    `Năm ${year}, ${received}/${totalUnits} đơn vị đã gửi báo cáo; ${counts.on_time} đơn vị gửi đúng hạn (hạn ngày ${deadline})` +
      `${counts.late ? `, ${counts.late} đơn vị gửi trễ hạn` : ''}.`,
  ];
  if (own.assessed) {
    const partial = c.metPartial ? `, trong đó ${c.metPartial} chỉ số mới có số liệu của một phần các đơn vị` : '';
    paragraphs.push(`Thành phố đạt ${own.met}/${own.assessed} chỉ số có chỉ tiêu năm ${year} (${percentOf(own.met, own.assessed)})${partial}; kết quả từng tiêu chí, chỉ số tại mục 3 phần I và Phụ lục I.`);
  }
  if (c.milestone.total) {
    paragraphs.push(`Với các chỉ số của Kế hoạch chưa có chỉ tiêu riêng năm ${year}, ${c.milestone.reached}/${c.milestone.total} chỉ số đã đạt mức của mốc ${milestoneYears(score.indicators).map((y) => `năm ${y}`).join(', ')}.`);
  }
  const footing = footingSentence(score);
  if (footing) paragraphs.push(footing);
  if (score.comparison?.note) paragraphs.push(score.comparison.note);
  paragraphs.push(...bestAreaSentences(score, ctx.areaTitle));
  return { number: '1', title: 'Kết quả đạt được', paragraphs, written: null };
}

export function buildDifficulties(ctx: ModelContext, narratives: Narratives): DifficultiesModel {
  const { score } = ctx.input;
  const indicators = score.indicators;
  const { counts, totalUnits, year } = ctx;
  const c = score.rollups.overall.categories;
  const agencyText = (i: IndicatorScore) => i.agencies.map((a) => a.name).join('; ');
  const own = indicators.filter((i) => i.hasTarget && !isMilestoneOnly(i));
  const notMetOf = (complete: boolean) => own.filter((i) => i.verdict === 'not_met' && i.coverage.complete === complete);
  const line = (i: IndicatorScore) => `- Chỉ số ${i.id}: ${trimStop(i.text)} (đơn vị phụ trách: ${agencyText(i)})` +
    `${i.verdictChange === 'target_changed' ? '; năm trước đạt, năm nay chưa đạt do chỉ tiêu thay đổi' : ''}.`;
  const milestone = indicators.filter((i) => isMilestoneOnly(i) && i.verdict === 'not_met').map((i) => {
    const t = i.roadmap!.targets.find((x) => x.verdict === 'not_met') ?? i.roadmap!.targets[0];
    const m = i.measures.find((x) => x.id === t.measureId);
    return `- Chỉ số ${i.id}: ${trimStop(i.text)}: ${milestoneProgress(t, m?.unit ?? '')}.`;
  });
  const notMet = [
    ...notMetOf(true).map(line),
    ...(c.notMetPartial ? [`${c.notMetPartial} chỉ số chưa đạt trên số liệu của một phần các đơn vị:`, ...notMetOf(false).map(line)] : []),
    ...(milestone.length ? [`${milestone.length} chỉ số của Kế hoạch chưa đạt mức của mốc sau (không phải chỉ tiêu năm ${year}):`, ...milestone] : []),
  ];
  const missing = own.filter((i) => i.verdict === 'missing').map((i) => {
    const m = i.measures[0];
    const reporters = m && m.expected > 1 ? ` (${m.reporters}/${m.expected} đơn vị có số liệu)` : '';
    return `- Chỉ số ${i.id}: ${trimStop(i.text)}; đơn vị phụ trách: ${agencyText(i)}${reporters}.`;
  });
  const partial = c.metPartial + c.notMetPartial;
  const missingUnits = counts.missing + counts.rejected + counts.held;
  const narrative = narratives.section('II.2', '', '');
  return {
    number: '2',
    title: narratives.titleOf('II.2') ?? 'Khó khăn, tồn tại và nguyên nhân',
    notMetIntro: c.notMet ? `${c.notMet} chỉ số chưa đạt chỉ tiêu năm ${year} trên số liệu của đủ các đơn vị:` : `Không có chỉ số nào chưa đạt chỉ tiêu năm ${year} trên số liệu của đủ các đơn vị.`,
    notMet,
    missingIntro: missing.length ? `${missing.length} chỉ số có chỉ tiêu chưa có số liệu để đánh giá:`
      : partial ? `Các chỉ số có chỉ tiêu đều có số liệu; ${partial} chỉ số trong đó mới có số liệu của một phần các đơn vị.`
        : 'Các chỉ số có chỉ tiêu đều có số liệu của đủ các đơn vị.',
    missing,
    unitsIntro: missingUnits
      ? `${missingUnits}/${totalUnits} đơn vị chưa có báo cáo được chấp nhận (${[`${counts.missing} chưa nộp`, ...(counts.rejected ? [`${counts.rejected} bị từ chối`] : []), ...(counts.held ? [`${counts.held} chờ xác nhận`] : [])].join(', ')}); danh sách tại Phụ lục II.`
      : '',
    narrative: synthesised(ctx, narrative, 'nêu', 'khó khăn'),
    written: null,
  };
}

/**
 * A section of the units' texts said as the department's: its own paragraphs (without what it asks of itself), then
 * each sentence of the units with the units that wrote it, and how many wrote nothing to report.
 */
export function synthesised(ctx: ModelContext, b: NarrativeBlock, verb: string, what: string): NarrativeBlock {
  if (b.empty) return b;
  const g = groupSentences(ctx, b, verb);
  const where = ctx.separateAnnex ? 'Phụ lục III (tài liệu riêng kèm theo Báo cáo)' : 'Phụ lục III';
  return {
    ...b,
    lead: ownVoice(ctx, b.lead),
    synthesis: g.writers ? `Tổng hợp báo cáo của ${g.writers} đơn vị (toàn văn tại ${where}):` : '',
    points: [...g.lines, ...(g.none ? [`- ${g.none} đơn vị không có ${what}.`] : [])],
  };
}
