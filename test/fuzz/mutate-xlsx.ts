/**
 * Mutations of a workbook at the zip's level (bytes of the whole file) and inside a sound zip (one XML part changed,
 * then zipped again with fflate): byte flips, cuts, deletions, a part emptied or dropped, DOCTYPE and entities, deep
 * nesting, odd cell types, values and references, invalid UTF-8. Each mutation is plain data, so that fast-check
 * prints the shrunk one for replay.
 */
import fc from 'fast-check';
import { unzipSync, zipSync } from 'fflate';

/** Positions are fractions of the length, so that one mutation means the same on any part. */
const at = fc.double({ min: 0, max: 1, noNaN: true });

export type ByteMutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; bits: { at: number; bit: number }[] }
  | { kind: 'overwrite'; at: number; data: number[] }
  | { kind: 'splice'; at: number; len: number };

export const byteMutation: fc.Arbitrary<ByteMutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at }),
  fc.record({ kind: fc.constant('flip' as const), bits: fc.array(fc.record({ at, bit: fc.integer({ min: 0, max: 7 }) }), { minLength: 1, maxLength: 6 }) }),
  fc.record({ kind: fc.constant('overwrite' as const), at, data: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 64 }) }),
  fc.record({ kind: fc.constant('splice' as const), at, len: fc.integer({ min: 1, max: 4096 }) }),
);

export function mutateBytes(bytes: Buffer, m: ByteMutation): Buffer {
  if (bytes.length === 0) return bytes;
  const pos = (f: number) => Math.min(bytes.length - 1, Math.floor(f * bytes.length));
  const out = Buffer.from(bytes);
  switch (m.kind) {
    case 'truncate': return out.subarray(0, pos(m.at));
    case 'flip': for (const b of m.bits) out[pos(b.at)] ^= 1 << b.bit; return out;
    case 'overwrite': { const p = pos(m.at); Buffer.from(m.data).copy(out, p); return out; }
    case 'splice': { const p = pos(m.at); return Buffer.concat([out.subarray(0, p), out.subarray(p + m.len)]); }
  }
}

/** Byte sequences that are not UTF-8: a lone continuation, a cut sequence, overlong forms, a surrogate, 0xFF. */
export const BAD_UTF8 = [[0xff], [0x80], [0xc3, 0x28], [0xc0, 0xaf], [0xe1, 0xbb], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xf4, 0x90, 0x80, 0x80]];

/** What a cell may be turned into: its type attribute and its value, written as a spreadsheet program could not. */
const ODD_CELLS: [string | null, string | null][] = [
  ['s', '999999'], ['s', '-1'], ['s', 'x'], ['n', 'abc'], ['n', '1e400'], ['n', '-0'], ['n', 'NaN'], ['n', ''], ['n', ' 12 '],
  ['b', '2'], ['e', '#REF!'], ['d', '2024-13-45T99:00:00'], ['d', 'hôm qua'], ['str', ''], ['inlineStr', null], ['zz', '1'],
  [null, '9'.repeat(400)], [null, '0x1F'], [null, '1,5'], ['str', 'Tăng'], ['str', 'x'.repeat(40_000)],
];

/** References Excel never writes: lower case, zero, past the last column or row, no digits, negative, spaces. */
const ODD_REFS = ['', 'A0', 'a5', 'XFE1', 'ZZZZ9', 'A1048577', 'A99999999999', 'G', '5', '-G5', 'G 5', 'G5:G9', 'R5C7', 'G05', '$G$5', 'G5\u0000'];

export type XmlMutation =
  | { kind: 'flip'; bits: { at: number; bit: number }[] }
  | { kind: 'cut'; at: number }
  | { kind: 'delete'; at: number; len: number }
  | { kind: 'empty' }
  | { kind: 'drop' }
  | { kind: 'doctype'; decl: 'internal' | 'external' | 'laughs' | 'parameter' | 'bare'; use: boolean }
  | { kind: 'nest'; depth: number; at: number }
  | { kind: 'comment'; what: 'comment' | 'cdata' | 'pi'; at: number }
  | { kind: 'cell'; nth: number; odd: number }
  | { kind: 'ref'; nth: number; odd: number; drop: boolean }
  | { kind: 'utf8'; at: number; seq: number }
  | { kind: 'latin1' }
  | { kind: 'duplicate'; nth: number; times: number };

