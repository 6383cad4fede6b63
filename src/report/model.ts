/**
 * The report model: everything the templates show, already worded in Vietnamese and NFC-normalised.
 * A pure function of the scores, the reporting status, the narratives and the profile, so that the same figures always
 * give the same document and the templates stay free of logic.
 */
import type { Catalog } from '../catalog/types.ts';
import type { Profile, Unit } from '../catalog/workspace.ts';
import type { NarrativeRow } from '../store/queries.ts';
import { NARRATIVE_PLACEHOLDER } from '../templates/meta.ts';
import {
  UNIT_STATE_LABELS, VERDICT_LABELS,
  type IndicatorScore, type MeasureScore, type Rollup, type ScoreReport, type StatusReport, type TargetResult, type Verdict,
} from '../scoring/types.ts';
import { standardsChart, trendChart } from './charts.ts';
import { formatIndicatorValue, formatTargets, formatValue } from '../scoring/format.ts';
import {
  changeMagnitude, changeText, directionWord, documentNumberText, nfc, numberLine, percentOf, placeDateLine, viDateWords,
  viShortDate, viUpper, withUnit, type ReportDate,
} from './format.ts';

export interface TrendPoint { year: number; met: number; notMet: number; missing: number; assessed: number; total: number }

export interface ReportInput {
  profile: Profile;
  catalog: Catalog;
  roster: Unit[];
  score: ScoreReport;
  status: StatusReport;
  narratives: NarrativeRow[];
  /** Overall rollup of every year in the store (the report's year included when it has figures), ascending. */
  trend: TrendPoint[];
  date: ReportDate;
}

export interface NarrativeEntry { unitName: string; paragraphs: { lines: string[] }[] }
export interface NarrativeBlock { number: string; title: string; entries: NarrativeEntry[]; empty: boolean }

export interface AppendixRow {
  id: string;
  text: string;
  /** The standard's and criterion's cells: named on the first row of their group, continued below it. */
  standard: { text: string; first: boolean; last: boolean };
  criterion: { text: string; first: boolean; last: boolean };
  agencies: string[];
  results: string[];
  targets: string[];
  verdict: string;
  verdictKey: Verdict;
}

export interface UnitRow { index: number; code: string; name: string; state: string; stateKey: string; receivedAt: string; fileName: string }

export interface ReportModel {
  year: number;
  nextYear: number;
  header: { parentBody: string; issuingBody: string; numberLine: string; nationalTitle: string; motto: string; placeDate: string };
  docType: string;
  subject: string;
  canCu: string[];
  intro: string;
  partI: {
    heading: string;
    directing: NarrativeBlock;
    digital: NarrativeBlock;
    results: {
      number: string;
      title: string;
      overall: string;
      standardsChart: string;
      standardsCaption: string;
      areasTitle: string;
      areas: { text: string; standards: string[] }[];
      notMetTitle: string;
      notMet: string[];
      notMetNone: string;
      changesTitle: string;
      changes: string[];
      verdictChanges: string[];
      changesNone: string;
      trendText: string;
      trendChart: string;
      trendCaption: string;
    };
    week: NarrativeBlock;
    citizens: NarrativeBlock;
  };
  partII: {
    heading: string;
    achieved: { number: string; title: string; paragraphs: string[] };
    difficulties: {
      number: string;
      title: string;
      notMetIntro: string;
      notMet: string[];
      missingIntro: string;
      missing: string[];
      unitsIntro: string;
      narrative: NarrativeBlock;
    };
  };
  partIII: { heading: string; narrative: NarrativeBlock };
  partIV: { heading: string; narrative: NarrativeBlock };
  /** Narratives of sections the outline does not know (an edited catalog, an older template): nothing is dropped. */
  otherNarratives: NarrativeBlock[];
  closingSentence: string;
  closing: { recipientsLabel: string; recipients: string[]; authority: string; title: string; name: string };
  appendixI: {
    label: string;
    title: string;
    attached: string;
    columns: string[];
    groups: { title: string; rows: AppendixRow[] }[];
    note: string;
  };
  appendixII: {
    label: string;
    title: string;
    attached: string;
    summary: string[];
    columns: string[];
    rows: UnitRow[];
  };
}

const NARRATIVE_OUTLINE = ['I.1', 'I.2', 'I.4', 'I.5', 'II.2', 'III', 'IV'] as const;

