/**
 * A blank template sent back (as generated, with only the contact or evidence filled, or opened and re-saved untouched
 * by LibreOffice) holds no figure: it is refused with its own reason, and nothing of it counts as accepted.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace, type Workspace } from '../src/catalog/workspace.ts';
import { ingest } from '../src/ingest/ingest.ts';
import type { BatchResult, FileResult } from '../src/ingest/types.ts';
import { acceptedValues, history } from './helpers/sqlite.ts';
import { runHoctap } from './helpers/cli.ts';
import { fillTemplate } from '../fixtures/fill.ts';
import { libreOfficeResave, needTool, tempDir } from './helpers/tools.ts';

const hasSoffice = needTool('soffice');
let root: string;
let ws: Workspace;
let result: BatchResult;
const file = (name: string): FileResult => result.files.find((f) => f.file === name)!;

beforeAll(async () => {
  root = tempDir('hoctap-blank-');
  const gen = runHoctap(['-w', root, 'generate-templates', '--year', '2024', '--unit', 'Q1,SGDDT,SKHCN,Q3']);
  expect(gen.status, gen.stderr).toBe(0);
  ws = openWorkspace(root);
  const templates = path.join(root, 'templates', '2024');
  const template = (code: string) => path.join(templates, fs.readdirSync(templates).find((f) => f.startsWith(`2024_${code}_`))!);
  const inbox = path.join(root, 'inbox');
  fs.mkdirSync(inbox);
  fs.copyFileSync(template('Q1'), path.join(inbox, 'trang-Q1.xlsx'));
  fs.writeFileSync(path.join(inbox, 'chi-nguoi-lap-SGDDT.xlsx'), await fillTemplate(fs.readFileSync(template('SGDDT')), {
    'contact.name': 'Nguyễn Thị Lan', 'contact.phone': '0283 822 1234', '1.1.1-a.minhchung': 'Sẽ gửi sau', 'narrative.chi_dao_huong_dan': 'Đã ban hành kế hoạch.',
    // The activity figures beside the narratives are not an indicator's figures: still a blank template.
    'narrative.tuan_le.hoatdong': 12, 'narrative.tuan_le.luot': 1500,
  }));
  fs.writeFileSync(path.join(inbox, 'mot-so-Q3.xlsx'), await fillTemplate(fs.readFileSync(template('Q3')), { '1.1.2-a.m.tu': 700 }));
  fs.writeFileSync(path.join(root, 'chi-noi-dung-Q1.csv'), [
    'unit_code,year,field_id,value', 'Q1,2024,narrative.chi_dao_huong_dan,Đã ban hành kế hoạch.', 'Q1,2024,contact.name,Trần Văn Minh', '',
  ].join('\n'));
  if (hasSoffice) fs.copyFileSync(libreOfficeResave([template('SKHCN')], path.join(root, 'lo'))[0], path.join(inbox, 'lo-trang-SKHCN.xlsx'));
  result = await ingest(ws, [inbox], { year: 2024, now: new Date('2024-12-12T03:00:00Z') });
  // Q1 sends a CSV as well: in a batch of its own (one file per unit and batch).
  const csv = await ingest(ws, [path.join(root, 'chi-noi-dung-Q1.csv')], { year: 2024, now: new Date('2024-12-12T03:00:00Z') });
  result.files.push(...csv.files);
}, 300_000);

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

describe('hoctap ingest: a template that holds no figure', () => {
  it.each(['trang-Q1.xlsx', 'chi-nguoi-lap-SGDDT.xlsx', 'chi-noi-dung-Q1.csv'])('%s is refused: "biểu mẫu chưa điền số liệu", not a submission with every figure missing', (name) => {
    const r = file(name);
    expect(r.status).toBe('rejected');
    expect(r.messages.filter((m) => m.severity === 'error').map((m) => m.code)).toEqual(['no_figures']);
    expect(r.messages.map((m) => m.code)).not.toContain('missing_values');
    expect(r.reason).toContain(name.endsWith('.csv') ? 'tệp CSV chưa có số liệu' : 'biểu mẫu chưa điền số liệu');
  });

  it.skipIf(!hasSoffice)('an untouched template re-saved by LibreOffice is refused the same way', () => {
    const r = file('lo-trang-SKHCN.xlsx');
    expect(r.status).toBe('rejected');
    expect(r.messages.filter((m) => m.severity === 'error').map((m) => m.code)).toEqual(['no_figures']);
    expect(r.reason).toContain('biểu mẫu chưa điền số liệu');
  });

  it('one figure is enough to be a submission; the blank files changed no accepted figure', () => {
    expect(file('mot-so-Q3.xlsx').status).toBe('accepted');
    const db = new DatabaseSync(ws.dbPath, { readOnly: true });
    try {
      expect([...new Set(acceptedValues(db, 2024).map((v) => v.unit_code))]).toEqual(['Q3']);
      expect(history(db, 'SGDDT', 2024).map((s) => s.status)).toEqual(['rejected']);
    } finally {
      db.close();
    }
  });
});
