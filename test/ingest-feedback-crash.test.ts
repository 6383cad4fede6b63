/**
 * Issue 12: no feedback copy without its history row. `hoctap ingest` is killed (SIGKILL) right after a feedback copy
 * is written but before its batch commits, and right after the commit but before the copies are shown. Either way no
 * copy is visible for a file the store does not have, and the next run leaves every stored file with its copy and no
 * temporary file behind (in feedback/ nor in archive/).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace, type Workspace } from '../src/catalog/workspace.ts';
import { ingest } from '../src/ingest/ingest.ts';
import { smallCsv } from './helpers/csv.ts';
import { tempDir } from './helpers/tools.ts';

const KILLER = path.resolve(import.meta.dirname, 'helpers/ingest-step-kill.ts');
let root: string;
let inbox: string;
/** File name → sha256 of the three CSV files (each has figures left out: a warning, so a feedback copy). */
const shaOf = new Map<string, string>();

beforeAll(() => {
  root = tempDir('hoctap-feedback-crash-');
  inbox = path.join(root, 'inbox');
  fs.mkdirSync(inbox);
  const ws = openWorkspace(path.join(root, 'mau'));
  for (const code of ['Q1', 'Q3', 'SGDDT']) {
    const text = smallCsv(ws, ws.roster.find((u) => u.code === code)!, 2024);
    fs.writeFileSync(path.join(inbox, `${code}.csv`), text);
    shaOf.set(`${code}.csv`, crypto.createHash('sha256').update(text).digest('hex'));
  }
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => path.join(d.parentPath, d.name));
}

/** What a user sees: the feedback copies shown (by the file they are about), the temporaries, the stored files. */
function state(ws: Workspace) {
  const all = filesUnder(path.join(ws.dir, 'feedback'));
  const shown = all.filter((f) => !path.basename(f).startsWith('.')).map((f) => path.basename(f).replace('.kiem-tra', ''));
  const temporaries = [...all.filter((f) => path.basename(f).startsWith('.')), ...filesUnder(ws.archiveDir).filter((f) => f.endsWith('.tmp'))];
  let stored: string[] = [];
  if (fs.existsSync(ws.dbPath)) {
    const db = new DatabaseSync(ws.dbPath, { readOnly: true });
    const shas = new Set((db.prepare('SELECT sha256 FROM submissions').all() as { sha256: string }[]).map((r) => r.sha256));
    db.close();
    stored = [...shaOf].filter(([, sha]) => shas.has(sha)).map(([name]) => name);
  }
  return { shown: shown.sort(), temporaries, stored: stored.sort() };
}

function killAt(step: 'feedback' | 'commit'): Workspace {
  const ws = openWorkspace(path.join(root, `ws-${step}`));
  const r = spawnSync(process.execPath, [KILLER, ws.dir, inbox, step], { encoding: 'utf8', timeout: 120_000 });
  expect(r.signal, r.stderr).toBe('SIGKILL');
  return ws;
}

describe('ingest killed between the store and the feedback copies', () => {
  it('killed once a copy is written, before the commit: no row, no copy shown; the next run stores and shows all', async () => {
    const ws = killAt('feedback');
    const after = state(ws);
    expect(after.stored).toEqual([]);
    expect(after.shown).toEqual([]);
    // The copy was written (a temporary is there): had it been written under its own name, it would be shown above.
    expect(after.temporaries.some((f) => /\.Q1\.kiem-tra\.csv\.[0-9a-f]{64}\.\d+\.tmp$/.test(f))).toBe(true);

    const again = await ingest(ws, [inbox], { receivedAt: new Date('2024-12-01T03:00:00Z') });
    expect(again.files.map((f) => f.status)).toEqual(['accepted', 'accepted', 'accepted']);
    const end = state(ws);
    expect(end.stored).toEqual(['Q1.csv', 'Q3.csv', 'SGDDT.csv']);
    expect(end.shown).toEqual(['Q1.csv', 'Q3.csv', 'SGDDT.csv']);
    expect(end.temporaries).toEqual([]);
  }, 180_000);

  it('killed after a commit, before its copies are shown: the next run shows the copies of the stored files', async () => {
    const ws = killAt('commit');
    const after = state(ws);
    // How many files the first commit holds depends on the batch's size and age; every one of them is stored, none shown.
    expect(after.stored.length).toBeGreaterThan(0);
    expect(after.shown).toEqual([]);
    expect(after.temporaries).toHaveLength(after.stored.length);

    // The same batch again: the stored files are duplicates (no new copy), and the copies left hidden are shown.
    const again = await ingest(ws, [inbox], { receivedAt: new Date('2024-12-01T03:00:00Z') });
    expect(again.files.map((f) => [path.basename(f.path), f.status])).toEqual(
      ['Q1.csv', 'Q3.csv', 'SGDDT.csv'].map((name) => [name, after.stored.includes(name) ? 'duplicate' : 'accepted']),
    );
    const end = state(ws);
    expect(end.shown).toEqual(['Q1.csv', 'Q3.csv', 'SGDDT.csv']);
    expect(end.temporaries).toEqual([]);
    const copy = filesUnder(path.join(ws.dir, 'feedback')).find((f) => path.basename(f) === 'Q1.kiem-tra.csv')!;
    expect(fs.readFileSync(copy, 'utf8')).toContain('kiem_tra_noi_dung');
  }, 180_000);
});
