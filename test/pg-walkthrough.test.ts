/**
 * docs/team-walkthrough.md, step 4, as an analyst types it: the block of commands under its test marker is run line by
 * line by bash in the source folder (HOME a temporary folder), on a throwaway cluster set up with the IT's SQL of
 * docs/workspace.md. Two things differ from a user's machine, and only these: the server's address (the throwaway
 * cluster listens on a socket, not on localhost:5432) and `npx hoctap`, run as `node bin/hoctap.js` (what npx runs in
 * the source folder, without npm's start-up). What the page says the analyst sees is what the commands print.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from './helpers/cli.ts';
import { havePostgres, itSqlFromDocs, startPostgres, type PgCluster } from './helpers/pg.ts';
import { tempDir } from './helpers/tools.ts';

const pgHere = havePostgres();
const REPO = path.resolve(import.meta.dirname, '..');
const PAGE = fs.readFileSync(path.join(REPO, 'docs/team-walkthrough.md'), 'utf8');

/** The block of commands after the page's test marker. */
function walkthroughCommands(): string[] {
  const at = PAGE.indexOf('<!-- test/pg-walkthrough.test.ts');
  const m = /```sh\n([\s\S]*?)```/.exec(PAGE.slice(at));
  if (at < 0 || !m) throw new Error('docs/team-walkthrough.md: no block of commands after the test marker');
  return m[1].split('\n').filter((l) => l.trim() !== '');
}

/** What the page says a command prints: the lines it quotes after "kết thúc bằng" and "cho thấy …:". */
function quoted(after: string): string {
  const at = PAGE.indexOf(after);
  const m = /`([^`]+)`/.exec(PAGE.slice(at + after.length).replace(/\n\s*/g, ' '));
  if (at < 0 || !m) throw new Error(`docs/team-walkthrough.md: nothing quoted after "${after}"`);
  return m[1];
}

interface Ran { command: string; exit: number; output: string }

describe.runIf(pgHere)('docs/team-walkthrough.md: two folders, one PostgreSQL database', () => {
  let pg: PgCluster;
  let home: string;
  let ran: Ran[];

  beforeAll(() => {
    pg = startPostgres();
    home = tempDir('hoctap-walkthrough-');
    pg.psql(itSqlFromDocs());
    const commands = walkthroughCommands();
    // Each line, then a marker with its exit code; the throwaway cluster's socket for localhost:5432.
    const script = [
      `npx() { if [ "$1" = hoctap ]; then shift; node ${JSON.stringify(BIN)} "$@"; else command npx "$@"; fi; }`,
      ...commands.flatMap((c) => [
        c.replace(/postgresql:\/\/(\w+)@localhost\/hoctap/g, (_m, user: string) => `'${pg.url(user, 'hoctap')}'`),
        'echo "@@exit $?"',
      ]),
    ].join('\n');
    const r = spawnSync('bash', ['-c', script], {
      cwd: REPO, encoding: 'utf8', timeout: 180_000,
      env: { ...process.env, HOME: home, HOCTAP_WORKSPACE: '', HOCTAP_DATABASE_URL: '', PGPASSWORD: '', FORCE_COLOR: '0', NO_COLOR: '1', COLUMNS: '200' },
    });
    expect(r.status, r.stderr).toBe(0);
    const outputs = r.stdout.split(/^@@exit (\d+)\n/m);
    ran = commands.map((command, i) => ({ command, output: outputs[2 * i], exit: Number(outputs[2 * i + 1]) }));
  }, 200_000);
  afterAll(() => {
    pg?.stop();
    if (home) fs.rmSync(home, { recursive: true, force: true });
  });

  const hoctap = () => ran.filter((x) => x.command.startsWith('npx hoctap'));

  it('every command ends as the page says: 0, but the ingest of a batch with files rejected on purpose (1)', () => {
    expect(hoctap().map((x) => [x.command.split(' ').find((w) => /^(init|status|ingest)$/.test(w)), x.exit])).toEqual([
      ['init', 0], ['init', 0], ['status', 0], ['ingest', 1], ['status', 0],
    ]);
    expect(hoctap()[0].output).toMatch(/đã tạo dữ liệu của hoctap/);
    expect(hoctap()[1].output).toMatch(/dùng chung dữ liệu đã có/);
  });

  it('Minh\'s status shows nothing, then what Lan ingested, as the page quotes it', () => {
    const [before, after] = hoctap().filter((x) => x.command.includes(' status '));
    expect(before.output).toContain(quoted('`status` đầu tiên của Minh kết thúc bằng'));
    expect(after.output).toContain(quoted('cho thấy các đơn vị Lan vừa nhập:'));
    expect(after.output).not.toContain(quoted('`status` đầu tiên của Minh kết thúc bằng'));
  });

  it('the folders hold no data of their own and no password', () => {
    for (const who of ['lan', 'minh']) {
      const dir = path.join(home, 'nhom-hoctap', who);
      expect(fs.existsSync(path.join(dir, 'hoctap.local.json')), who).toBe(true);
      expect(fs.readFileSync(path.join(dir, 'hoctap.local.json'), 'utf8')).not.toMatch(/doi-mat-khau/);
      expect(fs.existsSync(path.join(dir, 'hoctap.sqlite')), who).toBe(false);
      expect(fs.existsSync(path.join(dir, 'archive')), who).toBe(false);
    }
  });
});
