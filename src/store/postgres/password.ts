/**
 * The PostgreSQL password, only when the server asks for one: PGPASSWORD, else the line of ~/.pgpass
 * (%APPDATA%\postgresql\pgpass.conf on Windows) for this server, database and login, else asked at the terminal (not
 * echoed, kept in memory for this command only), else refused in one line. Never read from the URL, never written.
 */
import { createRequire } from 'node:module';
import pg from 'pg';
import { shownUrl } from '../../catalog/database-url.ts';
import { UserError } from '../../errors.ts';
import { askHidden, canAsk } from '../../terminal.ts';

interface ConnInfo { user?: string; host?: string; port?: number | string; database?: string }

type PgPass = (connInfo: ConnInfo, cb: (password: string | undefined) => void) => void;
// pg's own reader of ~/.pgpass (it stops reading it itself once the password is given as a function).
const pgpass = createRequire(import.meta.url)('pgpass') as PgPass;

/** Typed at the terminal during this command, by login and server: asked once however many connections it opens. */
const typed = new Map<string, string>();

const key = (c: ConnInfo) => `${c.user ?? ''}@${c.host ?? ''}:${c.port ?? ''}/${c.database ?? ''}`;

export function noPasswordGiven(c: ConnInfo, url: string): UserError {
  return new UserError(`Máy chủ PostgreSQL ${shownUrl(url)} cần mật khẩu của tên đăng nhập ${c.user ?? '(không rõ)'} mà chưa có: đặt mật khẩu trong biến môi trường PGPASSWORD hoặc một dòng trong tệp ~/.pgpass (Windows: %APPDATA%\\postgresql\\pgpass.conf), hoặc chạy lệnh trong cửa sổ lệnh để hoctap hỏi; hoctap không ghi mật khẩu vào thư mục làm việc.`);
}

/** What pg calls when the server asks for a password (only then: a trusted login is never asked). */
export async function askedPassword(c: ConnInfo, url: string): Promise<string> {
  const known = typed.get(key(c));
  if (known !== undefined) return known;
  const fromFile = await new Promise<string | undefined>((resolve) => pgpass(c, resolve));
  if (fromFile !== undefined) return fromFile;
  if (!canAsk()) throw noPasswordGiven(c, url);
  const answer = await askHidden(`Mật khẩu PostgreSQL của ${c.user ?? ''} (${shownUrl(url)}): `);
  typed.set(key(c), answer);
  return answer;
}

/**
 * pg's client, whose password, when none is in PGPASSWORD, is looked up or asked only when the server asks for it.
 * (A password given in the connection string is refused before: src/catalog/workspace.ts.)
 */
export class PasswordAskingClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    const url = typeof config === 'string' ? config : config?.connectionString ?? '';
    const self = this as unknown as { password: string | null | (() => Promise<string>); connection: { stream: { destroy(): void } } };
    if (self.password === null || self.password === undefined || self.password === '') {
      self.password = async () => {
        try {
          return await askedPassword({ user: this.user, host: this.host, port: this.port, database: this.database }, url);
        } catch (e) {
          // The refusal is the connection's error; the server, still waiting for a password, is not waited for.
          setImmediate(() => self.connection.stream.destroy());
          throw e;
        }
      };
    }
  }
}
