/**
 * Review and approval (docs/review.md), through the CLI as the analyst and the approver run it, on a real node:sqlite
 * workspace: the transitions, the refusal for a non-approver, the lock's precondition, a file after approval (stored,
 * nothing in force changed, unless forced), a stale revision (two store handles), history, status, report --final and
 * the draft mark.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace, type Workspace } from '../src/catalog/workspace.ts';
import { openStore, openStoreForReading } from '../src/store/open.ts';
import { RevisionConflict } from '../src/store/store.ts';
import { smallCsv } from './helpers/csv.ts';
import { runHoctap } from './helpers/cli.ts';
import { needTool, tempDir } from './helpers/tools.ts';

const YEAR = 2024;
const Y = String(YEAR);
const ME = os.userInfo().username;
let dir: string;
let inbox: string;
let ws: Workspace;

function hoctap(...args: string[]) {
  const r = runHoctap(['-w', dir, ...args], { timeout: 120_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
const json = (r: { stdout: string }) => JSON.parse(r.stdout);

/** The approvers of the workspace config (hoctap.config.json "approvers"). */
function setApprovers(names: string[]): void {
  const file = path.join(dir, 'hoctap.config.json');
  const config = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  fs.writeFileSync(file, JSON.stringify({ ...config, approvers: names }, null, 2));
}

/** A unit's CSV file in the inbox; another seed gives other figures for the same fields. */
function csv(name: string, code: string, seed = YEAR): string {
  const file = path.join(inbox, name);
  fs.writeFileSync(file, smallCsv(ws, ws.roster.find((u) => u.code === code)!, YEAR, { seed }));
  return file;
}

/** The figures in force of a unit, read from the store as score and report read them. */
async function inForce(code: string): Promise<Record<string, string | null>> {
  const db = (await openStoreForReading(path.join(dir, 'hoctap.sqlite')))!;
  try {
    return Object.fromEntries((await db.acceptedValuesOfUnit(code, YEAR)).map((v) => [v.fieldId, v.raw]));
  } finally {
    await db.close();
  }
}

const unitStatus = (code: string) => json(hoctap('status', '--year', Y, '--format', 'json')).units.find((u: { unitCode: string }) => u.unitCode === code);

beforeAll(() => {
  dir = tempDir('hoctap-review-');
  inbox = path.join(dir, 'inbox');
  fs.mkdirSync(inbox);
  expect(runHoctap(['init', dir]).status).toBe(0);
  ws = openWorkspace(dir);
  const r = hoctap('ingest', csv('Q1.csv', 'Q1'), csv('Q3.csv', 'Q3'), '--year', Y, '--received-at', '01/12/2024');
  expect(r.code).toBe(0);
}, 300_000);

// Many CLI runs per test: a loaded two-core machine takes minutes over them.
const SLOW = { timeout: 400_000 };

