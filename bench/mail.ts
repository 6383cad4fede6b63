/**
 * Mail bench (npm run bench:mail): 200 template mails with their attachments to an SMTP server on loopback
 * (smtp-server), then fetch-mail of 200 messages, each with a unit's workbook, from Dovecot on loopback (needs root and
 * dovecot-imapd, as the tests). Prints the wall time of each command; docs/benchmarks.md keeps the figures.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import MailComposer from 'nodemailer/lib/mail-composer';
import { deliver, DOVECOT, startDovecot, startSmtp } from '../test/helpers/mail-servers.ts';

const UNITS = Number(process.env.BENCH_MAIL_UNITS ?? 200);
const BIN = path.resolve(import.meta.dirname, '../bin/hoctap.js');
const OWNER = 'sgddt@example.vn';
const env = { ...process.env, HOCTAP_SMTP_PASSWORD: 'x', HOCTAP_IMAP_PASSWORD: 'mat-khau-thu', FORCE_COLOR: '0', HOCTAP_WORKSPACE: '' };

const PRELOAD = path.resolve(import.meta.dirname, '../test/helpers/rusage.mjs');

/** The command in a child (the servers run in this process), with its wall time and its own CPU time. */
function hoctap(args: string[]): Promise<{ status: number | null; seconds: number; cpu: number; stdout: string; stderr: string }> {
  const start = performance.now();
  const report = path.join(os.tmpdir(), `hoctap-bench-mail-${process.pid}-${Date.now()}.json`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', PRELOAD, BIN, ...args], { env: { ...env, HOCTAP_RUSAGE_FILE: report } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => {
      const cpu = fs.existsSync(report) ? (JSON.parse(fs.readFileSync(report, 'utf8')) as { cpuMs: number }).cpuMs / 1000 : Number.NaN;
      fs.rmSync(report, { force: true });
      resolve({ status, seconds: (performance.now() - start) / 1000, cpu, stdout, stderr });
    });
  });
}

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hoctap-bench-mail-'));
const ws = path.join(root, 'ws');
const canImap = fs.existsSync(DOVECOT) && process.getuid?.() === 0;
const dovecot = canImap ? await startDovecot(path.join(root, 'dovecot')) : null;
const smtp = await startSmtp();
try {
  await hoctap(['init', ws]);
  const code = (k: number) => `X${String(k + 1).padStart(4, '0')}`;
  const address = (k: number) => `vanthu.${code(k).toLowerCase()}@example.vn`;
  fs.writeFileSync(path.join(ws, 'roster.csv'), ['unit_code,unit_name,agency_code,email',
    ...Array.from({ length: UNITS }, (_, k) => `${code(k)},Ủy ban nhân dân xã số ${k + 1},UBND,${address(k)}`)].join('\n') + '\n');
  const config = JSON.parse(fs.readFileSync(path.join(ws, 'hoctap.config.json'), 'utf8')) as Record<string, unknown>;
  fs.writeFileSync(path.join(ws, 'hoctap.config.json'), JSON.stringify({
    ...config, mail: {
      from: `Sở GDĐT <${OWNER}>`, copyToSelf: false,
      smtp: { host: '127.0.0.1', port: smtp.port, secure: false, user: 'sgddt', rate: 1000, connections: 4 },
      ...(dovecot ? { imap: { host: '127.0.0.1', port: dovecot.port, secure: false, user: OWNER, folder: 'INBOX' } } : {}),
    },
  }));
  const gen = await hoctap(['-w', ws, 'generate-templates', '--year', '2024']);
  if (gen.status !== 0) throw new Error(gen.stderr);
  console.log(`${UNITS} biểu mẫu đã tạo (${gen.seconds.toFixed(1)} s, không tính).`);

  const send = await hoctap(['-w', ws, 'send', 'templates', '--year', '2024']);
  if (send.status !== 0) throw new Error(send.stderr + send.stdout);
  console.log(`send templates: ${smtp.messages.length} thư có đính kèm, ${send.seconds.toFixed(1)} s (CPU của hoctap ${send.cpu.toFixed(1)} s)`);

  if (!dovecot) {
    console.log('fetch-mail: bỏ qua (cần quyền root và dovecot-imapd).');
  } else {
    const dir = path.join(ws, 'templates', '2024');
    const files = fs.readdirSync(dir).sort();
    for (const [k, f] of files.entries()) {
      const bytes = await new MailComposer({
        from: address(k), to: OWNER, subject: `Báo cáo ${code(k)}`, text: 'Kính gửi Sở.', date: new Date(Date.UTC(2024, 11, 5, 9)),
        attachments: [{ filename: f, content: fs.readFileSync(path.join(dir, f)) }],
      }).compile().build();
      deliver(dovecot.maildir, bytes);
    }
    const fetch = await hoctap(['-w', ws, 'fetch-mail', '--year', '2024', '--format', 'json']);
    const out = JSON.parse(fetch.stdout) as { messages: unknown[]; ingest: { files: unknown[] } | null };
    console.log(`fetch-mail: ${out.messages.length} thư, ${out.ingest?.files.length ?? 0} tệp được nhập (kiểm tra đầy đủ), ${fetch.seconds.toFixed(1)} s (CPU của hoctap ${fetch.cpu.toFixed(1)} s)`);
  }
} finally {
  dovecot?.stop();
  await smtp.close();
  fs.rmSync(root, { recursive: true, force: true });
}
