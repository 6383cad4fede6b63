/** `hoctap status`: who has sent the year's workbook, on time or late, whose file waits, who was rejected, who is missing. */
import type { DatabaseSync } from 'node:sqlite';
import { deadlineFor, type Workspace } from '../catalog/workspace.ts';
import { submissionsOfYear, type SubmissionRow } from '../store/queries.ts';
import type { StatusReport, UnitStatus } from './types.ts';

const time = (iso: string) => {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t;
};

/**
 * Every unit of the roster, in roster order. The accepted submission decides (a resubmission replaces the earlier one,
 * so what counts is when the figures in use arrived); a unit with no figures in force but a held file (one that would
 * remove figures, kept until the analyst confirms it) is 'held', with the latest held file to confirm; a unit with only
 * rejected files is 'rejected' with the errors of its latest one; a later rejected file never undoes an accepted one.
 */
export function computeStatus(ws: Workspace, db: DatabaseSync, year: number): StatusReport {
  const deadline = deadlineFor(ws.profile, year);
  const byUnit = new Map<string, SubmissionRow[]>();
  for (const s of submissionsOfYear(db, year)) {
    const list = byUnit.get(s.unit_code);
    if (list) list.push(s);
    else byUnit.set(s.unit_code, [s]);
  }
  const latest = (rows: SubmissionRow[]) => rows.reduce((a, b) => (time(b.received_at) > time(a.received_at) || (time(b.received_at) === time(a.received_at) && b.id > a.id) ? b : a));

  const units: UnitStatus[] = ws.roster.map((u) => {
    const rows = byUnit.get(u.code) ?? [];
    const base = { unitCode: u.code, unitName: u.name, agencyCode: u.agencyCode, submissions: rows.length, heldSubmission: null };
    const accepted = rows.filter((r) => r.status === 'accepted');
    if (accepted.length > 0) {
      const a = latest(accepted);
      return { ...base, state: time(a.received_at) <= deadline.getTime() ? 'on_time' : 'late', receivedAt: a.received_at, fileName: a.file_name, errors: 0 };
    }
    const held = rows.filter((r) => r.status === 'held');
    if (held.length > 0) {
      const h = latest(held);
      return { ...base, state: 'held', receivedAt: h.received_at, fileName: h.file_name, errors: 0, heldSubmission: h.id };
    }
    const rejected = rows.filter((r) => r.status === 'rejected');
    if (rejected.length > 0) {
      const r = latest(rejected);
      return { ...base, state: 'rejected', receivedAt: r.received_at, fileName: r.file_name, errors: r.error_count };
    }
    return { ...base, state: 'missing', receivedAt: null, fileName: null, errors: 0 };
  });

  return {
    year,
    deadline: deadline.toISOString().slice(0, 10),
    units,
    toChase: units.filter((u) => u.state === 'rejected' || u.state === 'missing').map((u) => u.unitCode),
    toConfirm: units.filter((u) => u.state === 'held').map((u) => u.unitCode),
  };
}
