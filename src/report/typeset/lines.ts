/**
 * A paragraph's text broken into lines, as a browser breaks it under templates/report.css: white space collapsed
 * (a space at the start or end of a line dropped), a line broken where Unicode's line breaking rules allow (UAX #14,
 * package linebreak: at spaces, after a hyphen or a slash, …) and where the text has "\n", greedily (as many words as
 * fit), a word wider than the line cut where the margin falls (overflow-wrap: break-word).
 */
import LineBreaker from 'linebreak';
import type { FontSet, FontStyle, Slot } from './fonts.ts';

export interface Run { text: string; style: FontStyle }

/** Some text in one font, measured in points. */
export interface Piece { slot: Slot; text: string; width: number }

/** What lies between two places a line may break: a word in one or more fonts, and the space after it, if any. */
export interface Box { readonly pieces: Piece[]; width: number; space: Piece | null }

/** `justified`: the line is stretched to the margin (not the last of its paragraph, nor before a "\n", nor a cut word). */
export interface Line { boxes: Box[]; width: number; spaces: number; justified: boolean }

/** Characters a browser does not draw (controls; soft hyphen, zero-width space and joiners, byte order mark), and white space. */
const INVISIBLE = /[\u0000-\u0008\u000e-\u001f\u007f-\u009f\u00ad\u200b-\u200d\u2060\ufeff]/g;
const WHITE = /[ \t\v\f\r]+/g;

/** A line of the text between two "\n", spaces collapsed: its text and where each style's part of it ends. */
interface HardLine { text: string; styles: { end: number; style: FontStyle }[] }

function hardLines(runs: Run[]): HardLine[] {
  const out: HardLine[] = [];
  let line: HardLine = { text: '', styles: [] };
  const add = (text: string, style: FontStyle) => {
    // One space between words, none at the start of a line.
    const t = line.text === '' || line.text.endsWith(' ') ? text.replace(/^ /, '') : text;
    if (!t) return;
    line.text += t;
    const last = line.styles.at(-1);
    if (last && last.style === style) last.end = line.text.length;
    else line.styles.push({ end: line.text.length, style });
  };
  for (const run of runs) {
    run.text.normalize('NFC').split('\n').forEach((part, i) => {
      if (i > 0) {
        out.push(line);
        line = { text: '', styles: [] };
      }
      add(part.replace(INVISIBLE, '').replace(WHITE, ' '), run.style);
    });
  }
  out.push(line);
  for (const l of out) {
    if (l.text.endsWith(' ')) l.text = l.text.slice(0, -1);
    for (const s of l.styles) s.end = Math.min(s.end, l.text.length);
  }
  return out;
}

/**
 * Words measured: each word's pieces (its characters grouped by the font that sets them) and width, kept per style
 * and size. The same words come back through thousands of units' texts.
 */
interface Measured { readonly pieces: Piece[]; readonly width: number }

export class Measure {
  readonly fonts: FontSet;
  /** Per size and style, each word's pieces and width. */
  private readonly words = new Map<string, Map<string, Measured>>();

  constructor(fonts: FontSet) {
    this.fonts = fonts;
  }

  word(text: string, style: FontStyle, size: number): Measured {
    const key = `${size} ${style}`;
    let words = this.words.get(key);
    if (!words) this.words.set(key, words = new Map());
    let known = words.get(text);
    if (!known) {
      const pieces: Piece[] = [];
      let current: { slot: Slot; text: string } | null = null;
      for (const ch of text) {
        const slot = this.fonts.slot(ch.codePointAt(0)!, style);
        if (current && current.slot === slot) current.text += ch;
        else {
          if (current) pieces.push(this.piece(current.slot, current.text, size));
          current = { slot, text: ch };
        }
      }
      if (current) pieces.push(this.piece(current.slot, current.text, size));
      known = { pieces, width: pieces.reduce((w, p) => w + p.width, 0) };
      words.set(text, known);
    }
    return known;
  }

  piece(slot: Slot, text: string, size: number): Piece {
    return { slot, text, width: this.fonts.width(slot, text, size) };
  }
}

/** The box of a line's text from `from` to `to`, the style parts it spans measured each on its own. */
function box(line: HardLine, from: number, to: number, space: Piece | null, measure: Measure, size: number): Box {
  const first = line.styles.findIndex((s) => s.end > from);
  if (line.styles[first].end >= to) return { ...measure.word(line.text.slice(from, to), line.styles[first].style, size), space };
  const pieces: Piece[] = [];
  let width = 0;
  let start = from;
  for (const s of line.styles.slice(first)) {
    const end = Math.min(s.end, to);
    const w = measure.word(line.text.slice(start, end), s.style, size);
    pieces.push(...w.pieces);
    width += w.width;
    start = end;
    if (start >= to) break;
  }
  return { pieces, width, space };
}

