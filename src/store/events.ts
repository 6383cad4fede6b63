/**
 * What is in force, and every change of it. For each unit and year at most one submission is in force (status
 * 'accepted'); the others stay stored with their values: 'superseded' (in force once), 'held' (kept, never in force
 * yet), 'rejected'. A change is an event (table events, and a line of the journal): when, by whom, why, which
 * submission went in force and which went out. Nothing is ever deleted.
 */
import os from 'node:os';
import type { DatabaseSync } from 'node:sqlite';
import { UserError } from '../errors.ts';
import { inTransaction, statement, writeJournal } from './db.ts';
import type { InForceReason } from './journal.ts';
import { submissionById, type SubmissionRow } from './queries.ts';

export type { InForceReason } from './journal.ts';

export interface EventRow {
  id: number;
  at: string;
  user: string | null;
  reason: InForceReason;
  unit_code: string;
  year: number;
  in_force: number | null;
  out_of_force: number | null;
}

/** The OS user running hoctap (recorded with every change). */
export function currentUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    // No passwd entry (some containers): the environment's word for it.
    return process.env.USER ?? process.env.USERNAME ?? 'không rõ';
  }
}

/** Records one change of what is in force (inside the caller's transaction). */
export function recordEvent(db: DatabaseSync, e: Omit<EventRow, 'id'>): number {
  const id = Number(statement(db, `INSERT INTO events (at, user, reason, unit_code, year, in_force, out_of_force) VALUES (?, ?, ?, ?, ?, ?, ?)`)
    .run(e.at, e.user, e.reason, e.unit_code, e.year, e.in_force, e.out_of_force).lastInsertRowid);
  writeJournal(db, { type: 'event', id, at: e.at, user: e.user, reason: e.reason, unit: e.unit_code, year: e.year, in: e.in_force, out: e.out_of_force }, e.in_force);
  return id;
}

/** The events, oldest first; optionally of one unit and/or year. */
export function eventsOf(db: DatabaseSync, unitCode?: string, year?: number): EventRow[] {
  return db.prepare(`SELECT * FROM events WHERE (?1 IS NULL OR unit_code = ?1) AND (?2 IS NULL OR year = ?2) ORDER BY id`)
    .all(unitCode ?? null, year ?? null) as unknown as EventRow[];
}

/** The submission in force for a unit and year, if any. */
export function inForce(db: DatabaseSync, unitCode: string, year: number): SubmissionRow | null {
  return (statement(db, `SELECT * FROM submissions WHERE unit_code = ? AND year = ? AND status = 'accepted'`).get(unitCode, year) as unknown as SubmissionRow | undefined) ?? null;
}

export type PutInForceResult =
  | { changed: true; eventId: number; in: SubmissionRow; out: SubmissionRow | null }
  | { changed: false; in: SubmissionRow };

/**
 * Puts a stored submission in force for its unit and year (a confirmation of a held one, or a restore of an earlier
 * one); the one in force until then is superseded by it. Refused, with a reason the analyst can act on: an unknown
 * id, a rejected submission, a confirmation of one that is not held. Already in force: nothing changes.
 */
export function putInForce(db: DatabaseSync, submissionId: number, reason: Exclude<InForceReason, 'file'>, user: string | null, at: Date = new Date()): PutInForceResult {
  return inTransaction(db, () => {
    const target = submissionById(db, submissionId);
    if (!target) throw new UserError(`Không có lần nhập #${submissionId}. Xem số thứ tự các lần nhập bằng "hoctap history".`);
    const what = `Lần nhập #${target.id} (tệp ${target.file_name}, đơn vị ${target.unit_code}, năm ${target.year})`;
    if (target.status === 'rejected') {
      throw new UserError(`${what} đã bị từ chối vì có ${target.error_count} lỗi: không thể đưa số liệu của nó vào dùng. Đơn vị cần gửi lại tệp đã sửa.`);
    }
    if (target.status === 'accepted') return { changed: false, in: target };
    if (reason === 'confirmation' && target.status !== 'held') {
      throw new UserError(`${what} không ở trạng thái tạm giữ nên không cần xác nhận; để dùng lại số liệu của nó, chạy "hoctap restore ${target.id}".`);
    }
    const out = inForce(db, target.unit_code, target.year);
    // One submission in force per unit and year (a unique index): the current one steps aside first.
    if (out) statement(db, `UPDATE submissions SET status = 'superseded', superseded_by = ? WHERE id = ?`).run(target.id, out.id);
    statement(db, `UPDATE submissions SET status = 'accepted', superseded_by = NULL WHERE id = ?`).run(target.id);
    const eventId = recordEvent(db, {
      at: at.toISOString(), user, reason, unit_code: target.unit_code, year: target.year, in_force: target.id, out_of_force: out?.id ?? null,
    });
    return { changed: true, eventId, in: submissionById(db, target.id)!, out: out ? submissionById(db, out.id) : null };
  });
}
