import crypto from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import type { Catalog } from '../../src/catalog/types.ts';
import type { SubmissionStatus } from './sqlite.ts';

export interface SeedSubmission {
  unitCode: string;
  year: number;
  /** ISO date-time; default 15 November of the year, 08:00 UTC (before every profile's deadline). */
  receivedAt?: string;
  status?: SubmissionStatus;
  /** field id → value: numbers (percent, count, number, rating) go to value_num, texts (Tăng/Giảm, evidence) to value_text. */
  values: Record<string, number | string>;
  /** narrative section id → text. */
  narratives?: Record<string, string>;
  errors?: number;
  warnings?: number;
  fileName?: string;
  /** For a superseded submission: the id of the one that replaced it. */
  supersededBy?: number;
}

let counter = 0;

/**
 * Inserts one submission as ingest would have stored it (without going through a workbook), with its field values and
 * narratives, so that scoring, status and report tests can build multi-unit scenarios in a real database.
 * Returns the submission id. An unknown field id throws: a test that names a wrong field must not pass silently.
 */
export function seedSubmission(db: DatabaseSync, s: SeedSubmission, catalog: Catalog): number {
  const status = s.status ?? 'accepted';
  const receivedAt = s.receivedAt ?? `${s.year}-11-15T08:00:00.000Z`;
  const fileName = s.fileName ?? `${s.unitCode}_${s.year}.xlsx`;
  const sha = crypto.createHash('sha256').update(`${s.unitCode}|${s.year}|${receivedAt}|${++counter}|${process.pid}`).digest('hex');
  const rows = Object.entries(s.values).map(([fieldId, value]) => {
    const field = catalog.fieldById.get(fieldId);
    if (!field) throw new Error(`seedSubmission: ô "${fieldId}" không có trong danh mục`);
    return { fieldId, indicatorId: field.indicatorId, value };
  });
  const info = db.prepare(`
    INSERT INTO submissions (unit_code, year, file_name, sha256, archive_path, source_kind, catalog_version, template_version,
      received_at, ingested_at, status, error_count, warning_count, value_count, superseded_by)
    VALUES (?, ?, ?, ?, ?, 'xlsx', ?, '1', ?, ?, ?, ?, ?, ?, ?)`).run(
    s.unitCode, s.year, fileName, sha, `archive/${s.year}/${s.unitCode}/${sha.slice(0, 12)}.xlsx`, catalog.version,
    receivedAt, receivedAt, status, s.errors ?? 0, s.warnings ?? 0, rows.length, s.supersededBy ?? null,
  );
  const id = Number(info.lastInsertRowid);
  const insertValue = db.prepare(`
    INSERT INTO field_values (submission_id, field_id, indicator_id, raw, value_num, value_text, sheet, cell)
    VALUES (?, ?, ?, ?, ?, ?, 'ChiSo', NULL)`);
  for (const r of rows) {
    const isNumber = typeof r.value === 'number';
    insertValue.run(id, r.fieldId, r.indicatorId, String(r.value), isNumber ? r.value : null, isNumber ? null : String(r.value));
  }
  const insertNarrative = db.prepare('INSERT INTO narratives (submission_id, section_id, text) VALUES (?, ?, ?)');
  for (const [sectionId, text] of Object.entries(s.narratives ?? {})) insertNarrative.run(id, sectionId, text);
  return id;
}
