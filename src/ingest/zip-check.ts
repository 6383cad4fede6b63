/**
 * Looks at a file's bytes before any library parses them: what it is (xlsx, old xls, encrypted workbook, CSV, other)
 * and, for a zip, whether its directory is sane. Neither exceljs nor its zip layer limits decompressed size, so the
 * central directory is read here, every entry is inflated with a hard cap at its declared size, and its CRC checked.
 */
import fs from 'node:fs';
import path from 'node:path';
import { directoryEnd, directoryRecords, entryData, inflateEntry, type InflateProblem, type ZipEntry } from '../xlsx/zip.ts';
import type { Code } from '../findings/codes.ts';
import { numVi } from '../findings/phrases-vi.ts';

export type { ZipEntry } from '../xlsx/zip.ts';

/**
 * Limits for a returned workbook, judged from the zip's directory before anything is inflated. A real one is well
 * under 1 MB uncompressed; these leave room for long narratives and for a sheet of a few hundred thousand rows, and
 * keep what is inflated (every entry, to check its CRC) within a few hundred MB of memory.
 */
export const ZIP_LIMITS = {
  maxEntries: 5_000,
  /** One entry, decompressed. */
  maxEntryBytes: 32 * 1024 * 1024,
  /** All entries, decompressed. */
  maxTotalBytes: 64 * 1024 * 1024,
  /** Compression ratio above which a large entry is treated as a zip bomb. */
  maxRatio: 200,
  /** Entries smaller than this may have any ratio (a 10 MB run of one letter compresses 1000:1 and is merely odd). */
  ratioMinBytes: 20 * 1024 * 1024,
};

/** Finding codes of this module besides the ones it always had (empty_file, old_xls, encrypted, not_zip, not_xlsx, corrupt_zip, zip_too_large). */
export const ZIP_CODES = {
  duplicateEntry: 'duplicate_zip_entry',
  /** A macro-enabled workbook. */
  macroWorkbook: 'macro_workbook',
  /** A device (/dev/zero), a FIFO or a socket: reading it could block or never end. */
  notRegularFile: 'not_regular_file',
  /** A symbolic link, given or found: not followed. */
  symlink: 'symlink',
} as const;

export interface FileRefusal { code: string; reason: string; expected: string }

export type InputFile = { ok: true; bytes: Buffer } | { ok: false; size?: number; code?: string; refused?: FileRefusal };

/**
 * Reads a file given to ingest, only if it is a regular file and not larger than `maxBytes`, decided before a byte is
 * read: /dev/zero would never end and a FIFO would block. The file is opened without following a link and without
 * blocking, then judged by what was opened (it cannot be swapped between the check and the read).
 */
export function readInputFile(filePath: string, maxBytes: number): InputFile {
  const refuse = (code: string, reason: string, expected: string): InputFile => ({ ok: false, refused: { code, reason, expected } });
  let fd: number;
  try {
    if (fs.lstatSync(filePath).isSymbolicLink()) throw Object.assign(new Error('link'), { code: 'ELOOP' });
    fd = fs.openSync(filePath, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0));
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ELOOP') {
      return refuse(ZIP_CODES.symlink, 'là một liên kết tượng trưng (symlink): hoctap không đi theo liên kết', 'chép chính tệp đơn vị gửi vào thư mục nhận rồi nhập lại');
    }
    return { ok: false, code };
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) {
      const what = stat.isFIFO() ? 'một ống dẫn (FIFO)' : stat.isSocket() ? 'một socket' : stat.isCharacterDevice() || stat.isBlockDevice() ? 'một thiết bị' : 'không phải tệp thông thường';
      return refuse(ZIP_CODES.notRegularFile, `là ${what}, không phải tệp dữ liệu: không đọc`, 'một tệp .xlsx hoặc .csv thông thường');
    }
    if (stat.size > maxBytes) return { ok: false, size: stat.size };
    const bytes = Buffer.alloc(stat.size);
    let read = 0;
    while (read < stat.size) {
      const n = fs.readSync(fd, bytes, read, stat.size - read, read);
      if (n === 0) break;
      read += n;
    }
    return { ok: true, bytes: read === stat.size ? bytes : bytes.subarray(0, read) };
  } catch (e) {
    return { ok: false, code: (e as { code?: string }).code };
  } finally {
    fs.closeSync(fd);
  }
}

