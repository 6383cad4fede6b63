/**
 * The text of a CSV a person hands hoctap (a returned CSV, an official list of units, a catalog or roster file): its
 * encoding, told by its byte-order mark (UTF-8 with or without one; UTF-16 with one, which Excel's "Unicode Text"
 * writes), decoded strictly and piece by piece, and where it first goes wrong. No byte is ever replaced by "�": a file
 * that is not valid text (or that holds a "�" already, the trace of an earlier bad conversion) is refused with its line.
 * (Control characters, NUL included, are the values' business: stripped with a warning, src/ingest/inert.ts.)
 * The one decoder of CSV bytes for ingest (src/ingest/read-csv.ts) and the catalog (src/catalog/csv-file.ts);
 * each words the fault for its reader (src/ingest/codes.ts, src/catalog/csv-file.ts).
 */

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';
export type Delimiter = ',' | ';' | '\t';

/** Where a file's text first goes wrong: `invalid`, bytes that are no character of its encoding; `replacement`, a "�" written in the file. */
export interface TextFault {
  kind: 'invalid' | 'replacement';
  encoding: TextEncoding;
  /** 1-based line of the file. */
  line: number;
  /** The readable text of that line just before the fault (at most 30 characters), to find it by. */
  before: string;
}

/** Thrown by `decodeChunks` (a reader catches it and refuses the file with its line). */
export class TextFaultError extends Error {
  readonly fault: TextFault;
  constructor(fault: TextFault) {
    super(`text fault (${fault.kind}) at line ${fault.line}`);
    this.name = 'TextFaultError';
    this.fault = fault;
  }
}

/** The encoding a byte-order mark says (none: UTF-8), and the mark's length. */
export function encodingOf(bytes: Uint8Array): { encoding: TextEncoding; bom: number } {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', bom: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', bom: 2 };
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', bom: 3 };
  return { encoding: 'utf-8', bom: 0 };
}

const SUSPECT = /\uFFFD/;
const CHUNK_BYTES = 64 * 1024;

/**
 * The file's text in pieces of about 64 kB, decoded strictly (the byte-order mark left out). Throws a TextFaultError
 * at the first piece holding a fault; the pieces before it have been yielded already.
 */
export function* decodeChunks(bytes: Uint8Array, chunkBytes = CHUNK_BYTES): Generator<string, void, undefined> {
  const { encoding, bom } = encodingOf(bytes);
  const decoder = new TextDecoder(encoding, { fatal: true, ignoreBOM: true });
  for (let at = bom; at < bytes.length || at === bom; at += chunkBytes) {
    const end = Math.min(bytes.length, at + chunkBytes);
    let text: string;
    try {
      text = decoder.decode(bytes.subarray(at, end), { stream: end < bytes.length });
    } catch {
      throw new TextFaultError(locate(bytes, encoding, bom, 'invalid'));
    }
    if (SUSPECT.test(text)) throw new TextFaultError(locate(bytes, encoding, bom, null));
    if (text) yield text;
    if (end >= bytes.length) return;
  }
}

/** The whole text of a small file, or its first fault. */
export function decodeText(bytes: Uint8Array): { ok: true; text: string } | { ok: false; fault: TextFault } {
  const parts: string[] = [];
  try {
    for (const part of decodeChunks(bytes)) parts.push(part);
  } catch (e) {
    if (e instanceof TextFaultError) return { ok: false, fault: e.fault };
    throw e;
  }
  return { ok: true, text: parts.join('') };
}

/**
 * Finds the first fault by decoding again leniently: the decoder then writes "�" exactly where the strict one stopped,
 * so the first "�" of the lenient text is the first fault. `kind` null: a "�" written in the file.
 */
function locate(bytes: Uint8Array, encoding: TextEncoding, bom: number, kind: TextFault['kind'] | null): TextFault {
  const decoder = new TextDecoder(encoding, { fatal: false, ignoreBOM: true });
  let line = 1;
  let current = '';
  for (let at = bom; at < bytes.length; at += CHUNK_BYTES) {
    const end = Math.min(bytes.length, at + CHUNK_BYTES);
    const text = decoder.decode(bytes.subarray(at, end), { stream: end < bytes.length });
    const bad = text.search(SUSPECT);
    const upto = bad < 0 ? text : text.slice(0, bad);
    const lines = upto.split('\n');
    line += lines.length - 1;
    current = lines.length > 1 ? lines.at(-1)! : current + lines[0];
    if (current.length > 200) current = current.slice(-200);
    if (bad >= 0) {
      return { kind: kind ?? 'replacement', encoding, line, before: shown(current) };
    }
  }
  // The strict decoder stopped on bytes cut short at the very end.
  return { kind: kind ?? 'invalid', encoding, line, before: shown(current) };
}

/** The end of a line as a message may quote it: its last 30 characters, control and bidi characters made spaces. */
const shown = (s: string) => s.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, ' ').slice(-30).trim();

/** The separator of a delimited text, from its header line: the most frequent of comma, semicolon and tab (comma on a tie). */
export function sniffDelimiter(headerLine: string): Delimiter {
  const count = (ch: string) => headerLine.split(ch).length - 1;
  const counts: [Delimiter, number][] = [[',', count(',')], [';', count(';')], ['\t', count('\t')]];
  return counts.reduce((best, c) => (c[1] > best[1] ? c : best))[0];
}

/** The first line of a text (without its line break). */
export function firstLine(text: string): string {
  const end = text.search(/\r?\n/);
  return end < 0 ? text : text.slice(0, end);
}

/** How to save a sheet as a CSV hoctap reads, in Excel's words (Excel in Vietnamese keeps the English type name). */
export const SAVE_AS_CSV_UTF8 = 'mở tệp bằng Excel, chọn Tệp › Lưu thành (File › Save As), ở "Kiểu tệp" chọn "CSV UTF-8 (Comma delimited) (*.csv)"';
