/**
 * Who may do what, enforced by PostgreSQL itself (migration 9, docs/review.md "Ai là người duyệt"): approving,
 * returning, unapproving, locking, unlocking and changing the figures in force of an approved unit or a locked year
 * (`ingest --force`), and changing the contents of such figures, need membership of hoctap_approver. A trigger on each table concerned refuses the row change of any
 * other login with the SQLSTATE APPROVER_ONLY, whatever client sends it (a modified hoctap, psql). The triggers belong
 * to the tables' owner: an analyst cannot drop or disable them. What an analyst's work writes passes: a new file in
 * force for a unit not approved in a year not locked (its revision raised, a returned unit received again), a file held
 * for an approved unit or a locked year (no change of what is in force), and everything outside review.
 *
 * The functions' search path is pinned when they are made: their own schema, pg_catalog, then pg_temp (PIN_PATH, and
 * pinGuards after a rebuild swaps a schema in under another name: src/store/fresh-postgres.ts), so a table, function or
 * operator an analyst makes elsewhere (a temporary one included) changes nothing; analysts may not create in the schema.
 * Their queries are static SQL, planned once per session: the checks an analyst's file passes (several a file) cost the
 * server little (migration 10; before, each was a dynamic query parsed and planned every time, 3 ms of the server's a
 * file, more than the file's own writes).
 */

/** The SQLSTATE of a refusal: class Y (an implementation's own), "H" for hoctap, 401. */
export const APPROVER_ONLY = 'YH401';

/** The SQLSTATE of a change to the journal or the archive, which only grow (whoever asks: no role may). */
export const RECORD_ONLY_GROWS = 'YH402';