/** A refusal this reader words itself (its reason and remedy; ingest passes them on as the finding's parameters). */
type Failure = { ok: false; code: Code; reason: string; expected: string };

export type Sniffed =
  /** `files`: every entry, inflated (the check inflates them all anyway; the reader takes what it needs from here). */
  | { ok: true; kind: 'xlsx'; entries: ZipEntry[]; files: Map<string, Buffer> }
  | { ok: true; kind: 'csv' }
  | Failure;

const OLE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const ENCRYPTED_PACKAGE = Buffer.from('EncryptedPackage', 'utf16le');
const XLSX_EXPECTED = 'một tệp .xlsx lập từ biểu mẫu hoctap';
const RESAVE = 'mở tệp bằng Excel hoặc LibreOffice, lưu lại dạng .xlsx rồi gửi lại';

/** Decides what a file is from its bytes (its extension only separates CSV from other text). */
export function sniffFile(bytes: Buffer, fileName: string): Sniffed {
  const fail = (code: Code, reason: string, expected = XLSX_EXPECTED): Sniffed => ({ ok: false, code, reason, expected });
  if (bytes.length === 0) return fail('empty_file', 'tệp rỗng (0 byte)');
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(OLE_MAGIC)) {
    // Excel wraps a password-protected workbook in an OLE compound file, the same container as an old .xls.
    if (bytes.includes(ENCRYPTED_PACKAGE)) return fail('encrypted', 'bảng tính được đặt mật khẩu (mã hóa), không đọc được', 'tệp không đặt mật khẩu: gỡ mật khẩu (Tệp › Thông tin › Bảo vệ sổ làm việc) rồi gửi lại');
    return fail('old_xls', 'tệp Excel 97-2003 (.xls), không phải .xlsx', RESAVE);
  }
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5) && (bytes[3] === 4 || bytes[3] === 6)) {
    const zip = readZipDirectory(bytes);
    if (!zip.ok) return zip;
    const names = new Set(zip.entries.map((e) => e.name));
    if (!names.has('xl/workbook.xml')) {
      if (names.has('word/document.xml')) return fail('not_xlsx', 'tệp Word (.docx), không phải bảng tính');
      if (names.has('ppt/presentation.xml')) return fail('not_xlsx', 'tệp PowerPoint (.pptx), không phải bảng tính');
      if (names.has('content.xml')) return fail('not_xlsx', 'tệp OpenDocument (.ods), không phải .xlsx', RESAVE);
      if (names.has('xl/workbook.bin')) return fail('not_xlsx', 'tệp Excel nhị phân (.xlsb), không phải .xlsx', RESAVE);
      if (names.has('Index/Document.iwa')) return fail('not_xlsx', 'tệp Numbers của Apple (.numbers), không phải .xlsx', 'mở tệp bằng Numbers, chọn Tệp › Xuất ra › Excel (.xlsx) rồi gửi lại');
      return fail('not_xlsx', 'tệp nén không chứa bảng tính Excel (thiếu xl/workbook.xml)');
    }
    // A macro-enabled workbook (.xlsm, or an .xlsx renamed from one): its code is not ours to carry into the archive.
    const types = zip.files.get('[Content_Types].xml')?.toString('utf8') ?? '';
    if (zip.entries.some((e) => /(^|\/)vbaProject\.bin$/i.test(e.name) || /^xl\/macrosheets\//i.test(e.name)) || /macroEnabled|macrosheet/i.test(types)) {
      return fail(ZIP_CODES.macroWorkbook, 'bảng tính có macro (tệp .xlsm hoặc có chứa mã VBA): hoctap không nhận tệp chứa macro',
        'mở tệp, lưu lại dạng "Sổ làm việc Excel (.xlsx)" (không có macro) rồi gửi lại');
    }
    return { ok: true, kind: 'xlsx', entries: zip.entries, files: zip.files };
  }
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') return fail('not_zip', 'tệp PDF, không phải bảng tính');
  if (path.extname(fileName).toLowerCase() === '.csv') return { ok: true, kind: 'csv' };
  const head = bytes.subarray(0, 512).toString('latin1').trimStart().toLowerCase();
  if (head.startsWith('<!doctype html') || head.startsWith('<html')) return fail('not_zip', 'tệp HTML (có thể là trang web lưu thành .xls), không phải bảng tính .xlsx', RESAVE);
  return fail('not_zip', 'không phải tệp .xlsx (nội dung không phải tệp nén zip của Excel)');
}

