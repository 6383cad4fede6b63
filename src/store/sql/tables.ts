/** The store's tables as the query layer (Kysely) sees them, on either engine (schema: src/store/sqlite/schema.ts). */
import type { Generated } from 'kysely';
import type { InForceReason } from '../journal.ts';
import type { MailKind, NewItem, OutboxState, ReviewAction, ReviewState, SubmissionStatus } from '../store.ts';

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

/** Schema 5: every message to a unit (src/store/sqlite/outbox.ts). */
export interface OutboxTable {
  id: Generated<number>; unit_code: string; year: number; kind: MailKind; dedup_key: string; recipients: string; subject: string;
  attachment_name: string | null; attachment_sha256: string | null; message_id: string; via: 'smtp' | 'draft'; state: OutboxState;
  owner: string | null; attempts: number; created_at: string; handed_at: string; done_at: string | null; result: string | null;
}

/** Schema 5: the messages read from the mailbox. */
export interface MailSeenTable {
  id: Generated<number>; message_key: string; mailbox: string; uid: number | null; sender: string | null; subject: string | null;
  received_at: string | null; unit_code: string | null; year: number | null; archive_path: string | null; state: 'claimed' | 'done';
  owner: string | null; claimed_at: string; done_at: string | null; result: string | null;
}

/** Schema 6: the analyst's confirmations of figures. */
export interface ConfirmationsTable {
  id: Generated<number>; at: string; user_name: string | null; unit_code: string; year: number; indicator_id: string; submission_id: number; reason: string;
}

/** Schema 7: review and approval. */
export interface UnitReviewsTable {
  unit_code: string; year: number; rev: number; state: ReviewState; reason: string | null; changed_at: string | null; changed_by: string | null;
}

export interface YearLocksTable { year: number; locked: number; rev: number; reason: string | null; changed_at: string | null; changed_by: string | null }

export interface ReviewEventsTable {
  id: Generated<number>; at: string; actor: string | null; action: ReviewAction; unit_code: string | null; year: number; reason: string | null; rev: number;
}

/** Schema 8: the structured items of the narrative sheet. */
export interface NarrativeItemsTable {
  submission_id: number; section_id: string; item: NewItem['item']; ordinal: number; choice: string | null; choice_text: string | null;
  name: string | null; text: string | null; addressee: string | null; says_none: number;
}

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
  outbox: OutboxTable;
  mail_seen: MailSeenTable;
  confirmations: ConfirmationsTable;
  unit_reviews: UnitReviewsTable;
  year_locks: YearLocksTable;
  review_events: ReviewEventsTable;
  narrative_items: NarrativeItemsTable;
}
