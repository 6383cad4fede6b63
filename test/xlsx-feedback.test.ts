/**
 * The feedback copy (.kiem-tra.xlsx) made by patching the received parts: read back by openpyxl and by LibreOffice
 * (fills, notes, the list sheet, the sheet it opens on), made from a LibreOffice-saved file too; and the exceljs
 * fallback reached only by small files.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace, type Workspace } from '../src/catalog/workspace.ts';
import { ingest } from '../src/ingest/ingest.ts';
import { buildTemplateWorkbook } from '../src/templates/generate.ts';
import { workbookBytes } from '../src/templates/xlsx-write.ts';
import { restyleCells } from '../src/xlsx/patch-cells.ts';
import { fillTemplate, plausibleValues } from '../fixtures/fill.ts';
import { editPart, sheetPart } from './helpers/hostile.ts';
import { libreOfficeResave, needTool, runPython, tempDir } from './helpers/tools.ts';

const hasPython = needTool('openpyxl');
const hasSoffice = needTool('soffice');

/** What openpyxl sees in a workbook: sheet names, the active one, and per flagged cell its fill and note. */
const OPENPYXL_READ = `
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
cells = {}
for name, ref in json.loads(sys.argv[2]):
    c = wb[name][ref]
    cells[name + '!' + ref] = {'fill': c.fill.fgColor.rgb if c.fill and c.fill.fill_type == 'solid' else None, 'note': c.comment.text if c.comment else None}
lst = wb[wb.sheetnames[-1]]
print(json.dumps({'sheets': wb.sheetnames, 'active': wb.active.title, 'cells': cells,
  'list': [[c.value for c in row] for row in lst.iter_rows(min_row=1, max_row=3)]}))
`;

let root: string;
let ws: Workspace;
let template: Buffer;
const unit = () => ws.roster.find((u) => u.code === 'Q1')!;

beforeAll(async () => {
  root = tempDir('hoctap-feedback-');
  ws = openWorkspace(root);
  template = await workbookBytes(await buildTemplateWorkbook(ws, unit(), 2024));
}, 60_000);
afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

async function ingestBytes(name: string, bytes: Buffer) {
  const dir = path.join(root, name.replace(/\W/g, '_'));
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, name), bytes);
  return (await ingest(ws, [path.join(dir, name)], { year: 2024, dryRun: true, feedbackDir: path.join(dir, 'fb') })).files[0];
}

