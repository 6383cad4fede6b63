/**
 * `npm run bench`: the whole yearly cycle at national scale, stage by stage, each stage in its own process.
 *   node bench/cycle.ts [--units 3000] [--runs 1] [--keep] [--year 2024] [--workers N] [--profile ingest,generate]
 *                       [--json FILE] [--markdown] [--database postgresql://…|auto] [--pair]
 * A temporary workspace gets a roster of N local units plus the default profile's units that are not local (26 in its 2024 roster); then
 * templates are generated, filled the way units fill them (messy values through `_meta`), read to the floor, ingested,
 * scored and reported. Printed per stage: wall time, per-file median, throughput, peak memory; then the targets.
 * --database: the same on the shared PostgreSQL store (bench/pg-target.ts), then two analysts ingesting half the files
 * each at the same time (bench/pair.ts; --pair does it on the embedded store).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { writeRoster } from './roster.ts';
import { formatSummary, summarise } from './profile.ts';
import type { ReportFileFigures, Stage, StageResult } from './stage.ts';
import { docxPages } from './report-pages.ts';
import { pairSummary, runPair, type PairFigures } from './pair.ts';
import { benchDatabase, type BenchDatabase } from './pg-target.ts';

const ORDER: Stage[] = ['generate', 'fill', 'read-floor', 'ingest', 'score', 'report'];
/** The analyst's cycle; fill is the units' side and read-floor a reference, neither is counted in it. */
const CYCLE: Stage[] = ['generate', 'ingest', 'score', 'report'];

export const TARGETS = { cycleS: 180, peakMiB: 1024, ingestOverFloor: 3, reportS: 30 };

const LABELS: Record<Stage, string> = {
  generate: 'generate (tạo biểu mẫu)',
  fill: 'fill (đơn vị điền, ngoài chu kỳ)',
  'read-floor': 'read-floor (mức sàn đọc tệp)',
  ingest: 'ingest (nhập, kiểm tra, lưu)',
  score: 'score + status (đánh giá)',
  report: 'report (HTML + PDF + DOCX + XLSX)',
};

export interface Args {
  units: number; runs: number; keep: boolean; year: number; workers: number; profile: Stage[]; json: string | null; markdown: boolean;
  stages: Stage[]; workspace: string | null; database: string | null; pair: boolean;
}

function parse(argv: string[]): Args {
  const { values } = parseArgs({
    args: argv,
    options: {
      units: { type: 'string', default: '3000' },
      runs: { type: 'string', default: '1' },
      keep: { type: 'boolean', default: false },
      year: { type: 'string', default: '2024' },
      workers: { type: 'string', default: String(os.availableParallelism()) },
      profile: { type: 'string', default: '' },
      json: { type: 'string' },
      markdown: { type: 'boolean', default: false },
      stages: { type: 'string', default: ORDER.join(',') },
      workspace: { type: 'string' },
      database: { type: 'string' },
      pair: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(`Cách dùng: npm run bench -- [--units 3000] [--runs 1] [--keep] [--year 2024] [--workers N]
                       [--profile ingest,generate] [--json kết-quả.json] [--markdown]
  --units N      số đơn vị cấp xã (thêm các cơ quan không phải cấp xã trong danh sách của hồ sơ mặc định)
  --runs K       chạy K lần, in trung vị của mỗi số đo
  --keep         giữ lại thư mục làm việc tạm (in đường dẫn)
  --workers N    số luồng cho bước điền biểu mẫu (mặc định: số lõi)
  --profile ...  ghi hồ sơ CPU (node --cpu-prof) của các bước này và in các hàm tốn thời gian nhất
  --json FILE    ghi mọi số đo (từng lần chạy) ra tệp JSON
  --markdown     in thêm bảng kết quả dạng Markdown (cho README)
  --stages ...   chỉ chạy các bước này (theo thứ tự của chu kỳ), ví dụ --stages ingest,score
  --workspace D  dùng thư mục làm việc D có sẵn (của một lần --keep trước) thay cho thư mục tạm; không xóa nó
  --database U   đo trên cơ sở dữ liệu PostgreSQL U (chưa có dữ liệu của hoctap) thay cho hoctap.sqlite; "auto": một
                 cụm PostgreSQL tạm trên máy này (/usr/lib/postgresql/15/bin); rồi đo thêm hai chuyên viên cùng nhập
  --pair         đo hai chuyên viên cùng nhập, mỗi người nửa số tệp, vào cùng một kho (mặc định khi có --database)`);
    process.exit(0);
  }
  const int = (name: string, v: string, min: number) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) {
      console.error(`Lỗi: --${name} "${v}" phải là số nguyên từ ${min} trở lên.`);
      process.exit(2);
    }
    return n;
  };
  const stageList = (name: string, v: string) => {
    const list = v ? v.split(',').map((x) => x.trim()).filter(Boolean) : [];
    const bad = list.filter((p) => !ORDER.includes(p as Stage));
    if (bad.length) {
      console.error(`Lỗi: --${name} không có bước ${bad.join(', ')} (các bước: ${ORDER.join(', ')}).`);
      process.exit(2);
    }
    return list as Stage[];
  };
  const profile = stageList('profile', values.profile);
  const stages = stageList('stages', values.stages);
  if (values.workspace && !fs.existsSync(path.join(values.workspace, 'roster.csv'))) {
    console.error(`Lỗi: --workspace ${values.workspace} không có roster.csv (dùng thư mục của một lần chạy --keep).`);
    process.exit(2);
  }
  return {
    units: int('units', values.units, 1), runs: int('runs', values.runs, 1), keep: values.keep, year: int('year', values.year, 2000),
    workers: int('workers', values.workers, 1), profile, json: values.json ?? null, markdown: values.markdown,
    stages: ORDER.filter((st) => stages.includes(st)), workspace: values.workspace ? path.resolve(values.workspace) : null,
    database: values.database ?? null, pair: values.pair || values.database !== undefined,
  };
}

