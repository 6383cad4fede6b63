/**
 * The bundled Tinos (package @fontsource/tinos, the metric twin of Times New Roman) read for typesetting: a WOFF file
 * unpacked to the TrueType font it wraps, and the few tables a line breaker and a PDF need (which glyph a character
 * has, how wide it is, the font's box). WOFF 1.0 only: its tables are zlib-compressed, which Node reads itself.
 */
import fs from 'node:fs';
import zlib from 'node:zlib';
import { UserError } from '../../errors.ts';
import { tinosFile } from '../tinos.ts';

export interface SfntFont {
  /** The TrueType font, as a PDF embeds it (FontFile2). */
  bytes: Uint8Array;
  unitsPerEm: number;
  /** Glyph of each character the font has. */
  glyphs: Map<number, number>;
  /** Advance width of each glyph, in font units. */
  advances: Uint16Array;
  ascender: number;
  descender: number;
  capHeight: number;
  italicAngle: number;
  bbox: [number, number, number, number];
}

/** A WOFF file's tables, inflated, written back as the TrueType font they came from. */
export function unpackWoff(woff: Uint8Array): Uint8Array {
  const view = new DataView(woff.buffer, woff.byteOffset, woff.byteLength);
  if (view.getUint32(0) !== 0x774f4646) throw new Error('not a WOFF 1.0 font');
  const flavor = view.getUint32(4);
  const count = view.getUint16(12);
  const tables: { tag: number; checksum: number; data: Uint8Array }[] = [];
  for (let i = 0; i < count; i++) {
    const at = 44 + i * 20;
    const offset = view.getUint32(at + 4);
    const compressed = view.getUint32(at + 8);
    const length = view.getUint32(at + 12);
    const raw = woff.subarray(offset, offset + compressed);
    tables.push({ tag: view.getUint32(at), checksum: view.getUint32(at + 16), data: compressed < length ? zlib.inflateSync(raw) : raw });
  }
  tables.sort((a, b) => a.tag - b.tag);
  const headerSize = 12 + 16 * count;
  const size = tables.reduce((n, t) => n + ((t.data.length + 3) & ~3), headerSize);
  const out = new Uint8Array(size);
  const w = new DataView(out.buffer);
  const log2 = Math.floor(Math.log2(count));
  w.setUint32(0, flavor);
  w.setUint16(4, count);
  w.setUint16(6, 16 * 2 ** log2);
  w.setUint16(8, log2);
  w.setUint16(10, 16 * count - 16 * 2 ** log2);
  let offset = headerSize;
  tables.forEach((t, i) => {
    w.setUint32(12 + i * 16, t.tag);
    w.setUint32(16 + i * 16, t.checksum);
    w.setUint32(20 + i * 16, offset);
    w.setUint32(24 + i * 16, t.data.length);
    out.set(t.data, offset);
    offset += (t.data.length + 3) & ~3;
  });
  return out;
}

/** The tables of a TrueType font that typesetting needs. */
export function readSfnt(bytes: Uint8Array): SfntFont {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tables = new Map<string, number>();
  for (let i = 0; i < view.getUint16(4); i++) {
    const at = 12 + i * 16;
    tables.set(String.fromCharCode(...bytes.subarray(at, at + 4)), view.getUint32(at + 8));
  }
  const table = (tag: string) => {
    const at = tables.get(tag);
    if (at === undefined) throw new Error(`font has no ${tag} table`);
    return at;
  };
  const head = table('head');
  const hhea = table('hhea');
  const glyphCount = view.getUint16(table('maxp') + 4);
  const metricCount = view.getUint16(hhea + 34);
  const hmtx = table('hmtx');
  const advances = new Uint16Array(glyphCount);
  for (let g = 0; g < glyphCount; g++) advances[g] = view.getUint16(hmtx + 4 * Math.min(g, metricCount - 1));
  const os2 = tables.get('OS/2');
  const post = tables.get('post');
  return {
    bytes,
    unitsPerEm: view.getUint16(head + 18),
    glyphs: readCmap(view, table('cmap')),
    advances,
    ascender: view.getInt16(hhea + 4),
    descender: view.getInt16(hhea + 6),
    capHeight: os2 !== undefined && view.getUint16(os2) >= 2 ? view.getInt16(os2 + 88) : view.getInt16(hhea + 4),
    italicAngle: post === undefined ? 0 : view.getInt32(post + 4) / 65536,
    bbox: [view.getInt16(head + 36), view.getInt16(head + 38), view.getInt16(head + 40), view.getInt16(head + 42)],
  };
}

