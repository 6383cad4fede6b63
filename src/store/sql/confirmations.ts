/**
 * The analyst's confirmations of figures a query found impossible (schema 6, table confirmations) through the query
 * layer: each tied to the submission in force when it was made, and written to the journal so that rebuild makes it
 * again (as src/store/sqlite/confirmations.ts).
 */
import { UserError } from '../../errors.ts';
import type { Confirmation } from '../store.ts';
import { inForce } from './reads.ts';
import type { SqlSession } from './session.ts';
import { nextId } from './ids.ts';

export function confirmFigures(s: SqlSession, x: Omit<Confirmation, 'id' | 'submissionId'>): Promise<Confirmation> {
  return s.run(async () => {
    const current = await inForce(s, x.unitCode, x.year);
    if (!current) throw new UserError(`Đơn vị ${x.unitCode} chưa có số liệu đang dùng của năm ${x.year}: không có gì để xác nhận.`);
    const { id: rawId } = await s.db.insertInto('confirmations').values({
      id: nextId('confirmations'), at: x.at, user_name: x.user, unit_code: x.unitCode, year: x.year, indicator_id: x.indicatorId,
      submission_id: current.id, reason: x.reason,
    }).returning('id').executeTakeFirstOrThrow();
    const id = Number(rawId);
    await s.writeJournal({
      type: 'confirmation', id, at: x.at, user: x.user, unit: x.unitCode, year: x.year, indicator: x.indicatorId, submission: current.id, reason: x.reason,
    }, current.id);
    return { ...x, id, submissionId: current.id };
  });
}

export async function confirmationsOfYear(s: SqlSession, year: number): Promise<Confirmation[]> {
  const rows = await s.db.selectFrom('confirmations').selectAll().where('year', '=', year).orderBy('id').execute();
  return rows.map((r) => ({
    id: Number(r.id), at: r.at, user: r.user_name, unitCode: r.unit_code, year: Number(r.year), indicatorId: r.indicator_id,
    submissionId: Number(r.submission_id), reason: r.reason,
  }));
}
