/** Hints that work as printed: how hoctap is called here, quoted paths, and the demo's hints run as printed. */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { hoctapCommand, hoctapHint, PROJECT_ROOT, quotePath, userPath, type Invocation } from '../src/cli/invocation.ts';
import { runHoctap } from './helpers/cli.ts';
import { tempDir } from './helpers/tools.ts';

const BIN = path.join(PROJECT_ROOT, 'bin', 'hoctap.js');
const posix = (env: NodeJS.ProcessEnv, cwd: string, onPath = false): Invocation => ({ env, cwd, platform: 'linux', onPath });
const win = (env: NodeJS.ProcessEnv, cwd: string): Invocation => ({ env, cwd, platform: 'win32', onPath: false });
/** npm run demo's environment, as npm 11 sets it (the script runs in the project root). */
const npmRunDemo = (initCwd = PROJECT_ROOT): NodeJS.ProcessEnv => ({
  npm_lifecycle_event: 'demo', npm_lifecycle_script: 'node bin/hoctap.js demo', npm_command: 'run', INIT_CWD: initCwd,
});

describe('quotePath', () => {
  it('leaves plain paths alone, Vietnamese letters included', () => {
    expect(quotePath('hoctap-demo', 'linux')).toBe('hoctap-demo');
    expect(quotePath('/tmp/thư-mục/bao-cao.xlsx', 'linux')).toBe('/tmp/thư-mục/bao-cao.xlsx');
    expect(quotePath('C:\\hoctap\\hoctap.cmd', 'win32')).toBe('C:\\hoctap\\hoctap.cmd');
  });

  it('quotes spaces and shell characters for the shell of the platform', () => {
    expect(quotePath('/tmp/Thư mục thử', 'linux')).toBe('"/tmp/Thư mục thử"');
    expect(quotePath('C:\\Users\\Nguyễn Lan\\hoctap.cmd', 'win32')).toBe('"C:\\Users\\Nguyễn Lan\\hoctap.cmd"');
    expect(quotePath('D:\\Sở KH&CN', 'win32')).toBe('"D:\\Sở KH&CN"');
    expect(quotePath("/tmp/it's $HOME", 'linux')).toBe(`'/tmp/it'\\''s $HOME'`);
    expect(quotePath('', 'linux')).toBe('""');
  });

  it('what it quotes, sh reads back as one argument unchanged', () => {
    for (const p of ['/tmp/Thư mục thử', "/tmp/it's $HOME `x` \\ !", 'a&b;c|d', 'plain']) {
      const echoed = execFileSync('sh', ['-c', `printf '%s' ${quotePath(p, 'linux')}`], { encoding: 'utf8' });
      expect(echoed).toBe(p);
    }
  });
});

