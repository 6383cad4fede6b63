/** The CLI frame in Vietnamese: commander's help, its error messages and suggestions, the year limits. */
import { describe, expect, it } from 'vitest';
import { runHoctap } from './helpers/cli.ts';
import { translateCommanderError } from '../src/cli/help-vi.ts';

const COMMANDS = ['init', 'catalog', 'generate-templates', 'ingest', 'history', 'status', 'score', 'report', 'demo', 'help'];
/** The English words commander writes unless told otherwise. */
const ENGLISH = /\b(Usage|Options|Commands|Arguments|Global Options|default:|choices:|display help|output the version)\b|\[options\]|\[command\]/;

describe('help in Vietnamese', () => {
  it('the program and every command: no English heading, note or placeholder', () => {
    const helps = [runHoctap(['--help']), ...COMMANDS.map((c) => runHoctap([c, '--help']))];
    for (const [i, r] of helps.entries()) {
      const what = i === 0 ? 'hoctap --help' : `hoctap ${COMMANDS[i - 1]} --help`;
      expect(r.status, what).toBe(0);
      expect(r.stdout, what).toMatch(/^Cách dùng: /);
      expect(r.stdout, what).not.toMatch(ENGLISH);
      expect(r.stdout, what).toContain('Tùy chọn:');
      expect(r.stdout, what).toContain('-h, --help');
      expect(r.stdout, what).toContain('hiển thị trợ giúp');
      // Every value placeholder in Vietnamese (it has a Vietnamese letter), except the date format.
      const placeholders = [...r.stdout.matchAll(/[<[]([^\s<>[\]]+)[>\]]/g)].map((m) => m[1]).filter((p) => !p.startsWith('/'));
      for (const p of placeholders) expect(p, `${what}: <${p}>`).toMatch(/[^\x00-\x7f]|^YYYY-MM-DD$|^\.\.\.$/);
    }
    expect(helps[0].stdout).toContain('Lệnh:');
    expect(helps[0].stdout).toContain('init [tùy-chọn] [thư-mục]');
  });

  it('shows defaults as "mặc định" and the arguments under "Tham số"', () => {
    const init = runHoctap(['init', '--help']);
    expect(init.stdout).toContain('(mặc định: "hcm")');
    expect(init.stdout).toContain('--profile <hồ-sơ>');
    const demo = runHoctap(['demo', '--help']);
    expect(demo.stdout).toMatch(/\(mặc định:\s+"hoctap-demo"\)/);
    const ingest = runHoctap(['ingest', '--help']);
    expect(ingest.stdout).toContain('Tham số:');
    expect(ingest.stdout).toContain('Cách dùng: ');
    expect(ingest.stdout).toMatch(/ingest \[tùy-chọn\] <tệp-hoặc-thư-mục\.\.\.>/);
    expect(ingest.stdout).toContain('--year <năm>');
  });

  it('-V prints the version of package.json', async () => {
    const { default: pkg } = await import('../package.json', { with: { type: 'json' } });
    const r = runHoctap(['-V'], { env: { npm_package_version: '' } });
    expect(r.stdout.trim()).toBe(pkg.version);
  });
});

describe('commander errors in Vietnamese', () => {
  it('a mistyped command gets the Vietnamese suggestion', () => {
    const r = runHoctap(['catalg']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('Lỗi: không có lệnh "catalg".');
    expect(r.stderr).toContain('(Có phải ý bạn là catalog?)');
    expect(r.stderr).not.toMatch(/Did you mean|error:/);
  });

  it('a mistyped option gets the Vietnamese suggestion and the command\'s help hint', () => {
    const r = runHoctap(['score', '--yaer', '2024']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('Lỗi: không có tùy chọn --yaer.');
    expect(r.stderr).toContain('(Có phải ý bạn là --year?)');
    expect(r.stderr).toMatch(/score --help" để xem cách dùng/);
    expect(r.stderr).not.toMatch(/Did you mean|error:|unknown option/);
  });

  it('missing argument, missing value, too many arguments', () => {
    const missing = runHoctap(['ingest']);
    expect(missing.stderr).toContain('Lỗi: thiếu tham số bắt buộc <tệp-hoặc-thư-mục>.');
    const value = runHoctap(['catalog', '--year']);
    expect(value.stderr).toContain('Lỗi: tùy chọn --year cần một giá trị, ví dụ --year 2024.');
    const extra = runHoctap(['catalog', 'GDDT']);
    expect(extra.stderr).toContain('Lỗi: lệnh catalog không nhận tham số; thừa: GDDT.');
    for (const r of [missing, value, extra]) {
      expect(r.status).toBe(2);
      expect(r.stderr).not.toMatch(/error:|missing|argument|too many/);
    }
  });

  it('translates every message commander has, and keeps an unknown one after "Lỗi:"', () => {
    const cases: [string, string][] = [
      ["error: unknown option '--yaer'\n(Did you mean one of --year, --yes?)", 'Lỗi: không có tùy chọn --yaer.\n(Có phải ý bạn là một trong: --year, --yes?)'],
      ["error: required option '--year <năm>' not specified", 'Lỗi: thiếu tùy chọn bắt buộc --year.'],
      ["error: too many arguments. Expected 0 arguments but got 1: x.", 'Lỗi: thừa tham số: x. Hãy ghi tên lệnh trước (ví dụ: catalog, ingest, report).'],
      ["error: option '--year <năm>' argument 'abc' is invalid. Cần số.", 'Lỗi: giá trị "abc" của --year không hợp lệ. Cần số.'],
      ["error: option '--a' cannot be used with option '--b'", 'Lỗi: không dùng được --a cùng với --b.'],
      ['error: something new', 'Lỗi: something new'],
    ];
    for (const [en, vi] of cases) expect(translateCommanderError(en + '\n')).toBe(vi + '\n');
  });
});

describe('year limits', () => {
  it('--year 1999 says which years are accepted and why', () => {
    for (const args of [['catalog', '--year', '1999'], ['score', '--year', '2101'], ['status', '--year', '1999']]) {
      const r = runHoctap(args);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('năm báo cáo phải từ 2020 đến 2100');
      expect(r.stderr).toContain('giai đoạn 2021–2030');
    }
    const r = runHoctap(['catalog', '--year', '24']);
    expect(r.stderr).toContain('cần một năm có 4 chữ số');
  });

  it('accepts the first and the last year', () => {
    expect(runHoctap(['catalog', '--year', '2020', '--format', 'json']).status).toBe(0);
    expect(runHoctap(['catalog', '--year', '2100', '--format', 'json']).status).toBe(0);
  });
});
