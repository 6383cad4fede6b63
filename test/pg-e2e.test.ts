/**
 * The demo's cycle on a shared PostgreSQL database: the very steps of `hoctap demo` (generate-templates, the 2023
 * ingest, the two 2024 batches, status, score, report), run as an analyst types them on a workspace made by
 * `hoctap init --database`, give the same status, scores and report as `hoctap demo` on the embedded store.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSteps } from '../src/cli/commands/demo.ts';
import { runHoctap, runHoctapAsync } from './helpers/cli.ts';
import { havePostgres, itSqlFromDocs, startPostgres, type PgCluster } from './helpers/pg.ts';
import { halfStored, tableCounts } from './helpers/pg-store.ts';
import { tempDir } from './helpers/tools.ts';

const pgHere = havePostgres();
const LAN = { PGPASSWORD: 'doi-mat-khau-lan' };
const REPORT_DATE = '2024-12-25';
/** The output but for the moment it was made. */
const timeless = (out: string) => out.replace(/"(generatedAt|changedAt)": "[^"]*"/g, '');

describe.runIf(pgHere)('the demo\'s cycle on a PostgreSQL workspace', () => {
  let pg: PgCluster;
  let root: string;
  let embedded: string;
  let shared: string;
  const exits: number[] = [];

  beforeAll(async () => {
    pg = startPostgres();
    root = tempDir('hoctap-pg-e2e-');
    embedded = path.join(root, 'demo');
    shared = path.join(root, 'chung');
    pg.psql(itSqlFromDocs());
    const init = runHoctap(['init', shared, '--database', pg.url('lan', 'hoctap')], { env: LAN });
    expect(init.status, init.stderr).toBe(0);
    // The embedded demo runs meanwhile, as a user runs it.
    const demo = runHoctapAsync(['demo', '--out', embedded]);
    for (const step of demoSteps(shared, REPORT_DATE)) {
      const r = await runHoctapAsync(step.args, { env: LAN });
      expect(r.stderr, step.title).not.toMatch(/Lỗi không mong đợi|\n\s+at /);
      // As the demo takes it: 1 (a file rejected) only where the sample data rejects files on purpose.
      expect(step.expectRejections ? [0, 1] : [0], `${step.title}: ${r.stderr}`).toContain(r.status);
      exits.push(r.status!);
    }
    const d = await demo;
    expect(d.status, d.stderr).toBe(0);
  }, 300_000);
  afterAll(() => {
    pg?.stop();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('every step ends as in the demo; the data is in the database, whole, and nothing in the folder', () => {
    // The first 2024 batch has files rejected on purpose: its ingest says so with exit 1, as in the demo.
    expect(exits[3]).toBe(1);
    expect(fs.existsSync(path.join(shared, 'hoctap.sqlite'))).toBe(false);
    expect(fs.existsSync(path.join(shared, 'archive'))).toBe(false);
    const counts = tableCounts(pg, 'hoctap');
    expect(counts.submissions).toBeGreaterThan(60);
    expect(halfStored(pg, 'hoctap')).toEqual([]);
  });

  it('the same status and scores as the demo on the embedded store (2024\'s scores beside 2023\'s)', () => {
    for (const cmd of ['status', 'score']) {
      const args = [cmd, '--year', '2024', '--format', 'json'];
      const a = runHoctap(['-w', embedded, ...args]);
      const b = runHoctap(['-w', shared, ...args], { env: LAN });
      expect(a.status, a.stderr).toBe(0);
      expect(b.status, b.stderr).toBe(0);
      expect(timeless(b.stdout), cmd).toBe(timeless(a.stdout));
    }
    const state = JSON.parse(runHoctap(['-w', shared, 'status', '--year', '2024', '--format', 'json'], { env: LAN }).stdout) as { toChase: string[] };
    expect(state.toChase.sort()).toEqual(['NHABE', 'Q6']);
  });

  it('the same report: its HTML and workbook hold the same text as the demo\'s', () => {
    const dir = (ws: string) => path.join(ws, 'reports', '2024');
    const files = fs.readdirSync(dir(embedded)).sort();
    expect(fs.readdirSync(dir(shared)).sort()).toEqual(files);
    expect(files).toContain('bao-cao-2024.html');
    const html = (ws: string) => fs.readFileSync(path.join(dir(ws), 'bao-cao-2024.html'), 'utf8');
    expect(html(shared)).toBe(html(embedded));
  });
});
