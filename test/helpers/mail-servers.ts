/**
 * Real mail servers on loopback for the mail tests: Debian's Dovecot (IMAP, started here as root with a temporary
 * config: a passwd-file, a Maildir in a temporary folder, plain IMAP on 127.0.0.1) and an SMTP server (the smtp-server
 * package) that keeps every message it accepts, and delivers those addressed to the mailbox's owner into its Maildir.
 */
import { spawn, type ChildProcess, execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';

export const DOVECOT = '/usr/sbin/dovecot';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export interface Dovecot { port: number; user: string; password: string; maildir: string; stop: () => void }

/** Dovecot on a free port, one user, its Maildir empty; stop() ends it. */
export async function startDovecot(root: string): Promise<Dovecot> {
  const port = await freePort();
  const user = 'sgddt@example.vn';
  const password = 'mat-khau-thu';
  fs.mkdirSync(root, { recursive: true });
  // Dovecot's processes run as nobody: the folders down to the Maildir must let it through.
  for (let d = root; d !== path.dirname(d) && d.startsWith(fs.realpathSync(path.dirname(path.dirname(root)))); d = path.dirname(d)) fs.chmodSync(d, 0o755);
  for (const d of ['run', 'state', 'mail']) fs.mkdirSync(path.join(root, d), { recursive: true });
  const maildir = path.join(root, 'mail', user);
  for (const d of ['new', 'cur', 'tmp']) fs.mkdirSync(path.join(maildir, d), { recursive: true });
  execFileSync('chown', ['-R', 'nobody:nogroup', path.join(root, 'mail')]);
  fs.writeFileSync(path.join(root, 'passwd'), `${user}:{PLAIN}${password}\n`);
  const conf = path.join(root, 'dovecot.conf');
  fs.writeFileSync(conf, `
base_dir = ${root}/run
state_dir = ${root}/state
log_path = ${root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = nobody
default_internal_user = nobody
first_valid_uid = 1
mail_location = maildir:${root}/mail/%u
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${root}/passwd
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=${root}/mail/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
service imap-login {
  chroot =
}
`);
  const child: ChildProcess = spawn(DOVECOT, ['-F', '-c', conf], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    if (await canConnect(port)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  if (!(await canConnect(port))) {
    child.kill('SIGKILL');
    throw new Error(`dovecot did not start: ${fs.existsSync(path.join(root, 'dovecot.log')) ? fs.readFileSync(path.join(root, 'dovecot.log'), 'utf8') : ''}`);
  }
  return { port, user, password, maildir, stop: () => child.kill('SIGKILL') };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => { s.destroy(); resolve(true); });
    s.on('error', () => resolve(false));
  });
}

/** Delivers a message into a Maildir's new/ as a delivery agent does (written in tmp/, then moved). */
export function deliver(maildir: string, bytes: Buffer, flags = ''): void {
  const name = `${Date.now()}.${crypto.randomBytes(6).toString('hex')}.hoctap-test`;
  const tmp = path.join(maildir, 'tmp', name);
  fs.writeFileSync(tmp, bytes);
  fs.chmodSync(tmp, 0o666);
  if (flags) fs.renameSync(tmp, path.join(maildir, 'cur', `${name}:2,${flags}`));
  else fs.renameSync(tmp, path.join(maildir, 'new', name));
}

export interface Captured { from: string; to: string[]; bytes: Buffer }

export interface SmtpCapture {
  port: number;
  messages: Captured[];
  /** Called with each message whole, before the server answers; a test kills the client there. */
  onMessage?: (m: Captured) => Promise<void> | void;
  close: () => Promise<void>;
}

/** An SMTP server that accepts any login and keeps each message; copies to `ownerAddress` go into the Maildir given. */
export async function startSmtp(opts: { ownerAddress?: string; maildir?: string } = {}): Promise<SmtpCapture> {
  const port = await freePort();
  const capture: SmtpCapture = { port, messages: [], close: async () => undefined };
  const server = new SMTPServer({
    secure: false, authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
    onAuth: (_auth, _session, cb) => cb(null, { user: 'ok' }),
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (d: Buffer) => chunks.push(d));
      stream.on('end', () => {
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded) return cb(new Error('too big'));
        const m: Captured = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()), bytes: Buffer.concat(chunks),
        };
        capture.messages.push(m);
        if (opts.ownerAddress && opts.maildir && m.to.includes(opts.ownerAddress)) deliver(opts.maildir, m.bytes);
        Promise.resolve(capture.onMessage?.(m)).then(() => cb(), () => cb());
      });
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  capture.close = () => new Promise((resolve) => server.close(() => resolve()));
  return capture;
}