/** What an analyst's row change would do, in the words of a refusal (null: it may). */
const GUARD_FUNCTION = `
CREATE OR REPLACE FUNCTION hoctap_guard() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $guard$
DECLARE
  what text;
  v_locked boolean;
  v_frozen boolean;
  v_unit text;
  v_year integer;
BEGIN
  IF pg_has_role(current_user, 'hoctap_approver', 'MEMBER') THEN RETURN NEW; END IF;
  IF TG_TABLE_NAME = 'year_locks' THEN
    what := CASE
      WHEN NEW.locked = 1 AND (TG_OP = 'INSERT' OR OLD.locked = 0) THEN 'khóa năm ' || NEW.year
      WHEN TG_OP = 'UPDATE' AND OLD.locked = 1 AND NEW.locked = 0 THEN 'mở khóa năm ' || NEW.year
      WHEN TG_OP = 'INSERT' THEN 'khóa hoặc mở khóa năm ' || NEW.year
      ELSE 'thay đổi việc khóa năm ' || NEW.year END;
  ELSIF TG_TABLE_NAME = 'review_events' THEN
    what := CASE WHEN TG_OP = 'UPDATE' THEN 'sửa lịch sử duyệt'
      ELSE 'ghi vào lịch sử duyệt việc ' || CASE NEW.action
        WHEN 'approve' THEN 'duyệt số liệu' WHEN 'return' THEN 'trả lại báo cáo' WHEN 'unapprove' THEN 'bỏ duyệt số liệu'
        WHEN 'lock' THEN 'khóa năm' WHEN 'unlock' THEN 'mở khóa năm' ELSE 'cho thay số liệu đã duyệt (--force)' END
      || coalesce(' của đơn vị ' || NEW.unit_code, '') || ' năm ' || NEW.year END;
  ELSIF TG_TABLE_NAME = 'unit_reviews' THEN
    v_unit := NEW.unit_code;
    v_year := NEW.year;
    IF NEW.state = 'approved' AND (TG_OP = 'INSERT' OR OLD.state <> 'approved') THEN what := 'duyệt số liệu';
    ELSIF NEW.state = 'returned' AND (TG_OP = 'INSERT' OR OLD.state <> 'returned' OR NEW.reason IS DISTINCT FROM OLD.reason) THEN what := 'trả lại báo cáo';
    ELSIF TG_OP = 'UPDATE' THEN
      SELECT EXISTS (SELECT 1 FROM year_locks l WHERE l.year = OLD.year AND l.locked = 1) INTO v_locked;
      IF OLD.state = 'approved' THEN what := CASE WHEN NEW.state = 'approved' THEN 'thay số liệu đã duyệt (--force)' ELSE 'bỏ duyệt số liệu' END;
      ELSIF v_locked THEN what := 'thay đổi trạng thái duyệt trong năm đã khóa';
      ELSIF NEW.unit_code <> OLD.unit_code OR NEW.year <> OLD.year THEN what := 'chuyển trạng thái duyệt sang đơn vị hay năm khác';
      ELSIF NEW.state = 'received' AND OLD.state = 'received' AND NEW.reason IS DISTINCT FROM OLD.reason THEN what := 'sửa lý do duyệt';
      ELSIF NEW.state = 'received' AND OLD.state = 'returned' AND NEW.reason IS NOT NULL THEN what := 'sửa lý do duyệt';
      END IF;
    END IF;
  ELSE
    -- submissions and events: what is in force for a unit and year (its old and its new unit and year when moved).
    IF TG_TABLE_NAME = 'submissions' THEN
      IF NEW.status <> 'accepted' AND (TG_OP = 'INSERT' OR OLD.status <> 'accepted') THEN RETURN NEW; END IF;
    END IF;
    FOR v_unit, v_year IN SELECT NEW.unit_code, NEW.year UNION SELECT OLD.unit_code, OLD.year WHERE TG_OP = 'UPDATE' LOOP
      SELECT EXISTS (SELECT 1 FROM unit_reviews r WHERE r.unit_code = v_unit AND r.year = v_year AND r.state = 'approved')
        OR EXISTS (SELECT 1 FROM year_locks l WHERE l.year = v_year AND l.locked = 1) INTO v_frozen;
      IF v_frozen THEN what := 'thay số liệu đang dùng đã duyệt hoặc của năm đã khóa (--force)'; EXIT; END IF;
    END LOOP;
  END IF;
  IF what IS NULL THEN RETURN NEW; END IF;
  IF v_unit IS NOT NULL AND TG_TABLE_NAME IN ('unit_reviews', 'submissions', 'events') THEN what := what || ' của đơn vị ' || v_unit || ' năm ' || v_year; END IF;
  RAISE EXCEPTION USING ERRCODE = '${APPROVER_ONLY}',
    MESSAGE = format('tên đăng nhập "%s" không có vai trò hoctap_approver (người duyệt) nên không được %s', current_user, what),
    DETAIL = what, HINT = 'Nhờ người duyệt làm việc này, hoặc nhờ bộ phận CNTT cấp vai trò hoctap_approver.';
END
$guard$;
`;

/**
 * The contents of a submission (its figures, its words, its items) change only with what is in force: rows added to or
 * changed in a submission in force of an approved unit or a locked year need an approver, as changing which one is in
 * force does. Checked once a statement (its rows as a transition table: an ingest adds hundreds at once), after it.
 */