describe('review and approval', SLOW, () => {
  it('a user not listed as approver is refused with exit 2, and nothing changes', () => {
    setApprovers(['nguoi-khac']);
    for (const args of [['approve', 'Q1', '--year', Y], ['return', 'Q1', '--year', Y, '--reason', 'x'], ['lock', '--year', Y]]) {
      const r = hoctap(...args);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`Tài khoản "${ME}" không phải người duyệt`);
      expect(r.stderr).toContain('nguoi-khac');
    }
    const forced = hoctap('ingest', path.join(inbox, 'Q1.csv'), '--force', '--reason', 'x');
    expect(forced.code).toBe(2);
    expect(forced.stderr).toContain('không phải người duyệt');
    expect(unitStatus('Q1').review).toMatchObject({ state: 'received', rev: 1 }); // its file put in force: revision 1
    expect(json(hoctap('users', '--format', 'json')).users.find((u: { user: string }) => u.user === ME).role).toBe('analyst');
    setApprovers([ME]);
    expect(json(hoctap('users', '--format', 'json')).users.find((u: { user: string }) => u.user === ME).role).toBe('approver');
    expect(hoctap('users').stdout).toMatch(new RegExp(`${ME}\\s*│\\s*Người duyệt`));
  });

  it('approve, return with a notice for the unit, unapprove: each a transition with its revision', () => {
    const a = hoctap('approve', 'Q1', '--year', Y);
    expect(a.code).toBe(0);
    expect(a.stdout).toContain('Đã duyệt số liệu năm 2024 của Ủy ban nhân dân Quận 1 (Q1)');
    expect(unitStatus('Q1').review).toMatchObject({ state: 'approved', rev: 2, changedBy: ME });
    expect(hoctap('approve', 'Q5', '--year', Y).stderr).toContain('Đơn vị Q5 năm 2024 chưa có số liệu đang dùng');
    expect(hoctap('return', 'Q3', '--year', Y).stderr).toContain('Cần ghi lý do');
    const r = hoctap('return', 'Q3', '--year', Y, '--reason', 'Chỉ số 1.1.2 thiếu số liệu nữ');
    expect(r.code).toBe(0);
    const notice = /Thông báo trả lại gửi đơn vị: (.*)/.exec(r.stdout)![1].trim();
    const text = fs.readFileSync(notice, 'utf8');
    expect(text).toContain('Đơn vị: Ủy ban nhân dân Quận 3 (Q3)');
    expect(text).toContain('Lý do trả lại: Chỉ số 1.1.2 thiếu số liệu nữ');
    expect(unitStatus('Q3').review).toMatchObject({ state: 'returned', reason: 'Chỉ số 1.1.2 thiếu số liệu nữ' });
    expect(hoctap('return', 'Q1', '--year', Y, '--reason', 'x').stderr).toContain('Đơn vị Q1 năm 2024 đã được duyệt: muốn trả lại, bỏ duyệt trước');
    expect(hoctap('unapprove', 'Q1', '--year', Y, '--reason', 'Xem lại chỉ số 1.3.1').code).toBe(0);
    expect(unitStatus('Q1').review).toMatchObject({ state: 'received', rev: 3 });
    expect(hoctap('approve', 'Q1', '--year', Y).code).toBe(0);
  });

  it('a new file from a returned unit is received again', () => {
    const r = hoctap('ingest', csv('Q3-gui-lai.csv', 'Q3', 7), '--year', Y, '--format', 'json');
    expect(json(r).files[0]).toMatchObject({ status: 'accepted', held: false, frozen: null });
    expect(unitStatus('Q3').review).toMatchObject({ state: 'received', reason: null });
  });

  it('a file after approval is stored but changes nothing in force; the approver\'s --force puts it in force', async () => {
    const before = await inForce('Q1');
    const file = csv('Q1-sau-duyet.csv', 'Q1', 7);
    const r = hoctap('ingest', file, '--year', Y);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Đã lưu, không dùng');
    expect(r.stdout).toContain('Đã lưu nhưng không thay số liệu đang dùng: số liệu của đơn vị Q1 năm 2024 đã được duyệt');
    expect(r.stdout).toMatch(/ingest .*Q1-sau-duyet\.csv --force --reason/);
    expect(await inForce('Q1')).toEqual(before);
    const held = json(hoctap('history', '--unit', 'Q1', '--year', Y, '--format', 'json')).submissions.find((s: { file: string }) => s.file === 'Q1-sau-duyet.csv');
    expect(held.status).toBe('held');
    // The same file confirmed by the approver: it goes in force, and its figures differ from those approved.
    const f = hoctap('ingest', file, '--year', Y, '--force', '--reason', 'Quận 1 đính chính số liệu', '--format', 'json');
    expect(f.code, f.stderr).toBe(0);
    expect(json(f).files[0].supersedes).not.toBeNull();
    const after = await inForce('Q1');
    expect(after).not.toEqual(before);
    expect(Object.keys(after).some((k) => after[k] !== before[k])).toBe(true);
    expect(unitStatus('Q1').review.state).toBe('approved');
  });

  it('the year locks only when every unit with figures in force is approved; then nothing in review changes', () => {
    const refused = hoctap('lock', '--year', Y);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('Chưa khóa được năm 2024: 1/2 đơn vị có số liệu đang dùng chưa được duyệt (Q3)');
    expect(json(hoctap('status', '--year', Y, '--format', 'json')).locked).toBe(false);
    expect(hoctap('approve', 'Q3', '--year', Y).code).toBe(0);
    const locked = hoctap('lock', '--year', Y);
    expect(locked.code).toBe(0);
    expect(locked.stdout).toContain('Đã khóa số liệu năm 2024');
    const approve = hoctap('unapprove', 'Q3', '--year', Y, '--reason', 'x');
    expect(approve.code).toBe(2);
    expect(approve.stderr).toContain('Năm 2024 đã khóa');
    // A file of a locked year: stored, not in force, and said why.
    const r = hoctap('ingest', csv('Q3-sau-khoa.csv', 'Q3', 11), '--year', Y, '--format', 'json');
    expect(json(r).files[0]).toMatchObject({ held: true, frozen: { locked: true } });
    expect(hoctap('unlock', '--year', Y).stderr).toContain('Cần ghi lý do');
  });

  it('status shows each unit\'s review state and the year\'s lock', () => {
    const out = hoctap('status', '--year', Y).stdout;
    const line = (code: string) => out.split('\n').find((l) => l.includes(`(${code})`)) ?? '';
    expect(line('Q1')).toContain('Đã duyệt');
    expect(line('Q5')).toMatch(/Chưa nộp\s*│\s*—/);
    expect(out).toContain('Duyệt số liệu: 2/2 đơn vị có số liệu đang dùng đã duyệt');
    expect(out).toContain(`Năm 2024 đã khóa (bởi ${ME}`);
    const q1 = hoctap('status', '--year', Y, '--format', 'csv').stdout.split(/\r?\n/).find((l) => l.startsWith('Q1,'));
    expect(q1).toMatch(/,approved,Đã duyệt$/);
  });

  it('history lists every transition: who, when, what, why', () => {
    const h = json(hoctap('history', '--year', Y, '--format', 'json'));
    expect(h.reviews.map((e: { action: string; unit: string | null }) => `${e.action}:${e.unit ?? '-'}`)).toEqual([
      'approve:Q1', 'return:Q3', 'unapprove:Q1', 'approve:Q1', 'force:Q1', 'approve:Q3', 'lock:-',
    ]);
    expect(h.reviews.every((e: { user: string; at: string }) => e.user === ME && !Number.isNaN(Date.parse(e.at)))).toBe(true);
    expect(h.reviews[4].reason).toBe('Quận 1 đính chính số liệu');
    const table = hoctap('history', '--year', Y).stdout;
    expect(table).toContain('Các lần duyệt, trả lại, khóa năm (7):');
    expect(table).toContain('Trả lại đơn vị');
    expect(table).toContain('Khóa năm');
    expect(table).toMatch(/Chỉ số 1\.1\.2 thiếu/);
  });
});

