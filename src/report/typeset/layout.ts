/**
 * A small typesetter for long plain documents (Phụ lục III with thousands of units): paragraphs of styled text broken
 * into justified lines and the lines into A4 pages, as the report's stylesheet lays out the same text in a browser
 * (white space collapsed, justified but the last line, a word longer than the line broken at the margin, two lines at
 * least on each side of a page break, a heading kept with what follows it, the page number at the top centre from page
 * 2). It writes each page's PDF content; pdf.ts's browser printing took about 25 s for 2,000 pages, this a few.
 */
import type { FontSet, Glyph } from './fonts.ts';
import type { FontStyle } from './sfnt.ts';
import { A4_MM, PAGE_NUMBER_SIZE_PT, PORTRAIT_MARGINS_MM } from '../page.ts';

export interface Run { text: string; style: FontStyle }

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

type Token = { kind: 'word'; glyphs: Glyph[]; width: number } | { kind: 'space'; glyph: Glyph; width: number } | { kind: 'break' };
interface Line { tokens: Token[]; width: number; spaces: number; justified: boolean }

/** Characters a browser does not draw: soft hyphen, zero-width space and joiners, byte order mark. */
const INVISIBLE = new Set([0xad, 0x200b, 0x200c, 0x200d, 0x2060, 0xfeff]);

/** The tokens of a block: words (their glyphs at the block's size), single spaces, line breaks. */
function tokenize(block: Block, fonts: FontSet): Token[] {
  const tokens: Token[] = [];
  let word: Extract<Token, { kind: 'word' }> | null = null;
  for (const run of block.runs) {
    for (const ch of run.text.normalize('NFC')) {
      const cp = ch.codePointAt(0)!;
      if (cp === 10) {
        word = null;
        if (tokens.at(-1)?.kind === 'space') tokens.pop();
        tokens.push({ kind: 'break' });
      } else if (cp === 32 || cp === 9 || cp === 13 || cp === 12 || cp === 11) {
        word = null;
        const last = tokens.at(-1);
        if (last && last.kind === 'word') {
          const glyph = fonts.glyph(32, run.style);
          tokens.push({ kind: 'space', glyph, width: glyph.width * block.size });
        }
      } else if (cp >= 32 && !(cp >= 0x7f && cp < 0xa0) && !INVISIBLE.has(cp)) {
        const glyph = fonts.glyph(cp, run.style);
        if (!word) tokens.push(word = { kind: 'word', glyphs: [], width: 0 });
        word.glyphs.push(glyph);
        word.width += glyph.width * block.size;
      }
    }
  }
  if (tokens.at(-1)?.kind === 'space') tokens.pop();
  return tokens;
}

/** Greedy line breaking at spaces (what browsers do); a word wider than the line is cut where the margin falls. */
function breakLines(tokens: Token[], width: number, size: number): Line[] {
  const lines: Line[] = [];
  let line: Line = { tokens: [], width: 0, spaces: 0, justified: false };
  let space: Extract<Token, { kind: 'space' }> | null = null;
  const close = (justified: boolean) => {
    lines.push({ ...line, justified });
    line = { tokens: [], width: 0, spaces: 0, justified: false };
    space = null;
  };
  for (const t of tokens) {
    if (t.kind === 'break') close(false);
    else if (t.kind === 'space') space = line.tokens.length ? t : null;
    else {
      const gap: number = space ? space.width : 0;
      if (line.tokens.length && line.width + gap + t.width > width + 0.01) close(true);
      else if (space) {
        line.tokens.push(space);
        line.width += space.width;
        line.spaces++;
      }
      space = null;
      let rest = t;
      while (rest.width > width + 0.01) {
        // overflow-wrap: break-word. The cut piece fills the line; at least one glyph per line.
        let w = 0;
        let n = 0;
        while (n < rest.glyphs.length && (n === 0 || w + rest.glyphs[n].width * size <= width - line.width + 0.01)) w += rest.glyphs[n++].width * size;
        line.tokens.push({ kind: 'word', glyphs: rest.glyphs.slice(0, n), width: w });
        line.width += w;
        close(false);
        rest = { kind: 'word', glyphs: rest.glyphs.slice(n), width: rest.width - w };
      }
      if (rest.glyphs.length) {
        line.tokens.push(rest);
        line.width += rest.width;
      }
    }
  }
  if (line.tokens.length || !lines.length) close(false);
  return lines;
}

const num = (n: number) => (Math.round(n * 100) / 100).toString();

/** One line's PDF text operators: glyph codes by font, each space widened by `extra` points when justified. */
function lineContent(line: Line, x: number, y: number, size: number, extra: number): string {
  const out: string[] = [`BT ${num(x)} ${num(y)} Td`];
  let font = '';
  let chunk: string[] = [];
  const flush = () => {
    if (chunk.length) out.push(`[${chunk.join('')}] TJ`);
    chunk = [];
  };
  let hex = '';
  const glyph = (g: Glyph) => {
    if (g.font !== font) {
      if (hex) chunk.push(`<${hex}>`);
      hex = '';
      flush();
      font = g.font;
      out.push(`/${font} ${size} Tf`);
    }
    hex += g.hex;
  };
  for (const t of line.tokens) {
    if (t.kind === 'word') for (const g of t.glyphs) glyph(g);
    else if (t.kind === 'space') {
      glyph(t.glyph);
      if (extra > 0.005) {
        chunk.push(`<${hex}>`, num((-extra * 1000) / size));
        hex = '';
      }
    }
  }
  if (hex) chunk.push(`<${hex}>`);
  flush();
  out.push('ET');
  return out.join(' ');
}

/**
 * The blocks laid out on pages: each page's content, the page number included, handed to `onPage` as soon as the page
 * is full (the writer compresses it at once: the text of thousands of pages is never all held). Returns the page count.
 */
export function typeset(blocks: Iterable<Block>, fonts: FontSet, onPage: (content: string) => void, frame: PageFrame = A4_FRAME): number {
  const { ascender, descender } = fonts.metrics;
  const { width, height, margin } = frame;
  const textWidth = width - margin.left - margin.right;
  let pages = 0;
  let page: string[] = [];
  let y = height - margin.top;
  let atTop = true;
  let lastAfter = 0;
  const newPage = () => {
    if (++pages > 1) page.unshift(pageNumber(pages, frame, fonts));
    onPage(page.join('\n'));
    page = [];
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
    page.push(lineContent(line, x, baseline, block.size, extra));
    y -= lineHeight;
    atTop = false;
  };
  const laidOut = (b: Block) => ({ block: b, lines: breakLines(tokenize(b, fonts), textWidth, b.size) });
  const iterator = blocks[Symbol.iterator]();
  const next = () => { const r = iterator.next(); return r.done ? null : laidOut(r.value); };
  let current = next();
  while (current) {
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
function pageNumber(n: number, frame: PageFrame, fonts: FontSet): string {
  const { ascender, descender } = fonts.metrics;
  const size = frame.numberSize;
  const line = breakLines(tokenize({ runs: [{ text: String(n), style: 'regular' }], size, leading: 1, align: 'center', before: 0, after: 0 }, fonts), Infinity, size)[0];
  const middle = frame.height - frame.margin.top / 2;
  const baseline = middle - ((ascender + descender) * size) / 2;
  const x = frame.margin.left + (frame.width - frame.margin.left - frame.margin.right - line.width) / 2;
  return lineContent(line, x, baseline, size, 0);
}
