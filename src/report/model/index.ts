/**
 * The report model: everything the templates show, already worded in Vietnamese and NFC-normalised.
 * A pure function of the scores, the reporting status, the narratives and the profile, so that the same figures always
 * give the same document and the templates stay free of logic. One builder per part of the document (per partial).
 */
import { buildAppendixIndicators } from './appendix-indicators.ts';
import { buildAppendixTexts } from './appendix-texts.ts';
import { buildAppendixCommendations } from './appendix-commendations.ts';
import { difficultyLines, highlightsSentence, proposalLines, topDifficulties } from './items.ts';
import { draftTasks, withItems } from './synthesis.ts';
import { buildAppendixUnits } from './appendix-units.ts';
import { buildAppendixByUnit } from './appendix-by-unit.ts';
import { buildClosing } from './closing.ts';
import { modelContext } from './context.ts';
import { buildAchieved, buildDifficulties, synthesised } from './evaluation.ts';
import { buildHeader, buildTitle } from './header.ts';
import { buildNarratives, withSubsections } from './narratives.ts';
import { buildResults } from './results.ts';
import { normaliseDeep } from './text.ts';
import type { ReportInput, ReportModel } from './types.ts';

export type * from './types.ts';
export { cleanNarrative } from './text.ts';

export function buildReportModel(input: ReportInput): ReportModel {
  const ctx = modelContext(input);
  const { year, nextYear } = ctx;
  const narratives = buildNarratives(ctx);
  const propaganda = narratives.section('I.1.1', '1.1');
  const guidance = narratives.section('I.1.2', '1.2');
  const directing = withSubsections(narratives.section('I.1', '1'), [propaganda, guidance]);
  const digital = narratives.section('I.2', '2');
  const week = narratives.section('I.4', '4', `${narratives.titleOf('I.4') ?? 'Công tác tổ chức Tuần lễ hưởng ứng học tập suốt đời'} năm ${year}`);
  const citizens = narratives.section('I.5', '5');
  // II.2, III and IV from the units' structured items (issue 23) where they gave them, else from their sentences.
  const sectionsOf = (code: string) => input.catalog.narratives.filter((n) => n.reportSection === code).map((n) => n.id);
  const drafted = buildDifficulties(ctx, narratives);
  const difficulties = { ...drafted, narrative: withItems(ctx, drafted.narrative, sectionsOf('II.2').flatMap((id) => difficultyLines(ctx, id)), sectionsOf('II.2')) };
  const taskBlock = synthesised(ctx, narratives.section('III', '', ''), 'đề ra nhiệm vụ', 'nhiệm vụ');
  const ownTasks = draftTasks(ctx, sectionsOf('II.2').map((id) => topDifficulties(ctx, id)).filter(Boolean).join(', '));
  // The tasks drafted from what fell short come first, then the units' own (their count line before them).
  const tasks = ownTasks.length
    ? { ...taskBlock, empty: false, synthesis: '', points: [...ownTasks, ...(taskBlock.synthesis ? [taskBlock.synthesis] : []), ...taskBlock.points] }
    : taskBlock;
  const proposals = withItems(ctx, synthesised(ctx, narratives.section('IV', '', ''), 'đề xuất', 'đề xuất, kiến nghị'),
    sectionsOf('IV').flatMap((id) => proposalLines(ctx, id)), sectionsOf('IV'));
  const achieved = buildAchieved(ctx);
  const highlights = highlightsSentence(ctx, (id) => input.catalog.narratives.find((n) => n.id === id)?.title ?? id);
  if (highlights) achieved.paragraphs.push(highlights);
  const model: ReportModel = {
    year,
    draftMark: input.review && !input.review.final ? 'DỰ THẢO' : null,
    nextYear,
    header: buildHeader(ctx),
    ...buildTitle(ctx),
    partI: {
      heading: `I. KẾT QUẢ THỰC HIỆN NĂM ${year}`,
      directing,
      digital,
      results: buildResults(ctx),
      week,
      citizens,
    },
    partII: {
      heading: 'II. ĐÁNH GIÁ VỀ KẾT QUẢ ĐẠT ĐƯỢC, KHÓ KHĂN, TỒN TẠI VÀ NGUYÊN NHÂN',
      achieved,
      difficulties,
    },
    partIII: { heading: `III. NHIỆM VỤ TRỌNG TÂM NĂM ${nextYear}`, narrative: tasks },
    partIV: { heading: 'IV. ĐỀ XUẤT, KIẾN NGHỊ', narrative: proposals },
    otherNarratives: narratives.other,
    ...buildClosing(ctx),
    appendixI: buildAppendixIndicators(ctx),
    appendixII: buildAppendixUnits(ctx),
    appendixByUnit: buildAppendixByUnit(ctx),
    appendixCommendations: buildAppendixCommendations(ctx),
    // By section in the order of the report, under the headings it prints.
    appendixIII: buildAppendixTexts(ctx, [
      { title: `I.1. ${directing.title}`, block: directing },
      { title: `I.1.1. ${propaganda.title}`, block: propaganda },
      { title: `I.1.2. ${guidance.title}`, block: guidance },
      { title: `I.2. ${digital.title}`, block: digital },
      { title: `I.4. ${week.title}`, block: week },
      { title: `I.5. ${citizens.title}`, block: citizens },
      { title: `II.2. ${difficulties.title}`, block: difficulties.narrative },
      { title: `III. Nhiệm vụ trọng tâm năm ${nextYear}`, block: tasks },
      { title: 'IV. Đề xuất, kiến nghị', block: proposals },
      ...narratives.other.map((b) => ({ title: b.title, block: b })),
    ]),
  };
  return normaliseDeep(model);
}
