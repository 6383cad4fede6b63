/**
 * The body rows of the report's long tables (Phụ lục II, IV, V: a row per unit or per proposal, thousands at 3,000
 * units), written by stamping. The docx library builds an object per cell, paragraph and run and then walks them all to
 * write the XML: 24 MB of document.xml took 4–6 s and over 1 GiB (bench). Here it writes one sample row of each shape,
 * with a marker in place of each text, and every row of that shape is the sample's XML with its own texts in place of
 * the markers, escaped as the library escapes. The file is the one the library would have written row by row
 * (test/docx-stamp.test.ts compares the two).
 */
import { randomUUID } from 'node:crypto';
import type { TableRow } from 'docx';

/** How a table's body rows are made from their texts: `make` builds a row from a row's texts. */
export interface RowWriter {
  rows(texts: string[][], make: (texts: string[]) => TableRow): TableRow[];
}

/** Every row built by the library. */
export const BUILT_ROWS: RowWriter = { rows: (texts, make) => texts.map(make) };

/** What the library does with a text or an attribute's value (its stringify.ts escapeAll): the same bytes. */
const ESCAPES: Record<string, string> = { '&': '&amp;', '"': '&quot;', "'": '&apos;', '<': '&lt;', '>': '&gt;' };
export function escapeXml(value: string): string {
  // The characters XML 1.0 cannot hold are dropped, as the library drops them.
  return value.replace(/[&"'<>\x00-\x08\x0B\x0C\x0E-\x1F]/g, (c) => ESCAPES[c] ?? '');
}

interface StampedTable { token: string; texts: string[][] }

/**
 * Rows stamped. A row's shape is how many texts it has (`make` decides the row's cells from them): a table gets one
 * sample row per shape, side by side, which `fill` replaces with all its rows in order.
 */
export class RowStamper implements RowWriter {
  readonly #tables: StampedTable[] = [];

  rows(texts: string[][], make: (texts: string[]) => TableRow): TableRow[] {
    if (!texts.length) return [];
    const token = `hoctapstamp${randomUUID().replaceAll('-', '')}`;
    this.#tables.push({ token, texts });
    const shapes = [...new Set(texts.map((t) => t.length))];
    return shapes.map((n) => make(Array.from({ length: n }, (_, k) => marker(token, n, k))));
  }

  /** document.xml with each table's sample rows replaced by all its rows. */
  fill(xml: string): string {
    const found = this.#tables.map((t) => ({ t, at: xml.indexOf(t.token) })).sort((a, b) => a.at - b.at);
    const out: string[] = [];
    let from = 0;
    for (const { t, at } of found) {
      if (at < 0) throw new Error('docx: a stamped table is not in the document');
      const start = rowStart(xml, at);
      const end = xml.indexOf('</w:tr>', xml.lastIndexOf(t.token)) + '</w:tr>'.length;
      const samples = sampleRows(xml.slice(start, end), t.token);
      out.push(xml.slice(from, start));
      for (const texts of t.texts) {
        const pieces = samples.get(texts.length)!;
        out.push(pieces[0]);
        for (let k = 0; k < texts.length; k++) out.push(escapeXml(texts[k]), pieces[k + 1]);
      }
      from = end;
    }
    out.push(xml.slice(from));
    return out.join('');
  }
}

function marker(token: string, shape: number, k: number): string {
  return `${token}s${shape}t${k}e`;
}

/** Where the row holding `at` begins (a row's tag may carry attributes). */
function rowStart(xml: string, at: number): number {
  const start = Math.max(xml.lastIndexOf('<w:tr>', at), xml.lastIndexOf('<w:tr ', at));
  if (start < 0) throw new Error('docx: a stamped row is not in a table');
  return start;
}

/** Each sample row's XML cut at its markers, by shape: pieces[k] comes before text k, the last after the last text. */
function sampleRows(xml: string, token: string): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const row of xml.split(/(?=<w:tr[ >])/)) {
    const shape = Number(new RegExp(`${token}s(\\d+)t`).exec(row)?.[1]);
    const pieces: string[] = [];
    let rest = row;
    for (let k = 0; k < shape; k++) {
      const m = marker(token, shape, k);
      const at = rest.indexOf(m);
      // Each text once in its cell: a row whose `make` repeats or drops a text cannot be stamped.
      if (at < 0 || rest.indexOf(m, at + 1) >= 0) throw new Error(`docx: text ${k} of a stamped row is not once in its sample`);
      pieces.push(rest.slice(0, at));
      rest = rest.slice(at + m.length);
    }
    pieces.push(rest);
    if (rest.includes(token)) throw new Error('docx: a stamped row holds a marker of another shape');
    out.set(shape, pieces);
  }
  return out;
}
