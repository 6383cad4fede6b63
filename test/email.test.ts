/** Saved e-mails written by an independent MIME writer (Python's email package), read as hoctap reads them. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readEmail } from '../src/ingest/email.ts';
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
