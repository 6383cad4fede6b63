import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { decodeText, type TextFault, SAVE_AS_CSV_UTF8 as SAVE_AS } from '../csv-text.ts';
import { csvErrorReason, DataFileError } from '../errors.ts';

/** The words of src/csv-text.ts, ended for a data file the analyst saves again. */
const SAVE_AS_CSV_UTF8 = `${SAVE_AS} rồi lưu lại`;

/** Where and why a data file's text cannot be read without a "�", and what to do, in one line. */
export function textFaultReason(f: TextFault): string {
  const at = f.before ? `ngay sau "${f.before}" ` : '';
  const why = f.kind === 'replacement' ? `${at}có ký tự "�": chữ đã bị hỏng khi tệp được chuyển mã trước đó`
      : f.encoding === 'utf-8' ? `tệp không phải mã UTF-8 (có thể là Windows-1258, TCVN3 hoặc VNI): ${at}có byte không đọc được thành chữ, chữ tiếng Việt sẽ bị sai`
        : `tệp mã UTF-16 bị hỏng: ${at}có byte không đọc được thành chữ`;
  return `${why}; cách sửa: ${SAVE_AS_CSV_UTF8}`;
}

/**
 * The text of a CSV data file, decoded strictly (UTF-8 with or without BOM, UTF-16 with BOM; src/csv-text.ts): a file
 * that is not valid text is a DataFileError naming its first bad line and how to save it again.
 */
export function readCsvText(file: string, displayName = file): string {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    throw new DataFileError(displayName, 'không đọc được tệp (tệp không tồn tại hoặc không có quyền đọc)');
  }
  const decoded = decodeText(bytes);
  if (!decoded.ok) throw new DataFileError(displayName, textFaultReason(decoded.fault), decoded.fault.line);
  return decoded.text;
}

/**
 * Reads a CSV data file (UTF-8, BOM allowed, header row) and checks every row with a zod object schema.
 * Any problem is a DataFileError naming the file, the line and the column, in Vietnamese.
 */
export function readCsvRows<S extends z.ZodObject>(file: string, schema: S, displayName = file): z.infer<S>[] {
  const text = readCsvText(file, displayName);
  let records: string[][];
  try {
    records = parse(text, { skip_empty_lines: true, relax_column_count: false, trim: false });
  } catch (e) {
    const err = e as { lines?: number; message?: string };
    throw new DataFileError(displayName, `không phải CSV hợp lệ: ${csvErrorReason(e) ?? String(err.message ?? e).split('\n')[0]}`, err.lines);
  }
  if (records.length === 0) throw new DataFileError(displayName, 'tệp rỗng, thiếu dòng tiêu đề');
  const header = records[0].map((h) => h.trim());
  const expected = Object.keys(schema.shape);
  for (const col of expected) {
    const optional = schema.shape[col].safeParse(undefined).success;
    if (!header.includes(col) && !optional) {
      throw new DataFileError(displayName, `thiếu cột "${col}" ở dòng tiêu đề (các cột cần có: ${expected.join(', ')})`, 1, col);
    }
  }
  const rows: z.infer<S>[] = [];
  for (let i = 1; i < records.length; i++) {
    const line = i + 1;
    const obj: Record<string, string> = {};
    header.forEach((h, j) => {
      obj[h] = records[i][j].trim();
    });
    const result = schema.safeParse(obj);
    if (!result.success) {
      const issue = result.error.issues[0];
      const column = String(issue.path[0] ?? '');
      throw new DataFileError(displayName, `${issue.message} (giá trị "${obj[column] ?? ''}")`, line, column);
    }
    rows.push(result.data);
  }
  return rows;
}

/** zod helpers with Vietnamese messages, shared by every data file schema. */
export const cell = {
  required: (what: string) => z.string({ error: `thiếu ${what}` }).min(1, { error: `thiếu ${what}` }),
  optional: () => z.string().optional().default(''),
  number: (what: string) =>
    z
      .string()
      .regex(/^-?\d+([.,]\d+)?$/, { error: `${what} phải là một số (dùng dấu chấm hoặc phẩy thập phân)` })
      .transform((s) => Number(s.replace(',', '.'))),
  optionalNumber: (what: string) =>
    z
      .string()
      .optional()
      .default('')
      .refine((s) => s === '' || /^-?\d+([.,]\d+)?$/.test(s), { error: `${what} phải là một số hoặc để trống` })
      .transform((s) => (s === '' ? null : Number(s.replace(',', '.')))),
  oneOf: <T extends string>(what: string, values: readonly T[]) =>
    z.string().refine((s): s is T => (values as readonly string[]).includes(s), {
      error: `${what} không hợp lệ: phải là một trong ${values.join(', ')}`,
    }) as unknown as z.ZodType<T, string>,
};
