/**
 * `npm run bench -- --database auto` on a small roster: the stages run on a throwaway PostgreSQL cluster, the store
 * they fill is the shared one (no hoctap.sqlite), and the two analysts ingesting half the files each at once lose
 * nothing: the line that says so is printed from counts read in the database.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { havePostgres } from './helpers/pg.ts';
import { tempDir } from './helpers/tools.ts';

const CYCLE = path.resolve(import.meta.dirname, '../bench/cycle.ts');
const pgHere = havePostgres();
const dir = tempDir('hoctap-bench-pg-test-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe.runIf(pgHere)('npm run bench -- --database auto (nhỏ)', () => {
  it('ingests and scores on PostgreSQL, then two analysts at once, nothing lost', () => {
    const json = path.join(dir, 'bench.json');
    const r = spawnSync(process.execPath, [CYCLE, '--units', '6', '--stages', 'generate,fill,ingest,score', '--database', 'auto', '--keep', '--json', json], {
      encoding: 'utf8', timeout: 300_000, env: { ...process.env, FORCE_COLOR: '0', HOCTAP_DATABASE_URL: '' },
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Kho dữ liệu: PostgreSQL 15\.\d+.*, cụm tạm trên máy này/m);
    expect(r.stdout).toMatch(/^Hai chuyên viên cùng nhập vào một kho \(một lần\): 16 \+ 16 tệp trong [\d.]+ s/m);
    expect(r.stdout).toMatch(/Kho sau đó: 32 lần nộp \+ 0 tệp không rõ đơn vị, 32 sự kiện, bản lưu 32 tệp: không mất tệp nào/);
    const result = JSON.parse(fs.readFileSync(json, 'utf8')) as { store: string; pairs: { problems: string[] }[]; runs: { stage: string; extra: Record<string, number> }[][] };
    expect(result.store).toMatch(/^PostgreSQL/);
    expect(result.pairs[0].problems).toEqual([]);
    expect(result.runs[0].find((x) => x.stage === 'ingest')!.extra.accepted).toBe(32);
    // The store was the shared one: the kept workspace has no embedded database nor archive.
    const kept = /giữ lại: (.+)$/m.exec(r.stdout)![1];
    try {
      expect(fs.existsSync(path.join(kept, 'hoctap.sqlite'))).toBe(false);
      expect(fs.existsSync(path.join(kept, 'archive'))).toBe(false);
    } finally {
      fs.rmSync(kept, { recursive: true, force: true });
    }
  }, 300_000);
});
