/**
 * Every code a finding of ingest may carry, in one table: its severity and its Vietnamese wording (the reason, and what
 * would be right: the remedy), as zod keeps all its messages in one locale file. A finding is made only through this
 * table (`say`), so a code cannot exist without its severity and its words; README's table of codes is tested
 * against it (test/ingest-codes.test.ts).
 */
import type { FieldRole } from '../catalog/types.ts';
import { DIRECTION_LABELS, RATING_LABELS } from '../catalog/types.ts';
import { SHEETS } from '../templates/meta.ts';
import { EXPECTED, KIND_RANGES, ROLE_LABELS, TEXT_MAX_CHARS, type InputKind } from './kinds.ts';
import type { Delimiter, TextFault } from '../csv-text.ts';
import { CSV_EXPECTED, DELIMITER_WORDS, EXPLAIN, SAVE_AS_CSV_UTF8, kindRemedy, META, misplaced, numVi, ORIGINAL, placeName, sign, type Misplaced, type Place } from './code-phrases.ts';

export { EXPECTED, ROLE_LABELS, numVi, type Misplaced, type Place };

export type Severity = 'error' | 'warning';

/** What is wrong (or worth a look) in a file: a code of the table, the reason and what would be right, in Vietnamese. */
export interface Finding {
  code: Code;
  reason: string;
  expected: string | null;
}

/** A reader's answer when a file cannot be read at all. */
export type Failure = { ok: false } & Finding;

/** The wording of a code: `reason` and `remedy` are templates over the facts the check passes. */
interface Worded<P> {
  severity: Severity;
  /**
   * A query (as in DfE's data collections): a plausibility warning the unit answers with an explanation ("Giải trình")
   * instead of changing a figure that is true.
   */
  query?: true;
  reason: (p: P) => string;
  remedy?: (p: P) => string;
}
/** A code whose sentence its reader composes (zip-check.ts and the `_meta` reader, which belong to the xlsx side). */
interface ReaderWorded { severity: Severity; reason?: undefined }

/** Keeps, in the type, whether a code has a remedy (a finding of it then always says what was expected). */
function worded<P = void>(w: Worded<P> & { remedy: (p: P) => string }): Worded<P> & { remedy: (p: P) => string };
function worded<P = void>(w: Worded<P>): Worded<P>;
function worded<P>(w: Worded<P>): Worded<P> {
  return w;
}

