/**
 * What the store must hold whatever files reached it: every stored value obeys its kind's rules (range, integer,
 * direction words, text length), statuses agree with error counts, value counts with the values stored, one
 * submission in force per unit and year, no empty narrative.
 */
import fs from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { DIRECTION_LABELS } from '../../src/catalog/types.ts';
import type { Workspace } from '../../src/catalog/workspace.ts';
import { explanationFieldId } from '../../src/catalog/ids.ts';
import { KIND_RANGES, TEXT_MAX_CHARS } from '../../src/ingest/values.ts';
import { Broken } from './broken.ts';

interface ValueRow { submission_id: number; field_id: string; indicator_id: string; value_num: number | null; value_text: string | null }

function checkValue(ws: Workspace, v: ValueRow): void {
  const where = `submission ${v.submission_id}, ${v.field_id} = ${JSON.stringify(v.value_num ?? v.value_text)}`;
  const fail = (what: string) => { throw new Broken(`stored value breaks its kind's rules (${what}): ${where}`); };
  // An indicator's explanation (Giải trình) is stored as a text of its indicator, never as a figure.
  if (v.field_id === explanationFieldId(v.indicator_id)) {
    if (v.value_num !== null || typeof v.value_text !== 'string') fail('explanation');
    return;
  }
  // A narrative section's activity figure: a count of no indicator.
  const activity = ws.catalog.narratives.flatMap((n) => n.figures).find((f) => f.id === v.field_id);
  const field = ws.catalog.fieldById.get(v.field_id) ?? (activity && { kind: 'count' as const, indicatorId: '' });
  if (!field) return fail('unknown field');
  if (field.indicatorId !== v.indicator_id) fail(`indicator ${field.indicatorId}`);
  if (field.kind === 'percent' || field.kind === 'count' || field.kind === 'number' || field.kind === 'rating') {
    const r = KIND_RANGES[field.kind];
    const n = v.value_num;
    if (typeof n !== 'number' || !Number.isFinite(n)) return fail(`${field.kind}: not a finite number`);
    if (n < r.min || (r.max !== null && n > r.max)) fail(`${field.kind}: out of range`);
    if (r.integer && !Number.isInteger(n)) fail(`${field.kind}: not an integer`);
  } else if (field.kind === 'direction') {
    if (v.value_text !== DIRECTION_LABELS.up && v.value_text !== DIRECTION_LABELS.down) fail('direction');
  } else if (typeof v.value_text !== 'string' || v.value_text.length === 0 || v.value_text.length > TEXT_MAX_CHARS) {
    fail('text');
  }
}

/** Checks the store; the values of submissions up to `since` were checked before. Returns the last submission id. */
export function checkStoreRules(ws: Workspace, since = 0): number {
  // The fuzz workspaces hold valid figures before any mutation: a store that is not there checks nothing, so it fails.
  if (!fs.existsSync(ws.dbPath)) throw new Broken(`no store at ${ws.dbPath}: ingest stored nothing, not even the valid files`);
  const d = new DatabaseSync(ws.dbPath, { readOnly: true });
  try {
    for (const v of d.prepare('SELECT submission_id, field_id, indicator_id, value_num, value_text FROM field_values WHERE submission_id > ?').all(since) as unknown as ValueRow[]) checkValue(ws, v);
    const subs = d.prepare('SELECT id, unit_code, year, status, error_count, value_count FROM submissions').all() as
      { id: number; unit_code: string; year: number; status: string; error_count: number; value_count: number }[];
    const counts = new Map((d.prepare('SELECT submission_id, count(*) AS n FROM field_values GROUP BY submission_id').all() as { submission_id: number; n: number }[]).map((r) => [r.submission_id, r.n]));
    const inForce = new Map<string, number>();
    for (const s of subs) {
      if (!['accepted', 'rejected', 'superseded', 'held'].includes(s.status)) throw new Broken(`submission ${s.id}: status ${s.status}`);
      if ((s.status === 'rejected') !== (s.error_count > 0)) throw new Broken(`submission ${s.id}: ${s.status} with ${s.error_count} errors`);
      if ((counts.get(s.id) ?? 0) !== s.value_count) throw new Broken(`submission ${s.id}: value_count ${s.value_count}, ${counts.get(s.id) ?? 0} values stored`);
      if (s.status === 'accepted') inForce.set(`${s.unit_code}|${s.year}`, (inForce.get(`${s.unit_code}|${s.year}`) ?? 0) + 1);
    }
    for (const [k, n] of inForce) if (n !== 1) throw new Broken(`${n} submissions in force for ${k}`);
    for (const n of d.prepare('SELECT text FROM narratives WHERE submission_id > ?').all(since) as { text: string }[]) {
      if (n.text.trim() === '') throw new Broken('an empty narrative was stored');
    }
    return subs.reduce((m, s) => Math.max(m, s.id), since);
  } finally {
    d.close();
  }
}
