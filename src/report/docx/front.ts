/** Page 1 above the body: the two-column header with its rules, Số/ký hiệu and the date line, the title, Căn cứ. */
import { AlignmentType, LineRuleType, Document, Paragraph, Table, TableCell, TableLayoutType, TableRow, TextRun, WidthType, type FileChild } from 'docx';
import { layoutDocument } from 'docx/layout';
import type { HeaderModel, ReportModel } from '../model/index.ts';
import { FONT, PORTRAIT, body, centred, mm, pt, rule, run, size, textWidth } from './base.ts';

const NO_BORDERS = { top: { style: 'none' as const }, bottom: { style: 'none' as const }, left: { style: 'none' as const }, right: { style: 'none' as const } };

/** The text's width in twips, as Word lays it out (docx's layout has Times New Roman's widths). */
export function measureText(text: string, points: number, bold: boolean): number {
  const doc = new Document({ sections: [{ children: [new Paragraph({ children: [new TextRun({ text, bold, size: size(points), font: FONT })] })] }] });
  const line = layoutDocument(doc).pages[0]?.body[0];
  const px = line && line.type === 'paragraph' ? Math.max(...line.lines.map((l) => l.textWidth)) : 0;
  // Pixels at 96 per inch → twips.
  return Math.round(px * 15);
}

export function headerTable(h: HeaderModel): Table {
  const full = textWidth(PORTRAIT);
  // The left column 38%, the right 62%: wide enough for the date line on one line (as the HTML).
  const left = Math.round(full * 0.38);
  const right = full - left;
  const cell = (width: number, children: Paragraph[], top = 0) => new TableCell({
    width: { size: width, type: WidthType.DXA }, borders: NO_BORDERS, margins: { top, left: 0, right: 0, bottom: 0 }, children,
  });
  const issuing = Math.min(measureText(h.issuingBody, 13, true), left);
  return new Table({
    layout: TableLayoutType.FIXED,
    width: { size: full, type: WidthType.DXA },
    columnWidths: [left, right],
    borders: { ...NO_BORDERS, insideHorizontal: { style: 'none' }, insideVertical: { style: 'none' } },
    rows: [
      new TableRow({
        cantSplit: true,
        children: [
          cell(left, [
            ...h.parentBodyLines.map((l) => centred(l, { size: 13 })),
            centred(h.issuingBody, { bold: true, size: 13 }),
            // Under the issuing body a rule 40% of its width (Decree 30: a third to a half).
            rule(left, Math.round(issuing * 0.4)),
          ]),
          cell(right, [
            centred(h.nationalTitle, { bold: true, size: 12.5 }),
            centred(h.motto, { bold: true, size: 14 }),
            // Under the motto a rule as long as the motto.
            rule(right, measureText(h.motto, 14, true)),
          ]),
        ],
      }),
      new TableRow({
        cantSplit: true,
        children: [
          cell(left, [centred(h.numberLine, { size: 13 })], pt(8)),
          cell(right, [centred(h.placeDate, { size: 13, italics: true })], pt(8)),
        ],
      }),
    ],
  });
}

/** The title block, the Căn cứ paragraphs (italic) and the opening sentence. */
export function titleBlock(m: Pick<ReportModel, 'docType' | 'subject' | 'canCu' | 'intro'>): FileChild[] {
  const full = textWidth(PORTRAIT);
  return [
    centred(m.docType, { bold: true, size: 14, before: pt(18), keepNext: true }),
    // The subject with a short rule under it (30% of the text block, as the HTML).
    new Paragraph({
      alignment: AlignmentType.CENTER, keepNext: true, spacing: { before: 0, after: pt(4), line: 288, lineRule: LineRuleType.AUTO },
      indent: { left: mm(8), right: mm(8) },
      children: [run(m.subject, { bold: true, size: 14 })],
    }),
    rule(full, Math.round(full * 0.3), { after: pt(12) }),
    ...m.canCu.map((c) => body(c, { italics: true })),
    body(m.intro),
  ];
}
