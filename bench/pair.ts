/**
 * Two analysts ingesting at the same time into one store: the filled workbooks split in two halves (every other file),
 * each half ingested by its own `ingest` stage process, both started together. On PostgreSQL each analyst has a
 * workspace folder of their own on the one database (a copy of the bench's configuration, as `init --database` gives
 * a second PC); on the embedded store both work in the one folder (its hoctap.sqlite). Measured: the time until both
 * are done; then nothing lost: every file is a submission or an unattributed file in the store, every accepted one
 * has its event, the archive holds every content once.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { Args, Measured } from './cycle.ts';
import type { BenchDatabase } from './pg-target.ts';
import type { Stage } from './stage.ts';

export interface PairFigures {
  wallMs: number;
  /** Files of each analyst, and what both said of them. */
  files: [number, number]; accepted: number; rejected: number; duplicate: number;
  /** What the store holds afterwards. */
  stored: { submissions: number; unattributed: number; events: number; archived: number | null };
  /** What is wrong with the store afterwards (a file missing, a content archived twice, an event missing): none. */
  problems: string[];
}

type RunStage = (stage: Stage, wsDir: string, args: Args, profileDir: string, more: { inbox?: string }, tag: string) => Promise<Measured>;

/** Every other filled workbook into each analyst's folder (hard links: nothing copied). */
function split(wsDir: string): [string, string] {
  const returned = path.join(wsDir, 'returned');
  const halves: [string, string] = [path.join(wsDir, 'returned-a'), path.join(wsDir, 'returned-b')];
  for (const h of halves) {
    fs.rmSync(h, { recursive: true, force: true });
    fs.mkdirSync(h);
  }
  fs.readdirSync(returned).filter((f) => f.endsWith('.xlsx')).sort().forEach((f, i) => {
    const to = path.join(halves[i % 2], f);
    try {
      fs.linkSync(path.join(returned, f), to);
    } catch {
      fs.copyFileSync(path.join(returned, f), to);
    }
  });
  return halves;
}

/** The second analyst's folder: the bench workspace's configuration, not its files, store or outputs. */
function secondFolder(wsDir: string): string {
  const dir = `${wsDir}-b`;
  fs.rmSync(dir, { recursive: true, force: true });
  const skip = new Set(['templates', 'returned', 'returned-a', 'returned-b', 'feedback', 'reports', 'archive']);
  fs.cpSync(wsDir, dir, { recursive: true, filter: (src) => {
    const rel = path.relative(wsDir, src).split(path.sep);
    return !skip.has(rel[0]) && !rel[0].startsWith('hoctap.sqlite') && !rel[0].startsWith('.bench-');
  } });
  return dir;
}

function embeddedCounts(wsDir: string): PairFigures['stored'] & { twice: number } {
  const db = new DatabaseSync(path.join(wsDir, 'hoctap.sqlite'), { readOnly: true });
  try {
    const n = (q: string) => Number((db.prepare(q).get() as { n: number }).n);
    const archived = fs.readdirSync(path.join(wsDir, 'archive'), { recursive: true }).map(String).filter((f) => /[0-9a-f]{64}\./.test(f));
    return {
      submissions: n('SELECT count(*) AS n FROM submissions'), unattributed: n('SELECT count(*) AS n FROM unattributed_files'),
      events: n('SELECT count(*) AS n FROM events'), archived: archived.length, twice: archived.length - new Set(archived.map((f) => path.basename(f).split('.')[0])).size,
    };
  } finally {
    db.close();
  }
}

export async function runPair(wsDir: string, args: Args, profileDir: string, runStage: RunStage, db: BenchDatabase | null, tag: string): Promise<PairFigures> {
  const [a, b] = split(wsDir);
  let other = wsDir;
  if (db) {
    process.env.HOCTAP_DATABASE_URL = await db.fresh(`pair_${tag}`);
    other = secondFolder(wsDir);
  } else {
    for (const f of ['hoctap.sqlite', 'hoctap.sqlite-wal', 'hoctap.sqlite-shm', 'archive', 'feedback']) fs.rmSync(path.join(wsDir, f), { recursive: true, force: true });
  }
  try {
    const t0 = performance.now();
    const results = await Promise.all([runStage('ingest', wsDir, args, profileDir, { inbox: a }, '-a'), runStage('ingest', other, args, profileDir, { inbox: b }, '-b')]);
    const wallMs = performance.now() - t0;
    const sum = (k: string) => results.reduce((s, r) => s + Number(r.extra[k] ?? 0), 0);
    const stored = db
      ? { submissions: await db.count('submissions'), unattributed: await db.count('unattributed_files'), events: await db.count('events'), archived: await db.count('archive_files'), twice: 0 }
      : embeddedCounts(wsDir);
    const files: [number, number] = [results[0].files, results[1].files];
    const { twice, ...held } = stored;
    const total = files[0] + files[1];
    const problems = [
      ...(held.submissions + held.unattributed !== total ? [`${total - held.submissions - held.unattributed} tệp không có trong kho`] : []),
      ...(held.archived !== total ? [`bản lưu giữ ${held.archived} tệp, đã nhập ${total}`] : []),
      ...(twice ? [`${twice} tệp lưu hai lần`] : []),
      ...(held.events !== sum('accepted') ? [`${held.events} sự kiện cho ${sum('accepted')} tệp được nhận`] : []),
    ];
    return { wallMs, files, accepted: sum('accepted'), rejected: sum('rejected'), duplicate: sum('duplicate'), stored: held, problems };
  } finally {
    for (const d of [a, b]) fs.rmSync(d, { recursive: true, force: true });
    if (other !== wsDir) fs.rmSync(other, { recursive: true, force: true });
  }
}

/** The pair's figures, median of the runs, and whether anything was lost in any run. */
export function pairSummary(pairs: PairFigures[]): string {
  const wall = [...pairs.map((p) => p.wallMs)].sort((x, y) => x - y)[pairs.length >> 1] / 1000;
  const p = pairs[0];
  const problems = pairs.flatMap((x) => x.problems);
  return [
    `Hai chuyên viên cùng nhập vào một kho (${pairs.length > 1 ? `trung vị của ${pairs.length} lần` : 'một lần'}): ${p.files.join(' + ')} tệp trong ${wall.toFixed(1)} s ` +
      `(${((p.files[0] + p.files[1]) / wall).toFixed(1)} tệp/s); nhận ${p.accepted}, từ chối ${p.rejected}, trùng ${p.duplicate}.`,
    `  Kho sau đó: ${p.stored.submissions} lần nộp + ${p.stored.unattributed} tệp không rõ đơn vị, ${p.stored.events} sự kiện, bản lưu ${p.stored.archived} tệp: ` +
      (problems.length ? `CÓ VẤN ĐỀ: ${problems.join('; ')}` : 'không mất tệp nào, không tệp nào lưu hai lần.'),
  ].join('\n');
}
