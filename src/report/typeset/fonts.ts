/**
 * The fonts of a typeset PDF: each character set in the first of Tinos's subsets that has it (sfnt.ts), each subset
 * used embedded whole (they are small) as a composite font whose codes are its glyph numbers (Identity-H), with the
 * widths the line breaker used and a ToUnicode map, so that the text can be searched and copied.
 */
import zlib from 'node:zlib';
import { PDFName, PDFRawStream, PDFString, type PDFDict, type PDFDocument, type PDFRef } from 'pdf-lib';
import { loadTinos, SUBSETS, type FontStyle, type SfntFont } from './sfnt.ts';

/** One character as set: the font's resource name, its code (hex, 4 digits) and its width per point of size. */
export interface Glyph { font: string; hex: string; width: number }

interface UsedFont { name: string; style: FontStyle; font: SfntFont; toUnicode: Map<number, number> }

/**
 * A PDF stream's contents compressed. Copied out: Node's buffer is a view of a larger chunk, and thousands of them
 * held 146 MiB for 4 MiB of pages (2,244 pages).
 */
export function deflate(bytes: string | Uint8Array): Uint8Array {
  return new Uint8Array(zlib.deflateSync(bytes));
}

const STYLE_NAMES: Record<FontStyle, string> = { regular: 'Tinos', bold: 'Tinos-Bold', italic: 'Tinos-Italic', 'bold-italic': 'Tinos-BoldItalic' };

export class FontSet {
  private readonly used = new Map<string, UsedFont>();
  private readonly glyphs = new Map<FontStyle, Map<number, Glyph>>();
  /** Characters no subset of Tinos has (printed as the font's empty box), for the analyst to be told. */
  readonly missing = new Set<number>();

  glyph(codePoint: number, style: FontStyle): Glyph {
    let byStyle = this.glyphs.get(style);
    if (!byStyle) this.glyphs.set(style, byStyle = new Map());
    const known = byStyle.get(codePoint);
    if (known) return known;
    let subset: (typeof SUBSETS)[number] = SUBSETS[0];
    let gid = 0;
    for (const s of SUBSETS) {
      const g = loadTinos(s, style).glyphs.get(codePoint);
      if (g !== undefined) {
        subset = s;
        gid = g;
        break;
      }
    }
    if (gid === 0) this.missing.add(codePoint);
    const used = this.font(subset, style);
    if (gid !== 0 && !used.toUnicode.has(gid)) used.toUnicode.set(gid, codePoint);
    const glyph = { font: used.name, hex: gid.toString(16).padStart(4, '0'), width: used.font.advances[gid] / used.font.unitsPerEm };
    byStyle.set(codePoint, glyph);
    return glyph;
  }

  /** Ascender and descender (negative) per point of size: the same in every subset and style of Tinos. */
  get metrics(): { ascender: number; descender: number } {
    const f = loadTinos('latin', 'regular');
    return { ascender: f.ascender / f.unitsPerEm, descender: f.descender / f.unitsPerEm };
  }

  private font(subset: string, style: FontStyle): UsedFont {
    const key = `${subset}-${style}`;
    let used = this.used.get(key);
    if (!used) {
      used = { name: `F${this.used.size}`, style, font: loadTinos(subset as (typeof SUBSETS)[number], style), toUnicode: new Map() };
      this.used.set(key, used);
    }
    return used;
  }

  /** Embeds every font used; returns the resource dictionary that names them. */
  embed(doc: PDFDocument): PDFDict {
    const ctx = doc.context;
    // Length is set by pdf-lib when the stream is written.
    const stream = (bytes: Uint8Array, extra: Record<string, number> = {}) => ctx.register(PDFRawStream.of(
      ctx.obj({ Filter: 'FlateDecode', ...extra }), deflate(bytes),
    ));
    const fonts: Record<string, PDFRef> = {};
    [...this.used.values()].forEach((u, i) => {
      const f = u.font;
      const scale = (n: number) => Math.round((n * 1000) / f.unitsPerEm);
      // A different six-letter tag for each subset: readers tell the fonts apart by name.
      const name = `HOCT${String.fromCharCode(65 + Math.floor(i / 26), 65 + (i % 26))}+${STYLE_NAMES[u.style]}`;
      const descriptor = ctx.register(ctx.obj({
        Type: 'FontDescriptor', FontName: name, Flags: 4 | 2 | (u.style.endsWith('italic') ? 64 : 0),
        FontBBox: f.bbox.map(scale), ItalicAngle: f.italicAngle, Ascent: scale(f.ascender), Descent: scale(f.descender),
        CapHeight: scale(f.capHeight), StemV: u.style.startsWith('bold') ? 140 : 80, FontFile2: stream(f.bytes, { Length1: f.bytes.length }),
      }));
      const widths = Array.from(f.advances, (a) => Math.round((a * 100000) / f.unitsPerEm) / 100);
      const cid = ctx.register(ctx.obj({
        Type: 'Font', Subtype: 'CIDFontType2', BaseFont: name, FontDescriptor: descriptor, CIDToGIDMap: 'Identity',
        CIDSystemInfo: { Registry: PDFString.of('Adobe'), Ordering: PDFString.of('Identity'), Supplement: 0 },
        W: [0, widths],
      }));
      fonts[u.name] = ctx.register(ctx.obj({
        Type: 'Font', Subtype: 'Type0', BaseFont: name, Encoding: 'Identity-H', DescendantFonts: [cid],
        ToUnicode: stream(Buffer.from(toUnicodeCMap(u.toUnicode), 'latin1')),
      }));
    });
    return ctx.obj({ Font: ctx.obj(fonts), ProcSet: [PDFName.of('PDF'), PDFName.of('Text')] });
  }
}

/** The map from glyph codes back to characters, as PDF readers read it (100 entries per block, as the format asks). */
function toUnicodeCMap(map: Map<number, number>): string {
  const hex4 = (n: number) => n.toString(16).padStart(4, '0');
  const utf16 = (cp: number) => (cp > 0xffff ? String.fromCodePoint(cp) : String.fromCharCode(cp)).split('').map((c) => hex4(c.charCodeAt(0))).join('');
  const entries = [...map].sort((a, b) => a[0] - b[0]).map(([gid, cp]) => `<${hex4(gid)}> <${utf16(cp)}>`);
  const blocks: string[] = [];
  for (let i = 0; i < entries.length; i += 100) {
    const slice = entries.slice(i, i + 100);
    blocks.push(`${slice.length} beginbfchar\n${slice.join('\n')}\nendbfchar`);
  }
  return [
    '/CIDInit /ProcSet findresource begin', '12 dict begin', 'begincmap',
    '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def', '/CMapName /Adobe-Identity-UCS def', '/CMapType 2 def',
    '1 begincodespacerange', '<0000> <ffff>', 'endcodespacerange', ...blocks,
    'endcmap', 'CMapName currentdict /CMap defineresource pop', 'end', 'end',
  ].join('\n');
}
