import { describe, expect, it } from 'vitest';
import { renderCsv } from '../src/csv-write.ts';

describe('the CSV files hoctap writes', () => {
  it('keep formulas typed by a unit inert when opened in Excel', () => {
    const csv = renderCsv(['a', 'b'], [['=cmd|\' /C calc\'!A0', '+1+1'], ['@SUM(A1)', '-2+3'], ['\tx', 'bình thường'], [-5, 12.5]]);
    const rows = csv.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(rows[1]).toBe(`'=cmd|' /C calc'!A0,'+1+1`);
    expect(rows[2]).toBe(`'@SUM(A1),'-2+3`);
    expect(rows[3]).toBe(`'\tx,bình thường`);
    expect(rows[4]).toBe('-5,12.5'); // real numbers stay numbers
  });

  it('quote separators, quotes and line breaks (RFC 4180), with a BOM for Excel', () => {
    const csv = renderCsv(['x'], [['a,b'], ['say "hi"'], ['two\nlines'], [null]]);
    expect(csv.startsWith('\uFEFFx\r\n')).toBe(true);
    expect(csv).toContain('"a,b"\r\n"say ""hi"""\r\n"two\nlines"\r\n\r\n');
  });
});
