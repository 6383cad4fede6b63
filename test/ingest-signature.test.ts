/**
 * Issue 16: ingest enforces the `_meta` signature. A genuine template, filled and re-saved by LibreOffice or openpyxl,
 * still verifies; a map edited with openpyxl (unit_code, a cell address, a row deleted) is refused with
 * meta_signature and changes no accepted figure; an unsigned template is accepted with meta_unsigned; a workspace
 * without its key file says so once and never makes a key; rebuild never drops an accepted file over its signature.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace, type Unit, type Workspace } from '../src/catalog/workspace.ts';
import { ingest } from '../src/ingest/ingest.ts';
import type { FileResult } from '../src/ingest/types.ts';
import { rebuildStore } from '../src/usecases/rebuild.ts';
import { buildTemplateWorkbook, generateTemplates } from '../src/templates/generate.ts';
import { workbookBytes } from '../src/templates/xlsx-write.ts';
import { KEY_FILE, workspaceKey } from '../src/xlsx/signature.ts';
import { fillTemplate, plausibleValues } from '../fixtures/fill.ts';
import { acceptedDump } from './helpers/accepted.ts';
import { runHoctap } from './helpers/cli.ts';
import { OPENPYXL_EDIT } from './helpers/openpyxl.ts';
import { libreOfficeResave, needTool, runPython, tempDir } from './helpers/tools.ts';

const hasPython = needTool('openpyxl');
const hasSoffice = needTool('soffice');
/** openpyxl opens and saves the workbook, changing nothing else (as a unit's script would). */
const OPENPYXL_RESAVE = 'import sys, openpyxl\nwb = openpyxl.load_workbook(sys.argv[1])\nwb.save(sys.argv[2])\n';

let root: string;
let ws: Workspace;
/** The filled signed templates of Q1 and Q3, as files. */
const filled = new Map<string, string>();
const unit = (code: string): Unit => ws.roster.find((u) => u.code === code)!;

beforeAll(async () => {
  root = tempDir('hoctap-ingest-sign-');
  ws = openWorkspace(path.join(root, 'ws'));
  const made = await generateTemplates(ws, { year: 2024, outDir: path.join(root, 'bieu-mau'), units: ['Q1', 'Q3', 'Q4'] });
  for (const t of made) {
    const file = path.join(root, 'dien', `${t.unit.code}.xlsx`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, await fillTemplate(fs.readFileSync(t.file), plausibleValues(ws, t.unit)));
    filled.set(t.unit.code, file);
  }
}, 120_000);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const one = async (file: string, w = ws): Promise<FileResult> => (await ingest(w, [file], { year: 2024, receivedAt: new Date('2024-12-01T03:00:00Z') })).files[0];
const codes = (r: FileResult) => r.messages.map((m) => m.code);

