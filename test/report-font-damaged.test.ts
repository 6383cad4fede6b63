/**
 * A damaged installation (a bundled font file cut short, as an interrupted copy leaves it): `hoctap report` says so in
 * one Vietnamese line naming the file and what to do, with an exit code, never the font parser's English nor a stack
 * trace; what it could write without the font is written.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { seedSeparateAnnexWorkspace } from './helpers/report-store.ts';
import { needTool, tempDir } from './helpers/tools.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const DAMAGED = 'tinos-latin-400-normal.woff';
const dirs: string[] = [];
afterAll(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });

/** A copy of hoctap as installed, its packages those of this checkout but for the font, copied and one file cut short. */
function damagedInstallation(): string {
  const inst = tempDir('hoctap-damaged-install-');
  dirs.push(inst);
  for (const part of ['bin', 'src', 'templates', 'seeds', 'package.json']) fs.cpSync(path.join(ROOT, part), path.join(inst, part), { recursive: true });
  const modules = path.join(inst, 'node_modules');
  fs.mkdirSync(modules);
  for (const name of fs.readdirSync(path.join(ROOT, 'node_modules'))) {
    if (name !== '@fontsource') fs.symlinkSync(path.join(ROOT, 'node_modules', name), path.join(modules, name));
  }
  fs.cpSync(path.join(ROOT, 'node_modules', '@fontsource'), path.join(modules, '@fontsource'), { recursive: true });
  const font = path.join(modules, '@fontsource', 'tinos', 'files', DAMAGED);
  const whole = fs.readFileSync(font);
  fs.writeFileSync(font, whole.subarray(0, Math.floor(whole.length / 3)));
  return inst;
}

// The report's own PDF is printed by the browser (its font the WOFF2 files); Phụ lục III's, typeset, reads the WOFF.
const haveTools = process.platform === 'linux' && needTool('chromium');

describe.skipIf(!haveTools)('hoctap report with a damaged bundled font', () => {
  it('says which file is damaged and to reinstall, in one line, exit 1, and still writes the HTML and the report\'s PDF', () => {
    const dir = tempDir('hoctap-damaged-ws-');
    dirs.push(dir);
    seedSeparateAnnexWorkspace(dir, (code) => `${code} đã tổ chức các hoạt động học tập.`);
    const run = (inst: string) => spawnSync(process.execPath, [path.join(inst, 'bin', 'hoctap.js'), '-w', dir, 'report', '--year', '2024', '--format', 'html,pdf', '--browser', '/usr/bin/chromium'], {
      encoding: 'utf8', env: { ...process.env, HOCTAP_WORKSPACE: '', FORCE_COLOR: '0', NO_COLOR: '1' }, timeout: 120_000,
    });
    const reports = path.join(dir, 'reports', '2024');
    // The same run with the whole font writes the typeset Phụ lục III: the damaged file is what the failure comes from.
    const whole = run(ROOT);
    expect(whole.status).toBe(0);
    expect(fs.readdirSync(reports).sort()).toEqual(['bao-cao-2024-phu-luc-III.html', 'bao-cao-2024-phu-luc-III.pdf', 'bao-cao-2024.html', 'bao-cao-2024.pdf']);
    expect(whole.stderr).not.toMatch(/phông chữ Tinos đi kèm hoctap bị hỏng/);
    fs.rmSync(reports, { recursive: true, force: true });

    const damaged = run(damagedInstallation());
    const errorLines = damaged.stderr.split('\n').filter((l) => l.startsWith('Lỗi'));
    expect(damaged.status).toBe(1);
    expect(errorLines).toHaveLength(1);
    expect(errorLines[0]).toMatch(new RegExp(`^Lỗi: Tệp phông chữ Tinos đi kèm hoctap bị hỏng \\(.*${DAMAGED.replace(/\./g, '\\.')}\\): cài lại hoctap`));
    expect(damaged.stderr).not.toMatch(/\n\s+at |Error:|offset|table|Invalid/);
    // What was written is said, as on a run that succeeds (html asked for: Phụ lục III's HTML too).
    expect(fs.readdirSync(reports).sort()).toEqual(['bao-cao-2024-phu-luc-III.html', 'bao-cao-2024.html', 'bao-cao-2024.pdf']);
    expect(damaged.stdout.trim().split('\n').map((l) => path.basename(l)).sort()).toEqual(fs.readdirSync(reports).sort());
  }, 180_000);
});
