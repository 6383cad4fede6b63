/**
 * Issue 12: a resubmission's summary names what it changes. A change of an activity figure (no indicator's field:
 * asked on the BaoCao sheet) is named by its sheet, not by an empty indicator id.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace } from '../src/catalog/workspace.ts';
import { generateTemplates } from '../src/templates/generate.ts';
import { fillTemplate, plausibleValues } from '../fixtures/fill.ts';
import { runHoctap } from './helpers/cli.ts';
import { tempDir } from './helpers/tools.ts';

let root: string;
let wsDir: string;
const FIGURE = 'narrative.tuan_le.luot';

beforeAll(async () => {
  root = tempDir('hoctap-resub-sheet-');
  wsDir = path.join(root, 'ws');
  const ws = openWorkspace(wsDir);
  const [t] = await generateTemplates(ws, { year: 2024, outDir: path.join(root, 'bieu-mau'), units: ['Q1'] });
  const values = plausibleValues(ws, t.unit);
  expect(values[FIGURE]).toBeTypeOf('number');
  const template = fs.readFileSync(t.file);
  fs.writeFileSync(path.join(root, 'lan1.xlsx'), await fillTemplate(template, values));
  fs.writeFileSync(path.join(root, 'lan2.xlsx'), await fillTemplate(template, { ...values, [FIGURE]: (values[FIGURE] as number) + 7 }));
}, 120_000);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('a resubmission that changes only an activity figure', () => {
  it('is summarised as a change in the report sheet, with no empty indicator id', () => {
    const first = runHoctap(['-w', wsDir, 'ingest', path.join(root, 'lan1.xlsx'), '--year', '2024', '--received-at', '01/12/2024']);
    expect(first.status, first.stdout + first.stderr).toBe(0);
    const second = runHoctap(['-w', wsDir, 'ingest', path.join(root, 'lan2.xlsx'), '--year', '2024', '--received-at', '02/12/2024', '--dry-run']);
    expect(second.status, second.stdout + second.stderr).toBe(0);
    expect(second.stdout).toMatch(/0 số liệu thêm, 1 sửa, 0 bỏ \(chỉ số phần nội dung báo cáo \(trang BaoCao\)\)/);
    expect(second.stdout).not.toMatch(/\(chỉ số \)/);
  }, 120_000);
});