describe('ingest and the _meta signature', () => {
  it('accepts a genuine filled template, without a word about its signature', async () => {
    const r = await one(filled.get('Q1')!);
    expect(r.status, r.reason ?? '').toBe('accepted');
    expect(codes(r)).not.toContain('meta_signature');
    expect(codes(r)).not.toContain('meta_unsigned');
  });

  it.skipIf(!hasSoffice)('accepts it re-saved by LibreOffice (the signature lives in _meta G1:H1)', async () => {
    const [saved] = libreOfficeResave([filled.get('Q3')!], path.join(root, 'lo'));
    const r = await one(saved);
    expect(r.status, r.reason ?? '').toBe('accepted');
    expect(r.unit).toBe('Q3');
    expect(codes(r)).not.toContain('meta_unsigned');
  }, 180_000);

  it.skipIf(!hasPython)('accepts it re-saved by openpyxl', async () => {
    const out = path.join(root, 'openpyxl', 'Q4.xlsx');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    runPython(OPENPYXL_RESAVE, [filled.get('Q4')!, out]);
    const r = await one(out);
    expect(r.status, r.reason ?? '').toBe('accepted');
    expect(r.unit).toBe('Q4');
    expect(codes(r)).not.toContain('meta_unsigned');
  });

  it.skipIf(!hasPython).each([
    ['unit_code changed', 'unit-code', [{ op: 'meta', first: 'unit_code', col: 1, value: 'Q3' }, { op: 'meta', first: 'unit_name', col: 1, value: 'Ủy ban nhân dân Quận 3' }]],
    ['a cell address changed', 'dia-chi-o', [{ op: 'meta', first: '1.3.2-a.m.tu', col: 4, value: 'G99' }]],
    ['a map row deleted', 'xoa-dong', [{ op: 'meta_delete', first: '1.3.2-a.m.tu' }]],
  ])('refuses a map edited with openpyxl (%s) with meta_signature, tied to no unit, the accepted figures unchanged', async (_what, name, ops) => {
    const before = acceptedDump(ws.dbPath);
    expect(before).toContain('"unit_code":"Q1"'); // Q1's figures are in force: they are what must not move
    const out = path.join(root, 'sua-meta', `Q1-${name}.xlsx`);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    runPython(OPENPYXL_EDIT, [filled.get('Q1')!, out, JSON.stringify(ops)]);
    const r = await one(out);
    expect(r.status).toBe('rejected');
    expect(codes(r)).toEqual(['meta_signature']);
    expect(r.unit).toBeNull();
    expect(r.reason).toContain('trang ẩn _meta không còn khớp chữ ký của thư mục làm việc này');
    expect(r.reason).toContain(name === 'unit-code' ? 'ghi là biểu mẫu của Q3 năm 2024' : 'ghi là biểu mẫu của Q1 năm 2024');
    expect(r.messages[0].expected).toContain('hoctap generate-templates');
    expect(acceptedDump(ws.dbPath)).toBe(before);
  });

  it('accepts an unsigned template generated since the key was made with the meta_unsigned warning', async () => {
    const q5 = unit('Q5');
    const file = path.join(root, 'chua-ky', 'Q5.xlsx');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, await fillTemplate(await workbookBytes(await buildTemplateWorkbook(ws, q5, 2024)), plausibleValues(ws, q5)));
    const r = await one(file);
    expect(r.status, r.reason ?? '').toBe('accepted');
    const w = r.messages.find((m) => m.code === 'meta_unsigned')!;
    expect(w.severity).toBe('warning');
    expect(w.text).toContain('biểu mẫu không có chữ ký của thư mục làm việc');
  });

  it('accepts an unsigned template generated before the key existed (an older template) without a word', async () => {
    const q6 = unit('Q6');
    const file = path.join(root, 'chua-ky', 'Q6.xlsx');
    const old = await buildTemplateWorkbook(ws, q6, 2024, { generatedAt: new Date('2024-10-01T08:00:00Z') });
    fs.writeFileSync(file, await fillTemplate(await workbookBytes(old), plausibleValues(ws, q6)));
    expect(fs.statSync(path.join(ws.dir, KEY_FILE)).mtime.getTime()).toBeGreaterThan(Date.parse('2024-10-01T08:00:00Z'));
    const r = await one(file);
    expect(r.status, r.reason ?? '').toBe('accepted');
    expect(codes(r)).not.toContain('meta_unsigned');
  });

  it('in a copy of the workspace without its key file: signed files accepted unchecked, said once, no key made', async () => {
    const copy = path.join(root, 'ban-sao');
    fs.cpSync(ws.dir, copy, { recursive: true, filter: (src) => path.basename(src) !== KEY_FILE && !src.includes('hoctap.sqlite') && !src.includes('archive') });
    expect(fs.existsSync(path.join(copy, KEY_FILE))).toBe(false);
    const res = runHoctap(['-w', copy, 'ingest', filled.get('Q1')!, '--received-at', '2024-12-01', '--format', 'json']);
    expect(res.status, res.stderr).toBe(0);
    const json = JSON.parse(res.stdout) as { signaturesUnchecked: number; files: { status: string; messages: { code: string }[] }[] };
    expect(json.signaturesUnchecked).toBe(1);
    expect(json.files[0].status).toBe('accepted');
    expect(json.files[0].messages.map((m) => m.code)).not.toContain('meta_unsigned');
    expect(res.stderr).toContain(`thư mục làm việc không có tệp khóa ký ${KEY_FILE}`);
    expect(res.stderr).toContain('chữ ký trang ẩn _meta của 1 biểu mẫu không được kiểm tra');
    // The same batch in the workspace that has its key says nothing of the kind.
    const own = runHoctap(['-w', ws.dir, 'ingest', filled.get('Q1')!, '--dry-run', '--format', 'json']);
    expect(JSON.parse(own.stdout).signaturesUnchecked).toBe(0);
    expect(own.stderr).not.toContain('khóa ký');
    expect(fs.existsSync(path.join(copy, KEY_FILE))).toBe(false);
  });
});

/**
 * What rebuild must keep: every accepted file, figure, narrative and contact. (The warnings about a signature may differ
 * once the key is another: an unsigned file is then older than the key, and says nothing.)
 */
const figures = (dump: string) => dump.replace(/"warning_count":\d+,/g, '');

describe('rebuild and the signature', () => {
  it.skipIf(!hasPython)('keeps every accepted file when the key was replaced, and refuses the edited map again', async () => {
    const before = acceptedDump(ws.dbPath);
    expect(before).toContain('"unit_code":"Q5"');
    // The key is lost and a new one made (generate-templates on a workspace without its key).
    fs.rmSync(path.join(ws.dir, KEY_FILE));
    workspaceKey(ws.dir);
    // A genuine file of the old key is now refused by ingest: what rebuild must not do to the files accepted then.
    const q3 = await one(filled.get('Q3')!, ws);
    expect(codes(q3)).toEqual(['meta_signature']);
    const r = await rebuildStore(ws);
    expect(r.differences).toEqual([]);
    expect(figures(acceptedDump(ws.dbPath))).toBe(figures(before));
  }, 120_000);

  it.skipIf(!hasPython)('without any key: the accepted files stay; the edited maps, now unverifiable, are named as differences', async () => {
    const before = acceptedDump(ws.dbPath);
    fs.rmSync(path.join(ws.dir, KEY_FILE));
    await expect(rebuildStore(ws)).rejects.toThrow(/Dựng lại cho kết quả khác với nhật ký ở \d+ chỗ/);
    let message = '';
    try {
      await rebuildStore(ws);
    } catch (e) {
      message = (e as Error).message;
    }
    // Only files refused for their signature differ: every accepted file came back accepted.
    expect(message).toMatch(/trước không xác định được đơn vị \(meta_signature\)/);
    expect(message).not.toMatch(/trước được chấp nhận/);
    expect(acceptedDump(ws.dbPath)).toBe(before);
    expect(fs.existsSync(path.join(ws.dir, KEY_FILE))).toBe(false);
  }, 120_000);
});
