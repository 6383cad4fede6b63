/**
 * Mutations of a saved e-mail's MIME structure: boundaries lost or changed, headers removed or garbled, transfer
 * encodings changed, base64 bodies damaged, odd charsets and file names, the message wrapped in many forwards or
 * nested multiparts, cut short or bit-flipped. The message is handled as Latin-1 text so that every byte survives.
 */
import fc from 'fast-check';
import { BAD_UTF8, byteMutation, mutateBytes, type ByteMutation } from './mutate-xlsx.ts';

export type EmlMutation =
  | { kind: 'bytes'; m: ByteMutation }
  | { kind: 'boundary'; op: 'removeLines' | 'changeParam' | 'dropClosing' | 'duplicate' | 'noParam' }
  | { kind: 'header'; name: 'Date' | 'From' | 'Content-Type' | 'MIME-Version'; op: 'remove' | 'garble' | 'long' | 'badUtf8' }
  | { kind: 'cte'; nth: number; to: string }
  | { kind: 'base64'; nth: number; op: 'badChars' | 'dropLine' | 'cutLine' | 'padding'; at: number }
  | { kind: 'contentType'; nth: number; to: string }
  | { kind: 'filename'; nth: number; to: string }
  | { kind: 'forward'; depth: number }
  | { kind: 'multipart'; depth: number }
  | { kind: 'duplicatePart'; nth: number };

const at = fc.double({ min: 0, max: 1, noNaN: true });

const ODD_FILENAMES = ['filename*=utf-8\'\'%FF%FE.xlsx', 'filename="../../bao-cao.xlsx"', `filename="${'dài'.repeat(120)}.xlsx"`, 'filename="a\u0000b.xlsx"',
  'filename="=?utf-8?B?///=?=.xlsx"', 'filename=""', 'filename="bao-cao.XLSX"', 'filename="bao-cao.csv"', 'filename*0="a"; filename*2="b.xlsx"'];
const ODD_TYPES = ['text/plain', 'message/rfc822', 'multipart/mixed', 'application/octet-stream', 'text/csv; charset=x-unknown', 'text/csv; charset=utf-16', 'multipart/mixed; boundary=""'];

export const emlMutation: fc.Arbitrary<EmlMutation> = fc.oneof(
  fc.record({ kind: fc.constant('bytes' as const), m: byteMutation }),
  fc.record({ kind: fc.constant('boundary' as const), op: fc.constantFrom('removeLines' as const, 'changeParam' as const, 'dropClosing' as const, 'duplicate' as const, 'noParam' as const) }),
  fc.record({ kind: fc.constant('header' as const), name: fc.constantFrom('Date' as const, 'From' as const, 'Content-Type' as const, 'MIME-Version' as const), op: fc.constantFrom('remove' as const, 'garble' as const, 'long' as const, 'badUtf8' as const) }),
  fc.record({ kind: fc.constant('cte' as const), nth: fc.nat(), to: fc.constantFrom('quoted-printable', '7bit', '8bit', 'binary', 'x-uuencode', 'base-64', '') }),
  fc.record({ kind: fc.constant('base64' as const), nth: fc.nat(), op: fc.constantFrom('badChars' as const, 'dropLine' as const, 'cutLine' as const, 'padding' as const), at }),
  fc.record({ kind: fc.constant('contentType' as const), nth: fc.nat(), to: fc.constantFrom(...ODD_TYPES) }),
  fc.record({ kind: fc.constant('filename' as const), nth: fc.nat(), to: fc.constantFrom(...ODD_FILENAMES) }),
  fc.record({ kind: fc.constant('forward' as const), depth: fc.oneof(fc.integer({ min: 1, max: 8 }), fc.constantFrom(50, 300)) }),
  fc.record({ kind: fc.constant('multipart' as const), depth: fc.oneof(fc.integer({ min: 1, max: 20 }), fc.constantFrom(500, 3_000)) }),
  fc.record({ kind: fc.constant('duplicatePart' as const), nth: fc.nat() }),
);

const latin1 = (b: Buffer) => b.toString('latin1');
const bytesOf = (s: string) => Buffer.from(s, 'latin1');

/** The top-level boundary, from the first multipart Content-Type header. */
const boundaryOf = (s: string) => /boundary="?([^"\r\n;]+)"?/i.exec(s)?.[1] ?? null;

