/** The body of the DOCX, part by part, from the same model as the HTML partials. */
import { AlignmentType, LineRuleType, Paragraph, Table, TableCell, TableLayoutType, TableRow, WidthType, type FileChild } from 'docx';
import { ChartRun } from 'docx/charts';
import { CHART_COLOURS } from '../charts.ts';
import type {
  AchievedModel, ClosingModel, DifficultiesModel, NarrativeBlock, NarrativeEntry, NarrativeParagraph, ResultsModel,
} from '../model/index.ts';
import { entryParagraphs } from '../model/appendix-texts.ts';
import { PORTRAIT, STYLE, body, centred, mm, pt, run, section, sub, textWidth } from './base.ts';
import { BUILT, type RepeatWriter } from './stamp.ts';

const hex = (c: string) => c.replace('#', '').toUpperCase();
/** Pixels (96 per inch) of a width in twips: the chart's size is in pixels. */
const px = (twips: number) => Math.round(twips / 15);

/**
 * What each unit wrote and the figures it gave: its name in bold before its first line, its line breaks kept (Phụ lục
 * III). The issuing department's text is in the body: only its figures are listed.
 */
export function unitTexts(entries: NarrativeEntry[], writer: RepeatWriter = BUILT): Paragraph[] {
  // Every line its own paragraph, indented as the first (the style's first-line indent); a line's texts: the unit's
  // name and the line, or the line alone.
  const texts = entries.flatMap((e) => entryParagraphs(e).flatMap((p) => p.lines.map((l, k) => (p.name && k === 0 ? [p.name, l] : [l]))));
  return writer.paragraphs(texts, (t) => new Paragraph({
    style: STYLE.annex, children: t.length === 2 ? [run(t[0], { bold: true }), run(': '), run(t[1])] : [run(t[0])],
  }));
}

/** The issuing department's text as the report's own paragraphs, the sums of the units' figures, how many units wrote. */
export function narrativeBody(b: NarrativeBlock): Paragraph[] {
  if (b.written) return paragraphs(b.written);
  return [...paragraphs(b.lead), ...[b.figures, b.synthesis].filter(Boolean).map((t) => body(t)), ...b.points.map((t) => body(t))];
}

/** Every line its own indented paragraph (the analyst's text, the department's own). */
function paragraphs(ps: NarrativeParagraph[]): Paragraph[] {
  return ps.flatMap((p) => p.lines.map((l) => body(l)));
}

/** A narrative section under its heading; one with sub-items (I.1: 1.1, 1.2) prints them after its own text. */
export function narrative(b: NarrativeBlock): FileChild[] {
  const out: FileChild[] = [];
  const heading = `${b.number ? `${b.number}. ` : ''}${b.title}`;
  if (b.title) out.push(b.sub ? sub(heading) : section(heading));
  if (b.subsections.length) {
    if (!b.empty || b.written) out.push(...narrativeBody(b));
    for (const s of b.subsections) out.push(...narrative(s));
  } else if (b.written) out.push(...narrativeBody(b));
  else if (b.empty) out.push(body('Chưa có đơn vị nào báo cáo nội dung này.', { italics: true }));
  else out.push(...narrativeBody(b));
  return out;
}

const bullets = (items: string[]) => items.map((t) => body(t));

export function results(r: ResultsModel): FileChild[] {
  const width = textWidth(PORTRAIT);
  const out: FileChild[] = [section(`${r.number}. ${r.title}`), ...(r.written ? paragraphs(r.written) : [body(r.overall), ...bullets(r.details), ...bullets(r.incomplete)])];
  if (r.standardBars.length) {
    out.push(new Paragraph({
      alignment: AlignmentType.CENTER, keepNext: true, spacing: { before: pt(6), after: pt(3), line: 240, lineRule: LineRuleType.AUTO },
      children: [new ChartRun({
        type: 'bar',
        stacking: 'stacked',
        gapWidth: 60,
        categories: r.standardBars.map((b) => `${b.id}. ${b.name}`),
        // An empty segment is a gap (null), not a bar of 0 with a "0" on it; the count on the dark segment in white.
        series: [
          { name: 'Đạt', values: r.standardBars.map((b) => b.met || null), color: hex(CHART_COLOURS.met), dataLabels: { value: true, font: { size: 9, color: 'FFFFFF' } } },
          { name: 'Chưa đạt', values: r.standardBars.map((b) => b.notMet || null), color: hex(CHART_COLOURS.notMet) },
          { name: 'Thiếu số liệu', values: r.standardBars.map((b) => b.missing || null), color: hex(CHART_COLOURS.missing) },
        ],
        // The first standard at the top, as the HTML's chart and the list under it, the counts along the bottom.
        categoryAxis: { reverseOrder: true, font: { size: 10 } },
        valueAxis: { minimum: 0, interval: 1, crossesAt: 'maximum', font: { size: 10 } },
        dataLabels: { value: true, font: { size: 9 } },
        legend: { position: 'bottom', font: { size: 10 } },
        font: { name: 'Times New Roman' },
        chartArea: { border: 'none' },
        transformation: { width: px(width), height: 60 + r.standardBars.length * 34 },
        altText: { name: 'Biểu đồ 1', description: r.standardsCaption, title: r.standardsCaption },
      })],
    }));
  }
  out.push(centred(r.standardsCaption, { italics: true, size: 12, after: pt(10) }));

  out.push(sub(r.areasTitle));
  for (const a of r.areas) {
    out.push(body(a.text));
    out.push(...bullets(a.standards));
  }
  out.push(sub(r.notMetTitle), ...(r.notMet.length ? bullets(r.notMet) : [body(r.notMetNone)]));
  if (r.pending.length) out.push(sub(r.pendingTitle), body(r.pendingIntro), ...bullets(r.pending));
  if (r.milestones) out.push(sub(r.milestones.title), body(r.milestones.intro), milestoneTable(r.milestones));
  out.push(sub(r.changesTitle), ...(r.changes.length ? bullets(r.changes) : [body(r.changesNone)]), ...bullets(r.verdictChanges));
  if (r.trendPoints.length) {
    out.push(body(r.trendText, { keepNext: true }));
    out.push(new Paragraph({
      alignment: AlignmentType.CENTER, keepNext: true, spacing: { before: pt(6), after: pt(3), line: 240, lineRule: LineRuleType.AUTO },
      children: [new ChartRun({
        type: 'column',
        categories: r.trendPoints.map((t) => String(t.year)),
        series: [{
          name: 'Tỷ lệ chỉ số đạt (%)',
          values: r.trendPoints.map((t) => (t.assessed ? Math.round((t.met / t.assessed) * 1000) / 10 : 0)),
          color: hex(CHART_COLOURS.met),
        }],
        valueAxis: { minimum: 0, maximum: 100, interval: 25, numberFormat: '0"%"', font: { size: 10 } },
        categoryAxis: { font: { size: 11 } },
        dataLabels: { value: true, numberFormat: '0.0"%"', font: { size: 11, bold: true } },
        legend: false,
        font: { name: 'Times New Roman' },
        chartArea: { border: 'none' },
        transformation: { width: px(mm(150)), height: 240 },
        altText: { name: 'Biểu đồ 2', description: r.trendCaption, title: r.trendCaption },
      })],
    }));
    out.push(centred(r.trendCaption, { italics: true, size: 12, after: pt(10) }));
  }
  return out;
}