/** The Unicode subtable of `cmap`: format 12 (every plane) if the font has one, else format 4 (the BMP). */
function readCmap(view: DataView, cmap: number): Map<number, number> {
  const subtables: number[] = [];
  for (let i = 0; i < view.getUint16(cmap + 2); i++) {
    const at = cmap + 4 + i * 8;
    const platform = view.getUint16(at);
    const encoding = view.getUint16(at + 2);
    if ((platform === 3 && (encoding === 1 || encoding === 10)) || platform === 0) subtables.push(cmap + view.getUint32(at + 4));
  }
  const glyphs = new Map<number, number>();
  const full = subtables.find((s) => view.getUint16(s) === 12);
  if (full !== undefined) {
    for (let i = 0; i < view.getUint32(full + 12); i++) {
      const at = full + 16 + i * 12;
      const [start, end, first] = [view.getUint32(at), view.getUint32(at + 4), view.getUint32(at + 8)];
      for (let c = start; c <= end; c++) glyphs.set(c, first + c - start);
    }
    return glyphs;
  }
  const bmp = subtables.find((s) => view.getUint16(s) === 4);
  if (bmp === undefined) throw new Error('font has no Unicode cmap');
  const segments = view.getUint16(bmp + 6) / 2;
  const ends = bmp + 14;
  const starts = ends + 2 * segments + 2;
  const deltas = starts + 2 * segments;
  const ranges = deltas + 2 * segments;
  for (let s = 0; s < segments; s++) {
    const [start, end] = [view.getUint16(starts + 2 * s), view.getUint16(ends + 2 * s)];
    const delta = view.getInt16(deltas + 2 * s);
    const range = view.getUint16(ranges + 2 * s);
    for (let c = start; c <= end && c !== 0xffff; c++) {
      const g = range === 0 ? (c + delta) & 0xffff : view.getUint16(ranges + 2 * s + range + 2 * (c - start));
      if (g !== 0) glyphs.set(c, range === 0 ? g : (g + delta) & 0xffff);
    }
  }
  return glyphs;
}

export type FontStyle = 'regular' | 'bold' | 'italic' | 'bold-italic';
/** Fontsource's subsets, in the order a character is looked for: the first that has it sets it. */
export const SUBSETS = ['latin', 'vietnamese', 'latin-ext', 'greek', 'greek-ext', 'cyrillic', 'cyrillic-ext'] as const;

const loaded = new Map<string, SfntFont>();

/** One subset of Tinos in one style, read once per process. */
export function loadTinos(subset: (typeof SUBSETS)[number], style: FontStyle): SfntFont {
  const key = `${subset}-${style}`;
  const cached = loaded.get(key);
  if (cached) return cached;
  const file = tinosFile(subset, style.startsWith('bold') ? 700 : 400, style.endsWith('italic') ? 'italic' : 'normal', 'woff');
  let font: SfntFont;
  try {
    font = readSfnt(unpackWoff(fs.readFileSync(file)));
  } catch {
    // A damaged installation, never the analyst's data.
    throw new UserError(`Tệp phông chữ Tinos đi kèm hoctap bị hỏng (${file}): cài lại hoctap ("npm install" trong thư mục cài đặt hoctap), rồi chạy lại lệnh.`, 1);
  }
  loaded.set(key, font);
  return font;
}
