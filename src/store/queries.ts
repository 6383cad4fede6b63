/**
 * The shape src/report/model reads narratives in (snake_case, as it was before the store returned domain objects).
 * Kept here because src/report/model imports it from this path; src/report/generate.ts maps the store's
 * StoredNarrative to it. To go once the report model takes StoredNarrative (store.ts).
 */
export interface NarrativeRow { unit_code: string; section_id: string; text: string; received_at: string }
