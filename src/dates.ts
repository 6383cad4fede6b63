/**
 * Dates as the analyst means them: calendar days in Vietnam (UTC+7, no daylight saving), whatever the machine's zone.
 * The one clock rule: instants are stored as UTC ISO strings (`storedInstant`); people, and the names of files people
 * open, see Vietnam time (`formatDayVi`, `adminDateWords`, `fileStamp`).
 */
const VIETNAM_OFFSET_MS = 7 * 3600 * 1000;

export interface CalendarDay { year: number; month: number; day: number }

/** The calendar day in Vietnam of an instant. */
export function vietnamDay(instant: Date): CalendarDay {
  const shifted = new Date(instant.getTime() + VIETNAM_OFFSET_MS);
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

/** The last instant of a calendar day in Vietnam. */
export function endOfVietnamDay(year: number, month: number, day: number): Date {
  return new Date(Date.UTC(year, month - 1, day, 23, 59, 59, 999) - VIETNAM_OFFSET_MS);
}

/**
 * dd/mm/yyyy: an instant in Vietnam time; a bare "YYYY-MM-DD" is a calendar day already (no shift).
 * An unreadable value is returned as it is.
 */
export function formatDayVi(value: string | Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const bare = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
  if (bare) return `${bare[3]}/${bare[2]}/${bare[1]}`;
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  const { year, month, day } = vietnamDay(d);
  return `${p(day)}/${p(month)}/${year}`;
}

/** "09/12/2024 14:30": an instant in Vietnam time to the minute (who changed what, when). Unreadable: as it is. */
export function formatMomentVi(value: string | Date): string {
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  const v = new Date(d.getTime() + VIETNAM_OFFSET_MS);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${formatDayVi(d)} ${p(v.getUTCHours())}:${p(v.getUTCMinutes())}`;
}

/** "ngày 05 tháng 01 năm 2025": Decree 30 writes a day below 10 and the months 1 and 2 with a leading zero. */
export function adminDateWords(d: CalendarDay): string {
  const day = d.day < 10 ? `0${d.day}` : String(d.day);
  const month = d.month <= 2 ? `0${d.month}` : String(d.month);
  return `ngày ${day} tháng ${month} năm ${d.year}`;
}

/**
 * A calendar day as a person types it: "2024-12-09" or "09/12/2024" (also "9/12/2024"); null when it is not a real
 * date. The one parser of every date option.
 */
export function parseDayInput(text: string): CalendarDay | null {
  const t = text.trim();
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  const vi = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(t);
  const [year, month, day] = iso ? [iso[1], iso[2], iso[3]].map(Number) : vi ? [vi[3], vi[2], vi[1]].map(Number) : [NaN, NaN, NaN];
  if (!Number.isInteger(year)) return null;
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return { year, month, day };
}

/** The instant stored for a day given without a time (midnight UTC, which is the same day in Vietnam). */
export function instantOfDay(d: CalendarDay): Date {
  return new Date(Date.UTC(d.year, d.month - 1, d.day));
}

/** An instant as stored (database, journal, snapshots, JSON): UTC ISO 8601. */
export function storedInstant(instant: Date): string {
  return instant.toISOString();
}

/** "2024-12-09_143005": an instant in Vietnam time for a file or folder name (sorts by time, no ":" for Windows). */
export function fileStamp(instant: Date): string {
  const v = new Date(instant.getTime() + VIETNAM_OFFSET_MS);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${v.getUTCFullYear()}-${p(v.getUTCMonth() + 1)}-${p(v.getUTCDate())}_${p(v.getUTCHours())}${p(v.getUTCMinutes())}${p(v.getUTCSeconds())}`;
}
