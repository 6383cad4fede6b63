/**
 * The appendices of the DOCX: Phụ lục I (every indicator, on landscape pages), Phụ lục II (the units), Phụ lục III
 * (the units' texts), Phụ lục V (the proposals of commendation).
 */
import {
  AlignmentType, BorderStyle, Table, TableCell, TableLayoutType, TableRow, VerticalAlignTable, VerticalMergeType, WidthType,
  Paragraph, type FileChild,
} from 'docx';
import type { AppendixCommendationsModel, AppendixIndicatorsModel, AppendixTextsModel, AppendixUnitsModel } from '../model/index.ts';
import { unitTexts } from './body.ts';
import { LANDSCAPE, PORTRAIT, STYLE, body, cellText, centred, pt, run, section, textWidth } from './base.ts';
import { BUILT, type RepeatWriter } from './stamp.ts';

const line = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
export const BORDERS = { top: line, bottom: line, left: line, right: line };
export const CELL_MARGINS = { top: pt(2), bottom: pt(2), left: pt(4), right: pt(4) };

export function appendixHead(a: { label: string; title: string; attached: string }): Paragraph[] {
  return [
    centred(a.label, { bold: true, size: 14, keepNext: true }),
    centred(a.title, { bold: true, size: 14, keepNext: true }),
    centred(a.attached, { italics: true, size: 13, keepNext: true, after: pt(10) }),
  ];
}

/**
 * Column widths from shares of the text width. The table is one border width narrower than the text block: Word and
 * LibreOffice draw a cell's border centred on its edge, and the outer half would fall in the margin.
 */
export function widths(total: number, shares: number[]): number[] {
  const usable = total - 20;
  const out = shares.map((s) => Math.floor((usable * s) / 100));
  out[out.length - 1] += usable - out.reduce((a, b) => a + b, 0);
  return out;
}

function headerRow(columns: string[], cols: number[], fontSize: number): TableRow {
  return new TableRow({
    tableHeader: true,
    cantSplit: true,
    children: columns.map((c, k) => new TableCell({
      width: { size: cols[k], type: WidthType.DXA }, borders: BORDERS, margins: CELL_MARGINS, verticalAlign: VerticalAlignTable.CENTER,
      children: [cellText([c], { bold: true, size: fontSize, alignment: AlignmentType.CENTER })],
    })),
  });
}

/** As the HTML's columns (report.css): the two verdicts by kind of target, the overall verdict, the notes. */
const INDICATOR_SHARES = [9, 11.5, 17, 9, 10, 9.5, 7, 7, 7, 13];

export function appendixIndicators(a: AppendixIndicatorsModel): FileChild[] {
  const cols = widths(textWidth(LANDSCAPE), INDICATOR_SHARES);
  const total = cols.reduce((x, y) => x + y, 0);
  const cell = (k: number, children: Paragraph[], extra: Partial<ConstructorParameters<typeof TableCell>[0]> = {}) =>
    new TableCell({ width: { size: cols[k], type: WidthType.DXA }, borders: BORDERS, margins: CELL_MARGINS, children, ...extra });
  const rows: TableRow[] = [headerRow(a.columns, cols, 11)];
  for (const g of a.groups) {
    rows.push(new TableRow({
      cantSplit: true,
      children: [new TableCell({
        width: { size: total, type: WidthType.DXA }, columnSpan: INDICATOR_SHARES.length, borders: BORDERS, margins: CELL_MARGINS,
        shading: { fill: 'F0F0F0', color: 'auto', type: 'clear' },
        children: [cellText([g.title], { bold: true })],
      })],
    }));
    for (const r of g.rows) {
      // A standard's and a criterion's cell runs down the rows of its indicators (merged, as the HTML continues it).
      const merged = (k: number, m: { text: string; first: boolean }) => cell(k, [cellText(m.first ? [m.text] : [''])], {
        verticalMerge: m.first ? VerticalMergeType.RESTART : VerticalMergeType.CONTINUE,
      });
      rows.push(new TableRow({
        cantSplit: true,
        children: [
          merged(0, r.standard),
          merged(1, r.criterion),
          cell(2, [cellTextWithId(r.id, r.text)]),
          cell(3, [cellText(r.agencies)]),
          cell(4, [cellText(r.results)]),
          cell(5, [cellText(r.targets)]),
          cell(6, [cellText([r.thresholdVerdict], { alignment: AlignmentType.CENTER })]),
          cell(7, [cellText([r.roadmapVerdict], { alignment: AlignmentType.CENTER })]),
          cell(8, [cellText([r.verdict], {
            alignment: AlignmentType.CENTER, bold: r.verdictKey === 'not_met', italics: r.verdictKey === 'missing',
          })]),
          cell(9, [cellText(r.notes.length ? r.notes : [''], { size: 11 })]),
        ],
      }));
    }
  }
  return [
    ...appendixHead(a),
    new Table({ layout: TableLayoutType.FIXED, width: { size: total, type: WidthType.DXA }, columnWidths: cols, rows }),
    body(a.note, { italics: true }),
  ];
}

