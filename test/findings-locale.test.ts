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

/** The fixture's count of 24 districts where 22 exist (KH.1.1-c, cell G55): a query, accepted, unanswered. */
// Fixtures regenerated for issue 23: the labour department now explains its unemployment rates (1.2.2-a), and an
// answered query is said as "có giải trình" in the notes, not in the locale's words; the Sở GDĐT's KH.1.1-c is the
// finding left unanswered, so the wording is watched there.
const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/2024/dot-1/2024_SGDDT_So-Giao-duc-va-Dao-tao.xlsx');
const DATE = { year: 2024, month: 12, day: 20 };
const ID = 'KH.1.1-c';
const CODE = 'more_than_local_units';
const OLD_WORDS = 'nhiều hơn cả 22 đơn vị cấp địa phương';
const NEW_WORDS = 'Số quận, huyện (lời mới) vượt danh sách';

let dir: string;
let ws: Workspace;
let batch: BatchResult;

/** The locale with the query's words changed: its reason says NEW_WORDS and the figure it is about. */
function changedWording(): void {
  useLocale({
    ...VI,
    codes: { ...VI_CODES, more_than_local_units: { ...VI_CODES.more_than_local_units, reason: (p) => `${NEW_WORDS} (${p.value} > ${p.limit})` } },
  });
}

/** The notes the report gives indicator KH.1.1-c (the workbook's full notes, as `hoctap score` prints them too). */
async function reportNotes(): Promise<string> {
  const db = openDatabase(ws.dbPath);
  try {
    const { score } = await collectReportInput(ws, storeOn(db), 2024, DATE);
    return indicatorNotes(score.indicators.find((i) => i.id === ID)!, score.previousYear).join('\n');
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
  batch = await ingest(ws, [FIXTURE], { year: 2024, now: new Date('2024-12-09T03:00:00Z') });
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
    // Fixtures regenerated for issue 23: the unanswered finding is KH.1.1-c's 24 districts (was 1.2.2-a's Tổng 3,5%).
    expect(before).toContain(`chưa giải trình (chỉ số ${ID}`);
    expect(before).toContain(`24 đơn vị, ${OLD_WORDS}`);
    changedWording();
    const after = await reportNotes();
    expect(after).toContain(`${NEW_WORDS} (24 > 22)`);
    expect(after).not.toContain(OLD_WORDS);
    // What the note is about is kept: the unit, the indicator and the field's label.
    expect(after).toMatch(/Sở Giáo dục và Đào tạo: cảnh báo chưa giải trình \(chỉ số KH\.1\.1-c, "Tổng số quận, huyện, thành phố Thủ Đức": Số quận, huyện \(lời mới\)/);
  });

  it('is what the CLI prints for a batch (table and JSON) and what history says of the stored finding', async () => {
    const table = () => renderBatch(batch);
    const json = () => JSON.stringify(batchJson(batch));
    // Fixtures regenerated for issue 23: the finding watched is KH.1.1-c's count of 24 districts (was 1.2.2-a's Tổng 3,5%).
    expect(table()).toContain(OLD_WORDS);
    changedWording();
    expect(table()).toContain(NEW_WORDS);
    expect(table()).not.toContain(OLD_WORDS);
    const query = batchJson(batch).files[0].messages.find((m) => m.code === CODE)!;
    expect(query.text).toContain(`ô G55 — chỉ số ${ID}, `);
    expect(query.text).toContain(`${NEW_WORDS} (24 > 22). Giá trị nhận được: "24"`);
    expect(json()).not.toContain(OLD_WORDS);
    const stored = (await storedMessages()).find((m) => m.code === CODE)!;
    // The store keeps the sentence said when the file came in, and the finding's parameters that words it now.
    expect(stored.text).toContain(OLD_WORDS);
    expect(JSON.parse(stored.params!)).toMatchObject({ params: { value: 24, limit: 22 } });
    expect(storedWords(stored).text).toContain(NEW_WORDS);
  });
});

describe('a finding stored before schema 4 (its sentence only)', () => {
  // Fixtures regenerated for issue 23: on KH.1.1-c, which the Sở GDĐT leaves unexplained (1.2.2-a is now explained,
  // and an explained indicator's notes say "có giải trình" whatever was stored).
  const OLD = 'SGDDT.xlsx, trang ChiSo, ô G30 — chỉ số KH.1.1-c: câu của phiên bản trước.';

  it('is said as stored, in the report\'s notes and in history, whatever the locale says', async () => {
    const db = openDatabase(ws.dbPath);
    try {
      db.prepare(`INSERT INTO messages (submission_id, severity, code, sheet, cell, indicator_id, field_id, value_seen, expected, text)
        VALUES (?, 'warning', 'outlier', 'ChiSo', 'G30', 'KH.1.1-c', 'KH.1.1-c.m.tu', '21', 'lời khuyên cũ', ?)`).run(batch.files[0].submissionId!, OLD);
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
