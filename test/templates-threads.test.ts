/**
 * generate-templates in worker threads (src/templates/generate-threads.ts): the same files as on the main thread, in the
 * same order, with the same progress and the same questions to the store; a worker's failure is one Vietnamese line,
 * leaves no file half-written and no worker running.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { indicatorsForUnit, openWorkspace, type Workspace } from '../src/catalog/workspace.ts';
import { generateTemplates, templateFileName, threadsFor, THREADS_MIN_UNITS, type PreviousFigure } from '../src/templates/generate.ts';
import { directoryEnd, directoryRecords } from '../src/xlsx/zip.ts';
import { tempDir } from './helpers/tools.ts';

const dir = tempDir('hoctap-tpl-threads-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

let ws: Workspace;
beforeAll(() => {
  ws = openWorkspace(path.join(dir, 'ws'), { year: 2024 });
});

/**
 * The file with its entries' MS-DOS times set to zero: the zip writer stamps every entry with the moment the workbook was
 * written, so two runs differ there and nowhere else.
 */
function withoutTimes(bytes: Buffer): Buffer {
  const out = Buffer.from(bytes);
  const end = directoryEnd(out)!;
  let p = end.dirOffset;
  for (const e of directoryRecords(out, end)) {
    expect(e).not.toBeNull();
    out.writeUInt32LE(0, e!.localOffset + 10);
    out.writeUInt32LE(0, p + 12);
    p += 46 + out.readUInt16LE(p + 28) + out.readUInt16LE(p + 30) + out.readUInt16LE(p + 32);
  }
  return out;
}

