/** Phụ lục I (partial appendix-indicators.hbs): every indicator with its result, target and verdict, by area. */
import { VERDICT_LABELS, type IndicatorScore } from '../../scoring/types.ts';
import { formatIndicatorValue, formatTargets, formatValue } from '../../scoring/format.ts';
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
        results: resultLines(i),
        targets: formatTargets(i, ctx.year),
        verdict: i.hasTarget === false ? 'Chưa có chỉ tiêu' : VERDICT_LABELS[i.verdict],
        verdictKey: i.verdict,
      };
    });
    groups.push({ title: ctx.areaTitle(areaId), rows });
  }
  return {
    label: 'Phụ lục I',
    title: `KẾT QUẢ THỰC HIỆN CÁC TIÊU CHÍ, CHỈ SỐ XÂY DỰNG THÀNH PHỐ HỌC TẬP NĂM ${ctx.year}`,
    attached: ctx.attached,
    columns: ['Tiêu chuẩn', 'Tiêu chí', 'Chỉ số', 'Đơn vị phụ trách', 'Kết quả', 'Chỉ tiêu', 'Đánh giá'],
    groups,
    note: 'Kết quả toàn Thành phố: tỷ lệ tính lại từ tổng tử số và mẫu số của các đơn vị; “≈”: bình quân các tỷ lệ do đơn vị báo cáo (không có tử số, mẫu số). ' +
      'Chỉ tiêu: “Ngưỡng” là mức của tiêu chí, “Năm” là chỉ tiêu lộ trình của Kế hoạch cho năm báo cáo (được dùng để đánh giá khi có).',
  };
}

function resultLines(i: IndicatorScore): string[] {
  const lines = formatIndicatorValue(i).filter((l) => l && l !== '—');
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

/** "(20/22 đơn vị báo cáo)" when an agency stands for several units (districts, communes). */
function reportersNote(i: IndicatorScore): string[] {
  const m = i.measures[0];
  return m && m.expected > i.agencies.length ? [`(${m.reporters}/${m.expected} đơn vị báo cáo)`] : [];
}
