import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

/**
 * External programs the tests need (LibreOffice, Debian's python with openpyxl, Chromium, poppler-utils).
 * In CI a missing one fails the test; locally it skips with a loud message.
 */
export interface ToolCheck { available: boolean; reason: string }

function check(test: () => void, what: string): ToolCheck {
  try {
    test();
    return { available: true, reason: '' };
  } catch {
    return { available: false, reason: `${what} không có trên máy này` };
  }
}

export const tools = {
  soffice: () => check(() => execFileSync('soffice', ['--version'], { stdio: 'ignore', timeout: 60_000 }), 'LibreOffice (soffice, gói libreoffice-calc)'),
  openpyxl: () => check(() => execFileSync('/usr/bin/python3', ['-c', 'import openpyxl'], { stdio: 'ignore' }), 'openpyxl (/usr/bin/python3, gói python3-openpyxl)'),
  chromium: () => check(() => { if (!fs.existsSync('/usr/bin/chromium')) throw new Error('no'); }, 'Chromium (/usr/bin/chromium, gói chromium)'),
  python: () => check(() => execFileSync('/usr/bin/python3', ['-c', 'import email'], { stdio: 'ignore' }), "Python 3 (/usr/bin/python3) với gói email"),
  poppler: () => check(() => execFileSync('pdffonts', ['-v'], { stdio: 'ignore' }), 'poppler-utils (pdffonts, pdftotext)'),
};

/**
 * Returns true when the tool is there. Without it: throws in CI (so CI fails), warns loudly and returns false locally
 * (the caller then skips).
 */
export function needTool(name: keyof typeof tools): boolean {
  const result = tools[name]();
  if (result.available) return true;
  if (process.env.CI) throw new Error(`Thiếu công cụ cho kiểm thử: ${result.reason}. .ci/run phải cài nó.`);
  console.warn(`\n!!! BỎ QUA kiểm thử: ${result.reason}. Trong CI kiểm thử này sẽ thất bại. !!!\n`);
  return false;
}

export function tempDir(prefix = 'hoctap-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Converts files to .xlsx with LibreOffice in one call (re-saving them as LibreOffice would). */
export function libreOfficeResave(files: string[], outDir: string): string[] {
  fs.mkdirSync(outDir, { recursive: true });
  const profile = tempDir('hoctap-lo-profile-');
  try {
    execFileSync('soffice', [
      `-env:UserInstallation=file://${profile}`, '--headless', '--calc', '--convert-to', 'xlsx:Calc MS Excel 2007 XML', '--outdir', outDir, ...files,
    ], { stdio: 'pipe', timeout: 180_000 });
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
  return files.map((f) => path.join(outDir, path.basename(f).replace(/\.[^.]+$/, '') + '.xlsx'));
}

/** Runs a Python script with Debian's python (which has openpyxl). */
export function runPython(script: string, args: string[] = []): string {
  return execFileSync('/usr/bin/python3', ['-c', script, ...args], { encoding: 'utf8', timeout: 120_000 });
}
