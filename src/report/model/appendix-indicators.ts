/** Phụ lục I (partial appendix-indicators.hbs): every indicator with its result, target and verdict, by area. */
import type { IndicatorScore } from '../../scoring/types.ts';
import {
  THRESHOLD_COLUMN, formatMeasure, formatValue, targetsInWords, indicatorNotes, judgedByDirection, verdictsByKind,
} from '../../scoring/format.ts';
import { isMilestoneOnly } from '../../scoring/rollup.ts';
import { changeWords } from '../format.ts';
import { formatNumberVi } from '../../vi/numbers.ts';
import type { ModelContext } from './context.ts';
import type { AppendixIndicatorsModel, AppendixRow } from './types.ts';

export function buildAppendixIndicators(ctx: ModelContext): AppendixIndicatorsModel {
  const { catalog, score } = ctx.input;
  const groups: { title: string; rows: AppendixRow[] }[] = [];
  const byArea = new Map<string, IndicatorScore[]>();
  for (const i of score.indicators) (byArea.get(i.areaId) ?? byArea.set(i.areaId, []).get(i.areaId)!).push(i);
  const areaOrder = catalog.areas.map((a) => a.id).filter((id) => byArea.has(id));
  for (const id of byArea.keys()) if (!areaOrder.includes(id)) areaOrder.push(id);
  for (const areaId of areaOrder) {
    const list = byArea.get(areaId)!;
    const rows = list.map((i, k): AppendixRow => {
      const kinds = verdictsByKind(i);
      const prev = list[k - 1];
      const next = list[k + 1];
      const std = catalog.standardById.get(i.standardId);
      const crit = catalog.criterionById.get(i.criterionId);
      return {
        id: i.id,
        text: i.text,
        standard: { text: `${i.standardId}. ${std?.name ?? ''}`, first: prev?.standardId !== i.standardId, last: next?.standardId !== i.standardId },
        criterion: { text: `${i.criterionId}. ${crit?.name ?? ''}`, first: prev?.criterionId !== i.criterionId, last: next?.criterionId !== i.criterionId },
        agencies: [...i.agencies.map((a) => a.name), ...reportersNote(i)],
        results: resultLines(i, score.previousYear),
        // In words with the threshold's source (issue 23): no "≥", no gap such as "45–55% (0)".
        targets: targetsInWords(i, ctx.year),
        thresholdVerdict: i.hasTarget === false ? '' : kinds.threshold,
        // A later milestone measures progress: never the year's Đạt / Chưa đạt.
        roadmapVerdict: i.hasTarget === false ? '' : isMilestoneOnly(i) && !i.pending ? milestoneCell(i) : kinds.roadmap,
        notes: indicatorNotes(i, score.previousYear, true),
        verdict: kinds.overall,
        verdictKey: i.verdict,
      };
    });
    groups.push({ title: ctx.areaTitle(areaId), rows });
  }
  return {
    label: 'Phụ lục I',
    title: `KẾT QUẢ THỰC HIỆN CÁC TIÊU CHÍ, CHỈ SỐ XÂY DỰNG THÀNH PHỐ HỌC TẬP NĂM ${ctx.year}`,
    attached: ctx.attached,
    columns: ['Tiêu chuẩn', 'Tiêu chí', 'Chỉ số', 'Đơn vị phụ trách', `Kết quả (năm ${ctx.year}, năm trước)`, 'Chỉ tiêu', THRESHOLD_COLUMN, 'Theo chỉ tiêu của Kế hoạch', 'Đánh giá chung', 'Ghi chú'],
    groups,
    note: 'Kết quả toàn Thành phố: tỷ lệ tính lại từ tổng tử số và mẫu số của các đơn vị; “≈”: bình quân các tỷ lệ do đơn vị báo cáo (không có tử số, mẫu số). ' +
      `Chỉ tiêu: “Ngưỡng” là mức của tiêu chí, nguồn ghi trong ngoặc (Bộ tiêu chí, văn bản quy định, hoặc mức do Sở quy định khi Bộ tiêu chí không ghi ngưỡng); ` +
      `“Năm ${ctx.year}” là chỉ tiêu của Kế hoạch cho năm báo cáo; “Mốc năm …”: năm báo cáo không có chỉ tiêu riêng, ` +
      'kết quả được so với mốc gần nhất của Kế hoạch để theo dõi tiến độ, không đánh giá đạt hay chưa đạt của năm. Đánh giá chung “Đạt” khi đạt mọi chỉ tiêu áp dụng (ngưỡng và chỉ tiêu năm); ô có dấu gạch ngang: chỉ số không có loại chỉ tiêu đó; ' +
      '“Chưa kết luận”: số liệu có điểm không thể cùng đúng mà đơn vị chưa giải trình, chưa đánh giá cho đến khi đơn vị giải trình hoặc Sở xác nhận số liệu. ' +
      'Ghi chú: số đơn vị có số liệu khi chưa đủ, chỉ tiêu thay đổi so với năm trước, cảnh báo về số liệu và giải trình của đơn vị.',
  };
}

/**
 * This year's figure, last year's beside it and the change in words ("Tăng từ 42,6% lên 43,8%"); a measure judged by
 * its direction without last year's figure keeps the units' own word ("Tăng (đơn vị tự đánh giá)").
 */
function resultLines(i: IndicatorScore, previousYear: number | null): string[] {
  const lines = i.measures.flatMap((m) => {
    const label = i.measures.length > 1 ? `${m.label}: ` : '';
    if (m.previous === null || m.value === null || previousYear === null) {
      const v = formatMeasure(m, judgedByDirection(i, m.id));
      return v && v !== '—' ? [`${label}${v}`] : [];
    }
    const change = changeWords(m);
    const unit = m.unit === 'mức' ? '' : m.unit;
    return [`${label}${formatMeasure(m, false)}`, `Năm ${previousYear}: ${formatValue(m.previous, unit)}`, `${change.charAt(0).toLocaleUpperCase('vi-VN')}${change.slice(1)}`];
  });
  if (i.disagreement) {
    for (const a of i.agencyAnswers) {
      const vals = Object.entries(a.values).filter(([, v]) => v !== null).map(([id, v]) => {
        const m = i.measures.find((x) => x.id === id);
        return formatValue(v as number, m?.unit ?? '');
      });
      if (vals.length) lines.push(`${a.agencyName}: ${vals.join('; ')}`);
    }
  }
  return lines;
}

/**
 * "(22/22 đơn vị báo cáo)" when an agency stands for several units (districts, communes); fewer than expected is said
 * in the notes ("Số liệu của 20/22 đơn vị (chưa đủ)"), from the indicator's coverage.
 */
function reportersNote(i: IndicatorScore): string[] {
  const m = i.measures[0];
  if (!m || m.expected <= i.agencies.length || (i.hasTarget && !i.coverage.complete)) return [];
  return [`(${m.reporters}/${m.expected} đơn vị báo cáo)`];
}

/** Progress toward a later milestone, as the cell says it: "Đã đạt mức của mốc", "Còn cách 16,2 điểm %". */
function milestoneCell(i: IndicatorScore): string {
  const t = i.roadmap!.targets.find((x) => x.verdict !== 'met') ?? i.roadmap!.targets[0];
  if (t.verdict === 'met') return 'Đã đạt mức của mốc';
  if (t.verdict === 'missing' || t.gap === null) return 'Chưa có số liệu';
  const unit = i.measures.find((m) => m.id === t.measureId)?.unit ?? '';
  return `Còn cách ${unit === '%' ? `${formatNumberVi(Math.abs(t.gap), 1)} điểm %` : formatValue(Math.abs(t.gap), unit)}`;
}
