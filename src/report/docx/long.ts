/**
 * A long DOCX (Phụ lục III of thousands of units) written piece by piece. The docx library builds the whole document's
 * object tree before it writes a byte: some 280 MiB for 21,000 paragraphs, held until the end, and Node does not give
 * that memory back. Here the library still writes every paragraph, a slice of the body at a time, and the slices'
 * XML is set into the document's frame (styles, page, headers) in place of one marker paragraph. The file is the one
 * the library would have written whole, with a few tens of MiB live at a time (test/docx-long.test.ts).
 */
import { randomUUID } from 'node:crypto';
import { Document, Paragraph, TextRun, type FileChild } from 'docx';
import { DOCUMENT_STYLES } from './base.ts';
import { DOCUMENT_XML, documentParts, packDocx, partText } from './pack.ts';

/** word/document.xml of a document as the library writes it (compiled, not zipped and unzipped: pack.ts). */
async function documentXml(doc: Document): Promise<string> {
  return partText(await documentParts(doc), DOCUMENT_XML);
}

/** The body's XML of a document packed by the library: what lies between <w:body> and its section properties. */
async function bodyXml(doc: Document): Promise<string> {
  const xml = await documentXml(doc);
  const start = xml.indexOf('<w:body>') + '<w:body>'.length;
  const end = xml.lastIndexOf('<w:sectPr');
  if (start < '<w:body>'.length || end < start) throw new Error('docx: unexpected document.xml');
  return xml.slice(start, end);
}

/**
 * `frame(marker)` is the document with the marker paragraph where the body goes; `slices` the body's elements, in
 * order, a few hundred at a time, each slice made only when it is written.
 */
export async function packLongDocument(frame: (marker: Paragraph) => Document, slices: Iterable<FileChild[]>): Promise<Buffer> {
  const token = `hoctap-body-${randomUUID()}`;
  const marker = () => new Paragraph({ children: [new TextRun(token)] });
  const frameXml = await documentXml(frame(marker()));
  const at = frameXml.indexOf(token);
  const from = Math.max(frameXml.lastIndexOf('<w:p>', at), frameXml.lastIndexOf('<w:p ', at));
  const to = frameXml.indexOf('</w:p>', at) + '</w:p>'.length;
  if (at < 0 || from < 0 || to < at) throw new Error('docx: marker paragraph not found');
  const written: string[] = [];
  for (const children of slices) {
    written.push(await bodyXml(new Document({ styles: DOCUMENT_STYLES, sections: [{ children }] })));
  }
  const xml = frameXml.slice(0, from) + written.join('') + frameXml.slice(to);
  return packDocx(frame(marker()), [{ path: DOCUMENT_XML, data: xml }]);
}
