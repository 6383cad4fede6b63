/**
 * Looks at a file's bytes before any library parses them: what it is (xlsx, old xls, encrypted workbook, CSV, other)
 * and, for a zip, whether its directory is sane. Neither exceljs nor its zip layer limits decompressed size, so the
 * central directory is read here, every entry is inflated with a hard cap at its declared size, and its CRC checked.
 */
import path from 'node:path';
import zlib from 'node:zlib';
import type { Code, Failure } from './codes.ts';
import { numVi } from './messages.ts';

/** Limits for a returned workbook (a real one is well under 1 MB; these leave room for large narratives). */
export const ZIP_LIMITS = {
  maxEntries: 5_000,
  /** One entry, decompressed. */
  maxEntryBytes: 100 * 1024 * 1024,
  /** All entries, decompressed. */
  maxTotalBytes: 200 * 1024 * 1024,
  /** Compression ratio above which a large entry is treated as a zip bomb. */
  maxRatio: 200,
  /** Entries smaller than this may have any ratio (a 10 MB run of one letter compresses 1000:1 and is merely odd). */
  ratioMinBytes: 20 * 1024 * 1024,
};

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  encrypted: boolean;
}

export type Sniffed =
  /** `files`: every entry, inflated (the check inflates them all anyway; the reader takes what it needs from here). */
  | { ok: true; kind: 'xlsx'; entries: ZipEntry[]; files: Map<string, Buffer> | null }
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
      return fail('not_xlsx', 'tệp nén không chứa bảng tính Excel (thiếu xl/workbook.xml)');
    }
    return { ok: true, kind: 'xlsx', entries: zip.entries, files: zip.files };
  }
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') return fail('not_zip', 'tệp PDF, không phải bảng tính');
  if (path.extname(fileName).toLowerCase() === '.csv') return { ok: true, kind: 'csv' };
  const head = bytes.subarray(0, 512).toString('latin1').trimStart().toLowerCase();
  if (head.startsWith('<!doctype html') || head.startsWith('<html')) return fail('not_zip', 'tệp HTML (có thể là trang web lưu thành .xls), không phải bảng tính .xlsx', RESAVE);
  return fail('not_zip', 'không phải tệp .xlsx (nội dung không phải tệp nén zip của Excel)');
}

type ZipRead = { ok: true; entries: ZipEntry[]; files: Map<string, Buffer> | null } | Failure;

