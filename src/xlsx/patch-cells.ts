/**
 * Fills on a few cells of a sheet, by editing the sheet's XML and styles.xml as text: every other byte of the sheet
 * stays as it was (a sheet of 350,000 rows is scanned once, not loaded into an object model).
 */
import { MAX_COL, columnNumber, parseA1 } from './a1.ts';
import { attributes } from './xml.ts';

/** styles.xml, extended with fills and cell formats as they are asked for. */
export class Styles {
  xml: string;
  private readonly fills = new Map<string, number>();
  private readonly derived = new Map<string, number>();

  constructor(xml: string) {
    if (!/<fills\b[^>]*>[\s\S]*?<\/fills>/.test(xml) || !/<cellXfs\b[^>]*>[\s\S]*?<\/cellXfs>/.test(xml)) {
      throw new Error('styles.xml without fills or cell formats');
    }
    this.xml = xml;
  }

  /** Appends one element to a counted list (<fills count="n">…</fills>) and returns its index. */
  private append(list: string, element: string): number {
    let index = 0;
    this.xml = this.xml.replace(new RegExp(`<${list}\\b([^>]*)>([\\s\\S]*?)</${list}>`), (_m, attrs: string, body: string) => {
      index = itemCount(list, body);
      const counted = /\scount="\d+"/.test(attrs) ? attrs.replace(/\scount="\d+"/, ` count="${index + 1}"`) : `${attrs} count="${index + 1}"`;
      return `<${list}${counted}>${body}${element}</${list}>`;
    });
    return index;
  }

  /** The index of a solid fill of this colour (ARGB, e.g. FFFF7C80). */
  solidFill(argb: string): number {
    let id = this.fills.get(argb);
    if (id === undefined) {
      id = this.append('fills', `<fill><patternFill patternType="solid"><fgColor rgb="${argb}"/><bgColor indexed="64"/></patternFill></fill>`);
      this.fills.set(argb, id);
    }
    return id;
  }

  /** A cell format like `base` (its number format, font, border, protection…) with another fill. */
  withFill(base: number, fillId: number): number {
    const key = `${base}:${fillId}`;
    let id = this.derived.get(key);
    if (id === undefined) {
      const xfs = /<cellXfs\b[^>]*>([\s\S]*?)<\/cellXfs>/.exec(this.xml)![1];
      const source = [...xfs.matchAll(XF)][base]?.[0] ?? '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>';
      const open = /^<xf\b[^>]*?(?=\/?>)/.exec(source)![0];
      const attrs = setAttribute(setAttribute(open, 'fillId', String(fillId)), 'applyFill', '1');
      id = this.append('cellXfs', attrs + source.slice(open.length));
      this.derived.set(key, id);
    }
    return id;
  }

  /** A new cell format from scratch (for a sheet hoctap adds). */
  format(opts: { bold?: boolean; fillId?: number; wrapTop?: boolean }): number {
    let fontId = 0;
    if (opts.bold) {
      const first = /<fonts\b[^>]*>\s*(<font\b[^>]*>[\s\S]*?<\/font>|<font\b[^>]*\/>)/.exec(this.xml)?.[1] ?? '<font/>';
      const bold = first.endsWith('/>') ? `${first.slice(0, -2)}><b/></font>` : first.replace(/^<font\b[^>]*>/, (o) => `${o}<b/>`);
      fontId = this.append('fonts', bold);
    }
    const alignment = opts.wrapTop ? '<alignment wrapText="1" vertical="top"/>' : '';
    return this.append('cellXfs', `<xf numFmtId="0" fontId="${fontId}" fillId="${opts.fillId ?? 0}" borderId="0" xfId="0"`
      + `${opts.bold ? ' applyFont="1"' : ''}${opts.fillId ? ' applyFill="1"' : ''}${alignment ? ' applyAlignment="1">' + alignment + '</xf>' : '/>'}`);
  }
}

const XF = /<xf\b[^>]*?(?:\/>|>[\s\S]*?<\/xf>)/g;

