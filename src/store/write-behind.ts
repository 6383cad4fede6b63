/**
 * A file's writes sent to the store after the store had answered for it (PostgreSQL, in a batch: src/store/sql/
 * batch-record.ts), which the database then refused or could not do. The file was rolled back to its savepoint, so
 * nothing of it is stored; the files before it in the batch are kept. Said when the store is next used, as a fault that
 * stops the batch: ingest leaves the file out of what it reports as stored, and names it here.
 */
import { UserError } from '../errors.ts';

export class WriteBehindFailed extends UserError {
  readonly submissionId: number;
  readonly fileName: string;

  constructor(fileName: string, submissionId: number, cause: unknown) {
    const said = cause instanceof UserError ? cause.message.replace(/\.$/, '') : databaseCode(cause);
    super(`Không ghi được tệp ${fileName} vào cơ sở dữ liệu (${said}): tệp này chưa được lưu, các tệp nhập trước nó vẫn được lưu. ` +
      'Nhờ bộ phận CNTT xem lỗi này của cơ sở dữ liệu, rồi chạy lại lệnh nhập: các tệp đã lưu sẽ được nhận ra là đã nhập.', 3);
    this.name = 'WriteBehindFailed';
    this.cause = cause;
    this.submissionId = submissionId;
    this.fileName = fileName;
  }

  /** The same failure with its cause said in the analyst's words (postgres/errors.ts knows the server's). */
  withCause(cause: unknown): WriteBehindFailed {
    return new WriteBehindFailed(this.fileName, this.submissionId, cause);
  }
}

function databaseCode(cause: unknown): string {
  const code = (cause as { code?: unknown })?.code;
  return typeof code === 'string' && code ? `cơ sở dữ liệu từ chối, mã lỗi ${code}` : 'mất kết nối hoặc lỗi của cơ sở dữ liệu';
}
