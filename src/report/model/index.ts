/**
 * The report model: everything the templates show, already worded in Vietnamese and NFC-normalised.
 * A pure function of the scores, the reporting status, the narratives and the profile, so that the same figures always
 * give the same document and the templates stay free of logic. One builder per part of the document (per partial).
 */
import { buildAppendixIndicators } from './appendix-indicators.ts';
import { buildAppendixUnits } from './appendix-units.ts';
import { buildClosing } from './closing.ts';
import { modelContext } from './context.ts';
import { buildAchieved, buildDifficulties } from './evaluation.ts';
import { buildHeader, buildTitle } from './header.ts';
import { buildNarratives } from './narratives.ts';
import { buildResults } from './results.ts';
import { normaliseDeep } from './text.ts';
import type { ReportInput, ReportModel } from './types.ts';

export type * from './types.ts';
export { cleanNarrative } from './text.ts';

export function buildReportModel(input: ReportInput): ReportModel {
  const ctx = modelContext(input);
  const { year, nextYear } = ctx;
  const narratives = buildNarratives(ctx);
  const model: ReportModel = {
    year,
    nextYear,
    header: buildHeader(ctx),
    ...buildTitle(ctx),
    partI: {
      heading: `I. KẾT QUẢ THỰC HIỆN NĂM ${year}`,
      directing: narratives.section('I.1', '1'),
      digital: narratives.section('I.2', '2'),
      results: buildResults(ctx),
      week: narratives.section('I.4', '4', `${narratives.titleOf('I.4') ?? 'Công tác tổ chức Tuần lễ hưởng ứng học tập suốt đời'} năm ${year}`),
      citizens: narratives.section('I.5', '5'),
    },
    partII: {
      heading: 'II. ĐÁNH GIÁ VỀ KẾT QUẢ ĐẠT ĐƯỢC, KHÓ KHĂN, TỒN TẠI VÀ NGUYÊN NHÂN',
      achieved: buildAchieved(ctx),
      difficulties: buildDifficulties(ctx, narratives),
    },
    partIII: { heading: `III. NHIỆM VỤ TRỌNG TÂM NĂM ${nextYear}`, narrative: narratives.section('III', '', '') },
    partIV: { heading: 'IV. ĐỀ XUẤT, KIẾN NGHỊ', narrative: narratives.section('IV', '', '') },
    otherNarratives: narratives.other,
    ...buildClosing(ctx),
    appendixI: buildAppendixIndicators(ctx),
    appendixII: buildAppendixUnits(ctx),
  };
  return normaliseDeep(model);
}
