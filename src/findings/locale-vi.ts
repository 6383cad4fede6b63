/**
 * The Vietnamese words of every finding, keyed by code (zod's locales/vi.ts is the model): the reason and what would be
 * right (the remedy), made from the finding's parameters, and how a placed finding is said as one sentence. Words are
 * made only here, at output: checks and the store keep codes and parameters (codes.ts), and a wording changed here
 * changes every output (CLI, JSON, feedback copies, report notes).
 */
import { DIRECTION_LABELS, RATING_LABELS } from '../catalog/types.ts';
import { SHEETS } from '../xlsx/meta.ts';
import type { Code, Params, ReaderWords } from './codes.ts';
import type { FindingPlace } from './types.ts';
import { KIND_RANGES, TEXT_MAX_CHARS } from './kinds.ts';
import { FAULT_WORDS } from './faults-vi.ts';
import { CSV_EXPECTED, DELIMITER_WORDS, SAVE_AS_CSV_UTF8, EXPECTED, EXPLAIN, kindRemedy, META, misplaced, numVi, ORIGINAL, placeName, ROLE_LABELS, sign } from './phrases-vi.ts';
import { inline } from './inert.ts';

/** The words of one code: the reason, and the remedy when the code has one. */
export interface Words<P> {
  reason: (p: P) => string;
  remedy?: (p: P) => string | null;
}

export type CodeWords = { readonly [C in Code]: Words<Params[C]> };

/** The words of a code its reader composed (src/xlsx, zip-check.ts, email.ts): said as they came. */
const READER: Words<ReaderWords> = { reason: (p) => p.reason, remedy: (p) => p.expected };

