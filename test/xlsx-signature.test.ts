/**
 * The `_meta` signature: written by generate-templates with the workspace's key, verified by the meta reader as
 * valid, invalid or absent. It survives filling and re-saving; an edited map or another workspace's key fails it.
 */
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace, type Workspace } from '../src/catalog/workspace.ts';
import { readZipDirectory } from '../src/ingest/zip-check.ts';
import { buildTemplateWorkbook, generateTemplates } from '../src/templates/generate.ts';
import { workbookBytes } from '../src/templates/xlsx-write.ts';
import { readWorkbook } from '../src/xlsx/read-workbook.ts';
import { KEY_FILE, workspaceKey, type SignatureStatus } from '../src/xlsx/signature.ts';
import { fillTemplate, plausibleValues } from '../fixtures/fill.ts';
import { libreOfficeResave, needTool, tempDir } from './helpers/tools.ts';

const hasSoffice = needTool('soffice');

let root: string;
let ws: Workspace;
let signed: Buffer;
/** Another unit's signed template, for its signature. */
let other: Buffer;

async function statusOf(bytes: Buffer, key = workspaceKey(ws.dir)): Promise<SignatureStatus | string> {
  const z = readZipDirectory(bytes);
  if (!z.ok) return z.code;
  const read = await readWorkbook(bytes, z.files, { key });
  return read.ok ? read.signature! : read.code;
}

async function editMeta(bytes: Buffer, edit: (s: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as never);
  edit(wb.getWorksheet('_meta')!);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

beforeAll(async () => {
  root = tempDir('hoctap-sign-');
  ws = openWorkspace(path.join(root, 'ws'));
  const [q1, q3] = await generateTemplates(ws, { year: 2024, outDir: path.join(root, 'out'), units: ['Q1', 'Q3'] });
  signed = fs.readFileSync(q1.file);
  other = fs.readFileSync(q3.file);
}, 60_000);
afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

describe('the _meta signature', () => {
  it('is written by generate-templates with a key made once in the workspace, readable by its owner only', async () => {
    const keyFile = path.join(ws.dir, KEY_FILE);
    expect(fs.readFileSync(keyFile, 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
    if (process.platform !== 'win32') expect(fs.statSync(keyFile).mode & 0o077).toBe(0);
    const before = fs.readFileSync(keyFile, 'utf8');
    await generateTemplates(ws, { year: 2024, outDir: path.join(root, 'out2'), units: ['Q4'] });
    expect(fs.readFileSync(keyFile, 'utf8')).toBe(before);
    expect(await statusOf(signed)).toBe('valid');
  });

  it('still verifies once the unit has filled the template (the figures are not signed)', async () => {
    expect(await statusOf(await fillTemplate(signed, plausibleValues(ws, ws.roster.find((u) => u.code === 'Q1')!)))).toBe('valid');
  });

  it.each([
    ['an edited unit_code', (s: ExcelJS.Worksheet) => { s.getCell('B5').value = 'Q3'; }],
    ['an edited cell address', (s: ExcelJS.Worksheet) => { s.getCell('E11').value = 'G99'; }],
    ['a removed input row', (s: ExcelJS.Worksheet) => { s.spliceRows(12, 1); }],
  ])('fails after %s', async (_what, edit) => {
    expect(await statusOf(await editMeta(signed, edit))).toBe('invalid');
  });

  it('fails with another unit\'s signature copied onto this map', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(other as never);
    const theirs = wb.getWorksheet('_meta')!.getCell('H1').value;
    expect(String(theirs)).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    expect(await statusOf(await editMeta(signed, (s) => { s.getCell('H1').value = theirs; }))).toBe('invalid');
  });

  it('is absent from a template built without the key, invalid with another workspace\'s key', async () => {
    const unsigned = await workbookBytes(await buildTemplateWorkbook(ws, ws.roster.find((u) => u.code === 'Q1')!, 2024));
    expect(await statusOf(unsigned)).toBe('absent');
    expect(await statusOf(signed, workspaceKey(path.join(root, 'other')))).toBe('invalid');
  });

  it.skipIf(!hasSoffice)('survives a re-save by LibreOffice', async () => {
    const src = path.join(root, 'lo', 'Q1.xlsx');
    fs.mkdirSync(path.dirname(src), { recursive: true });
    fs.writeFileSync(src, signed);
    const [saved] = libreOfficeResave([src], path.join(root, 'lo', 'out'));
    expect(await statusOf(fs.readFileSync(saved))).toBe('valid');
  }, 120_000);
});
