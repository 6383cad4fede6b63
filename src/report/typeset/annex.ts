/**
 * Phụ lục III's PDF when it is a document of its own (thousands of units), typeset here instead of printed by the
 * browser: the same text as templates/partials/appendix-texts.hbs and unit-texts.hbs, set as templates/report.css sets
 * it (Tinos for Times New Roman, 13 pt, line height 1.2, 3 pt between paragraphs, justified; headings 14 pt bold).
 * A workspace with its own templates or stylesheet gets the browser's printing instead (generate.ts).
 */
import fs from 'node:fs';
import PDFDocument from 'pdfkit';
import type { AppendixTextsModel, NarrativeEntry } from '../model/types.ts';
import { entryParagraphs } from '../model/appendix-texts.ts';
import { FontSet } from './fonts.ts';
import { A4_FRAME, typeset, type Block, type Run } from './layout.ts';

const HEAD = { leading: 1.3, before: 0, after: 0 } as const;
const TEXT = { size: 13, leading: 1.2, align: 'justify', before: 0, after: 3 } as const;

/** The appendix's blocks in reading order: its heading, the introduction, each shown section and its units' texts. */
export function* annexBlocks(a: AppendixTextsModel): Generator<Block> {
  yield { ...HEAD, runs: [{ text: a.label, style: 'bold' }], size: 14, align: 'center' };
  yield { ...HEAD, runs: [{ text: a.title, style: 'bold' }], size: 14, align: 'center' };
  yield { ...HEAD, runs: [{ text: a.attached, style: 'italic' }], size: 13, align: 'center', after: 10 };
  yield { runs: [{ text: a.intro, style: 'regular' }], size: 14, leading: 1.3, align: 'justify', before: 0, after: 6 };
  for (const s of a.sections) {
    if (!s.shown) continue;
    yield { runs: [{ text: s.title, style: 'bold' }], size: 14, leading: 1.3, align: 'justify', before: 8, after: 6, keepWithNext: true };
    for (const e of s.entries) for (const runs of entryRuns(e)) yield { ...TEXT, runs };
  }
}

/** One unit's paragraphs (entryParagraphs), its name in bold. */
function entryRuns(e: NarrativeEntry): Run[][] {
  return entryParagraphs(e).map((p) => [
    ...(p.name ? [{ text: p.name, style: 'bold' as const }, { text: ': ', style: 'regular' as const }] : []),
    { text: p.lines.join('\n'), style: 'regular' },
  ]);
}

export interface TypesetResult { pages: number; missing: number[] }

/** Writes Phụ lục III's PDF to `file`; returns its page count and the characters Tinos could not set. */
export async function writeAnnexPdf(a: AppendixTextsModel, file: string, now = new Date()): Promise<TypesetResult> {
  const { width, height } = A4_FRAME;
  // No default font (pdfkit would load Helvetica); each page flushed, its content compressed, once the next begins.
  const doc = new PDFDocument({
    autoFirstPage: false, font: '', lang: 'vi', pdfVersion: '1.7', compress: true,
    info: { Title: `${a.label} ${a.title}`, Producer: 'hoctap', Creator: 'hoctap', CreationDate: now, ModDate: now },
  });
  const chunks: Uint8Array[] = [];
  doc.on('data', (c: Uint8Array) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => { doc.on('end', resolve); doc.on('error', reject); });
  const fonts = new FontSet(doc);
  const pages = await typeset(annexBlocks(a), fonts, (content, used) => {
    doc.addPage({ size: [width, height], margin: 0 });
    fonts.useOnPage(used);
    // pdfkit starts each page with its top-down coordinates; the lines are placed in PDF's own (from the bottom).
    doc.addContent(`1 0 0 -1 0 ${height} cm\n${content}`);
  });
  doc.end();
  await ended;
  fs.writeFileSync(file, Buffer.concat(chunks));
  return { pages, missing: [...fonts.missing] };
}
