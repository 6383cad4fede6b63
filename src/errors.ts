/**
 * The errors a user reads, in one place: hoctap's own (UserError, DataFileError) and the translation of every
 * library error (file system, zod, csv-parse, SQLite) into one Vietnamese line that says what to do.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * How to write a command the user may run next: lower layers say which command (its arguments), src/cli writes it as
 * the user runs hoctap here (hoctap.cmd on Windows, npx hoctap in the source folder…).
 */
export type HintWriter = (args: string[]) => string;

/** A command written as typed at a plain install, for text read outside the CLI (tests, logs). */
export const plainHint: HintWriter = (args) => `hoctap ${args.join(' ')}`;

/** Words that may name a command to run: composed again by the CLI with its own way of writing commands. */
export type HintedWords = (hint: HintWriter) => string;

/** An error the user can act on: printed as one Vietnamese line, never with a stack trace. */
export class UserError extends Error {
  readonly exitCode: number;
  private readonly words: HintedWords | null;
  constructor(message: string | HintedWords, exitCode = 2) {
    super(typeof message === 'string' ? message : message(plainHint));
    this.name = 'UserError';
    this.exitCode = exitCode;
    this.words = typeof message === 'string' ? null : message;
  }

  /** The message with its commands written by `hint` (the CLI's way of calling hoctap here). */
  render(hint: HintWriter): string {
    return this.words ? this.words(hint) : this.message;
  }
}

/** A data file (catalog, roster, config) that an analyst edited wrongly: says where, exit code 2. */
export class DataFileError extends UserError {
  readonly file: string;
  readonly line: number | undefined;
  readonly column: string | undefined;
  constructor(file: string, reason: string, line?: number, column?: string) {
    const where = [file, line !== undefined ? `dòng ${line}` : undefined, column ? `cột "${column}"` : undefined]
      .filter(Boolean)
      .join(', ');
    super(`${where}: ${reason}`, 2);
    this.name = 'DataFileError';
    this.file = file;
    this.line = line;
    this.column = column;
  }
}

/**
 * One Vietnamese line for a library error hoctap knows (file system, zod, csv-parse, SQLite), or null for anything
 * else (a bug: the caller shows it as an unexpected error).
 */
export function describeError(e: unknown): string | null {
  if (e instanceof UserError) return e.message;
  if (e instanceof z.ZodError) return e.issues.length ? zodIssueReason(e.issues[0]) : 'dữ liệu không hợp lệ';
  return fsErrorReason(e) ?? csvErrorReason(e) ?? sqliteErrorReason(e);
}

// ---------------------------------------------------------------------------------------------- file system

type ErrnoLike = { code?: unknown; syscall?: unknown; path?: unknown; dest?: unknown };

/** What the failed call was doing, for "không … được": Node names it by its system call. */
const SYSCALL_VERBS: Record<string, string> = {
  open: 'mở', read: 'đọc', write: 'ghi', mkdir: 'tạo thư mục', mkdtemp: 'tạo thư mục', rmdir: 'xóa thư mục',
  rm: 'xóa', unlink: 'xóa', rename: 'đổi tên', copyfile: 'chép', scandir: 'đọc thư mục', opendir: 'đọc thư mục',
  stat: 'truy cập', lstat: 'truy cập', access: 'truy cập', chmod: 'đổi quyền', utime: 'ghi', fsync: 'ghi',
  close: 'đóng', symlink: 'tạo liên kết', link: 'tạo liên kết', realpath: 'truy cập', readlink: 'truy cập',
};

/** A document an analyst may have open in Excel, Word or a PDF reader (Windows then locks it). */
const OFFICE_FILE = /\.(xlsx|xlsm|xls|csv|pdf|html?|docx?|sqlite)$/i;

/**
 * A Node file-system error (EEXIST, EACCES, EPERM, ENOSPC, EROFS, EBUSY, ENOENT, EISDIR, ENOTDIR, EMFILE…) as one
 * Vietnamese line naming the path and the remedy; null when `e` is not one.
 */