const CONTENTS_FUNCTION = `
CREATE OR REPLACE FUNCTION hoctap_guard_contents() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT
  SET plan_cache_mode = force_custom_plan AS $guard$
DECLARE
  v_id integer;
  v_unit text;
  v_year integer;
  v_frozen boolean := false;
BEGIN
  IF pg_has_role(current_user, 'hoctap_approver', 'MEMBER') THEN RETURN NULL; END IF;
  -- Each submission the rows belong to (a file's rows: one), by its key, then its unit and year as hoctap_guard asks;
  -- planned at each call (plan_cache_mode): a plan kept from the session's start, when the tables were nearly empty,
  -- scanned every submission at each statement as they grew.
  FOR v_id IN SELECT DISTINCT c.submission_id FROM changed_rows c LOOP
    v_unit := NULL;
    SELECT s.unit_code, s.year INTO v_unit, v_year FROM submissions s WHERE s.id = v_id AND s.status = 'accepted';
    CONTINUE WHEN v_unit IS NULL;
    SELECT EXISTS (SELECT 1 FROM unit_reviews r WHERE r.unit_code = v_unit AND r.year = v_year AND r.state = 'approved')
      OR EXISTS (SELECT 1 FROM year_locks l WHERE l.year = v_year AND l.locked = 1) INTO v_frozen;
    EXIT WHEN v_frozen;
  END LOOP;
  IF NOT v_frozen THEN RETURN NULL; END IF;
  RAISE EXCEPTION USING ERRCODE = '${APPROVER_ONLY}',
    MESSAGE = format('tên đăng nhập "%s" không có vai trò hoctap_approver (người duyệt) nên không được sửa số liệu đang dùng đã duyệt hoặc của năm đã khóa của đơn vị %s năm %s', current_user, v_unit, v_year),
    DETAIL = 'sửa số liệu đang dùng đã duyệt hoặc của năm đã khóa', HINT = 'Nhờ người duyệt làm việc này, hoặc nhờ bộ phận CNTT cấp vai trò hoctap_approver.';
END
$guard$;
`;

/**
 * The journal is what `rebuild` makes the store again from, as the database's owner (an approver): a line an analyst
 * wrote by hand would be made again with the owner's rights. So a line of review (approve, return, lock…) needs an
 * approver, as its row does; a change of what is in force of an approved unit or a locked year too; and no line is
 * ever changed. The archive is the files as received: a row is never changed, and its bytes must be those its sha256
 * names (whoever writes it).
 */
const RECORD_FUNCTION = `
CREATE OR REPLACE FUNCTION hoctap_guard_record() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $guard$
DECLARE
  entry jsonb;
  v_frozen boolean;
  changed boolean;
BEGIN
  -- Where a line ends in the embedded store's file (end_offset, set by a rebuild) is not the line: it may change.
  IF TG_OP = 'UPDATE' THEN
    IF TG_TABLE_NAME = 'journal' THEN
      changed := (NEW.seq, NEW.submission_id, NEW.line) IS DISTINCT FROM (OLD.seq, OLD.submission_id, OLD.line);
    ELSE
      changed := true;
    END IF;
    IF changed THEN
      RAISE EXCEPTION USING ERRCODE = '${RECORD_ONLY_GROWS}', MESSAGE = format('không ai được sửa %s: chỉ được ghi thêm',
        CASE TG_TABLE_NAME WHEN 'journal' THEN 'nhật ký' ELSE 'bản lưu tệp đã nhận' END);
    END IF;
  END IF;
  IF TG_OP = 'UPDATE' THEN RETURN NEW; END IF;
  IF TG_TABLE_NAME = 'archive_files' THEN
    IF encode(sha256(NEW.bytes), 'hex') <> NEW.sha256 OR length(NEW.bytes) <> NEW.size THEN
      RAISE EXCEPTION USING ERRCODE = '${RECORD_ONLY_GROWS}', MESSAGE = format('nội dung ghi vào bản lưu không đúng với mã sha256 %s', NEW.sha256);
    END IF;
    RETURN NEW;
  END IF;
  IF pg_has_role(current_user, 'hoctap_approver', 'MEMBER') THEN RETURN NEW; END IF;
  -- A line that is not JSON fails here, refused all the same. No EXCEPTION block to say it otherwise: that would be a
  -- subtransaction at every line, and with them the foreign-key checks of an analyst's file took a hundred times as long.
  entry := NEW.line::jsonb;
  IF entry->>'type' = 'review' THEN
    RAISE EXCEPTION USING ERRCODE = '${APPROVER_ONLY}',
      MESSAGE = format('tên đăng nhập "%s" không có vai trò hoctap_approver (người duyệt) nên không được ghi việc duyệt vào nhật ký', current_user),
      HINT = 'Nhờ người duyệt làm việc này, hoặc nhờ bộ phận CNTT cấp vai trò hoctap_approver.';
  END IF;
  IF entry->>'type' = 'event' THEN
    SELECT EXISTS (SELECT 1 FROM unit_reviews r WHERE r.unit_code = entry->>'unit' AND r.year = (entry->>'year')::integer AND r.state = 'approved')
      OR EXISTS (SELECT 1 FROM year_locks l WHERE l.year = (entry->>'year')::integer AND l.locked = 1) INTO v_frozen;
    IF v_frozen THEN
      RAISE EXCEPTION USING ERRCODE = '${APPROVER_ONLY}',
        MESSAGE = format('tên đăng nhập "%s" không có vai trò hoctap_approver (người duyệt) nên không được ghi vào nhật ký việc thay số liệu đang dùng đã duyệt hoặc của năm đã khóa của đơn vị %s năm %s', current_user, entry->>'unit', entry->>'year'),
        HINT = 'Nhờ người duyệt làm việc này, hoặc nhờ bộ phận CNTT cấp vai trò hoctap_approver.';
    END IF;
  END IF;
  RETURN NEW;
END
$guard$;
`;

