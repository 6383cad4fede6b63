import fs from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace, type Workspace } from '../src/catalog/workspace.ts';
import { buildTemplateWorkbook } from '../src/templates/generate.ts';
import { ingest } from '../src/ingest/ingest.ts';
import { fillTemplate, plausibleValues } from '../fixtures/fill.ts';
import { tempDir } from './helpers/tools.ts';
import { runHoctap, runHoctapAsync } from './helpers/cli.ts';
import { batchExitCode } from '../src/cli/commands/ingest.ts';

function hoctap(args: string[], cwd?: string): { code: number; stdout: string; stderr: string } {
  const r = runHoctap(args, { cwd, timeout: 120_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

async function hoctapAsync(args: string[]): Promise<{ code: number; stdout: string }> {
  const r = await runHoctapAsync(args);
  return { code: r.status ?? -1, stdout: r.stdout };
}

let root: string;
let ws: Workspace;
const unit = (code: string) => ws.roster.find((u) => u.code === code)!;
async function filled(code: string, overrides: Record<string, unknown> = {}): Promise<Buffer> {
  const wb = await buildTemplateWorkbook(ws, unit(code), 2024);
  return fillTemplate(wb, { ...plausibleValues(ws, unit(code)), ...overrides });
}

beforeAll(() => {
  root = tempDir('hoctap-cli-');
  ws = openWorkspace(path.join(root, 'seed'));
});
afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

function workspace(name: string): { dir: string; inbox: string } {
  const dir = path.join(root, name);
  fs.mkdirSync(path.join(dir, 'inbox'), { recursive: true });
  return { dir, inbox: path.join(dir, 'inbox') };
}

describe('hoctap ingest and history through the CLI', () => {
  it('exit 0 when every file is accepted, with the JSON summary', async () => {
    const { dir, inbox } = workspace('ok');
    fs.writeFileSync(path.join(inbox, 'Q1.xlsx'), await filled('Q1'));
    fs.writeFileSync(path.join(inbox, 'Q3.xlsx'), await filled('Q3'));
    const r = hoctap(['-w', dir, 'ingest', inbox, '--year', '2024', '--received-at', '2024-12-09', '--format', 'json']);
    expect(r.stderr).toMatch(/^Thư mục làm việc: [^\n]*\n$/); // only the workspace it worked on (issue 12)
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(batchExitCode(out)).toBe(0);
    expect(out.files.map((f: { file: string; unit: string; status: string; errors: number }) => [f.file, f.unit, f.status, f.errors])).toEqual([
      ['Q1.xlsx', 'Q1', 'accepted', 0], ['Q3.xlsx', 'Q3', 'accepted', 0],
    ]);
    const db = new DatabaseSync(path.join(dir, 'hoctap.sqlite'), { readOnly: true });
    try {
      expect(db.prepare('SELECT DISTINCT received_at FROM submissions').all()).toEqual([{ received_at: '2024-12-09T00:00:00.000Z' }]);
    } finally {
      db.close();
    }
  });

  it('exit 1 when any file is rejected; the table names the file, the reason and the feedback folder', async () => {
    const { dir, inbox } = workspace('rejected');
    fs.writeFileSync(path.join(inbox, 'Q1.xlsx'), await filled('Q1', { '1.1.2-a.m.tu': 'không rõ' }));
    fs.writeFileSync(path.join(inbox, 'Q3.xlsx'), await filled('Q3'));
    fs.writeFileSync(path.join(inbox, 'rong.xlsx'), '');
    const r = hoctap(['-w', dir, 'ingest', inbox, '--format', 'table']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Bị từ chối');
    expect(r.stdout).toContain('Đang dùng'); // the glossary's word for an accepted file (issue 15)
    expect(r.stdout).toContain('rong.xlsx: tệp rỗng (0 byte)');
    expect(r.stdout).toContain('"không rõ"');
    expect(r.stdout).toContain('3 tệp: 1 được nhận, 2 bị từ chối, 0 đã nhập trước đó.');
    const feedbackLine = r.stdout.split('\n').find((l) => l.startsWith('Bản kiểm tra gửi lại đơn vị'))!;
    const folder = feedbackLine.slice(feedbackLine.lastIndexOf(': ') + 2).trim();
    expect(fs.readdirSync(folder)).toEqual(['Q1.kiem-tra.xlsx']);
    expect(folder.startsWith(path.join(dir, 'feedback'))).toBe(true);
  });

  it('exit 2 for usage and configuration errors, with a one-line Vietnamese reason', () => {
    const { dir, inbox } = workspace('usage');
    const cases: [string[], string][] = [
      [['ingest', path.join(inbox, 'khong-co.xlsx')], 'Không tìm thấy tệp hoặc thư mục'],
      [['ingest', inbox, '--year', '24'], '--year "24" không hợp lệ'],
      [['ingest', inbox, '--received-at', '31/02/2024'], '--received-at "31/02/2024" không hợp lệ'], // dd/mm/yyyy is accepted, a day that does not exist is not
      [['ingest'], 'thiếu tham số bắt buộc'],
      [['history', '--format', 'xml'], '--format "xml" không hợp lệ'],
    ];
    for (const [args, words] of cases) {
      const r = hoctap(['-w', dir, ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toContain(words);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    // A usage error writes nothing.
    expect(fs.existsSync(path.join(dir, 'hoctap.sqlite'))).toBe(false);
  });

  it('--dry-run prints the same messages and exit code and stores nothing', async () => {
    const { dir, inbox } = workspace('dry');
    fs.writeFileSync(path.join(inbox, 'Q1.xlsx'), await filled('Q1', { '1.1.2-a.m.tl': 12 }));
    fs.writeFileSync(path.join(inbox, 'Q3.xlsx'), await filled('Q3', { '1.3.1-b.m.tl': '0,8', '1.3.1-b.m.tu': null, '1.3.1-b.m.mau': null }));
    const dry = hoctap(['-w', dir, 'ingest', inbox, '--dry-run', '--format', 'json']);
    expect(fs.readdirSync(dir)).toEqual(['inbox']);
    const real = hoctap(['-w', dir, 'ingest', inbox, '--format', 'json']);
    expect(dry.code).toBe(1);
    expect(real.code).toBe(1);
    const pick = (s: string) => JSON.parse(s).files.map((f: Record<string, unknown>) => ({ file: f.file, status: f.status, messages: f.messages }));
    expect(pick(dry.stdout)).toEqual(pick(real.stdout));
    expect(JSON.parse(dry.stdout).dryRun).toBe(true);
  });

  it('history shows every submission, its status and date, and which one superseded which', async () => {
    const { dir, inbox } = workspace('history');
    // The submissions are made in-process (the CLI's own exit codes are tested above): one accepted, one rejected,
    // one accepted that supersedes the first, and the last one again.
    const hws = openWorkspace(dir);
    const first = path.join(inbox, 'Q4-lan-1.xlsx');
    fs.writeFileSync(first, await filled('Q4', { '1.1.2-a.m.tu': 100, '1.1.2-a.m.mau': 1000, '1.1.2-a.m.tl': 10 }));
    expect(batchExitCode(await ingest(hws, [first], { receivedAt: new Date('2024-12-01T00:00:00Z') }))).toBe(0);
    const bad = path.join(dir, 'Q4-sai.xlsx');
    fs.writeFileSync(bad, await filled('Q4', { '1.1.2-a.m.tu': 2000, '1.1.2-a.m.mau': 1000, '1.1.2-a.m.tl': 200 }));
    expect(batchExitCode(await ingest(hws, [bad], { receivedAt: new Date('2024-12-03T00:00:00Z') }))).toBe(1);
    const second = path.join(dir, 'Q4-lan-2.xlsx');
    fs.writeFileSync(second, await filled('Q4', { '1.1.2-a.m.tu': 120, '1.1.2-a.m.mau': 1000, '1.1.2-a.m.tl': 12 }));
    expect(batchExitCode(await ingest(hws, [second], { receivedAt: new Date('2024-12-05T00:00:00Z') }))).toBe(0);
    expect((await ingest(hws, [second])).files[0].status).toBe('duplicate');

    const json = hoctap(['-w', dir, 'history', '--unit', 'q4', '--year', '2024', '--format', 'json']);
    expect(json.code).toBe(0);
    const h = JSON.parse(json.stdout);
    expect(h.submissions.map((s: Record<string, unknown>) => [s.id, s.file, s.status, s.receivedAt, s.supersededBy, s.supersedes])).toEqual([
      [1, 'Q4-lan-1.xlsx', 'superseded', '2024-12-01T00:00:00.000Z', 3, null],
      [2, 'Q4-sai.xlsx', 'rejected', '2024-12-03T00:00:00.000Z', null, null],
      [3, 'Q4-lan-2.xlsx', 'accepted', '2024-12-05T00:00:00.000Z', null, 1],
    ]);
    expect(h.submissions[1].messages.map((m: { code: string }) => m.code)).toContain('num_gt_den');
    const table = hoctap(['-w', dir, 'history', '--unit', 'Q4', '--year', '2024', '--format', 'table']);
    expect(table.stdout).toContain('Đã được thay thế');
    expect(table.stdout).toContain('thay bởi #3');
    expect(table.stdout).toContain('thay cho #1');
    expect(table.stdout).toContain('#2 Q4-sai.xlsx bị từ chối vì:');
    expect(table.stdout).toContain('3 lần nhập (đơn vị Q4, năm 2024).');
    // Another unit: nothing, and no database created for a workspace that has none.
    expect(hoctap(['-w', dir, 'history', '--unit', 'Q5', '--format', 'table']).stdout).toContain('Chưa có lần nhập nào (đơn vị Q5).');
    const empty = workspace('history-empty');
    expect(hoctap(['-w', empty.dir, 'history', '--format', 'json']).code).toBe(2); // a folder without a database: a wrong -w (issue 12)
    expect(fs.existsSync(path.join(empty.dir, 'hoctap.sqlite'))).toBe(false);
  });

  it('two processes ingesting the same files at once store each file once', async () => {
    const { dir, inbox } = workspace('concurrent');
    for (const code of ['Q1', 'Q3', 'Q4', 'Q5', 'Q6']) fs.writeFileSync(path.join(inbox, `${code}.xlsx`), await filled(code));
    const [a, b] = await Promise.all([
      hoctapAsync(['-w', dir, 'ingest', inbox, '--format', 'json']),
      hoctapAsync(['-w', dir, 'ingest', inbox, '--format', 'json']),
    ]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const statuses = [...JSON.parse(a.stdout).files, ...JSON.parse(b.stdout).files].map((f: { status: string }) => f.status).sort();
    expect(statuses).toEqual([...Array(5).fill('accepted'), ...Array(5).fill('duplicate')]);
    const db = new DatabaseSync(path.join(dir, 'hoctap.sqlite'), { readOnly: true });
    try {
      expect(db.prepare('SELECT unit_code, count(*) AS n FROM submissions GROUP BY unit_code ORDER BY unit_code').all())
        .toEqual(['Q1', 'Q3', 'Q4', 'Q5', 'Q6'].map((u) => ({ unit_code: u, n: 1 })));
    } finally {
      db.close();
    }
  });
});
