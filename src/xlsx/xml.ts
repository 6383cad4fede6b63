/**
 * XML text as the targeted reader scans it: entity decoding, the OOXML `_xHHHH_` escapes, attributes, and the refusals
 * that send a part the scanner does not handle elsewhere (Unsupported).
 */
import { isUtf8 } from 'node:buffer';
import { fileFault } from './fault.ts';

/**
 * The targeted reader does not handle this file (or part): another reader decides. Never leaves src/xlsx (the read
 * stage turns it into the full reader's answer or a FileFault); `part` and `sheet` say where the scan stopped.
 */
export class Unsupported extends Error {
  part: string | null;
  sheet: string | null = null;

  constructor(detail: string, part: string | null = null) {
    super(detail);
    this.part = part;
  }
}

const ENTITY = /&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z]+);/g;

/** Entity decoding as an XML parser does it (line ends normalised first); an unknown entity is not ours to guess. */
export function decodeXml(raw: string): string {
  const s = raw.includes('\r') ? raw.replace(/\r\n?/g, '\n') : raw;
  if (!s.includes('&')) return s;
  if (/&(?!(?:#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);)/.test(s)) throw new Unsupported('entity');
  return s.replace(ENTITY, (_m, e: string) => {
    switch (e) {
      case 'amp': return '&';
      case 'lt': return '<';
      case 'gt': return '>';
      case 'quot': return '"';
      case 'apos': return "'";
      default: {
        const code = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        if (!Number.isFinite(code) || code > 0x10ffff) throw new Unsupported('character reference');
        return String.fromCodePoint(code);
      }
    }
  });
}

/** exceljs's TextXform: `_x000D_`-style escapes (upper-case hex) in shared strings and rich-text runs. */
export const unescapeOoxml = (s: string) => (s.includes('_x') ? s.replace(/_x([0-9A-F]{4})_/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))) : s);

/** exceljs's utils.xmlDecode, which it applies a second time to formula string results and `t="str"` cells. */
export function exceljsXmlDecode(text: string): string {
  return text.replace(/&([a-z]*);/g, (c) => {
    switch (c) {
      case '&lt;': return '<';
      case '&gt;': return '>';
      case '&amp;': return '&';
      case '&apos;': return "'";
      case '&quot;': return '"';
      default: return c;
    }
  });
}

/** Text for an XML text node or attribute value. */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'));
}

/** Any text as XML character data: escaped, and characters XML 1.0 cannot hold replaced by U+FFFD. */
export function xmlText(s: string): string {
  return escapeXml(s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'));
}

export function attributes(s: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!s) return out;
  for (const m of s.matchAll(/([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) out.set(m[1], decodeXml(m[2] ?? m[3] ?? ''));
  return out;
}

/**
 * Refuses what the scanner does not handle: a part whose root element has a namespace prefix (<x:worksheet>, where
 * every main element is prefixed: exceljs reads nothing from those, and its message is the one to give), CDATA
 * sections, comments and DOCTYPE. The element patterns of the reader never match a prefixed name (`<c[\s/>]` is not
 * `<x:c>` nor `<c:chart>`), and exceljs ignores prefixed elements of the main namespace too, so both read the same cells.
 */
export function checkPlain(xml: string, part: string): void {
  const root = /<(?![?!])([^\s/>]+)/.exec(xml)?.[1] ?? '';
  if (root.includes(':')) throw new Unsupported(`${part}: namespace prefixes`);
}

/**
 * A part's text, after a byte-level look for "<!" (CDATA, comment, DOCTYPE: not for this scanner). Bytes that are not
 * UTF-8 are a damaged part (an XML part is UTF-8: decoding would put "\uFFFD" in place of what the unit wrote).
 */
export function partText(bytes: Buffer | undefined, part: string, sheet: string | null = null): string | undefined {
  if (bytes === undefined) return undefined;
  if (!isUtf8(bytes)) {
    // UTF-16 with its byte-order mark is XML too (no spreadsheet program writes it): the full reader decides.
    if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) throw new Unsupported('UTF-16', part);
    throw fileFault('damaged_part', { sheet, damage: 'utf8' }, part);
  }
  if (bytes.includes('<!')) throw new Unsupported('CDATA, comment or DOCTYPE', part);
  return bytes.toString('utf8');
}
