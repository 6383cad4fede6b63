/**
 * Hostile bytes: control characters (NUL, ESC and terminal escape sequences, DEL, C1) and bidirectional overrides in
 * what a unit sends. Stored text (values, narratives, contact, notes) loses them, with a warning that says so; no
 * message, JSON field or printed table ever carries one raw: they are shown as "\x1b", "\u202e".
 */
import fs from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace, type Workspace } from '../src/catalog/workspace.ts';
import { ingest } from '../src/ingest/ingest.ts';
import { HOSTILE, inert } from '../src/findings/inert.ts';
import type { FileResult } from '../src/ingest/types.ts';
import { buildTemplateWorkbook } from '../src/templates/generate.ts';
import { acceptedNarratives, contactOf, valuesOfSubmission } from './helpers/sqlite.ts';
import { runHoctap } from './helpers/cli.ts';
import { fillTemplate, plausibleValues } from '../fixtures/fill.ts';
import { tempDir } from './helpers/tools.ts';

const ANY_HOSTILE = new RegExp(HOSTILE.source, 'u');
let root: string;
let ws: Workspace;
beforeAll(() => {
  root = tempDir('hoctap-hostile-');
  ws = openWorkspace(root);
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function expectInert(r: FileResult): void {
  for (const m of r.messages) {
    for (const [k, v] of Object.entries(m)) if (typeof v === 'string') expect(v, `${m.code}.${k}`).not.toMatch(ANY_HOSTILE);
  }
  expect(r.reason ?? '').not.toMatch(ANY_HOSTILE);
  expect(r.file).not.toMatch(ANY_HOSTILE);
}

function withDb<T>(fn: (db: DatabaseSync) => T): T {
  const db = new DatabaseSync(ws.dbPath, { readOnly: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

describe('hoctap ingest: control and bidi characters', () => {
  it('the inert form shows every hostile character and leaves the rest', () => {
    expect(inert('a\x1b[31mb\x00c\x7fd\x85e\u202ef\u2066g\th\ni Tăng')).toBe('a\\x1b[31mb\\x00c\\x7fd\\x85e\\u202ef\\u2066g\th\ni Tăng');
  });

  it('a CSV: stored text without them and a warning per cell; a figure carrying one is refused, shown inert', async () => {
    const file = path.join(root, 'SKHCN-\x1b[2Jxoa-man-hinh.csv');
    fs.writeFileSync(file, [
      'unit_code,year,field_id,value,note',
      'SKHCN,2024,1.2.4-a.m.gt,1200,Quyết toán\u009b 2024',
      'SKHCN,2024,1.2.4-a.m.xh,Tăng,',
      'SKHCN,2024,1.2.4-a.minhchung,"Nguồn\u2066 số liệu\u2069 của Sở",',
      'SKHCN,2024,narrative.chi_dao_huong_dan,"Kế hoạch\x1b[31m đỏ\x1b[0m và \u202eđảo chiều\u202c",',
      'SKHCN,2024,contact.name,"Trần\x00 Văn\x7f Minh\u0085",',
    ].join('\n'));
    const r = (await ingest(ws, [file], { year: 2024 })).files[0];
    expect(r.status).toBe('accepted');
    expectInert(r);
    expect(r.file).toBe('SKHCN-\\x1b[2Jxoa-man-hinh.csv');
    const removed = r.messages.filter((m) => m.code === 'control_chars_removed');
    expect(removed.map((m) => [m.field, m.line])).toEqual([
      ['1.2.4-a.m.gt', 2], ['1.2.4-a.minhchung', 4], ['narrative.chi_dao_huong_dan', 5], ['contact.name', 6],
    ]);
    expect(removed.find((m) => m.field === 'narrative.chi_dao_huong_dan')!.text).toContain('(\\x1b, \\u202e, \\u202c)');
    withDb((db) => {
      const values = new Map(valuesOfSubmission(db, r.submissionId!).map((v) => [v.field_id, v]));
      expect(values.get('1.2.4-a.minhchung')).toMatchObject({ raw: 'Nguồn số liệu của Sở', value_text: 'Nguồn số liệu của Sở' });
      expect(values.get('1.2.4-a.m.gt')!.note).toBe('Quyết toán 2024');
      expect(acceptedNarratives(db, 2024).find((n) => n.section_id === 'chi_dao_huong_dan')!.text).toBe('Kế hoạch[31m đỏ[0m và đảo chiều');
      expect(contactOf(db, r.submissionId!)!.name).toBe('Trần Văn Minh');
    });

    const bad = path.join(root, 'SKHCN-so.csv');
    fs.writeFileSync(bad, ['unit_code,year,field_id,value', 'SKHCN,2024,1.2.4-a.m.gt,12\x1b[0m00', 'SKHCN,2024,9.9\u202e.giaitrinh,x'].join('\n'));
    const rb = (await ingest(ws, [bad], { year: 2024 })).files[0];
    expect(rb.status).toBe('rejected');
    expectInert(rb);
    expect(rb.messages.filter((m) => m.severity === 'error').map((m) => [m.code, m.value])).toEqual([['not_a_number', '12\\x1b[0m00'], ['unknown_field', '9.9\\u202e.giaitrinh']]);
    withDb((db) => {
      const texts = (db.prepare('SELECT text, value_seen, field_id FROM messages').all() as Record<string, string | null>[]).flatMap((m) => Object.values(m));
      for (const t of texts) expect(t ?? '').not.toMatch(ANY_HOSTILE);
    });
  });

  it('a workbook whose cells carry Excel\'s escaped controls (_x001B_) and bidi overrides: stored clean, warned, printed inert', async () => {
    const unit = ws.roster.find((u) => u.code === 'Q1')!;
    const template = Buffer.from(await (await buildTemplateWorkbook(ws, unit, 2024)).xlsx.writeBuffer());
    const file = path.join(root, 'Q1.xlsx');
    fs.writeFileSync(file, await fillTemplate(template, {
      ...plausibleValues(ws, unit),
      'narrative.kho_khan': 'Thiếu kinh phí_x001B_[2J cho trung tâm.',
      'contact.email': 'lan.nt@example.vn\u202e',
    }));
    const r = (await ingest(ws, [file], { year: 2024 })).files[0];
    expect(r.status).toBe('accepted');
    expectInert(r);
    expect(r.messages.filter((m) => m.code === 'control_chars_removed').map((m) => m.field)).toEqual(['narrative.kho_khan', 'contact.email']);
    withDb((db) => {
      expect(acceptedNarratives(db, 2024).find((n) => n.section_id === 'kho_khan')!.text).toBe('Thiếu kinh phí[2J cho trung tâm.');
      expect(contactOf(db, r.submissionId!)!.email).toBe('lan.nt@example.vn');
    });
    // The CLI's table, colours off: not one raw control character reaches the terminal.
    const again = path.join(root, 'in');
    fs.mkdirSync(again);
    fs.copyFileSync(path.join(root, 'SKHCN-so.csv'), path.join(again, 'SKHCN-\x1b]0;tieu-de\x07.csv'));
    const cli = runHoctap(['-w', root, 'ingest', again, '--format', 'table', '--dry-run']);
    expect(cli.status).toBe(1);
    expect(cli.stdout + cli.stderr).toContain('\\x1b]0;tieu-de\\x07');
    expect(cli.stdout + cli.stderr).not.toMatch(ANY_HOSTILE);
  });
});
