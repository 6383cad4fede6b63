/**
 * Two analysts (or one, twice, near a deadline) ingest the same folder from two processes at once. Whatever the
 * interleaving, both processes end normally, and the store is consistent: every file stored once, one accepted
 * submission per unit and year, a resubmission superseding the earlier one exactly once, no orphan rows, no leftovers.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace, type Workspace } from '../src/catalog/workspace.ts';
import { buildTemplateWorkbook } from '../src/templates/generate.ts';
import { indicatorsForUnit } from '../src/catalog/workspace.ts';
import { fillTemplate, plausibleValues } from '../fixtures/fill.ts';
import { tempDir } from './helpers/tools.ts';

const BIN = path.resolve(import.meta.dirname, '../bin/hoctap.js');
const YEAR = 2024;
const VALID = ['Q1', 'Q3', 'Q4', 'Q5', 'Q6', 'Q7', 'Q8', 'SGDDT'];
const BAD_VALUES = 'Q10';

interface Run { code: number; stdout: string; stderr: string }
interface FileOut { file: string; unit: string | null; status: string; sha256: string; submissionId: number | null; supersedes: { submissionId: number } | null }

function hoctap(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, FORCE_COLOR: '0', HOCTAP_WORKSPACE: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d; });
    child.stderr.on('data', (d: Buffer) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

let root: string;
let ws: Workspace;
/** Files of the batch: 8 valid workbooks, one with an error, one that is not a workbook at all. */
const batch = new Map<string, Buffer>();
/** Earlier, different (accepted) workbooks of the same units: the batch supersedes them. */
const earlier = new Map<string, Buffer>();

async function filled(code: string, seed: number, overrides: Record<string, unknown> = {}): Promise<Buffer> {
  const unit = ws.roster.find((u) => u.code === code)!;
  const wb = await buildTemplateWorkbook(ws, unit, YEAR, { generatedAt: new Date(Date.UTC(YEAR, 9, 1)) });
  return fillTemplate(wb, { ...plausibleValues(ws, unit, { seed }), ...overrides });
}

beforeAll(async () => {
  root = tempDir('hoctap-concurrency-');
  ws = openWorkspace(path.join(root, 'seed'));
  for (const code of VALID) {
    batch.set(`${YEAR}_${code}.xlsx`, await filled(code, 11));
    earlier.set(`${YEAR}_${code}.xlsx`, await filled(code, 5));
  }
  const countField = indicatorsForUnit(ws, ws.roster.find((u) => u.code === BAD_VALUES)!).flatMap((i) => i.fields).find((f) => f.kind === 'count')!;
  batch.set(`${YEAR}_${BAD_VALUES}.xlsx`, await filled(BAD_VALUES, 11, { [countField.id]: 'không rõ' }));
  batch.set('bao-cao-scan.xlsx', Buffer.from('%PDF-1.4\n% not a workbook\n'));
});

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

function writeFolder(dir: string, files: Map<string, Buffer>): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, bytes] of files) fs.writeFileSync(path.join(dir, name), bytes);
}

function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => path.join(d.parentPath, d.name));
}

/** Runs the two processes at once and checks what each says; returns both outputs' files. */
async function ingestTwice(wsDir: string, inbox: string): Promise<FileOut[][]> {
  const args = ['-w', wsDir, 'ingest', inbox, '--year', String(YEAR), '--received-at', '2024-12-01', '--format', 'json'];
  const runs = await Promise.all([hoctap(args), hoctap(args)]);
  return runs.map((r) => {
    // 1: the batch holds rejected files on purpose. Never 2 (usage) or 3 (unexpected error), never a stack trace.
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).not.toMatch(/Lỗi không mong đợi|database is locked|SQLITE_BUSY|\n\s+at /);
    const out = JSON.parse(r.stdout) as { files: FileOut[] };
    expect(out.files).toHaveLength(batch.size);
    return out.files;
  });
}

/** What both processes said about each file: each valid file accepted by exactly one and found already ingested by the other. */
function checkOutcomes(a: FileOut[], b: FileOut[]): void {
  const byFile = (list: FileOut[]) => new Map(list.map((f) => [path.basename(f.file), f]));
  const ma = byFile(a);
  const mb = byFile(b);
  for (const name of batch.keys()) {
    const pair = [ma.get(name)!.status, mb.get(name)!.status].sort();
    if (name === 'bao-cao-scan.xlsx') expect(pair, name).toEqual(['rejected', 'rejected']);
    else if (name.includes(BAD_VALUES)) expect(pair, name).toEqual(['duplicate', 'rejected']);
    else expect(pair, name).toEqual(['accepted', 'duplicate']);
  }
}

