/**
 * The one CSV writer of every file hoctap writes (listings, feedback copies): RFC 4180, UTF-8 with BOM so that Excel
 * opens Vietnamese text correctly, and inert in a spreadsheet: a text cell that starts with = + - @ (or a tab or
 * carriage return) would be run as a formula by Excel, so it is written with a leading apostrophe, as OWASP advises.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  const s = FORMULA_START.test(v) ? `'${v}` : v;
  return /[",\n\r;]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function renderCsv(head: string[], rows: (string | number | null | undefined)[][]): string {
  const lines = [head, ...rows].map((r) => r.map(csvCell).join(','));
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}
