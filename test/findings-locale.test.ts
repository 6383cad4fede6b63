/**
 * Findings are data (a code and its parameters, src/findings) and are worded only at output, by the locale: a wording
 * changed in the locale is what the CLI prints, what `hoctap history` says and what the report's notes say, for a file
 * ingested before the change too. A finding stored before schema 4 (its sentence only) is said as it was stored.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace, type Workspace } from '../src/catalog/workspace.ts';
import { batchJson, renderBatch } from '../src/cli/commands/ingest.ts';
import { useLocale } from '../src/findings/render.ts';
import { VI, VI_CODES } from '../src/findings/locale-vi.ts';
import { storedWords } from '../src/findings/stored.ts';
import { ingest } from '../src/ingest/ingest.ts';
import type { BatchResult } from '../src/ingest/types.ts';
import { collectReportInput } from '../src/report/generate.ts';
import { indicatorNotes } from '../src/scoring/format.ts';
import { MIGRATIONS } from '../src/store/sqlite/schema.ts';
import type { StoredMessage } from '../src/store/store.ts';
import { openDatabase, storeOn } from './helpers/sqlite.ts';
import { runHoctap } from './helpers/cli.ts';
import { tempDir } from './helpers/tools.ts';

/** The fixture's unemployment rates (Nam 60,9 %, Nữ 45,7 %, Tổng 3,5 %): a query on 1.2.2-a, accepted, unanswered. */
const SNV_FIXTURE = path.resolve(import.meta.dirname, '../fixtures/2024/dot-1/2024_SNV_So-Lao-dong-Thuong-binh-va-Xa-hoi.xlsx');
const DATE = { year: 2024, month: 12, day: 20 };
const NEW_WORDS = 'Tổng (lời mới) nằm ngoài Nam và Nữ';

let dir: string;
let ws: Workspace;
let batch: BatchResult;

/** The locale with the query's words changed: its reason says NEW_WORDS and the figure it is about. */
function changedWording(): void {
  useLocale({
    ...VI,
    codes: { ...VI_CODES, total_outside_parts: { ...VI_CODES.total_outside_parts, reason: (p) => `${NEW_WORDS} (${p.total.value}%)` } },
  });
}

/** The notes the report gives indicator 1.2.2-a (the workbook's full notes, as `hoctap score` prints them too). */
async function reportNotes(): Promise<string> {
  const db = openDatabase(ws.dbPath);
  try {
    const { score } = await collectReportInput(ws, storeOn(db), 2024, DATE);
    return indicatorNotes(score.indicators.find((i) => i.id === '1.2.2-a')!, score.previousYear).join('\n');
  } finally {
    db.close();
  }
}

async function storedMessages(): Promise<StoredMessage[]> {
  const db = openDatabase(ws.dbPath);
  try {
    return await storeOn(db).messagesOf(batch.files[0].submissionId!);
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  dir = tempDir('hoctap-findings-locale-');
  ws = openWorkspace(dir);
  batch = await ingest(ws, [SNV_FIXTURE], { year: 2024, now: new Date('2024-12-09T03:00:00Z') });
  expect(batch.files[0].status).toBe('accepted');
}, 120_000);

