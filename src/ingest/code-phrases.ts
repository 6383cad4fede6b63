/**
 * The pieces the sentences of the code table (codes.ts) share: how a number, a place in a file, a misplaced input and
 * the common remedies are said. Kept apart from the table so that it reads as one line per code.
 */
import type { Delimiter } from '../csv-text.ts';
import { formatNumberVi } from '../vi/numbers.ts';
import { EXPECTED, type InputKind } from './kinds.ts';

export const numVi = (v: number) => formatNumberVi(v, 2);

/** Where a value sits, as a message names it beside another: "ô G8", "dòng 4", or its field id. */
export interface Place { cell: string | null; line: number | null; fieldId: string }
export const placeName = (p: Place) => (p.cell ? `ô ${p.cell}` : p.line ? `dòng ${p.line}` : p.fieldId);

export const META = '_meta';
export const CSV_EXPECTED = 'tệp CSV UTF-8 có dòng tiêu đề unit_code,year,field_id,value,note (cột note không bắt buộc), mỗi tệp một đơn vị và một năm';
/** How a unit saves its sheet as a CSV hoctap reads, in Excel's words (Excel in Vietnamese keeps the English type name). */
export const SAVE_AS_CSV_UTF8 = 'mở tệp bằng Excel, chọn Tệp › Lưu thành (File › Save As), ở "Kiểu tệp" chọn "CSV UTF-8 (Comma delimited) (*.csv)", lưu rồi gửi lại tệp đó';
export const DELIMITER_WORDS: Record<Delimiter, string> = { ',': 'dấu phẩy (,)', ';': 'dấu chấm phẩy (;)', '\t': 'dấu tab' };
export const ORIGINAL = 'dùng lại biểu mẫu gốc';
export const EXPLAIN = 'nếu số liệu đúng, ghi giải trình của đơn vị vào ô "Giải trình" của chỉ số (CSV: dòng <chỉ số>.giaitrinh)';
export const kindRemedy = (p: { kind: InputKind }) => EXPECTED[p.kind];
export const sign = (v: number) => (v > 0 ? '+' : '');

/** Where an edited map sends an input, instead of the template's cell. */
export type Misplaced =
  | { kind: 'meta' } | { kind: 'sheet' } | { kind: 'outside' } | { kind: 'cell' }
  | { kind: 'column'; column: string; header: string } | { kind: 'other'; fieldId: string };
export function misplaced(w: Misplaced): string {
  switch (w.kind) {
    case 'meta': return `chính trang ẩn ${META}`;
    case 'sheet': return 'trang không có ô nhập';
    case 'outside': return 'ngoài vùng của trang';
    case 'cell': return 'không phải ô nhập của biểu mẫu';
    case 'column': return `cột ${w.column}${w.header ? ` ("${w.header}")` : ''} không phải cột nhập`;
    case 'other': return `là ô nhập của "${w.fieldId}"`;
  }
}