export const VI_CODES: CodeWords = {
  // Files that cannot be read: the readers word these.
  old_xls: READER,
  encrypted: READER,
  not_zip: READER,
  corrupt_zip: READER,
  duplicate_zip_entry: READER,
  macro_workbook: READER,
  not_regular_file: READER,
  symlink: READER,
  zip_too_large: READER,
  not_xlsx: READER,
  ...FAULT_WORDS,
  no_meta: READER,
  template_version: READER,
  empty_file: {
    reason: (p) => ('reason' in p ? p.reason : p.headerOnly ? 'tệp CSV chỉ có dòng tiêu đề, không có số liệu' : 'tệp CSV rỗng'),
    remedy: (p) => ('reason' in p ? p.expected : CSV_EXPECTED),
  },
  file_fault: {
    reason: (p) => `hoctap không ${p.stage === 'read' ? 'đọc' : 'kiểm tra'} hết được nội dung tệp${p.part ? ` (dừng ở phần ${p.part})` : ''}: tệp có cấu trúc lạ hoặc bị hỏng`,
    remedy: () => 'mở tệp bằng Excel hoặc LibreOffice, lưu lại rồi nhập lại; nếu vẫn vậy, đề nghị đơn vị gửi lại tệp gốc',
  },
  file_too_large: {
    reason: (p) => `tệp nặng ${numVi(p.mb)} MB, quá lớn cho một biểu mẫu`,
    remedy: (p) => `tệp không quá ${p.maxMb} MB`,
  },
  io_error: {
    reason: (p) => `không đọc được tệp (${p.errno === 'EACCES' || p.errno === 'EPERM' ? 'không có quyền đọc'
      : p.errno === 'EBUSY' ? 'tệp đang bị chương trình khác mở' : `lỗi hệ thống ${p.errno ?? ''}`.trim()})`,
    remedy: () => 'một tệp đọc được',
  },
  csv_encoding: {
    reason: (p) => {
      const at = p.before ? `ngay sau "${p.before}" ` : '';
      return p.kind === 'replacement' ? `${at}có ký tự "�": chữ đã bị hỏng khi tệp được chuyển mã trước đó`
        : p.encoding === 'utf-8' ? `tệp CSV không phải mã UTF-8 (có thể là Windows-1258, TCVN3 hoặc VNI): ${at}có byte không đọc được thành chữ, chữ tiếng Việt sẽ bị sai`
          : `tệp CSV mã UTF-16 bị hỏng: ${at}có byte không đọc được thành chữ`;
    },
    remedy: () => `${CSV_EXPECTED}: ${SAVE_AS_CSV_UTF8}`,
  },
  csv_field_count: {
    reason: (p) =>
      `dòng có ${p.got} cột nhưng dòng tiêu đề có ${p.want} cột: ${p.cause === 'decimal_comma'
        ? `có thể số thập phân "${p.value}" viết bằng dấu phẩy mà không đặt trong dấu nháy kép, nên bị tách làm hai cột`
        : p.cause === 'separator_in_value' ? `có thể một giá trị (thường là cột note) chứa ${DELIMITER_WORDS[p.delimiter]} mà không đặt trong dấu nháy kép`
          : p.cause === 'other_separator' ? `có thể dòng này dùng dấu phân cách khác dòng tiêu đề (dòng tiêu đề dùng ${DELIMITER_WORDS[p.delimiter]})`
            : 'thiếu giá trị hoặc thiếu dấu phân cách'}; không đọc tệp để khỏi hiểu sai số liệu`,
    remedy: (p) => `mỗi dòng đủ ${p.want} cột như dòng tiêu đề: giá trị có ${DELIMITER_WORDS[p.delimiter]} đặt trong dấu nháy kép (ví dụ "10016,2"), hoặc ${SAVE_AS_CSV_UTF8}`,
  },
  csv_too_many_rows: {
    reason: (p) => `tệp CSV có hơn ${numVi(p.limit)} dòng số liệu, nhiều hơn mọi tệp đơn vị ${p.unit} có thể gửi (mỗi ô số liệu một dòng): không đọc tiếp`,
    remedy: () => `${CSV_EXPECTED}, mỗi ô số liệu một dòng (mã ô: hoctap catalog --format csv)`,
  },
  csv_format: {
    reason: (p) =>
      'parse' in p ? `không đọc được tệp CSV (${p.parse})`
        // What the file holds is shown inert: a cell may carry a line break or a control character, a reason is one line.
        : 'missing' in p ? `dòng tiêu đề thiếu cột ${p.missing.join(', ')} (có: ${p.header.map(inline).join(', ') || 'không có cột nào'})`
          : 'noUnit' in p ? 'thiếu mã đơn vị (cột unit_code)'
            : `năm "${inline(p.year)}" không hợp lệ (cột year cần 4 chữ số)`,
    remedy: () => CSV_EXPECTED,
  },
  csv_mixed: {
    reason: (p) => ('units' in p
      ? `tệp CSV có nhiều mã đơn vị (${p.units.map((u) => `"${inline(u)}"`).join(', ')})`
      : `tệp CSV có nhiều năm (${p.years.map(inline).join(', ')})`),
    remedy: () => CSV_EXPECTED,
  },
  duplicate_in_batch: {
    reason: (p) =>
      `đơn vị ${p.unit} năm ${p.year} xuất hiện hai lần trong đợt này (tệp ${p.first} và ${p.file}): chỉ nhận tệp ${p.first}`,
    remedy: () => 'mỗi đợt một tệp cho mỗi đơn vị và năm: nhập riêng tệp này sau, nó sẽ thay thế tệp trước nếu hợp lệ',
  },

  // Which template, for whom.
  catalog_version: {
    reason: (p) => `biểu mẫu lập theo phiên bản danh mục chỉ số ${p.got}, khác phiên bản đang dùng ${p.want} (biểu mẫu cũ)`,
    remedy: (p) => `biểu mẫu phiên bản danh mục ${p.want}: tạo lại bằng hoctap generate-templates và gửi lại cho đơn vị`,
  },
  wrong_year: {
    reason: (p) => `biểu mẫu của năm ${p.got}, không phải năm ${p.want}`,
    remedy: (p) => `biểu mẫu năm ${p.want}`,
  },
  unknown_unit: {
    reason: (p) => `đơn vị mã "${p.code}"${p.name ? ` (${p.name})` : ''} không có trong danh sách đơn vị (${p.roster})`,
    remedy: () => 'mã một đơn vị trong danh sách đơn vị của thư mục làm việc',
  },
  agency_mismatch: {
    reason: (p) => `biểu mẫu lập cho cơ quan ${p.got}, nhưng trong danh sách đơn vị ${p.unit} thuộc ${p.want}`,
    remedy: (p) => `biểu mẫu tạo lại cho ${p.unit} với danh sách đơn vị hiện tại`,
  },
  unit_name_mismatch: {
    reason: (p) => `trang ẩn ${META} ghi tên đơn vị "${p.got}", nhưng trong danh sách đơn vị mã ${p.code} là "${p.want}"`,
    remedy: (p) => `biểu mẫu gốc của ${p.want} (tạo lại cho ${p.code} nếu danh sách đơn vị đã đổi tên)`,
  },
  profile_mismatch: {
    reason: (p) => `biểu mẫu lập cho hồ sơ thành phố "${p.got}", thư mục làm việc này dùng hồ sơ "${p.want}"`,
    remedy: (p) => `biểu mẫu tạo từ thư mục làm việc này (hồ sơ ${p.want})`,
  },
  content_mismatch: {
    reason: (p) => (p.unit
      ? `trang ${p.sheet} (ô ${p.cell}) không ghi đơn vị ${p.unit.name} (mã ${p.unit.code}) như trang ẩn ${META}: trang ẩn đã bị sửa, hoặc đây là biểu mẫu của đơn vị khác`
      : `trang ${p.sheet} (ô ${p.cell}) không ghi năm ${p.year} như trang ẩn ${META}: trang ẩn đã bị sửa, hoặc đây là biểu mẫu của năm khác`),
    remedy: () => `biểu mẫu gốc của đơn vị và năm báo cáo, không sửa trang ẩn ${META}`,
  },

  // The map's signature (src/xlsx/signature.ts), checked before anything the map says is believed.
  meta_signature: {
    reason: (p) => `trang ẩn ${META} không còn khớp chữ ký của thư mục làm việc này (ghi là biểu mẫu của ${p.unit} năm ${p.year}): bản đồ ô đã bị sửa (mã đơn vị, năm, địa chỉ ô, dòng bị xóa…), hoặc biểu mẫu không do thư mục làm việc này tạo`,
    remedy: () => `gửi đơn vị biểu mẫu mới (hoctap generate-templates), điền vào đó rồi gửi về, không sửa trang ẩn ${META}`,
  },
  meta_unsigned: {
    reason: () => `biểu mẫu không có chữ ký của thư mục làm việc (chữ ký đã bị xóa, hoặc trang ẩn ${META} được chương trình khác viết lại): không kiểm chứng được trang ẩn ${META}`,
    remedy: () => 'lần sau dùng biểu mẫu mới tạo bằng hoctap generate-templates',
  },
  // The map of inputs and the sheets' layout.
  bad_meta: {
    reason: (p) => ('reason' in p ? p.reason : p.unlisted
      ? `trang ẩn ${META} đã bị sửa: ô "${p.fieldId}" không có trong danh mục`
      : `trang ẩn ${META} không khớp danh mục: ô "${p.fieldId}" (${p.kind}) ${p.known ? `trong danh mục là loại ${p.known.kind} của chỉ số ${p.known.indicatorId}` : 'không có trong danh mục'}`),
    remedy: (p) => ('reason' in p ? p.expected : ORIGINAL),
  },
  missing_sheet: {
    reason: (p) => `không còn trang "${p.sheet}" (đã bị đổi tên hoặc xóa)`,
    remedy: (p) => `giữ nguyên tên trang "${p.sheet}" của biểu mẫu`,
  },
  input_moved: {
    reason: (p) =>
      `trang ẩn ${META} đã bị sửa: ô nhập "${p.fieldId}" trỏ tới ${p.at}, ${misplaced(p.why)}${p.want ? `; biểu mẫu gốc dùng ô ${p.want}` : ''}`,
    remedy: () => `${ORIGINAL}, không sửa trang ẩn ${META}`,
  },
  columns_changed: {
    reason: (p) =>
      `trang ${p.sheet} đã bị thêm, xóa hoặc di chuyển cột: cột ${p.column} ở dòng tiêu đề ${p.row} ghi ${p.got ? `"${p.got}"` : '(trống)'}, biểu mẫu gốc ghi ${p.want ? `"${p.want}"` : '(trống)'}`,
    remedy: () => 'điền lại vào biểu mẫu gốc, không thêm, xóa hay di chuyển cột',
  },
  layout_changed: {
    reason: (p) =>
      `trang ${p.sheet} đã bị thêm, xóa hoặc sắp xếp lại dòng: ô ${p.cell} không còn nằm trên dòng "${p.label}" (${p.fieldId})${p.more ? ` (và ${p.more} ô khác)` : ''}`,
    remedy: () => 'điền lại vào biểu mẫu gốc, không thêm hay xóa dòng',
  },
  unknown_field: {
    reason: () => 'mã ô không có trong danh mục chỉ số',
    remedy: () => 'một mã ô của danh mục (xem hoctap catalog --format csv, cột fields)',
  },
  field_not_assigned: {
    reason: (p) => `chỉ số ${p.indicatorId} không giao cho ${p.unitName} (cơ quan ${p.agency})`,
    remedy: (p) => `chỉ các chỉ số giao cho đơn vị: ${p.assigned.join(', ') || 'không có'}`,
  },
  duplicate_field: {
    reason: (p) => `ô này đã có ở dòng ${p.line}`,
    remedy: () => 'mỗi mã ô một dòng',
  },

  // One value, read for its kind (values.ts).
  not_a_number: {
    reason: (p) => (p.notFinite ? 'ô không chứa một số hợp lệ' : 'không phải là số'),
    remedy: kindRemedy,
  },
  not_integer: { reason: (p) => `${numVi(p.value)} không phải số nguyên`, remedy: kindRemedy },
  out_of_range: {
    reason: (p) => {
      const r = KIND_RANGES[p.kind];
      return `${numVi(p.value)} nằm ngoài khoảng cho phép (${r.max === null ? `không nhỏ hơn ${numVi(r.min)}` : `từ ${numVi(r.min)} đến ${numVi(r.max)}`})`;
    },
    remedy: kindRemedy,
  },
  unexpected_percent: { reason: (_p) => 'ô này cần một số, không phải tỷ lệ phần trăm', remedy: kindRemedy },
  date_in_number: { reason: (_p) => 'ô chứa ngày tháng chứ không phải số (có thể ô bị định dạng ngày)', remedy: kindRemedy },
  bad_direction: { reason: () => 'không phải "Tăng" hay "Giảm"', remedy: () => EXPECTED.direction },
  bad_rating: { reason: () => 'không phải một mức đánh giá', remedy: () => EXPECTED.rating },
  rating_label_mismatch: {
    reason: (p) => `mức ${p.typed} không khớp với nhãn "${RATING_LABELS[p.level]}" (mức ${p.level})`,
    remedy: () => EXPECTED.rating,
  },
  formula_no_result: {
    reason: (p) => `ô chứa công thức ${p.formula} nhưng không có kết quả đã tính (tệp được lưu bởi phần mềm không tính công thức)`,
    remedy: () => 'một giá trị: mở tệp bằng Excel hoặc LibreOffice, lưu lại rồi gửi lại, hoặc gõ thẳng số liệu',
  },
  formula_error: {
    reason: (p) => `công thức ${p.formula} cho kết quả lỗi ${p.error}`,
    remedy: () => 'một giá trị: sửa công thức hoặc gõ thẳng số liệu',
  },
  cell_error: { reason: (p) => `ô chứa lỗi ${p.error}`, remedy: () => 'một giá trị' },
  unreadable_cell: { reason: (_p) => 'không đọc được nội dung ô', remedy: kindRemedy },
  text_too_long: {
    reason: (p) => `văn bản dài ${numVi(p.length)} ký tự, vượt giới hạn ${numVi(TEXT_MAX_CHARS)} ký tự của một ô`,
    remedy: () => EXPECTED.text,
  },
  control_chars_removed: {
    reason: (p) => `đã bỏ ký tự điều khiển hoặc ký tự đảo chiều văn bản (${p.removed.join(', ')}) khỏi văn bản khi lưu`,
    remedy: () => 'văn bản thường, không có ký tự điều khiển (thường lẫn vào khi dán từ phần mềm khác)',
  },
  ambiguous_percent: {
    reason: (p) => `tỷ lệ ${numVi(p.value)}% rất nhỏ: có thể là ${numVi(p.times100)}%?`,
    remedy: () => EXPECTED.percent,
  },
  thousands_guess: {
    reason: (p) => `đã hiểu là ${numVi(p.value)} (dấu chấm phân cách hàng nghìn); nếu là số thập phân hãy dùng dấu phẩy`,
    remedy: kindRemedy,
  },

  no_figures: {
    reason: (p) => (p.csv
      ? `tệp CSV chưa có số liệu: không có dòng nào cho ${p.count} ô số liệu được giao`
      : `biểu mẫu chưa điền số liệu: cả ${p.count} ô số liệu đều để trống`),
    remedy: (p) => (p.csv ? 'các dòng số liệu của các chỉ số giao cho đơn vị (mã ô: hoctap catalog --format csv)' : `số liệu của đơn vị trong các ô nền vàng của trang ${SHEETS.indicators}, rồi gửi lại`),
  },

  // Values against each other (MEASURE_RULES).
  sex_sum: {
    reason: (p) =>
      `${p.parts.map((x) => `${ROLE_LABELS[x.role]} (${placeName(x.at)}) ${numVi(x.value)}`).join(' + ')} = ${numVi(p.sum)}, khác ${ROLE_LABELS[p.total]} ${numVi(p.totalValue)}`,
    remedy: (p) => `${ROLE_LABELS[p.total]} = ${p.parts.map((x) => ROLE_LABELS[x.role]).join(' + ')} = ${numVi(p.sum)}`,
  },
  num_gt_den: {
    reason: (p) =>
      `${ROLE_LABELS[p.left]} ${numVi(p.leftValue)} lớn hơn ${ROLE_LABELS[p.right]} ${numVi(p.rightValue)} (${placeName(p.rightAt)})`,
    remedy: (p) => `không lớn hơn ${numVi(p.rightValue)}`,
  },
  rate_mismatch: {
    reason: (p) =>
      `tỷ lệ ${numVi(p.rate)}% không khớp với ${ROLE_LABELS[p.numRole]} / ${ROLE_LABELS[p.denRole]} × 100 = ${numVi(p.num)} / ${numVi(p.den)} × 100 = ${numVi(p.computed)}% (${placeName(p.numAt)}, ${placeName(p.denAt)})`,
    remedy: (p) => `${numVi(p.computed)}, sai lệch không quá ${numVi(p.tolerance)} điểm phần trăm`,
  },

  // Worth a look: the file is accepted.
  outlier: {
    reason: (p) => (p.points
      ? `khác xa số liệu năm ${p.year} của đơn vị: ${numVi(p.before)}% → ${numVi(p.now)}% (${sign(p.change)}${numVi(p.change)} điểm)`
      : `khác xa số liệu năm ${p.year} của đơn vị: ${numVi(p.before)} → ${numVi(p.now)} (${sign(p.change)}${numVi(p.change * 100)}%)`),
    remedy: (p) => `thay đổi không quá ${p.points ? `${numVi(p.limit)} điểm phần trăm` : `${numVi(p.limit * 100)}%`} so với năm trước: kiểm tra lại, hoặc ${EXPLAIN}`,
  },
  total_outside_parts: {
    reason: (p) =>
      `${ROLE_LABELS[p.total.role]} ${numVi(p.total.value)}% không nằm giữa ${p.parts.map((x) => `${ROLE_LABELS[x.role]} (${placeName(x.at)}) ${numVi(x.value)}%`).join(' và ')}: tỷ lệ chung phải nằm giữa tỷ lệ của các phần`,
    remedy: (p) => `${ROLE_LABELS[p.total.role]} từ ${numVi(Math.min(...p.parts.map((x) => x.value)))} đến ${numVi(Math.max(...p.parts.map((x) => x.value)))}%: kiểm tra lại, hoặc ${EXPLAIN}`,
  },
  more_than_local_units: {
    reason: (p) => `${numVi(p.value)} đơn vị, nhiều hơn cả ${numVi(p.limit)} đơn vị cấp địa phương trong danh sách đơn vị`,
    remedy: (p) => `không quá ${numVi(p.limit)}: kiểm tra lại, hoặc ${EXPLAIN}`,
  },
  count_above_population: {
    reason: (p) => `${numVi(p.value)} ${p.unit}, nhiều hơn cả "${p.population.label}" (${numVi(p.population.value)} ${p.unit}) mà chính đơn vị ghi ở chỉ số ${p.population.indicator}`,
    remedy: (p) => `không quá ${numVi(p.population.value)} ${p.unit} (${placeName(p.population.at)}): kiểm tra lại, hoặc ${EXPLAIN}`,
  },
  direction_contradicts: {
    reason: (p) =>
      `chọn "${p.claimed}" nhưng "${p.label}" (${placeName(p.at)}) năm ${p.year} là ${numVi(p.now)}, năm ${p.year - 1} là ${numVi(p.before)}`,
    remedy: (p) => `${p.now === p.before ? 'số liệu hai năm bằng nhau' : `"${p.now > p.before ? DIRECTION_LABELS.up : DIRECTION_LABELS.down}" theo số liệu hai năm`}: kiểm tra lại, hoặc ${EXPLAIN}`,
  },
  full_without_evidence: {
    reason: (p) => `báo cáo đạt ${p.percent}% nhưng không có minh chứng`,
    remedy: (p) => `ghi minh chứng (văn bản, nguồn số liệu) vào ô "Minh chứng / ghi chú"${typeof p.evidence === 'object' ? ` (ô ${p.evidence.cell})` : p.evidence === 'note' ? ' hoặc cột note' : ''}`,
  },
  narrative_placeholder: {
    reason: (p) => (p.nothingElse ? 'mục còn để nguyên dòng hướng dẫn của biểu mẫu, chưa có nội dung' : 'mục còn giữ dòng hướng dẫn của biểu mẫu (đã bỏ dòng này khi lưu)'),
    remedy: () => 'nội dung báo cáo của đơn vị thay cho dòng hướng dẫn, hoặc "Không có"',
  },
  bad_item: {
    reason: (p) => (p.problem === 'not_in_list'
      ? `lựa chọn không có trong danh sách ${({ category: 'nhóm', addressee: 'nơi nhận kiến nghị', nominee: 'tập thể / cá nhân' })[p.list]} (được lưu như đã ghi, báo cáo xếp vào "Khác")`
      : `dòng này chưa ghi ${p.missing} (dòng vẫn được lưu)`),
    remedy: (p) => (p.problem === 'not_in_list' ? `chọn một trong danh sách: ${p.allowed.join(', ')}` : `ghi đủ ${p.missing}, hoặc xóa cả dòng`),
  },
  missing_values: {
    reason: (p) =>
      `còn ${p.count} ô số liệu để trống, được tính là thiếu số liệu (không phải 0): ${p.listed.join(', ')}${p.more ? ` và ${p.more} ô khác` : ''}`,
    remedy: () => 'điền số liệu, hoặc ghi lý do ở ô minh chứng của chỉ số',
  },
  feedback_failed: { reason: (p) => `không ghi được bản kiểm tra gửi lại đơn vị (${p.error})` },
  email_unreadable: READER,
  email_no_attachment: READER,
  email_own: READER,
  sender_mismatch: {
    reason: (p) => `thư gửi từ ${p.sender}, khác địa chỉ của đơn vị trong danh sách đơn vị (${p.expected})`,
    remedy: () => 'kiểm tra đúng là đơn vị gửi (thư chuyển tiếp, địa chỉ cá nhân…), hoặc cập nhật email trong danh sách đơn vị',
  },
};