describe('a stale revision', SLOW, () => {
  it('two store handles: the second writer, having read before the first wrote, gets one line naming who and when, and nothing is written', async () => {
    expect(hoctap('unlock', '--year', Y, '--reason', 'Mở để kiểm tra xung đột').code).toBe(0);
    const a = await openStore(path.join(dir, 'hoctap.sqlite'));
    const b = await openStore(path.join(dir, 'hoctap.sqlite'));
    try {
      const seenQ1 = (await a.review('Q1', YEAR)).rev;
      const seenQ3 = (await a.review('Q3', YEAR)).rev;
      await b.changeReview({ action: 'unapprove', year: YEAR, units: [{ unitCode: 'Q3', seenRev: (await b.review('Q3', YEAR)).rev }], reason: 'người thứ hai', user: 'thu-hai' });
      const events = (await a.reviewEvents({ year: YEAR })).length;
      // Q1 first (its revision is current), then Q3 (stale): neither is written.
      const stale = a.changeReview({ action: 'unapprove', year: YEAR, units: [{ unitCode: 'Q1', seenRev: seenQ1 }, { unitCode: 'Q3', seenRev: seenQ3 }], reason: 'người thứ nhất', user: 'thu-nhat' });
      await expect(stale).rejects.toBeInstanceOf(RevisionConflict);
      const message = await stale.catch((e: Error) => e.message);
      expect(message).toMatch(/^Xung đột: đơn vị Q3 năm 2024 vừa được thay đổi bởi thu-hai, \d\d\/\d\d\/\d{4} \d\d:\d\d \(phiên bản \d+, lệnh này đã đọc phiên bản \d+\): không có gì được ghi/);
      expect(message).not.toContain('\n');
      expect((await a.reviewEvents({ year: YEAR })).length).toBe(events);
      expect(await a.review('Q1', YEAR)).toMatchObject({ state: 'approved', rev: seenQ1 });
      // The year's lock too.
      const seenYear = (await a.yearLock(YEAR)).rev;
      await b.changeYearLock({ action: 'lock', year: YEAR, seenRev: seenYear, reason: null, user: 'thu-hai' }).catch(() => null);
      await b.changeReview({ action: 'approve', year: YEAR, units: [{ unitCode: 'Q3', seenRev: (await b.review('Q3', YEAR)).rev }], reason: null, user: 'thu-hai' });
      await b.changeYearLock({ action: 'lock', year: YEAR, seenRev: seenYear, reason: null, user: 'thu-hai' });
      await expect(a.changeYearLock({ action: 'unlock', year: YEAR, seenRev: seenYear, reason: 'x', user: 'thu-nhat' })).rejects.toThrow(/^Xung đột: năm 2024 vừa được thay đổi bởi thu-hai/);
      expect((await a.yearLock(YEAR)).locked).toBe(true);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('report', SLOW, () => {
  it('--final is refused unless the year is locked, and writes nothing', () => {
    expect(hoctap('unlock', '--year', Y, '--reason', 'Kiểm tra báo cáo').code).toBe(0);
    const out = path.join(dir, 'final-refused');
    const r = hoctap('report', '--year', Y, '--final', '--format', 'html', '--out', out);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Chưa lập được báo cáo chính thức (--final): số liệu năm 2024 chưa khóa');
    expect(fs.existsSync(out) ? fs.readdirSync(out) : []).toEqual([]);
  });

  it('a report that is not final says DỰ THẢO in HTML and DOCX, and Phụ lục II says whose figures are approved; the final one does not', () => {
    const draft = path.join(dir, 'draft');
    expect(hoctap('report', '--year', Y, '--format', 'html,docx', '--out', draft).code).toBe(0);
    const html = fs.readFileSync(path.join(draft, 'bao-cao-2024.html'), 'utf8');
    expect(html).toContain('<p class="draft-mark">DỰ THẢO</p>');
    expect(html).toContain('Số liệu đã được duyệt: 2/2 đơn vị có số liệu.');
    expect(html).toContain('Số liệu năm 2024 chưa khóa: báo cáo này là dự thảo.');
    expect(html.match(/<td>Đã nhận, (đúng|trễ) hạn<br>số liệu đã duyệt<\/td>/g)).toHaveLength(2);
    expect(documentXml(path.join(draft, 'bao-cao-2024.docx'))).toContain('DỰ THẢO');
    expect(hoctap('lock', '--year', Y).code).toBe(0);
    const final = path.join(dir, 'final');
    expect(hoctap('report', '--year', Y, '--final', '--format', 'html,docx', '--out', final).code).toBe(0);
    const finalHtml = fs.readFileSync(path.join(final, 'bao-cao-2024.html'), 'utf8');
    expect(finalHtml).not.toContain('DỰ THẢO');
    expect(finalHtml).toContain('Số liệu năm 2024 đã khóa: là số liệu chính thức.');
    expect(documentXml(path.join(final, 'bao-cao-2024.docx'))).not.toContain('DỰ THẢO');
  });

  it('the PDF of a draft carries the mark on its first page', () => {
    if (!needTool('chromium') || !needTool('poppler')) return;
    const out = path.join(dir, 'pdf');
    const r = hoctap('report', '--year', Y, '--format', 'pdf', '--out', out, '--browser', '/usr/bin/chromium');
    expect(r.code).toBe(0);
    const first = execFileSync('pdftotext', ['-f', '1', '-l', '1', path.join(out, 'bao-cao-2024.pdf'), '-'], { encoding: 'utf8' });
    expect(first.replace(/\s+/g, ' ')).toContain('DỰ THẢO');
  });
});

function documentXml(docx: string): string {
  return execFileSync('unzip', ['-p', docx, 'word/document.xml'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}
