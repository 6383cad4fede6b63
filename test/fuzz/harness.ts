/**
 * The fuzz suite's one view of ingest: a workspace holding valid figures, a way to ingest files into it (in-process,
 * or through the CLI with its exit code and peak memory), and the properties every outcome must keep. A broken
 * property throws `Broken` with what was seen; fast-check then shrinks the mutation that caused it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { openWorkspace, type Workspace } from '../../src/catalog/workspace.ts';
import { ingest } from '../../src/ingest/ingest.ts';
import type { FileResult } from '../../src/ingest/types.ts';
import { measureHoctap } from '../helpers/measure.ts';
import { tempDir } from '../helpers/tools.ts';
import { checkStoreRules } from './store-rules.ts';
import { YEAR } from './bases.ts';
import { Broken, must } from './broken.ts';

export { Broken, must };

export const RSS_BOUND_MB = 300;
const RECEIVED = new Date(Date.UTC(2024, 10, 20));


export interface InputFile { name: string; bytes: Buffer }

export interface Fuzz {
  root: string;
  ws: Workspace;
  /** Numbers the folders each call writes its files to. */
  next: number;
  /** The last submission whose values the store rules have checked. */
  checked: number;
}

/** A fresh workspace with `valid` ingested and accepted first (so a refusal has figures it must not touch). */
export async function fuzzWorkspace(label: string, valid: InputFile[]): Promise<Fuzz> {
  // In memory where the system has it (/dev/shm): thousands of small commits, none of which needs a disk.
  const root = fs.existsSync('/dev/shm') ? fs.mkdtempSync(path.join('/dev/shm', `hoctap-fuzz-${label}-`)) : tempDir(`hoctap-fuzz-${label}-`);
  // The year's own view: ingest then judges every file against it without loading the catalog again.
  const fz: Fuzz = { root, ws: openWorkspace(path.join(root, 'ws'), { year: YEAR }), next: 0, checked: 0 };
  try {
    // One at a time: two bases of one unit (its workbook and its CSV) would be one too many for a batch.
    for (const v of valid) {
      for (const f of await ingestChecked(fz, [v])) must(f.status === 'accepted' && !f.held, `base ${f.file} not accepted: ${f.reason}`);
    }
  } catch (e) {
    disposeFuzz(fz);
    throw e;
  }
  return fz;
}

export function disposeFuzz(fz: Fuzz | undefined): void {
  if (fz) fs.rmSync(fz.root, { recursive: true, force: true });
}

/** Writes the files into a new folder, named so that the folder's order is the order given. */
export function writeFiles(fz: Fuzz, files: InputFile[]): string {
  const dir = path.join(fz.root, 'in', String(++fz.next));
  fs.mkdirSync(dir, { recursive: true });
  files.forEach((f, i) => fs.writeFileSync(path.join(dir, `${String(i + 1).padStart(2, '0')}-${f.name}`), f.bytes));
  return dir;
}

type Figures = Map<string, string>;

/**
 * Every accepted (or once accepted, now superseded) submission, figure, narrative and contact, as one string built by
 * SQLite (test/helpers/accepted.ts's dump, without a JavaScript object per row: the fuzz store grows by the hundred).
 */
function acceptedDigest(dbPath: string): string {
  if (!fs.existsSync(dbPath)) return 'no database';
  const d = new DatabaseSync(dbPath, { readOnly: true });
  const kept = `SELECT id FROM submissions WHERE status IN ('accepted', 'superseded')`;
  const all = (table: string, order: string) => {
    const cols = (d.prepare(`SELECT name FROM pragma_table_info('${table}')`).all() as { name: string }[]).map((c) => `quote(${c.name})`).join(` || '|' || `);
    const where = table === 'submissions' ? `id IN (${kept})` : `submission_id IN (${kept})`;
    return (d.prepare(`SELECT group_concat(x, char(10)) AS s FROM (SELECT ${cols} AS x FROM ${table} WHERE ${where} ORDER BY ${order})`).get() as { s: string | null }).s ?? '';
  };
  try {
    return [all('submissions', 'id'), all('field_values', 'submission_id, field_id'), all('narratives', 'submission_id, section_id'), all('contacts', 'submission_id')].join('\n--\n');
  } finally {
    d.close();
  }
}