function itemCount(list: string, body: string): number {
  const tag = list.replace(/s$/, '').replace('cellXf', 'xf');
  return [...body.matchAll(new RegExp(`<${tag}\\b[^>]*?(?:/>|>[\\s\\S]*?</${tag}>)`, 'g'))].length;
}

/** An opening tag (without its closing "/>" or ">") with one attribute set. */
export function setAttribute(open: string, name: string, value: string): string {
  const re = new RegExp(`\\s${name}\\s*=\\s*("[^"]*"|'[^']*')`);
  return re.test(open) ? open.replace(re, ` ${name}="${value}"`) : `${open} ${name}="${value}"`;
}

/** Cells to restyle: A1 address → the new style index, from the cell's current one. */
export type Restyle = Map<string, (current: number) => number>;

interface Edit { at: number; end: number; text: string }

/**
 * A worksheet being patched, as the text before its cells (up to and with `<sheetData>`), the cells' bytes with the
 * edits made to them, and the text from `</sheetData>` on. The cells are never decoded whole: a sheet of 350,000 rows
 * is copied as slices of the bytes received, and only the rows edited are read as text.
 */
export class SheetPatch {
  head: string;
  tail: string;
  private readonly body: Buffer;
  private readonly edits: { at: number; end: number; text: string }[] = [];

  constructor(data: Buffer) {
    let at = data.indexOf('<sheetData');
    while (at >= 0 && isNameByte(data[at + 10])) at = data.indexOf('<sheetData', at + 10);
    const close = at < 0 ? -1 : data.indexOf('>', at);
    if (close < 0) throw new Error('restyle: no sheetData');
    if (data[close - 1] === 0x2f) {
      this.head = `${data.toString('utf8', 0, at)}<sheetData>`;
      this.body = Buffer.alloc(0);
      this.tail = `</sheetData>${data.toString('utf8', close + 1)}`;
      return;
    }
    const end = data.indexOf('</sheetData>', close);
    if (end < 0) throw new Error('restyle: no end of sheetData');
    this.head = data.toString('utf8', 0, close + 1);
    this.body = data.subarray(close + 1, end);
    this.tail = data.toString('utf8', end);
  }

  /** Sets the style of each listed cell, creating the cell (and its row) when the sheet has none there. */
  restyle(cells: Restyle): void {
    const byRow = new Map<number, Wanted>();
    for (const [address, style] of cells) {
      const p = parseA1(address);
      if (!p) throw new Error(`restyle: address ${address}`);
      if (!byRow.has(p.row)) byRow.set(p.row, new Map());
      byRow.get(p.row)!.set(p.col, { address, style });
    }
    const body = this.body;
    const pending = new Set(byRow.keys());
    for (let at = body.indexOf('<row'); at >= 0 && pending.size; at = body.indexOf('<row', at + 4)) {
      if (isNameByte(body[at + 4])) continue;
      const tagEnd = body.indexOf('>', at);
      if (tagEnd < 0) break;
      const m = /^<row\b([^>]*?)(\/?)>$/.exec(body.toString('utf8', at, tagEnd + 1));
      const r = Number(attributes(m?.[1]).get('r'));
      if (!m || !Number.isInteger(r) || r < 1) throw new Error('restyle: row without number');
      // Rows the file does not have, between the previous row and this one.
      for (const missing of [...pending].filter((x) => x < r).sort((a, b) => a - b)) {
        this.edits.push({ at, end: at, text: newRow(missing, byRow.get(missing)!) });
        pending.delete(missing);
      }
      const wanted = byRow.get(r);
      if (!wanted) continue;
      pending.delete(r);
      if (m[2]) {
        this.edits.push({ at, end: tagEnd + 1, text: `<row${m[1]}>${newCells(wanted, 1, MAX_COL)}</row>` });
        continue;
      }
      // The row alone is read as text, and written back whole.
      const contentEnd = body.indexOf('</row>', tagEnd);
      if (contentEnd < 0) throw new Error('restyle: row without end');
      const row = body.toString('utf8', tagEnd + 1, contentEnd);
      this.edits.push({ at: tagEnd + 1, end: contentEnd, text: applyEdits(row, rowEdits(row, 0, row.length, wanted)) });
      at = contentEnd;
    }
    for (const missing of [...pending].sort((a, b) => a - b)) this.edits.push({ at: body.length, end: body.length, text: newRow(missing, byRow.get(missing)!) });
  }

