/**
 * A docx Document as the parts of its package, and as a .docx file zipped with node:zlib (index.ts, stamp.ts).
 *
 * Why: `Packer.toBuffer` zips with fflate, which encodes every part to UTF-8 and deflates it in JavaScript; and the
 * repeated parts are stamped into document.xml (stamp.ts) between the library's compiler and the zip. The compiler (the
 * step before the zip, the one `Packer` calls) gives the parts; here they are zipped natively, in the same order, with
 * the same names and contents. When the compiler is not where this library version keeps it, `Packer` does the whole
 * work as before and the parts are unzipped again.
 */
import { Packer, type Document } from 'docx';
import { unzipSync } from 'fflate';
import { writeZip } from '../../xlsx/zip-write.ts';

type Parts = Map<string, string | Uint8Array>;

/** The part holding the document's body. */
export const DOCUMENT_XML = 'word/document.xml';

/** The compiler `Packer` holds (not in the library's typings): the package's parts by path, in the order they are zipped. */
interface DocxCompiler { compile(file: Document, prettify: undefined, overrides: []): Parts }

function libraryCompiler(): DocxCompiler | null {
  const c = (Packer as unknown as { compiler?: Partial<DocxCompiler> }).compiler;
  return c && typeof c.compile === 'function' ? (c as DocxCompiler) : null;
}

/** The package's parts, as `Packer.toBuffer(doc)` would zip them. */
export async function documentParts(doc: Document): Promise<Parts> {
  const compiler = libraryCompiler();
  if (compiler) return compiler.compile(doc, undefined, []);
  return new Map(Object.entries(unzipSync(await Packer.toBuffer(doc))));
}

/** The part's text (a compiled part is a string; an unzipped one, bytes). */
export function partText(parts: Parts, path: string): string {
  const data = parts.get(path);
  if (data === undefined) throw new Error(`docx: no ${path} in the package`);
  return typeof data === 'string' ? data : Buffer.from(data).toString('utf8');
}

/** Parts (documentParts, some perhaps replaced) zipped as `Packer` would, deflated with node:zlib. */
export function zipParts(parts: Parts): Buffer {
  return writeZip([...parts].map(([name, data]) => ({
    name, data: typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data.buffer, data.byteOffset, data.byteLength),
  })));
}