/** The figures in force, `unit|year|field` → stored value. */
function figuresInForce(dbPath: string): Figures {
  if (!fs.existsSync(dbPath)) return new Map();
  const d = new DatabaseSync(dbPath, { readOnly: true });
  try {
    const rows = d.prepare(`SELECT s.unit_code AS u, s.year AS y, v.field_id AS f, v.value_num AS n, v.value_text AS t
      FROM field_values v JOIN submissions s ON s.id = v.submission_id WHERE s.status = 'accepted'`).all() as { u: string; y: number; f: string; n: number | null; t: string | null }[];
    return new Map(rows.map((r) => [`${r.u}|${r.y}|${r.f}`, JSON.stringify(r.n ?? r.t)]));
  } finally {
    d.close();
  }
}

/**
 * Ingests the files (one file alone, or a folder of several) in-process and checks every property. Returns the
 * files' results, in folder order.
 */
export async function ingestChecked(fz: Fuzz, files: InputFile[]): Promise<FileResult[]> {
  const dir = writeFiles(fz, files);
  const beforeDump = acceptedDigest(fz.ws.dbPath);
  const before = figuresInForce(fz.ws.dbPath);
  let results: FileResult[];
  try {
    const input = files.length === 1 ? path.join(dir, fs.readdirSync(dir)[0]) : dir;
    results = (await ingest(fz.ws, [input], { receivedAt: RECEIVED })).files;
  } catch (e) {
    throw new Broken(`unexpected error (the CLI's exit 3, "Lỗi không mong đợi"): ${(e as Error)?.stack?.split('\n').slice(0, 4).join(' | ') ?? String(e)}`);
  }
  must(results.length >= files.length || files.some((f) => /\.eml$/.test(f.name)), `${files.length} files given, ${results.length} results`);
  for (const r of results) checkResult(r);
  fz.checked = checkStoreRules(fz.ws, fz.checked);
  checkFigures(results, before, figuresInForce(fz.ws.dbPath));
  if (!results.some((r) => r.status === 'accepted' && !r.held)) {
    must(acceptedDigest(fz.ws.dbPath) === beforeDump, `no file was put in force (${summary(results)}), yet the accepted figures changed`);
  }
  if (!files.some((f) => f.bytes.includes(REPLACEMENT))) checkNoReplacement(fz.ws.dbPath);
  return results;
}

const REPLACEMENT = Buffer.from('\uFFFD', 'utf8');
const VIETNAMESE = /[À-ỹ]/u;

export const summary = (rs: FileResult[]) => rs.map((r) => `${r.file}: ${r.status}${r.held ? ' (held)' : ''}${r.reason ? ` — ${r.reason.slice(0, 160)}` : ''}`).join('; ');

/** One file's result: one of the three ends, and a refusal that says why in one Vietnamese line. */
function checkResult(r: FileResult): void {
  must(['accepted', 'rejected', 'duplicate'].includes(r.status), `${r.file}: status ${r.status}`);
  for (const m of r.messages) {
    must(/^[a-z_0-9]+$/.test(m.code), `${r.file}: message code ${JSON.stringify(m.code)}`);
    must(m.text.trim() !== '' && !m.text.includes('[object Object]') && !/\bundefined\b/.test(m.text), `${r.file}: message ${JSON.stringify(m.text)}`);
  }
  if (r.status === 'rejected') {
    must(r.errors > 0, `${r.file}: refused with no error counted`);
    const reason = r.reason ?? '';
    must(reason.trim() !== '', `${r.file}: refused without a reason`);
    must(!reason.includes('\n'), `${r.file}: reason of several lines: ${JSON.stringify(reason)}`);
    must(VIETNAMESE.test(reason), `${r.file}: reason not in Vietnamese: ${JSON.stringify(reason)}`);
  }
  if (r.status === 'accepted') must(r.errors === 0, `${r.file}: accepted with ${r.errors} errors`);
}

/**
 * What is in force changed only where a file was put in force, and exactly as that file's `change` says (added,
 * changed, removed, indicator by indicator); a file put in force with no earlier figures added them all.
 */
