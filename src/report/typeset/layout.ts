/**
 * A small page maker for long plain documents (Phụ lục III with thousands of units): paragraphs broken into lines
 * (lines.ts) and the lines into A4 pages, as the report's stylesheet lays out the same text in a browser (justified but
 * the last line, two lines at least on each side of a page break, a heading kept with what follows it, the page number
 * at the top centre from page 2). It writes each page's text operators, glyphs and kerning from pdfkit's fonts
 * (fonts.ts); pdf.ts's browser printing took about 25 s for 2,000 pages, this a few.
 */
import type { FontSet, Slot } from './fonts.ts';
import { Measure, paragraphLines, type Line, type Run } from './lines.ts';
import { A4_MM, PAGE_NUMBER_SIZE_PT, PORTRAIT_MARGINS_MM } from '../page.ts';

export type { Run };

export interface Block {
  /** "\n" in a run's text is a line break. */
  runs: Run[];
  /** Size in points, line height as a multiple of it. */
  size: number;
  leading: number;
  align: 'justify' | 'center';
  /** Space above and below in points; between two blocks the larger of the two, none at the top of a page. */
  before: number;
  after: number;
  /** A heading: not left alone at the bottom of a page. */
  keepWithNext?: boolean;
}

export interface PageFrame {
  width: number;
  height: number;
  margin: { top: number; right: number; bottom: number; left: number };
  /** Size of the page number in the top margin (pages 2 and on). */
  numberSize: number;
}

const MM = 72 / 25.4;
/** A4 portrait with the decree's margins (page.ts), in points. */
export const A4_FRAME: PageFrame = {
  width: A4_MM.width * MM, height: A4_MM.height * MM,
  margin: { top: PORTRAIT_MARGINS_MM.top * MM, right: PORTRAIT_MARGINS_MM.right * MM, bottom: PORTRAIT_MARGINS_MM.bottom * MM, left: PORTRAIT_MARGINS_MM.left * MM },
  numberSize: PAGE_NUMBER_SIZE_PT,
};

const num = (n: number) => (Math.round(n * 100) / 100).toString();

/**
 * One line's PDF text operators, its fonts added to `used`: each space widened by `extra` points when justified.
 * Glyph codes that follow each other in one font go in one hex string.
 */
function lineContent(line: Line, x: number, y: number, size: number, extra: number, fonts: FontSet, used: Set<Slot>): string {
  const parts = [`BT ${num(x)} ${num(y)} Td`];
  let font: Slot | null = null;
  const set = (slot: Slot, text: string) => {
    if (slot !== font) {
      if (font) parts.push('] TJ');
      font = slot;
      used.add(slot);
      parts.push(` /${slot.id} ${size} Tf [`);
    }
    const glyphs = fonts.glyphs(slot, text);
    const last = parts.length - 1;
    if (parts[last].endsWith('>') && glyphs.startsWith('<')) parts[last] = parts[last].slice(0, -1) + glyphs.slice(1);
    else parts.push(glyphs);
  };
  const stretch = extra > 0.005 ? ` ${num((-extra * 1000) / size)}` : '';
  line.boxes.forEach((b, i) => {
    for (const p of b.pieces) set(p.slot, p.text);
    if (b.space && i < line.boxes.length - 1) {
      set(b.space.slot, ' ');
      if (stretch) parts.push(stretch);
    }
  });
  if (font) parts.push('] TJ');
  parts.push(' ET');
  return parts.join('');
}

/** Blocks laid out between two turns of the event loop: a few tens of milliseconds of work (3,000 units, bench). */
const BLOCKS_PER_TURN = 100;

/**
 * The blocks laid out on pages: each page's content, the page number included, handed to `onPage` as soon as the page
 * is full (the writer compresses it at once: the text of thousands of pages is never all held). Returns the page count.
 * It gives way to the event loop every BLOCKS_PER_TURN blocks: the report is typeset while the browser prints, and the
 * printing needs Node to answer it (generate.ts).
 */
