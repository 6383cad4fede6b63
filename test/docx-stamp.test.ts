/**
 * The report's DOCX with its long repeated parts stamped (docx/stamp.ts): the library writes one sample row or
 * paragraph per shape and every one is that XML with its own texts. The file must be the one the library writes element
 * by element, for texts that XML must escape or cannot hold, for elements of two shapes mixed (Phụ lục II: a line for
 * the approval or not; Phụ lục III: a unit's name before its first line or not), for every long table (II, IV, V) and
 * for Phụ lục III, in the report and as a document of its own.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Document, Packer, Paragraph, Table, TableCell, TableRow, TextRun } from 'docx';
import { strFromU8, unzipSync } from 'fflate';
import { openWorkspace } from '../src/catalog/workspace.ts';
import { openDatabase, storeOn } from './helpers/sqlite.ts';
import { collectReportInput } from '../src/report/generate.ts';
import { buildReportModel, type ReportModel } from '../src/report/model/index.ts';
import { annexDocument, reportDocument, writeAnnexDocx, writeReportDocx } from '../src/report/docx/index.ts';
import { Stamper } from '../src/report/docx/stamp.ts';
import { DOCUMENT_XML, documentParts, partText } from '../src/report/docx/pack.ts';
import { seedReportStore } from './helpers/report-store.ts';
import { tempDir } from './helpers/tools.ts';

let dir: string;
let model: ReportModel;
const AWKWARD = ['Hội "Khuyến học" & <Gia đình> d\'Arc', '', 'Tab\there\u0001\u000b', '  hai  khoảng  ', 'Ủy ban nhân dân phường Bến Nghé'];

beforeAll(async () => {
  dir = tempDir('hoctap-docx-stamp-');
  const ws = openWorkspace(dir, { year: 2024 });
  seedReportStore(ws);
  const db = openDatabase(ws.dbPath);
  try {
    model = buildReportModel((await collectReportInput(ws, storeOn(db), 2024, { year: 2025, month: 1, day: 5 })).input);
  } finally {
    db.close();
  }
  // Texts XML must escape or drop, in each long table; rows of both shapes in Phụ lục II.
  model.appendixII.rows[0] = { ...model.appendixII.rows[0], name: AWKWARD[0], approval: '' };
  model.appendixII.rows[1] = { ...model.appendixII.rows[1], state: AWKWARD[2], receivedAt: AWKWARD[1] };
  const byUnit = model.appendixByUnit.tables[0];
  byUnit.rows[0] = { ...byUnit.rows[0], name: AWKWARD[3], cells: byUnit.rows[0].cells.map((_, k) => AWKWARD[k % AWKWARD.length]) };
  model.appendixCommendations = {
    label: 'Phụ lục V', title: 'Đề xuất khen thưởng', attached: '(Kèm theo Báo cáo)', intro: 'Các đơn vị đề nghị:',
    columns: ['STT', 'Đơn vị đề nghị', 'Tập thể / Cá nhân', 'Tên tập thể, cá nhân', 'Thành tích'],
    rows: AWKWARD.map((t, k) => ({ index: k + 1, proposer: t, kind: k % 2 ? 'Cá nhân' : 'Tập thể', name: AWKWARD[(k + 1) % AWKWARD.length], achievement: `Thành tích ${k} <b>` })),
  };
});

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/**
 * Every file of a DOCX package as text, without what differs between two writings by the library itself: the dates,
 * the ids it numbers or draws at random for each chart (a drawing's id, a relationship's), and the times stamped in the
 * zip of a chart's embedded workbook (its files are compared instead).
 */
function parts(docx: Uint8Array): Record<string, string> {
  return Object.fromEntries(Object.entries(unzipSync(docx)).map(([name, data]) => [
    name, name.endsWith('.xlsx') ? JSON.stringify(parts(data)) : strFromU8(data)
      .replace(/<dcterms:(created|modified)[^>]*>[^<]*<\/dcterms:\1>/g, '')
      .replace(/<wp:docPr id="\d+"/g, '<wp:docPr id=""')
      .replace(/"rId[^"]{10,}"/g, '"rId"'),
  ]));
}

