/**
 * A large sheet patched for the feedback copy is never held as one string: it is cut into slices of the bytes received
 * between the edits, and deflated a megabyte at a time. What comes out must be the same bytes as a whole-text edit.
 */
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { restyleCells } from '../src/xlsx/patch-cells.ts';
import { directoryEnd, directoryRecords, entryData, inflateEntry } from '../src/xlsx/zip.ts';
import { writeZip } from '../src/xlsx/zip-write.ts';

describe('a part written in pieces', () => {
  it('is one deflate stream whose bytes are the pieces end to end, across many blocks', () => {
    // 3.5 MB in uneven pieces (block edges fall inside them), with text that is not ASCII.
    const pieces = [Buffer.from('<đầu>'), Buffer.alloc(1_500_000, 'Sở Y tế '), Buffer.from('giữa'), Buffer.alloc(2_000_001, 'ô'), Buffer.from('</đầu>')];
    const zip = writeZip([{ name: 'xl/worksheets/sheet1.xml', data: pieces }]);
    const entry = [...directoryRecords(zip, directoryEnd(zip)!)][0]!;
    expect(entry.uncompressedSize).toBe(pieces.reduce((n, p) => n + p.length, 0));
    const out = inflateEntry(entry, entryData(zip, entry) as Buffer);
    expect(Buffer.isBuffer(out) && out.equals(Buffer.concat(pieces))).toBe(true);
    expect(entry.crc >>> 0).toBe(zlib.crc32(Buffer.concat(pieces)) >>> 0);
  });
});

describe('restyling a row that holds text other than ASCII', () => {
  it('edits the cell after the text where the text puts it (bytes are not characters)', () => {
    const xml = '<worksheet><sheetData><row r="3"><c r="A3" t="inlineStr"><is><t>Số trường đạt chuẩn quốc gia</t></is></c><c r="B3" s="2"><v>5</v></c></row></sheetData></worksheet>';
    const out = restyleCells(xml, new Map([['B3', (s: number) => s + 40], ['C3', () => 9]]));
    expect(out).toBe('<worksheet><sheetData><row r="3"><c r="A3" t="inlineStr"><is><t>Số trường đạt chuẩn quốc gia</t></is></c>'
      + '<c r="B3" s="42"><v>5</v></c><c r="C3" s="9"/></row></sheetData></worksheet>');
  });
});