function checkFigures(results: FileResult[], before: Figures, after: Figures): void {
  const put = new Map<string, FileResult>();
  for (const r of results) if (r.status === 'accepted' && !r.held) put.set(`${r.unit}|${r.year}`, r);
  const keys = new Set([...before.keys(), ...after.keys()]);
  const diff = new Map<string, { added: number; changed: number; removed: number }>();
  for (const k of keys) {
    const [u, y, field] = k.split('|');
    const b = before.get(k);
    const a = after.get(k);
    if (a === b) continue;
    const owner = put.get(`${u}|${y}`);
    must(owner !== undefined, `${u} ${y}: figure ${field} changed from ${b} to ${a}, but no file of ${u} was put in force`);
    const d = diff.get(`${u}|${y}`) ?? { added: 0, changed: 0, removed: 0 };
    if (b === undefined) d.added++;
    else if (a === undefined) d.removed++;
    else d.changed++;
    diff.set(`${u}|${y}`, d);
  }
  for (const [k, r] of put) {
    const d = diff.get(k) ?? { added: 0, changed: 0, removed: 0 };
    const listed = r.change ?? { added: r.values, changed: 0, removed: 0 };
    must(d.added === listed.added && d.changed === listed.changed && d.removed === listed.removed,
      `${r.file}: figures in force changed by +${d.added} ~${d.changed} -${d.removed}, the file's change lists +${listed.added} ~${listed.changed} -${listed.removed}`);
    if (r.change) {
      const perIndicator = r.change.indicators.reduce((s, i) => s + i.added + i.changed + i.removed, 0);
      must(perIndicator === d.added + d.changed + d.removed, `${r.file}: the change's indicators list ${perIndicator} figures, ${d.added + d.changed + d.removed} changed`);
    }
  }
}

/** No "�" in any stored text (a byte read with the wrong encoding). */
function checkNoReplacement(dbPath: string): void {
  if (!fs.existsSync(dbPath)) return;
  const d = new DatabaseSync(dbPath, { readOnly: true });
  try {
    const bad = d.prepare(`SELECT field_id AS f, value_text AS t FROM field_values WHERE value_text LIKE '%' || char(65533) || '%' OR raw LIKE '%' || char(65533) || '%' LIMIT 1`).get() as { f: string; t: string } | undefined;
    must(!bad, `a stored value holds "\uFFFD" (bytes decoded wrongly): ${bad?.f} = ${JSON.stringify(bad?.t)}`);
  } finally {
    d.close();
  }
}

export interface CliOutcome { status: number | null; files: FileResult[]; maxRssMb: number; stderr: string }

/**
 * Ingests the files through the CLI (`hoctap ingest <folder> --format json`): the exit code is 0 or 1, never the
 * unexpected error's 3; the JSON names every file; peak memory stays under RSS_BOUND_MB.
 */
export function ingestCli(fz: Fuzz, files: InputFile[]): CliOutcome {
  const dir = writeFiles(fz, files);
  const m = measureHoctap(['-w', fz.ws.dir, 'ingest', dir, '--format', 'json', '--received-at', '20/11/2024'], fz.root);
  const said = `exit ${m.status}, stderr ${JSON.stringify(m.stderr.slice(0, 400))}`;
  must(!m.stderr.includes('Lỗi không mong đợi') && m.status !== 3, `unexpected error through the CLI: ${said}`);
  must(m.status === 0 || m.status === 1, `exit code not 0 or 1: ${said}`);
  must(m.maxRssMb <= RSS_BOUND_MB, `peak memory ${m.maxRssMb.toFixed(0)} MB over ${RSS_BOUND_MB} MB`);
  let parsed: { files: FileResult[] };
  try {
    parsed = JSON.parse(m.stdout) as { files: FileResult[] };
  } catch {
    throw new Broken(`--format json printed no JSON: ${said}`);
  }
  const failed = parsed.files.some((f) => f.status === 'rejected');
  must(m.status === (failed ? 1 : 0) || parsed.files.some((f) => f.status === 'duplicate'), `exit ${m.status} with ${summary(parsed.files)}`);
  return { status: m.status, files: parsed.files, maxRssMb: m.maxRssMb, stderr: m.stderr };
}