const STAGE_SCRIPT = path.join(import.meta.dirname, 'stage.ts');

export interface Measured extends StageResult { wallMs: number; profileFile: string | null }

/** Runs one stage in its own process; `more`: more stage options (an analyst's inbox), `tag` tells two at once apart. */
function runStage(stage: Stage, wsDir: string, args: Args, profileDir: string, more: { inbox?: string } = {}, tag = ''): Promise<Measured> {
  const resultFile = path.join(wsDir, `.bench-${stage}${tag}.json`);
  const nodeArgs = args.profile.includes(stage) ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${stage}${tag}-${Date.now()}.cpuprofile`] : [];
  const opts = JSON.stringify({ year: args.year, workers: args.workers, ...more });
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [...nodeArgs, STAGE_SCRIPT, stage, wsDir, resultFile, opts], { stdio: ['ignore', 'inherit', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - t0;
      if (code !== 0 || !fs.existsSync(resultFile)) {
        reject(new Error(`bước ${stage} thất bại (mã thoát ${code}):\n${stderr.trim()}`));
        return;
      }
      const result = JSON.parse(fs.readFileSync(resultFile, 'utf8')) as StageResult;
      fs.rmSync(resultFile);
      const profiles = nodeArgs.length ? fs.readdirSync(profileDir).filter((f) => f.startsWith(`${stage}-`)).sort() : [];
      resolve({ ...result, wallMs, profileFile: profiles.length ? path.join(profileDir, profiles[profiles.length - 1]) : null });
    });
  });
}

export function median(xs: number[]): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function machine(): { cores: number; cpu: string; ramGiB: number; node: string; platform: string } {
  let cpu = os.cpus()[0]?.model?.trim() ?? 'không rõ';
  try {
    cpu = /^model name\s*:\s*(.+)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpu;
  } catch {
    // not Linux
  }
  return { cores: os.availableParallelism(), cpu, ramGiB: Math.round(os.totalmem() / 1024 ** 3 * 10) / 10, node: process.version, platform: `${os.platform()} ${os.release()}` };
}

interface Row { label: string; wallS: number; perFileMs: number | null; throughput: number | null; peakMiB: number | null; peakTreeMiB: number | null }

function aggregate(runs: Measured[][], stage: Stage): { row: Row; raw: Measured[] } {
  const raw = runs.map((r) => r.find((m) => m.stage === stage)!).filter(Boolean);
  const wall = median(raw.map((m) => m.wallMs)) / 1000;
  const files = raw[0].files;
  const perFile = raw[0].perFileMs.length ? median(raw.map((m) => median(m.perFileMs))) : null;
  const tree = raw.every((m) => m.treePeakKiB !== null) ? median(raw.map((m) => m.treePeakKiB!)) / 1024 : null;
  return {
    row: { label: LABELS[stage], wallS: wall, perFileMs: perFile, throughput: files / wall, peakMiB: median(raw.map((m) => m.maxRssKiB)) / 1024, peakTreeMiB: tree },
    raw,
  };
}

/**
 * Pages and time of each file of the report (medians over the runs). The formats are written one after the other
 * (HTML, the PDFs in one browser, DOCX, XLSX): a file's time is its own writing; a PDF's, its rendering after the one
 * before it (a PDF printed in parts: all its parts and their joining).
 */
function reportDocuments(raw: Measured[]): string {
  const key = (d: ReportFileFigures) => `${d.format} ${d.document}`;
  const all = raw.flatMap((r) => r.documents ?? []);
  const keys = [...new Set(all.map(key))];
  const head = ['định dạng', 'tài liệu', 'trang', 'thời gian (s)', 'KiB'];
  const body = keys.map((k) => {
    const xs = all.filter((d) => key(d) === k);
    const pages = xs[0].pages === null ? null : median(xs.map((d) => d.pages!));
    const parts = xs[0].parts ? ` (${xs[0].parts} phần)` : '';
    return [xs[0].format.toUpperCase(), xs[0].document, pages === null ? '—' : `${pages}${parts}`, f1(median(xs.map((d) => d.ms)) / 1000), f1(median(xs.map((d) => d.kiB)), 0)];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const note = '  (DOCX: số trang khi Word dàn trang, ước tính bằng docx/layout, với tài liệu đến 150 trang; HTML: như bản PDF của nó;\n   PDF của báo cáo: trình duyệt in; PDF của Phụ lục III riêng: hoctap tự dàn trang, hoặc trình duyệt in thành nhiều phần rồi ghép lại\n   khi thư mục làm việc có mẫu trình bày riêng)';
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line), note].join('\n');
}

const f1 = (x: number | null, d = 1) => (x === null || Number.isNaN(x) ? '—' : x.toFixed(d));

function table(rows: Row[], markdown: boolean): string {
  const head = ['bước', 'thời gian (s)', 'trung vị/tệp (ms)', 'tệp/s', 'RSS đỉnh (MiB)'];
  const body = rows.map((r) => [
    r.label, f1(r.wallS), f1(r.perFileMs, 2), f1(r.throughput, 1),
    r.peakMiB === null ? '—' : `${f1(r.peakMiB, 0)}${r.peakTreeMiB !== null ? ` (+ trình duyệt: ${f1(r.peakTreeMiB, 0)})` : ''}`,
  ]);
  if (markdown) {
    return [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i ? '---:' : '---')).join('|')}|`, ...body.map((b) => `| ${b.join(' | ')} |`)].join('\n');
  }
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

