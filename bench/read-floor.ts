/**
 * The reading floor: the least any reader of a returned workbook must do to get at the values ingest needs. Read the
 * file, read the zip's central directory, inflate only the entries needed (workbook, its relationships, shared
 * strings, styles for number formats, the `_meta` sheet and the sheets `_meta` names) with node:zlib, and scan their
 * XML with regular expressions (no DOM, no validation, no checks). Ingest per file is stated as a multiple of this.
 */
import fs from 'node:fs';
import zlib from 'node:zlib';
import { directoryEnd, directoryRecords, entryData, type ZipEntry } from '../src/xlsx/zip.ts';

function centralDirectory(bytes: Buffer): Map<string, ZipEntry> {
  const end = directoryEnd(bytes);
  if (!end) throw new Error('no zip directory');
  const out = new Map<string, ZipEntry>();
  for (const e of directoryRecords(bytes, end)) {
    if (!e) throw new Error('bad zip directory');
    out.set(e.name, e);
  }
  return out;
}

function entryText(bytes: Buffer, dir: Map<string, ZipEntry>, name: string): string | null {
  const e = dir.get(name);
  if (!e) return null;
  const data = entryData(bytes, e);
  if (typeof data === 'string') throw new Error(`zip entry ${name} ${data}`);
  return (e.method === 8 ? zlib.inflateRawSync(data) : data).toString('utf8');
}

const ENTITY = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g;
function unescapeXml(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(ENTITY, (m) => {
    switch (m) {
      case '&amp;': return '&';
      case '&lt;': return '<';
      case '&gt;': return '>';
      case '&quot;': return '"';
      case '&apos;': return "'";
      default: return String.fromCodePoint(m[2] === 'x' ? parseInt(m.slice(3, -1), 16) : parseInt(m.slice(2, -1), 10));
    }
  });
}

function sharedStrings(xml: string | null): string[] {
  if (!xml) return [];
  const out: string[] = [];
  for (const si of xml.matchAll(/<si>([\s\S]*?)<\/si>/g)) {
    let text = '';
    for (const t of si[1].matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g)) text += t[1];
    out.push(unescapeXml(text));
  }
  return out;
}

/** cell address → value (text or number as text) and style index. */
type Cells = Map<string, { v: string; s: number }>;

function sheetCells(xml: string, strings: string[]): Cells {
  const cells: Cells = new Map();
  for (const m of xml.matchAll(/<c r="([A-Z]+\d+)"([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
    const attrs = m[2];
    const body = m[3];
    if (!body) continue;
    const t = /\st="([^"]+)"/.exec(attrs)?.[1];
    const s = Number(/\ss="(\d+)"/.exec(attrs)?.[1] ?? 0);
    let v: string;
    if (t === 'inlineStr') v = unescapeXml([...body.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g)].map((x) => x[1]).join(''));
    else {
      const raw = /<v>([\s\S]*?)<\/v>/.exec(body)?.[1] ?? '';
      v = t === 's' ? strings[Number(raw)] ?? '' : unescapeXml(raw);
    }
    cells.set(m[1], { v, s });
  }
  return cells;
}

/** Number format id of each style index (what a percent check needs). */
function styleFormats(xml: string | null): number[] {
  if (!xml) return [];
  const xfs = /<cellXfs[^>]*>([\s\S]*?)<\/cellXfs>/.exec(xml)?.[1] ?? '';
  return [...xfs.matchAll(/<xf\s([^>]*)/g)].map((m) => Number(/numFmtId="(\d+)"/.exec(m[1])?.[1] ?? 0));
}

/** Reads one returned workbook to the floor; returns how many mapped cells it found (so nothing is optimised away). */
export function readFloor(file: string): number {
  const bytes = fs.readFileSync(file);
  const dir = centralDirectory(bytes);
  const workbook = entryText(bytes, dir, 'xl/workbook.xml') ?? '';
  const rels = entryText(bytes, dir, 'xl/_rels/workbook.xml.rels') ?? '';
  const targets = new Map([...rels.matchAll(/<Relationship\s[^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"/g)].map((m) => [m[1], m[2]]));
  const sheetPath = new Map<string, string>();
  for (const m of workbook.matchAll(/<sheet\s[^>]*?name="([^"]+)"[^>]*?r:id="([^"]+)"/g)) {
    const target = targets.get(m[2]);
    if (target) sheetPath.set(unescapeXml(m[1]), target.startsWith('/') ? target.slice(1) : `xl/${target}`);
  }
  const strings = sharedStrings(entryText(bytes, dir, 'xl/sharedStrings.xml'));
  const formats = styleFormats(entryText(bytes, dir, 'xl/styles.xml'));
  const meta = sheetCells(entryText(bytes, dir, sheetPath.get('_meta') ?? '') ?? '', strings);
  // The `_meta` table: field_id | indicator_id | kind | sheet | cell, from the row after its header.
  const wanted = new Map<string, string[]>();
  let header = 0;
  for (const [addr, c] of meta) if (c.v === 'field_id' && addr.startsWith('A')) header = Number(addr.slice(1));
  for (let r = header + 1; header && meta.has(`A${r}`); r++) {
    const sheet = meta.get(`D${r}`)?.v ?? '';
    const cell = meta.get(`E${r}`)?.v ?? '';
    if (!wanted.has(sheet)) wanted.set(sheet, []);
    wanted.get(sheet)!.push(cell);
  }
  let found = 0;
  for (const [sheet, addrs] of wanted) {
    const xml = entryText(bytes, dir, sheetPath.get(sheet) ?? '');
    if (!xml) continue;
    const cells = sheetCells(xml, strings);
    for (const a of addrs) {
      const c = cells.get(a);
      if (c && (c.v !== '' || formats[c.s] !== undefined)) found++;
    }
  }
  return found;
}