export function fsErrorReason(e: unknown): string | null {
  if (!e || typeof e !== 'object') return null;
  const { syscall, path: file, dest } = e as ErrnoLike;
  let { code } = e as ErrnoLike;
  if (typeof code !== 'string' || !/^E[A-Z]+$/.test(code)) return null;
  if (code === 'ENOENT' && syscall === 'mkdir' && typeof file === 'string') code = mkdirCause(file) ?? code;
  const where = typeof file === 'string' ? `"${file}"` : 'tệp';
  const target = typeof dest === 'string' ? ` → "${dest}"` : '';
  const verb = typeof syscall === 'string' ? (SYSCALL_VERBS[syscall] ?? 'truy cập') : 'truy cập';
  const mayBeOpen = typeof file === 'string' && OFFICE_FILE.test(file) || typeof dest === 'string' && OFFICE_FILE.test(dest);
  const openHint = mayBeOpen ? ' Nếu tệp đang mở trong Excel hay chương trình khác, hãy đóng tệp rồi chạy lại.' : '';
  switch (code) {
    case 'ENOENT':
      return `không tìm thấy ${where}${target} (tệp hoặc thư mục không tồn tại): kiểm tra lại đường dẫn.`;
    case 'EEXIST':
      return `${where}${target} đã có rồi: chọn tên khác, hoặc xóa hay đổi tên cái đang có.`;
    case 'EACCES':
    case 'EPERM':
      return `không có quyền ${verb} ${where}${target}: chọn thư mục của mình (ví dụ trong Documents), hoặc nhờ người quản trị máy cấp quyền.${openHint}`;
    case 'EBUSY':
      return `${where}${target} đang bị chương trình khác giữ (thường là Excel đang mở tệp): đóng tệp rồi chạy lại.`;
    case 'ENOSPC':
    case 'EDQUOT':
      return `ổ đĩa đã đầy, không ${verb} được ${where}: giải phóng dung lượng hoặc chọn ổ khác rồi chạy lại.`;
    case 'EROFS':
      return `${where} nằm trên ổ chỉ đọc (đĩa CD, thư mục chia sẻ chỉ đọc…): chọn một thư mục ghi được.`;
    case 'EISDIR':
      return `${where} là một thư mục, ở đây cần một tệp: đổi tên hoặc chuyển thư mục đó đi, hoặc chọn đường dẫn khác.`;
    case 'ENOTDIR':
      return `${where}: một phần của đường dẫn là tệp chứ không phải thư mục.`;
    case 'ENOTEMPTY':
      return `thư mục ${where} không trống: chọn thư mục khác hoặc dọn thư mục đó.`;
    case 'EMFILE':
    case 'ENFILE':
      return `đang mở quá nhiều tệp cùng lúc (khi mở ${where}): đóng bớt chương trình khác, hoặc chạy lại với ít tệp hơn mỗi lần.`;
    case 'ENAMETOOLONG':
      return `đường dẫn ${where} quá dài: chuyển thư mục lên gần gốc ổ đĩa (ví dụ C:\\hoctap) rồi chạy lại.`;
    case 'EXDEV':
      return `không chuyển được ${where}${target} sang ổ đĩa khác: chọn thư mục trên cùng một ổ.`;
    case 'EIO':
      return `lỗi đọc/ghi ổ đĩa ở ${where} (ổ USB bị rút, ổ mạng mất kết nối…): kiểm tra ổ đĩa rồi chạy lại.`;
    case 'ELOOP':
      return `${where}: đường dẫn có liên kết vòng (symlink trỏ về chính nó).`;
    default:
      return null;
  }
}

/**
 * Node's recursive mkdir reports ENOENT when the real cause is a read-only or locked parent: the nearest existing
 * folder tells which (null when it is really missing).
 */
