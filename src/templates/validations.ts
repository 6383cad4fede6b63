/**
 * Validations: every input cell has one, with a Vietnamese prompt and error (Excel limits: title 32, text 255).
 * The list labels are part of the template's wording contract: ingest reads them back.
 */
import type ExcelJS from 'exceljs';
import { RATING_LABELS, type FieldKind } from '../catalog/types.ts';

/** The labels of the list cells: ingest reads them back, so they are part of the template's wording contract. */
import { DIRECTION_OPTIONS } from '../vi/labels.ts';

export { DIRECTION_OPTIONS };
export const RATING_OPTIONS = [5, 4, 3, 2, 1].map((n) => `${n} - ${RATING_LABELS[n]}`);

function quoteList(values: readonly string[]): string {
  const f = `"${values.join(',')}"`;
  if (f.length > 255) throw new Error(`inline list too long for Excel: ${f}`);
  return f;
}

const validation = (v: Omit<ExcelJS.DataValidation, 'allowBlank' | 'showInputMessage' | 'showErrorMessage' | 'errorStyle'>): ExcelJS.DataValidation => ({
  allowBlank: true, showInputMessage: true, showErrorMessage: true, errorStyle: 'stop', ...v,
});

export const VALIDATIONS: Record<FieldKind, ExcelJS.DataValidation> = {
  percent: validation({
    type: 'decimal', operator: 'between', formulae: [0, 100],
    promptTitle: 'Tỷ lệ phần trăm', prompt: 'Gõ một số từ 0 đến 100, ví dụ 95,5 nghĩa là 95,5%. Không gõ dấu %.',
    errorTitle: 'Tỷ lệ không hợp lệ', error: 'Tỷ lệ phải là một số từ 0 đến 100 (ví dụ 95,5), không kèm dấu % hay chữ.',
  }),
  count: validation({
    type: 'whole', operator: 'greaterThanOrEqual', formulae: [0],
    promptTitle: 'Số lượng', prompt: 'Gõ một số nguyên không âm, ví dụ 1250.',
    errorTitle: 'Số lượng không hợp lệ', error: 'Số lượng phải là số nguyên từ 0 trở lên, không kèm chữ hay đơn vị.',
  }),
  number: validation({
    type: 'decimal', operator: 'greaterThanOrEqual', formulae: [0],
    promptTitle: 'Số liệu', prompt: 'Gõ một số không âm (có thể có phần thập phân), đúng đơn vị tính ở cột bên trái.',
    errorTitle: 'Số liệu không hợp lệ', error: 'Số liệu phải là một số từ 0 trở lên, không kèm chữ hay đơn vị.',
  }),
  direction: validation({
    type: 'list', formulae: [quoteList(DIRECTION_OPTIONS)],
    promptTitle: 'Tăng hay giảm', prompt: 'Chọn "Tăng" hoặc "Giảm" so với năm trước trong danh sách.',
    errorTitle: 'Giá trị không hợp lệ', error: 'Chỉ chọn "Tăng" hoặc "Giảm" trong danh sách.',
  }),
  rating: validation({
    type: 'list', formulae: [quoteList(RATING_OPTIONS)],
    promptTitle: 'Mức đánh giá', prompt: 'Chọn một mức trong danh sách: 5 - Xuất sắc, 4 - Rất tốt, 3 - Tốt, 2 - Khá, 1 - Yếu.',
    errorTitle: 'Mức đánh giá không hợp lệ', error: 'Chỉ chọn một trong năm mức của danh sách (5 - Xuất sắc … 1 - Yếu).',
  }),
  text: validation({
    type: 'textLength', operator: 'lessThanOrEqual', formulae: [2000],
    promptTitle: 'Minh chứng / ghi chú', prompt: 'Ghi văn bản, nguồn số liệu hoặc đường dẫn minh chứng; nếu để trống số liệu, ghi lý do.',
    errorTitle: 'Nội dung quá dài', error: 'Ô này nhận tối đa 2000 ký tự: ghi ngắn gọn, đính kèm tài liệu khi gửi.',
  }),
};

export const NARRATIVE_VALIDATION = validation({
  type: 'textLength', operator: 'lessThanOrEqual', formulae: [32000],
  promptTitle: 'Nội dung báo cáo', prompt: 'Xóa dòng hướng dẫn có sẵn rồi ghi nội dung. Xuống dòng trong ô: Alt+Enter (Excel) hoặc Ctrl+Enter (LibreOffice).',
  errorTitle: 'Nội dung quá dài', error: 'Một ô nhận tối đa 32000 ký tự: hãy rút gọn hoặc gửi kèm văn bản.',
});
export const EXPLANATION_VALIDATION = validation({
  type: 'textLength', operator: 'lessThanOrEqual', formulae: [2000],
  promptTitle: 'Giải trình', prompt: 'Khi Sở hỏi lại hoặc bản kiểm tra cảnh báo một số liệu mà số liệu đó đúng: ghi giải trình (lý do, nguồn) vào đây, không sửa số liệu đúng.',
  errorTitle: 'Nội dung quá dài', error: 'Ô này nhận tối đa 2000 ký tự: ghi ngắn gọn, đính kèm tài liệu khi gửi.',
});
export const CONTACT_VALIDATION = validation({
  type: 'textLength', operator: 'lessThanOrEqual', formulae: [255],
  promptTitle: 'Thông tin liên hệ', prompt: 'Ghi thông tin của người lập biểu để Sở liên hệ khi cần.',
  errorTitle: 'Nội dung quá dài', error: 'Ô này nhận tối đa 255 ký tự.',
});

/** A structured item's text (a highlight's name or result, a difficulty, a proposal, a nominee, an achievement). */
export const ITEM_TEXT_VALIDATION = validation({
  type: 'textLength', operator: 'lessThanOrEqual', formulae: [500],
  promptTitle: 'Một ý, một dòng', prompt: 'Ghi ngắn gọn một ý trên một dòng. Không có thì ghi "Không có" ở dòng đầu.',
  errorTitle: 'Nội dung quá dài', error: 'Ô này nhận tối đa 500 ký tự: ghi ngắn gọn một ý.',
});

const LIST_WORDS: Record<string, { title: string; prompt: string }> = {
  category: { title: 'Nhóm', prompt: 'Chọn nhóm trong danh sách (Kinh phí, Nhân lực, …, Khác).' },
  addressee: { title: 'Kiến nghị với', prompt: 'Chọn cơ quan nhận kiến nghị trong danh sách.' },
  nominee: { title: 'Tập thể / Cá nhân', prompt: 'Chọn "Tập thể" hoặc "Cá nhân".' },
};

/** A list cell of a structured item (a category, an addressee, collective or individual): its labels from item_lists.csv. */
export function itemListValidation(list: string, labels: string[]): ExcelJS.DataValidation {
  const w = LIST_WORDS[list] ?? { title: 'Chọn trong danh sách', prompt: 'Chọn trong danh sách.' };
  return validation({
    type: 'list', formulae: [quoteList(labels)], promptTitle: w.title, prompt: w.prompt,
    errorTitle: 'Giá trị không hợp lệ', error: `Chỉ chọn trong danh sách: ${labels.join(', ')}.`.slice(0, 255),
  });
}
