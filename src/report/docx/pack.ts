/**
 * A docx Document as the parts of its package, and as a .docx file zipped with node:zlib (Phụ lục III, long.ts).
 *
 * Why: `Packer.toBuffer` zips with fflate, which encodes every part to UTF-8 and deflates it in JavaScript, and Phụ lục
 * III's slices were each zipped only to be unzipped again for their document.xml (3,000 units: its DOCX took 6.6 s
 * of CPU, 4.0 s without). The library's own compiler (the step before the zip, the one `Packer` calls) gives the
 * parts; here they are zipped natively, in the same order, with the same names and contents. When the compiler is not
 * where this library version keeps it, `Packer` does the whole work as before. The main report's long tables are
 * stamped into its document.xml (stamp.ts) before it is zipped here.
 */
import { Packer, type Document } from 'docx';
import { unzipSync } from 'fflate';
import { writeZip } from '../../xlsx/zip-write.ts';

/** A part given in place of the one the library writes (docx's `overrides`). */
export interface PartOverride { path: string; data: string }

type Parts = Map<string, string | Uint8Array>;

/** The part holding the document's body. */
export const DOCUMENT_XML = 'word/document.xml';

/** The compiler `Packer` holds (not in the library's typings): the package's parts by path, in the order they are zipped. */
interface DocxCompiler { compile(file: Document, prettify: undefined, overrides: PartOverride[]): Parts }

function libraryCompiler(): DocxCompiler | null {
  const c = (Packer as unknown as { compiler?: Partial<DocxCompiler> }).compiler;
  return c && typeof c.compile === 'function' ? (c as DocxCompiler) : null;
}

/** The package's parts, as `Packer.toBuffer(doc, false, overrides)` would zip them. */
export async function documentParts(doc: Document, overrides: PartOverride[] = []): Promise<Parts> {
  const compiler = libraryCompiler();
  if (compiler) return compiler.compile(doc, undefined, overrides);
  return new Map(Object.entries(unzipSync(await Packer.toBuffer(doc, false, overrides))));
}

/** The part's text (a compiled part is a string; an unzipped one, bytes). */
export function partText(parts: Parts, path: string): string {
  const data = parts.get(path);
  if (data === undefined) throw new Error(`docx: no ${path} in the package`);
  return typeof data === 'string' ? data : Buffer.from(data).toString('utf8');
}

/** The .docx file: the parts deflated with node:zlib. */
export async function packDocx(doc: Document, overrides: PartOverride[] = []): Promise<Buffer> {
  return zipParts(await documentParts(doc, overrides));
}

/** Parts (documentParts, some perhaps replaced) zipped as `Packer` would, deflated with node:zlib. */
export function zipParts(parts: Parts): Buffer {
  return writeZip([...parts].map(([name, data]) => ({
    name, data: typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data.buffer, data.byteOffset, data.byteLength),
  })));
}