/** The attachment parts (a part with a file name), as [start, end) offsets of their header block and body. */
function parts(s: string): { start: number; headEnd: number; end: number }[] {
  const b = boundaryOf(s);
  if (!b) return [];
  const out: { start: number; headEnd: number; end: number }[] = [];
  const marks = [...s.matchAll(new RegExp(`(^|\\n)--${b.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'g'))].map((m) => ({ from: m.index, to: m.index + m[0].length }));
  for (let i = 0; i + 1 < marks.length; i++) {
    const start = s.indexOf('\n', marks[i].to) + 1;
    const headEnd = s.indexOf('\n\n', start);
    if (start > 0 && headEnd > 0 && headEnd < marks[i + 1].from) out.push({ start, headEnd, end: marks[i + 1].from });
  }
  return out.filter((p) => /filename/i.test(s.slice(p.start, p.headEnd))).length ? out.filter((p) => /filename/i.test(s.slice(p.start, p.headEnd))) : out;
}

function header(s: string, name: string, f: (value: string | null) => string | null): string {
  const re = new RegExp(`^${name}:[^\\n]*(\\n[ \\t][^\\n]*)*\\n`, 'im');
  const m = re.exec(s);
  const value = m ? m[0].slice(name.length + 1).trim() : null;
  const next = f(value);
  if (m) return s.slice(0, m.index) + (next === null ? '' : `${name}: ${next}\n`) + s.slice(m.index + m[0].length);
  return next === null ? s : `${name}: ${next}\n${s}`;
}

function withPart(s: string, nth: number, f: (head: string, body: string) => [string, string]): string {
  const ps = parts(s);
  if (!ps.length) return s;
  const p = ps[nth % ps.length];
  const [h, b] = f(s.slice(p.start, p.headEnd), s.slice(p.headEnd, p.end));
  return s.slice(0, p.start) + h + b + s.slice(p.end);
}

export function mutateEml(base: Buffer, m: EmlMutation): Buffer {
  if (m.kind === 'bytes') return mutateBytes(base, m.m);
  const s = latin1(base).replace(/\r\n/g, '\n');
  const b = boundaryOf(s);
  switch (m.kind) {
    case 'boundary': {
      if (!b) return base;
      if (m.op === 'removeLines') return bytesOf(s.split(`\n--${b}`).join('\n'));
      if (m.op === 'changeParam') return bytesOf(s.replace(`boundary="${b}"`, `boundary="${b}x"`));
      if (m.op === 'dropClosing') return bytesOf(s.replace(`--${b}--`, ''));
      if (m.op === 'duplicate') return bytesOf(s.replace(`\n--${b}\n`, `\n--${b}\n\n--${b}\n`));
      return bytesOf(s.replace(/;\s*boundary="[^"]*"/, ''));
    }
    case 'header': {
      const f = (v: string | null): string | null => m.op === 'remove' ? null
        : m.op === 'garble' ? '=?x-unknown?Q?=ZZ?= <<@>> 32 Tháng Mười Ba'
        : m.op === 'long' ? `${v ?? ''} ${'x'.repeat(200_000)}`
        : `${v ?? ''} ${Buffer.from(BAD_UTF8.flat()).toString('latin1')}`;
      return bytesOf(header(s, m.name, f));
    }
    case 'cte': return bytesOf(withPart(s, m.nth, (h, body) => [header(h + '\n', 'Content-Transfer-Encoding', () => m.to).replace(/\n$/, ''), body]));
    case 'base64': return bytesOf(withPart(s, m.nth, (h, body) => {
      const lines = body.split('\n');
      const i = Math.min(lines.length - 1, 2 + Math.floor(m.at * Math.max(1, lines.length - 4)));
      if (m.op === 'badChars') lines[i] = lines[i].slice(0, 10) + '*%!~' + lines[i].slice(14);
      else if (m.op === 'dropLine') lines.splice(i, 1);
      else if (m.op === 'cutLine') lines[i] = lines[i].slice(0, Math.max(1, Math.floor(lines[i].length / 3)));
      else lines[i] = lines[i].slice(0, 8) + '==' + lines[i].slice(8);
      return [h, lines.join('\n')];
    }));
    case 'contentType': return bytesOf(withPart(s, m.nth, (h, body) => [h.replace(/^Content-Type:[^\n]*(\n[ \t][^\n]*)*/im, `Content-Type: ${m.to}`), body]));
    case 'filename': return bytesOf(withPart(s, m.nth, (h, body) => [h.replace(/filename\*?=("[^"]*"|[^;\n]*)(\n[ \t][^\n]*)*/i, m.to), body]));
    case 'forward': {
      let msg = s;
      for (let i = 0; i < m.depth; i++) {
        msg = `From: chuyen.tiep@example.vn\nSubject: Fwd\nDate: Mon, 9 Dec 2024 09:00:00 +0700\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="f${i}"\n\n--f${i}\nContent-Type: message/rfc822\n\n${msg}\n--f${i}--\n`;
      }
      return bytesOf(msg);
    }
    case 'multipart': {
      if (!b) return base;
      // The attachment buried under `depth` multipart/mixed levels inside the message's own multipart.
      const open = Array.from({ length: m.depth }, (_, i) => `Content-Type: multipart/mixed; boundary="n${i}"\n\n--n${i}\n`).join('');
      const close = Array.from({ length: m.depth }, (_, i) => `\n--n${m.depth - 1 - i}--\n`).join('');
      return bytesOf(withPart(s, 0, (h, body) => [open + h, body + close]));
    }
    case 'duplicatePart': {
      const ps = parts(s);
      if (!ps.length || !b) return base;
      const p = ps[m.nth % ps.length];
      return bytesOf(s.slice(0, p.end) + `\n--${b}\n` + s.slice(p.start, p.end) + s.slice(p.end));
    }
  }
}