/** The parts of a placed finding a sentence is made of, the reason and remedy already worded. */
export interface SentenceParts {
  place: FindingPlace;
  reason: string;
  remedy: string | null;
  /** The value received as kept (its first 200 characters, white space flattened), and its length as received. */
  value: { shown: string; length: number } | null;
  /** A query's answer, when the unit gave one. */
  explanation: string | null;
  /** Said inside the file itself (a feedback copy's note): its name is left out when the finding has a place in it. */
  inFile?: boolean;
}

/** A language's words for findings: each code's, and how a placed finding is said. */
export interface Locale {
  codes: CodeWords;
  /** The full sentence: where, about what, the reason, the value received, the remedy and the unit's answer. */
  sentence: (s: SentenceParts) => string;
  /** What was found, for a short note: about what and the reason; not where, the field's id, the value nor the remedy. */
  note: (s: SentenceParts) => string;
  /**
   * A value as a finding shows it, its white space flattened: cut at `max` characters, saying how long it was (a 10 MB
   * cell must not become a 10 MB message).
   */
  shownValue: (flat: string, max: number, length: number) => string;
}

const stop = (t: string) => (t.endsWith('.') || t.endsWith('?') || t.endsWith('!') || t.endsWith('…') ? t : `${t}.`);

function shownValue(flat: string, max: number, length: number): string {
  return flat.length <= max ? flat : `${flat.slice(0, max)}… (${numVi(length)} ký tự)`;
}