describe('generate-templates in worker threads', () => {
  it('writes the same files as the main thread, in the same order, asking the store the same questions', async () => {
    const generatedAt = new Date('2024-10-01T08:00:00Z');
    // Last year's figures for every unit: each its own numbers, so that a file given another unit's rows differs.
    const previousFigures = (calls: string[]) => async (code: string, year: number): Promise<PreviousFigure[]> => {
      calls.push(`${code}/${year}`);
      const unit = ws.roster.find((u) => u.code === code)!;
      const fields = indicatorsForUnit(ws, unit).flatMap((i) => i.fields).filter((f) => f.kind !== 'text' && f.kind !== 'rating' && f.kind !== 'direction');
      return fields.map((f, k) => ({ fieldId: f.id, raw: String(k + code.length), num: k + code.length * 7, text: null }));
    };
    const kept = [ws.roster[5], ws.roster[30]];
    const run = async (threads: number) => {
      const out = path.join(dir, `out-${threads}`);
      fs.mkdirSync(out, { recursive: true });
      for (const u of kept) fs.writeFileSync(path.join(out, templateFileName(u, 2024)), 'giữ nguyên');
      const progress: string[] = [];
      const calls: string[] = [];
      const results = await generateTemplates(ws, {
        year: 2024, outDir: out, generatedAt, threads, previousFigures: previousFigures(calls),
        onProgress: (done, total, u) => progress.push(`${done}/${total} ${u.code}`),
      });
      return { out, progress, calls, results: results.map((r) => [r.unit.code, path.basename(r.file), r.indicators, r.skipped]) };
    };
    const here = await run(0);
    const threads = await run(2);
    expect(ws.roster.length).toBeGreaterThan(40);
    expect(threads.results).toEqual(here.results);
    expect(threads.results.filter((r) => r[3]).map((r) => r[0])).toEqual(kept.map((u) => u.code));
    expect(threads.progress).toEqual(here.progress);
    expect(threads.progress).toHaveLength(ws.roster.length);
    expect(threads.calls).toEqual(here.calls);
    expect(here.calls.length).toBeGreaterThan(40);
    const files = fs.readdirSync(here.out).sort();
    expect(fs.readdirSync(threads.out).sort()).toEqual(files);
    for (const u of kept) expect(fs.readFileSync(path.join(threads.out, templateFileName(u, 2024)), 'utf8')).toBe('giữ nguyên');
    const keptNames = new Set(kept.map((u) => templateFileName(u, 2024)));
    const read = (out: string, f: string) => withoutTimes(fs.readFileSync(path.join(out, f)));
    const differing = files.filter((f) => !keptNames.has(f) && !read(here.out, f).equals(read(threads.out, f)));
    expect(differing).toEqual([]);
  });

  it('uses workers only for a run large enough, on a machine with more than one core', () => {
    const cores = vi.spyOn(os, 'availableParallelism').mockReturnValue(2);
    expect(threadsFor(undefined, THREADS_MIN_UNITS - 1)).toBe(0);
    expect(threadsFor(undefined, THREADS_MIN_UNITS)).toBe(2);
    expect(threadsFor(0, 3000)).toBe(0);
    expect(threadsFor(2, 3)).toBe(2);
    cores.mockReturnValue(16);
    expect(threadsFor(undefined, 3000)).toBe(4);
    cores.mockReturnValue(1);
    expect(threadsFor(undefined, 3000)).toBe(0);
  });

  const cases = { throw: 'a worker that throws', exit: 'a worker that stops', write: 'a file that cannot be written' } as const;
  for (const mode of ['throw', 'exit', 'write'] as const) {
    it(`${cases[mode]}: one Vietnamese line, no file half-written, no worker left`, () => {
      const out = path.join(dir, `fail-${mode}`);
      const helper = path.resolve(import.meta.dirname, 'helpers/generate-threads-fail.ts');
      // The script ends without process.exit: a worker left running would keep it alive until the timeout kills it.
      const child = spawnSync(process.execPath, [helper, path.join(dir, 'ws'), out, mode], { encoding: 'utf8', timeout: 45_000 });
      expect(child.signal).toBeNull();
      expect(child.stderr).toBe('');
      expect(child.status).toBe(0);
      const r = JSON.parse(child.stdout) as { error: { userError: boolean; message: string; exitCode: number }; units: string[]; failing: number; done: string[] };
      expect(r.error.userError).toBe(true);
      expect(r.error.exitCode).toBe(mode === 'write' ? 2 : 3);
      expect(r.error.message).not.toContain('\n');
      // The unit named (by its code, or its file): the first whose workbook was not written. A worker that stops loses
      // every job it held: with two jobs a worker (four out at once), that may be a unit given it before the one it stopped on.
      const byCode = new Map(ws.roster.map((u) => [u.code, u]));
      const fileOf = (code: string) => path.join(out, templateFileName(byCode.get(code)!, 2024));
      const named = r.units.findIndex((code) => r.error.message.includes(mode === 'write' ? fileOf(code) : `biểu mẫu của ${code} - `));
      if (mode === 'exit') expect([r.failing - 3, r.failing - 2, r.failing - 1, r.failing]).toContain(named);
      else expect(named).toBe(r.failing);
      expect(r.error.message).toMatch({
        throw: /^Lỗi không mong đợi khi tạo biểu mẫu của .*không tệp nào bị ghi dở/,
        exit: /^Luồng tạo biểu mẫu dừng bất thường \(mã thoát \d+\) khi đang tạo biểu mẫu của .*không tệp nào bị ghi dở/,
        write: /^Không ghi được tệp .*\(tệp có đang mở trong Excel\?\)$/,
      }[mode]);
      expect(r.done).toEqual(r.units.slice(0, named));
      for (const code of r.units.slice(0, named)) {
        const bytes = fs.readFileSync(fileOf(code));
        expect(bytes.readUInt32LE(bytes.length - 22)).toBe(0x06054b50); // the zip's end: the file is whole
      }
      // No file from the named unit on (for `write`, the named one's place holds the folder put there).
      for (const code of r.units.slice(named)) expect(fs.existsSync(fileOf(code)) && fs.statSync(fileOf(code)).isFile()).toBe(false);
      expect(fs.readdirSync(out).filter((f) => !f.endsWith('.xlsx'))).toEqual([]);
    }, 120_000);
  }
});
