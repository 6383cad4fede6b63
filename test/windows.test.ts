/**
 * The Windows package's parts, without Wine (scripts/check-windows-package.sh runs the real zip under Wine in CI):
 * the zip writer, the tar reader, hoctap.cmd and HUONG-DAN.txt, the browser paths, and Node's experimental warnings.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { listFiles, MAX_ENTRY_PATH, NODE_VERSION, packageName, readTarEntry, writeZip } from '../scripts/package-windows.ts';
import { guideText, launcherScript } from '../scripts/windows-files.ts';
import { defaultBrowserPaths, findBrowser } from '../src/report/pdf.ts';
import { runHoctap } from './helpers/cli.ts';
import { tempDir } from './helpers/tools.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const dirs: string[] = [];
afterAll(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });
function scratch(): string {
  const d = tempDir('hoctap-win-');
  dirs.push(d);
  return d;
}

describe('the package', () => {
  it('is named after the version and pins a Node 22 LTS >= 22.18', () => {
    expect(packageName('0.1.0')).toBe('hoctap-0.1.0-win-x64');
    const [major, minor] = NODE_VERSION.split('.').map(Number);
    expect(major).toBe(22);
    expect(minor).toBeGreaterThanOrEqual(18);
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts['package:windows']).toBe('node scripts/package-windows.ts');
  });

  it('writeZip: one top folder, UTF-8 names, contents intact (read back with unzip)', async () => {
    const src = scratch();
    fs.mkdirSync(path.join(src, 'app', 'thư mục'), { recursive: true });
    fs.writeFileSync(path.join(src, 'app', 'thư mục', 'Báo cáo năm 2024.txt'), 'Nội dung tiếng Việt');
    fs.writeFileSync(path.join(src, 'hoctap.cmd'), launcherScript());
    const zip = path.join(scratch(), 'out', 'goi.zip');
    const r = await writeZip(src, zip, 'hoctap-9.9.9-win-x64');
    expect(r.entries).toBe(2);
    const listing = execFileSync('unzip', ['-Z1', zip], { encoding: 'utf8' }).split('\n').filter(Boolean);
    expect(listing).toContain('hoctap-9.9.9-win-x64/app/thư mục/Báo cáo năm 2024.txt');
    expect(listing).toContain('hoctap-9.9.9-win-x64/hoctap.cmd');
    expect(listing.every((n) => n.startsWith('hoctap-9.9.9-win-x64/'))).toBe(true);
    const text = execFileSync('unzip', ['-p', zip, 'hoctap-9.9.9-win-x64/app/thư mục/Báo cáo năm 2024.txt'], { encoding: 'utf8' });
    expect(text).toBe('Nội dung tiếng Việt');
    expect(fs.existsSync(`${zip}.partial`)).toBe(false);
  });

  it('writeZip refuses paths too long for Explorer and symbolic links', async () => {
    const long = scratch();
    const deep = path.join(long, ...Array.from({ length: 8 }, (_, i) => `thu-muc-rat-dai-so-${i}`));
    fs.mkdirSync(deep, { recursive: true });
    fs.writeFileSync(path.join(deep, 'tep.txt'), 'x');
    expect(`hoctap-0.1.0-win-x64/${path.relative(long, deep)}/tep.txt`.length).toBeGreaterThan(MAX_ENTRY_PATH);
    await expect(writeZip(long, path.join(scratch(), 'a.zip'), 'hoctap-0.1.0-win-x64')).rejects.toThrow(/path too long/);
    const linked = scratch();
    fs.writeFileSync(path.join(linked, 'that.txt'), 'x');
    fs.symlinkSync(path.join(linked, 'that.txt'), path.join(linked, 'lien-ket.txt'));
    expect(() => listFiles(linked)).toThrow(/symbolic link in the package: lien-ket\.txt/);
  });

  it('readTarEntry finds a file of an npm tarball, long (pax) names included', () => {
    const src = scratch();
    const longDir = path.join('package', 'a'.repeat(60), 'b'.repeat(60));
    fs.mkdirSync(path.join(src, longDir), { recursive: true });
    fs.mkdirSync(path.join(src, 'package', 'bin'), { recursive: true });
    fs.writeFileSync(path.join(src, 'package', 'bin', 'node.exe'), Buffer.from([0x4d, 0x5a, 0, 1, 2, 3]));
    fs.writeFileSync(path.join(src, longDir, 'long-name-file.js'), 'long');
    const tgz = path.join(scratch(), 'p.tgz');
    execFileSync('tar', ['--format=pax', '-czf', tgz, '-C', src, 'package']);
    const bytes = fs.readFileSync(tgz);
    expect(readTarEntry(bytes, 'package/bin/node.exe')).toEqual(Buffer.from([0x4d, 0x5a, 0, 1, 2, 3]));
    expect(readTarEntry(bytes, `${longDir}/long-name-file.js`)?.toString()).toBe('long');
    expect(readTarEntry(bytes, 'package/khong-co')).toBeNull();
  });
});

describe('hoctap.cmd and HUONG-DAN.txt', () => {
  it('hoctap.cmd: ASCII, CRLF, the bundled node on the bundled app, from wherever it is unzipped', () => {
    const cmd = launcherScript();
    expect(/^[\x00-\x7f]*$/.test(cmd)).toBe(true);
    expect(cmd.split('\r\n').slice(0, -1).every((l) => !l.includes('\n'))).toBe(true);
    expect(cmd).toContain('"%~dp0node\\node.exe" "%~dp0app\\bin\\hoctap.js" %*');
    expect(cmd).toContain('set "HOCTAP_LAUNCHER=%~f0"');
    expect(cmd).toMatch(/exit \/b %HOCTAP_EXIT%\r\n$/);
  });

  it('HUONG-DAN.txt: Vietnamese, for Notepad (BOM, CRLF); unzip anywhere, no administrator, hoctap.cmd demo, PDF', () => {
    const guide = guideText('0.1.0', NODE_VERSION);
    expect(guide.startsWith('\uFEFF')).toBe(true);
    expect(guide.replace(/\r\n/g, '')).not.toContain('\n');
    for (const text of ['Giải nén', 'KHÔNG cần cài đặt', 'KHÔNG cần quyền quản trị', 'hoctap.cmd demo', '.\\hoctap.cmd demo', 'Microsoft Edge', 'Google Chrome', `Node.js ${NODE_VERSION}`]) {
      expect(guide).toContain(text);
    }
  });
});

describe('PDF on Windows: the usual install paths of Edge and Chrome', () => {
  it('without the environment variables, the standard folders', () => {
    const paths = defaultBrowserPaths('win32', {});
    expect(paths).toContain('C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe');
    expect(paths).toContain('C:\\Program Files\\Microsoft\\Edge\\Application\\msedge.exe');
    expect(paths).toContain('C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe');
    expect(paths).toContain('C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe');
  });

  it('Chrome installed for the user only (LOCALAPPDATA), and Edge found when Chrome is not there', () => {
    const env = { ProgramFiles: 'C:\\Program Files', 'ProgramFiles(x86)': 'C:\\Program Files (x86)', LOCALAPPDATA: 'C:\\Users\\Lan\\AppData\\Local' };
    expect(defaultBrowserPaths('win32', env)).toContain('C:\\Users\\Lan\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe');
    const edge = 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe';
    const found = findBrowser({ env, platform: 'win32', exists: (f) => f === edge });
    expect(found.choice?.path).toBe(edge);
  });
});

describe("Node's experimental-feature warnings", () => {
  const warningsModule = path.join(ROOT, 'bin', 'warnings.js');

  it('the SQLite and type-stripping notices are hidden, other warnings still show', () => {
    const script = `
      const { hideExperimentalWarnings } = await import(${JSON.stringify(warningsModule)});
      hideExperimentalWarnings();
      process.emitWarning('SQLite is an experimental feature and might change at any time', 'ExperimentalWarning');
      process.emitWarning('Type Stripping is an experimental feature and might change at any time', 'ExperimentalWarning');
      process.emitWarning('WASI is an experimental feature', 'ExperimentalWarning');
      process.emitWarning('Buffer() is deprecated', 'DeprecationWarning');
      process.emitWarning(new Error('một cảnh báo thật'));
      await new Promise((r) => setTimeout(r, 50));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stderr).not.toContain('SQLite is an experimental feature');
    expect(r.stderr).not.toContain('Type Stripping');
    expect(r.stderr).toContain('WASI is an experimental feature');
    expect(r.stderr).toContain('Buffer() is deprecated');
    expect(r.stderr).toContain('một cảnh báo thật');
  });

  it('hoctap opening its database prints no ExperimentalWarning', () => {
    const ws = scratch();
    const file = path.join(ROOT, 'fixtures', '2024', 'dot-1', '2024_Q1_Uy-ban-nhan-dan-Quan-1.xlsx');
    const r = runHoctap(['-w', ws, 'ingest', file, '--year', '2024', '--format', 'json']);
    expect(r.status).toBe(0);
    expect(fs.existsSync(path.join(ws, 'hoctap.sqlite'))).toBe(true);
    expect(r.stderr).not.toMatch(/ExperimentalWarning|experimental feature/);
  });
});
