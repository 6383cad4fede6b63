/**
 * Words that change with the period: the level of local government ("quận, huyện" up to 2024, "xã, phường, đặc khu"
 * from the 2025 reform) and the departments' names before and after the 2025 mergers. The words live in
 * seeds/catalog/periods.csv (and a profile's catalog/periods.csv); catalog texts name them as {key}.
 */
import path from 'node:path';
import { z } from 'zod';
import { readCsvRows, cell } from './csv-file.ts';
import { DataFileError } from '../errors.ts';

/** The key whose text names the level of local government that reports (compared across years). */
export const LEVEL_KEY = 'cap_chinh_quyen';
/** Keys `agency:CODE` give a department's name in a period. */
export const AGENCY_KEY_PREFIX = 'agency:';

export interface PeriodWord {
  key: string;
  /** null: from the beginning. */
  fromYear: number | null;
  text: string;
  source: string;
  note: string;
}

const schema = z.object({
  key: cell.required('khóa').regex(/^[a-z_]+(:[A-Za-z0-9_-]+)?$/, { error: 'khóa chỉ gồm chữ thường không dấu và "_" (hoặc agency:MÃ)' }),
  from_year: cell.optional().refine((s) => s === '' || /^\d{4}$/.test(s), { error: 'năm bắt đầu phải có 4 chữ số hoặc để trống (từ đầu)' }),
  text: cell.required('nội dung'),
  source: cell.optional(),
  note: cell.optional(),
});

/** Reads period files in order; a later file's row replaces an earlier row with the same key and starting year. */
export function loadPeriods(files: string[]): PeriodWord[] {
  const byKey = new Map<string, PeriodWord>();
  for (const file of files) {
    const shown = path.relative(process.cwd(), file) || file;
    const seen = new Set<string>();
    readCsvRows(file, schema, shown).forEach((r, i) => {
      const id = `${r.key}@${r.from_year}`;
      if (seen.has(id)) throw new DataFileError(shown, `khóa "${r.key}" với năm bắt đầu "${r.from_year}" bị trùng`, i + 2, 'key');
      seen.add(id);
      byKey.set(id, { key: r.key, fromYear: r.from_year ? Number(r.from_year) : null, text: r.text.normalize('NFC'), source: r.source, note: r.note });
    });
  }
  return [...byKey.values()];
}

/**
 * The words in force in a year: for each key, the row with the latest starting year not after it.
 * Without a year: the latest row of each key (the wording in force now).
 */
export function wordsForYear(periods: PeriodWord[], year: number | null): Map<string, string> {
  const best = new Map<string, PeriodWord>();
  for (const p of periods) {
    const from = p.fromYear ?? -Infinity;
    if (year !== null && from > year) continue;
    const cur = best.get(p.key);
    if (!cur || from > (cur.fromYear ?? -Infinity)) best.set(p.key, p);
  }
  return new Map([...best].map(([k, p]) => [k, p.text]));
}

const PLACEHOLDER = /\{([a-z_]+)\}/g;

/** The placeholders a text names. */
export function placeholdersOf(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]);
}

/** Replaces {key} by the period's words; an unknown key is left as written (loadCatalog rejects it first). */
export function fillWords(text: string, words: Map<string, string>): string {
  return text.replace(PLACEHOLDER, (all, key: string) => words.get(key) ?? all);
}

/** The level of local government that reports in a year ("cấp huyện", "cấp xã"), or null when the data has none. */
export function levelOfYear(periods: PeriodWord[], year: number): string | null {
  return wordsForYear(periods, year).get(LEVEL_KEY) ?? null;
}
