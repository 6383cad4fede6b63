/**
 * Part of migration 3, frozen with it: a workspace ingested before the event history existed gets the events and
 * journal lines its submissions imply, so that its history and `hoctap rebuild` start from everything it holds.
 * Who ingested those files is not known (user null).
 */
import type { DatabaseSync } from 'node:sqlite';
import type { EventEntry, JournalEntry, SubmissionEntry, UnattributedEntry } from '../journal.ts';

interface OldSubmission {
  id: number; unit_code: string; year: number; file_name: string; sha256: string; archive_path: string; source_kind: 'xlsx' | 'csv';
  received_at: string; ingested_at: string; status: string; superseded_by: number | null;
}

interface OldUnattributed { id: number; file_name: string; sha256: string; archive_path: string; received_at: string; ingested_at: string; code: string }

export function backfillHistory(db: DatabaseSync, journal: (entry: JournalEntry, submissionId: number | null) => void): void {
  const subs = db.prepare('SELECT * FROM submissions ORDER BY id').all() as unknown as OldSubmission[];
  const replaced = new Map<number, number>();
  for (const s of subs) if (s.superseded_by !== null) replaced.set(s.superseded_by, s.id);
  const insertEvent = db.prepare(`INSERT INTO events (at, user, reason, unit_code, year, in_force, out_of_force) VALUES (?, NULL, 'file', ?, ?, ?, ?)`);
  for (const s of subs) {
    const entry: SubmissionEntry = {
      type: 'submission', id: s.id, unit: s.unit_code, year: s.year, status: s.status === 'rejected' ? 'rejected' : 'accepted',
      file: s.file_name, label: s.file_name, sha256: s.sha256, archive: s.archive_path, kind: s.source_kind,
      receivedAt: s.received_at, ingestedAt: s.ingested_at, user: null, expectedYear: null,
    };
    journal(entry, s.id);
    if (s.status === 'rejected') continue;
    const out = replaced.get(s.id) ?? null;
    const id = Number(insertEvent.run(s.ingested_at, s.unit_code, s.year, s.id, out).lastInsertRowid);
    const event: EventEntry = { type: 'event', id, at: s.ingested_at, user: null, reason: 'file', unit: s.unit_code, year: s.year, in: s.id, out };
    journal(event, s.id);
  }
  for (const u of db.prepare('SELECT * FROM unattributed_files ORDER BY id').all() as unknown as OldUnattributed[]) {
    const entry: UnattributedEntry = {
      type: 'unattributed', id: u.id, file: u.file_name, label: u.file_name, sha256: u.sha256, archive: u.archive_path, code: u.code,
      receivedAt: u.received_at, ingestedAt: u.ingested_at, user: null, expectedYear: null,
    };
    journal(entry, null);
  }
}
