/**
 * `hoctap rebuild` recreates the database from the archive and the journal alone: after resubmissions, a rejected
 * file, a file that names no unit, a held file that is confirmed later and restores, everything status, score,
 * history (and so report) read is the same as before.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace, type Workspace } from '../src/catalog/workspace.ts';
import { ingest } from '../src/ingest/ingest.ts';
import { openSqlite } from './helpers/sqlite.ts';
import { runHoctap } from './helpers/cli.ts';
import { smallCsv } from './helpers/csv.ts';
import { tempDir } from './helpers/tools.ts';

let root: string;
let ws: Workspace;

beforeAll(() => {
  root = tempDir('hoctap-rebuild-');
  fs.mkdirSync(path.join(root, 'ws'));
  ws = openWorkspace(path.join(root, 'ws'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const unit = (code: string) => ws.roster.find((u) => u.code === code)!;

function write(dir: string, name: string, text: string): string {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, name), text);
  return path.join(dir, name);
}

function hoctap(...args: string[]) {
  const r = runHoctap(['-w', ws.dir, ...args]);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Everything the analyst's reading commands print, as JSON (the score without its generation time); or the history only. */
function snapshot(full = true): Record<string, unknown> {
  const read = (...args: string[]) => {
    const r = hoctap(...args, '--format', 'json');
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as Record<string, unknown>;
  };
  const score = (year: number) => {
    const s = read('score', '--year', String(year));
    delete s.generatedAt;
    return s;
  };
  if (!full) return { history: read('history') };
  return {
    status: read('status', '--year', '2024'), score: score(2024), history: read('history'),
  };
}

// Each test runs the CLI a dozen times: slow on a busy machine.
const SLOW = 300_000;