  /** The patched sheet, as pieces to write one after the other (slices of the bytes received, between the edits). */
  pieces(): Buffer[] {
    const out: Buffer[] = [Buffer.from(this.head, 'utf8')];
    let pos = 0;
    for (const e of [...this.edits].sort((a, b) => a.at - b.at)) {
      if (e.at > pos) out.push(this.body.subarray(pos, e.at));
      out.push(Buffer.from(e.text, 'utf8'));
      pos = e.end;
    }
    if (pos < this.body.length) out.push(this.body.subarray(pos));
    out.push(Buffer.from(this.tail, 'utf8'));
    return out;
  }
}

/** A byte that continues an element's name (`<row` is not `<rowBreaks`). */
const isNameByte = (b: number | undefined) => b !== undefined && /[\w.:-]/.test(String.fromCharCode(b));

/**
 * Sets the style of each listed cell of a worksheet, creating the cell (and its row) when the file has none there.
 * Rows and cells must carry their addresses (the targeted reader has read this sheet, so they do).
 */
export function restyleCells(xml: string, cells: Restyle): string {
  const sheet = new SheetPatch(Buffer.from(xml, 'utf8'));
  sheet.restyle(cells);
  return Buffer.concat(sheet.pieces()).toString('utf8');
}

type Wanted = Map<number, { address: string; style: (s: number) => number }>;

function rowEdits(xml: string, start: number, end: number, wanted: Wanted): Edit[] {
  const edits: Edit[] = [];
  const left = new Map(wanted);
  const cellTag = /<c\b([^>]*?)(\/?)>/g;
  cellTag.lastIndex = start;
  for (let m = cellTag.exec(xml); m && m.index < end; m = cellTag.exec(xml)) {
    const ref = /(?:^|\s)r\s*=\s*"\$?([A-Z]{1,3})\$?\d+"/.exec(m[1]);
    if (!ref) throw new Error('restyle: cell without address');
    const col = columnNumber(ref[1]);
    // Cells the row lacks, before this one (a row's cells are in column order).
    const before = [...left.keys()].filter((c) => c < col);
    if (before.length) edits.push({ at: m.index, end: m.index, text: newCells(left, 1, col - 1) });
    for (const c of before) left.delete(c);
    const target = left.get(col);
    if (target) {
      const current = Number(/(?:^|\s)s\s*=\s*"(\d+)"/.exec(m[1])?.[1] ?? 0);
      edits.push({ at: m.index, end: m.index + m[0].length, text: `${setAttribute(`<c${m[1]}`, 's', String(target.style(current)))}${m[2]}>` });
      left.delete(col);
    }
    if (!m[2]) cellTag.lastIndex = xml.indexOf('</c>', m.index) + 4;
    if (!left.size) break;
  }
  if (left.size) edits.push({ at: end, end, text: newCells(left, 1, MAX_COL) });
  return edits;
}

function newCells(wanted: Wanted, from: number, to: number): string {
  return [...wanted].filter(([c]) => c >= from && c <= to).sort((a, b) => a[0] - b[0])
    .map(([, w]) => `<c r="${w.address}" s="${w.style(0)}"/>`).join('');
}

function newRow(r: number, wanted: Wanted): string {
  return `<row r="${r}">${newCells(wanted, 1, MAX_COL)}</row>`;
}

function applyEdits(xml: string, edits: Edit[]): string {
  edits.sort((a, b) => a.at - b.at);
  const parts: string[] = [];
  let pos = 0;
  for (const e of edits) {
    parts.push(xml.slice(pos, e.at), e.text);
    pos = e.end;
  }
  parts.push(xml.slice(pos));
  return parts.join('');
}