function mkdirCause(file: string): string | null {
  let dir = path.dirname(file);
  while (!fs.existsSync(dir) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  try {
    if (!fs.statSync(dir).isDirectory()) return 'ENOTDIR';
    fs.accessSync(dir, fs.constants.W_OK);
    return null;
  } catch (e) {
    const code = (e as ErrnoLike).code;
    return typeof code === 'string' ? code : null;
  }
}

// ---------------------------------------------------------------------------------------------- csv-parse

/**
 * A csv-parse error (its `code` is CSV_… or INVALID_OPENING_QUOTE) as one Vietnamese line with its line number;
 * null when `e` is not one.
 */
export function csvErrorReason(e: unknown): string | null {
  if (!e || typeof e !== 'object') return null;
  const { code, lines, message } = e as { code?: unknown; lines?: unknown; message?: unknown };
  if (typeof code !== 'string' || !(code.startsWith('CSV_') || code === 'INVALID_OPENING_QUOTE')) return null;
  const at = typeof lines === 'number' ? ` ở dòng ${lines}` : '';
  const text = typeof message === 'string' ? message : '';
  switch (code) {
    case 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH':
    case 'CSV_RECORD_INCONSISTENT_COLUMNS': {
      const m = /(?:expect|length is) (\d+),? got (\d+)/.exec(text);
      const counts = m ? ` (có ${m[2]} cột, dòng tiêu đề có ${m[1]})` : '';
      return `số cột${at} khác dòng tiêu đề${counts}: kiểm tra dấu phân cách và dấu nháy kép trong ô có dấu phẩy.`;
    }
    case 'CSV_QUOTE_NOT_CLOSED':
      return `có dấu nháy kép (") mở${at} mà không đóng: mỗi ô bắt đầu bằng " phải kết thúc bằng ".`;
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return `sau dấu nháy kép đóng ô${at} còn ký tự khác dấu phân cách: viết dấu " trong ô thành "" .`;
    case 'INVALID_OPENING_QUOTE':
      return `có dấu nháy kép (") giữa một ô${at}: đặt cả ô trong "…" và viết dấu " trong ô thành "".`;
    case 'CSV_MAX_RECORD_SIZE':
      return `một dòng${at} quá dài: tệp có thể không phải CSV.`;
    default:
      return `tệp CSV không đúng định dạng${at}.`;
  }
}

// ---------------------------------------------------------------------------------------------- SQLite

/** An SQLite error (code ERR_SQLITE_ERROR, `errcode` the SQLite result code) as one Vietnamese line; null otherwise. */
export function sqliteErrorReason(e: unknown): string | null {
  if (!e || typeof e !== 'object' || (e as { code?: unknown }).code !== 'ERR_SQLITE_ERROR') return null;
  const primary = Number((e as { errcode?: unknown }).errcode) & 0xff;
  switch (primary) {
    case 5: // SQLITE_BUSY
    case 6: // SQLITE_LOCKED
      return 'cơ sở dữ liệu hoctap.sqlite đang được một lệnh hoctap khác dùng: đợi lệnh đó xong rồi chạy lại.';
    case 8: // SQLITE_READONLY
      return 'không ghi được vào hoctap.sqlite (tệp hoặc thư mục chỉ đọc): chọn thư mục làm việc ghi được.';
    case 10: // SQLITE_IOERR
      return 'lỗi đọc/ghi ổ đĩa khi dùng hoctap.sqlite: kiểm tra ổ đĩa rồi chạy lại.';
    case 11: // SQLITE_CORRUPT
    case 26: // SQLITE_NOTADB
      return 'tệp hoctap.sqlite bị hỏng hoặc không phải cơ sở dữ liệu của hoctap: khôi phục bản sao lưu hoặc dùng thư mục làm việc khác.';
    case 13: // SQLITE_FULL
      return 'ổ đĩa đã đầy, không ghi được vào hoctap.sqlite: giải phóng dung lượng rồi chạy lại.';
    case 14: // SQLITE_CANTOPEN
      return 'không mở được hoctap.sqlite: kiểm tra thư mục làm việc có tồn tại và ghi được không.';
    default:
      return null;
  }
}

// ---------------------------------------------------------------------------------------------- zod

const TYPE_NAMES: Record<string, string> = {
  string: 'một chuỗi chữ trong dấu nháy kép', number: 'một số', int: 'một số nguyên', boolean: 'true hoặc false',
  array: 'một danh sách [ … ]', object: 'một đối tượng { … }', record: 'một đối tượng { … }', date: 'một ngày',
  null: 'null', undefined: 'không có giá trị', bigint: 'một số nguyên', nan: 'một số',
};

function received(input: unknown): string {
  if (input === undefined) return 'không có giá trị';
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'một danh sách';
  switch (typeof input) {
    case 'string': return `chuỗi ${JSON.stringify(input.length > 40 ? input.slice(0, 40) + '…' : input)}`;
    case 'number': return `số ${input}`;
    case 'boolean': return String(input);
    case 'object': return 'một đối tượng';
    default: return typeof input;
  }
}

const FORMAT_NAMES: Record<string, string> = {
  email: 'địa chỉ email', url: 'địa chỉ web (URL)', date: 'ngày dạng YYYY-MM-DD', datetime: 'ngày giờ dạng ISO 8601',
  time: 'giờ dạng HH:MM', uuid: 'mã UUID', regex: 'đúng mẫu quy định',
};

/** A zod issue in Vietnamese (used as zod's global error map, so schemas without their own message read Vietnamese). */
export function zodIssueReason(zodIssue: { code?: string; message?: string; input?: unknown }): string {
  const issue = zodIssue as { code?: string; message?: string; input?: unknown } & Record<string, unknown>;
  const bound = (n: unknown, inclusive: unknown, below: boolean) =>
    `${below ? (inclusive === false ? 'lớn hơn' : 'ít nhất') : (inclusive === false ? 'nhỏ hơn' : 'nhiều nhất')} ${String(n)}`;
  const sizeOf = (origin: unknown, n: unknown) =>
    origin === 'string' ? `${String(n)} ký tự` : origin === 'array' || origin === 'set' ? `${String(n)} mục` : String(n);
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return `thiếu giá trị (cần ${TYPE_NAMES[String(issue.expected)] ?? String(issue.expected)})`;
      return `cần ${TYPE_NAMES[String(issue.expected)] ?? String(issue.expected)}, nhưng có ${received(issue.input)}`;
    case 'too_small': {
      const n = sizeOf(issue.origin, issue.minimum);
      if (issue.origin === 'string' && issue.minimum === 1) return 'không được để trống';
      return issue.exact ? `phải có đúng ${n}` : `phải ${bound(n, issue.inclusive, true)}`;
    }
    case 'too_big': {
      const n = sizeOf(issue.origin, issue.maximum);
      return issue.exact ? `phải có đúng ${n}` : `phải ${bound(n, issue.inclusive, false)}`;
    }
    case 'invalid_format': {
      const f = String(issue.format);
      if (f === 'starts_with') return `phải bắt đầu bằng "${String(issue.prefix)}"`;
      if (f === 'ends_with') return `phải kết thúc bằng "${String(issue.suffix)}"`;
      if (f === 'includes') return `phải chứa "${String(issue.includes)}"`;
      return `không đúng định dạng: cần ${FORMAT_NAMES[f] ?? f}`;
    }
    case 'not_multiple_of':
      return `phải là bội số của ${String(issue.divisor)}`;
    case 'unrecognized_keys': {
      const keys = (issue.keys as string[] | undefined) ?? [];
      return `khóa không được hỗ trợ: ${keys.map((k) => `"${k}"`).join(', ')}`;
    }
    case 'invalid_value': {
      const values = ((issue.values as unknown[] | undefined) ?? []).map((v) => JSON.stringify(v));
      return values.length === 1 ? `phải là ${values[0]}` : `phải là một trong ${values.join(', ')}`;
    }
    case 'invalid_union':
      return 'giá trị không khớp với dạng nào được chấp nhận';
    case 'invalid_key':
      return 'tên khóa không hợp lệ';
    case 'invalid_element':
      return 'có phần tử không hợp lệ';
    default:
      return issue.message && !/^Invalid/i.test(issue.message) ? issue.message : 'giá trị không hợp lệ';
  }
}

// Every zod schema of the project reports in Vietnamese; a schema's own message still takes precedence.
z.config({ customError: (issue) => zodIssueReason(issue) });
