import Table from 'cli-table3';
import chalk from 'chalk';
import { UserError } from '../errors.ts';


/** Checks a --format value against the formats a command offers. */
export function parseFormat<T extends string>(value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UserError(`--format "${value}" không hợp lệ: chọn một trong ${allowed.join(', ')}.`);
  }
  return value as T;
}

/** The width text output must fit: the terminal's, else $COLUMNS, else 80 (a file, a pipe, an e-mail). */
export function outputWidth(stream: { isTTY?: boolean; columns?: number } = process.stdout): number {
  const env = Number(process.env.COLUMNS);
  const w = stream.isTTY && stream.columns ? stream.columns : Number.isInteger(env) && env > 0 ? env : 80;
  return Math.max(40, w);
}

/** Colour only for a person at a terminal: NO_COLOR turns it off, FORCE_COLOR on (https://no-color.org). */
export function useColour(stream: { isTTY?: boolean } = process.stdout): boolean {
  if (process.env.NO_COLOR) return false;
  if (process.env.FORCE_COLOR !== undefined) return process.env.FORCE_COLOR !== '0';
  return stream.isTTY === true;
}

/** The narrowest a column gets before it is dropped: its header's longest word, at least 6 characters. */
const MIN_COLUMN = 6;

export interface TableFit {
  /** Columns to leave out first, in order, when even their narrowest widths do not fit (default: from the right). */
  dropOrder?: number[];
  width?: number;
}

/**
 * Column widths that fit `width` (borders included): each column gets what its content needs up to its preferred
 * width; the widest shrink first (long texts wrap inside their cells); when even the narrowest do not fit, columns are
 * dropped in `dropOrder`. Returns the kept columns and their widths.
 */
export function fitColumns(head: string[], rows: string[][], preferred: (number | null)[] | undefined, fit: TableFit = {}): { keep: number[]; widths: number[] } {
  const total = fit.width ?? outputWidth();
  const longest = (s: string) => Math.max(0, ...s.split('\n').map((l) => [...l].length));
  const natural = head.map((h, i) => {
    const content = Math.max(longest(h), ...rows.map((r) => longest(r[i] ?? ''))) + 2;
    const pref = preferred?.[i];
    return pref ? Math.min(pref, content) : content;
  });
  const minimum = head.map((h, i) => Math.min(natural[i], Math.max(MIN_COLUMN, Math.max(...h.split(/\s+/).map((w) => [...w].length)) + 2)));
  const keep = head.map((_, i) => i);
  const dropOrder = fit.dropOrder ?? [...keep].reverse();
  const widths = () => keep.map((i) => natural[i]);
  const span = (ws: number[]) => ws.reduce((a, b) => a + b, 0) + keep.length + 1;
  let ws = widths();
  while (span(ws) > total) {
    // Shrink the widest column that can still give way, one character at a time (the widest shrink first).
    let widest = -1;
    for (let k = 0; k < keep.length; k++) if (ws[k] > minimum[keep[k]] && (widest < 0 || ws[k] > ws[widest])) widest = k;
    if (widest >= 0) {
      ws[widest]--;
      continue;
    }
    const drop = dropOrder.find((i) => keep.includes(i) && keep.length > 1);
    if (drop === undefined) break;
    keep.splice(keep.indexOf(drop), 1);
    ws = keep.map((i) => natural[i]);
  }
  return { keep, widths: ws };
}

/** A table for people: fits the output's width (long texts wrap in their cells, see fitColumns); colour only at a terminal. */
export function renderTable(head: string[], rows: (string | number)[][], colWidths?: (number | null)[], fit: TableFit = {}): string {
  const cells = rows.map((r) => r.map((c) => String(c)));
  const { keep, widths } = fitColumns(head, cells.map((r) => r.map(stripAnsi)), colWidths, fit);
  const table = new Table({
    head: keep.map((i, k) => wrapText(head[i], widths[k] - 2)),
    style: useColour() ? { head: ['cyan'], border: ['grey'] } : { head: [], border: [] },
    colWidths: widths,
  });
  for (const r of cells) table.push(keep.map((i, k) => wrapText(r[i] ?? '', widths[k] - 2)));
  return table.toString();
}

/** Wraps text at word boundaries to `width` characters; a word longer than that is broken, never cut off. */
export function wrapText(text: string, width: number): string {
  const w = Math.max(1, width);
  return text.split('\n').map((line) => {
    const out: string[] = [];
    let current = '';
    const visible = (x: string) => [...stripAnsi(x)].length;
    for (const word of line.split(/ +/)) {
      let rest = word;
      while (visible(rest) > w) {
        if (current) { out.push(current); current = ''; }
        const chars = [...rest];
        out.push(chars.slice(0, w).join(''));
        rest = chars.slice(w).join('');
      }
      if (!current) current = rest;
      else if (visible(current) + 1 + visible(rest) <= w) current += ' ' + rest;
      else { out.push(current); current = rest; }
    }
    out.push(current);
    return out.join('\n');
  }).join('\n');
}

/** Text without terminal colour codes (for measuring, and for output that is not a terminal). */
export function stripAnsi(s: string): string {
  return s.replace(/\u001b\[[0-9;]*m/g, '');
}

export { renderCsv } from '../csv-write.ts';

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

// chalk decides by itself whether to colour; NO_COLOR and FORCE_COLOR must win, for every command's output.
chalk.level = useColour() ? Math.max(chalk.level, 1) as typeof chalk.level : 0;
