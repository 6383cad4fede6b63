/**
 * A command that only reads (status, score, report) sees one snapshot of the store: another analyst's ingest committed
 * while it runs is not half seen. On node:sqlite (a read transaction) and on PostgreSQL (REPEATABLE READ).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStore } from '../src/store/postgres/open.ts';
import { openSqliteForReading, openSqliteStore } from '../src/store/sqlite/open.ts';
import type { NewSubmission, Store } from '../src/store/store.ts';
import { havePostgres, startPostgres, type PgCluster } from './helpers/pg.ts';
import { tempDir } from './helpers/tools.ts';

const file = (unitCode: string, sha: string): NewSubmission => ({
  unitCode, year: 2024, fileName: `${unitCode}.xlsx`, sha256: sha.repeat(64), archivePath: `archive/${sha}.xlsx`, sourceKind: 'xlsx',
  catalogVersion: null, templateVersion: null, receivedAt: '2024-12-01T00:00:00.000Z', ingestedAt: '2024-12-01T00:00:00.000Z',
  status: 'accepted', errorCount: 0, warningCount: 0, values: [{ fieldId: 'a.b.c', indicatorId: 'a.b', raw: '1', num: 1, text: null, sheet: null, cell: null, line: null, note: null }],
  messages: [], narratives: [], contact: null, user: 'lan',
});

/** The reader opened first sees one unit; the writer then stores a second; the reader still sees one, a new reader two. */
async function readerKeepsItsSnapshot(reader: () => Promise<Store>, writer: Store): Promise<void> {
  await writer.recordSubmission(file('Q1', 'a'));
  const r = await reader();
  try {
    expect((await r.acceptedValues(2024)).map((v) => v.unitCode)).toEqual(['Q1']);
    await writer.recordSubmission(file('Q3', 'b'));
    expect((await r.acceptedValues(2024)).map((v) => v.unitCode)).toEqual(['Q1']);
    expect(await r.acceptedSubmissionCount(2024)).toBe(1);
  } finally {
    await r.close();
  }
  const fresh = await reader();
  expect(await fresh.acceptedSubmissionCount(2024)).toBe(2);
  await fresh.close();
}

let root: string;
beforeAll(() => { root = tempDir('hoctap-snapshot-'); });
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('reads in one snapshot', () => {
  it('node:sqlite', async () => {
    const db = path.join(root, 'ws', 'hoctap.sqlite');
    const writer = openSqliteStore(db);
    try {
      await readerKeepsItsSnapshot(() => Promise.resolve(openSqliteForReading(db, { snapshot: true })!), writer);
    } finally {
      await writer.close();
    }
  });

  const pgHere = havePostgres();
  let pg: PgCluster | null = null;
  beforeAll(() => { if (pgHere) pg = startPostgres(); });
  afterAll(() => pg?.stop());

  it.runIf(pgHere)('PostgreSQL', async () => {
    pg!.psql('CREATE DATABASE snap');
    const url = pg!.url('postgres', 'snap');
    const writer = await openPostgresStore(url, { create: true });
    try {
      await readerKeepsItsSnapshot(() => openPostgresStore(url, { snapshot: true }), writer);
    } finally {
      await writer.close();
    }
  });
});
