/**
 * A PostgreSQL server that asks for a password when none is given (no PGPASSWORD, no ~/.pgpass, never in the URL):
 * at a terminal hoctap asks for it without echoing it; without a terminal (a script, a scheduled task) it says in
 * one Vietnamese line where to put it. A line of ~/.pgpass is used as pg used it before; a trusted login is never asked.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runHoctap } from './helpers/cli.ts';
import { havePostgres, itSqlFromDocs, startPostgres, type PgCluster } from './helpers/pg.ts';
import { tempDir } from './helpers/tools.ts';

const pgHere = havePostgres();
const PASSWORD = 'doi-mat-khau-minh';
/** util-linux `script`: a pseudo-terminal to type the password in. */
const haveScript = spawnSync('script', ['--version']).status === 0;

describe.runIf(pgHere)('the PostgreSQL password, when the server asks for it', () => {
  let pg: PgCluster;
  let root: string;
  let home: string;
  let ws: string;
  /** No password anywhere: an empty home (no ~/.pgpass), no PGPASSWORD (unset: set even empty, pg skips ~/.pgpass). */
  const bare = () => ({ HOME: home, PGPASSWORD: undefined, PGPASSFILE: undefined, APPDATA: home });

  beforeAll(() => {
    pg = startPostgres();
    root = tempDir('hoctap-pg-password-');
    home = path.join(root, 'home');
    fs.mkdirSync(home);
    ws = path.join(root, 'minh');
    pg.psql(itSqlFromDocs());
    // The owner's login is trusted here (the cluster's superuser): no password asked for the schema.
    const owner = runHoctap(['init', path.join(root, 'it'), '--database', pg.url('postgres', 'hoctap')], { env: bare() });
    expect(owner.status, owner.stderr).toBe(0);
    const init = runHoctap(['init', ws, '--database', pg.url('minh', 'hoctap')], { env: { ...bare(), PGPASSWORD: PASSWORD } });
    expect(init.status, init.stderr).toBe(0);
  });
  afterAll(() => {
    pg?.stop();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('without a terminal: one line says where to put it, and nothing else', () => {
    const r = runHoctap(['-w', ws, 'status', '--year', '2024'], { env: bare() });
    expect(r.status).toBe(2);
    const lines = r.stderr.trim().split('\n').filter((l) => !l.startsWith('Thư mục làm việc'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/cần mật khẩu của tên đăng nhập minh .*PGPASSWORD.*~\/\.pgpass/);
  });

  it('a line of ~/.pgpass is used', () => {
    fs.writeFileSync(path.join(home, '.pgpass'), `*:*:hoctap:minh:${PASSWORD}\n`, { mode: 0o600 });
    try {
      const r = runHoctap(['-w', ws, 'status', '--year', '2024'], { env: bare() });
      expect(r.status, r.stderr).toBe(0);
    } finally {
      fs.rmSync(path.join(home, '.pgpass'));
    }
  });

  it.runIf(haveScript)('at a terminal: asked once, not echoed; a wrong one is refused as a wrong login', async () => {
    const good = await atTerminal(['-w', ws, 'status', '--year', '2024'], PASSWORD, bare());
    expect(good.output).toMatch(/Mật khẩu PostgreSQL của minh/);
    expect(good.output.match(/Mật khẩu PostgreSQL/g)).toHaveLength(1);
    expect(good.output).toMatch(/Tình hình nộp biểu mẫu năm 2024/);
    expect(good.output).not.toContain(PASSWORD);
    expect(good.code).toBe(0);
    const bad = await atTerminal(['-w', ws, 'status', '--year', '2024'], 'sai-mat-khau', bare());
    expect(bad.output).toMatch(/từ chối đăng nhập/);
    expect(bad.output).not.toContain('sai-mat-khau');
    expect(bad.code).toBe(2);
  }, 60_000);
});

/** Runs hoctap in a pseudo-terminal (util-linux `script`), types `answer` once the password is asked. */
function atTerminal(args: string[], answer: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  const command = [process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    env: { ...process.env, HOCTAP_WORKSPACE: '', FORCE_COLOR: '0', NO_COLOR: '1', COLUMNS: '200', ...env },
  });
  let output = '';
  let typed = false;
  child.stdout.on('data', (d: Buffer) => {
    output += d.toString();
    if (!typed && output.includes('Mật khẩu PostgreSQL')) {
      typed = true;
      child.stdin.write(`${answer}\r`);
    }
  });
  const timer = setTimeout(() => child.kill(), 45_000);
  return new Promise((resolve) => child.on('close', (code) => {
    clearTimeout(timer);
    resolve({ code, output });
  }));
}