function whereText(p: FindingPlace, inFile: boolean): string {
  const parts = inFile && (p.sheet || p.cell || p.line) ? [] : [p.file];
  if (p.sheet) parts.push(`trang ${p.sheet}`);
  if (p.cell) parts.push(`ô ${p.cell}`);
  if (p.line) parts.push(`dòng ${p.line}`);
  return parts.join(', ');
}

/** "chỉ số 1.1.2-a, "Tỷ lệ …" (1.1.2-a.m.tl)"; the field's id is left out of a short note when its label is said. */
function whatText(p: FindingPlace, withId: boolean): string {
  const bits: string[] = [];
  if (p.indicator) bits.push(`chỉ số ${p.indicator}`);
  if (p.field) bits.push(p.fieldLabel ? `"${p.fieldLabel}"${withId ? ` (${p.field})` : ''}` : `ô ${p.field}`);
  return bits.join(', ');
}

function sentence(s: SentenceParts): string {
  const what = whatText(s.place, true);
  let text = `${whereText(s.place, s.inFile === true)}${what ? ` — ${what}` : ''}: ${s.reason}`;
  if (s.value !== null) text = `${stop(text)} Giá trị nhận được: "${shownValue(s.value.shown, 80, s.value.length)}"`;
  if (s.remedy) text += `; cần: ${s.remedy}`;
  text = stop(text);
  return s.explanation === null ? text : `${text} Đơn vị đã giải trình: "${shownValue(s.explanation.replace(/\s+/g, ' '), 200, s.explanation.length)}".`;
}

function note(s: SentenceParts): string {
  const what = whatText(s.place, false);
  return stop(`${what || s.place.file}: ${s.reason}`);
}

export const VI: Locale = { codes: VI_CODES, sentence, note, shownValue };