/** "<b>1.1.1-a</b>. text", as the HTML's indicator cell. */
function cellTextWithId(id: string, text: string): Paragraph {
  return new Paragraph({ style: STYLE.table, children: [run(id, { bold: true }), run(`. ${text}`)] });
}

const UNIT_SHARES = [8, 44, 28, 20];

/** `rows`: how the body rows are written (stamp.ts: thousands of units). */
export function appendixUnits(a: AppendixUnitsModel, rows: RepeatWriter = BUILT): FileChild[] {
  const columns = a.columns;
  const cols = widths(textWidth(PORTRAIT), UNIT_SHARES);
  const total = cols.reduce((x, y) => x + y, 0);
  const cell = (k: number, text: string[], alignment?: (typeof AlignmentType)[keyof typeof AlignmentType]) =>
    new TableCell({ width: { size: cols[k], type: WidthType.DXA }, borders: BORDERS, margins: CELL_MARGINS, children: [cellText(text, { size: 12, alignment })] });
  // A row's texts: index, name, state (and its approval, on a line of its own), date received.
  const unitRow = (t: string[]) => new TableRow({
    cantSplit: true,
    children: [cell(0, [t[0]], AlignmentType.CENTER), cell(1, [t[1]]), cell(2, t.slice(2, -1)), cell(3, [t[t.length - 1]], AlignmentType.CENTER)],
  });
  const texts = a.rows.map((r) => [String(r.index), r.name, r.state, ...(r.approval ? [r.approval] : []), r.receivedAt]);
  const table = [headerRow(columns, cols, 12), ...rows.rows(texts, unitRow)];
  return [
    ...appendixHead(a),
    ...a.summary.map((s) => body(s)),
    ...(a.listTitle ? [body(a.listTitle)] : []),
    ...(a.rows.length ? [new Table({ layout: TableLayoutType.FIXED, width: { size: total, type: WidthType.DXA }, columnWidths: cols, rows: table })] : []),
  ];
}

const COMMENDATION_SHARES = [7, 23, 14, 26, 30];

/** Phụ lục IV: the units' proposals of commendation, one row each (who proposed whom, for what). */
export function appendixCommendations(a: AppendixCommendationsModel, rows: RepeatWriter = BUILT): FileChild[] {
  const cols = widths(textWidth(PORTRAIT), COMMENDATION_SHARES);
  const total = cols.reduce((x, y) => x + y, 0);
  const cell = (k: number, text: string, alignment?: (typeof AlignmentType)[keyof typeof AlignmentType]) =>
    new TableCell({ width: { size: cols[k], type: WidthType.DXA }, borders: BORDERS, margins: CELL_MARGINS, children: [cellText([text], { size: 12, alignment })] });
  const proposalRow = (t: string[]) => new TableRow({
    cantSplit: true,
    children: [cell(0, t[0], AlignmentType.CENTER), cell(1, t[1]), cell(2, t[2]), cell(3, t[3]), cell(4, t[4])],
  });
  const texts = a.rows.map((r) => [String(r.index), r.proposer, r.kind, r.name, r.achievement]);
  const table = [headerRow(a.columns, cols, 12), ...rows.rows(texts, proposalRow)];
  return [...appendixHead(a), body(a.intro), new Table({ layout: TableLayoutType.FIXED, width: { size: total, type: WidthType.DXA }, columnWidths: cols, rows: table })];
}

/** Phụ lục III: by section then by unit, at 13 pt (the decree's smaller body size: these are the longest pages). */
export function appendixTexts(a: AppendixTextsModel, writer: RepeatWriter = BUILT): FileChild[] {
  return [...appendixTextsHead(a), ...appendixTextsBody(a, writer)];
}

export function appendixTextsHead(a: AppendixTextsModel): Paragraph[] {
  return [...appendixHead(a), body(a.intro)];
}

/** Phụ lục III's sections, each under its title; `writer`: how the units' lines are written (stamp.ts). */
export function appendixTextsBody(a: AppendixTextsModel, writer: RepeatWriter = BUILT): FileChild[] {
  // Every entry: of the issuing department only its figures (entryParagraphs), as in the HTML.
  return a.sections.filter((s) => s.shown).flatMap((s) => [section(s.title), ...unitTexts(s.entries, writer)]);
}
