/**
 * `send` against a real SMTP server on loopback (smtp-server), its messages read by Python's email package: who gets
 * what, the attachment byte for byte the unit's own template, once only however often the command is run; drafts.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHoctap, runHoctapAsync } from './helpers/cli.ts';
import { freePort, startSmtp, type SmtpCapture } from './helpers/mail-servers.ts';
import { mailWorkspace, OWNER, pythonRead, unitAddress } from './helpers/mail-workspace.ts';
import { needTool, tempDir } from './helpers/tools.ts';

const hasPython = needTool('python');
const dir = tempDir('hoctap-mail-send-');
let smtp: SmtpCapture;
let ws: string;
let units: string[];

const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const templateOf = (code: string) => fs.readdirSync(path.join(ws, 'templates', '2024')).find((f) => f.startsWith(`2024_${code}_`))!;

function captured(): string[] {
  const out = path.join(dir, 'captured');
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out);
  return smtp.messages.map((m, i) => {
    const f = path.join(out, `${i}.eml`);
    fs.writeFileSync(f, m.bytes);
    return f;
  });
}

beforeAll(async () => {
  if (!hasPython) return;
  smtp = await startSmtp();
  ({ ws, units } = mailWorkspace(dir, 3, { smtp: { host: '127.0.0.1', port: smtp.port, secure: false, user: 'sgddt', rate: 50 }, copyToSelf: false }));
}, 120_000);

afterAll(async () => { await smtp?.close(); });

describe.skipIf(!hasPython)('send templates over SMTP', () => {
  it('each unit gets its own template once; the unit without an e-mail is named; a second run sends nothing', async () => {
    const env = { HOCTAP_SMTP_PASSWORD: 'x' };
    const first = await runHoctapAsync(['-w', ws, 'send', 'templates', '--year', '2024'], { env });
    expect(first.stderr).not.toMatch(/Error|at /);
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('Sở Giáo dục và Đào tạo (SGDDT): chưa có e-mail trong danh sách đơn vị');
    const mails = pythonRead(captured());
    expect(mails).toHaveLength(units.length);
    for (const code of units) {
      const m = mails.find((x) => x.to.includes(unitAddress(code)))!;
      expect(m.to).toEqual([unitAddress(code)]);
      expect(m.subject).toMatch(/^Biểu mẫu báo cáo thành phố học tập năm 2024 – Ủy ban nhân dân/);
      expect(m.body).toContain('trước ngày 30/12/2024');
      expect(m.from).toContain(OWNER);
      expect(m.attachments.map((a) => a.name)).toEqual([templateOf(code)]);
      expect(m.attachments[0].sha256).toBe(sha(path.join(ws, 'templates', '2024', templateOf(code))));
    }
    const again = await runHoctapAsync(['-w', ws, 'send', 'templates', '--year', '2024'], { env });
    expect(again.status).toBe(0);
    expect(smtp.messages).toHaveLength(units.length);
    expect(again.stdout).toContain('0 thư gửi biểu mẫu mới, 3 đã gửi trước đó');
    // history shows what was sent to a unit, and when.
    const h = runHoctap(['-w', ws, 'history', '--unit', units[0], '--year', '2024']);
    expect(h.stdout).toContain('Thư đã gửi');
    expect(h.stdout).toContain(unitAddress(units[0]));
  }, 120_000);

  it('--dry-run lists who would get what and sends nothing', async () => {
    const before = smtp.messages.length;
    const r = await runHoctapAsync(['-w', ws, 'send', 'reminders', '--year', '2024', '--dry-run']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('3 thư nhắc nộp sẽ được gửi');
    expect(smtp.messages.length).toBe(before);
  }, 60_000);

  it('--drafts writes one .eml per message, marked X-Unsent: 1, with the attachment byte for byte', async () => {
    const drafts = path.join(dir, 'nhap');
    const r = runHoctap(['-w', ws, 'send', 'reminders', '--year', '2024', '--unit', units[1], '--drafts', drafts]);
    expect(r.status).toBe(0);
    const files = fs.readdirSync(drafts).map((f) => path.join(drafts, f));
    const [m] = pythonRead(files);
    expect(files).toHaveLength(1);
    expect(m.x_unsent).toBe('1');
    expect(m.to).toEqual([unitAddress(units[1])]);
    expect(m.subject).toContain('Nhắc gửi biểu mẫu');
    expect(m.body).toContain('chưa nhận được biểu mẫu');
    expect(m.attachments[0].sha256).toBe(sha(path.join(ws, 'templates', '2024', templateOf(units[1]))));
  }, 60_000);

  it('feedback: the copy of the refused file, byte for byte, with its reasons; a reminder says the file was refused', async () => {
    const env = { HOCTAP_SMTP_PASSWORD: 'x' };
    const unit = units[2];
    // A blank template comes back: refused, with a feedback copy.
    const ing = runHoctap(['-w', ws, 'ingest', path.join(ws, 'templates', '2024', templateOf(unit)), '--year', '2024']);
    expect(ing.status).toBe(1);
    const before = smtp.messages.length;
    const r = await runHoctapAsync(['-w', ws, 'send', 'feedback', '--year', '2024'], { env });
    expect(r.status).toBe(0);
    expect(smtp.messages.length).toBe(before + 1);
    const [m] = pythonRead(captured().slice(before));
    const feedbackDir = path.join(ws, 'feedback', fs.readdirSync(path.join(ws, 'feedback'))[0]);
    const copy = path.join(feedbackDir, fs.readdirSync(feedbackDir)[0]);
    expect(m.to).toEqual([unitAddress(unit)]);
    expect(m.subject).toContain('cần gửi lại');
    expect(m.body).toContain('chưa được tiếp nhận vì có 1 lỗi');
    expect(m.body).toMatch(/- .*chưa điền số liệu/);
    expect(m.attachments).toEqual([{ name: path.basename(copy), sha256: sha(copy), type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }]);
    // The same refused file: no second feedback message.
    await runHoctapAsync(['-w', ws, 'send', 'feedback', '--year', '2024'], { env });
    expect(smtp.messages.length).toBe(before + 1);
    const rem = await runHoctapAsync(['-w', ws, 'send', 'reminders', '--year', '2024', '--unit', unit], { env });
    expect(rem.status).toBe(0);
    const [reminder] = pythonRead(captured().slice(before + 1));
    expect(reminder.body).toContain(`Tệp ${templateOf(unit)}`);
    expect(reminder.body).toContain('chưa được tiếp nhận vì có 1 lỗi');
    expect(reminder.attachments).toEqual([]);
  }, 120_000);

  it('a server that cannot be reached: each message failed with a Vietnamese reason, exit 1; the next run sends them', async () => {
    const config = path.join(ws, 'hoctap.config.json');
    const good = fs.readFileSync(config, 'utf8');
    const json = JSON.parse(good) as { mail: { smtp: { port: number } } };
    json.mail.smtp.port = await freePort();
    fs.writeFileSync(config, JSON.stringify(json));
    const env = { HOCTAP_SMTP_PASSWORD: 'x' };
    const bad = await runHoctapAsync(['-w', ws, 'send', 'reminders', '--year', '2024', '--unit', units[0]], { env });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain('Gửi không được');
    expect(bad.stdout.replace(/[\s│]+/g, ' ')).toContain('không kết nối được máy chủ SMTP 127.0.0.1');
    fs.writeFileSync(config, good);
    const before = smtp.messages.length;
    const ok = await runHoctapAsync(['-w', ws, 'send', 'reminders', '--year', '2024', '--unit', units[0]], { env });
    expect(ok.status).toBe(0);
    expect(smtp.messages.length).toBe(before + 1);
  }, 120_000);

  it('an unknown kind or unit is one line in Vietnamese, exit 2', () => {
    const r = runHoctap(['-w', ws, 'send', 'thu', '--year', '2024']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('Loại thư "thu" không có');
    const u = runHoctap(['-w', ws, 'send', 'templates', '--year', '2024', '--unit', 'ZZ', '--dry-run']);
    expect(u.status).toBe(2);
    expect(u.stderr).toContain('Không có đơn vị mã "ZZ"');
  });
});
