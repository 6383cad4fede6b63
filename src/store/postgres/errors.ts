/** PostgreSQL's failures said in one Vietnamese line each: the server, the login, the database, the schema. */
import { UserError } from '../../errors.ts';
import { WriteBehindFailed } from '../write-behind.ts';
import { shownUrl } from '../../catalog/database-url.ts';
import { APPROVER_ONLY, RECORD_ONLY_GROWS } from './guards.ts';

const PASSWORD_HINT = 'đặt mật khẩu trong biến môi trường PGPASSWORD hoặc tệp ~/.pgpass (không ghi vào địa chỉ)';

/** A failure to connect or to run, as the analyst can act on it; other errors are returned as they are. */
export function pgFailure(e: unknown, url: string): unknown {
  if (e instanceof WriteBehindFailed) return e.cause instanceof UserError ? e : e.withCause(pgFailure(e.cause, url));
  if (e instanceof UserError) return e;
  const err = e as { code?: string; message?: string };
  const where = shownUrl(url);
  const code = err.code ?? '';
  const message = err.message ?? '';
  if (['ECONNREFUSED', 'ENOENT', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH', 'ECONNRESET', 'EAI_AGAIN'].includes(code) || /timeout expired|Connection terminated/i.test(message)) {
    return new UserError(`Không kết nối được máy chủ PostgreSQL ${where}: máy chủ không chạy, sai địa chỉ/cổng, hoặc mạng bị chặn (${code || message}).`);
  }
  if (code === '28P01' || code === '28000' || /client password must be a string|password authentication failed/i.test(message)) {
    return new UserError(`Máy chủ PostgreSQL ${where} từ chối đăng nhập (sai tên đăng nhập hoặc mật khẩu): ${PASSWORD_HINT}.`);
  }
  if (code === '3D000') {
    return new UserError(`Trên máy chủ PostgreSQL ${where} không có cơ sở dữ liệu này: bộ phận CNTT cần tạo nó trước (docs/workspace.md, "Làm việc nhóm").`);
  }
  // The database's own refusal (guards.ts): a client that did not ask first, or changed; its transaction is undone.
  if (code === APPROVER_ONLY) {
    return new UserError(`Cơ sở dữ liệu ${where} từ chối: ${message}; không có gì được ghi. Hãy nhờ người duyệt làm việc này, ` +
      'hoặc nhờ bộ phận CNTT cấp vai trò hoctap_approver (docs/workspace.md, "Làm việc nhóm").');
  }
  // Nobody may: the journal and the archive of files received only grow (guards.ts).
  if (code === RECORD_ONLY_GROWS) {
    return new UserError(`Cơ sở dữ liệu ${where} từ chối: ${message}; không có gì được ghi. Nhật ký và bản lưu tệp đã nhận ` +
      'của hoctap chỉ được ghi thêm, không ai sửa được, kể cả người duyệt (docs/workspace.md, "Ai được làm gì").');
  }
  if (code === '42501') {
    return new UserError(`Tên đăng nhập trong ${where} không có quyền làm việc này (${message}): nhờ bộ phận CNTT cấp vai trò hoctap_analyst hoặc hoctap_approver.`);
  }
  return e;
}

export function newerSchema(url: string, version: number, known: number): UserError {
  return new UserError(`Cơ sở dữ liệu ${shownUrl(url)} được tạo bởi phiên bản hoctap mới hơn (lược đồ ${version}, phiên bản này hiểu tới ${known}). Hãy cập nhật hoctap.`);
}

export function olderSchema(url: string, version: number, known: number): UserError {
  return new UserError((run) => `Cơ sở dữ liệu ${shownUrl(url)} có lược đồ ${version}, cũ hơn phiên bản hoctap này (lược đồ ${known}) và tên đăng nhập này không nâng cấp được nó: người sở hữu cơ sở dữ liệu chạy một lệnh bằng phiên bản này trước (ví dụ "${run(['status'])}"), rồi chạy lại.`);
}

export function noSchema(url: string): UserError {
  return new UserError((run) => `Cơ sở dữ liệu ${shownUrl(url)} chưa có dữ liệu của hoctap: người sở hữu cơ sở dữ liệu chạy "${run(['init', '<thư-mục>', '--database', shownUrl(url)])}" trước.`);
}