/** The runs: each in a new workspace (or the one given), its stages one after the other, then the two analysts. */
async function runAll(args: Args, profileDir: string, db: BenchDatabase | null): Promise<{ runs: Measured[][]; pairs: PairFigures[]; totalUnits: number }> {
  const runs: Measured[][] = [];
  const pairs: PairFigures[] = [];
  let totalUnits = 0;
  for (let r = 0; r < args.runs; r++) {
    const wsDir = args.workspace ?? fs.mkdtempSync(path.join(os.tmpdir(), 'hoctap-bench-'));
    if (args.workspace) {
      // An existing workspace: ingest starts again from an empty store, so that every run measures the same work.
      if (args.stages.includes('ingest')) for (const f of ['hoctap.sqlite', 'hoctap.sqlite-wal', 'hoctap.sqlite-shm']) fs.rmSync(path.join(wsDir, f), { force: true });
      if (args.stages.includes('ingest')) for (const d of ['archive', 'feedback']) fs.rmSync(path.join(wsDir, d), { recursive: true, force: true });
      totalUnits = fs.readFileSync(path.join(wsDir, 'roster.csv'), 'utf8').trim().split('\n').length - 1;
    } else {
      totalUnits = writeRoster(wsDir, args.units);
    }
    // The profile's non-local units are no longer 12 since the 2024 roster (issue 23): count the local ones.
    const local = fs.readFileSync(path.join(wsDir, 'roster.csv'), 'utf8').split('\n').filter((l) => l.includes(',UBND,')).length;
    if (r === 0) process.stdout.write(`hoctap bench: ${totalUnits} đơn vị (${local} cấp xã + ${totalUnits - local} cơ quan cấp thành phố), năm ${args.year}, ${args.runs} lần chạy, các bước: ${args.stages.join(', ')}\n`);
    process.stdout.write(`\nLần ${r + 1}/${args.runs} (thư mục ${wsDir})\n`);
    // Every run on an empty shared store of its own; the stage processes find it as a workspace does.
    if (db) process.env.HOCTAP_DATABASE_URL = await db.fresh(`r${r}`);
    const measured: Measured[] = [];
    try {
      for (const stage of args.stages) {
        process.stdout.write(`  ${stage.padEnd(11)} … `);
        const serverCpu = db?.serverCpuMs() ?? null;
        const res = await runStage(stage, wsDir, args, profileDir);
        // The server's CPU for the stage, once the stage's connection has ended (a bench-started cluster only).
        if (serverCpu !== null) res.extra.serverCpuMs = await new Promise<number>((resolve) => setTimeout(() => resolve(db!.serverCpuMs()! - serverCpu), 300));
        if (res.documents) await docxPages(wsDir, args.year, res.documents);
        measured.push(res);
        const extra = Object.entries(res.extra).map(([k, v]) => `${k}=${v}`).join(' ');
        process.stdout.write(`${(res.wallMs / 1000).toFixed(1)} s, ${res.files} tệp, RSS ${(res.maxRssKiB / 1024).toFixed(0)} MiB${extra ? `  (${extra})` : ''}\n`);
      }
      if (args.pair && fs.existsSync(path.join(wsDir, 'returned'))) {
        process.stdout.write('  hai chuyên viên cùng nhập … ');
        const pair = await runPair(wsDir, args, profileDir, runStage, db, `r${r}`);
        pairs.push(pair);
        process.stdout.write(`${(pair.wallMs / 1000).toFixed(1)} s, ${pair.files.join(' + ')} tệp, ${pair.problems.length ? pair.problems.join('; ') : 'không mất tệp nào'}\n`);
      }
    } finally {
      if (!args.keep && !args.workspace) fs.rmSync(wsDir, { recursive: true, force: true });
    }
    runs.push(measured);
    if (args.keep) process.stdout.write(`  giữ lại: ${wsDir}\n`);
  }
  return { runs, pairs, totalUnits };
}