afterEach(() => {
  useLocale(VI);
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('a wording changed in the locale', () => {
  it('is what the report\'s notes say of a finding stored before the change', async () => {
    const before = await reportNotes();
    expect(before).toContain('chưa giải trình (chỉ số 1.2.2-a');
    expect(before).toContain('Tổng 3,5% không nằm giữa Nam');
    changedWording();
    const after = await reportNotes();
    expect(after).toContain(`${NEW_WORDS} (3.5%)`);
    expect(after).not.toContain('không nằm giữa Nam');
    // What the note is about is kept: the unit, the indicator and the field's label.
    expect(after).toMatch(/Sở Lao động[^:]*: cảnh báo chưa giải trình \(chỉ số 1\.2\.2-a, "[^"]+": Tổng \(lời mới\)/);
  });

  it('is what the CLI prints for a batch (table and JSON) and what history says of the stored finding', async () => {
    const table = () => renderBatch(batch);
    const json = () => JSON.stringify(batchJson(batch));
    expect(table()).toContain('không nằm giữa Nam');
    changedWording();
    expect(table()).toContain(NEW_WORDS);
    expect(table()).not.toContain('không nằm giữa Nam');
    const query = batchJson(batch).files[0].messages.find((m) => m.code === 'total_outside_parts')!;
    expect(query.text).toContain(`— chỉ số 1.2.2-a, `);
    expect(query.text).toContain(`${NEW_WORDS} (3.5%). Giá trị nhận được: "3.5"`);
    expect(json()).not.toContain('không nằm giữa Nam');
    const stored = (await storedMessages()).find((m) => m.code === 'total_outside_parts')!;
    // The store keeps the sentence said when the file came in, and the finding's parameters that words it now.
    expect(stored.text).toContain('không nằm giữa Nam');
    expect(JSON.parse(stored.params!)).toMatchObject({ params: { total: { role: 'total', value: 3.5 } } });
    expect(storedWords(stored).text).toContain(NEW_WORDS);
  });
});

describe('a finding stored before schema 4 (its sentence only)', () => {
  const OLD = 'SLDTBXH.xlsx, trang ChiSo, ô G30 — chỉ số 1.2.2-a: câu của phiên bản trước.';

  it('is said as stored, in the report\'s notes and in history, whatever the locale says', async () => {
    const db = openDatabase(ws.dbPath);
    try {
      db.prepare(`INSERT INTO messages (submission_id, severity, code, sheet, cell, indicator_id, field_id, value_seen, expected, text)
        VALUES (?, 'warning', 'outlier', 'ChiSo', 'G30', '1.2.2-a', '1.2.2-a.tong.tl', '3.5', 'lời khuyên cũ', ?)`).run(batch.files[0].submissionId!, OLD);
    } finally {
      db.close();
    }
    changedWording();
    expect(await reportNotes()).toContain(`cảnh báo chưa giải trình (${OLD})`);
    expect(storedWords((await storedMessages()).find((m) => m.text === OLD)!)).toEqual({ text: OLD, expected: 'lời khuyên cũ' });
  });

  it('an upgraded database keeps its findings\' sentences, and `hoctap history` prints them', () => {
    const old = tempDir('hoctap-findings-v3-');
    const file = openWorkspace(old).dbPath;
    const db = new DatabaseSync(file);
    for (const m of MIGRATIONS.slice(0, 3)) db.exec(m);
    db.exec('PRAGMA user_version = 3');
    db.prepare(`INSERT INTO submissions (unit_code, year, file_name, sha256, archive_path, source_kind, received_at, ingested_at, status, error_count)
      VALUES ('Q1', 2024, 'q1.csv', 'b', 'archive/b', 'csv', '2024-12-01', '2024-12-01', 'rejected', 1)`).run();
    db.prepare(`INSERT INTO messages (submission_id, severity, code, line, field_id, value_seen, expected, text)
      VALUES (1, 'error', 'not_a_number', 4, '1.1.2-a.m.tu', 'abc', 'một số', 'q1.csv, dòng 4 — ô 1.1.2-a.m.tu: câu cũ.')`).run();
    db.close();
    const res = runHoctap(['-w', old, 'history', '--format', 'json']);
    expect(res.status, res.stderr).toBe(0);
    const [sub] = (JSON.parse(res.stdout) as { submissions: { messages: { code: string; text: string; expected: string }[] }[] }).submissions;
    expect(sub.messages).toEqual([expect.objectContaining({ code: 'not_a_number', text: 'q1.csv, dòng 4 — ô 1.1.2-a.m.tu: câu cũ.', expected: 'một số' })]);
    expect(runHoctap(['-w', old, 'history']).stdout).toContain('  q1.csv, dòng 4 — ô 1.1.2-a.m.tu: câu cũ.');
    fs.rmSync(old, { recursive: true, force: true });
  }, 60_000);
});