type ZipRead = { ok: true; entries: ZipEntry[]; files: Map<string, Buffer> } | Failure;

const INFLATE_WORDS: Record<Exclude<InflateProblem, 'too_large' | 'method'>, string> = {
  bad_data: 'không giải nén được', wrong_size: 'có kích thước sai', wrong_crc: 'sai mã kiểm tra CRC',
};

/** Reads and verifies the central directory and every entry's data. */
export function readZipDirectory(bytes: Buffer, limits = ZIP_LIMITS): ZipRead {
  const corrupt = (detail: string): ZipRead => ({
    ok: false, code: 'corrupt_zip', reason: `tệp nén bị hỏng hoặc không đầy đủ (${detail}); có thể tệp tải về bị gián đoạn`, expected: 'gửi lại tệp gốc',
  });
  const bomb = (detail: string): ZipRead => ({
    ok: false, code: 'zip_too_large', reason: `tệp nén khai báo nội dung quá lớn khi giải nén (${detail}), không xử lý`,
    expected: `một bảng tính giải nén không quá ${numVi(limits.maxTotalBytes / 1024 / 1024)} MB`,
  });
  const end = directoryEnd(bytes);
  if (!end) return corrupt('không tìm thấy danh mục của tệp nén');
  if (end.zip64) return bomb('định dạng ZIP64 dành cho tệp trên 4 GB');
  if (end.count > limits.maxEntries) return bomb(`${numVi(end.count)} mục, giới hạn ${numVi(limits.maxEntries)}`);
  if (end.dirOffset + end.dirSize > end.at) return corrupt('danh mục nằm ngoài tệp');
  const entries: ZipEntry[] = [];
  const names = new Set<string>();
  let sum = 0;
  for (const entry of directoryRecords(bytes, end)) {
    if (!entry) return corrupt('danh mục không đọc được');
    const { name, uncompressedSize, compressedSize } = entry;
    if (entry.encrypted) return { ok: false, code: 'encrypted', reason: 'tệp nén có mật khẩu, không đọc được', expected: 'tệp không đặt mật khẩu' };
    // Two entries of one name (part names compare without case): readers disagree on which one counts.
    const key = name.toLowerCase();
    if (names.has(key)) {
      return {
        ok: false, code: ZIP_CODES.duplicateEntry, reason: `tệp nén có hai mục cùng tên ${name} (tệp đã bị ghép hoặc sửa bằng công cụ khác)`,
        expected: 'gửi lại tệp gốc do Excel hoặc LibreOffice lưu',
      };
    }
    names.add(key);
    if (uncompressedSize > limits.maxEntryBytes) return bomb(`mục ${name}: ${mb(uncompressedSize)}`);
    sum += uncompressedSize;
    if (sum > limits.maxTotalBytes) return bomb(`tổng cộng hơn ${mb(sum)}`);
    if (uncompressedSize > limits.ratioMinBytes && uncompressedSize > limits.maxRatio * Math.max(compressedSize, 1)) {
      return bomb(`mục ${name}: ${mb(uncompressedSize)} nén còn ${numVi(compressedSize)} byte`);
    }
    entries.push(entry);
  }
  // The directory may lie about sizes: inflate each entry with a cap at its declared size and check its CRC.
  const files = new Map<string, Buffer>();
  for (const e of entries) {
    const data = entryData(bytes, e);
    if (data === 'missing') return corrupt(`mục ${e.name} không tìm thấy`);
    if (data === 'truncated') return corrupt(`mục ${e.name} bị cắt cụt`);
    if (e.name.endsWith('/')) continue;
    const out = inflateEntry(e, data);
    if (out === 'method') return corrupt(`mục ${e.name} dùng kiểu nén ${e.method} không được hỗ trợ`);
    if (out === 'too_large') return bomb(`mục ${e.name} giải nén ra nhiều hơn kích thước khai báo ${mb(e.uncompressedSize)}`);
    if (typeof out === 'string') return corrupt(`mục ${e.name} ${INFLATE_WORDS[out]}`);
    files.set(e.name, out);
  }
  return { ok: true, entries, files };
}

function mb(n: number): string {
  return n >= 1024 * 1024 ? `${numVi(n / 1024 / 1024)} MB` : `${numVi(n)} byte`;
}
