/** Vietnamese wording of dates, numbers and figures as an administrative document writes them. */
import { formatNumberVi, formatValue } from '../vi/numbers.ts';
import { DIRECTION_LABELS, RATING_LABELS } from '../vi/labels.ts';
import type { Direction, MeasureScore } from '../scoring/types.ts';
import { UserError } from '../errors.ts';
import { adminDateWords, formatDayVi, vietnamDay, type CalendarDay } from '../dates.ts';

export type ReportDate = CalendarDay;

/** Parses --date YYYY-MM-DD (a real calendar date). */
export function parseReportDate(value: string | undefined, now = new Date()): ReportDate {
  if (value === undefined) return vietnamDay(now);
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!m || !d || d.getUTCFullYear() !== Number(m[1]) || d.getUTCMonth() + 1 !== Number(m[2]) || d.getUTCDate() !== Number(m[3])) {
    throw new UserError(`--date "${value}" không hợp lệ: cần ngày dạng NĂM-THÁNG-NGÀY, ví dụ 2025-01-05.`);
  }
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
}

export const viDateWords = adminDateWords;

/** "Thành phố Hồ Chí Minh, ngày 05 tháng 01 năm 2025" */
export function placeDateLine(place: string, d: ReportDate): string {
  return `${place}, ${viDateWords(d)}`;
}

/** dd/mm/yyyy in Vietnam time, as `hoctap status` shows the same dates; empty when there is none. */
export function viShortDate(iso: string | null): string {
  return iso ? formatDayVi(iso) : '';
}

/** Upper case with Vietnamese rules (stored names are in normal case; the header prints capitals). */
export function viUpper(s: string): string {
  return s.toLocaleUpperCase('vi-VN');
}

/** The document number: blank space left for the clerk when there is none; below 10 written 05. */
export function documentNumberText(documentNumber: string): string {
  const n = documentNumber.trim();
  if (!n) return '\u00a0'.repeat(7);
  return /^\d$/.test(n) ? `0${n}` : n;
}

/** "Số: 05/BC-SGDĐT" (the symbol in capitals). */
export function numberLine(documentNumber: string, abbreviation: string): string {
  return `Số: ${documentNumberText(documentNumber)}/BC-${viUpper(abbreviation)}`;
}

export function nfc(s: string): string {
  return s.normalize('NFC');
}

export function directionWord(d: Direction | null): string {
  return d ? DIRECTION_LABELS[d] : '';
}

/** A value with its unit: "93,2%", "1.234 người" (the one formatter of src/vi/numbers.ts). */
export { formatValue as withUnit } from '../vi/numbers.ts';

/** "5,2 điểm phần trăm" or "25%" of a change, with its direction word. */
export function changeText(m: MeasureScore): string {
  if (m.change === null || m.previous === null || m.value === null) return '';
  const verb = m.change > 0 ? 'tăng' : m.change < 0 ? 'giảm' : 'không đổi';
  if (m.change === 0) return verb;
  const abs = Math.abs(m.change);
  if (m.unit === '%') return `${verb} ${formatNumberVi(abs, 2)} điểm phần trăm`;
  if (m.derive === 'rating') return `${verb} ${formatNumberVi(abs, 1)} mức`;
  const rel = m.previous !== 0 ? ` (${formatNumberVi((abs / Math.abs(m.previous)) * 100, 1)}%)` : '';
  return `${verb} ${formatValue(abs, m.unit)}${rel}`;
}

/**
 * How large a change is, comparable across units: percentage points for rates, a rating's change as a share of its
 * 1–5 scale, the relative change (in %) otherwise.
 */
export function changeMagnitude(m: MeasureScore): number {
  if (m.change === null || m.previous === null) return -1;
  if (m.unit === '%') return Math.abs(m.change);
  if (m.derive === 'rating') return (Math.abs(m.change) / 4) * 100;
  if (m.previous === 0) return m.change === 0 ? 0 : 100;
  return Math.abs(m.change / m.previous) * 100;
}

export function percentOf(part: number, whole: number): string {
  if (!whole) return '0%';
  return `${formatNumberVi((part / whole) * 100, 1)}%`;
}

/** A rating as a sentence says it: "mức 4 (Rất tốt)"; a mean between levels keeps its decimals ("mức 3,5"). */
export function levelWords(v: number): string {
  const label = Number.isInteger(v) ? RATING_LABELS[v] : undefined;
  return `mức ${formatNumberVi(v, 1)}${label ? ` (${label})` : ''}`;
}

/**
 * A change said as a change, without arrows: "tăng từ 42,6% lên 43,8%", "từ mức 5 (Xuất sắc) xuống mức 4 (Rất tốt)",
 * "không đổi (45%)"; with `years`, each figure's year ("giảm từ 3,6% năm 2023 xuống 2,8% năm 2024").
 */
export function changeWords(m: Pick<MeasureScore, 'previous' | 'value' | 'unit' | 'derive'>, years?: [number, number]): string {
  if (m.previous === null || m.value === null) return '';
  const rating = m.derive === 'rating';
  const show = (v: number) => (rating ? levelWords(v) : formatValue(v, m.unit));
  const [a, b] = years ? [` năm ${years[0]}`, ` năm ${years[1]}`] : ['', ''];
  if (m.value === m.previous) return `không đổi (${show(m.value)}${b})`;
  const up = m.value > m.previous;
  return `${rating ? '' : up ? 'tăng ' : 'giảm '}từ ${show(m.previous)}${a} ${up ? 'lên' : 'xuống'} ${show(m.value)}${b}`;
}
