/**
 * The pieces the Vietnamese words of findings (locale-vi.ts) share: how a number, a place in a file, a misplaced input,
 * a role of a measure, what each kind of input expects and the common remedies are said. Kept apart from the locale so
 * that it reads as one entry per code.
 */
import { DIRECTION_LABELS, RATING_LABELS, type FieldRole } from '../catalog/types.ts';
import { formatNumberVi } from '../vi/numbers.ts';
import type { Misplaced, Place } from './codes.ts';
import { TEXT_MAX_CHARS, type InputKind } from './kinds.ts';
import { SAVE_AS_CSV_UTF8 as SAVE_AS, type Delimiter } from '../csv-text.ts';

export const numVi = (v: number) => formatNumberVi(v, 2);

export const placeName = (p: Place) => (p.cell ? `ô ${p.cell}` : p.line ? `dòng ${p.line}` : p.fieldId);

export const META = '_meta';
export const CSV_EXPECTED = 'tệp CSV UTF-8 có dòng tiêu đề unit_code,year,field_id,value,note (cột note không bắt buộc), mỗi tệp một đơn vị và một năm';
/** How a unit saves its sheet as a CSV hoctap reads, in Excel's words (Excel in Vietnamese keeps the English type name). */
export const SAVE_AS_CSV_UTF8 = `${SAVE_AS}, lưu rồi gửi lại tệp đó`;
export const DELIMITER_WORDS: Record<Delimiter, string> = { ',': 'dấu phẩy (,)', ';': 'dấu chấm phẩy (;)', '\t': 'dấu tab' };
export const ORIGINAL = 'dùng lại biểu mẫu gốc';
export const EXPLAIN = 'nếu số liệu đúng, ghi giải trình của đơn vị vào ô "Giải trình" của chỉ số (CSV: dòng <chỉ số>.giaitrinh)';
export const sign = (v: number) => (v > 0 ? '+' : '');

const ratingList = Object.entries(RATING_LABELS).sort((a, b) => Number(b[0]) - Number(a[0])).map(([k, v]) => `${k} ${v}`).join(', ');
const textLimit = `văn bản không quá ${formatNumberVi(TEXT_MAX_CHARS, 2)} ký tự`;

/** What each kind of input expects, as a finding says it. */
export const EXPECTED: Record<InputKind, string> = {
  percent: 'một tỷ lệ phần trăm từ 0 đến 100, ví dụ 95,5',
  count: 'một số nguyên không âm, ví dụ 1234',
  number: 'một số không âm, ví dụ 1234,5',
  direction: `"${DIRECTION_LABELS.up}" hoặc "${DIRECTION_LABELS.down}"`,
  rating: `một mức từ 1 đến 5 (${ratingList})`,
  text: textLimit,
  narrative: textLimit,
  contact: textLimit,
  explanation: textLimit,
  item: textLimit,
};
export const kindRemedy = (p: { kind: InputKind }) => EXPECTED[p.kind];

export const ROLE_LABELS: Record<FieldRole, string> = {
  value: 'giá trị', num: 'tử số', den: 'mẫu số', male: 'Nam', female: 'Nữ', total: 'Tổng', rate: 'Tỷ lệ',
  direction: 'Tăng/Giảm', evidence: 'minh chứng',
};

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