export const xmlMutation: fc.Arbitrary<XmlMutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), bits: fc.array(fc.record({ at, bit: fc.integer({ min: 0, max: 7 }) }), { minLength: 1, maxLength: 4 }) }),
  fc.record({ kind: fc.constant('cut' as const), at }),
  fc.record({ kind: fc.constant('delete' as const), at, len: fc.integer({ min: 1, max: 400 }) }),
  fc.constant({ kind: 'empty' as const }),
  fc.constant({ kind: 'drop' as const }),
  fc.record({ kind: fc.constant('doctype' as const), decl: fc.constantFrom('internal' as const, 'external' as const, 'laughs' as const, 'parameter' as const, 'bare' as const), use: fc.boolean() }),
  fc.record({ kind: fc.constant('nest' as const), depth: fc.oneof(fc.integer({ min: 1, max: 300 }), fc.constantFrom(5_000, 20_000, 60_000)), at }),
  fc.record({ kind: fc.constant('comment' as const), what: fc.constantFrom('comment' as const, 'cdata' as const, 'pi' as const), at }),
  fc.record({ kind: fc.constant('cell' as const), nth: fc.nat(), odd: fc.nat({ max: ODD_CELLS.length - 1 }) }),
  fc.record({ kind: fc.constant('ref' as const), nth: fc.nat(), odd: fc.nat({ max: ODD_REFS.length - 1 }), drop: fc.boolean() }),
  fc.record({ kind: fc.constant('utf8' as const), at, seq: fc.nat({ max: BAD_UTF8.length - 1 }) }),
  fc.constant({ kind: 'latin1' as const }),
  fc.record({ kind: fc.constant('duplicate' as const), nth: fc.nat(), times: fc.integer({ min: 1, max: 3 }) }),
);

/** Which part: one of the sheets, the shared strings or the workbook (where ingest reads), or any part at all. */
export interface PartMutation { part: { where: 'read' | 'any'; n: number; name?: string }; mutations: XmlMutation[] }

export const partMutation: fc.Arbitrary<PartMutation> = fc.record({
  part: fc.record({ where: fc.constantFrom('read' as const, 'read' as const, 'any' as const), n: fc.nat() }),
  mutations: fc.array(xmlMutation, { minLength: 1, maxLength: 3 }),
});

const READ_PARTS = /^xl\/(worksheets\/sheet\d+|sharedStrings|workbook|styles)\.xml$|^xl\/_rels\/workbook\.xml\.rels$|^\[Content_Types\]\.xml$/;

/** The part a mutation chooses in this workbook. */
export function choosePart(names: string[], p: PartMutation['part']): string {
  const files = names.filter((n) => !n.endsWith('/')).sort();
  if (p.name && files.includes(p.name)) return p.name;
  const pool = p.where === 'read' ? files.filter((n) => READ_PARTS.test(n)) : files;
  return pool[p.n % pool.length];
}

/** The workbook with one part mutated, zipped again (deflated) with fflate; the other parts as they were. */
export function mutatePart(xlsx: Buffer, m: PartMutation): { bytes: Buffer; part: string } {
  const parts = unzipSync(new Uint8Array(xlsx));
  const part = choosePart(Object.keys(parts), m.part);
  let data: Buffer | null = Buffer.from(parts[part]);
  for (const x of m.mutations) data = data && mutateXml(data, x);
  if (data === null) delete parts[part];
  else parts[part] = new Uint8Array(data);
  return { bytes: Buffer.from(zipSync(parts, { level: 6 })), part };
}

/** The index just inside the root element (after its start tag), or 0. */
function insideRoot(s: string): number {
  const m = /<(?![?!])[^>]*>/.exec(s);
  return m ? m.index + m[0].length : 0;
}

const DOCTYPES: Record<Extract<XmlMutation, { kind: 'doctype' }>['decl'], { decl: string; ref: string }> = {
  internal: { decl: '<!DOCTYPE worksheet [<!ENTITY e "Tăng">]>', ref: '&e;' },
  external: { decl: '<!DOCTYPE worksheet [<!ENTITY e SYSTEM "file:///etc/passwd">]>', ref: '&e;' },
  laughs: {
    decl: `<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">${Array.from({ length: 8 }, (_, i) => `<!ENTITY ${String.fromCharCode(98 + i)} "${`&${String.fromCharCode(97 + i)};`.repeat(10)}">`).join('')}]>`,
    ref: '&i;',
  },
  parameter: { decl: '<!DOCTYPE worksheet [<!ENTITY % p "<!ENTITY e \'x\'>"> %p;]>', ref: '&e;' },
  bare: { decl: '<!DOCTYPE worksheet SYSTEM "http://example.vn/x.dtd">', ref: '' },
};

