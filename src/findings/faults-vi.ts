/**
 * The Vietnamese words of the faults the readers of src/xlsx find in a workbook's bytes (src/xlsx/fault.ts: a code, the
 * part, typed facts): where the reader stopped, and what the analyst and the unit can do.
 */
import type { SheetExcess } from '../xlsx/fault.ts';
import type { Words } from './locale-vi.ts';
import type { At } from './codes.ts';
import { TEXT_MAX_CHARS } from './kinds.ts';
import { numVi, ORIGINAL } from './phrases-vi.ts';

const RESAVE = 'mở tệp bằng Excel hoặc LibreOffice, lưu lại dạng .xlsx rồi gửi lại';
/** For a file damaged in its bytes: what the analyst can do, and what the unit can. */
const DAMAGED = `${RESAVE}; nếu tệp không mở được, đề nghị đơn vị gửi lại tệp gốc`;
const STORED_AS: Record<At<'bad_cell_value'>['want'], string> = { number: 'một số', index: 'số thứ tự của một chuỗi', boolean: 'giá trị đúng/sai' };

/** " (phần xl/worksheets/sheet1.xml, trang HuongDan)": where a reader stopped, when known. */
const partName = (p: { part: string | null; sheet: string | null }) => (p.part ? ` (phần ${p.part}${p.sheet ? `, trang ${p.sheet}` : ''})` : '');

function sheetExcess(e: SheetExcess): string {
  if ('cells' in e) return `${numVi(e.cells)} ô, giới hạn ${numVi(e.max)}`;
  if ('mergeOutside' in e) return `vùng gộp ô ${e.mergeOutside} vượt ra ngoài trang tính`;
  if ('merged' in e) return `các vùng gộp ô phủ hơn ${numVi(e.merged)} ô, ví dụ ${e.example}`;
  if ('rowOutside' in e) return `dòng ${e.rowOutside} nằm ngoài trang tính`;
  return `ô ${e.cellOutside} nằm ngoài trang tính`;
}

export const FAULT_WORDS: {
  sheet_too_large: Words<At<'sheet_too_large'>>; text_too_large: Words<At<'text_too_large'>>; bad_cell_value: Words<At<'bad_cell_value'>>;
  workbook_too_complex: Words<At<'workbook_too_complex'>>; unreadable_workbook: Words<At<'unreadable_workbook'>>; damaged_part: Words<At<'damaged_part'>>;
} = {
  sheet_too_large: {
    reason: (p) => `trang ${p.sheet} quá lớn để đọc (${sheetExcess(p.excess)})`,
    remedy: () => `${ORIGINAL}, chỉ điền vào các ô nền vàng, rồi gửi lại`,
  },
  text_too_large: {
    reason: (p) => `${p.sheet && p.cell ? `trang ${p.sheet}, ô ${p.cell}` : `phần ${p.part ?? 'văn bản'} của tệp`} chứa một văn bản dài khoảng ${numVi(p.chars)} ký tự, vượt xa giới hạn ${numVi(p.max)} ký tự mà hoctap đọc (một ô Excel chứa tối đa ${numVi(TEXT_MAX_CHARS)} ký tự)`,
    remedy: () => `văn bản không quá ${numVi(TEXT_MAX_CHARS)} ký tự mỗi ô; tài liệu dài gửi kèm riêng`,
  },
  bad_cell_value: {
    reason: (p) => `tệp bị ghi sai: trang ${p.sheet}, ô ${p.cell} lưu giá trị "${p.raw}" ở chỗ chỉ được có ${STORED_AS[p.want]} (phần mềm xuất tệp đã ghi sai định dạng)`,
    remedy: () => RESAVE,
  },
  workbook_too_complex: {
    reason: (p) => (p.unchecked ? 'tệp chưa được kiểm tra cấu trúc nén'
      : `bảng tính có cấu trúc mà hoctap không đọc trực tiếp được${partName(p)}, và quá lớn để đọc toàn bộ`),
    remedy: () => RESAVE,
  },
  unreadable_workbook: {
    reason: (p) => (p.noSheets ? 'không đọc được trang nào trong bảng tính'
      : p.part ? `không đọc được bảng tính: phần ${p.part}${p.sheet ? ` (trang ${p.sheet})` : ''} bị hỏng hoặc có cấu trúc không chuẩn (tệp hỏng khi truyền, hoặc do phần mềm khác Excel/LibreOffice lưu)`
        : 'không đọc được bảng tính (cấu trúc bên trong không chuẩn hoặc bị hỏng, thường do phần mềm khác Excel/LibreOffice lưu)'),
    remedy: () => DAMAGED,
  },
  damaged_part: {
    reason: (p) => `tệp bị hỏng: phần ${p.part ?? '?'}${p.sheet ? ` (trang ${p.sheet})` : ''} có những byte không phải văn bản UTF-8 (tệp hỏng khi truyền, hoặc bị sửa bằng công cụ khác)`,
    remedy: () => DAMAGED,
  },
};
