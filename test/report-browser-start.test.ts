/**
 * The browser for the PDFs starts while the report is built (pdf.ts, startBrowser): a report that fails before it
 * prints (here a workspace template with a syntax error) must still close it and remove its profile, leaving no
 * browser process behind on the analyst's PC and nothing in the temporary folder.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace } from '../src/catalog/workspace.ts';
import { openDatabase, storeOn } from './helpers/sqlite.ts';
import { UserError } from '../src/errors.ts';
import { generateReport } from '../src/report/generate.ts';
import { startBrowser } from '../src/report/pdf.ts';
import { seedReportStore } from './helpers/report-store.ts';
import { needTool, tempDir } from './helpers/tools.ts';

// A temporary folder of this file's own: other test files running alongside start browsers too, and their profiles
// in the shared one made the profile count of these tests wrong (a CI run failed so).
const ownTmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hoctap-test-tmp-'));
const sharedTmp = process.env.TMPDIR;
const dirs: string[] = [ownTmp];
beforeAll(() => { process.env.TMPDIR = ownTmp; });
afterAll(() => {
  if (sharedTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = sharedTmp;
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** Processes started by this one, at any depth, whose command line names a browser profile of hoctap's. */
function browserProcesses(): number[] {
  const parent = new Map<number, number>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      parent.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch { /* ended meanwhile */ }
  }
  const ours = (pid: number) => {
    for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p)) if (p === process.pid) return true;
    return false;
  };
  return [...parent.keys()].filter((pid) => {
    try {
      return ours(pid) && fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('hoctap-browser-');
    } catch {
      return false;
    }
  });
}

const profiles = () => fs.readdirSync(ownTmp).filter((f) => f.startsWith('hoctap-browser-')).sort();

async function settled(check: () => boolean): Promise<boolean> {
  for (let i = 0; i < 50 && !check(); i++) await new Promise((r) => setTimeout(r, 100));
  return check();
}

const haveTools = process.platform === 'linux' && needTool('chromium');

describe.skipIf(!haveTools)('the browser started while the report is built', () => {
  it('is seen running while started, and gone with its profile once closed', async () => {
    expect(os.tmpdir()).toBe(ownTmp);
    const before = profiles();
    const started = await startBrowser('/usr/bin/chromium');
    await started.ready;
    expect(browserProcesses().length).toBeGreaterThan(0);
    expect(profiles().length).toBe(before.length + 1);
    await started.close();
    expect(await settled(() => browserProcesses().length === 0)).toBe(true);
    expect(profiles()).toEqual(before);
  }, 60_000);

  it('is closed when the report fails before printing, its profile removed', async () => {
    const dir = tempDir('hoctap-report-fails-');
    dirs.push(dir);
    const ws = openWorkspace(dir, { year: 2024 });
    seedReportStore(ws);
    fs.mkdirSync(path.join(dir, 'templates'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'templates', 'report.hbs'), '<html>{{#if}}</html>');
    const before = profiles();
    const db = openDatabase(ws.dbPath);
    let error: unknown = null;
    try {
      await generateReport(ws, storeOn(db), { year: 2024, formats: ['pdf'], formatsExplicit: true, date: { year: 2025, month: 1, day: 5 }, browser: '/usr/bin/chromium' });
    } catch (e) {
      error = e;
    } finally {
      db.close();
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(/report\.hbs.*cú pháp/);
    expect(await settled(() => browserProcesses().length === 0)).toBe(true);
    expect(profiles()).toEqual(before);
  }, 60_000);
});
