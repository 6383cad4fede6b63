/** Saved e-mails written by an independent MIME writer (Python's email package), read as hoctap reads them. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readEmail } from '../src/ingest/email.ts';
import { loadMsgReader, readMsg, MSG_READER_MISSING } from '../src/ingest/msg.ts';
import { needTool, tempDir } from './helpers/tools.ts';

const hasPython = needTool('python');
const dir = tempDir('hoctap-eml-');
const XLSX = Buffer.from('PK\u0003\u0004 a workbook stands here');
const CSV = 'unit_code,year,field_id,value,note\r\nQ1,2024,1.1.1-a.m.num,5,\r\n';

beforeAll(() => {
  if (!hasPython) return;
  fs.writeFileSync(path.join(dir, 'in.xlsx'), XLSX);
  fs.writeFileSync(path.join(dir, 'in.csv'), CSV);
  execFileSync('/usr/bin/python3', [path.join(import.meta.dirname, 'helpers/make-emails.py'), dir, path.join(dir, 'in.xlsx'), path.join(dir, 'in.csv')]);
});

const read = (name: string) => readEmail(fs.readFileSync(path.join(dir, name)));

describe.skipIf(!hasPython)('e-mails as received', () => {
  it('a plain message: its attachment byte for byte, its Date and its sender', async () => {
    const r = await read('plain.eml');
    if (!r.ok) throw new Error(r.reason);
    expect(r.attachments.map((a) => a.name)).toEqual(['bao-cao.xlsx']);
    expect(r.attachments[0].bytes.equals(XLSX)).toBe(true);
    expect(r.date?.toISOString()).toBe('2024-12-09T09:45:00.000Z'); // 16:45 in Vietnam
    expect(r.from).toBe('vanthu.q1@tphcm.gov.vn');
  });

  it('two attachments, a workbook and a CSV', async () => {
    const r = await read('two.eml');
    if (!r.ok) throw new Error(r.reason);
    expect(r.attachments.map((a) => a.name)).toEqual(['a.xlsx', 'b.csv']);
    expect(r.attachments[1].bytes.toString('utf8')).toBe(CSV);
  });

  it('a Vietnamese attachment name, RFC 2231 encoded and folded', async () => {
    const r = await read('vietnamese.eml');
    if (!r.ok) throw new Error(r.reason);
    expect(r.attachments.map((a) => a.name)).toEqual(['Báo cáo Quận 1 năm 2024.xlsx']);
  });

  it('a forwarded message: the workbook inside, the forward’s own Date and sender', async () => {
    const r = await read('forwarded.eml');
    if (!r.ok) throw new Error(r.reason);
    expect(r.attachments.map((a) => a.name)).toEqual(['bao-cao.xlsx']);
    expect(r.attachments[0].bytes.equals(XLSX)).toBe(true);
    expect(r.date?.toISOString()).toBe('2024-12-11T01:30:00.000Z');
    expect(r.from).toBe('nguoi.chuyen@gmail.com');
  });

  it('a message without a workbook or CSV gets its own reason, naming what it holds', async () => {
    const r = await read('none.eml');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.code).toBe('email_no_attachment');
    expect(r.reason).toBe('thư không đính kèm tệp Excel (.xlsx) hay CSV nào (chỉ có: cong-van.pdf)');
  });

  it('bytes that are no e-mail are refused as such', async () => {
    const r = await readEmail(Buffer.from('\u0000\u0001 rác'));
    expect(r.ok).toBe(false);
  });
});

describe.skipIf(!hasPython)('hoctap ingest of saved e-mails', () => {
  it('ingests the attachment with the message\'s Date as its received date, and refuses a message without one', async () => {
    const { openWorkspace } = await import('../src/catalog/workspace.ts');
    const { buildTemplateWorkbook } = await import('../src/templates/generate.ts');
    const { fillTemplate, plausibleValues } = await import('../fixtures/fill.ts');
    const { runHoctap } = await import('./helpers/cli.ts');
    const wsDir = tempDir('hoctap-eml-ws-');
    const ws = openWorkspace(wsDir);
    // The roster knows Q1's address: the plain message comes from it, the forwarded one does not.
    const { renderCsv } = await import('../src/csv-write.ts');
    fs.writeFileSync(path.join(wsDir, 'roster.csv'), renderCsv(['unit_code', 'unit_name', 'agency_code', 'email'],
      ws.roster.map((u) => [u.code, u.name, u.agencyCode, u.code === 'Q1' ? 'vanthu.q1@tphcm.gov.vn' : ''])));
    const q1 = ws.roster.find((u) => u.code === 'Q1')!;
    const mails = path.join(wsDir, 'thu');
    fs.mkdirSync(mails);
    fs.writeFileSync(path.join(mails, 'q1.xlsx'), await fillTemplate(await buildTemplateWorkbook(ws, q1, 2024), plausibleValues(ws, q1)));
    fs.writeFileSync(path.join(mails, 'in.csv'), CSV);
    execFileSync('/usr/bin/python3', [path.join(import.meta.dirname, 'helpers/make-emails.py'), mails, path.join(mails, 'q1.xlsx'), path.join(mails, 'in.csv')]);
    const inbox = path.join(wsDir, 'hop-thu');
    fs.mkdirSync(inbox);
    for (const f of ['plain.eml', 'none.eml']) fs.copyFileSync(path.join(mails, f), path.join(inbox, f));
    const r = runHoctap(['-w', wsDir, 'ingest', inbox, '--year', '2024', '--format', 'json']);
    const files = JSON.parse(r.stdout).files as { file: string; status: string; reason: string | null; receivedAt: string; receivedFrom: string; messages: { code: string }[] }[];
    const none = files.find((f) => f.file.startsWith('none.eml'))!;
    expect(none.status).toBe('rejected');
    expect(none.reason).toContain('thư không đính kèm tệp Excel (.xlsx) hay CSV nào (chỉ có: cong-van.pdf)');
    const plain = files.find((f) => f.file === 'plain.eml › bao-cao.xlsx')!;
    expect(plain.status).toBe('accepted');
    expect(plain.receivedFrom).toBe('email');
    expect(plain.messages.map((m) => m.code)).not.toContain('sender_mismatch');
    const hist = JSON.parse(runHoctap(['-w', wsDir, 'history', '--unit', 'Q1', '--format', 'json']).stdout);
    expect(hist.submissions[0].receivedAt).toBe('2024-12-09T09:45:00.000Z'); // 16:45 on 9 December in Vietnam
    const status = runHoctap(['-w', wsDir, 'status', '--year', '2024', '--format', 'csv']).stdout;
    expect(status.split('\r\n').find((l) => l.startsWith('Q1,'))).toContain('09/12/2024');
    // The forwarded copy comes from another address: accepted with a warning (here it repeats the same file).
    const fwd = JSON.parse(runHoctap(['-w', wsDir, 'ingest', path.join(mails, 'forwarded.eml'), '--year', '2024', '--format', 'json']).stdout).files[0];
    expect(fwd.file).toBe('forwarded.eml › bao-cao.xlsx');
    expect(fwd.status).toBe('duplicate');
  }, 180_000);
});

/** Real messages saved by Microsoft Outlook (fixtures/outlook/README.md says where each comes from). */
const OUTLOOK = path.resolve(import.meta.dirname, '../fixtures/outlook');
const outlook = (name: string) => fs.readFileSync(path.join(OUTLOOK, name));
const JPG = '5AAoPFgV-nJ965R7o-98C38840-4454-4750-9AEF-F53DB3E37548.jpg';