/** Reads and verifies the central directory and every entry's data. */
export function readZipDirectory(bytes: Buffer, limits = ZIP_LIMITS): ZipRead {
  const corrupt = (detail: string): ZipRead => ({
    ok: false, code: 'corrupt_zip', reason: `tệp nén bị hỏng hoặc không đầy đủ (${detail}); có thể tệp tải về bị gián đoạn`, expected: 'gửi lại tệp gốc',
  });
  const bomb = (detail: string): ZipRead => ({
    ok: false, code: 'zip_too_large', reason: `tệp nén khai báo nội dung quá lớn khi giải nén (${detail}), không xử lý`,
    expected: `một bảng tính giải nén không quá ${numVi(limits.maxTotalBytes / 1024 / 1024)} MB`,
  });
  const eocd = findEndOfCentralDirectory(bytes);
  if (eocd < 0) return corrupt('không tìm thấy danh mục của tệp nén');
  const total = bytes.readUInt16LE(eocd + 10);
  const cdSize = bytes.readUInt32LE(eocd + 12);
  const cdOffset = bytes.readUInt32LE(eocd + 16);
  if (total === 0xffff || cdOffset === 0xffffffff || cdSize === 0xffffffff) return bomb('định dạng ZIP64 dành cho tệp trên 4 GB');
  if (total > limits.maxEntries) return bomb(`${numVi(total)} mục, giới hạn ${numVi(limits.maxEntries)}`);
  if (cdOffset + cdSize > eocd) return corrupt('danh mục nằm ngoài tệp');
  const entries: ZipEntry[] = [];
  const locals: number[] = [];
  const crcs: number[] = [];
  let p = cdOffset;
  let sum = 0;
  for (let i = 0; i < total; i++) {
    if (p + 46 > eocd || bytes.readUInt32LE(p) !== 0x02014b50) return corrupt('danh mục không đọc được');
    const flags = bytes.readUInt16LE(p + 8);
    const method = bytes.readUInt16LE(p + 10);
    const compressedSize = bytes.readUInt32LE(p + 20);
    const uncompressedSize = bytes.readUInt32LE(p + 24);
    const nameLen = bytes.readUInt16LE(p + 28);
    const extraLen = bytes.readUInt16LE(p + 30);
    const commentLen = bytes.readUInt16LE(p + 32);
    const localOffset = bytes.readUInt32LE(p + 42);
    const crc = bytes.readUInt32LE(p + 16);
    const name = bytes.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    p += 46 + nameLen + extraLen + commentLen;
    const entry = { name, method, compressedSize, uncompressedSize, encrypted: (flags & 1) === 1 };
    if (entry.encrypted) return { ok: false, code: 'encrypted', reason: 'tệp nén có mật khẩu, không đọc được', expected: 'tệp không đặt mật khẩu' };
    if (uncompressedSize > limits.maxEntryBytes) return bomb(`mục ${name}: ${mb(uncompressedSize)}`);
    sum += uncompressedSize;
    if (sum > limits.maxTotalBytes) return bomb(`tổng cộng hơn ${mb(sum)}`);
    if (uncompressedSize > limits.ratioMinBytes && uncompressedSize > limits.maxRatio * Math.max(compressedSize, 1)) {
      return bomb(`mục ${name}: ${mb(uncompressedSize)} nén còn ${numVi(compressedSize)} byte`);
    }
    entries.push(entry);
    locals.push(localOffset);
    crcs.push(crc);
  }
  // The directory may lie about sizes: inflate each entry with a cap at its declared size and check its CRC.
  const files = new Map<string, Buffer>();
  let duplicated = false;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    const lo = locals[i];
    if (lo + 30 > bytes.length || bytes.readUInt32LE(lo) !== 0x04034b50) return corrupt(`mục ${e.name} không tìm thấy`);
    const start = lo + 30 + bytes.readUInt16LE(lo + 26) + bytes.readUInt16LE(lo + 28);
    const end = start + e.compressedSize;
    if (end > bytes.length) return corrupt(`mục ${e.name} bị cắt cụt`);
    if (e.name.endsWith('/')) continue;
    const data = bytes.subarray(start, end);
    let out: Buffer;
    try {
      if (e.method === 0) out = data;
      else if (e.method === 8) out = zlib.inflateRawSync(data, { maxOutputLength: Math.max(e.uncompressedSize, 1) });
      else return corrupt(`mục ${e.name} dùng kiểu nén ${e.method} không được hỗ trợ`);
    } catch (err) {
      if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') return bomb(`mục ${e.name} giải nén ra nhiều hơn kích thước khai báo ${mb(e.uncompressedSize)}`);
      return corrupt(`mục ${e.name} không giải nén được`);
    }
    if (out.length !== e.uncompressedSize) return corrupt(`mục ${e.name} có kích thước sai`);
    if (zlib.crc32(out) >>> 0 !== crcs[i] >>> 0) return corrupt(`mục ${e.name} sai mã kiểm tra CRC`);
    // Two entries of one name: which one counts is the full reader's business (files is then not offered).
    if (files.has(e.name)) duplicated = true;
    files.set(e.name, out);
  }
  return { ok: true, entries, files: duplicated ? null : files };
}

function findEndOfCentralDirectory(bytes: Buffer): number {
  const min = Math.max(0, bytes.length - 22 - 0xffff);
  for (let i = bytes.length - 22; i >= min; i--) {
    if (bytes[i] === 0x50 && bytes[i + 1] === 0x4b && bytes[i + 2] === 5 && bytes[i + 3] === 6) return i;
  }
  return -1;
}

function mb(n: number): string {
  return n >= 1024 * 1024 ? `${numVi(n / 1024 / 1024)} MB` : `${numVi(n)} byte`;
}
