/**
 * The report as a Word document (docx), from the same model as the HTML: A4, Decree 30 margins, Times New Roman,
 * page numbers at the top centre from page 2 (a different first-page header with nothing in it), Phụ lục I in a
 * landscape section. Charts are native Word charts drawn from the model's figures, so Word and LibreOffice both draw
 * them and an analyst can edit them.
 */
import fs from 'node:fs';
import { AlignmentType, LineRuleType, Document, Header, PageNumber, Paragraph, TextRun, type FileChild, type ISectionOptions } from 'docx';
import type { AppendixTextsModel, ReportModel } from '../model/index.ts';
import { appendixCommendations, appendixIndicators, appendixTexts, appendixTextsBody, appendixTextsHead, appendixUnits } from './appendices.ts';
import { DOCUMENT_XML, documentParts, partText, zipParts } from './pack.ts';
import { BUILT, Stamper, type RepeatWriter } from './stamp.ts';
import { appendixByUnit, byUnitPage } from './appendix-by-unit.ts';
import { PAGE_NUMBER_SIZE_PT } from '../page.ts';
import { DOCUMENT_STYLES, HEADER_DISTANCE, LANDSCAPE, PORTRAIT, part, size } from './base.ts';
import { achieved, closing, difficulties, narrative, results } from './body.ts';
import { headerTable, titleBlock } from './front.ts';

function pageNumberHeader(): Header {
  return new Header({
    children: [new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 0, line: 240, lineRule: LineRuleType.AUTO }, children: [new TextRun({ children: [PageNumber.CURRENT], size: size(PAGE_NUMBER_SIZE_PT) })] })],
  });
}

function pageSection(page: typeof PORTRAIT, children: FileChild[], first = false): ISectionOptions {
  return {
    properties: {
      titlePage: first,
      page: {
        // docx takes a landscape page's size as the portrait sheet's and swaps it itself.
        size: { width: Math.min(page.width, page.height), height: Math.max(page.width, page.height), orientation: page.width > page.height ? 'landscape' : 'portrait' },
        margin: { ...page.margin, header: HEADER_DISTANCE, footer: HEADER_DISTANCE },
      },
    },
    // Page 1 has a first-page header of its own, empty: no number on it. Every section names its headers, so that no
    // reader depends on a header carried over from the section before.
    headers: first ? { default: pageNumberHeader(), first: new Header({ children: [new Paragraph({ children: [] })] }) } : { default: pageNumberHeader() },
    children,
  };
}

/** `rows`: how the long tables' rows and Phụ lục III's lines are written (every one built, or stamped: writeReportDocx). */
export function reportDocument(m: ReportModel, rows: RepeatWriter = BUILT): Document {
  const main: FileChild[] = [
    // A report that is not final says so above its header (docs/review.md).
    ...(m.draftMark ? [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: m.draftMark, bold: true, size: size(14), color: 'B00000' })] })] : []),
    headerTable(m.header),
    ...titleBlock(m),
    part(m.partI.heading),
    ...narrative(m.partI.directing),
    ...narrative(m.partI.digital),
    ...results(m.partI.results),
    ...narrative(m.partI.week),
    ...narrative(m.partI.citizens),
    part(m.partII.heading),
    ...achieved(m.partII.achieved),
    ...difficulties(m.partII.difficulties),
    part(m.partIII.heading),
    ...narrative(m.partIII.narrative),
    part(m.partIV.heading),
    ...narrative(m.partIV.narrative),
    ...m.otherNarratives.flatMap((b) => narrative(b)),
    ...closing(m.closingSentence, m.closing),
  ];
  return new Document({
    creator: 'hoctap',
    title: `${m.docType} ${m.subject}`,
    styles: DOCUMENT_STYLES,
    // A line that ends in a unit's own line break is not stretched to the margin (as in the HTML).
    compatibility: { doNotExpandShiftReturn: true },
    sections: [
      pageSection(PORTRAIT, main, true),
      pageSection(LANDSCAPE, appendixIndicators(m.appendixI)),
      pageSection(PORTRAIT, appendixUnits(m.appendixII, rows)),
      // With many units Phụ lục III is a document of its own (annexDocument).
      ...(m.appendixIII.separate ? [] : [pageSection(PORTRAIT, appendixTexts(m.appendixIII, rows))]),
      ...(m.appendixByUnit.shown ? [pageSection(byUnitPage(m.appendixByUnit), appendixByUnit(m.appendixByUnit, rows))] : []),
      ...(m.appendixCommendations ? [pageSection(PORTRAIT, appendixCommendations(m.appendixCommendations, rows))] : []),
    ],
  });
}

/**
 * Phụ lục III as a document of its own: the same page, fonts and numbering (none on its first page). `writer`: how
 * the units' lines are written (every one built by default; stamped by writeAnnexDocx).
 */
export function annexDocument(a: AppendixTextsModel, writer: RepeatWriter = BUILT): Document {
  return new Document({
    creator: 'hoctap',
    title: `${a.label} ${a.title}`,
    styles: DOCUMENT_STYLES,
    compatibility: { doNotExpandShiftReturn: true },
    sections: [pageSection(PORTRAIT, [...appendixTextsHead(a), ...appendixTextsBody(a, writer)], true)],
  });
}

/** The document with its repeated elements stamped (stamp.ts), the package zipped natively (pack.ts). */
async function writeStamped(document: (writer: Stamper) => Document, file: string): Promise<void> {
  const stamper = new Stamper();
  const parts = await documentParts(document(stamper));
  parts.set(DOCUMENT_XML, stamper.fill(partText(parts, DOCUMENT_XML)));
  fs.writeFileSync(file, zipParts(parts));
}

export async function writeReportDocx(m: ReportModel, file: string): Promise<void> {
  await writeStamped((writer) => reportDocument(m, writer), file);
}

export async function writeAnnexDocx(a: AppendixTextsModel, file: string): Promise<void> {
  await writeStamped((writer) => annexDocument(a, writer), file);
}
