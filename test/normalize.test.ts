import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { reasonText, remedyText } from '../src/findings/render.ts';
import { isPercentFormat, normaliseValue, parseNumberText, TEXT_MAX_CHARS, type Normalised } from '../src/ingest/values.ts';

const ok = (n: Normalised) => {
  if (n.status !== 'ok') throw new Error(`attendu ok, reçu ${JSON.stringify(n)}`);
  return n;
};
const error = (n: Normalised) => {
  if (n.status !== 'error') throw new Error(`attendu error, reçu ${JSON.stringify(n)}`);
  return n.error;
};

describe('số liệu gõ tay: tỷ lệ phần trăm', () => {
  it.each([
    ['95,5', 95.5], ['95.5', 95.5], ['95,5 %', 95.5], ['95,5%', 95.5], ['% 95,5', 95.5], [' 95,5\u00a0% ', 95.5],
    ['100', 100], ['0', 0], ['12', 12], ['12,25', 12.25],
  ])('"%s" → %d', (typed, expected) => {
    const n = ok(normaliseValue(typed, 'percent'));
    expect(n.num).toBe(expected);
    expect(n.raw).toBe(typed);
    expect(n.warnings).toEqual([]);
  });

  it('0,955 in a cell formatted as % means 95,5 (Excel stores the fraction)', () => {
    expect(ok(normaliseValue(0.955, 'percent', '0.0%')).num).toBe(95.5);
    expect(ok(normaliseValue(1, 'percent', '0%')).num).toBe(100);
    // The template's own format has no % sign: 95.5 typed stays 95.5.
    expect(ok(normaliseValue(95.5, 'percent', '0.0##')).num).toBe(95.5);
  });

  it('a % sign inside quotes is literal text, not a percent format', () => {
    expect(isPercentFormat('0.0" %"')).toBe(false);
    expect(isPercentFormat('0.0\\%')).toBe(false);
    expect(isPercentFormat('0.0%')).toBe(true);
    expect(isPercentFormat('[Red]0.00%')).toBe(true);
    expect(ok(normaliseValue(0.955, 'percent', '0.0" %"')).num).toBe(0.955);
  });

  it('a plain 0,3 is ambiguous: stored as typed, with a warning asking whether 30 % was meant', () => {
    const n = ok(normaliseValue('0,3', 'percent'));
    expect(n.num).toBe(0.3);
    expect(n.warnings).toHaveLength(1);
    expect(n.warnings[0].code).toBe('ambiguous_percent');
    expect(reasonText(n.warnings[0])).toContain('có thể là 30%');
    // With an explicit % sign it is not ambiguous.
    expect(ok(normaliseValue('0,3%', 'percent')).warnings).toEqual([]);
    expect(ok(normaliseValue(0.3, 'percent')).warnings[0].code).toBe('ambiguous_percent');
  });

  it.each([['101', 'out_of_range'], ['-5', 'out_of_range'], ['N/A', 'not_a_number'], ['9 5', 'not_a_number'], ['95,5,5', 'not_a_number'], ['khoảng 90', 'not_a_number']])(
    '"%s" is an error (%s) that says what was expected', (typed, code) => {
      const e = error(normaliseValue(typed, 'percent'));
      expect(e.code).toBe(code);
      expect(remedyText(e)).toContain('từ 0 đến 100');
    });

  it('95,5 in a cell formatted as % is 9550 %: an error, not a silent 95,5', () => {
    expect(error(normaliseValue(95.5, 'percent', '0.0%')).code).toBe('out_of_range');
  });
});

describe('số đếm và số', () => {
  it.each([
    ['1.234', 1234], ['1 234', 1234], ['1\u00a0234', 1234], ['1\u202f234', 1234], ['1,234', 1234], ['1.234.567', 1234567],
    ['1 234 567', 1234567], ['12', 12], [' 12 ', 12], ['+12', 12],
  ])('count "%s" → %d', (typed, expected) => {
    const n = ok(normaliseValue(typed, 'count'));
    expect(n.num).toBe(expected);
    expect(n.warnings).toEqual([]);
  });

  it('a count stored as a number is kept; a fraction or a negative is an error', () => {
    expect(ok(normaliseValue(1234, 'count')).num).toBe(1234);
    expect(error(normaliseValue(12.5, 'count')).code).toBe('not_integer');
    expect(error(normaliseValue('12,5', 'count')).code).toBe('not_integer');
    expect(error(normaliseValue(-3, 'count')).code).toBe('out_of_range');
    expect(error(normaliseValue('95%', 'count')).code).toBe('unexpected_percent');
  });

  it('in a plain number, "1.234" is read the Vietnamese way (1234) with a warning, "1,5" is 1,5', () => {
    const n = ok(normaliseValue('1.234', 'number'));
    expect(n.num).toBe(1234);
    expect(n.warnings.map((w) => w.code)).toEqual(['thousands_guess']);
    expect(ok(normaliseValue('1,5', 'number')).num).toBe(1.5);
    expect(ok(normaliseValue('1.234,5', 'number')).num).toBe(1234.5);
    expect(ok(normaliseValue('1,234.5', 'number')).num).toBe(1234.5);
    expect(ok(normaliseValue('2.5', 'number')).num).toBe(2.5);
    expect(ok(normaliseValue('1 234,56', 'number')).num).toBe(1234.56);
  });

  it('a date or a boolean in a number cell is an error', () => {
    expect(error(normaliseValue(new Date(Date.UTC(2024, 0, 5)), 'count')).code).toBe('date_in_number');
    expect(error(normaliseValue(true, 'number')).code).toBe('not_a_number');
  });
});

