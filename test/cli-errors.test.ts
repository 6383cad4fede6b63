/**
 * Library errors as one Vietnamese line (src/errors.ts), from real errors: file-system calls that fail (a tiny tmpfs
 * for ENOSPC, a read-only one for EROFS and EBUSY, a low open-file limit for EMFILE), zod schemas, csv-parse.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvErrorReason, describeError, fsErrorReason, sqliteErrorReason, zodIssueReason } from '../src/errors.ts';
import { runHoctap } from './helpers/cli.ts';
import { tempDir } from './helpers/tools.ts';

/** The error a call throws (the test fails when it does not throw). */
function thrown(fn: () => unknown): NodeJS.ErrnoException {
  try {
    fn();
  } catch (e) {
    return e as NodeJS.ErrnoException;
  }
  throw new Error('the call did not fail');
}

/** Checks a translation: one line, Vietnamese, none of the English of Node's message, names the path when there is one. */
function expectVietnamese(reason: string | null, e: NodeJS.ErrnoException, ...words: string[]): void {
  expect(reason, `${e.code}: ${e.message}`).not.toBeNull();
  expect(reason).not.toContain('\n');
  expect(reason).not.toMatch(/no such file|permission denied|already exists|not permitted|no space|read-only file|resource busy|too many open|not a directory|illegal operation/i);
  expect(reason).not.toContain(e.code!);
  if (e.path) expect(reason).toContain(e.path);
  for (const w of words) expect(reason).toContain(w);
}

let dir: string;
beforeAll(() => { dir = tempDir('hoctap-errors-'); });
afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });

describe('file-system errors, produced by real calls', () => {
  it('EEXIST: mkdir on an existing file', () => {
    const file = path.join(dir, 'bao-cao.xlsx');
    fs.writeFileSync(file, '');
    const e = thrown(() => fs.mkdirSync(file));
    expect(e.code).toBe('EEXIST');
    expectVietnamese(fsErrorReason(e), e, 'đã có rồi');
  });

  it('ENOENT, EISDIR, ENOTDIR', () => {
    const missing = thrown(() => fs.readFileSync(path.join(dir, 'khong-co.csv')));
    expect(missing.code).toBe('ENOENT');
    expectVietnamese(fsErrorReason(missing), missing, 'không tìm thấy', 'kiểm tra lại đường dẫn');
    const isDir = thrown(() => fs.readFileSync(dir));
    expect(isDir.code).toBe('EISDIR');
    expectVietnamese(fsErrorReason(isDir), isDir, 'là một thư mục');
    fs.writeFileSync(path.join(dir, 'tep'), '');
    const notDir = thrown(() => fs.readdirSync(path.join(dir, 'tep')));
    expect(notDir.code).toBe('ENOTDIR');
    expectVietnamese(fsErrorReason(notDir), notDir, 'không phải thư mục');
  });

  it('EACCES: a folder without permission (as root, whom permissions do not stop: a file without execute permission)', () => {
    let e: NodeJS.ErrnoException;
    if (process.getuid?.() === 0) {
      fs.writeFileSync(path.join(dir, 'script.sh'), '', { mode: 0o644 });
      e = thrown(() => fs.accessSync(path.join(dir, 'script.sh'), fs.constants.X_OK));
    } else {
      const locked = path.join(dir, 'khoa');
      fs.mkdirSync(locked, { mode: 0o000 });
      e = thrown(() => fs.writeFileSync(path.join(locked, 'x.xlsx'), ''));
    }
    expect(e.code).toBe('EACCES');
    expectVietnamese(fsErrorReason(e), e, 'không có quyền');
  });

  it('EPERM: a hard link to a folder; the hint about Excel for an office file', () => {
    const e = thrown(() => fs.linkSync(dir, path.join(dir, 'lien-ket')));
    expect(e.code).toBe('EPERM');
    expectVietnamese(fsErrorReason(e), e, 'không có quyền tạo liên kết');
    // On Windows, replacing a workbook Excel holds open fails with EPERM from rename: same reason, with the hint.
    const excel = Object.assign(new Error('EPERM: operation not permitted'), { code: 'EPERM', syscall: 'rename', path: 'C:\\a\\bao-cao-2024.xlsx.tmp', dest: 'C:\\a\\bao-cao-2024.xlsx' });
    expect(fsErrorReason(excel)).toContain('đang mở trong Excel');
  });

  it('ENOSPC: /dev/full', () => {
    const e = thrown(() => fs.writeFileSync('/dev/full', 'x'));
    expect(e.code).toBe('ENOSPC');
    expectVietnamese(fsErrorReason(e), e, 'ổ đĩa đã đầy');
  });

  it('EMFILE: more files open than the limit', () => {
    const script = `
      const fs = require('node:fs');
      const fds = [];
      try { for (;;) fds.push(fs.openSync(process.execPath, 'r')); }
      catch (e) { console.log(JSON.stringify({ code: e.code, syscall: e.syscall, path: e.path, message: e.message })); }`;
    const r = spawnSync('sh', ['-c', `ulimit -n 64 && exec "$0" -e "$1"`, process.execPath, script], { encoding: 'utf8' });
    const fields = JSON.parse(r.stdout) as { code: string; message: string };
    const e = Object.assign(new Error(fields.message), fields) as NodeJS.ErrnoException;
    expect(e.code).toBe('EMFILE');
    expectVietnamese(fsErrorReason(e), e, 'quá nhiều tệp');
  });

  it('EBUSY is about Excel holding the file', () => {
    const e = thrown(() => fs.rmdirSync('/proc'));
    expect(e.code).toBe('EBUSY');
    expectVietnamese(fsErrorReason(e), e, 'Excel');
  });
});