describe('the patched feedback copy', () => {
  it.skipIf(!hasPython || !hasSoffice)('opens in openpyxl and in LibreOffice with its fills, notes and list sheet', async () => {
    const values = { ...plausibleValues(ws, unit()), '1.1.2-a.m.tu': 'abc', '1.3.1-b.m.tl': '0,5' } as Record<string, unknown>;
    delete values['1.3.2-a.m.tu'];
    const r = await ingestBytes('Q1.xlsx', await fillTemplate(template, values));
    expect(r.feedbackPath).toBeTruthy();
    const flagged = r.messages.filter((m) => m.cell).map((m) => [m.sheet!, m.cell!]);
    expect(flagged.length).toBeGreaterThanOrEqual(2);
    const read = (file: string) => JSON.parse(runPython(OPENPYXL_READ, [file, JSON.stringify(flagged)])) as {
      sheets: string[]; active: string; cells: Record<string, { fill: string | null; note: string | null }>; list: unknown[][];
    };
    const direct = read(r.feedbackPath!);
    const [resaved] = libreOfficeResave([r.feedbackPath!], path.join(root, 'lo'));
    for (const seen of [direct, read(resaved)]) {
      expect(seen.sheets).toEqual(['HuongDan', 'ChiSo', 'BaoCao', '_meta', 'KiemTra']);
      expect(seen.active).toBe('KiemTra');
      for (const m of r.messages.filter((x) => x.cell)) {
        const c = seen.cells[`${m.sheet}!${m.cell}`];
        // A cell with an error and a warning is red: the worst of its messages.
        const worst = r.messages.some((x) => x.cell === m.cell && x.sheet === m.sheet && x.severity === 'error') ? 'error' : 'warning';
        expect(c.fill, `${m.cell}`).toMatch(worst === 'error' ? /FF7C80$/ : /FFC000$/);
        expect(c.note, `${m.cell}`).toContain(m.text.slice(m.file.length + 2, m.file.length + 40));
      }
      expect(seen.list[0]).toEqual(['Mức độ', 'Trang', 'Ô', 'Chỉ số', 'Mã ô', 'Giá trị nhận được', 'Cần', 'Nội dung']);
      expect(seen.list[1][7]).toBe(r.messages[0].text);
    }
  }, 180_000);

  it.skipIf(!hasSoffice)('is made from a workbook LibreOffice saved (its own styles, no shared formats)', async () => {
    const src = path.join(root, 'lo-src', 'Q1.xlsx');
    fs.mkdirSync(path.dirname(src), { recursive: true });
    fs.writeFileSync(src, await fillTemplate(template, { ...plausibleValues(ws, unit()), '1.1.2-a.m.tu': 'abc' }));
    const [saved] = libreOfficeResave([src], path.join(root, 'lo-out'));
    const r = await ingestBytes('Q1-lo.xlsx', fs.readFileSync(saved));
    expect(r.messages.map((m) => m.code)).toContain('not_a_number');
    expect(fs.existsSync(r.feedbackPath!)).toBe(true);
    expect(r.messages.some((m) => m.code === 'feedback_failed')).toBe(false);
    const again = await ingestBytes('Q1-lo.kiem-tra-lai.xlsx', fs.readFileSync(r.feedbackPath!));
    expect(again.messages.map((m) => m.code)).toEqual(r.messages.map((m) => m.code));
  }, 180_000);
});

describe('restyling cells in the sheet XML', () => {
  const xml = '<worksheet><sheetData><row r="2"><c r="B2" s="1"><v>1</v></c><c r="D2"/></row><row r="5" spans="1:3"/></sheetData></worksheet>';
  it('changes an existing cell, creates a missing cell in column order and a missing row in row order', () => {
    const out = restyleCells(xml, new Map([
      ['B2', (s: number) => s + 10], ['C2', () => 7], ['A5', () => 8], ['C3', () => 9], ['A9', () => 6],
    ]));
    expect(out).toBe('<worksheet><sheetData><row r="2"><c r="B2" s="11"><v>1</v></c><c r="C2" s="7"/><c r="D2"/></row>'
      + '<row r="3"><c r="C3" s="9"/></row><row r="5" spans="1:3"><c r="A5" s="8"/></row><row r="9"><c r="A9" s="6"/></row></sheetData></worksheet>');
  });
});

describe('the exceljs fallback', () => {
  it('still reads a small file the targeted reader declines (a hyperlink in an evidence cell)', async () => {
    const filled = await fillTemplate(template, plausibleValues(ws, unit()));
    const part = sheetPart(filled, 'ChiSo');
    const linked = editPart(filled, part, (x) => x.replace('</sheetData>', '</sheetData><hyperlinks><hyperlink ref="A1" location="ChiSo!A1"/></hyperlinks>'));
    const r = await ingestBytes('link.xlsx', linked);
    expect(r.status).toBe('accepted');
  });

  it('is not reached by a declined file whose ranges would make exceljs build millions of cells', async () => {
    const filled = await fillTemplate(template, plausibleValues(ws, unit()));
    const part = sheetPart(filled, 'ChiSo');
    const bomb = editPart(filled, part, (x) => x
      .replace('</sheetData>', '</sheetData><hyperlinks><hyperlink ref="A1" location="ChiSo!A1"/></hyperlinks>')
      .replace(/<dataValidations count="(\d+)">/, (_m, n: string) => `<dataValidations count="${Number(n) + 1}"><dataValidation type="whole" sqref="K1:XFD1048576"/>`));
    const started = Date.now();
    const r = await ingestBytes('bom-kiem-tra.xlsx', bomb);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(r.status).toBe('rejected');
    expect(r.messages.map((m) => m.code)).toEqual(['workbook_too_complex']);
  });
});
