/**
 * Dates as the analyst means them: calendar days in Vietnam (UTC+7, no daylight saving), whatever the machine's zone.
 */
const VIETNAM_OFFSET_MS = 7 * 3600 * 1000;

/** The calendar day in Vietnam of an instant. */
export function vietnamDay(instant: Date): { year: number; month: number; day: number } {
  const shifted = new Date(instant.getTime() + VIETNAM_OFFSET_MS);
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

/** The last instant of a calendar day in Vietnam. */
export function endOfVietnamDay(year: number, month: number, day: number): Date {
  return new Date(Date.UTC(year, month - 1, day, 23, 59, 59, 999) - VIETNAM_OFFSET_MS);
}

/** The first instant of a calendar day in Vietnam ("2024-12-06" typed by the analyst). */
export function startOfVietnamDay(year: number, month: number, day: number): Date {
  return new Date(Date.UTC(year, month - 1, day) - VIETNAM_OFFSET_MS);
}

/** dd/mm/yyyy in Vietnam time; an unreadable value is returned as it is. */
export function formatDayVi(value: string | Date): string {
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  const { year, month, day } = vietnamDay(d);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(day)}/${p(month)}/${year}`;
}