export const CODES = {
  // Files that cannot be read: the readers word these.
  old_xls: { severity: 'error' },
  encrypted: { severity: 'error' },
  not_zip: { severity: 'error' },
  corrupt_zip: { severity: 'error' },
  duplicate_zip_entry: { severity: 'error' },
  macro_workbook: { severity: 'error' },
  not_regular_file: { severity: 'error' },
  symlink: { severity: 'error' },
  sheet_too_large: { severity: 'error' },
  text_too_large: { severity: 'error' },
  workbook_too_complex: { severity: 'error' },
  bad_cell_value: { severity: 'error' },
  zip_too_large: { severity: 'error' },
  not_xlsx: { severity: 'error' },
  unreadable_workbook: { severity: 'error' },
  no_meta: { severity: 'error' },
  template_version: { severity: 'error' },
  empty_file: worded({
    severity: 'error',
    reason: (p: { headerOnly: boolean }) => (p.headerOnly ? 'tệp CSV chỉ có dòng tiêu đề, không có số liệu' : 'tệp CSV rỗng'),
    remedy: () => CSV_EXPECTED,
  }),
  file_too_large: worded({
    severity: 'error',
    reason: (p: { mb: number; maxMb: number }) => `tệp nặng ${numVi(p.mb)} MB, quá lớn cho một biểu mẫu`,
    remedy: (p) => `tệp không quá ${p.maxMb} MB`,
  }),
  io_error: worded({
    severity: 'error',
    reason: (p: { errno: string | undefined }) => `không đọc được tệp (${p.errno === 'EACCES' || p.errno === 'EPERM' ? 'không có quyền đọc'
      : p.errno === 'EBUSY' ? 'tệp đang bị chương trình khác mở' : `lỗi hệ thống ${p.errno ?? ''}`.trim()})`,
    remedy: () => 'một tệp đọc được',
  }),
  csv_encoding: worded({
    severity: 'error',
    reason: (p: { kind: TextFault['kind']; encoding: TextFault['encoding']; before: string }) => {
      const at = p.before ? `ngay sau "${p.before}" ` : '';
      return p.kind === 'replacement' ? `${at}có ký tự "�": chữ đã bị hỏng khi tệp được chuyển mã trước đó`
          : p.encoding === 'utf-8' ? `tệp CSV không phải mã UTF-8 (có thể là Windows-1258, TCVN3 hoặc VNI): ${at}có byte không đọc được thành chữ, chữ tiếng Việt sẽ bị sai`
            : `tệp CSV mã UTF-16 bị hỏng: ${at}có byte không đọc được thành chữ`;
    },
    remedy: () => `${CSV_EXPECTED}: ${SAVE_AS_CSV_UTF8}`,
  }),
  csv_field_count: worded({
    severity: 'error',
    reason: (p: { got: number; want: number; delimiter: Delimiter; cause: 'decimal_comma' | 'separator_in_value' | 'other_separator' | 'missing'; value: string }) =>
      `dòng có ${p.got} cột nhưng dòng tiêu đề có ${p.want} cột: ${p.cause === 'decimal_comma'
        ? `có thể số thập phân "${p.value}" viết bằng dấu phẩy mà không đặt trong dấu nháy kép, nên bị tách làm hai cột`
        : p.cause === 'separator_in_value' ? `có thể một giá trị (thường là cột note) chứa ${DELIMITER_WORDS[p.delimiter]} mà không đặt trong dấu nháy kép`
          : p.cause === 'other_separator' ? `có thể dòng này dùng dấu phân cách khác dòng tiêu đề (dòng tiêu đề dùng ${DELIMITER_WORDS[p.delimiter]})`
            : 'thiếu giá trị hoặc thiếu dấu phân cách'}; không đọc tệp để khỏi hiểu sai số liệu`,
    remedy: (p) => `mỗi dòng đủ ${p.want} cột như dòng tiêu đề: giá trị có ${DELIMITER_WORDS[p.delimiter]} đặt trong dấu nháy kép (ví dụ "10016,2"), hoặc ${SAVE_AS_CSV_UTF8}`,
  }),
  csv_too_many_rows: worded({
    severity: 'error',
    reason: (p: { limit: number; unit: string }) => `tệp CSV có hơn ${numVi(p.limit)} dòng số liệu, nhiều hơn mọi tệp đơn vị ${p.unit} có thể gửi (mỗi ô số liệu một dòng): không đọc tiếp`,
    remedy: () => `${CSV_EXPECTED}, mỗi ô số liệu một dòng (mã ô: hoctap catalog --format csv)`,
  }),
  csv_format: worded({
    severity: 'error',
    reason: (p: { parse: string } | { missing: string[]; header: string[] } | { noUnit: true } | { year: string }) =>
      'parse' in p ? `không đọc được tệp CSV (${p.parse})`
        : 'missing' in p ? `dòng tiêu đề thiếu cột ${p.missing.join(', ')} (có: ${p.header.join(', ') || 'không có cột nào'})`
          : 'noUnit' in p ? 'thiếu mã đơn vị (cột unit_code)'
            : `năm "${p.year}" không hợp lệ (cột year cần 4 chữ số)`,
    remedy: () => CSV_EXPECTED,
  }),
  csv_mixed: worded({
    severity: 'error',
    reason: (p: { units: string[] } | { years: string[] }) => ('units' in p
      ? `tệp CSV có nhiều mã đơn vị (${p.units.map((u) => `"${u}"`).join(', ')})`
      : `tệp CSV có nhiều năm (${p.years.join(', ')})`),
    remedy: () => CSV_EXPECTED,
  }),
  duplicate_in_batch: worded({
    severity: 'error',
    reason: (p: { unit: string; year: number; first: string; file: string }) =>
      `đơn vị ${p.unit} năm ${p.year} xuất hiện hai lần trong đợt này (tệp ${p.first} và ${p.file}): chỉ nhận tệp ${p.first}`,
    remedy: () => 'mỗi đợt một tệp cho mỗi đơn vị và năm: nhập riêng tệp này sau, nó sẽ thay thế tệp trước nếu hợp lệ',
  }),

  // Which template, for whom.
  catalog_version: worded({
    severity: 'error',
    reason: (p: { got: string | null; want: string }) => `biểu mẫu lập theo phiên bản danh mục chỉ số ${p.got}, khác phiên bản đang dùng ${p.want} (biểu mẫu cũ)`,
    remedy: (p) => `biểu mẫu phiên bản danh mục ${p.want}: tạo lại bằng hoctap generate-templates và gửi lại cho đơn vị`,
  }),
  wrong_year: worded({
    severity: 'error',
    reason: (p: { got: number; want: number }) => `biểu mẫu của năm ${p.got}, không phải năm ${p.want}`,
    remedy: (p) => `biểu mẫu năm ${p.want}`,
  }),
  unknown_unit: worded({
    severity: 'error',
    reason: (p: { code: string; name: string | null; roster: string }) => `đơn vị mã "${p.code}"${p.name ? ` (${p.name})` : ''} không có trong danh sách đơn vị (${p.roster})`,
    remedy: () => 'mã một đơn vị trong danh sách đơn vị của thư mục làm việc',
  }),
  agency_mismatch: worded({
    severity: 'error',
    reason: (p: { got: string; unit: string; want: string }) => `biểu mẫu lập cho cơ quan ${p.got}, nhưng trong danh sách đơn vị ${p.unit} thuộc ${p.want}`,
    remedy: (p) => `biểu mẫu tạo lại cho ${p.unit} với danh sách đơn vị hiện tại`,
  }),
  unit_name_mismatch: worded({
    severity: 'error',
    reason: (p: { got: string; code: string; want: string }) => `trang ẩn ${META} ghi tên đơn vị "${p.got}", nhưng trong danh sách đơn vị mã ${p.code} là "${p.want}"`,
    remedy: (p) => `biểu mẫu gốc của ${p.want} (tạo lại cho ${p.code} nếu danh sách đơn vị đã đổi tên)`,
  }),
  profile_mismatch: worded({
    severity: 'error',
    reason: (p: { got: string; want: string }) => `biểu mẫu lập cho hồ sơ thành phố "${p.got}", thư mục làm việc này dùng hồ sơ "${p.want}"`,
    remedy: (p) => `biểu mẫu tạo từ thư mục làm việc này (hồ sơ ${p.want})`,
  }),
  content_mismatch: worded({
    severity: 'error',
    reason: (p: { sheet: string; cell: string; unit: { name: string; code: string } | null; year: number | null }) => (p.unit
      ? `trang ${p.sheet} (ô ${p.cell}) không ghi đơn vị ${p.unit.name} (mã ${p.unit.code}) như trang ẩn ${META}: trang ẩn đã bị sửa, hoặc đây là biểu mẫu của đơn vị khác`
      : `trang ${p.sheet} (ô ${p.cell}) không ghi năm ${p.year} như trang ẩn ${META}: trang ẩn đã bị sửa, hoặc đây là biểu mẫu của năm khác`),
    remedy: () => `biểu mẫu gốc của đơn vị và năm báo cáo, không sửa trang ẩn ${META}`,
  }),

  // The map's signature (src/xlsx/signature.ts), checked before anything the map says is believed.
  meta_signature: worded({
    severity: 'error',
    reason: (p: { unit: string; year: string }) => `trang ẩn ${META} không còn khớp chữ ký của thư mục làm việc này (ghi là biểu mẫu của ${p.unit} năm ${p.year}): bản đồ ô đã bị sửa (mã đơn vị, năm, địa chỉ ô, dòng bị xóa…), hoặc biểu mẫu không do thư mục làm việc này tạo`,
    remedy: () => `gửi đơn vị biểu mẫu mới (hoctap generate-templates), điền vào đó rồi gửi về, không sửa trang ẩn ${META}`,
  }),
  meta_unsigned: worded({
    severity: 'warning',
    reason: () => `biểu mẫu không có chữ ký của thư mục làm việc (chữ ký đã bị xóa, hoặc trang ẩn ${META} được chương trình khác viết lại): không kiểm chứng được trang ẩn ${META}`,
    remedy: () => 'lần sau dùng biểu mẫu mới tạo bằng hoctap generate-templates',
  }),
  // The map of inputs and the sheets' layout.
  bad_meta: worded({
    severity: 'error',
    reason: (p: { fieldId: string; kind: string; known: { kind: string; indicatorId: string } | null; unlisted: boolean }) => (p.unlisted
      ? `trang ẩn ${META} đã bị sửa: ô "${p.fieldId}" không có trong danh mục`
      : `trang ẩn ${META} không khớp danh mục: ô "${p.fieldId}" (${p.kind}) ${p.known ? `trong danh mục là loại ${p.known.kind} của chỉ số ${p.known.indicatorId}` : 'không có trong danh mục'}`),
    remedy: () => ORIGINAL,
  }),
  missing_sheet: worded({
    severity: 'error',
    reason: (p: { sheet: string }) => `không còn trang "${p.sheet}" (đã bị đổi tên hoặc xóa)`,
    remedy: (p) => `giữ nguyên tên trang "${p.sheet}" của biểu mẫu`,
  }),
  input_moved: worded({
    severity: 'error',
    reason: (p: { fieldId: string; at: string; want: string | null; why: Misplaced }) =>
      `trang ẩn ${META} đã bị sửa: ô nhập "${p.fieldId}" trỏ tới ${p.at}, ${misplaced(p.why)}${p.want ? `; biểu mẫu gốc dùng ô ${p.want}` : ''}`,
    remedy: () => `${ORIGINAL}, không sửa trang ẩn ${META}`,
  }),
  columns_changed: worded({
    severity: 'error',
    reason: (p: { sheet: string; column: string; row: number; got: string; want: string }) =>
      `trang ${p.sheet} đã bị thêm, xóa hoặc di chuyển cột: cột ${p.column} ở dòng tiêu đề ${p.row} ghi ${p.got ? `"${p.got}"` : '(trống)'}, biểu mẫu gốc ghi ${p.want ? `"${p.want}"` : '(trống)'}`,
    remedy: () => 'điền lại vào biểu mẫu gốc, không thêm, xóa hay di chuyển cột',
  }),
  layout_changed: worded({
    severity: 'error',
    reason: (p: { sheet: string; cell: string; label: string; fieldId: string; more: number }) =>
      `trang ${p.sheet} đã bị thêm, xóa hoặc sắp xếp lại dòng: ô ${p.cell} không còn nằm trên dòng "${p.label}" (${p.fieldId})${p.more ? ` (và ${p.more} ô khác)` : ''}`,
    remedy: () => 'điền lại vào biểu mẫu gốc, không thêm hay xóa dòng',
  }),
  unknown_field: worded({
    severity: 'error',
    reason: () => 'mã ô không có trong danh mục chỉ số',
    remedy: () => 'một mã ô của danh mục (xem hoctap catalog --format csv, cột fields)',
  }),
  field_not_assigned: worded({
    severity: 'error',
    reason: (p: { indicatorId: string; unitName: string; agency: string; assigned: string[] }) => `chỉ số ${p.indicatorId} không giao cho ${p.unitName} (cơ quan ${p.agency})`,
    remedy: (p) => `chỉ các chỉ số giao cho đơn vị: ${p.assigned.join(', ') || 'không có'}`,
  }),
  duplicate_field: worded({
    severity: 'error',
    reason: (p: { line: number }) => `ô này đã có ở dòng ${p.line}`,
    remedy: () => 'mỗi mã ô một dòng',
  }),

  // One value, read for its kind (values.ts).
  not_a_number: worded({
    severity: 'error',
    reason: (p: { kind: InputKind; notFinite?: boolean }) => (p.notFinite ? 'ô không chứa một số hợp lệ' : 'không phải là số'),
    remedy: kindRemedy,
  }),
  not_integer: worded({ severity: 'error', reason: (p: { kind: InputKind; value: number }) => `${numVi(p.value)} không phải số nguyên`, remedy: kindRemedy }),
  out_of_range: worded({
    severity: 'error',
    reason: (p: { kind: keyof typeof KIND_RANGES; value: number }) => {
      const r = KIND_RANGES[p.kind];
      return `${numVi(p.value)} nằm ngoài khoảng cho phép (${r.max === null ? `không nhỏ hơn ${numVi(r.min)}` : `từ ${numVi(r.min)} đến ${numVi(r.max)}`})`;
    },
    remedy: kindRemedy,
  }),
  unexpected_percent: worded({ severity: 'error', reason: (_p: { kind: InputKind }) => 'ô này cần một số, không phải tỷ lệ phần trăm', remedy: kindRemedy }),
  date_in_number: worded({ severity: 'error', reason: (_p: { kind: InputKind }) => 'ô chứa ngày tháng chứ không phải số (có thể ô bị định dạng ngày)', remedy: kindRemedy }),
  bad_direction: worded({ severity: 'error', reason: () => 'không phải "Tăng" hay "Giảm"', remedy: () => EXPECTED.direction }),
  bad_rating: worded({ severity: 'error', reason: () => 'không phải một mức đánh giá', remedy: () => EXPECTED.rating }),
  rating_label_mismatch: worded({
    severity: 'error',
    reason: (p: { typed: string; level: number }) => `mức ${p.typed} không khớp với nhãn "${RATING_LABELS[p.level]}" (mức ${p.level})`,
    remedy: () => EXPECTED.rating,
  }),
  formula_no_result: worded({
    severity: 'error',
    reason: (p: { formula: string }) => `ô chứa công thức ${p.formula} nhưng không có kết quả đã tính (tệp được lưu bởi phần mềm không tính công thức)`,
    remedy: () => 'một giá trị: mở tệp bằng Excel hoặc LibreOffice, lưu lại rồi gửi lại, hoặc gõ thẳng số liệu',
  }),
  formula_error: worded({
    severity: 'error',
    reason: (p: { formula: string; error: string }) => `công thức ${p.formula} cho kết quả lỗi ${p.error}`,
    remedy: () => 'một giá trị: sửa công thức hoặc gõ thẳng số liệu',
  }),
  cell_error: worded({ severity: 'error', reason: (p: { error: string }) => `ô chứa lỗi ${p.error}`, remedy: () => 'một giá trị' }),
  unreadable_cell: worded({ severity: 'error', reason: (_p: { kind: InputKind }) => 'không đọc được nội dung ô', remedy: kindRemedy }),
  text_too_long: worded({
    severity: 'error',
    reason: (p: { length: number }) => `văn bản dài ${numVi(p.length)} ký tự, vượt giới hạn ${numVi(TEXT_MAX_CHARS)} ký tự của một ô`,
    remedy: () => EXPECTED.text,
  }),
  control_chars_removed: worded({
    severity: 'warning',
    reason: (p: { removed: string[] }) => `đã bỏ ký tự điều khiển hoặc ký tự đảo chiều văn bản (${p.removed.join(', ')}) khỏi văn bản khi lưu`,
    remedy: () => 'văn bản thường, không có ký tự điều khiển (thường lẫn vào khi dán từ phần mềm khác)',
  }),
  ambiguous_percent: worded({
    severity: 'warning',
    reason: (p: { value: number; times100: number }) => `tỷ lệ ${numVi(p.value)}% rất nhỏ: có thể là ${numVi(p.times100)}%?`,
    remedy: () => EXPECTED.percent,
  }),
  thousands_guess: worded({
    severity: 'warning',
    reason: (p: { kind: InputKind; value: number }) => `đã hiểu là ${numVi(p.value)} (dấu chấm phân cách hàng nghìn); nếu là số thập phân hãy dùng dấu phẩy`,
    remedy: kindRemedy,
  }),

  no_figures: worded({
    severity: 'error',
    reason: (p: { count: number; csv: boolean }) => (p.csv
      ? `tệp CSV chưa có số liệu: không có dòng nào cho ${p.count} ô số liệu được giao`
      : `biểu mẫu chưa điền số liệu: cả ${p.count} ô số liệu đều để trống`),
    remedy: (p) => (p.csv ? 'các dòng số liệu của các chỉ số giao cho đơn vị (mã ô: hoctap catalog --format csv)' : `số liệu của đơn vị trong các ô nền vàng của trang ${SHEETS.indicators}, rồi gửi lại`),
  }),

  // Values against each other (MEASURE_RULES).
  sex_sum: worded({
    severity: 'error',
    reason: (p: { parts: { role: FieldRole; at: Place; value: number }[]; sum: number; total: FieldRole; totalValue: number }) =>
      `${p.parts.map((x) => `${ROLE_LABELS[x.role]} (${placeName(x.at)}) ${numVi(x.value)}`).join(' + ')} = ${numVi(p.sum)}, khác ${ROLE_LABELS[p.total]} ${numVi(p.totalValue)}`,
    remedy: (p) => `${ROLE_LABELS[p.total]} = ${p.parts.map((x) => ROLE_LABELS[x.role]).join(' + ')} = ${numVi(p.sum)}`,
  }),
  num_gt_den: worded({
    severity: 'error',
    reason: (p: { left: FieldRole; leftValue: number; right: FieldRole; rightValue: number; rightAt: Place }) =>
      `${ROLE_LABELS[p.left]} ${numVi(p.leftValue)} lớn hơn ${ROLE_LABELS[p.right]} ${numVi(p.rightValue)} (${placeName(p.rightAt)})`,
    remedy: (p) => `không lớn hơn ${numVi(p.rightValue)}`,
  }),
  rate_mismatch: worded({
    severity: 'error',
    reason: (p: { rate: number; numRole: FieldRole; denRole: FieldRole; num: number; den: number; computed: number; numAt: Place; denAt: Place; tolerance: number }) =>
      `tỷ lệ ${numVi(p.rate)}% không khớp với ${ROLE_LABELS[p.numRole]} / ${ROLE_LABELS[p.denRole]} × 100 = ${numVi(p.num)} / ${numVi(p.den)} × 100 = ${numVi(p.computed)}% (${placeName(p.numAt)}, ${placeName(p.denAt)})`,
    remedy: (p) => `${numVi(p.computed)}, sai lệch không quá ${numVi(p.tolerance)} điểm phần trăm`,
  }),

  // Worth a look: the file is accepted.
  outlier: worded({
    severity: 'warning',
    query: true,
    reason: (p: { year: number; before: number; now: number; points: boolean; change: number; limit: number }) => (p.points
      ? `khác xa số liệu năm ${p.year} của đơn vị: ${numVi(p.before)}% → ${numVi(p.now)}% (${sign(p.change)}${numVi(p.change)} điểm)`
      : `khác xa số liệu năm ${p.year} của đơn vị: ${numVi(p.before)} → ${numVi(p.now)} (${sign(p.change)}${numVi(p.change * 100)}%)`),
    remedy: (p) => `thay đổi không quá ${p.points ? `${numVi(p.limit)} điểm phần trăm` : `${numVi(p.limit * 100)}%`} so với năm trước: kiểm tra lại, hoặc ${EXPLAIN}`,
  }),
  total_outside_parts: worded({
    severity: 'warning',
    query: true,
    reason: (p: { total: { role: FieldRole; at: Place; value: number }; parts: { role: FieldRole; at: Place; value: number }[] }) =>
      `${ROLE_LABELS[p.total.role]} ${numVi(p.total.value)}% không nằm giữa ${p.parts.map((x) => `${ROLE_LABELS[x.role]} (${placeName(x.at)}) ${numVi(x.value)}%`).join(' và ')}: tỷ lệ chung phải nằm giữa tỷ lệ của các phần`,
    remedy: (p) => `${ROLE_LABELS[p.total.role]} từ ${numVi(Math.min(...p.parts.map((x) => x.value)))} đến ${numVi(Math.max(...p.parts.map((x) => x.value)))}%: kiểm tra lại, hoặc ${EXPLAIN}`,
  }),
  more_than_local_units: worded({
    severity: 'warning',
    query: true,
    reason: (p: { value: number; limit: number }) => `${numVi(p.value)} đơn vị, nhiều hơn cả ${numVi(p.limit)} đơn vị cấp địa phương trong danh sách đơn vị`,
    remedy: (p) => `không quá ${numVi(p.limit)}: kiểm tra lại, hoặc ${EXPLAIN}`,
  }),
  direction_contradicts: worded({
    severity: 'warning',
    query: true,
    reason: (p: { claimed: string; label: string; at: Place; year: number; now: number; before: number }) =>
      `chọn "${p.claimed}" nhưng "${p.label}" (${placeName(p.at)}) năm ${p.year} là ${numVi(p.now)}, năm ${p.year - 1} là ${numVi(p.before)}`,
    remedy: (p) => `${p.now === p.before ? 'số liệu hai năm bằng nhau' : `"${p.now > p.before ? DIRECTION_LABELS.up : DIRECTION_LABELS.down}" theo số liệu hai năm`}: kiểm tra lại, hoặc ${EXPLAIN}`,
  }),
  full_without_evidence: worded({
    severity: 'warning',
    reason: (p: { percent: number; evidence: { cell: string } | 'note' | 'none' }) => `báo cáo đạt ${p.percent}% nhưng không có minh chứng`,
    remedy: (p) => `ghi minh chứng (văn bản, nguồn số liệu) vào ô "Minh chứng / ghi chú"${typeof p.evidence === 'object' ? ` (ô ${p.evidence.cell})` : p.evidence === 'note' ? ' hoặc cột note' : ''}`,
  }),
  narrative_placeholder: worded({
    severity: 'warning',
    reason: (p: { nothingElse: boolean }) => (p.nothingElse ? 'mục còn để nguyên dòng hướng dẫn của biểu mẫu, chưa có nội dung' : 'mục còn giữ dòng hướng dẫn của biểu mẫu (đã bỏ dòng này khi lưu)'),
    remedy: () => 'nội dung báo cáo của đơn vị thay cho dòng hướng dẫn, hoặc "Không có"',
  }),
  missing_values: worded({
    severity: 'warning',
    reason: (p: { count: number; listed: string[]; more: number }) =>
      `còn ${p.count} ô số liệu để trống, được tính là thiếu số liệu (không phải 0): ${p.listed.join(', ')}${p.more ? ` và ${p.more} ô khác` : ''}`,
    remedy: () => 'điền số liệu, hoặc ghi lý do ở ô minh chứng của chỉ số',
  }),
  feedback_failed: worded({ severity: 'warning', reason: (p: { error: string }) => `không ghi được bản kiểm tra gửi lại đơn vị (${p.error})` }),
  email_unreadable: { severity: 'error' },
  email_no_attachment: { severity: 'error' },
  sender_mismatch: worded({
    severity: 'warning',
    reason: (p: { sender: string; expected: string }) => `thư gửi từ ${p.sender}, khác địa chỉ của đơn vị trong danh sách đơn vị (${p.expected})`,
    remedy: () => 'kiểm tra đúng là đơn vị gửi (thư chuyển tiếp, địa chỉ cá nhân…), hoặc cập nhật email trong danh sách đơn vị',
  }),
} satisfies Record<string, Worded<never> | ReaderWorded>;