const styleAt = (line: HardLine, at: number) => (line.styles.find((s) => s.end > at) ?? line.styles.at(-1)!).style;

/** The boxes of a line of text, between the places UAX #14 allows a break. */
function boxes(line: HardLine, measure: Measure, size: number): Box[] {
  const out: Box[] = [];
  const breaker = new LineBreaker(line.text);
  let last = 0;
  for (let b = breaker.nextBreak(); b; b = breaker.nextBreak()) {
    let end = b.position;
    while (end > last && line.text.charCodeAt(end - 1) === 32) end--;
    const space = end < b.position ? measure.word(' ', styleAt(line, end), size).pieces[0] : null;
    if (end > last) out.push(box(line, last, end, space, measure, size));
    last = b.position;
  }
  return out;
}

/** How much of a box's text (UTF-16 units) fits in `room` points: one character at least. */
function fitting(b: Box, room: number, measure: Measure, size: number): number {
  let width = 0;
  let units = 0;
  for (const p of b.pieces) {
    for (const ch of p.text) {
      const w = measure.fonts.width(p.slot, ch, size);
      if (units > 0 && width + w > room + 0.01) return units;
      width += w;
      units += ch.length;
    }
  }
  return units;
}

/** A box too wide for `room` points cut after as many characters as fit: the two parts. */
function cut(b: Box, room: number, measure: Measure, size: number): [Box, Box] {
  const text = b.pieces.map((p) => p.text).join('');
  const at = fitting(b, room, measure, size);
  return [regroup(b, 0, text.slice(0, at), measure, size), regroup(b, at, text.slice(at), measure, size, b.space)];
}

/** Part of a box's text (from UTF-16 offset `from`) as a box of its own, each character in the font it had. */
function regroup(b: Box, from: number, text: string, measure: Measure, size: number, space: Piece | null = null): Box {
  const slots: Slot[] = [];
  for (const p of b.pieces) for (const ch of p.text) for (let i = 0; i < ch.length; i++) slots.push(p.slot);
  const out: Piece[] = [];
  let at = from;
  for (const ch of text) {
    const slot = slots[at];
    at += ch.length;
    const prev = out.at(-1);
    if (prev && prev.slot === slot) prev.text += ch;
    else out.push({ slot, text: ch, width: 0 });
  }
  for (const p of out) p.width = measure.fonts.width(p.slot, p.text, size);
  return { pieces: out, width: out.reduce((w, p) => w + p.width, 0), space };
}

/** Greedy breaking of one line of text into lines of `width` points. */
function breakBoxes(list: Box[], width: number, measure: Measure, size: number): Line[] {
  const lines: Line[] = [];
  let line: Line = { boxes: [], width: 0, spaces: 0, justified: false };
  const close = (justified: boolean) => {
    lines.push({ ...line, justified });
    line = { boxes: [], width: 0, spaces: 0, justified: false };
  };
  for (let b of list) {
    const before = line.boxes.at(-1);
    const gap = before?.space ? before.space.width : 0;
    if (before && line.width + gap + b.width > width + 0.01) close(true);
    else if (before && before.space) {
      line.width += gap;
      line.spaces++;
    }
    // Only on an empty line: a box wider than the line did not fit after what was on it.
    while (b.width > width + 0.01) {
      const [head, rest] = cut(b, width - line.width, measure, size);
      line.boxes.push(head);
      line.width += head.width;
      close(false);
      b = rest;
    }
    if (b.pieces.length) {
      line.boxes.push(b);
      line.width += b.width;
    }
  }
  if (line.boxes.length || !lines.length) close(false);
  return lines;
}

/** A paragraph's lines at `size` points on lines `width` points wide. */
export function paragraphLines(runs: Run[], width: number, measure: Measure, size: number): Line[] {
  const hard = hardLines(runs);
  const out: Line[] = [];
  hard.forEach((h, i) => {
    // A "\n" at the very end makes no empty line (a browser shows none either).
    if (i === hard.length - 1 && !h.text && out.length) return;
    out.push(...breakBoxes(boxes(h, measure, size), width, measure, size));
  });
  return out;
}
