/** The store's tables as the query layer (Kysely) sees them, on either engine (schema: src/store/sqlite/schema.ts). */
import type { Generated } from 'kysely';
import type { InForceReason } from '../journal.ts';
import type { SubmissionStatus } from '../store.ts';

export interface SubmissionsTable {
  id: Generated<number>; unit_code: string; year: number; file_name: string; sha256: string; archive_path: string; source_kind: 'xlsx' | 'csv';
  catalog_version: string | null; template_version: string | null; received_at: string; ingested_at: string; status: SubmissionStatus;
  error_count: number; warning_count: number; value_count: number; superseded_by: number | null;
}

export interface FieldValuesTable {
  submission_id: number; field_id: string; indicator_id: string; raw: string | null; value_num: number | null; value_text: string | null;
  sheet: string | null; cell: string | null; line: number | null; note: string | null;
}

export interface MessagesTable {
  id: Generated<number>; submission_id: number; severity: 'error' | 'warning'; code: string; sheet: string | null; cell: string | null;
  line: number | null; indicator_id: string | null; field_id: string | null; value_seen: string | null; expected: string | null; text: string;
  params: string | null;
}

export interface NarrativesTable { submission_id: number; section_id: string; text: string }

export interface ContactsTable { submission_id: number; name: string | null; position: string | null; phone: string | null; email: string | null }

export interface UnattributedTable {
  id: Generated<number>; file_name: string; sha256: string; archive_path: string; received_at: string; ingested_at: string; code: string; reason: string;
}

export interface EventsTable {
  id: Generated<number>; at: string; user: string | null; reason: InForceReason; unit_code: string; year: number;
  in_force: number | null; out_of_force: number | null;
}

export interface JournalTable { seq: Generated<number>; submission_id: number | null; line: string; end_offset: number | null }

/** PostgreSQL only: the original bytes of every file received (on the embedded store they are files in archive/). */
export interface ArchiveFilesTable { sha256: string; ext: string; bytes: Uint8Array; size: number }

/** PostgreSQL only: the workspace's files every analyst must see alike (a year's snapshot, roster, config), by path. */
export interface WorkspaceFilesTable { path: string; content: string; updated_at: string; updated_by: string | null }

export interface Tables {
  submissions: SubmissionsTable;
  field_values: FieldValuesTable;
  messages: MessagesTable;
  narratives: NarrativesTable;
  contacts: ContactsTable;
  unattributed_files: UnattributedTable;
  events: EventsTable;
  journal: JournalTable;
  archive_files: ArchiveFilesTable;
  workspace_files: WorkspaceFilesTable;
}