async function main(): Promise<void> {
  const args = parse(process.argv.slice(2));
  const m = machine();
  process.stdout.write(`Máy: ${m.cores} lõi, ${m.cpu}, RAM ${m.ramGiB} GiB, Node ${m.node}, ${m.platform}\n`);
  const db = args.database ? await benchDatabase(args.database) : null;
  process.stdout.write(`Kho dữ liệu: ${db ? db.label : 'hoctap.sqlite (nhúng)'}\n`);
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hoctap-bench-prof-'));
  let all: Awaited<ReturnType<typeof runAll>>;
  try {
    all = await runAll(args, profileDir, db);
  } finally {
    await db?.stop();
  }
  const { runs, pairs, totalUnits } = all;
  const has = (s: Stage) => args.stages.includes(s);
  const agg = new Map(args.stages.map((s) => [s, aggregate(runs, s)]));
  const rows = args.stages.map((s) => agg.get(s)!.row);
  if (has('report')) {
    const report = agg.get('report')!.raw;
    const sub = (label: string, key: string) => rows.push({ label, wallS: median(report.map((x) => Number(x.extra[key] ?? 0))) / 1000, perFileMs: null, throughput: null, peakMiB: null, peakTreeMiB: null });
    sub('  trong đó: mô hình + HTML', 'htmlMs');
    sub('  trong đó: các tệp (trình duyệt in PDF trong lúc Node ghi)', 'afterHtmlMs');
  }
  const documentsTable = has('report') ? reportDocuments(agg.get('report')!.raw) : '';
  const fullCycle = CYCLE.every(has);
  const cycleRuns = runs.map((run) => CYCLE.filter(has).reduce((s, st) => s + run.find((x) => x.stage === st)!.wallMs, 0) / 1000);
  const cycleS = median(cycleRuns);
  const peakOf = (x: Measured) => Math.max(x.maxRssKiB, x.treePeakKiB ?? 0) / 1024;
  const peakRuns = runs.map((run) => Math.max(...run.filter((x) => CYCLE.includes(x.stage)).map(peakOf)));
  if (CYCLE.some(has)) {
    rows.push({ label: `chu kỳ (${CYCLE.filter(has).join(' + ')})`, wallS: cycleS, perFileMs: null, throughput: totalUnits / cycleS, peakMiB: median(peakRuns), peakTreeMiB: null });
  }

  process.stdout.write(`\nKết quả (${args.runs > 1 ? `trung vị của ${args.runs} lần chạy` : 'một lần chạy'}):\n${table(rows, false)}\n`);
  if (documentsTable) process.stdout.write(`\nBáo cáo, theo định dạng và tài liệu:\n${documentsTable}\n`);
  const checks: [string, boolean][] = [];
  if (fullCycle) {
    checks.push([`chu kỳ < ${TARGETS.cycleS / 60} phút: ${f1(cycleS)} s`, cycleS < TARGETS.cycleS]);
    checks.push([`bộ nhớ đỉnh < ${TARGETS.peakMiB} MiB: ${f1(median(peakRuns), 0)} MiB (kể cả trình duyệt)`, median(peakRuns) < TARGETS.peakMiB]);
  }
  let ratio: number | null = null;
  if (has('ingest') && has('read-floor')) {
    const ingestPer = agg.get('ingest')!.row.perFileMs!;
    const floorPer = agg.get('read-floor')!.row.perFileMs!;
    ratio = ingestPer / floorPer;
    checks.push([`ingest ≤ ${TARGETS.ingestOverFloor}× mức sàn đọc tệp (trung vị/tệp): ${f1(ingestPer, 2)} ms / ${f1(floorPer, 2)} ms = ${f1(ratio, 1)}×`, ratio <= TARGETS.ingestOverFloor]);
  }
  if (has('report')) {
    const reportS = agg.get('report')!.row.wallS;
    checks.push([`báo cáo, mọi định dạng (HTML, PDF, DOCX, XLSX) < ${TARGETS.reportS} s: ${f1(reportS)} s`, reportS < TARGETS.reportS]);
  }
  const missingPdf = runs.flat().find((x) => x.stage === 'report' && x.extra.pdfMissing);
  if (missingPdf) process.stdout.write(`\nLưu ý: không đo được PDF: ${missingPdf.extra.pdfMissing}\n`);
  if (checks.length) process.stdout.write(`\nMục tiêu:\n${checks.map(([t, ok]) => `  ${ok ? 'ĐẠT     ' : 'CHƯA ĐẠT'}  ${t}`).join('\n')}\n`);
  if (pairs.length) process.stdout.write(`\n${pairSummary(pairs)}\n`);
  if (args.markdown) process.stdout.write(`\n${table(rows, true)}\n`);

  for (const run of runs) {
    for (const x of run) {
      if (x.profileFile) {
        process.stdout.write(`\nHồ sơ CPU của bước ${x.stage} (${x.profileFile}):\n${formatSummary(summarise(JSON.parse(fs.readFileSync(x.profileFile, 'utf8')), 12))}\n`);
      }
    }
  }
  if (!args.profile.length) fs.rmSync(profileDir, { recursive: true, force: true });
  if (args.json) {
    fs.writeFileSync(args.json, JSON.stringify({
      machine: m, store: db?.label ?? 'sqlite', args: { ...args, json: undefined }, totalUnits, pairs, cycleS: fullCycle ? cycleS : null, cycleRuns, peakRuns, ingestOverFloor: ratio, rows,
      runs: runs.map((run) => run.map(({ perFileMs, ...rest }) => ({ ...rest, perFileMedianMs: perFileMs.length ? median(perFileMs) : null }))),
    }, null, 2));
    process.stdout.write(`\nĐã ghi ${args.json}\n`);
  }
}

main().catch((e: Error) => {
  process.stderr.write(`\nLỗi: ${e.message}\n`);
  process.exit(1);
});
