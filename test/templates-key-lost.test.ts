/**
 * Issue 16: generate-templates on a workspace that has a store but lost its signing key makes a new key, and says that
 * the templates sent earlier will now be refused (meta_signature) and how to avoid it. A workspace with its key, or a
 * new one without a store, hears nothing of it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY_FILE } from '../src/xlsx/signature.ts';
import { runHoctap } from './helpers/cli.ts';
import { tempDir } from './helpers/tools.ts';

let root: string;
let ws: string;
const generate = (unit: string) => runHoctap(['-w', ws, 'generate-templates', '--year', '2024', '--unit', unit, '--force', '--out', path.join(root, 'out')]);
const WARNING = /chưa có khóa ký \.hoctap-key nên hoctap đã tạo khóa mới.*meta_signature/;

beforeAll(() => {
  root = tempDir('hoctap-key-lost-');
  ws = path.join(root, 'ws');
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('generate-templates and a lost key', () => {
  it('a new workspace without a store makes its key silently', () => {
    const r = generate('Q1');
    expect(r.status, r.stderr).toBe(0);
    expect(fs.existsSync(path.join(ws, KEY_FILE))).toBe(true);
    expect(r.stderr).not.toMatch(WARNING);
  });

  it('a workspace with a store and its key says nothing; without its key it warns once the new key is made', () => {
    // A store: one CSV ingested (ingest makes the database; the CSV needs no key).
    const csv = path.join(root, 'q1.csv');
    fs.writeFileSync(csv, 'unit_code,year,field_id,value\nQ1,2024,1.1.1-a,12\n');
    runHoctap(['-w', ws, 'ingest', csv, '--year', '2024', '--received-at', '01/12/2024']);
    expect(fs.existsSync(path.join(ws, 'hoctap.sqlite'))).toBe(true);
    const withKey = generate('Q1');
    expect(withKey.status, withKey.stderr).toBe(0);
    expect(withKey.stderr).not.toMatch(WARNING);

    fs.rmSync(path.join(ws, KEY_FILE));
    const lost = generate('Q1');
    expect(lost.status, lost.stderr).toBe(0);
    expect(lost.stderr).toMatch(WARNING);
    expect(fs.existsSync(path.join(ws, KEY_FILE))).toBe(true);
  }, 120_000);
});