describe('hoctapCommand: how to call hoctap here', () => {
  it('the Windows package: .\\hoctap.cmd in its folder, the quoted full path elsewhere', () => {
    const launcher = 'C:\\Users\\Nguyễn Lan\\Tải về\\hoctap-0.1.0-win-x64\\hoctap.cmd';
    expect(hoctapCommand(win({ HOCTAP_LAUNCHER: launcher }, 'c:\\users\\nguyễn lan\\tải về\\hoctap-0.1.0-win-x64'))).toBe('.\\hoctap.cmd');
    expect(hoctapCommand(win({ HOCTAP_LAUNCHER: launcher }, 'D:\\bao-cao'))).toBe(`"${launcher}"`);
  });

  it('hoctap when on PATH, npx hoctap in the source folder, else node and the full path of bin/hoctap.js', () => {
    expect(hoctapCommand(posix({}, '/somewhere', true))).toBe('hoctap');
    expect(hoctapCommand(posix({}, PROJECT_ROOT))).toBe('npx hoctap');
    expect(hoctapCommand(posix({}, path.join(PROJECT_ROOT, 'src')))).toBe('npx hoctap');
    expect(hoctapCommand(posix({ npm_command: 'exec', npm_lifecycle_event: 'npx' }, '/somewhere'))).toBe('npx hoctap');
    expect(hoctapCommand(posix({}, '/somewhere'))).toBe(`node ${quotePath(BIN, 'linux')}`);
    // npm run from outside the project (npm --prefix): the caller's folder decides.
    expect(hoctapCommand(posix(npmRunDemo('/somewhere'), PROJECT_ROOT))).toBe(`node ${quotePath(BIN, 'linux')}`);
  });

  it('finds `hoctap` on PATH only when it is a link to this copy', () => {
    const dir = tempDir('hoctap-path-');
    try {
      fs.writeFileSync(path.join(dir, 'hoctap'), '#!/bin/sh\n');
      expect(hoctapCommand({ env: { PATH: dir }, cwd: '/somewhere', platform: 'linux' })).not.toBe('hoctap');
      fs.rmSync(path.join(dir, 'hoctap'));
      fs.symlinkSync(BIN, path.join(dir, 'hoctap'));
      expect(hoctapCommand({ env: { PATH: `/nonexistent:${dir}` }, cwd: '/somewhere', platform: 'linux' })).toBe('hoctap');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('hoctapHint', () => {
  it('under npm run demo, the demo again is npm run demo -- …', () => {
    const inv = posix(npmRunDemo(), PROJECT_ROOT);
    expect(hoctapHint(['demo', '--force'], inv)).toBe('npm run demo -- --force');
    expect(hoctapHint(['demo', '--out', '/tmp/Thư mục', '--force'], inv)).toBe('npm run demo -- --out "/tmp/Thư mục" --force');
    expect(hoctapHint(['demo'], inv)).toBe('npm run demo');
    // Another command is not the script: npx in the project.
    expect(hoctapHint(['-w', 'hoctap-demo', 'history'], inv)).toBe('npx hoctap -w hoctap-demo history');
  });

  it('elsewhere, the command of hoctapCommand with quoted arguments', () => {
    expect(hoctapHint(['-w', 'Làm việc 2024', 'status'], win({ HOCTAP_LAUNCHER: 'C:\\hoctap\\hoctap.cmd' }, 'C:\\hoctap'))).toBe('.\\hoctap.cmd -w "Làm việc 2024" status');
    expect(hoctapHint(['--help'], posix({}, '/x', true))).toBe('hoctap --help');
  });

  it('userPath: relative to where the user is, else absolute', () => {
    expect(userPath(path.join(PROJECT_ROOT, 'hoctap-demo'), posix(npmRunDemo(), PROJECT_ROOT))).toBe('hoctap-demo');
    expect(userPath('/tmp/x', posix(npmRunDemo(path.join(PROJECT_ROOT, 'src')), PROJECT_ROOT))).toBe('/tmp/x');
    expect(userPath('Z:\\tmp\\a b\\hoctap-demo', win({}, 'Z:\\tmp\\a b'))).toBe('hoctap-demo');
  });
});

describe('the hints the tool prints, run as printed', () => {
  const dirs: string[] = [];
  /** Not inside an npm script (the suite may run under npm test, whose variables the children inherit). */
  const noNpm = { npm_lifecycle_event: '', npm_lifecycle_script: '', npm_command: '', INIT_CWD: '' };
  afterAll(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });

  it('help examples and the help hint name the way hoctap is called', () => {
    const outside = tempDir('hoctap-hint-');
    dirs.push(outside);
    const fromOutside = runHoctap(['catalog', '--help'], { cwd: outside, env: noNpm });
    expect(fromOutside.stdout).toContain(`  node ${quotePath(BIN)} catalog --agency GDDT --year 2025`);
    const inProject = runHoctap(['--help'], { cwd: PROJECT_ROOT, env: noNpm });
    expect(inProject.stdout).toContain('Cách dùng: npx hoctap [tùy-chọn] [lệnh]');
    expect(inProject.stdout).toMatch(/^ {2}npx hoctap demo +chạy cả chu kỳ/m);
    expect(inProject.stdout).not.toMatch(/npx npx/);
    const launcher = runHoctap(['catalg'], { cwd: outside, env: { ...noNpm, HOCTAP_LAUNCHER: path.join(outside, 'hoctap.cmd') } });
    expect(launcher.stderr).toContain('(chạy ".\\hoctap.cmd --help" để xem cách dùng)');
  });

  it('a command named by a lower layer (the store, ingest) is written as hoctap is called', () => {
    const outside = tempDir('hoctap-hint-');
    dirs.push(outside);
    const ws = path.join(outside, 'ws');
    expect(runHoctap(['init', ws], { cwd: outside, env: noNpm }).status).toBe(0);
    const fixture = path.join(PROJECT_ROOT, 'fixtures', '2024', 'dot-1', fs.readdirSync(path.join(PROJECT_ROOT, 'fixtures', '2024', 'dot-1')).find((f) => f.endsWith('.xlsx'))!);
    runHoctap(['-w', ws, 'ingest', fixture], { cwd: outside, env: noNpm });
    const env = { ...noNpm, HOCTAP_LAUNCHER: path.join(outside, 'hoctap.cmd') };
    const missing = runHoctap(['-w', ws, 'restore', '999'], { cwd: outside, env });
    expect(missing.status).toBe(2);
    // The store says which command; the CLI writes it as the user runs hoctap (here the Windows package's launcher).
    expect(missing.stderr).toContain('".\\hoctap.cmd history"');
    expect(missing.stderr).not.toContain('"hoctap history"');
  });

  it("every command's help examples are written as hoctap is called, the commands added later too", () => {
    const outside = tempDir('hoctap-hint-');
    dirs.push(outside);
    const env = { ...noNpm, HOCTAP_LAUNCHER: path.join(outside, 'hoctap.cmd') };
    for (const command of ['restore', 'rebuild', 'roster', 'new-year', 'ingest']) {
      const help = runHoctap([command, '--help'], { cwd: outside, env }).stdout;
      // Each of these helps has examples; none is left as a bare "hoctap <command>".
      expect(help, command).toMatch(new RegExp(`\\.\\\\hoctap\\.cmd (-w \\S+ )?${command}\\b`));
      expect(help, command).not.toMatch(new RegExp(`(^|\\s)hoctap ${command}\\b`, 'm'));
    }
  });

  it('after npm run demo, "npm run demo -- --out … --force" and the history hint work as printed', () => {
    const parent = tempDir('hoctap-hint-');
    dirs.push(parent);
    const out = path.join(parent, 'thư mục có dấu cách');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'hoctap.sqlite'), '');
    const env = { ...process.env, HOCTAP_WORKSPACE: '', NO_COLOR: '1', FORCE_COLOR: '0' };
    const first = spawnSync('npm', ['run', '-s', 'demo', '--', '--out', out], { cwd: PROJECT_ROOT, env, encoding: 'utf8' });
    expect(first.status).toBe(2);
    const hint = /^ {2}(npm run demo -- .*)$/m.exec(first.stderr)?.[1];
    expect(hint).toBe(`npm run demo -- --out "${out}" --force`);
    const again = spawnSync('sh', ['-c', `${hint!.replace('npm run', 'npm run -s')}`], { cwd: PROJECT_ROOT, env, encoding: 'utf8', timeout: 300_000 });
    expect(again.stderr).not.toMatch(/Lỗi không mong đợi/);
    expect(again.status).toBe(0);
    expect(fs.existsSync(path.join(out, 'reports', '2024', 'bao-cao-2024.xlsx'))).toBe(true);
    const history = /Xem lịch sử nộp của một đơn vị: (.*)$/m.exec(again.stdout)?.[1];
    expect(history).toBe(`npx hoctap -w "${out}" history --unit Q10 --year 2024`);
    const shown = spawnSync('sh', ['-c', history!], { cwd: PROJECT_ROOT, env, encoding: 'utf8' });
    expect(shown.status).toBe(0);
    expect(shown.stdout).toContain('Q10');
    // Every step the demo echoes is a command that runs from there: the first one, again.
    const step = /^\$ (npx hoctap -w .* generate-templates --year 2023)$/m.exec(again.stdout)?.[1];
    expect(step).toBeDefined();
    const rerun = spawnSync('sh', ['-c', step!], { cwd: PROJECT_ROOT, env, encoding: 'utf8' });
    expect(rerun.status).toBe(0);
    // The 2024 roster (issue 23) has 48 units, each with its template already there.
    expect(rerun.stdout).toContain('Bỏ qua 48 tệp đã có');
  });
});