describe('on small and read-only file systems (tmpfs)', () => {
  const mounts: string[] = [];
  /** Mounts a tmpfs; null (with a loud message) where mounting is not allowed. */
  function mount(options: string): string | null {
    const point = fs.mkdtempSync(path.join(dir, 'tmpfs-'));
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', point], { stdio: 'pipe' });
      mounts.push(point);
      return point;
    } catch (e) {
      console.warn(`\n!!! BỎ QUA kiểm thử tmpfs: không gắn (mount) được tmpfs ở máy này (${String((e as Error).message).split('\n')[0]}). !!!\n`);
      return null;
    }
  }
  afterAll(() => { for (const m of mounts.reverse()) spawnSync('umount', [m]); });

  it('ENOSPC on a 64 KB tmpfs; EBUSY removing its mount point', ({ skip }) => {
    const point = mount('size=64k');
    if (!point) return skip();
    const e = thrown(() => fs.writeFileSync(path.join(point, 'bao-cao-2024.pdf'), Buffer.alloc(1024 * 1024)));
    expect(e.code).toBe('ENOSPC');
    expectVietnamese(fsErrorReason(e), e, 'ổ đĩa đã đầy');
    const busy = thrown(() => fs.rmdirSync(point));
    expect(busy.code).toBe('EBUSY');
    expectVietnamese(fsErrorReason(busy), busy, 'đang bị chương trình khác giữ');
  });

  it('EROFS on a read-only tmpfs, and through the CLI: one Vietnamese line, exit code 2', ({ skip }) => {
    const point = mount('ro,size=64k');
    if (!point) return skip();
    const e = thrown(() => fs.mkdirSync(path.join(point, 'hoctap-demo')));
    expect(e.code).toBe('EROFS');
    expectVietnamese(fsErrorReason(e), e, 'ổ chỉ đọc');
    const r = runHoctap(['demo', '--out', path.join(point, 'hoctap-demo')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('nằm trên ổ chỉ đọc');
    expect(r.stderr).not.toMatch(/Lỗi không mong đợi|EROFS|\n\s+at /);
  });
});

describe('through the CLI', () => {
  it('a file system error is one Vietnamese line, not an unexpected error', () => {
    const file = path.join(dir, 'la-tep');
    fs.writeFileSync(file, 'x');
    const r = runHoctap(['demo', '--out', file]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^Lỗi: .*không phải thư mục/);
    expect(r.stderr).not.toMatch(/Lỗi không mong đợi|ENOTDIR|\n\s+at /);
  });

  it('a wrong value in hoctap.config.json reads in Vietnamese (zod\'s own messages too)', () => {
    const ws = path.join(dir, 'ws-config');
    fs.mkdirSync(ws);
    fs.writeFileSync(path.join(ws, 'hoctap.config.json'), JSON.stringify({ deadline: { month: 13, day: 1 }, city: 5 }, null, 2));
    const r = runHoctap(['-w', ws, 'catalog', '--format', 'json']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/hoctap\.config\.json/);
    expect(r.stderr).toMatch(/phải nhiều nhất 12|cần một chuỗi chữ/);
    expect(r.stderr).not.toMatch(/Too big|expected|Invalid input/i);
  });

  it('a roster.csv with an unclosed quote reads in Vietnamese', () => {
    const ws = path.join(dir, 'ws-roster');
    expect(runHoctap(['init', ws]).status).toBe(0);
    fs.appendFileSync(path.join(ws, 'roster.csv'), 'Q99,"Quận chín chín,UBND,\n');
    const r = runHoctap(['-w', ws, 'catalog', '--format', 'json']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('roster.csv');
    expect(r.stderr).toMatch(/dấu nháy kép/);
    expect(r.stderr).not.toMatch(/Quote Not Closed|Invalid|at line/);
  });
});

describe('zod, csv-parse and SQLite errors', () => {
  it('zod issues without a message of their own are Vietnamese; a schema\'s own message stays', () => {
    const schema = z.object({
      name: z.string(), count: z.number().int().min(1).max(12), kind: z.enum(['hcm', 'haiphong']),
      email: z.email(), own: z.string().min(1, { error: 'thiếu tên người ký' }),
    }).strict();
    const r = schema.safeParse({ name: 5, count: 13, kind: 'hanoi', email: 'x', own: '', extra: 1 });
    expect(r.success).toBe(false);
    const messages = r.error!.issues.map((i) => i.message);
    expect(messages).toEqual(expect.arrayContaining([
      'cần một chuỗi chữ trong dấu nháy kép, nhưng có số 5', 'phải nhiều nhất 12', 'phải là một trong "hcm", "haiphong"',
      'không đúng định dạng: cần địa chỉ email', 'thiếu tên người ký', 'khóa không được hỗ trợ: "extra"',
    ]));
    expect(describeError(r.error)).toBe(zodIssueReason(r.error!.issues[0]));
  });

  it('csv-parse errors, with their line', () => {
    const cases: [string, RegExp][] = [
      ['a,b\n1,2,3\n', /số cột ở dòng 2 khác dòng tiêu đề \(có 3 cột, dòng tiêu đề có 2\)/],
      ['a,b\n"1,2\n', /dấu nháy kép \("\) mở ở dòng \d+ mà không đóng/],
      ['a,b\n"1"x,2\n', /sau dấu nháy kép đóng ô ở dòng 2/],
    ];
    for (const [text, expected] of cases) {
      const e = thrown(() => parse(text, { relax_column_count: false }));
      expect(csvErrorReason(e), e.message).toMatch(expected);
      expect(describeError(e)).toMatch(expected);
    }
  });

  it('SQLite: a file that is not a database, a locked database', async () => {
    const { DatabaseSync } = await import('node:sqlite');
    const bad = path.join(dir, 'hoctap.sqlite');
    fs.writeFileSync(bad, 'không phải cơ sở dữ liệu'.repeat(100));
    const e = thrown(() => new DatabaseSync(bad).prepare('SELECT 1').get());
    expect(sqliteErrorReason(e)).toContain('bị hỏng hoặc không phải cơ sở dữ liệu');
    const dbFile = path.join(dir, 'locked.sqlite');
    const a = new DatabaseSync(dbFile);
    const b = new DatabaseSync(dbFile, { timeout: 0 });
    try {
      a.exec('CREATE TABLE t (x); BEGIN EXCLUSIVE; INSERT INTO t VALUES (1);');
      const locked = thrown(() => b.exec('INSERT INTO t VALUES (2)'));
      expect(sqliteErrorReason(locked)).toContain('đang được một lệnh hoctap khác dùng');
    } finally {
      a.close();
      b.close();
    }
  });

  it('anything else is not a known error (the CLI then reports a bug)', () => {
    expect(describeError(new TypeError('x is undefined'))).toBeNull();
    expect(describeError('chuỗi')).toBeNull();
  });
});
