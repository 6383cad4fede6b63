import Table from 'cli-table3';
import { UserError } from '../errors.ts';

export type OutputFormat = 'table' | 'json' | 'csv';

/** Checks a --format value against the formats a command offers. */
export function parseFormat<T extends string>(value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UserError(`--format "${value}" không hợp lệ: chọn một trong ${allowed.join(', ')}.`);
  }
  return value as T;
}

/** A table for the terminal; wraps long texts at a width that fits the screen. */
export function renderTable(head: string[], rows: (string | number)[][], colWidths?: (number | null)[]): string {
  const table = new Table({
    head,
    // No colour codes when the output goes to a file or a pipe.
    style: process.stdout.isTTY ? { head: ['cyan'], border: ['grey'] } : { head: [], border: [] },
    wordWrap: true,
    wrapOnWordBoundary: true,
    ...(colWidths ? { colWidths } : {}),
  });
  for (const r of rows) table.push(r.map((c) => String(c)));
  return table.toString();
}

/** RFC 4180 CSV with a header row, UTF-8 with BOM so that Excel opens Vietnamese text correctly. */
export function renderCsv(head: string[], rows: (string | number | null)[][]): string {
  const esc = (v: string | number | null) => {
    const s = v === null ? '' : String(v);
    return /[",\n\r;]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return '\uFEFF' + [head, ...rows].map((r) => r.map(esc).join(',')).join('\r\n') + '\r\n';
}

export function renderJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}

/**
 * Parses a year option: four digits, within the years hoctap accepts (the learning-city programme runs 2021–2030 with
 * 2020 as its baseline year; a year past 2100 is a typing mistake).
 */
export function parseYear(value: string | undefined, required: true): number;
export function parseYear(value: string | undefined, required?: false): number | undefined;
export function parseYear(value: string | undefined, required = false): number | undefined {
  if (value === undefined) {
    if (required) throw new UserError('Thiếu --year: hãy cho biết năm báo cáo, ví dụ --year 2024.');
    return undefined;
  }
  if (!/^\d{4}$/.test(value.trim())) {
    throw new UserError(`--year "${value}" không hợp lệ: cần một năm có 4 chữ số, ví dụ 2024.`);
  }
  const year = Number(value.trim());
  const [min, max] = [2020, 2100];
  if (year < min || year > max) {
    throw new UserError(`--year ${year} không hợp lệ: năm báo cáo phải từ ${min} đến ${max} ` +
      `(chương trình xây dựng thành phố học tập giai đoạn 2021–2030, lấy năm ${min} làm năm gốc; năm khác thường là gõ nhầm).`);
  }
  return year;
}

/** A progress line on stderr, only when stderr is a terminal. */
export function progress(label: string, total: number): { tick: (detail?: string) => void; done: () => void } {
  const tty = process.stderr.isTTY === true;
  let n = 0;
  return {
    tick(detail) {
      n++;
      if (!tty) return;
      const width = 24;
      const filled = total ? Math.round((n / total) * width) : width;
      const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
      process.stderr.write(`\r${label} ${bar} ${n}/${total}${detail ? ' ' + detail : ''}`.slice(0, (process.stderr.columns ?? 100) - 1).padEnd(Math.min(process.stderr.columns ?? 100, 100) - 1));
    },
    done() {
      if (tty) process.stderr.write('\r' + ' '.repeat(Math.min(process.stderr.columns ?? 100, 100) - 1) + '\r');
    },
  };
}
