/**
 * `npm run bench` on a small roster (the full 3,000-unit run takes minutes and is not for CI): every stage runs in its
 * own process and the summary has every figure the README quotes (wall time, per-file median, throughput, peak
 * memory, the ingest/floor ratio, the targets).
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { needTool, tempDir } from './helpers/tools.ts';

const CYCLE = path.resolve(import.meta.dirname, '../bench/cycle.ts');
const dir = tempDir('hoctap-bench-test-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('npm run bench (nhỏ)', () => {
  it('runs the whole cycle for 20 local units and prints every figure', () => {
    const withBrowser = needTool('chromium');
    const json = path.join(dir, 'bench.json');
    const r = spawnSync(process.execPath, [CYCLE, '--units', '20', '--json', json], { encoding: 'utf8', timeout: 300_000, env: { ...process.env, FORCE_COLOR: '0' } });
    expect(r.status, r.stderr).toBe(0);
    const out = r.stdout;
    for (const stage of ['generate', 'fill', 'read-floor', 'ingest', 'score', 'report']) expect(out).toMatch(new RegExp(`^${stage} [(+]`, 'm'));
    expect(out).toContain('Máy: ');
    expect(out).toMatch(/chu kỳ \(generate \+ ingest \+ score \+ report\)/);
    expect(out).toMatch(/ingest ≤ 3× mức sàn đọc tệp \(trung vị\/tệp\): [\d.]+ ms \/ [\d.]+ ms = [\d.]+×/);
    expect(out).toMatch(/báo cáo, mọi định dạng \(HTML, PDF, DOCX, XLSX\) < 30 s/);
    // The report's time by part of the work, then by format and document (pages, seconds, size).
    for (const row of ['trong đó: mô hình + HTML', 'trong đó: các tệp (trình duyệt in PDF trong lúc Node ghi)']) expect(out).toMatch(new RegExp(`^  ${row.replace(/[()+]/g, '\\$&')}\\s+[\\d.]+ `, 'm'));
    expect(out).toMatch(/^DOCX\s+bao-cao-2024\s+\d+\s+[\d.]+\s+\d+$/m);
    expect(out).toMatch(/^XLSX\s+bao-cao-2024\s+—\s+[\d.]+\s+\d+$/m);
    if (withBrowser) expect(out).toMatch(/^PDF\s+bao-cao-2024\s+\d+\s+[\d.]+\s+\d+$/m);

    const result = JSON.parse(fs.readFileSync(json, 'utf8'));
    // The profile's 2024 roster (issue 23) has 26 units that are not local, no longer 12: 26 + 20.
    const units = 46;
    expect(result.totalUnits).toBe(units);
    const run = result.runs[0] as { stage: string; files: number; wallMs: number; maxRssKiB: number; treePeakKiB: number | null; perFileMedianMs: number | null; extra: Record<string, number | string> }[];
    const byStage = new Map(run.map((x) => [x.stage, x]));
    for (const stage of ['generate', 'fill', 'read-floor', 'ingest']) {
      const x = byStage.get(stage)!;
      expect(x.files, stage).toBe(units);
      expect(x.perFileMedianMs, stage).toBeGreaterThan(0);
      expect(x.wallMs, stage).toBeGreaterThan(0);
      expect(x.maxRssKiB, stage).toBeGreaterThan(10_000);
    }
    // The cycle really ran: the filled files were ingested (a few carry a mistake on purpose) and reported.
    const ingest = byStage.get('ingest')!.extra;
    expect(Number(ingest.accepted) + Number(ingest.rejected)).toBe(units);
    expect(Number(ingest.accepted)).toBeGreaterThan(25);
    // A ratio of two times: on a busy machine with 46 files it may fall either side of 1, so only its being measured is checked.
    expect(result.ingestOverFloor).toBeGreaterThan(0);
    const report = byStage.get('report')!.extra;
    expect(Number(report.htmlKiB)).toBeGreaterThan(0);
    if (withBrowser) {
      expect(Number(report.pdfPages)).toBeGreaterThan(5);
      // On Linux the browser's memory is sampled too: the peak of the report with its browser exceeds Node's own.
      if (process.platform === 'linux') expect(byStage.get('report')!.treePeakKiB!).toBeGreaterThan(byStage.get('report')!.maxRssKiB);
    }
  }, 300_000);
});
