/**
 * The workbook-wide parts the targeted reader needs: shared strings (decoded on first use) and the number format of
 * every style, with exceljs's rules for built-in formats and dates.
 */
import { checkPlain, decodeXml, unescapeOoxml, attributes, Unsupported } from './xml.ts';

export type RichText = { richText: { text: string }[] };

type SharedString = string | RichText | Record<string, never>;

/**
 * The shared strings, decoded when a needed cell first refers to one (most are the instructions' long texts, which
 * ingest never reads). The part is scanned for where each <si> lies, without copying any: a string's stored length is
 * known (and judged against the limits) before it is decoded.
 */
export class SharedStrings {
  private readonly xml: string;
  /** Start and end of each string's body in `xml` (equal for an empty <si/>). */
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly decoded: (SharedString | undefined)[] = [];

  constructor(xml: string | undefined) {
    this.xml = xml ?? '';
    if (xml === undefined) return;
    checkPlain(xml, 'sharedStrings');
    for (let at = xml.indexOf('<si'); at >= 0; at = xml.indexOf('<si', at + 3)) {
      const next = xml.charCodeAt(at + 3);
      // <si>, <si/>, <si attr…>: not <sid…>.
      if (next !== 0x3e && next !== 0x2f && next !== 0x20 && next !== 0x09 && next !== 0x0a && next !== 0x0d) continue;
      const close = xml.indexOf('>', at);
      if (close < 0) break;
      if (xml.charCodeAt(close - 1) === 0x2f) {
        this.starts.push(close);
        this.ends.push(close);
        continue;
      }
      const end = xml.indexOf('</si>', close);
      if (end < 0) break;
      this.starts.push(close + 1);
      this.ends.push(end);
      at = end;
    }
  }

  /** How long the i-th string is as stored (its XML), before it is decoded. */
  storedLength(i: number): number {
    return i >= 0 && i < this.starts.length ? this.ends[i] - this.starts[i] : 0;
  }

  get(i: number): SharedString | undefined {
    if (!(i >= 0 && i < this.starts.length)) return undefined;
    let v = this.decoded[i];
    if (v === undefined) this.decoded[i] = v = decodeSharedString(this.xml.slice(this.starts[i], this.ends[i]));
    return v;
  }
}

/** The text of each rich-text run (<r>…<t>text</t>…</r>). */
export function richRuns(xml: string): RichText {
  const runs = [...xml.matchAll(/<r(?:\s[^>]*)?>([\s\S]*?)<\/r>/g)];
  return { richText: runs.map((r) => ({ text: unescapeOoxml(decodeXml(/<t(?:\s[^>]*)?(?:\/>|>([\s\S]*?)<\/t>)/.exec(r[1])?.[1] ?? '')) })) };
}

/**
 * The usual <si>: one <t> (plain, or keeping its spaces) holding text and no other element, read as the general case
 * below reads it without its regular expressions; null for anything else.
 */
function plainSharedString(si: string): string | null {
  const open = si.startsWith('<t>') ? 3 : si.startsWith('<t xml:space="preserve">') ? 24 : 0;
  if (!open || !si.endsWith('</t>') || si.indexOf('<', open) !== si.length - 4) return null;
  return unescapeOoxml(decodeXml(si.slice(open, -4)));
}

/** One <si>, as exceljs's SharedStringXform reads it: plain text, rich-text runs, or an empty object for neither. */
function decodeSharedString(si: string): SharedString {
  const plain = plainSharedString(si);
  if (plain !== null) return plain;
  const body = si.includes('<rPh') || si.includes('<phoneticPr') ? si.replace(/<rPh\b[\s\S]*?<\/rPh>/g, '').replace(/<phoneticPr\b[^>]*\/>/g, '') : si;
  if (body.includes('<r>') || body.includes('<r ')) {
    if (/<t[\s>/]/.test(body.replace(/<r(?:\s[^>]*)?>[\s\S]*?<\/r>/g, ''))) throw new Unsupported('shared string with both text and runs', 'xl/sharedStrings.xml');
    return richRuns(body);
  }
  const t = /<t(?:\s[^>]*)?(?:\/>|>([\s\S]*?)<\/t>)/.exec(body);
  return t ? unescapeOoxml(decodeXml(t[1] ?? '')) : {};
}

