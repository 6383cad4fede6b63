/**
 * The long repeated parts of the report's DOCX written by stamping: the body rows of its long tables (Phụ lục II, IV,
 * V: a row per unit or per proposal) and Phụ lục III's paragraphs (a line each of what thousands of units wrote). The
 * docx library builds an object per cell, paragraph and run and then walks them all to write the XML: 24 MB of
 * document.xml took 4–6 s and over 1 GiB (bench). Here it writes one sample element of each shape, with a marker in
 * place of each text, and every element of that shape is the sample's XML with its own texts in place of the markers,
 * escaped as the library escapes. The file is the one the library would have written element by element
 * (test/docx-stamp.test.ts compares the two).
 */
import { randomUUID } from 'node:crypto';
import type { Paragraph, TableRow } from 'docx';

/**
 * How repeated elements are made from their texts (`make` builds one from its texts; an element's shape is how many
 * texts it has): every one built by the library, or stamped.
 */
export interface RepeatWriter {
  rows(texts: string[][], make: (texts: string[]) => TableRow): TableRow[];
  paragraphs(texts: string[][], make: (texts: string[]) => Paragraph): Paragraph[];
}

/** Every element built by the library. */
export const BUILT: RepeatWriter = { rows: (texts, make) => texts.map(make), paragraphs: (texts, make) => texts.map(make) };

/** What the library does with a text or an attribute's value (its stringify.ts escapeAll): the same bytes. */
const ESCAPES: Record<string, string> = { '&': '&amp;', '"': '&quot;', "'": '&apos;', '<': '&lt;', '>': '&gt;' };
export function escapeXml(value: string): string {
  // The characters XML 1.0 cannot hold are dropped, as the library drops them.
  return value.replace(/[&"'<>\x00-\x08\x0B\x0C\x0E-\x1F]/g, (c) => ESCAPES[c] ?? '');
}

/** The element's tag in document.xml: a table row, a paragraph. */
type Tag = 'w:tr' | 'w:p';

interface Stamped { token: string; tag: Tag; texts: string[][] }

/** Stamped: each run of elements gets one sample per shape, side by side, which `fill` replaces with all of them in order. */
export class Stamper implements RepeatWriter {
  readonly #runs: Stamped[] = [];

  rows(texts: string[][], make: (texts: string[]) => TableRow): TableRow[] {
    return this.#samples(texts, make, 'w:tr');
  }

  paragraphs(texts: string[][], make: (texts: string[]) => Paragraph): Paragraph[] {
    return this.#samples(texts, make, 'w:p');
  }

  #samples<T>(texts: string[][], make: (texts: string[]) => T, tag: Tag): T[] {
    if (!texts.length) return [];
    const token = `hoctapstamp${randomUUID().replaceAll('-', '')}`;
    this.#runs.push({ token, tag, texts });
    const shapes = [...new Set(texts.map((t) => t.length))];
    return shapes.map((n) => make(Array.from({ length: n }, (_, k) => marker(token, n, k))));
  }

  /** document.xml with each run's samples replaced by all its elements. */
  fill(xml: string): string {
    const found = this.#runs.map((r) => ({ r, at: xml.indexOf(r.token) })).sort((a, b) => a.at - b.at);
    const out: string[] = [];
    let from = 0;
    for (const { r, at } of found) {
      if (at < 0) throw new Error('docx: a stamped element is not in the document');
      const start = elementStart(xml, at, r.tag);
      const end = xml.indexOf(`</${r.tag}>`, xml.lastIndexOf(r.token)) + `</${r.tag}>`.length;
      const { region, sectionEnd } = withoutSectionEnd(xml.slice(start, end));
      const samples = sampleElements(region, r.token, r.tag);
      out.push(xml.slice(from, start));
      const elements = r.texts.map((texts) => {
        const pieces = samples.get(texts.length)!;
        const parts = [pieces[0]];
        for (let k = 0; k < texts.length; k++) parts.push(escapeXml(texts[k]), pieces[k + 1]);
        return parts.join('');
      });
      if (sectionEnd) elements.push(endSection(elements.pop()!, sectionEnd));
      out.push(...elements);
      from = end;
    }
    out.push(xml.slice(from));
    return out.join('');
  }
}

function marker(token: string, shape: number, k: number): string {
  return `${token}s${shape}t${k}e`;
}

const SECTION_END = /<w:sectPr[ >][\s\S]*?<\/w:sectPr><\/w:pPr>/;

/**
 * The library ends a section inside the properties of its last paragraph: when that is the last sample, the section's
 * end is taken out of the samples, to be put back in the last paragraph written (endSection).
 */
function withoutSectionEnd(region: string): { region: string; sectionEnd: string | null } {
  const m = SECTION_END.exec(region);
  if (!m) return { region, sectionEnd: null };
  const sectionEnd = m[0].slice(0, -'</w:pPr>'.length);
  return { region: region.slice(0, m.index) + region.slice(m.index + sectionEnd.length), sectionEnd };
}

/** The paragraph with the section's end at the end of its properties, where the library writes it. */
function endSection(paragraph: string, sectionEnd: string): string {
  const at = paragraph.indexOf('</w:pPr>');
  if (at < 0) throw new Error('docx: the last stamped paragraph of a section has no properties to end it in');
  return paragraph.slice(0, at) + sectionEnd + paragraph.slice(at);
}

/** Where the element holding `at` begins (its tag may carry attributes; `<w:p` is also the start of `<w:pPr>`). */
function elementStart(xml: string, at: number, tag: Tag): number {
  const start = Math.max(xml.lastIndexOf(`<${tag}>`, at), xml.lastIndexOf(`<${tag} `, at));
  if (start < 0) throw new Error(`docx: a stamped element is not in a <${tag}>`);
  return start;
}

/** Each sample's XML cut at its markers, by shape: pieces[k] comes before text k, the last after the last text. */
function sampleElements(xml: string, token: string, tag: Tag): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const element of xml.split(new RegExp(`(?=<${tag}[ >])`))) {
    const shape = Number(new RegExp(`${token}s(\\d+)t`).exec(element)?.[1]);
    const pieces: string[] = [];
    let rest = element;
    for (let k = 0; k < shape; k++) {
      const m = marker(token, shape, k);
      const at = rest.indexOf(m);
      // Each text once in its element: a `make` that repeats or drops a text cannot be stamped.
      if (at < 0 || rest.indexOf(m, at + 1) >= 0) throw new Error(`docx: text ${k} of a stamped element is not once in its sample`);
      pieces.push(rest.slice(0, at));
      rest = rest.slice(at + m.length);
    }
    pieces.push(rest);
    if (rest.includes(token)) throw new Error('docx: a stamped element holds a marker of another shape');
    out.set(shape, pieces);
  }
  return out;
}
