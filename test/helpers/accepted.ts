import fs from 'node:fs';
import { DatabaseSync } from 'node:sqlite';

/**
 * Every accepted (or once accepted, now superseded) submission, figure, narrative and contact of a store, as one string:
 * what a rejected file must not touch.
 */
export function acceptedDump(dbPath: string): string {
  if (!fs.existsSync(dbPath)) return 'no database';
  const d = new DatabaseSync(dbPath, { readOnly: true });
  try {
    const q = (sql: string) => d.prepare(sql).all();
    return JSON.stringify({
      submissions: q(`SELECT * FROM submissions WHERE status IN ('accepted', 'superseded') ORDER BY id`),
      values: q(`SELECT v.* FROM field_values v JOIN submissions s ON s.id = v.submission_id WHERE s.status IN ('accepted', 'superseded') ORDER BY v.submission_id, v.field_id`),
      narratives: q(`SELECT n.* FROM narratives n JOIN submissions s ON s.id = n.submission_id WHERE s.status IN ('accepted', 'superseded') ORDER BY n.submission_id, n.section_id`),
      contacts: q(`SELECT c.* FROM contacts c JOIN submissions s ON s.id = c.submission_id WHERE s.status IN ('accepted', 'superseded') ORDER BY c.submission_id`),
    });
  } finally {
    d.close();
  }
}
