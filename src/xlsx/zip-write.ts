/** Writes a zip with node:zlib: each entry deflated (or stored when empty) unless given compressed; names and CRC-32 as given. */
import { promisify } from 'node:util';
import zlib from 'node:zlib';

export interface ZipItem {
  name: string | Buffer;
  /** The entry's uncompressed bytes, whole or in pieces written one after the other (a large part patched in places). */
  data: Buffer | Buffer[];
  /** CRC-32 of `data`, when already known (copied from another zip). */
  crc?: number;
  /** MS-DOS time and date fields (0 when not given). */
  time?: number;
  date?: number;
  /** The entry as another zip compressed it (copied as it is, with `crc` required). */
  compressed?: { data: Buffer; method: number };
}

const piecesOf = (it: ZipItem) => (Array.isArray(it.data) ? it.data : [it.data]);
const sizeOf = (it: ZipItem) => piecesOf(it).reduce((n, p) => n + p.length, 0);

/** An entry's data as written: as given compressed, deflated, or nothing when empty. */
function entryBytes(it: ZipItem, level: number): Buffer {
  if (it.compressed) return it.compressed.data;
  return sizeOf(it) ? deflatePieces(piecesOf(it), level) : Buffer.alloc(0);
}

export function writeZip(items: ZipItem[], level = 6): Buffer {
  return assemble(items, items.map((it) => entryBytes(it, level)));
}

const deflateRaw = promisify(zlib.deflateRaw);
const ASYNC_DEFLATE_MIN = 16 * 1024;

/**
 * writeZip's bytes, the entries of one piece deflated in libuv's thread pool rather than on the main thread: a caller
 * writing many files (generate-templates) builds the next one meanwhile, on the machine's other core.
 */
export async function writeZipAsync(items: ZipItem[], level = 6): Promise<Buffer> {
  const data = await Promise.all(items.map((it) => {
    const pieces = piecesOf(it);
    // A small entry is deflated here: a trip through the pool costs more than deflating a few kB.
    return !it.compressed && pieces.length === 1 && pieces[0].length >= ASYNC_DEFLATE_MIN ? deflateRaw(pieces[0], { level }) : Promise.resolve(entryBytes(it, level));
  }));
  return assemble(items, data);
}

/** The zip of the entries, `written[i]` being entry i's bytes as written (entryBytes). */
function assemble(items: ZipItem[], written: Buffer[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [i, it] of items.entries()) {
    const name = typeof it.name === 'string' ? Buffer.from(it.name, 'utf8') : it.name;
    const pieces = piecesOf(it);
    const size = sizeOf(it);
    const crc = it.crc ?? pieces.reduce((c, p) => zlib.crc32(p, c), 0);
    const data = written[i];
    const method = it.compressed?.method ?? (size ? 8 : 0);
    const flags = /[^\x20-\x7e]/.test(name.toString('latin1')) ? 0x0800 : 0; // UTF-8 names
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(it.time ?? 0, 10);
    local.writeUInt16LE(it.date ?? 0, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4); // made by: MS-DOS, 2.0
    dir.writeUInt16LE(20, 6);
    dir.writeUInt16LE(flags, 8);
    dir.writeUInt16LE(method, 10);
    dir.writeUInt16LE(it.time ?? 0, 12);
    dir.writeUInt16LE(it.date ?? 0, 14);
    dir.writeUInt32LE(crc, 16);
    dir.writeUInt32LE(data.length, 20);
    dir.writeUInt32LE(size, 24);
    dir.writeUInt16LE(name.length, 28);
    dir.writeUInt32LE(offset, 42);
    parts.push(local, name, data);
    central.push(dir, name);
    offset += 30 + name.length + data.length;
  }
  const centralBytes = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(items.length, 8);
  end.writeUInt16LE(items.length, 10);
  end.writeUInt32LE(centralBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, centralBytes, end]);
}

/** Bytes deflated at a time from pieces: the pieces are never joined whole. */
const DEFLATE_BLOCK = 1024 * 1024;

/**
 * One raw deflate stream from pieces, a block of about a megabyte at a time: each block but the last ends on a
 * byte boundary (a sync flush) without the final bit, so that the blocks' outputs are one stream when put end to end.
 */
function deflatePieces(pieces: Buffer[], level: number): Buffer {
  if (pieces.length === 1) return zlib.deflateRawSync(pieces[0], { level });
  const out: Buffer[] = [];
  let block: Buffer[] = [];
  let held = 0;
  const flush = (last: boolean) => {
    out.push(zlib.deflateRawSync(Buffer.concat(block, held), { level, finishFlush: last ? zlib.constants.Z_FINISH : zlib.constants.Z_SYNC_FLUSH }));
    block = [];
    held = 0;
  };
  for (const piece of pieces) {
    for (let at = 0; at < piece.length; ) {
      const take = Math.min(piece.length - at, DEFLATE_BLOCK - held);
      block.push(piece.subarray(at, at + take));
      held += take;
      at += take;
      if (held === DEFLATE_BLOCK) flush(false);
    }
  }
  flush(true);
  return Buffer.concat(out);
}