/** exceljs's table of built-in number formats (only those with one code for every locale). */
const BUILTIN_FORMATS: Record<number, string> = {
  0: 'General', 1: '0', 2: '0.00', 3: '#,##0', 4: '#,##0.00', 9: '0%', 10: '0.00%', 11: '0.00E+00', 12: '# ?/?',
  13: '# ??/??', 14: 'mm-dd-yy', 15: 'd-mmm-yy', 16: 'd-mmm', 17: 'mmm-yy', 18: 'h:mm AM/PM', 19: 'h:mm:ss AM/PM',
  20: 'h:mm', 21: 'h:mm:ss', 22: 'm/d/yy "h":mm', 37: '#,##0 ;(#,##0)', 38: '#,##0 ;[Red](#,##0)',
  39: '#,##0.00 ;(#,##0.00)', 40: '#,##0.00 ;[Red](#,##0.00)', 45: 'mm:ss', 46: '[h]:mm:ss', 47: 'mmss.0',
  48: '##0.0E+0', 49: '@',
};

/**
 * What was read from a part, kept for the next files by the part's text: the files of one generator carry
 * byte-identical styles, workbook and relationship parts, read again for every file of a batch otherwise. A few small
 * texts only (the oldest goes first; a large part is read and not kept, so that no file's bytes outlive it by much);
 * only a reading that succeeded is kept, so a part that fails fails every time.
 */
export class PartMemo<T> {
  private readonly kept = new Map<string, T>();
  private readonly size: number;
  private readonly maxChars: number;

  constructor(size = 8, maxChars = 64 * 1024) {
    this.size = size;
    this.maxChars = maxChars;
  }

  get(text: string, read: (text: string) => T): T {
    if (text.length > this.maxChars) return read(text);
    let v = this.kept.get(text);
    if (v === undefined) {
      v = read(text);
      if (this.kept.size >= this.size) this.kept.delete(this.kept.keys().next().value!);
      this.kept.set(text, v);
    }
    return v;
  }
}

const formatsMemo = new PartMemo<readonly (string | undefined)[]>();

/** The number format of each style index (cellXfs order), as exceljs resolves it. */
export function styleFormats(xml: string | undefined): readonly (string | undefined)[] {
  if (xml === undefined) return [];
  return formatsMemo.get(xml, readStyleFormats);
}

function readStyleFormats(xml: string): readonly (string | undefined)[] {
  checkPlain(xml, 'styles');
  const custom = new Map<number, string>();
  const numFmts = /<numFmts\b[^>]*>([\s\S]*?)<\/numFmts>/.exec(xml)?.[1] ?? '';
  for (const m of numFmts.matchAll(/<numFmt([\s/][^>]*?)?\/?>/g)) {
    const a = attributes(m[1]);
    custom.set(Number(a.get('numFmtId')), a.get('formatCode') ?? '');
  }
  const xfs = /<cellXfs\b[^>]*>([\s\S]*?)<\/cellXfs>/.exec(xml)?.[1] ?? '';
  return [...xfs.matchAll(/<xf([\s/][^>]*?)?(?:\/>|>)/g)].map((m) => {
    const id = Number(attributes(m[1]).get('numFmtId') ?? 0);
    if (!id) return undefined;
    return custom.get(id) ?? BUILTIN_FORMATS[id];
  });
}

/** exceljs's utils.isDateFmt. */
export function isDateFormat(fmt: string | undefined): boolean {
  if (!fmt) return false;
  return /[ymdhMsb]+/.test(fmt.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));
}

/** exceljs's utils.excelToDate (1900 system). */
export const excelToDate = (v: unknown) => new Date(Math.round(((v as number) - 25569) * 24 * 3600 * 1000));
