/**
 * Nothing accepted is replaced silently: a blank template after a good file, a smaller resubmission (held until
 * --replace), and restore, through the CLI as the analyst runs it, on real workbooks.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace, type Workspace } from '../src/catalog/workspace.ts';
import { buildTemplateWorkbook } from '../src/templates/generate.ts';
import { fillTemplate, plausibleValues } from '../fixtures/fill.ts';
import { tempDir } from './helpers/tools.ts';
import { runHoctap } from './helpers/cli.ts';

const YEAR = 2024;
let ws: Workspace;
let dir: string;

function hoctap(...args: string[]) {
  const r = runHoctap(['-w', dir, ...args], { timeout: 120_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
/** score without its timestamp: what the analyst reads. */
const score = () => JSON.parse(hoctap('score', '--year', String(YEAR), '--format', 'json').stdout, (k, v) => (k === 'generatedAt' ? undefined : v));
const json = (r: { stdout: string }) => JSON.parse(r.stdout);

async function write(name: string, unitCode: string, change: (values: Record<string, number | string>) => Record<string, unknown>): Promise<string> {
  const unit = ws.roster.find((u) => u.code === unitCode)!;
  const wb = await buildTemplateWorkbook(ws, unit, YEAR);
  const file = path.join(dir, 'inbox', name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, await fillTemplate(wb, change(plausibleValues(ws, unit))));
  return file;
}

beforeAll(() => {
  dir = tempDir('hoctap-resubmit-');
  ws = openWorkspace(dir);
});

describe('resubmissions never replace accepted figures silently', () => {
  let good: string;
  let firstScore: unknown;
  it('a blank template sent after a good file is refused, and the scores stay byte for byte', async () => {
    good = await write('Q1.xlsx', 'Q1', (v) => v);
    expect(hoctap('ingest', good, '--year', String(YEAR), '--received-at', '09/12/2024').code).toBe(0);
    firstScore = score();
    const blankDir = path.join(dir, 'blank');
    expect(hoctap('generate-templates', '--year', String(YEAR), '--unit', 'Q1', '--out', blankDir).code).toBe(0);
    const r = hoctap('ingest', blankDir, '--year', String(YEAR), '--format', 'json');
    expect(r.code).toBe(1);
    const f = json(r).files[0];
    expect(f.status).toBe('rejected');
    expect(f.messages.map((m: { code: string }) => m.code)).toContain('no_figures');
    expect(f.reason).toContain('biểu mẫu chưa điền số liệu');
    expect(JSON.stringify(score())).toBe(JSON.stringify(firstScore));
  });

  let smaller: string;
  let heldId: number;
  it('a resubmission that removes figures is held, says what it would change and how to confirm it', async () => {
    // Q1 sends again without 1.1.2-a's figures and with one figure changed.
    smaller = await write('Q1-gui-lai.xlsx', 'Q1', (v) => {
      const other = Object.keys(v).find((k) => !k.startsWith('1.1.2-a.') && typeof v[k] === 'number')!;
      return { ...v, '1.1.2-a.m.tu': null, '1.1.2-a.m.mau': null, [other]: (v[other] as number) + 1 };
    });
    const dry = json(hoctap('ingest', smaller, '--year', String(YEAR), '--dry-run', '--format', 'json')).files[0];
    expect(dry.change).toMatchObject({ removed: 2, changed: 1 });
    const r = hoctap('ingest', smaller, '--year', String(YEAR));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Tạm giữ, chưa dùng');
    expect(r.stdout).toMatch(/2 bỏ/);
    expect(r.stdout).toContain('--replace');
    const hist = json(hoctap('history', '--unit', 'Q1', '--year', String(YEAR), '--format', 'json'));
    const held = hist.submissions.find((s: { status: string }) => s.status === 'held');
    expect(held.file).toBe('Q1-gui-lai.xlsx');
    heldId = held.id;
    expect(JSON.stringify(score())).toBe(JSON.stringify(firstScore)); // held: nothing in force changed
  });

  it('--replace puts it in force, recorded as an event with who and why', () => {
    // The very file that is held, confirmed: it goes in force, as the analyst's confirmation.
    const f = json(hoctap('ingest', smaller, '--year', String(YEAR), '--replace', '--format', 'json')).files[0];
    expect(f).toMatchObject({ status: 'accepted', held: false, submissionId: heldId });
    const hist = json(hoctap('history', '--unit', 'Q1', '--year', String(YEAR), '--format', 'json'));
    expect(hist.submissions.find((s: { status: string }) => s.status === 'accepted').id).toBe(heldId);
    expect(JSON.stringify(score())).not.toBe(JSON.stringify(firstScore));
    const events = hist.events;
    expect(events.at(-1)).toMatchObject({ reason: 'confirmation', inForce: heldId });
    expect(events.at(-1).user).toBeTruthy();
  });

  it('restore brings back the first submission\'s scores exactly', () => {
    const hist = json(hoctap('history', '--unit', 'Q1', '--year', String(YEAR), '--format', 'json'));
    const first = hist.submissions.find((s: { file: string }) => s.file === 'Q1.xlsx');
    const r = hoctap('restore', String(first.id));
    expect(r.code).toBe(0);
    expect(JSON.stringify(score())).toBe(JSON.stringify(firstScore));
    const events = json(hoctap('history', '--unit', 'Q1', '--format', 'json')).events;
    expect(events.at(-1)).toMatchObject({ reason: 'restore', inForce: first.id });
  });
});
