/** The by-unit appendix in the DOCX (the HTML's appendix-by-unit.hbs): units down, measures across, the city last. */
import {
  AlignmentType, Paragraph, Table, TableCell, TableLayoutType, TableRow, TextRun, VerticalAlignTable, WidthType, type FileChild,
} from 'docx';
import type { AppendixByUnitModel, ByUnitTable } from '../model/appendix-by-unit.ts';
import { BORDERS, CELL_MARGINS, appendixHead, widths } from './appendices.ts';
import { LANDSCAPE, PORTRAIT, STYLE, body, cellText, size } from './base.ts';
import { BUILT, type RepeatWriter } from './stamp.ts';

/** As report.css: the index and the unit's name, then the measures sharing what is left. */
const INDEX_SHARE = 6;
const UNIT_SHARE = 26;
const FONT_PT = 11;

function shares(columns: number): number[] {
  const each = (100 - INDEX_SHARE - UNIT_SHARE) / Math.max(columns, 1);
  return [INDEX_SHARE, UNIT_SHARE, ...Array.from({ length: columns }, () => each)];
}

function headCell(width: number, children: TextRun[]): TableCell {
  return new TableCell({
    width: { size: width, type: WidthType.DXA }, borders: BORDERS, margins: CELL_MARGINS, verticalAlign: VerticalAlignTable.CENTER,
    children: [new Paragraph({ style: STYLE.table, alignment: AlignmentType.CENTER, children })],
  });
}

function cell(width: number, text: string, opts: { right?: boolean; bold?: boolean; centre?: boolean } = {}): TableCell {
  const alignment = opts.right ? AlignmentType.RIGHT : opts.centre ? AlignmentType.CENTER : undefined;
  return new TableCell({
    width: { size: width, type: WidthType.DXA }, borders: BORDERS, margins: CELL_MARGINS,
    children: [cellText([text], { size: FONT_PT, bold: opts.bold, alignment })],
  });
}

function table(t: ByUnitTable, textWidth: number, writer: RepeatWriter): Table {
  const cols = widths(textWidth, shares(t.columns.length));
  const total = cols.reduce((a, b) => a + b, 0);
  const bold = (s: string) => new TextRun({ text: s, bold: true, size: size(FONT_PT) });
  const head = new TableRow({
    tableHeader: true,
    cantSplit: true,
    children: [
      headCell(cols[0], [bold('STT')]),
      headCell(cols[1], [bold('Đơn vị')]),
      ...t.columns.map((c, k) => headCell(cols[k + 2], [
        bold(c.indicatorId),
        new TextRun({ text: `${c.label}${c.unit ? ` (${c.unit})` : ''}`, bold: true, break: 1, size: size(FONT_PT) }),
      ])),
    ],
  });
  const unitRow = (texts: string[]) => new TableRow({
    cantSplit: true,
    children: [cell(cols[0], texts[0], { centre: true }), cell(cols[1], texts[1]), ...texts.slice(2).map((v, k) => cell(cols[k + 2], v, { right: true }))],
  });
  const rows = writer.rows(t.rows.map((r) => [String(r.index), r.name, ...r.cells]), unitRow);
  const city = new TableRow({
    cantSplit: true,
    children: [cell(cols[0], ''), cell(cols[1], 'Toàn thành phố', { bold: true }), ...t.city.map((v, k) => cell(cols[k + 2], v, { right: true, bold: true }))],
  });
  return new Table({ layout: TableLayoutType.FIXED, width: { size: total, type: WidthType.DXA }, columnWidths: cols, rows: [head, ...rows, city] });
}

/** The page the appendix is printed on: landscape when its tables are wide. */
export const byUnitPage = (a: AppendixByUnitModel) => (a.landscape ? LANDSCAPE : PORTRAIT);

/** `rows`: how the units' rows are written (stamp.ts). */
export function appendixByUnit(a: AppendixByUnitModel, rows: RepeatWriter = BUILT): FileChild[] {
  const page = byUnitPage(a);
  const width = page.width - page.margin.left - page.margin.right;
  return [
    ...appendixHead(a),
    body(a.intro),
    // A paragraph between two tables keeps Word from joining them into one.
    ...a.tables.flatMap((t) => [table(t, width, rows), new Paragraph({ style: STYLE.table, children: [] })]),
    body(a.note, { italics: true }),
  ];
}
