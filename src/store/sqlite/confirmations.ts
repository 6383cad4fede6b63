/**
 * The analyst's confirmations of figures a query found impossible (schema 7, table confirmations): each tied to the
 * submission in force when it was made, and written to the journal so that rebuild makes it again.
 */
import { UserError } from '../../errors.ts';
import type { Confirmation } from '../store.ts';
import type { SqliteConnection } from './connection.ts';
import { inForce } from './reads.ts';

interface Row {
  id: number; at: string; user_name: string | null; unit_code: string; year: number; indicator_id: string; submission_id: number; reason: string;
}

const confirmation = (r: Row): Confirmation => ({
  id: r.id, at: r.at, user: r.user_name, unitCode: r.unit_code, year: r.year, indicatorId: r.indicator_id, submissionId: r.submission_id, reason: r.reason,
});

export function confirmFigures(c: SqliteConnection, x: Omit<Confirmation, 'id' | 'submissionId'>): Confirmation {
  return c.run(() => {
    const current = inForce(c, x.unitCode, x.year);
    if (!current) throw new UserError(`Đơn vị ${x.unitCode} chưa có số liệu đang dùng của năm ${x.year}: không có gì để xác nhận.`);
    const id = Number(c.statement(`INSERT INTO confirmations (at, user_name, unit_code, year, indicator_id, submission_id, reason) VALUES (?, ?, ?, ?, ?, ?, ?)`)
      .run(x.at, x.user, x.unitCode, x.year, x.indicatorId, current.id, x.reason).lastInsertRowid);
    c.writeJournal({ type: 'confirmation', id, at: x.at, user: x.user, unit: x.unitCode, year: x.year, indicator: x.indicatorId, submission: current.id, reason: x.reason }, current.id);
    return { ...x, id, submissionId: current.id };
  });
}

export function confirmationsOfYear(c: SqliteConnection, year: number): Confirmation[] {
  return (c.statement('SELECT * FROM confirmations WHERE year = ? ORDER BY id').all(year) as unknown as Row[]).map(confirmation);
}
