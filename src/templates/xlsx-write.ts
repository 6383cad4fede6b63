/**
 * Writes an exceljs workbook to .xlsx bytes with Node's native zlib instead of exceljs's JavaScript deflate.
 *
 * Why: exceljs zips through JSZip, which compresses with pako (deflate in JavaScript). Generating 3,000 templates, a
 * third of the CPU time went to pako and JSZip (docs/benchmarks.md: the generate profile). So exceljs is asked for an
 * uncompressed (stored) zip, and each entry is deflated again with node:zlib into an ordinary zip: same entries, same
 * names, same order, same CRC-32 (computed on the uncompressed data, which does not change), about four times faster.
 */
import type ExcelJS from 'exceljs';
import { directoryEnd, directoryRecords, entryData } from '../xlsx/zip.ts';
import { writeZip, writeZipAsync, type ZipItem } from '../xlsx/zip-write.ts';

/** The entries of a zip whose entries are all stored (method 0), as JSZip writes them with compression STORE. */
function storedEntries(zip: Buffer): ZipItem[] {
  const end = directoryEnd(zip);
  if (!end) throw new Error('xlsx-write: no end of central directory');
  const out: ZipItem[] = [];
  for (const e of directoryRecords(zip, end)) {
    if (!e) throw new Error('xlsx-write: bad central directory');
    if (e.method !== 0) throw new Error(`xlsx-write: entry compressed with method ${e.method}, expected stored`);
    const data = entryData(zip, e);
    if (typeof data === 'string') throw new Error(`xlsx-write: entry ${e.name} ${data}`);
    out.push({ name: e.rawName, data, crc: e.crc, time: e.time, date: e.date });
  }
  return out;
}

/** Deflates every entry of a stored zip with node:zlib: the same archive, compressed. */
export function deflateStoredZip(stored: Buffer, level = 6): Buffer {
  return writeZip(storedEntries(stored), level);
}

/**
 * The workbook as .xlsx bytes (what `wb.xlsx.writeBuffer()` gives, compressed natively): the same bytes as
 * deflateStoredZip, deflated off the main thread (zip-write.ts writeZipAsync).
 */
export async function workbookBytes(wb: ExcelJS.Workbook): Promise<Buffer> {
  return writeZipAsync(storedEntries(await storedBytes(wb)));
}

/**
 * The same bytes, deflated on the calling thread: for a worker thread of generate-templates (generate-worker.ts), one of
 * as many as the machine has cores, where handing the deflate to libuv's pool only takes turns with the other workers.
 */
export async function workbookBytesHere(wb: ExcelJS.Workbook): Promise<Buffer> {
  return deflateStoredZip(await storedBytes(wb));
}

/** The workbook as exceljs zips it, every entry stored (not compressed). */
async function storedBytes(wb: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await wb.xlsx.writeBuffer({ zip: { compression: 'STORE' } }));
}
