/**
 * Phụ lục III's DOCX written in slices (docx/long.ts): the library writes a slice of the body at a time and the slices
 * are set into the document's frame. The file must be the one the library writes whole: every part of the package the
 * same, the body's paragraphs in the same order, nothing lost where two slices meet.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Packer } from 'docx';
import { strFromU8, unzipSync } from 'fflate';
import { openWorkspace } from '../src/catalog/workspace.ts';
import { openDatabase, storeOn } from './helpers/sqlite.ts';
import { collectReportInput } from '../src/report/generate.ts';
import { buildReportModel, type ReportModel } from '../src/report/model/index.ts';
import { annexDocument, writeAnnexDocx } from '../src/report/docx/index.ts';
import { appendixTextsBody } from '../src/report/docx/appendices.ts';
import { packLongDocument } from '../src/report/docx/long.ts';
import { seedReportStore } from './helpers/report-store.ts';
import { tempDir } from './helpers/tools.ts';

let dir: string;
let model: ReportModel;

beforeAll(async () => {
  dir = tempDir('hoctap-docx-long-');
  const ws = openWorkspace(dir, { year: 2024 });
  seedReportStore(ws);
  const db = openDatabase(ws.dbPath);
  try {
    model = buildReportModel((await collectReportInput(ws, storeOn(db), 2024, { year: 2025, month: 1, day: 5 })).input);
  } finally {
    db.close();
  }
});

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** Every file of a DOCX package as text, the creation and change dates (the time of writing) left out. */
function parts(docx: Uint8Array): Record<string, string> {
  const files = unzipSync(docx);
  return Object.fromEntries(Object.entries(files).map(([name, data]) => [
    name, strFromU8(data).replace(/<dcterms:(created|modified)[^>]*>[^<]*<\/dcterms:\1>/g, ''),
  ]));
}

describe('Phụ lục III\'s DOCX written in slices', () => {
  it('is the document the library writes whole, however small the slices', async () => {
    const whole = parts(await Packer.toBuffer(annexDocument(model.appendixIII)));
    const texts = [...appendixTextsBody(model.appendixIII)].flat().length;
    expect(texts).toBeGreaterThan(60);
    for (const unitsPerSlice of [1, 7, 1000]) {
      const sliced = parts(await packLongDocument((marker) => annexDocument(model.appendixIII, [marker]), appendixTextsBody(model.appendixIII, unitsPerSlice)));
      expect(Object.keys(sliced).sort(), `${unitsPerSlice}`).toEqual(Object.keys(whole).sort());
      for (const name of Object.keys(whole)) expect(sliced[name], `${name}, ${unitsPerSlice} đơn vị mỗi phần`).toBe(whole[name]);
    }
    // The comparison sees a paragraph lost between two slices: the body holds every unit's name.
    const body = whole['word/document.xml'];
    for (const s of model.appendixIII.sections.filter((x) => x.shown)) {
      for (const e of s.entries.filter((x) => !x.isLead)) expect(body).toContain(e.unitName);
    }
    expect(body).not.toContain('hoctap-body-');
  });

  it('writes the file the report writes (writeAnnexDocx)', async () => {
    const file = path.join(dir, 'phu-luc-III.docx');
    await writeAnnexDocx(model.appendixIII, file);
    expect(parts(fs.readFileSync(file))).toEqual(parts(await Packer.toBuffer(annexDocument(model.appendixIII))));
  });
});