export type Code = keyof typeof CODES;

/** The codes worded in this table (the others are worded by their reader). */
type WordedCode = { [C in Code]: (typeof CODES)[C] extends Worded<never> ? C : never }[Code];
type ParamsOf<C extends WordedCode> = (typeof CODES)[C] extends Worded<infer P> ? P : never;
type Said<C extends WordedCode> = (typeof CODES)[C] extends { remedy: (p: never) => string } ? Finding & { expected: string } : Finding;

/** A code given by a reader of the neutral layers (src/xlsx, zip-check) as text: one of this table, or a bug. */
export function asCode(code: string): Code {
  if (!(code in CODES)) throw new Error(`mã "${code}" không có trong bảng mã (src/ingest/codes.ts)`);
  return code as Code;
}

export const severityOf = (code: Code): Severity => CODES[code].severity;

/** A query: a warning the unit may answer with an explanation. */
export function isQuery(code: Code): boolean {
  const spec: Worded<never> | ReaderWorded = CODES[code];
  return 'query' in spec && spec.query === true;
}

/** A finding of `code`, worded from the facts given. */
export function say<C extends WordedCode>(code: C, ...params: ParamsOf<C> extends void ? [] : [ParamsOf<C>]): Said<C> {
  const w = CODES[code] as unknown as Worded<ParamsOf<C> | undefined>;
  const p = params[0];
  return { code, reason: w.reason(p), expected: w.remedy ? w.remedy(p) : null } as Said<C>;
}
