/** An error the user can act on: printed as one Vietnamese line, never with a stack trace. */
export class UserError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 2) {
    super(message);
    this.name = 'UserError';
    this.exitCode = exitCode;
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