/** Applies one mutation to a part's bytes; null drops the part from the zip. */
export function mutateXml(data: Buffer, m: XmlMutation): Buffer | null {
  const pos = (f: number) => Math.min(data.length, Math.floor(f * data.length));
  const text = () => data.toString('utf8');
  const cells = (s: string) => [...s.matchAll(/<c\b[^>]*?(\/>|>[\s\S]*?<\/c>)/g)];
  switch (m.kind) {
    case 'flip': { const out = Buffer.from(data); for (const b of m.bits) if (out.length) out[Math.min(out.length - 1, pos(b.at))] ^= 1 << b.bit; return out; }
    case 'cut': return data.subarray(0, pos(m.at));
    case 'delete': return Buffer.concat([data.subarray(0, pos(m.at)), data.subarray(pos(m.at) + m.len)]);
    case 'empty': return Buffer.alloc(0);
    case 'drop': return null;
    case 'doctype': {
      const s = text();
      const d = DOCTYPES[m.decl];
      const decl = /^<\?xml[^>]*\?>/.exec(s);
      const head = decl ? decl[0] : '';
      let body = s.slice(head.length);
      // The entity used where a value is read (the first <v> or <t>), or anywhere inside the root.
      if (m.use && d.ref) body = /<(v|t)>/.test(body) ? body.replace(/<(v|t)>/, `<$1>${d.ref}`) : body.slice(0, insideRoot(body)) + d.ref + body.slice(insideRoot(body));
      return Buffer.from(head + d.decl + body, 'utf8');
    }
    case 'nest': {
      const s = text();
      const p = Math.max(insideRoot(s), Math.min(s.length, Math.floor(m.at * s.length)));
      const q = s.lastIndexOf('>', p) + 1 || insideRoot(s);
      return Buffer.from(s.slice(0, q) + '<x>'.repeat(m.depth) + '</x>'.repeat(m.depth) + s.slice(q), 'utf8');
    }
    case 'comment': {
      const s = text();
      const q = s.lastIndexOf('>', Math.floor(m.at * s.length)) + 1 || insideRoot(s);
      const ins = m.what === 'comment' ? '<!-- ghi chú -->' : m.what === 'cdata' ? '<![CDATA[<c r="G5"><v>1</v></c>]]>' : '<?mso-application progid="Excel.Sheet"?>';
      return Buffer.from(s.slice(0, q) + ins + s.slice(q), 'utf8');
    }
    case 'cell': {
      const s = text();
      const all = cells(s);
      if (!all.length) return data;
      const c = all[m.nth % all.length];
      const ref = /\br="([^"]*)"/.exec(c[0])?.[1] ?? 'A1';
      const [t, v] = ODD_CELLS[m.odd];
      const cell = t === 'inlineStr' ? `<c r="${ref}" t="inlineStr"><is><t>Giảm</t></is></c>` : `<c r="${ref}"${t ? ` t="${t}"` : ''}>${v === null ? '' : `<v>${v}</v>`}</c>`;
      return Buffer.from(s.slice(0, c.index) + cell + s.slice(c.index + c[0].length), 'utf8');
    }
    case 'ref': {
      const s = text();
      const all = cells(s);
      if (!all.length) return data;
      const c = all[m.nth % all.length];
      const changed = m.drop ? c[0].replace(/\s+r="[^"]*"/, '') : c[0].replace(/\br="[^"]*"/, `r="${ODD_REFS[m.odd]}"`);
      return Buffer.from(s.slice(0, c.index) + changed + s.slice(c.index + c[0].length), 'utf8');
    }
    case 'utf8': return Buffer.concat([data.subarray(0, pos(m.at)), Buffer.from(BAD_UTF8[m.seq]), data.subarray(pos(m.at))]);
    case 'latin1': return Buffer.from(text(), 'latin1');
    case 'duplicate': {
      // A row or a cell written twice (the same reference again), as a broken writer could.
      const s = text();
      const rows = [...s.matchAll(/<row\b[\s\S]*?<\/row>/g)];
      const pick = rows.length ? rows[m.nth % rows.length] : cells(s)[m.nth % Math.max(1, cells(s).length)];
      if (!pick) return data;
      return Buffer.from(s.slice(0, pick.index + pick[0].length) + pick[0].repeat(m.times) + s.slice(pick.index + pick[0].length), 'utf8');
    }
  }
}

/** Input cell values changed in the sheet XML directly (fast; no spreadsheet library in between). */
export interface ValueMutation { nth: number; value: string; type: 'n' | 'str' | 'b' | 'e' }

export const PLAUSIBLE_TYPOS = ['95,5', '95,5 %', '1.234', '1.234,5', '-3', 'N/A', 'Tăng', 'TANG', 'giảm', '4 - Rất tốt', '6', '0,3', ' ', '\u00a0', '1e5', '٣', '', '0', '100', '100,0001', '12abc', '2.147.483.648'];

export const valueMutation: fc.Arbitrary<ValueMutation> = fc.record({
  nth: fc.nat(),
  value: fc.oneof(fc.constantFrom(...PLAUSIBLE_TYPOS), fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 }).map(String), fc.string({ unit: 'grapheme', maxLength: 20 })),
  type: fc.constantFrom('n' as const, 'str' as const, 'str' as const, 'b' as const, 'e' as const),
});

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Writes `value` into the nth cell of `cellsByPart` (sheet part → input cell references). */
export function mutateValues(xlsx: Buffer, inputs: { part: string; cell: string }[], ms: ValueMutation[]): Buffer {
  const parts = unzipSync(new Uint8Array(xlsx));
  for (const m of ms) {
    const target = inputs[m.nth % inputs.length];
    const s = Buffer.from(parts[target.part]).toString('utf8');
    const re = new RegExp(`<c r="${target.cell}"(?:\\s[^>]*?)?(?:/>|>[\\s\\S]*?</c>)`);
    const v = m.type === 'str' ? `<c r="${target.cell}" t="inlineStr"><is><t xml:space="preserve">${escapeXml(m.value)}</t></is></c>` : `<c r="${target.cell}" t="${m.type}"><v>${escapeXml(m.value)}</v></c>`;
    if (re.test(s)) parts[target.part] = new Uint8Array(Buffer.from(s.replace(re, v), 'utf8'));
  }
  return Buffer.from(zipSync(parts, { level: 6 }));
}
