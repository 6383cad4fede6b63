/** The words of the messages are data: the bundled files, a workspace's own copy, a broken copy refused in Vietnamese. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../src/errors.ts';
import { unitAddresses } from '../src/mail/compose.ts';
import { mailWords } from '../src/mail/texts.ts';
import { tempDir } from './helpers/tools.ts';

describe('mail texts', () => {
  it('fills the bundled words; a workspace copy is used instead', () => {
    const dir = tempDir('hoctap-mail-texts-');
    const data = { unitName: 'Ủy ban nhân dân Quận 1', year: 2025, deadline: '10/12/2025', contact: 'Phòng GDTX', sender: 'Sở GDĐT', city: 'TP', attachment: 'a.xlsx' };
    const bundled = mailWords(dir)('templates', data);
    expect(bundled.subject).toBe('Biểu mẫu báo cáo thành phố học tập năm 2025 – Ủy ban nhân dân Quận 1');
    expect(bundled.body).toContain('trước ngày 10/12/2025');
    expect(bundled.body).not.toMatch(/\r\n\r\n\r\n/);
    fs.mkdirSync(path.join(dir, 'templates', 'mail'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'templates', 'mail', 'templates.hbs'), 'Tiêu đề: Gửi {{unitName}}\n---\nHạn {{deadline}}.\n');
    expect(mailWords(dir)('templates', data)).toEqual({ subject: 'Gửi Ủy ban nhân dân Quận 1', body: 'Hạn 10/12/2025.\r\n' });
    fs.writeFileSync(path.join(dir, 'templates', 'mail', 'templates.hbs'), 'Tiêu đề: Gửi {{#if x}}\n---\nHạn.\n');
    expect(() => mailWords(dir)('templates', data)).toThrow(UserError);
    fs.writeFileSync(path.join(dir, 'templates', 'mail', 'templates.hbs'), 'Gửi\nHạn.\n');
    expect(() => mailWords(dir)('templates', data)).toThrow(/dòng đầu "Tiêu đề: …"/);
  });

  it('a roster cell may hold several addresses; what is not an address is not one', () => {
    expect(unitAddresses('a@x.vn; b@y.vn,c@z.vn')).toEqual(['a@x.vn', 'b@y.vn', 'c@z.vn']);
    expect(unitAddresses('vanthu (at) x.vn')).toEqual([]);
    expect(unitAddresses('')).toEqual([]);
  });
});
