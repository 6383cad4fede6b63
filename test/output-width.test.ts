/** Output for people: every listing fits 80 columns, piped output is text, NO_COLOR and FORCE_COLOR are honoured. */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runHoctap } from './helpers/cli.ts';
import { tempDir } from './helpers/tools.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures');
let dir: string;
const narrow = (args: string[], env: NodeJS.ProcessEnv = {}) => runHoctap(['-w', dir, ...args], { env: { COLUMNS: '80', ...env }, timeout: 180_000 });
const widest = (text: string) => Math.max(...text.split('\n').map((l) => [...l].length));

beforeAll(() => {
  dir = tempDir('hoctap-width-');
  const r = narrow(['ingest', path.join(FIXTURES, '2023'), '--year', '2023', '--received-at', '05/12/2023']);
  expect(r.status).toBe(0);
  runHoctap(['-w', dir, 'ingest', path.join(FIXTURES, '2024', 'dot-1'), '--year', '2024', '--received-at', '06/12/2024']);
}, 300_000);

describe('tables for people', () => {
  it.each([
    ['catalog', ['catalog', '--year', '2025']],
    ['status', ['status', '--year', '2024']],
    ['score', ['score', '--year', '2024']],
    ['history', ['history', '--year', '2024']],
    ['ingest (a dry run)', ['ingest', path.join(FIXTURES, '2024', 'dot-2'), '--year', '2024', '--dry-run']],
    ['roster show', ['roster', 'show', '--year', '2024']],
  ])('%s fits 80 columns, as text when piped', (_name, args) => {
    const r = narrow(args as string[]);
    expect(r.status, r.stderr).toBeLessThanOrEqual(1);
    expect(r.stdout.trimStart().startsWith('{')).toBe(false); // text, not JSON, although stdout is a pipe
    const tableLines = r.stdout.split('\n').filter((l) => /^[┌│├└]/.test(l));
    expect(tableLines.length).toBeGreaterThan(3);
    expect(widest(tableLines.join('\n'))).toBeLessThanOrEqual(80);
  });

  it('colour only when asked: FORCE_COLOR colours, NO_COLOR wins', () => {
    expect(narrow(['status', '--year', '2024'], { NO_COLOR: '', FORCE_COLOR: '1' }).stdout).toContain('\u001b[');
    expect(narrow(['status', '--year', '2024'], { NO_COLOR: '1', FORCE_COLOR: '' }).stdout).not.toContain('\u001b[');
    expect(narrow(['status', '--year', '2024'], { NO_COLOR: '', FORCE_COLOR: '0' }).stdout).not.toContain('\u001b[');
  });

  it('CSV for status and history, one line per unit or submission', () => {
    const status = narrow(['status', '--year', '2024', '--format', 'csv']).stdout.replace(/^\uFEFF/, '').trim().split('\r\n');
    // Issue 24 added the review state (review, duyet); issue 23 the 2024 roster of 002 (48 units).
    expect(status[0]).toBe('unit_code,unit_name,agency_code,state,trang_thai,received,file,errors,deadline,xac_nhan,review,duyet');
    expect(status.length).toBe(49);
    const history = narrow(['history', '--year', '2024', '--format', 'csv']).stdout.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(history[0].startsWith('id,unit_code,unit_name,year,status')).toBe(true);
    expect(history.length).toBeGreaterThan(20);
  });
});