/** The tables of a submission's contents, guarded by hoctap_guard_contents. */
export const CONTENT_TABLES = ['field_values', 'narratives', 'narrative_items'] as const;

/** The tables whose row changes are guarded: review and the figures in force. */
export const GUARDED_TABLES = ['unit_reviews', 'year_locks', 'review_events', 'submissions', 'events'] as const;

/**
 * Pins the search path of the functions made after it, in this transaction, to the schema being migrated (the
 * connection's own), pg_catalog, then pg_temp: what their static SQL names is the schema's tables and the catalog's
 * functions, and nothing else (analysts may not create in the schema; a temporary table comes last).
 */
const PIN_PATH = `SELECT pg_catalog.set_config('search_path', pg_catalog.quote_ident(pg_catalog.current_schema()) || ', pg_catalog, pg_temp', true);`;

const FUNCTIONS = [PIN_PATH, GUARD_FUNCTION, CONTENTS_FUNCTION, RECORD_FUNCTION];

/** Migration 9 on PostgreSQL: the functions and their triggers, in the schema being migrated (its search path). */
export const GUARDS_MIGRATION = [
  ...FUNCTIONS,
  ...GUARDED_TABLES.map((t) => `CREATE TRIGGER hoctap_guard BEFORE INSERT OR UPDATE ON ${t} FOR EACH ROW EXECUTE FUNCTION hoctap_guard();`),
  ...['journal', 'archive_files'].map((t) => `CREATE TRIGGER hoctap_guard BEFORE INSERT OR UPDATE ON ${t} FOR EACH ROW EXECUTE FUNCTION hoctap_guard_record();`),
  // A transition table serves one event only: one trigger for the rows added, one for the rows changed (old and new).
  ...CONTENT_TABLES.flatMap((t) => [
    `CREATE TRIGGER hoctap_guard_added AFTER INSERT ON ${t} REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION hoctap_guard_contents();`,
    `CREATE TRIGGER hoctap_guard_changed AFTER UPDATE ON ${t} REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION hoctap_guard_contents();`,
    `CREATE TRIGGER hoctap_guard_moved AFTER UPDATE ON ${t} REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION hoctap_guard_contents();`,
  ]),
].join('\n') + '\n';

/** Migration 10: the same functions, with static SQL, made again over those of a store of schema 9. */
export const GUARDS_STATIC_MIGRATION = FUNCTIONS.join('\n') + '\n';

/** After a rebuild renames a schema to `schema`: its functions' search path names it, not the name it was made under. */
export const pinGuards = (schema: string) => ['hoctap_guard', 'hoctap_guard_contents', 'hoctap_guard_record']
  .map((f) => `ALTER FUNCTION ${schema}.${f}() SET search_path = ${schema}, pg_catalog, pg_temp;`).join('\n');