describe('hoctap rebuild', () => {
  let before: Record<string, unknown>;

  it('a store that went through resubmissions, a held file, a confirmation and restores', async () => {
    const inbox = path.join(root, 'dot-1');
    write(inbox, 'Q1-2024.csv', smallCsv(ws, unit('Q1'), 2024, { seed: 1 }));
    write(inbox, 'Q3-2024.csv', smallCsv(ws, unit('Q3'), 2024, { seed: 1 }));
    write(inbox, 'Q1-2023.csv', smallCsv(ws, unit('Q1'), 2023, { seed: 1 }));
    write(inbox, 'Q4-2024.csv', smallCsv(ws, unit('Q4'), 2024).replace(/\n(Q4,2024,[^,]+\.m\.[^,]+),[^\n]*/, '\n$1,không rõ'));
    write(inbox, 'ban-scan.csv', 'đây không phải biểu mẫu\n');
    expect(hoctap('ingest', inbox, '--received-at', '2024-11-01', '--format', 'json').code).toBe(1);
    const second = path.join(root, 'dot-2');
    write(second, 'Q1-2024-sua.csv', smallCsv(ws, unit('Q1'), 2024, { seed: 2 }));
    write(second, 'Q3-2024-sua.csv', smallCsv(ws, unit('Q3'), 2024, { seed: 2 }));
    expect(hoctap('ingest', second, '--received-at', '2024-11-20', '--format', 'json').code).toBe(0);
    // A third file of Q1, held (ingest will decide that itself later; here it is asked to).
    const third = write(path.join(root, 'dot-3'), 'Q1-2024-lan-3.csv', smallCsv(ws, unit('Q1'), 2024, { seed: 3 }));
    const held = (await ingest(ws, [third], { receivedAt: new Date('2024-12-02T00:00:00Z'), hold: true })).files[0];
    expect(held.status).toBe('accepted');

    const h = JSON.parse(hoctap('history', '--unit', 'Q1', '--year', '2024', '--format', 'json').stdout);
    const id = (file: string) => h.submissions.find((s: { file: string }) => s.file === file).id as number;
    expect(h.submissions.map((s: { file: string; status: string }) => [s.file, s.status])).toEqual([
      ['Q1-2024.csv', 'superseded'], ['Q1-2024-sua.csv', 'accepted'], ['Q1-2024-lan-3.csv', 'held'],
    ]);
    // Back to the first file, then the held one confirmed; Q3 back to its first file.
    const restored = hoctap('restore', String(id('Q1-2024.csv')), '--format', 'table');
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toContain(`Đã đưa lần nhập #${id('Q1-2024.csv')} (tệp Q1-2024.csv, nhận ngày 01/11/2024) vào dùng cho đơn vị Q1 năm 2024.`);
    const store = openSqlite(ws.dbPath);
    try {
      expect(await store.putInForce(id('Q1-2024-lan-3.csv'), 'confirmation', 'lan.nt', new Date('2024-12-03T02:00:00Z'))).toMatchObject({ changed: true });
    } finally {
      await store.close();
    }
    const q3 = JSON.parse(hoctap('history', '--unit', 'Q3', '--format', 'json').stdout).submissions[0].id;
    expect(hoctap('restore', String(q3), '--format', 'json').code).toBe(0);

    before = snapshot();
    const events = (before.history as { events: { reason: string; user: string | null; unit: string }[] }).events;
    expect(events.map((e) => [e.unit, e.reason])).toEqual([
      ['Q1', 'file'], ['Q1', 'file'], ['Q3', 'file'], ['Q1', 'file'], ['Q3', 'file'], ['Q1', 'restore'], ['Q1', 'confirmation'], ['Q3', 'restore'],
    ]);
    expect(events[6].user).toBe('lan.nt');
    expect((before.history as { unattributed: unknown[] }).unattributed).toHaveLength(1);

    const r = hoctap('rebuild', '--format', 'json');
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result).toMatchObject({ submissions: 7, unattributed: 1, changes: 3, differences: [] });
    expect(snapshot()).toEqual(before);
    // The old database is kept beside, whole.
    const old = new DatabaseSync(result.backup, { readOnly: true });
    try {
      expect(old.prepare('SELECT count(*) AS n FROM submissions').get()).toEqual({ n: 7 });
    } finally {
      old.close();
    }
    // The rebuilt store goes on as before: a new file supersedes the confirmed one.
    const fourth = write(path.join(root, 'dot-4'), 'Q1-2024-lan-4.csv', smallCsv(ws, unit('Q1'), 2024, { seed: 4 }));
    const next = JSON.parse(hoctap('ingest', fourth, '--format', 'json').stdout).files[0];
    expect(next).toMatchObject({ status: 'accepted', submissionId: 8, supersedes: { submissionId: id('Q1-2024-lan-3.csv') } });
    before = snapshot();
  }, SLOW);

  it('a deleted database: reading says to rebuild (exit 2), and rebuild brings everything back', () => {
    fs.rmSync(ws.dbPath);
    const status = hoctap('status', '--year', '2024');
    expect(status.code).toBe(2);
    expect(status.stderr).toContain('hoctap rebuild');
    expect(status.stderr.trim().split('\n')).toHaveLength(1);
    const r = hoctap('rebuild', '--format', 'table');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Trước đó không có cơ sở dữ liệu.');
    expect(snapshot()).toEqual(before);
  }, SLOW);

  it('restore refuses an unknown or a rejected submission with a clear reason (exit 2)', () => {
    const unknown = hoctap('restore', '999');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Không có lần nhập #999');
    const rejected = JSON.parse(hoctap('history', '--unit', 'Q4', '--format', 'json').stdout).submissions[0];
    expect(rejected.status).toBe('rejected');
    const r = hoctap('restore', String(rejected.id));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`Lần nhập #${rejected.id} (tệp Q4-2024.csv, đơn vị Q4, năm 2024) đã bị từ chối`);
    expect(hoctap('restore', 'ba').code).toBe(2);
    expect(r.stderr).not.toMatch(/Lỗi không mong đợi/);
    // Nothing changed.
    expect(snapshot(false)).toEqual({ history: before.history });
  }, SLOW);

  it('an archived file that changed since: refused, the database left as it is; --force goes on without it', () => {
    const h = JSON.parse(hoctap('history', '--unit', 'Q4', '--format', 'json').stdout);
    const archived = path.join(ws.dir, h.submissions[0].archive);
    const bytes = fs.readFileSync(archived);
    const dbBytes = fs.readFileSync(ws.dbPath);
    fs.writeFileSync(archived, Buffer.concat([bytes, Buffer.from('Q4,2024,1.1.2-a.m.tu,5\n')]));
    try {
      const r = hoctap('rebuild');
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('Q4-2024.csv');
      expect(r.stderr).toContain('đã bị thay đổi');
      expect(r.stderr).toContain('--force');
      expect(fs.readFileSync(ws.dbPath).equals(dbBytes)).toBe(true);
      expect(fs.readdirSync(ws.dir).filter((f) => f.includes('.rebuild-'))).toEqual([]);
      const forced = hoctap('rebuild', '--force', '--format', 'json');
      expect(forced.code, forced.stderr).toBe(0);
      expect(JSON.parse(forced.stdout).differences).toEqual([expect.stringContaining('Q4-2024.csv')]);
      // Rebuilt without that file: Q4 has no submission now.
      expect(JSON.parse(hoctap('history', '--unit', 'Q4', '--format', 'json').stdout).submissions).toEqual([]);
    } finally {
      fs.writeFileSync(archived, bytes);
    }
    // The journal still lists it: once its bytes are back, a rebuild has it again.
    expect(hoctap('rebuild').code).toBe(0);
    expect(snapshot(false)).toEqual({ history: before.history });
  }, SLOW);
});
