/** The instructions sheet (HuongDan): who fills the template, by when, how to type figures, where to send it. */
import { narrativesForUnit } from '../catalog/assignments.ts';
import type ExcelJS from 'exceljs';
import { deadlineFor, type Profile, type Unit, type Workspace } from '../catalog/workspace.ts';
import { SHEETS, TEMPLATE_VERSION } from '../xlsx/meta.ts';
import { templateFileName } from './naming.ts';
import { adminDateWords, vietnamDay } from '../dates.ts';
import { fitRowHeights, type Sized } from './row-heights.ts';
import { INPUT_FILL, PAGE_SETUP, STYLE } from './styles.ts';

export function writeInstructions(sheet: ExcelJS.Worksheet, ws: Workspace, unit: Unit, year: number, indicatorCount: number): void {
  const p = ws.profile;
  sheet.columns = [{ width: 26 }, { width: 100 }];
  const deadline = adminDateWords(vietnamDay(deadlineFor(p, year)));
  const sendTo = sendToText(p);
  const file = templateFileName(unit, year);
  const sized: Sized[] = [];

  sheet.mergeCells('A1:B1');
  Object.assign(sheet.getCell('A1'), { value: `BIỂU MẪU BÁO CÁO KẾT QUẢ XÂY DỰNG THÀNH PHỐ HỌC TẬP NĂM ${year}`, style: STYLE.title });
  sheet.getRow(1).height = 36;
  sheet.mergeCells('A2:B2');
  // No internal hash here (issue 23): the catalog's version is in `_meta`, for the machine.
  Object.assign(sheet.getCell('A2'), { value: `${p.city} · ${p.issuingBody} · biểu mẫu phiên bản ${TEMPLATE_VERSION}`, style: STYLE.subtitle });

  const rows: [string, string][] = [
    ['Đơn vị báo cáo', `${unit.name} (mã ${unit.code})`],
    ['Người điền', `Cán bộ đầu mối được lãnh đạo ${unit.name} giao tổng hợp số liệu năm ${year}; lãnh đạo đơn vị kiểm tra trước khi gửi. Chỉ điền số liệu của chính đơn vị mình.`],
    ['Hạn gửi', `Chậm nhất ${deadline}.`],
    ['Gửi về', sendTo],
    ...contactRow(p),
    ['Nội dung cần điền', `${indicatorCount ? `${indicatorCount} chỉ số ở trang "${SHEETS.indicators}" và ` : `Không có chỉ số nào được phân công cho đơn vị (trang "${SHEETS.indicators}" để trống); `}${narrativesForUnit(ws.catalog, unit).length} mục nội dung cùng thông tin người lập biểu ở trang "${SHEETS.narrative}".`],
    ['Ô cần nhập', 'Các ô nền vàng (như ô bên trái). Mọi ô khác đã được khóa để tránh sửa nhầm.'],
  ];
  const steps: [string, string][] = [
    ['1. Trang ChiSo', `Mỗi dòng là một số liệu. Ghi số liệu năm ${year} vào cột "Số liệu năm ${year}". Cột "Chỉ tiêu của Thành phố (năm ${year})" ghi ngưỡng của tiêu chí và chỉ tiêu lộ trình của Kế hoạch Thành phố (mức toàn Thành phố cần đạt; "mốc năm …" là mức phải đạt vào năm đó, năm nay là chặng đường tới mốc), để đơn vị tham khảo, không phải chỉ tiêu giao riêng cho đơn vị. Dưới mỗi chỉ số là định nghĩa ngắn và thời điểm tính số liệu. Ô tỷ lệ nền xanh được tự tính từ tử số và mẫu số, đã khóa: chỉ nhập tử số, mẫu số; một số liệu hai chỉ số cùng dùng (ví dụ tổng số xã, phường) chỉ nhập một lần, ô kia tự lấy. Cột "Năm ${year - 1} (đã báo cáo)" là số liệu đơn vị đã gửi năm trước (nếu có), chỉ để tham khảo. Ghi nguồn, văn bản hoặc đường dẫn minh chứng ở cột "Minh chứng / ghi chú".`],
    ['2. Giải trình', 'Cột "Giải trình" của mỗi chỉ số dùng để trả lời khi Sở hỏi lại một số liệu, hoặc khi bản kiểm tra gửi lại đơn vị cảnh báo một số liệu khác thường (ví dụ khác xa năm trước) mà số liệu đó là đúng: ghi lý do và nguồn vào ô này rồi gửi lại, không sửa một số liệu đúng cho hết cảnh báo. Số liệu sai thì sửa ở cột số liệu.'],
    ['3. Cách gõ số', 'Chỉ gõ số, không gõ chữ, đơn vị hay dấu %. Tỷ lệ phần trăm gõ 95,5 (nghĩa là 95,5%), không gõ 0,955 hay 95,5%. Dấu phẩy thập phân (95,5) hay dấu chấm (95.5) đều được, theo cài đặt của máy. Số người, số hộ, số trẻ… là số nguyên, không âm. Ô "Tăng / Giảm" và ô mức đánh giá: chọn trong danh sách thả xuống. Chưa có số liệu thì để trống và ghi lý do ở cột "Minh chứng / ghi chú".'],
    ['4. Trang BaoCao', 'Ghi nội dung từng mục báo cáo vào ô nền vàng bên phải (xóa dòng hướng dẫn có sẵn trong ô); xuống dòng trong ô bằng Alt+Enter (Excel) hoặc Ctrl+Enter (LibreOffice). Dưới nội dung của một số mục có các dòng ngắn, mỗi dòng một ý: mô hình, hoạt động nổi bật và kết quả; khó khăn, đề xuất (chọn nhóm trong danh sách; đề xuất chọn nơi nhận kiến nghị); đề nghị khen thưởng (tập thể hoặc cá nhân, tên, thành tích). Không có thì ghi "Không có" ở dòng đầu. Ghi họ tên, chức vụ, điện thoại, email của người lập biểu.'],
    ['5. Không được thay đổi', 'Không đổi tên, thêm, xóa hay sắp xếp lại các trang, dòng, cột; không sửa ô ngoài các ô nền vàng; không dán đè lên nhiều ô một lúc (dán làm mất kiểm tra dữ liệu; nếu cần, dán giá trị bằng Ctrl+Shift+V). Các trang được khóa không mật khẩu chỉ để tránh sửa nhầm: không gỡ khóa. Tệp có một trang ẩn để máy đọc số liệu tự động: không xóa, không sửa. Không dùng biểu mẫu của đơn vị khác hay của năm khác.'],
    ['6. Lưu và gửi', `Lưu ở định dạng Excel (.xlsx) bằng Excel, LibreOffice hoặc WPS, giữ nguyên tên tệp "${file}". Gửi về ${sendTo} chậm nhất ${deadline}. Gửi lại bản sửa: gửi cả tệp, ghi rõ "bản thay thế".`],
  ];

  let r = 4;
  for (const [label, text] of rows) {
    Object.assign(sheet.getCell(r, 1), { value: label, style: STYLE.plainBold });
    Object.assign(sheet.getCell(r, 2), { value: text, style: STYLE.plain });
    sized.push({ cell: sheet.getCell(r, 2), rows: 1, text, width: 100 });
    r++;
  }
  // The legend cell is shaded like an input but stays locked: it only shows the colour. A style of its own: setting
  // .fill would change the style object every label of the column shares, and shade them all.
  sheet.getCell(r - 1, 1).style = { ...STYLE.plainBold, fill: INPUT_FILL };
  r++;
  sheet.mergeCells(r, 1, r, 2);
  Object.assign(sheet.getCell(r, 1), { value: 'CÁCH ĐIỀN BIỂU MẪU', style: STYLE.band });
  r++;
  for (const [label, text] of steps) {
    Object.assign(sheet.getCell(r, 1), { value: label, style: STYLE.plainBold });
    Object.assign(sheet.getCell(r, 2), { value: text, style: STYLE.plain });
    sized.push({ cell: sheet.getCell(r, 2), rows: 1, text, width: 100 });
    r++;
  }
  fitRowHeights(sheet, sized);
  sheet.pageSetup = { ...PAGE_SETUP, orientation: 'portrait' };
  sheet.views = [{ showGridLines: false }];
}

/** The issuing body's contact from the config (`contact`), when it gives one. */
function contactRow(p: Profile): [string, string][] {
  const c = p.contact;
  const parts = [c?.name, c?.phone ? `điện thoại ${c.phone}` : '', c?.email ? `email ${c.email}` : ''].filter(Boolean);
  return parts.length ? [['Liên hệ khi cần hỏi', `${parts.join(', ')}.`]] : [];
}

function sendToText(p: Profile): string {
  return p.submitEmail ? `${p.submitTo}, email ${p.submitEmail}` : p.submitTo;
}
