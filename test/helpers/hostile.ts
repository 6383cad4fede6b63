/**
 * Crafted workbooks that cost a naive reader a lot from a few bytes: a merge over most of a sheet, a huge text,
 * hundreds of thousands of rows, zip bombs. Built from a real filled template, one part rewritten.
 */
import zlib from 'node:zlib';
import { writeZip } from '../../src/xlsx/zip-write.ts';

export interface Part { name: string; data: Buffer }

/** The entries of a zip (stored or deflated). */
export function unzipParts(buf: Buffer): Part[] {
  const items: Part[] = [];
  let end = buf.length - 22;
  while (buf.readUInt32LE(end) !== 0x06054b50) end--;
  let p = buf.readUInt32LE(end + 16);
  for (let i = 0; i < buf.readUInt16LE(end + 10); i++) {
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const name = buf.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    const lo = buf.readUInt32LE(p + 42);
    const start = lo + 30 + buf.readUInt16LE(lo + 26) + buf.readUInt16LE(lo + 28);
    const raw = buf.subarray(start, start + size);
    items.push({ name, data: method === 8 ? zlib.inflateRawSync(raw) : Buffer.from(raw) });
    p += 46 + nameLen + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
  return items;
}

/** The workbook with one part's text rewritten. */
export function editPart(xlsx: Buffer, name: string, edit: (xml: string) => string): Buffer {
  const parts = unzipParts(xlsx);
  const part = parts.find((p) => p.name === name);
  if (!part) throw new Error(`editPart: no ${name}`);
  part.data = Buffer.from(edit(part.data.toString('utf8')), 'utf8');
  return writeZip(parts);
}

/** The part of a sheet, by name (through workbook.xml and its relationships). */
export function sheetPart(xlsx: Buffer, sheet: string): string {
  const parts = unzipParts(xlsx);
  const text = (n: string) => parts.find((p) => p.name === n)!.data.toString('utf8');
  const rid = new RegExp(`<sheet [^>]*name="${sheet}"[^>]*r:id="([^"]+)"`).exec(text('xl/workbook.xml'))![1];
  const target = new RegExp(`Id="${rid}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="${rid}"`).exec(text('xl/_rels/workbook.xml.rels'))!;
  return `xl/${(target[1] ?? target[2]).replace(/^\/?xl\//, '')}`;
}

/** Adds merged ranges to a sheet's XML. */
export function addMerges(xml: string, refs: string[]): string {
  const tags = refs.map((r) => `<mergeCell ref="${r}"/>`).join('');
  if (xml.includes('<mergeCells')) {
    return xml.replace(/<mergeCells count="(\d+)">/, (_m, n: string) => `<mergeCells count="${Number(n) + refs.length}">${tags}`);
  }
  return xml.replace('</sheetData>', `</sheetData><mergeCells count="${refs.length}">${tags}</mergeCells>`);
}

/** Appends `count` rows after the sheet's last, each with one number in column `col`. */
export function addRows(xml: string, count: number, col = 'K'): string {
  const last = Math.max(...[...xml.matchAll(/<row r="(\d+)"/g)].map((m) => Number(m[1])));
  const rows: string[] = [];
  for (let i = 1; i <= count; i++) rows.push(`<row r="${last + i}"><c r="${col}${last + i}"><v>${i}</v></c></row>`);
  return xml.replace('</sheetData>', `${rows.join('')}</sheetData>`);
}

/**
 * Text of `chars` characters that deflates about 190:1 (a 2 kB block of pseudo-random words repeated: deflate finds
 * the repeats within its window), under the ratio a zip bomb is judged by; plain letters, as long in characters as
 * in bytes.
 */
export function compressibleText(chars: number, seed = 7): string {
  let x = seed;
  const rnd = () => ((x = (x * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const words = ['minh', 'chung', 'so', 'lieu', 'nam', 'hoc', 'tap', 'don', 'vi', 'bao', 'cao', 'thanh', 'pho'];
  let block = '';
  while (block.length < 2000) block += words[Math.floor(rnd() * words.length)] + ' ';
  return block.repeat(Math.ceil(chars / block.length)).slice(0, chars);
}
