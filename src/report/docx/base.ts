/**
 * The DOCX's page geometry, styles and paragraph helpers: the same Decree 30 layout as templates/report.css, in Word's
 * units (twips: 1/20 pt; sizes in half-points).
 */
import {
  AlignmentType, BorderStyle, LineRuleType, Paragraph, TextRun, type IStylesOptions, type ParagraphChild,
} from 'docx';
import { A4_MM, LANDSCAPE_MARGINS_MM, PORTRAIT_MARGINS_MM } from '../page.ts';

export const FONT = 'Times New Roman';
export const mm = (v: number) => Math.round((v / 25.4) * 1440);
export const pt = (v: number) => Math.round(v * 20);
/** Font sizes in half-points. */
export const size = (points: number) => Math.round(points * 2);

const A4 = { width: mm(A4_MM.width), height: mm(A4_MM.height) };
const margins = (m: Record<'top' | 'right' | 'bottom' | 'left', number>) => ({ top: mm(m.top), right: mm(m.right), bottom: mm(m.bottom), left: mm(m.left) });
/** Portrait, and landscape for Phụ lục I (page.ts). */
export const PORTRAIT = { ...A4, margin: margins(PORTRAIT_MARGINS_MM) };
export const LANDSCAPE = { width: A4.height, height: A4.width, margin: margins(LANDSCAPE_MARGINS_MM) };
export const textWidth = (page: typeof PORTRAIT) => page.width - page.margin.left - page.margin.right;
/** Where the page number sits: 10 mm from the top edge, inside the 20 mm margin. */
export const HEADER_DISTANCE = mm(10);

/**
 * First-line indent 1.27 cm, 6 pt after each paragraph, lines 1.3 apart (as the HTML). Every line spacing names its rule
 * (auto): LibreOffice reads a spacing without one as exact, which squeezed the charts to one line.
 */
export const INDENT = mm(12.7);
const LINE = 312;

export const STYLE = { body: 'VanBan', part: 'MucLon', section: 'Muc', sub: 'MucNho', table: 'Bang', annex: 'PhanViet' } as const;

export const DOCUMENT_STYLES: IStylesOptions = {
  default: {
    document: {
      run: { font: FONT, size: size(14), language: { value: 'vi-VN' } },
      paragraph: { spacing: { before: 0, after: pt(6), line: LINE, lineRule: LineRuleType.AUTO } },
    },
  },
  paragraphStyles: [
    { id: STYLE.body, name: 'Văn bản', basedOn: 'Normal', quickFormat: true, paragraph: { alignment: AlignmentType.JUSTIFIED, indent: { firstLine: INDENT } } },
    { id: STYLE.part, name: 'Mục La Mã', basedOn: STYLE.body, next: STYLE.body, quickFormat: true, run: { bold: true }, paragraph: { keepNext: true, spacing: { before: pt(8), after: pt(6) }, outlineLevel: 0 } },
    { id: STYLE.section, name: 'Mục số', basedOn: STYLE.body, next: STYLE.body, quickFormat: true, run: { bold: true }, paragraph: { keepNext: true, spacing: { before: pt(8), after: pt(6) }, outlineLevel: 1 } },
    { id: STYLE.sub, name: 'Mục chữ', basedOn: STYLE.body, next: STYLE.body, quickFormat: true, run: { italics: true }, paragraph: { keepNext: true, spacing: { before: pt(6), after: pt(6) }, outlineLevel: 2 } },
    // Phụ lục III, the units' texts: the longest pages, at 13 pt, closer set (as the HTML).
    { id: STYLE.annex, name: 'Phần viết của đơn vị', basedOn: STYLE.body, quickFormat: true, run: { size: size(13) }, paragraph: { indent: { firstLine: mm(10) }, spacing: { before: 0, after: pt(3), line: 240, lineRule: LineRuleType.AUTO } } },
    { id: STYLE.table, name: 'Chữ trong bảng', basedOn: 'Normal', quickFormat: true, run: { size: size(11) }, paragraph: { alignment: AlignmentType.LEFT, spacing: { before: 0, after: 0, line: 240, lineRule: LineRuleType.AUTO } } },
  ],
};

export interface RunStyle { bold?: boolean; italics?: boolean; size?: number }

export function run(text: string, style: RunStyle = {}): TextRun {
  return new TextRun({ text, bold: style.bold, italics: style.italics, size: style.size === undefined ? undefined : size(style.size) });
}

/** Lines of one paragraph, kept apart by line breaks (a unit's single line breaks). */
export function lines(texts: string[], style: RunStyle = {}): TextRun[] {
  return texts.map((t, k) => new TextRun({ text: t, break: k ? 1 : 0, bold: style.bold, italics: style.italics, size: style.size === undefined ? undefined : size(style.size) }));
}

export function body(content: string | ParagraphChild[], opts: { keepNext?: boolean; italics?: boolean } = {}): Paragraph {
  return new Paragraph({
    style: STYLE.body,
    keepNext: opts.keepNext,
    children: typeof content === 'string' ? [run(content, { italics: opts.italics })] : content,
  });
}

export const part = (text: string) => new Paragraph({ style: STYLE.part, children: [run(text)] });
export const section = (text: string) => new Paragraph({ style: STYLE.section, children: [run(text)] });
export const sub = (text: string) => new Paragraph({ style: STYLE.sub, children: [run(text)] });

export interface CentredOptions extends RunStyle { after?: number; before?: number; keepNext?: boolean }

export function centred(text: string | TextRun[], opts: CentredOptions = {}): Paragraph {
  return new Paragraph({
    alignment: AlignmentType.CENTER,
    keepNext: opts.keepNext,
    // 1.2 lines: capitals with Vietnamese marks above them (Ủ, Ộ) need the room.
    spacing: { before: opts.before ?? 0, after: opts.after ?? 0, line: 288, lineRule: LineRuleType.AUTO },
    children: typeof text === 'string' ? [run(text, opts)] : text,
  });
}

/**
 * A solid rule alone, `ruleWidth` twips long, centred in `boxWidth`: an empty paragraph `gap` high (exactly) whose
 * bottom border is the rule. Word draws a paragraph's border across the paragraph, so its indents set the length.
 */
export function rule(boxWidth: number, ruleWidth: number, opts: { gap?: number; after?: number } = {}): Paragraph {
  const side = Math.max(0, Math.round((boxWidth - ruleWidth) / 2));
  return new Paragraph({
    indent: { left: side, right: side },
    spacing: { before: 0, after: opts.after ?? 0, line: opts.gap ?? pt(3), lineRule: LineRuleType.EXACT },
    border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: '000000', space: 0 } },
    run: { size: 2 },
    children: [],
  });
}

/** A table cell's paragraph: 11 pt, single-spaced, left-aligned unless told. */
export function cellText(texts: string[], opts: RunStyle & { alignment?: (typeof AlignmentType)[keyof typeof AlignmentType] } = {}): Paragraph {
  return new Paragraph({ style: STYLE.table, alignment: opts.alignment, children: lines(texts, opts) });
}
