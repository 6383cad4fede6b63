/**
 * The one reader of a zip's central directory (an .xlsx is a zip): where the directory is, its records, where each
 * entry's data lies, and inflating it with node:zlib under a cap. Neutral: it reports what it found and what is wrong
 * in plain terms; the ingest check (src/ingest/zip-check.ts) decides limits and words, the template writer
 * (src/templates/xlsx-write.ts) re-deflates the entries exceljs stored.
 */
import zlib from 'node:zlib';

const DIRECTORY_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;

/** The end-of-central-directory record. */
export interface DirectoryEnd {
  /** Where the record starts. */
  at: number;
  /** Entries, as the record declares them. */
  count: number;
  dirOffset: number;
  dirSize: number;
  /** The record holds ZIP64 markers (archives over 4 GB or 65,535 entries): this reader does not follow them. */
  zip64: boolean;
}

export interface ZipEntry {
  name: string;
  /** The name's bytes as stored (rewritten unchanged). */
  rawName: Buffer;
  flags: number;
  method: number;
  crc: number;
  compressedSize: number;
  uncompressedSize: number;
  /** MS-DOS time and date fields. */
  time: number;
  date: number;
  localOffset: number;
  encrypted: boolean;
}

/** Finds the end record, searching back over the longest comment a zip may carry. */
export function directoryEnd(bytes: Buffer): DirectoryEnd | null {
  const min = Math.max(0, bytes.length - 22 - 0xffff);
  for (let i = bytes.length - 22; i >= min; i--) {
    if (bytes[i] === 0x50 && bytes[i + 1] === 0x4b && bytes[i + 2] === 5 && bytes[i + 3] === 6) {
      const count = bytes.readUInt16LE(i + 10);
      const dirSize = bytes.readUInt32LE(i + 12);
      const dirOffset = bytes.readUInt32LE(i + 16);
      return { at: i, count, dirOffset, dirSize, zip64: count === 0xffff || dirOffset === 0xffffffff || dirSize === 0xffffffff };
    }
  }
  return null;
}

/**
 * The directory's records in order. Yields null (and stops) at a record that cannot be read, so that a caller can
 * judge every record before it (an encrypted first entry is reported as such even when a later record is broken).
 */
export function* directoryRecords(bytes: Buffer, end: DirectoryEnd): Generator<ZipEntry | null, void> {
  let p = end.dirOffset;
  for (let i = 0; i < end.count; i++) {
    if (p + 46 > end.at || bytes.readUInt32LE(p) !== DIRECTORY_SIGNATURE) {
      yield null;
      return;
    }
    const flags = bytes.readUInt16LE(p + 8);
    const nameLen = bytes.readUInt16LE(p + 28);
    const rawName = bytes.subarray(p + 46, p + 46 + nameLen);
    yield {
      name: rawName.toString('utf8'), rawName, flags, method: bytes.readUInt16LE(p + 10),
      time: bytes.readUInt16LE(p + 12), date: bytes.readUInt16LE(p + 14), crc: bytes.readUInt32LE(p + 16),
      compressedSize: bytes.readUInt32LE(p + 20), uncompressedSize: bytes.readUInt32LE(p + 24),
      localOffset: bytes.readUInt32LE(p + 42), encrypted: (flags & 1) === 1,
    };
    p += 46 + nameLen + bytes.readUInt16LE(p + 30) + bytes.readUInt16LE(p + 32);
  }
}

/** An entry's compressed bytes, found through its local header; or why they cannot be. */
export function entryData(bytes: Buffer, e: ZipEntry): Buffer | 'missing' | 'truncated' {
  const lo = e.localOffset;
  if (lo + 30 > bytes.length || bytes.readUInt32LE(lo) !== LOCAL_SIGNATURE) return 'missing';
  const start = lo + 30 + bytes.readUInt16LE(lo + 26) + bytes.readUInt16LE(lo + 28);
  const end = start + e.compressedSize;
  if (end > bytes.length) return 'truncated';
  return bytes.subarray(start, end);
}

export type InflateProblem = 'method' | 'too_large' | 'bad_data' | 'wrong_size' | 'wrong_crc';

/**
 * An entry's data uncompressed, never longer than its declared size (a zip may lie about it: inflating stops there),
 * with its size and CRC-32 checked.
 */
export function inflateEntry(e: ZipEntry, data: Buffer): Buffer | InflateProblem {
  let out: Buffer;
  try {
    if (e.method === 0) out = data;
    // One output chunk of the declared size (plus one byte, to see a longer output): inflated in the default 16 kB
    // chunks, a 26 MB sheet was held twice, its chunks and their concatenation.
    else if (e.method === 8) out = zlib.inflateRawSync(data, { maxOutputLength: Math.max(e.uncompressedSize, 1), chunkSize: Math.max(e.uncompressedSize + 1, 64) });
    else return 'method';
  } catch (err) {
    return (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' ? 'too_large' : 'bad_data';
  }
  if (out.length !== e.uncompressedSize) return 'wrong_size';
  if (zlib.crc32(out) >>> 0 !== e.crc >>> 0) return 'wrong_crc';
  return out;
}