describe('công thức, lỗi, định dạng của exceljs', () => {
  it('a formula counts by its cached result', () => {
    const n = ok(normaliseValue({ formula: 'G5/G6*100', result: 87.5 }, 'percent'));
    expect(n.num).toBe(87.5);
    expect(ok(normaliseValue({ sharedFormula: 'G5', result: 12 }, 'count')).num).toBe(12);
    expect(ok(normaliseValue({ formula: 'A1', result: '95,5' }, 'percent')).num).toBe(95.5);
  });

  it('a formula without a cached result is an error saying to re-save the file', () => {
    const e = error(normaliseValue({ formula: 'G5/G6*100' }, 'percent'));
    expect(e.code).toBe('formula_no_result');
    expect(reasonText(e)).toContain('=G5/G6*100');
    expect(remedyText(e)).toContain('lưu lại');
  });

  it('an error result (#DIV/0!) or an error cell is an error', () => {
    const e = error(normaliseValue({ formula: 'G5/G6', result: { error: '#DIV/0!' } }, 'percent'));
    expect(e.code).toBe('formula_error');
    expect(reasonText(e)).toContain('#DIV/0!');
    expect(error(normaliseValue({ error: '#N/A' }, 'count')).code).toBe('cell_error');
  });

  it('rich text and hyperlinks are read as their text', () => {
    expect(ok(normaliseValue({ richText: [{ text: '95' }, { text: ',5' }] }, 'percent')).num).toBe(95.5);
    expect(ok(normaliseValue({ text: 'Báo cáo 12', hyperlink: 'https://example.vn' }, 'text')).text).toBe('Báo cáo 12');
  });

  it('empty, whitespace and non-breaking spaces are missing, not zero', () => {
    for (const v of [null, undefined, '', '   ', '\u00a0', { richText: [{ text: ' ' }] }]) {
      expect(normaliseValue(v, 'count').status).toBe('empty');
    }
  });
});

describe('Tăng/Giảm và mức đánh giá', () => {
  it.each(['Tăng', 'tăng', 'TANG', 'TĂNG', ' tang ', 'Tăng so với năm trước'])('"%s" → Tăng', (typed) => {
    const n = ok(normaliseValue(typed, 'direction'));
    expect(n.text).toBe('Tăng');
    expect(n.num).toBeNull();
  });

  it('Giảm in any case; anything else is an error naming the two words', () => {
    expect(ok(normaliseValue('GIAM', 'direction')).text).toBe('Giảm');
    const e = error(normaliseValue('Tăng/Giảm', 'direction'));
    expect(e.code).toBe('bad_direction');
    expect(remedyText(e)).toBe('"Tăng" hoặc "Giảm"');
    expect(error(normaliseValue(1, 'direction')).code).toBe('bad_direction');
  });

  it.each([['4', 4], ['4 - Rất tốt', 4], ['Rất tốt', 4], ['rat tot', 4], ['5 – Xuất sắc', 5], ['Tốt', 3], ['Mức 2', 2], ['1. Yếu', 1]])(
    'rating "%s" → %d', (typed, level) => {
      const n = ok(normaliseValue(typed, 'rating'));
      expect(n.num).toBe(level);
      expect(n.text).toBeNull();
    });

  it('a rating as a number, out of range, or with a label that contradicts the level', () => {
    expect(ok(normaliseValue(3, 'rating')).num).toBe(3);
    expect(error(normaliseValue(6, 'rating')).code).toBe('out_of_range');
    expect(error(normaliseValue('4 - Xuất sắc', 'rating')).code).toBe('rating_label_mismatch');
    expect(error(normaliseValue('Giỏi', 'rating')).code).toBe('bad_rating');
    expect(error(normaliseValue(3.5, 'rating')).code).toBe('not_integer');
  });
});

describe('văn bản', () => {
  it('keeps the text (NFC, trimmed, line breaks normalised)', () => {
    const decomposed = 'Tuye\u0302n truye\u0302\u0300n\r\nDòng 2';
    expect(ok(normaliseValue(decomposed, 'narrative')).text).toBe('Tuyên truyền\nDòng 2');
    expect(ok(normaliseValue(12, 'text')).text).toBe('12');
  });

  it('longer than one Excel cell can hold is an error naming the length', () => {
    const e = error(normaliseValue('x'.repeat(TEXT_MAX_CHARS + 1), 'text'));
    expect(e.code).toBe('text_too_long');
    expect(reasonText(e)).toContain('32.768 ký tự');
  });
});

describe('parseNumberText: tính chất', () => {
  it('any number written the Vietnamese way (dot thousands, decimal comma) reads back exactly', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 99 }), (int, cents) => {
      const v = int + cents / 100;
      const text = v.toLocaleString('vi-VN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
      const parsed = parseNumberText(text, 'number');
      expect(parsed?.v).toBeCloseTo(v, 9);
    }));
  });

  it('any whole count written with dots, spaces or nothing reads back exactly', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 1_000_000_000 }), fc.constantFrom('.', ' ', '\u00a0', ''), (n, sep) => {
      const text = n.toLocaleString('en-US').replace(/,/g, sep);
      expect(ok(normaliseValue(text, 'count')).num).toBe(n);
    }));
  });
});