export function achieved(a: AchievedModel): FileChild[] {
  return [section(`${a.number}. ${a.title}`), ...(a.written ? paragraphs(a.written) : a.paragraphs.map((p) => body(p)))];
}

/** Progress toward the next milestone (I.3): a bordered table across the text block. */
function milestoneTable(m: NonNullable<ResultsModel['milestones']>): Table {
  const full = textWidth(PORTRAIT);
  const widths = [0.36, 0.13, 0.13, 0.16, 0.22].map((w) => Math.round(full * w));
  const border = { style: 'single' as const, size: 4, color: '000000' };
  const borders = { top: border, bottom: border, left: border, right: border };
  const cell = (text: string, k: number, bold = false) => new TableCell({
    width: { size: widths[k], type: WidthType.DXA }, borders, margins: { left: 60, right: 60, top: 20, bottom: 20 },
    children: [new Paragraph({ alignment: k && !bold ? AlignmentType.RIGHT : AlignmentType.LEFT, spacing: { after: 0, line: 240, lineRule: LineRuleType.AUTO }, children: [run(text, { size: 12, bold })] })],
  });
  return new Table({
    layout: TableLayoutType.FIXED, width: { size: full, type: WidthType.DXA }, columnWidths: widths,
    rows: [
      new TableRow({ tableHeader: true, cantSplit: true, children: m.columns.map((c, k) => cell(c, k, true)) }),
      ...m.rows.map((r) => new TableRow({ cantSplit: true, children: r.map((c, k) => cell(c, k)) })),
    ],
  });
}

export function difficulties(d: DifficultiesModel): FileChild[] {
  if (d.written) return [section(`${d.number}. ${d.title}`), ...paragraphs(d.written)];
  const out: FileChild[] = [section(`${d.number}. ${d.title}`), body(d.notMetIntro), ...bullets(d.notMet), body(d.missingIntro), ...bullets(d.missing)];
  if (d.unitsIntro) out.push(body(d.unitsIntro));
  if (!d.narrative.empty) out.push(...narrativeBody(d.narrative));
  return out;
}

/** The closing sentence kept with "Nơi nhận" and the signature block (a borderless table of two halves). */
export function closing(sentence: string, c: ClosingModel): FileChild[] {
  const full = textWidth(PORTRAIT);
  const half = Math.round(full / 2);
  const none = { style: 'none' as const };
  const borders = { top: none, bottom: none, left: none, right: none };
  const left = [
    new Paragraph({ keepNext: true, spacing: { after: 0, line: 240, lineRule: LineRuleType.AUTO }, children: [run(c.recipientsLabel, { bold: true, italics: true, size: 12 })] }),
    ...c.recipients.map((r) => new Paragraph({ keepNext: true, spacing: { after: 0, line: 240, lineRule: LineRuleType.AUTO }, children: [run(r, { size: 11 })] })),
  ];
  const right = [
    centred(c.authority, { bold: true, size: 14, keepNext: true }),
    centred(c.title, { bold: true, size: 14, keepNext: true, after: mm(30) }),
    centred(c.name || ' ', { bold: true, size: 14 }),
  ];
  return [
    new Paragraph({ style: 'VanBan', keepNext: true, keepLines: true, children: [run(sentence)] }),
    new Table({
      layout: TableLayoutType.FIXED,
      width: { size: full, type: WidthType.DXA },
      columnWidths: [half, full - half],
      borders: { ...borders, insideHorizontal: none, insideVertical: none },
      rows: [new TableRow({
        cantSplit: true,
        children: [
          new TableCell({ width: { size: half, type: WidthType.DXA }, borders, margins: { top: pt(12), left: 0, right: 0, bottom: 0 }, children: left }),
          new TableCell({ width: { size: full - half, type: WidthType.DXA }, borders, margins: { top: pt(12), left: 0, right: 0, bottom: 0 }, children: right }),
        ],
      })],
    }),
  ];
}
