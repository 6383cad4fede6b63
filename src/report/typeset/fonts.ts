/**
 * The fonts of a typeset PDF: the bundled Tinos (package @fontsource/tinos, the metric twin of Times New Roman) read
 * by fontkit from its WOFF files, and embedded by pdfkit (each font used subset to its glyphs, as a composite font with
 * its widths and a map back to the text, so that the text can be searched and copied). Fontsource splits Tinos into
 * subsets (latin, vietnamese, …): each character is set in the first subset of its style that has it, and measured
 * and set by fontkit's layout, kerning included.
 */
import fs from 'node:fs';
import * as fontkit from 'fontkit';
import { UserError } from '../../errors.ts';
import { tinosFile } from '../tinos.ts';

export type FontStyle = 'regular' | 'bold' | 'italic' | 'bold-italic';
/** Fontsource's subsets, in the order a character is looked for: the first that has it sets it. */
export const SUBSETS = ['latin', 'vietnamese', 'latin-ext', 'greek', 'greek-ext', 'cyrillic', 'cyrillic-ext', 'hebrew'] as const;
type Subset = (typeof SUBSETS)[number];

interface TinosFile { file: string; bytes: Buffer; font: fontkit.Font }

const loaded = new Map<string, TinosFile>();

/** One subset of Tinos in one style, read and checked once per process. */
export function loadTinos(subset: Subset, style: FontStyle): TinosFile {
  const key = `${subset}-${style}`;
  const cached = loaded.get(key);
  if (cached) return cached;
  const file = tinosFile(subset, style.startsWith('bold') ? 700 : 400, style.endsWith('italic') ? 'italic' : 'normal', 'woff');
  let tinos: TinosFile;
  try {
    const bytes = fs.readFileSync(file);
    const font = fontkit.create(bytes);
    if ('fonts' in font) throw new Error('a font collection');
    // A file cut short (an interrupted copy): fontkit inflates a WOFF table into a buffer of the size the header
    // promises, so a table cut off would read as zeros. The header's own record of the file's size tells.
    const { directory } = font as fontkit.Font & { directory?: { length?: number } };
    if (directory?.length !== bytes.length) throw new Error('size differs from the WOFF header');
    // The tables typesetting reads: sizes, the character map, the metrics, the kerning.
    if (!(font.unitsPerEm > 0) || !font.characterSet.length || !(font.layout('Tinos').advanceWidth > 0)) throw new Error('empty tables');
    tinos = { file, bytes, font };
  } catch {
    // A damaged installation, never the analyst's data.
    throw new UserError(`Tệp phông chữ Tinos đi kèm hoctap bị hỏng (${file}): cài lại hoctap ("npm install" trong thư mục cài đặt hoctap), rồi chạy lại lệnh.`, 1);
  }
  loaded.set(key, tinos);
  return tinos;
}

/**
 * A glyph's place as fontkit lays it out, per 1000 units of the font size (pdfkit's scale). Tinos's subsets kern
 * (GPOS 'kern') but position no marks up or down, so the vertical offset is always 0 and is not read.
 */
interface GlyphPosition { xAdvance: number; advanceWidth: number; xOffset: number }

/**
 * pdfkit's embedded font, as its own text() uses it: not in pdfkit's published types. text() itself costs some 40 µs a
 * call, and a Vietnamese line switches subsets every few letters (some 60 s for 2,244 pages), so lines are written
 * as PDF text operators (layout.ts) with the glyph codes and kerning pdfkit's font gives.
 */
interface EmbeddedFont {
  id: string;
  ascender: number;
  descender: number;
  widthOfString(text: string, size: number): number;
  /** Glyph codes (4 hex digits, the subset's glyph numbers) and their positions; marks the glyphs as used. */
  encode(text: string): [string[], GlyphPosition[]];
  ref(): PDFKit.PDFKitReference;
}

/** One font of the document (a subset of Tinos in one style): its resource name and its encoded texts. */
export interface Slot { readonly id: string; readonly font: EmbeddedFont; readonly tj: Map<string, string> }

const num = (n: number) => (Math.round(n * 100) / 100).toString();

export class FontSet {
  /** Characters no subset of Tinos has (printed as the font's empty box), for the analyst to be told. */
  readonly missing = new Set<number>();
  private readonly doc: PDFKit.PDFDocument;
  private readonly slots = new Map<string, Slot>();
  private readonly chosen = new Map<FontStyle, Map<number, Slot>>();

  constructor(doc: PDFKit.PDFDocument) {
    this.doc = doc;
  }

  /** The font that sets a character in a style. */
  slot(codePoint: number, style: FontStyle): Slot {
    let byStyle = this.chosen.get(style);
    if (!byStyle) this.chosen.set(style, byStyle = new Map());
    const known = byStyle.get(codePoint);
    if (known) return known;
    const subset = SUBSETS.find((s) => loadTinos(s, style).font.hasGlyphForCodePoint(codePoint));
    if (!subset) this.missing.add(codePoint);
    const slot = this.open(subset ?? SUBSETS[0], style);
    byStyle.set(codePoint, slot);
    return slot;
  }

  /** Width of a text set in one font, kerning included, in points. */
  width(slot: Slot, text: string, size: number): number {
    return slot.font.widthOfString(text, size);
  }

  /** Ascender and descender (negative) per point of size: the same in every subset and style of Tinos. */
  get metrics(): { ascender: number; descender: number } {
    const f = this.open('latin', 'regular').font;
    return { ascender: f.ascender / 1000, descender: f.descender / 1000 };
  }

  /**
   * A text's glyphs as the elements of a TJ array: glyph codes, each kerning (or mark offset) as a shift in thousandths
   * of the size. Kept per font and text: the same words come back on every page.
   */
  glyphs(slot: Slot, text: string): string {
    const known = slot.tj.get(text);
    if (known !== undefined) return known;
    const [codes, positions] = slot.font.encode(text);
    let out = '';
    let hex = '';
    codes.forEach((code, i) => {
      const { xAdvance, advanceWidth, xOffset } = positions[i];
      const shift = (before: number) => {
        if (hex) out += `<${hex}>`;
        hex = '';
        out += ` ${num(before)}`;
      };
      if (xOffset) shift(-xOffset);
      hex += code;
      const after = xAdvance - advanceWidth - xOffset;
      if (Math.abs(after) > 0.005) shift(-after);
    });
    if (hex) out += `<${hex}>`;
    slot.tj.set(text, out);
    return out;
  }

  /** Names the fonts a page uses in its resources (the page pdfkit has just added). */
  useOnPage(slots: Iterable<Slot>): void {
    const fonts = (this.doc.page as { fonts: Record<string, PDFKit.PDFKitReference> }).fonts;
    for (const s of slots) fonts[s.id] = s.font.ref();
  }

  private open(subset: Subset, style: FontStyle): Slot {
    const key = `${subset}-${style}`;
    let slot = this.slots.get(key);
    if (!slot) {
      this.doc.registerFont(key, loadTinos(subset, style).bytes).font(key);
      const font = (this.doc as PDFKit.PDFDocument & { _font: EmbeddedFont })._font;
      slot = { id: font.id, font, tj: new Map() };
      this.slots.set(key, slot);
    }
    return slot;
  }
}
