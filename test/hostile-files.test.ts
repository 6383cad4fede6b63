/**
 * Files that cost a naive reader minutes and gigabytes from a few kilobytes: each is accepted or refused by the CLI
 * within 600 MB of peak memory and a few seconds of CPU, measured in the child process itself (test/helpers/measure.ts).
 * Before the limits of src/xlsx/bounds.ts, the merge bomb took 100 s and 3.6 GB, the 350,000 rows 63 s and 1.7 GB.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace, type Workspace } from '../src/catalog/workspace.ts';
import { buildTemplateWorkbook } from '../src/templates/generate.ts';
import { workbookBytes } from '../src/templates/xlsx-write.ts';
import { fillTemplate, plausibleValues } from '../fixtures/fill.ts';
import { addMerges, addRows, compressibleText, editPart, sheetPart, unzipParts } from './helpers/hostile.ts';
import { measureHoctap, type Measured } from './helpers/measure.ts';
import { tempDir } from './helpers/tools.ts';

const MAX_RSS_MB = 600;
/** CPU seconds of the whole CLI run (Node's start and module loading take about one). */
const MAX_CPU_S = 8;

let root: string;
let ws: Workspace;
let filled: Buffer;
let values: Record<string, number | string>;
const put = (name: string, data: Buffer) => {
  const file = path.join(root, 'in', name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, data);
  return file;
};

interface FileJson { file: string; status: string; reason: string | null; warnings: number; messages: { code: string; severity: string; cell: string | null }[]; feedback?: string | null }

function ingestOne(file: string): { run: Measured; result: FileJson } {
  const run = measureHoctap(['ingest', file, '--year', '2024', '--format', 'json', '--workspace', root, '--feedback-dir', path.join(root, 'fb')], root);
  let parsed: { files: FileJson[] };
  try {
    parsed = JSON.parse(run.stdout);
  } catch {
    throw new Error(`no JSON (status ${run.status}): ${run.stderr.slice(0, 2000)}`);
  }
  return { run, result: parsed.files[0] };
}

function expectBounded(run: Measured, maxRssMb = MAX_RSS_MB): void {
  expect(run.maxRssMb, 'peak memory (MB)').toBeLessThan(maxRssMb);
  expect(run.cpuSeconds, 'CPU time (s)').toBeLessThan(MAX_CPU_S);
}

/** A zip with one entry of `size` zero bytes, deflated in pieces (so that the test never holds it whole). */
function zeroBomb(size: number, declared = size): Buffer {
  // One megabyte of zeros as non-final deflate blocks, repeated, then an empty final block: a valid stream.
  const chunk = Buffer.alloc(1024 * 1024);
  const block = zlib.deflateRawSync(chunk, { level: 9, finishFlush: zlib.constants.Z_SYNC_FLUSH });
  const out: Buffer[] = [];
  let crc = 0;
  for (let done = 0; done < size; done += chunk.length) {
    crc = zlib.crc32(chunk, crc);
    out.push(block);
  }
  out.push(zlib.deflateRawSync(Buffer.alloc(0)));
  const body = Buffer.concat(out);
  const entries = [
    { name: '[Content_Types].xml', data: Buffer.from('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'), raw: null as Buffer | null, crc: 0, size: 0 },
    { name: 'xl/workbook.xml', data: Buffer.from('<workbook/>'), raw: null, crc: 0, size: 0 },
    { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(0), raw: body, crc, size: declared },
  ];
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const data = e.raw ?? zlib.deflateRawSync(e.data);
    const crc32 = e.raw ? e.crc : zlib.crc32(e.data);
    const size = e.raw ? e.size : e.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(8, 8); local.writeUInt32LE(crc32 >>> 0, 14);
    local.writeUInt32LE(data.length, 18); local.writeUInt32LE(size >>> 0, 22); local.writeUInt16LE(name.length, 26);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0); dir.writeUInt16LE(20, 4); dir.writeUInt16LE(20, 6); dir.writeUInt16LE(8, 10); dir.writeUInt32LE(crc32 >>> 0, 16);
    dir.writeUInt32LE(data.length, 20); dir.writeUInt32LE(size >>> 0, 24); dir.writeUInt16LE(name.length, 28); dir.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    central.push(dir, name);
    offset += 30 + name.length + data.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(entries.length, 8); end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

beforeAll(async () => {
  root = tempDir('hoctap-hostile-');
  ws = openWorkspace(root);
  const unit = ws.roster.find((u) => u.code === 'Q1')!;
  values = plausibleValues(ws, unit);
  filled = await fillTemplate(await workbookBytes(await buildTemplateWorkbook(ws, unit, 2024)), values);
}, 60_000);

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

