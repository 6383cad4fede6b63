/** `hoctap status`: who has sent the year's workbook, on time or late, whose file waits, who was rejected, who is missing. */
import { deadlineFor, type Workspace } from '../catalog/workspace.ts';
import type { Store, Submission } from '../store/store.ts';
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
export async function computeStatus(ws: Workspace, db: Store, year: number): Promise<StatusReport> {
  const deadline = deadlineFor(ws.profile, year);
  const byUnit = new Map<string, Submission[]>();
  for (const s of await db.submissionsOfYear(year)) {
    const list = byUnit.get(s.unitCode);
    if (list) list.push(s);
    else byUnit.set(s.unitCode, [s]);
  }
  const latest = (rows: Submission[]) => rows.reduce((a, b) => (time(b.receivedAt) > time(a.receivedAt) || (time(b.receivedAt) === time(a.receivedAt) && b.id > a.id) ? b : a));

  const units: UnitStatus[] = ws.roster.map((u) => {
    const rows = byUnit.get(u.code) ?? [];
    const base = { unitCode: u.code, unitName: u.name, agencyCode: u.agencyCode, submissions: rows.length, heldSubmission: null };
    const accepted = rows.filter((r) => r.status === 'accepted');
    if (accepted.length > 0) {
      const a = latest(accepted);
      return { ...base, state: time(a.receivedAt) <= deadline.getTime() ? 'on_time' : 'late', receivedAt: a.receivedAt, fileName: a.fileName, errors: 0 };
    }
    const held = rows.filter((r) => r.status === 'held');
    if (held.length > 0) {
      const h = latest(held);
      return { ...base, state: 'held', receivedAt: h.receivedAt, fileName: h.fileName, errors: 0, heldSubmission: h.id };
    }
    const rejected = rows.filter((r) => r.status === 'rejected');
    if (rejected.length > 0) {
      const r = latest(rejected);
      return { ...base, state: 'rejected', receivedAt: r.receivedAt, fileName: r.fileName, errors: r.errorCount };
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
