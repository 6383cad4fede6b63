/**
 * A long DOCX (Phụ lục III of thousands of units) written piece by piece. The docx library builds the whole document's
 * object tree before it writes a byte: some 280 MiB for 21,000 paragraphs, held until the end, and Node does not give
 * that memory back. Here the library still writes every paragraph, a slice of the body at a time, and the slices'
 * XML is set into the document's frame (styles, page, headers) in place of one marker paragraph. The file is the one
 * the library would have written whole, with a few MiB live at a time, so it can be written while the browser prints.
 */
import { randomUUID } from 'node:crypto';
import { setImmediate as turn } from 'node:timers/promises';
import { Document, Packer, Paragraph, TextRun, type FileChild } from 'docx';
import { unzipSync, strFromU8 } from 'fflate';
import { DOCUMENT_STYLES } from './base.ts';

const DOCUMENT_XML = 'word/document.xml';

/** The body's XML of a document packed by the library: what lies between <w:body> and its section properties. */
async function bodyXml(doc: Document): Promise<string> {
  const zip = unzipSync(await Packer.toBuffer(doc), { filter: (f) => f.name === DOCUMENT_XML });
  const xml = strFromU8(zip[DOCUMENT_XML]);
  const start = xml.indexOf('<w:body>') + '<w:body>'.length;
  const end = xml.lastIndexOf('<w:sectPr');
  if (start < '<w:body>'.length || end < start) throw new Error('docx: unexpected document.xml');
  return xml.slice(start, end);
}

/**
 * `frame(marker)` is the document with the marker paragraph where the body goes; `slices` the body's elements, in
 * order, a few hundred at a time, each slice made only when it is written. Yields to the event loop between slices
 * (the browser's printing goes on meanwhile).
 */
export async function packLongDocument(frame: (marker: Paragraph) => Document, slices: Iterable<FileChild[]>): Promise<Buffer> {
  const token = `hoctap-body-${randomUUID()}`;
  const marker = () => new Paragraph({ children: [new TextRun(token)] });
  const frameZip = unzipSync(await Packer.toBuffer(frame(marker())), { filter: (f) => f.name === DOCUMENT_XML });
  const frameXml = strFromU8(frameZip[DOCUMENT_XML]);
  const at = frameXml.indexOf(token);
  const from = Math.max(frameXml.lastIndexOf('<w:p>', at), frameXml.lastIndexOf('<w:p ', at));
  const to = frameXml.indexOf('</w:p>', at) + '</w:p>'.length;
  if (at < 0 || from < 0 || to < at) throw new Error('docx: marker paragraph not found');
  const written: string[] = [];
  for (const children of slices) {
    written.push(await bodyXml(new Document({ styles: DOCUMENT_STYLES, sections: [{ children }] })));
    await turn();
  }
  const xml = frameXml.slice(0, from) + written.join('') + frameXml.slice(to);
  return Packer.toBuffer(frame(marker()), false, [{ path: DOCUMENT_XML, data: xml }]);
}