describe('hostile workbooks are decided within bounded memory and time', () => {
  it('the untouched workbook is accepted (the measure sees an ordinary run)', () => {
    const { run, result } = ingestOne(put('00-hop-le.xlsx', filled));
    expect(result.status).toBe('accepted');
    expectBounded(run);
  });

  it.each([
    ['merge bomb: K30:XFD1048576 (17 billion cells) in a 17 kB file', 'K30:XFD1048576'],
    ['a 10-million-cell merge', 'K30:T1000029'],
  ])('%s is refused, naming the sheet and the range', (_what, ref) => {
    const file = put(`merge-${ref.replace(':', '-')}.xlsx`, editPart(filled, sheetPart(filled, 'ChiSo'), (x) => addMerges(x, [ref])));
    expect(fs.statSync(file).size).toBeLessThan(64 * 1024);
    const { run, result } = ingestOne(file);
    expect(result.status).toBe('rejected');
    expect(result.messages.map((m) => m.code)).toEqual(['sheet_too_large']);
    expect(result.reason).toContain('trang ChiSo');
    expect(result.reason).toContain(ref);
    expectBounded(run);
  });

  it('a 0.5 MB file holding a 95 MB text is refused from its zip directory, before it is inflated', () => {
    const cell = 'I5';
    const text = compressibleText(95_000_000);
    const file = put('van-ban-95mb.xlsx', editPart(filled, sheetPart(filled, 'ChiSo'), (x) =>
      x.replace(new RegExp(`<c r="${cell}"([^>]*?)(/>|>[\\s\\S]*?</c>)`), `<c r="${cell}"$1 t="inlineStr"><is><t>${text}</t></is></c>`)));
    expect(fs.statSync(file).size).toBeLessThan(1024 * 1024);
    const { run, result } = ingestOne(file);
    expect(result.status).toBe('rejected');
    expect(result.messages.map((m) => m.code)).toEqual(['zip_too_large']);
    expect(result.reason).toContain('xl/worksheets/');
    expectBounded(run);
  });

  it('350,000 rows added below the indicators, one figure left empty: accepted with one warning, feedback copy written', () => {
    const missing = Object.keys(values).find((k) => !k.endsWith('.minhchung') && typeof values[k] === 'number')!;
    const rest = { ...values };
    delete rest[missing];
    return (async () => {
      const base = await fillTemplate(await workbookBytes(await buildTemplateWorkbook(ws, ws.roster.find((u) => u.code === 'Q1')!, 2024)), rest);
      const part = sheetPart(base, 'ChiSo');
      const file = put('350k-dong.xlsx', editPart(base, part, (x) => addRows(x, 350_000)));
      const { run, result } = ingestOne(file);
      expect(result.status).toBe('accepted');
      expect(result.warnings).toBe(1);
      expect(result.messages.map((m) => m.code)).toEqual(['missing_values']);
      // 300 MB, the bound issue 27 sets for any returned file (was 600; measured 373–407 MB before, about 250 after):
      // the rows below the template are checked but not kept, and the copy patches the sheet as slices of its bytes.
      expectBounded(run, 300);
      // The copy keeps the 350,000 rows, marks the empty cell and opens on the list of messages.
      const copy = unzipParts(fs.readFileSync(path.join(root, 'fb', '350k-dong.kiem-tra.xlsx')));
      const sheet = copy.find((p) => p.name === part)!.data.toString('utf8');
      expect((sheet.match(/<row /g) ?? []).length).toBeGreaterThan(350_000);
      const workbook = copy.find((p) => p.name === 'xl/workbook.xml')!.data.toString('utf8');
      expect(workbook).toMatch(/<sheet name="KiemTra"/);
      expect(copy.some((p) => /^xl\/comments\d+\.xml$/.test(p.name) && p.data.toString('utf8').includes('ô còn trống'))).toBe(true);
    })();
  }, 120_000);

  it.each([
    ['a zip bomb declaring its 1 GB', 1024 ** 3, 1024 ** 3, 'zip_too_large'],
    ['a zip bomb declaring 1 kB for 1 GB', 1024 ** 3, 1024, 'zip_too_large'],
  ])('%s is refused', (_what, size, declared, code) => {
    const { run, result } = ingestOne(put(`bom-${declared}.xlsx`, zeroBomb(size, declared)));
    expect(result.status).toBe('rejected');
    expect(result.messages.map((m) => m.code)).toEqual([code]);
    expectBounded(run);
  }, 120_000);
});

describe.skipIf(process.platform === 'win32')('special files and links', () => {
  it('/dev/zero, a FIFO and links, given or found in a folder, are refused with their reason; the rest is read', () => {
    const dir = path.join(root, 'dac-biet');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'that.xlsx'), filled);
    fs.symlinkSync(path.join(dir, 'that.xlsx'), path.join(dir, 'lien-ket.xlsx'));
    fs.symlinkSync('/dev/zero', path.join(dir, 'zero.xlsx'));
    expect(spawnSync('mkfifo', [path.join(dir, 'ong.xlsx')]).status).toBe(0);
    const run = measureHoctap(['ingest', dir, '/dev/zero', '--year', '2024', '--format', 'json', '--workspace', root, '--dry-run'], root, 60_000);
    const files = (JSON.parse(run.stdout) as { files: FileJson[] }).files;
    const byName = new Map(files.map((f) => [path.basename(f.file), f]));
    expect(byName.get('that.xlsx')!.status).not.toBe('rejected');
    expect(byName.get('lien-ket.xlsx')!.messages.map((m) => m.code)).toEqual(['symlink']);
    expect(byName.get('zero.xlsx')!.messages.map((m) => m.code)).toEqual(['symlink']);
    expect(byName.get('ong.xlsx')!.messages.map((m) => m.code)).toEqual(['not_regular_file']);
    expect(byName.get('ong.xlsx')!.reason).toContain('ống dẫn (FIFO)');
    expect(byName.get('zero')!.messages.map((m) => m.code)).toEqual(['not_regular_file']);
    expect(byName.get('zero')!.reason).toContain('thiết bị');
    expectBounded(run);
  }, 60_000);
});
