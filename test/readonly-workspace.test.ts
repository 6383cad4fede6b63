/**
 * Issue 12: a workspace on a read-only disk (a real read-only mount: the tests run as root, so chmod would not stop a
 * write) can still be read by status, score, history and report (-o a writable folder); what would write (ingest, a
 * report into the workspace) says so in one Vietnamese line, exit 2, and leaves every byte as it was.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace } from '../src/catalog/workspace.ts';
import { ingest } from '../src/ingest/ingest.ts';
import { runHoctap } from './helpers/cli.ts';
import { smallCsv } from './helpers/csv.ts';
import { tempDir } from './helpers/tools.ts';

let root: string;
/** The read-only mount holding the workspace (null where this machine does not allow mounting). */
let point: string | null = null;
let wsDir: string;
let inbox: string;

/** Every file under the mount with its bytes' hash: what must not change. */
function snapshot(dir: string): string {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .map((d) => path.join(d.parentPath, d.name))
    .sort()
    .map((f) => `${path.relative(dir, f)} ${fs.statSync(f).isFile() ? crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex') : 'dir'}`)
    .join('\n');
}

beforeAll(async () => {
  root = tempDir('hoctap-readonly-');
  const mnt = path.join(root, 'o-chi-doc');
  fs.mkdirSync(mnt);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64m', 'tmpfs', mnt], { stdio: 'pipe' });
    point = mnt;
  } catch (e) {
    console.warn(`\n!!! BỎ QUA kiểm thử thư mục làm việc chỉ đọc: không gắn (mount) được tmpfs ở máy này (${String((e as Error).message).split('\n')[0]}). !!!\n`);
    return;
  }
  wsDir = path.join(mnt, 'hoctap-2024');
  const ws = openWorkspace(wsDir);
  inbox = path.join(root, 'inbox');
  fs.mkdirSync(inbox);
  for (const code of ['Q1', 'Q3', 'SGDDT']) fs.writeFileSync(path.join(inbox, `${code}.csv`), smallCsv(ws, ws.roster.find((u) => u.code === code)!, 2024));
  const r = await ingest(ws, [inbox], { receivedAt: new Date('2024-12-01T03:00:00Z') });
  expect(r.files.map((f) => f.status)).toEqual(['accepted', 'accepted', 'accepted']);
  fs.writeFileSync(path.join(inbox, 'Q4.csv'), smallCsv(ws, ws.roster.find((u) => u.code === 'Q4')!, 2024));
  execFileSync('mount', ['-o', 'remount,ro', mnt], { stdio: 'pipe' });
}, 120_000);

afterAll(() => {
  if (point) spawnSync('umount', [point]);
  fs.rmSync(root, { recursive: true, force: true });
});

/** One error line (notices such as the missing signer's name may come before it), no stack, no English. */
const oneVietnameseLine = (stderr: string) => {
  expect(stderr.split('\n').filter((l) => l.startsWith('Lỗi: '))).toHaveLength(1);
  expect(stderr).not.toMatch(/Lỗi không mong đợi|EROFS|read-only file system|readonly database|\n\s+at /i);
};

describe('a workspace on a read-only disk', () => {
  it('is really read-only (a write fails with EROFS, even as root)', ({ skip }) => {
    if (!point) return skip();
    expect(() => fs.writeFileSync(path.join(wsDir, 'thu.txt'), 'x')).toThrow(/EROFS/);
    expect(fs.existsSync(path.join(wsDir, 'hoctap.sqlite'))).toBe(true);
    expect(fs.existsSync(path.join(wsDir, 'hoctap.sqlite-shm'))).toBe(false);
  });

  it('status, score and history read it', ({ skip }) => {
    if (!point) return skip();
    const before = snapshot(point);
    const status = runHoctap(['-w', wsDir, 'status', '--year', '2024', '--format', 'json']);
    expect(status.status, status.stderr).toBe(0);
    const units = (JSON.parse(status.stdout) as { units: { unitCode: string; state: string }[] }).units;
    expect(units.filter((u) => u.state === 'on_time').map((u) => u.unitCode).sort()).toEqual(['Q1', 'Q3', 'SGDDT']);
    const score = runHoctap(['-w', wsDir, 'score', '--year', '2024', '--format', 'json']);
    expect(score.status, score.stderr).toBe(0);
    expect(JSON.parse(score.stdout).year).toBe(2024);
    const history = runHoctap(['-w', wsDir, 'history', '--format', 'json']);
    expect(history.status, history.stderr).toBe(0);
    expect(history.stdout).toContain('Q3.csv');
    expect(snapshot(point)).toBe(before);
  }, 120_000);

  it('report writes into a writable folder given with -o; into the workspace: one Vietnamese line, exit 2', ({ skip }) => {
    if (!point) return skip();
    const before = snapshot(point);
    const out = path.join(root, 'bao-cao');
    const ok = runHoctap(['-w', wsDir, 'report', '--year', '2024', '--format', 'html,xlsx', '--out', out]);
    expect(ok.status, ok.stderr).toBe(0);
    expect(fs.readFileSync(path.join(out, 'bao-cao-2024.html'), 'utf8')).toContain('Phụ lục II');
    expect(fs.existsSync(path.join(out, 'bao-cao-2024.xlsx'))).toBe(true);
    const refused = runHoctap(['-w', wsDir, 'report', '--year', '2024', '--format', 'html']);
    expect(refused.status).toBe(2);
    oneVietnameseLine(refused.stderr);
    expect(refused.stderr).toContain('ổ chỉ đọc');
    expect(snapshot(point)).toBe(before);
  }, 120_000);

  it('ingest: one Vietnamese line, exit 2, nothing written', ({ skip }) => {
    if (!point) return skip();
    const before = snapshot(point);
    const r = runHoctap(['-w', wsDir, 'ingest', path.join(inbox, 'Q4.csv'), '--received-at', '2024-12-02']);
    expect(r.status).toBe(2);
    oneVietnameseLine(r.stderr);
    expect(r.stderr).toContain('chỉ đọc');
    expect(r.stdout).toBe('');
    expect(snapshot(point)).toBe(before);
  });
});