/** The store after the race: consistent whatever the interleaving. */
function checkStore(wsDir: string, expectSuperseded: boolean): void {
  const db = new DatabaseSync(path.join(wsDir, 'hoctap.sqlite'), { readOnly: true });
  try {
    const q = <T>(sql: string, ...params: (string | number)[]) => db.prepare(sql).all(...params) as T[];
    expect(q<{ integrity_check: string }>('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    expect(q('PRAGMA foreign_key_check')).toEqual([]);
    // No content stored twice for the same unit and year.
    expect(q('SELECT unit_code, year, sha256, count(*) AS n FROM submissions GROUP BY unit_code, year, sha256 HAVING n > 1')).toEqual([]);
    // Exactly one accepted submission per unit, and it holds this batch's file.
    const accepted = q<{ unit_code: string; sha256: string; id: number; value_count: number }>(
      `SELECT unit_code, sha256, id, value_count FROM submissions WHERE year = ? AND status = 'accepted' ORDER BY unit_code`, YEAR);
    expect(accepted.map((s) => s.unit_code)).toEqual([...VALID].sort());
    for (const s of accepted) {
      const name = `${YEAR}_${s.unit_code}.xlsx`;
      expect(s.sha256, s.unit_code).toBe(sha(batch.get(name)!));
      expect(q<{ n: number }>('SELECT count(*) AS n FROM field_values WHERE submission_id = ?', s.id)[0].n, s.unit_code).toBe(s.value_count);
      expect(s.value_count, s.unit_code).toBeGreaterThan(0);
    }
    // The file with an error: one rejected submission, with its messages.
    const rejected = q<{ id: number; unit_code: string }>(`SELECT id, unit_code FROM submissions WHERE status = 'rejected'`);
    expect(rejected.map((r) => r.unit_code)).toEqual([BAD_VALUES]);
    expect(q<{ n: number }>(`SELECT count(*) AS n FROM messages WHERE submission_id = ? AND severity = 'error'`, rejected[0].id)[0].n).toBeGreaterThan(0);
    // The file that is no workbook: recorded once.
    expect(q<{ n: number }>('SELECT count(*) AS n FROM unattributed_files')[0].n).toBe(1);
    // Resubmissions: each earlier accepted file superseded exactly once, pointing to this batch's submission.
    const superseded = q<{ unit_code: string; superseded_by: number }>(`SELECT unit_code, superseded_by FROM submissions WHERE status = 'superseded' ORDER BY unit_code`);
    if (expectSuperseded) {
      expect(superseded.map((s) => s.unit_code)).toEqual([...VALID].sort());
      for (const s of superseded) expect(s.superseded_by, s.unit_code).toBe(accepted.find((a) => a.unit_code === s.unit_code)!.id);
    } else {
      expect(superseded).toEqual([]);
    }
    expect(q<{ n: number }>('SELECT count(*) AS n FROM submissions')[0].n).toBe(VALID.length + 1 + (expectSuperseded ? VALID.length : 0));
    // No row without its submission.
    for (const t of ['field_values', 'messages', 'narratives', 'contacts']) {
      expect(q(`SELECT * FROM ${t} WHERE submission_id NOT IN (SELECT id FROM submissions)`), t).toEqual([]);
    }
  } finally {
    db.close();
  }
  // The archive keeps each content once, and no half-written file is left behind.
  const archived = listFiles(path.join(wsDir, 'archive'));
  expect(archived.filter((f) => f.includes('.tmp'))).toEqual([]);
  const shas = archived.map((f) => path.basename(f).split('.')[0]);
  expect(new Set(shas).size).toBe(shas.length);
  for (const bytes of batch.values()) expect(shas).toContain(sha(bytes));
}

function sha(bytes: Buffer): string {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}
describe('hai tiến trình cùng nhập một thư mục', () => {
  it('on a new workspace (both create and migrate the database at once): each file stored once', async () => {
    for (let round = 0; round < 2; round++) {
      const wsDir = path.join(root, `new-${round}`);
      const inbox = path.join(wsDir, 'inbox');
      writeFolder(inbox, batch);
      const [a, b] = await ingestTwice(wsDir, inbox);
      checkOutcomes(a, b);
      checkStore(wsDir, false);
    }
  });

  it('over earlier accepted submissions: each one superseded exactly once, by this batch', async () => {
    const wsDir = path.join(root, 'resubmit');
    writeFolder(path.join(wsDir, 'first'), earlier);
    const first = await hoctap(['-w', wsDir, 'ingest', path.join(wsDir, 'first'), '--year', String(YEAR), '--received-at', '2024-11-01', '--format', 'json']);
    expect(first.code, first.stderr).toBe(0);
    const inbox = path.join(wsDir, 'inbox');
    writeFolder(inbox, batch);
    const [a, b] = await ingestTwice(wsDir, inbox);
    checkOutcomes(a, b);
    const supersedes = [...a, ...b].filter((f) => f.status === 'accepted').map((f) => f.supersedes);
    expect(supersedes.every((s) => s !== null)).toBe(true);
    checkStore(wsDir, true);
  });
});