export async function typeset(blocks: Iterable<Block>, fonts: FontSet, onPage: (content: string, used: Set<Slot>) => void, frame: PageFrame = A4_FRAME): Promise<number> {
  const { ascender, descender } = fonts.metrics;
  const measure = new Measure(fonts);
  const { width, height, margin } = frame;
  const textWidth = width - margin.left - margin.right;
  let pages = 0;
  let page: string[] = [];
  let used = new Set<Slot>();
  let y = height - margin.top;
  let atTop = true;
  let lastAfter = 0;
  const newPage = () => {
    if (++pages > 1) page.unshift(pageNumber(pages, frame, measure, used));
    onPage(page.join('\n'), used);
    page = [];
    used = new Set();
    y = height - margin.top;
    atTop = true;
  };
  const fits = (lines: number, lineHeight: number) => Math.floor((y - margin.bottom + 0.01) / lineHeight) >= lines;
  const place = (block: Block, line: Line) => {
    const lineHeight = block.size * block.leading;
    // The line box as CSS centres the font's ascent and descent in it (half-leading above and below).
    const baseline = y - (lineHeight - (ascender - descender) * block.size) / 2 - ascender * block.size;
    const slack = textWidth - line.width;
    const x = margin.left + (block.align === 'center' ? slack / 2 : 0);
    const extra = block.align === 'justify' && line.justified && line.spaces ? slack / line.spaces : 0;
    page.push(lineContent(line, x, baseline, block.size, extra, fonts, used));
    y -= lineHeight;
    atTop = false;
  };
  const laidOut = (b: Block) => ({ block: b, lines: paragraphLines(b.runs, textWidth, measure, b.size) });
  const iterator = blocks[Symbol.iterator]();
  const next = () => { const r = iterator.next(); return r.done ? null : laidOut(r.value); };
  let current = next();
  for (let laid = 1; current; laid++) {
    if (laid % BLOCKS_PER_TURN === 0) await new Promise((resolve) => setImmediate(resolve));
    const { block, lines } = current;
    const following = next();
    const lineHeight = block.size * block.leading;
    if (!atTop) y -= Math.max(lastAfter, block.before);
    // A heading moves to the next page with the first two lines of what follows it.
    if (block.keepWithNext && following && !atTop) {
      const ahead = Math.min(2, following.lines.length) * following.block.size * following.block.leading + Math.max(block.after, following.block.before);
      if (Math.floor((y - margin.bottom - ahead + 0.01) / lineHeight) < lines.length) newPage();
    }
    let rest = lines;
    while (rest.length) {
      if (fits(rest.length, lineHeight)) {
        for (const l of rest) place(block, l);
        break;
      }
      const room = Math.floor((y - margin.bottom + 0.01) / lineHeight);
      // Orphans and widows: two lines at least before the break and after it.
      let take = rest.length >= 4 ? Math.min(room, rest.length - 2) : 0;
      if (take < 2) take = 0;
      if (take === 0 && atTop) take = Math.max(1, room);
      for (const l of rest.slice(0, take)) place(block, l);
      rest = rest.slice(take);
      newPage();
    }
    lastAfter = block.after;
    current = following;
  }
  if (page.length || !pages) newPage();
  return pages;
}

/** The page number centred in the top margin, as the stylesheet's @top-center box puts it. */
function pageNumber(n: number, frame: PageFrame, measure: Measure, used: Set<Slot>): string {
  const { fonts } = measure;
  const { ascender, descender } = fonts.metrics;
  const size = frame.numberSize;
  const line = paragraphLines([{ text: String(n), style: 'regular' }], Infinity, measure, size)[0];
  const middle = frame.height - frame.margin.top / 2;
  const baseline = middle - ((ascender + descender) * size) / 2;
  const x = frame.margin.left + (frame.width - frame.margin.left - frame.margin.right - line.width) / 2;
  return lineContent(line, x, baseline, size, 0, fonts, used);
}