export function buildReportModel(input: ReportInput): ReportModel {
  const { profile, catalog, score, status, date } = input;
  const year = score.year;
  const nextYear = year + 1;
  const fill = (s: string) => s.replace(/\{year\}/g, String(year)).replace(/\{nextYear\}/g, String(nextYear));
  const subject = fill(profile.reportSubject);
  const symbol = `BC-${viUpper(profile.issuingBodyAbbreviation)}`;
  const numberText = numberLine(profile.documentNumber, profile.issuingBodyAbbreviation);
  const attached = `(Kèm theo Báo cáo số ${documentNumberText(profile.documentNumber)}/${symbol} ${viDateWords(date)} của ${profile.issuingBody})`;

  const unitName = new Map<string, string>(input.roster.map((u) => [u.code, u.name]));
  for (const s of status.units) if (!unitName.has(s.unitCode)) unitName.set(s.unitCode, s.unitName);
  const unitOrder = new Map<string, number>(input.roster.map((u, i) => [u.code, i]));

  // Narratives: grouped by section of the outline, then by unit in roster order.
  const sectionOf = new Map(catalog.narratives.map((n) => [n.id, n]));
  const blocks = new Map<string, NarrativeBlock>();
  const other = new Map<string, NarrativeBlock>();
  const blockFor = (code: string, title: string) => {
    let b = blocks.get(code);
    if (!b) blocks.set(code, (b = { number: '', title, entries: [], empty: true }));
    return b;
  };
  for (const n of catalog.narratives) {
    if ((NARRATIVE_OUTLINE as readonly string[]).includes(n.reportSection)) blockFor(n.reportSection, n.title);
  }
  const rows = [...input.narratives].sort((a, b) =>
    (unitOrder.get(a.unit_code) ?? 1e9) - (unitOrder.get(b.unit_code) ?? 1e9) || a.unit_code.localeCompare(b.unit_code));
  for (const r of rows) {
    const text = cleanNarrative(r.text);
    if (!text) continue;
    const section = sectionOf.get(r.section_id);
    let block: NarrativeBlock;
    if (section && (NARRATIVE_OUTLINE as readonly string[]).includes(section.reportSection)) {
      block = blockFor(section.reportSection, section.title);
    } else {
      const key = section ? section.id : r.section_id;
      block = other.get(key) ?? { number: '', title: section?.title ?? `Nội dung "${r.section_id}"`, entries: [], empty: true };
      other.set(key, block);
    }
    block.entries.push({ unitName: unitName.get(r.unit_code) ?? r.unit_code, paragraphs: splitParagraphs(text) });
    block.empty = false;
  }
  const narrative = (code: string, number: string, title?: string): NarrativeBlock => {
    const b = blocks.get(code) ?? { number: '', title: title ?? '', entries: [], empty: true };
    return { ...b, number, title: title ?? b.title };
  };

  const indicators = score.indicators;
  const overall = score.rollups.overall;
  const prevYear = score.previousYear;

  // I.3 — from the scores.
  const areaTitle = (id: string) => {
    const a = catalog.areaById.get(id);
    const name = a?.name ?? id;
    return /^\d+$/.test(id) ? `Lĩnh vực ${id}. ${name}` : name;
  };
  const standardTitle = (id: string, name: string) => (/^\d/.test(id) ? `Tiêu chuẩn ${id}. ${name}` : `${id}. ${name}`);
  const standardsByArea = new Map<string, Rollup[]>();
  for (const r of score.rollups.standards) {
    const areaId = catalog.standardById.get(r.key)?.areaId ?? r.key.split('.')[0];
    (standardsByArea.get(areaId) ?? standardsByArea.set(areaId, []).get(areaId)!).push(r);
  }
  const areas = score.rollups.areas.map((a) => ({
    text: `- ${areaTitle(a.key)}: ${rollupSentence(a)}`,
    standards: (standardsByArea.get(a.key) ?? []).map((s) => `+ ${standardTitle(s.key, s.name)}: ${rollupSentence(s)}`),
  }));

  const notMetInds = indicators.filter((i) => i.verdict === 'not_met');
  const missingInds = indicators.filter((i) => i.verdict === 'missing' && i.hasTarget !== false);
  const withoutTarget = indicators.filter((i) => i.hasTarget === false).length;
  const notMet = notMetInds.map((i) => `- Chỉ số ${i.id}: ${trimStop(i.text)} — ${shortfall(i)}.`);

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

  const trend = input.trend.filter((t) => t.total > 0);
  const trendText = trend.length
    ? `Tỷ lệ chỉ số đạt trên số chỉ số đã đánh giá qua các năm có số liệu: ${trend.map((t) => `năm ${t.year}: ${percentOf(t.met, t.assessed)} (${t.met}/${t.assessed})`).join('; ')}.`
    : '';

  const standardOrder = new Map(catalog.standards.map((s, i) => [s.id, i]));
  const standardBars = [...score.rollups.standards]
    .sort((a, b) => (standardOrder.get(a.key) ?? 1e9) - (standardOrder.get(b.key) ?? 1e9))
    .map((s) => ({ id: s.key, name: s.name, met: s.met, notMet: s.notMet, missing: s.missing }));

  // Participation, for II.1 and Phụ lục II.
  const counts = { on_time: 0, late: 0, rejected: 0, missing: 0 };
  for (const u of status.units) counts[u.state]++;
  const received = counts.on_time + counts.late;
  const totalUnits = status.units.length;

  const prevOverall = overall.previous;
  const achieved = [
    `Năm ${year}, ${received}/${totalUnits} đơn vị đã gửi báo cáo (${counts.on_time} đơn vị đúng hạn, ${counts.late} đơn vị trễ hạn). ` +
      `Toàn Thành phố đạt ${overall.met}/${overall.assessed} chỉ số đã đánh giá (${percentOf(overall.met, overall.assessed)})` +
      `${overall.missing ? `, ${overall.missing} chỉ số thiếu số liệu` : ''}; kết quả từng tiêu chí, chỉ số tại mục 3 phần I và Phụ lục I.`,
  ];
  if (prevOverall && prevYear !== null) {
    achieved.push(`So với năm ${prevYear} (đạt ${prevOverall.met}/${prevOverall.assessed} chỉ số đã đánh giá, ${percentOf(prevOverall.met, prevOverall.assessed)}), ` +
      `số chỉ số đạt ${overall.met > prevOverall.met ? `tăng ${overall.met - prevOverall.met}` : overall.met < prevOverall.met ? `giảm ${prevOverall.met - overall.met}` : 'không đổi'}.`);
  }
  const best = [...score.rollups.areas].filter((a) => a.assessed > 0).sort((a, b) => b.met / b.assessed - a.met / a.assessed)[0];
  if (best) achieved.push(`${areaTitle(best.key)} có tỷ lệ chỉ số đạt cao nhất: ${best.met}/${best.assessed} (${percentOf(best.met, best.assessed)}).`);

  const agencyText = (i: IndicatorScore) => i.agencies.map((a) => a.name).join('; ');
  const missingList = missingInds.map((i) => {
    const m = i.measures[0];
    const reporters = m && m.expected > 1 ? ` (${m.reporters}/${m.expected} đơn vị có số liệu)` : '';
    return `- Chỉ số ${i.id}: ${trimStop(i.text)} — đơn vị phụ trách: ${agencyText(i)}${reporters}.`;
  });
  const notMetShort = notMetInds.map((i) => `- Chỉ số ${i.id}: ${trimStop(i.text)}.`);
  const missingUnits = counts.missing + counts.rejected;

  // Phụ lục I.
  const groups: { title: string; rows: AppendixRow[] }[] = [];
  const byArea = new Map<string, IndicatorScore[]>();
  for (const i of indicators) (byArea.get(i.areaId) ?? byArea.set(i.areaId, []).get(i.areaId)!).push(i);
  const areaOrder = catalog.areas.map((a) => a.id).filter((id) => byArea.has(id));
  for (const id of byArea.keys()) if (!areaOrder.includes(id)) areaOrder.push(id);
  for (const areaId of areaOrder) {
    const list = byArea.get(areaId)!;
    const appendixRows: AppendixRow[] = [];
    list.forEach((i, k) => {
      const prev = list[k - 1];
      const next = list[k + 1];
      const std = catalog.standardById.get(i.standardId);
      const crit = catalog.criterionById.get(i.criterionId);
      appendixRows.push({
        id: i.id,
        text: i.text,
        standard: { text: `${i.standardId}. ${std?.name ?? ''}`, first: prev?.standardId !== i.standardId, last: next?.standardId !== i.standardId },
        criterion: { text: `${i.criterionId}. ${crit?.name ?? ''}`, first: prev?.criterionId !== i.criterionId, last: next?.criterionId !== i.criterionId },
        agencies: [...i.agencies.map((a) => a.name), ...reportersNote(i)],
        results: resultLines(i),
        targets: formatTargets(i, year),
        verdict: i.hasTarget === false ? 'Chưa có chỉ tiêu' : VERDICT_LABELS[i.verdict],
        verdictKey: i.verdict,
      });
    });
    groups.push({ title: areaTitle(areaId), rows: appendixRows });
  }

  // Phụ lục II: every roster unit (and any unit the status knows beyond it).
  const unitRows: UnitRow[] = [...status.units]
    .sort((a, b) => (unitOrder.get(a.unitCode) ?? 1e9) - (unitOrder.get(b.unitCode) ?? 1e9) || a.unitCode.localeCompare(b.unitCode))
    .map((u, k) => ({
      index: k + 1, code: u.unitCode, name: u.unitName, state: UNIT_STATE_LABELS[u.state], stateKey: u.state,
      receivedAt: viShortDate(u.receivedAt), fileName: u.fileName ?? '',
    }));

  const recipients = [...profile.recipients.map((r) => `- ${trimPunct(r)};`), `- Lưu: VT${profile.archiveUnit ? `, ${trimPunct(profile.archiveUnit)}` : ''}.`];
  const canCu = profile.canCu.map((c, k) => `${trimPunct(c)}${k === profile.canCu.length - 1 ? '.' : ';'}`);
  const subjectLower = subject.charAt(0).toLocaleLowerCase('vi-VN') + subject.slice(1);

  const model: ReportModel = {
    year,
    nextYear,
    header: {
      parentBody: viUpper(profile.parentBody),
      issuingBody: viUpper(profile.issuingBody),
      numberLine: numberText,
      nationalTitle: 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      motto: 'Độc lập - Tự do - Hạnh phúc',
      placeDate: placeDateLine(profile.place, date),
    },
    docType: 'BÁO CÁO',
    subject,
    canCu,
    intro: `${profile.issuingBody} báo cáo ${profile.reportTo} ${subjectLower}, cụ thể như sau:`,
    partI: {
      heading: `I. KẾT QUẢ THỰC HIỆN NĂM ${year}`,
      directing: narrative('I.1', '1'),
      digital: narrative('I.2', '2'),
      results: {
        number: '3',
        title: 'Công tác triển khai thực hiện các tiêu chí, chỉ số trong Bộ tiêu chí',
        overall: `Năm ${year}, trong ${overall.total} chỉ số có chỉ tiêu áp dụng${withoutTarget ? ` (${withoutTarget} chỉ số khác chưa có chỉ tiêu cho năm này)` : ''}, ` +
          `${overall.assessed} chỉ số có đủ số liệu để đánh giá: ${overall.met} chỉ số đạt (${percentOf(overall.met, overall.assessed)}), ` +
          `${overall.notMet} chỉ số chưa đạt; ${overall.missing} chỉ số thiếu số liệu.`,
        standardsChart: standardsChart(standardBars, `Số chỉ số đạt, chưa đạt và thiếu số liệu theo tiêu chuẩn, năm ${year}`),
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
        trendCaption: trend.length ? 'Biểu đồ 2. Tỷ lệ chỉ số đạt trên số chỉ số đã đánh giá qua các năm' : '',
      },
      week: narrative('I.4', '4', `${blocks.get('I.4')?.title ?? 'Công tác tổ chức Tuần lễ hưởng ứng học tập suốt đời'} năm ${year}`),
      citizens: narrative('I.5', '5'),
    },
    partII: {
      heading: 'II. ĐÁNH GIÁ VỀ KẾT QUẢ ĐẠT ĐƯỢC, KHÓ KHĂN, TỒN TẠI VÀ NGUYÊN NHÂN',
      achieved: { number: '1', title: 'Kết quả đạt được', paragraphs: achieved },
      difficulties: {
        number: '2',
        title: blocks.get('II.2')?.title ?? 'Khó khăn, tồn tại và nguyên nhân',
        notMetIntro: notMetShort.length ? `${notMetShort.length} chỉ số chưa đạt chỉ tiêu:` : 'Không có chỉ số nào chưa đạt chỉ tiêu trong số các chỉ số đã đánh giá.',
        notMet: notMetShort,
        missingIntro: missingList.length ? `${missingList.length} chỉ số chưa có đủ số liệu để đánh giá:` : 'Tất cả các chỉ số đều có số liệu để đánh giá.',
        missing: missingList,
        unitsIntro: missingUnits
          ? `${missingUnits}/${totalUnits} đơn vị chưa có báo cáo được chấp nhận (${counts.missing} chưa nộp, ${counts.rejected} bị từ chối); danh sách tại Phụ lục II.`
          : '',
        narrative: narrative('II.2', '', ''),
      },
    },
    partIII: { heading: `III. NHIỆM VỤ TRỌNG TÂM NĂM ${nextYear}`, narrative: narrative('III', '', '') },
    partIV: { heading: 'IV. ĐỀ XUẤT, KIẾN NGHỊ', narrative: narrative('IV', '', '') },
    otherNarratives: [...other.values()].map((b, k) => ({ ...b, number: String(k + 1) })),
    closingSentence: `Trên đây là báo cáo ${subjectLower} của ${profile.issuingBody}./.`,
    closing: {
      recipientsLabel: 'Nơi nhận:',
      recipients,
      authority: viUpper(profile.signer.authority),
      title: viUpper(profile.signer.title),
      name: profile.signer.name,
    },
    appendixI: {
      label: 'Phụ lục I',
      title: `KẾT QUẢ THỰC HIỆN CÁC TIÊU CHÍ, CHỈ SỐ XÂY DỰNG THÀNH PHỐ HỌC TẬP NĂM ${year}`,
      attached: attached,
      columns: ['Tiêu chuẩn', 'Tiêu chí', 'Chỉ số', 'Đơn vị phụ trách', 'Kết quả', 'Chỉ tiêu', 'Đánh giá'],
      groups,
      note: 'Kết quả toàn Thành phố: tỷ lệ tính lại từ tổng tử số và mẫu số của các đơn vị; "≈": bình quân các tỷ lệ do đơn vị báo cáo (không có tử số, mẫu số). ' +
        'Chỉ tiêu: "Ngưỡng" là mức của tiêu chí, "Năm" là chỉ tiêu lộ trình của Kế hoạch cho năm báo cáo (được dùng để đánh giá khi có).',
    },
    appendixII: {
      label: 'Phụ lục II',
      title: `TÌNH HÌNH GỬI BÁO CÁO CỦA CÁC ĐƠN VỊ NĂM ${year}`,
      attached: attached,
      summary: [
        `Hạn gửi báo cáo: ngày ${viShortDate(status.deadline)}.`,
        `Đã nhận ${received}/${totalUnits} đơn vị (${counts.on_time} đúng hạn, ${counts.late} trễ hạn); bị từ chối: ${counts.rejected}; chưa nộp: ${counts.missing}.`,
      ],
      columns: ['STT', 'Đơn vị', 'Tình trạng', 'Ngày nhận', 'Tệp báo cáo'],
      rows: unitRows,
    },
  };
  return normaliseDeep(model);
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

/** The unit's text, or '' when it left the cell empty or kept the template's instruction. */
export function cleanNarrative(text: string | null | undefined): string {
  if (!text) return '';
  const t = nfc(text).replace(/\r\n?/g, '\n').replace(NARRATIVE_PLACEHOLDER.normalize('NFC'), '').trim();
  return t;
}

/** Blank lines separate paragraphs; single line breaks are kept inside a paragraph. */
function splitParagraphs(text: string): { lines: string[] }[] {
  return text.split(/\n\s*\n/).map((p) => ({ lines: p.split('\n').map((l) => l.trim()).filter(Boolean) })).filter((p) => p.lines.length);
}

function trimPunct(s: string): string {
  return s.trim().replace(/[;,.。]+$/u, '').trim();
}

function trimStop(s: string): string {
  return s.trim().replace(/[.;]+$/, '');
}

function lowerFirst(s: string): string {
  return /^[A-ZÀ-Ỹ]/u.test(s) && !/^[A-ZĐ]{2}/u.test(s) ? s.charAt(0).toLocaleLowerCase('vi-VN') + s.slice(1) : s;
}

/** NFC everywhere: text typed on different systems (decomposed diacritics) must print and search the same. */
function normaliseDeep<T>(v: T): T {
  if (typeof v === 'string') return v.normalize('NFC') as T;
  if (Array.isArray(v)) return v.map((x) => normaliseDeep(x)) as T;
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = normaliseDeep(x);
    return out as T;
  }
  return v;
}

