/** A finding that refuses the whole file, thrown by a reader as soon as it knows (a limit, a corrupt value). */
export class Refusal extends Error {
  readonly code: string;
  readonly reason: string;
  readonly expected: string;

  constructor(code: string, reason: string, expected: string) {
    super(reason);
    this.code = code;
    this.reason = reason;
    this.expected = expected;
  }
}

/** Finding codes of the readers of src/xlsx (README, "Các kiểm tra"). */
export const XLSX_CODES = {
  /** Too many cells or merged cells in a sheet, or a cell outside an Excel sheet. */
  sheetTooLarge: 'sheet_too_large',
  /** One text longer than READ_LIMITS.maxTextChars. */
  textTooLarge: 'text_too_large',
  /** A workbook the targeted reader cannot read and too large to be read whole. */
  tooComplex: 'workbook_too_complex',
  /** A cell whose stored value is not of its type (`<v>76,5</v>` in a number cell): the file was written wrong. */
  badCellValue: 'bad_cell_value',
} as const;

export const RESAVE = 'mở tệp bằng Excel hoặc LibreOffice, lưu lại dạng .xlsx rồi gửi lại';
