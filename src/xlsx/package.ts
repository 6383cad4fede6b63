/**
 * An .xlsx package's parts as text, changed in place: relationships, content types, the workbook's sheet list.
 * What the feedback copy needs to add notes, fills and a sheet to a returned workbook without loading it whole.
 */
import path from 'node:path';
import { directoryEnd, directoryRecords, entryData } from './zip.ts';
import { writeZip, type ZipItem } from './zip-write.ts';
import { attributes, escapeXml } from './xml.ts';

export const REL = {
  worksheet: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet',
  comments: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments',
  vmlDrawing: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/vmlDrawing',
};
export const CONTENT_TYPE = {
  worksheet: 'application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml',
  comments: 'application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml',
  vml: 'application/vnd.openxmlformats-officedocument.vmlDrawing',
};
const RELS_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';

export interface Rel { id: string; type: string; target: string }
export interface SheetRef { name: string; part: string; rid: string }

/**
 * The parts of a package, read and replaced as text; `bytes()` zips it again. A large part is replaced by pieces
 * (slices of its bytes between edits, `setPieces`) rather than by one copy of it.
 */
export class Package {
  private readonly files: Map<string, Buffer | Buffer[]>;
  private readonly changed = new Set<string>();

  constructor(files: Map<string, Buffer>) {
    this.files = new Map(files);
  }

  has(part: string): boolean {
    return this.files.has(part);
  }

  /** A part's bytes (pieces joined: only for the small parts ever read again). */
  data(part: string): Buffer | undefined {
    const data = this.files.get(part);
    return Array.isArray(data) ? Buffer.concat(data) : data;
  }

  text(part: string): string | undefined {
    return this.data(part)?.toString('utf8');
  }

  /** A part's text up to `marker` (all of it without one): the head of a sheet, without reading its cells. */
  head(part: string, marker: string): string | undefined {
    const split = this.headPiece(part, marker);
    if (!split) return undefined;
    const at = split.first.indexOf(marker);
    return split.first.toString('utf8', 0, at < 0 ? split.first.length : at);
  }

  /** Replaces the head of a part (as returned by `head`), keeping the bytes after it (not copied). */
  setHead(part: string, head: string, marker: string): void {
    const { first, rest } = this.headPiece(part, marker)!;
    const at = first.indexOf(marker);
    this.files.set(part, [Buffer.from(head, 'utf8'), ...(at < 0 ? [] : [first.subarray(at)]), ...rest]);
    this.changed.add(part);
  }

  /** The piece of a part that holds `marker` first (the whole part when it is one, or when no first piece has it). */
  private headPiece(part: string, marker: string): { first: Buffer; rest: Buffer[] } | undefined {
    const data = this.files.get(part);
    if (!Array.isArray(data)) return data && { first: data, rest: [] };
    return data[0].includes(marker) ? { first: data[0], rest: data.slice(1) } : { first: Buffer.concat(data), rest: [] };
  }

  /** Replaces a part by pieces written one after the other. */
  setPieces(part: string, pieces: Buffer[]): void {
    this.files.set(part, pieces);
    this.changed.add(part);
  }

  set(part: string, xml: string): void {
    this.files.set(part, Buffer.from(xml, 'utf8'));
    this.changed.add(part);
  }

  /** A part name not taken yet: pattern(1), pattern(2)… (compared without case, as part names are). */
  freeName(pattern: (n: number) => string): string {
    const taken = new Set([...this.files.keys()].map((k) => k.toLowerCase()));
    for (let n = 1; ; n++) if (!taken.has(pattern(n).toLowerCase())) return pattern(n);
  }

  /** The worksheets in workbook order, with their parts. */
  sheets(): SheetRef[] {
    const rels = this.rels('xl/workbook.xml');
    const out: SheetRef[] = [];
    for (const m of (this.text('xl/workbook.xml') ?? '').matchAll(/<sheet\b([^>]*?)\/?>/g)) {
      const a = attributes(m[1]);
      const rel = rels.find((r) => r.id === a.get('r:id'));
      if (a.get('name') === undefined || !rel) continue;
      out.push({ name: a.get('name')!, part: resolveTarget('xl/workbook.xml', rel.target), rid: rel.id });
    }
    return out;
  }

  rels(part: string): Rel[] {
    const xml = this.text(relsPart(part)) ?? '';
    return [...xml.matchAll(/<Relationship\b([^>]*?)\/?>/g)].map((m) => {
      const a = attributes(m[1]);
      return { id: a.get('Id') ?? '', type: a.get('Type') ?? '', target: a.get('Target') ?? '' };
    });
  }

  /** Adds a relationship from `part` to `target` (a part name); returns its id. */
  addRel(part: string, type: string, target: string): string {
    const name = relsPart(part);
    const xml = this.text(name) ?? `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="${RELS_NS}"></Relationships>`;
    const ids = new Set(this.rels(part).map((r) => r.id));
    let n = 1;
    while (ids.has(`rId${n}`)) n++;
    const tag = `<Relationship Id="rId${n}" Type="${type}" Target="${escapeXml(relativeTarget(part, target))}"/>`;
    this.set(name, xml.includes('</Relationships>') ? xml.replace('</Relationships>', `${tag}</Relationships>`) : xml.replace(/<Relationships\b([^>]*)\/>/, `<Relationships$1>${tag}</Relationships>`));
    return `rId${n}`;
  }

  /** Declares the content type of a new part (or of an extension, for `default`). */
  addContentType(entry: { part: string; type: string } | { extension: string; type: string }): void {
    const xml = this.text('[Content_Types].xml');
    if (xml === undefined) throw new Error('package: no [Content_Types].xml');
    let tag: string;
    if ('part' in entry) {
      tag = `<Override PartName="/${escapeXml(entry.part)}" ContentType="${entry.type}"/>`;
    } else {
      if (new RegExp(`Extension=["']${entry.extension}["']`, 'i').test(xml)) return;
      tag = `<Default Extension="${entry.extension}" ContentType="${entry.type}"/>`;
    }
    this.set('[Content_Types].xml', xml.replace('</Types>', `${tag}</Types>`));
  }

  /**
   * The package as a zip. Parts left unchanged are copied from `original` as they were compressed (a large sheet
   * the unit added is not inflated and deflated again); changed and new parts are deflated.
   */
  bytes(original: Buffer): Buffer {
    const raw = new Map<string, ZipItem>();
    const end = directoryEnd(original);
    if (end) {
      for (const e of directoryRecords(original, end)) {
        if (!e) break;
        const data = entryData(original, e);
        if (typeof data === 'string' || !this.files.has(e.name) || this.changed.has(e.name)) continue;
        raw.set(e.name, { name: e.rawName, data: this.files.get(e.name) as Buffer, crc: e.crc, time: e.time, date: e.date, compressed: { data, method: e.method } });
      }
    }
    return writeZip([...this.files].map(([name, data]) => raw.get(name) ?? { name, data }));
  }
}

/** "xl/worksheets/sheet2.xml" → "xl/worksheets/_rels/sheet2.xml.rels". */
export function relsPart(part: string): string {
  return path.posix.join(path.posix.dirname(part), '_rels', `${path.posix.basename(part)}.rels`);
}

/** A relationship's target, relative to its source part, as a part name (an absolute target starts with "/"). */
export function resolveTarget(from: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  return path.posix.normalize(path.posix.join(path.posix.dirname(from), target));
}

function relativeTarget(from: string, to: string): string {
  return path.posix.relative(path.posix.dirname(from), to);
}