/** Writes the stamped file and checks every part against the library's own file of `doc`; returns both, as parts. */
async function stampedAsBuilt(name: string, write: (file: string) => Promise<void>, doc: () => Document): Promise<{ stamped: Record<string, string>; built: Record<string, string> }> {
  const file = path.join(dir, name);
  await write(file);
  const stamped = parts(fs.readFileSync(file));
  const built = parts(await Packer.toBuffer(doc()));
  expect(Object.keys(stamped).sort(), name).toEqual(Object.keys(built).sort());
  for (const part of Object.keys(built)) expect(stamped[part], `${name}: ${part}`).toBe(built[part]);
  return { stamped, built };
}

describe('the report\'s DOCX with its long tables stamped', () => {
  it('is the document the library writes row by row', async () => {
    expect(model.appendixII.rows.filter((r) => r.approval).length).toBeGreaterThan(0);
    expect(model.appendixII.rows.filter((r) => !r.approval).length).toBeGreaterThan(0);
    expect(model.appendixByUnit.shown).toBe(true);
    const { stamped, built } = await stampedAsBuilt('bao-cao.docx', (f) => writeReportDocx(model, f), () => reportDocument(model));
    const body = built['word/document.xml'];
    // What the comparison covers: every row of each long table, its escaped texts, no marker left.
    for (const r of model.appendixII.rows) expect(body).toContain(`>${String(r.index)}<`);
    for (const r of model.appendixByUnit.tables[0].rows.slice(1)) expect(body).toContain(r.name);
    expect(body).toContain('Hội &quot;Khuyến học&quot; &amp; &lt;Gia đình&gt; d&apos;Arc');
    expect(body).toContain('>Tab\there<');
    expect(body).toContain('Thành tích 4 &lt;b&gt;');
    expect(stamped['word/document.xml']).not.toContain('hoctapstamp');
    // Phụ lục III in the report (few units, its lines stamped there, the last ending the section) or apart (many).
    const [within, apart] = await Promise.all([false, true].map(async (separate) => {
      const m = { ...model, appendixIII: { ...model.appendixIII, separate } };
      return (await stampedAsBuilt(`bao-cao-${separate}.docx`, (f) => writeReportDocx(m, f), () => reportDocument(m))).stamped['word/document.xml'];
    }));
    expect(within.length).toBeGreaterThan(apart.length + 10_000);
  });

  it('writes Phụ lục III, as a document of its own, as the library writes it paragraph by paragraph', async () => {
    const annex = model.appendixIII;
    const entry = annex.sections.find((x) => x.shown)!.entries.find((e) => !e.isLead && e.paragraphs.length)!;
    entry.paragraphs[0] = { ...entry.paragraphs[0], lines: [AWKWARD[0], AWKWARD[2], ...entry.paragraphs[0].lines] };
    const { stamped, built } = await stampedAsBuilt('phu-luc-III.docx', (f) => writeAnnexDocx(annex, f), () => annexDocument(annex));
    // What the comparison covers: every unit's name in bold before its lines, the escaped texts, no marker left.
    const body = built['word/document.xml'];
    for (const s of annex.sections.filter((x) => x.shown)) {
      for (const e of s.entries.filter((x) => !x.isLead)) expect(body).toContain(e.unitName);
    }
    expect(body).toContain('Hội &quot;Khuyến học&quot; &amp; &lt;Gia đình&gt; d&apos;Arc');
    expect(stamped['word/document.xml']).not.toContain('hoctapstamp');
  });

  it('refuses a row whose sample does not hold each of its texts once', async () => {
    const stamper = new Stamper();
    const twice = (t: string[]) => new TableRow({ children: [new TableCell({ children: [new Paragraph({ children: [new TextRun(t[0]), new TextRun(t[0])] })] })] });
    const doc = new Document({ sections: [{ children: [new Table({ rows: stamper.rows([['a'], ['b']], twice) })] }] });
    const xml = partText(await documentParts(doc), DOCUMENT_XML);
    expect(() => stamper.fill(xml)).toThrow(/not once in its sample/);
    // The same table with each text once is stamped: both rows, in order.
    const once = new Stamper();
    const single = (t: string[]) => new TableRow({ children: [new TableCell({ children: [new Paragraph({ children: [new TextRun(t[0])] })] })] });
    const ok = new Document({ sections: [{ children: [new Table({ rows: once.rows([['a'], ['b']], single) })] }] });
    expect(once.fill(partText(await documentParts(ok), DOCUMENT_XML))).toMatch(/>a<\/w:t>.*>b<\/w:t>/);
  });
});