describe('Outlook .msg as saved by Outlook', () => {
  beforeAll(async () => {
    // The reader is a dependency of the project (package.json): a checkout without it fails here, saying so.
    if (!(await loadMsgReader())) throw new Error('@kenjiuno/msgreader is not installed: npm ci (it is in package.json)');
  });

  it('a received message: its attachment byte for byte, its Date and its sender', async () => {
    const r = await readMsg(outlook('test.msg'));
    if (!r.ok) throw new Error(r.reason);
    expect(r.attachments.map((a) => a.name)).toEqual([JPG]);
    expect(r.attachments[0].bytes.length).toBe(122_784);
    expect(r.attachments[0].bytes.subarray(0, 3).toString('hex')).toBe('ffd8ff'); // a JPEG, extracted whole
    expect(r.date?.toISOString()).toBe('2018-03-23T16:06:29.000Z'); // "Date: Fri, 23 Mar 2018 17:06:29 +0100"
    expect(r.from).toBe('christoph@freiraum.xyz');
    expect(r.subject).toBe('asdf');
  });

  it('a message attached to a message: the inner message\'s attachments, then the outer\'s own', async () => {
    const r = await readMsg(outlook('top-level-email.msg'));
    if (!r.ok) throw new Error(r.reason);
    expect(r.attachments.map((a) => a.name)).toEqual(['dog.jpg', 'cat.jpg', 'pigeon.jpg']);
    expect(r.from).toBeNull(); // a draft: nobody sent it
    expect(r.date?.toISOString()).toBe('2020-03-26T12:25:31.000Z');
  });

  it('a .msg without a workbook is refused like an .eml, naming what it holds', async () => {
    const r = await readEmail(outlook('test.msg'));
    expect(r).toMatchObject({ ok: false, code: 'email_no_attachment', reason: `thư không đính kèm tệp Excel (.xlsx) hay CSV nào (chỉ có: ${JPG})`, from: 'christoph@freiraum.xyz' });
  });

  it('a damaged .msg and a machine without the reader each get one Vietnamese reason', async () => {
    const damaged = Buffer.concat([outlook('test.msg').subarray(0, 4096), Buffer.alloc(4096, 0xff)]);
    const r = await readEmail(damaged);
    expect(r).toMatchObject({ ok: false, code: 'email_unreadable' });
    if (!r.ok) expect(r.reason).toMatch(/^(không đọc được thư Outlook|tệp \.msg hỏng)/);
    expect(await readMsg(outlook('test.msg'), async () => null)).toEqual({ ok: false, reason: MSG_READER_MISSING });
  });

  it('hoctap ingest refuses the attachment-less .msg with its reason, exit 1, no stack trace', () => {
    return import('./helpers/cli.ts').then(({ runHoctap }) => {
      const r = runHoctap(['-w', tempDir('hoctap-msg-ws-'), 'ingest', path.join(OUTLOOK, 'test.msg'), '--year', '2024']);
      expect(r.status).toBe(1);
      expect(r.stdout).toContain(`thư không đính kèm tệp Excel (.xlsx) hay CSV nào (chỉ có: ${JPG})`);
      expect(r.stdout + r.stderr).not.toMatch(/\bat .*\.(ts|js):\d+/);
    });
  }, 120_000);
});
