/**
 * The table of codes (src/findings/codes.ts) and README's table of codes say the same: every code documented with its
 * severity, no code documented that ingest does not have.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CODES, finding, isQuery, queryKind, severityOf, type Code } from '../src/findings/codes.ts';
import { reasonText, remedyText } from '../src/findings/render.ts';
import { CHECKS } from '../src/ingest/checks/index.ts';

const README = fs.readFileSync(path.resolve(import.meta.dirname, '../docs/ingest.md'), 'utf8'); // the table of codes lives in docs/ingest.md

/** Code → what README's "Loại" column says of it, from the table whose header is "| Mã | Loại | Nội dung |". */
function readmeCodes(): Map<string, string> {
  const lines = README.split('\n');
  const start = lines.findIndex((l) => /^\|\s*Mã\s*\|\s*Loại\s*\|\s*Nội dung\s*\|/.test(l));
  expect(start, 'README has the table of codes').toBeGreaterThan(0);
  const out = new Map<string, string>();
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    const [codes, kind] = line.split('|').slice(1, 3).map((c) => c.trim());
    for (const m of codes.matchAll(/`([a-z_]+)`/g)) {
      expect(out.has(m[1]), `${m[1]} is listed twice in README`).toBe(false);
      out.set(m[1], kind);
    }
  }
  return out;
}

/**
 * "lỗi …" is an error; "cảnh báo" a warning; "câu hỏi (bất thường)" / "câu hỏi (không thể đúng)" a warning the unit may
 * answer (a query), of its kind (issue 23: plausibility or impossibility).
 */
const QUERY_KINDS: Record<string, string> = { 'câu hỏi (bất thường)': 'plausibility', 'câu hỏi (không thể đúng)': 'impossibility' };
const severityOfKind = (kind: string) => (kind.startsWith('lỗi') ? 'error' : kind === 'cảnh báo' ? 'warning' : QUERY_KINDS[kind] ? `warning, query ${QUERY_KINDS[kind]}` : `unknown "${kind}"`);

describe('the table of ingest codes', () => {
  it('README lists every code of src/ingest/codes.ts with its severity, and no other', () => {
    const documented = readmeCodes();
    const table = Object.keys(CODES) as Code[];
    expect([...documented.keys()].filter((c) => !(c in CODES)), 'in README, not in src/findings/codes.ts').toEqual([]);
    expect(table.filter((c) => !documented.has(c)), 'in src/findings/codes.ts, not in README').toEqual([]);
    for (const code of table) expect(`${code}: ${severityOfKind(documented.get(code)!)}`).toBe(`${code}: ${severityOf(code)}${isQuery(code) ? `, query ${queryKind(code)}` : ''}`);
  });

  it('a finding is data (a code and its facts), worded in Vietnamese by the locale, with the remedy it gives', () => {
    // Findings carry no words since they became data (src/findings): the words come from the locale at output.
    const wrongYear = finding('wrong_year', { got: 2023, want: 2024 });
    expect(wrongYear).toEqual({ code: 'wrong_year', params: { got: 2023, want: 2024 } });
    expect([reasonText(wrongYear), remedyText(wrongYear)]).toEqual(['biểu mẫu của năm 2023, không phải năm 2024', 'biểu mẫu năm 2024']);
    expect(remedyText(finding('feedback_failed', { error: 'EACCES' }))).toBeNull();
    expect(reasonText(finding('io_error', { errno: 'EBUSY' }))).toBe('không đọc được tệp (tệp đang bị chương trình khác mở)');
  });

  it('each check names the codes it raises; no two checks share a code', () => {
    const owner = new Map<string, string>();
    for (const check of CHECKS) {
      expect(check.codes.length, check.name).toBeGreaterThan(0);
      for (const code of check.codes) {
        expect(code in CODES, `${check.name}: ${code}`).toBe(true);
        expect(owner.get(code), `${code} is claimed by ${owner.get(code)} and ${check.name}`).toBeUndefined();
        owner.set(code, check.name);
      }
    }
    // Issue 22: the batch and provenance checks (once written inline in ingest) run first; then identity, as before.
    expect(CHECKS.slice(0, 4).map((c) => c.name)).toEqual(['batch', 'signature', 'sender', 'identity']);
  });
});
