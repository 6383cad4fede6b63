/**
 * Who may do what, enforced by PostgreSQL itself (migration 9, docs/review.md "Ai là người duyệt"): approving,
 * returning, unapproving, locking, unlocking and changing the figures in force of an approved unit or a locked year
 * (`ingest --force`), and changing the contents of such figures, need membership of hoctap_approver. A trigger on each table concerned refuses the row change of any
 * other login with the SQLSTATE APPROVER_ONLY, whatever client sends it (a modified hoctap, psql). The triggers belong
 * to the tables' owner: an analyst cannot drop or disable them. What an analyst's work writes passes: a new file in
 * force for a unit not approved in a year not locked (its revision raised, a returned unit received again), a file held
 * for an approved unit or a locked year (no change of what is in force), and everything outside review.
 *
 * The function reads nothing through the search path (it is pg_catalog, then pg_temp): the tables are named in the
 * schema of the table the trigger fires on, so a table or operator an analyst makes elsewhere changes nothing, and the
 * schema may be renamed (a rebuild swaps it in, src/store/fresh-postgres.ts).
 */

/** The SQLSTATE of a refusal: class Y (an implementation's own), "H" for hoctap, 401. */
export const APPROVER_ONLY = 'YH401';

/** The SQLSTATE of a change to the journal or the archive, which only grow (whoever asks: no role may). */
export const RECORD_ONLY_GROWS = 'YH402';

/** What an analyst's row change would do, in the words of a refusal (null: it may). */
const GUARD_FUNCTION = `
CREATE FUNCTION hoctap_guard() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $guard$
DECLARE
  what text;
  locked boolean;
  frozen boolean;
  unit text;
  yr integer;
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
    unit := NEW.unit_code;
    yr := NEW.year;
    IF NEW.state = 'approved' AND (TG_OP = 'INSERT' OR OLD.state <> 'approved') THEN what := 'duyệt số liệu';
    ELSIF NEW.state = 'returned' AND (TG_OP = 'INSERT' OR OLD.state <> 'returned' OR NEW.reason IS DISTINCT FROM OLD.reason) THEN what := 'trả lại báo cáo';
    ELSIF TG_OP = 'UPDATE' THEN
      EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I.year_locks WHERE year = $1 AND locked = 1)', TG_TABLE_SCHEMA) INTO locked USING OLD.year;
      IF OLD.state = 'approved' THEN what := CASE WHEN NEW.state = 'approved' THEN 'thay số liệu đã duyệt (--force)' ELSE 'bỏ duyệt số liệu' END;
      ELSIF locked THEN what := 'thay đổi trạng thái duyệt trong năm đã khóa';
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
    FOR unit, yr IN SELECT NEW.unit_code, NEW.year UNION SELECT OLD.unit_code, OLD.year WHERE TG_OP = 'UPDATE' LOOP
      EXECUTE format('SELECT EXISTS (SELECT 1 FROM %1$I.unit_reviews WHERE unit_code = $1 AND year = $2 AND state = %2$L)'
        || ' OR EXISTS (SELECT 1 FROM %1$I.year_locks WHERE year = $2 AND locked = 1)', TG_TABLE_SCHEMA, 'approved') INTO frozen USING unit, yr;
      IF frozen THEN what := 'thay số liệu đang dùng đã duyệt hoặc của năm đã khóa (--force)'; EXIT; END IF;
    END LOOP;
  END IF;
  IF what IS NULL THEN RETURN NEW; END IF;
  IF unit IS NOT NULL AND TG_TABLE_NAME IN ('unit_reviews', 'submissions', 'events') THEN what := what || ' của đơn vị ' || unit || ' năm ' || yr; END IF;
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
CREATE FUNCTION hoctap_guard_contents() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $guard$
DECLARE
  unit text;
  yr integer;
BEGIN
  IF pg_has_role(current_user, 'hoctap_approver', 'MEMBER') THEN RETURN NULL; END IF;
  EXECUTE format('SELECT s.unit_code, s.year FROM (SELECT submission_id FROM changed_rows) c JOIN %1$I.submissions s ON s.id = c.submission_id'
    || ' WHERE s.status = %2$L AND (EXISTS (SELECT 1 FROM %1$I.unit_reviews r WHERE r.unit_code = s.unit_code AND r.year = s.year AND r.state = %3$L)'
    || ' OR EXISTS (SELECT 1 FROM %1$I.year_locks l WHERE l.year = s.year AND l.locked = 1)) LIMIT 1', TG_TABLE_SCHEMA, 'accepted', 'approved') INTO unit, yr;
  IF unit IS NULL THEN RETURN NULL; END IF;
  RAISE EXCEPTION USING ERRCODE = '${APPROVER_ONLY}',
    MESSAGE = format('tên đăng nhập "%s" không có vai trò hoctap_approver (người duyệt) nên không được sửa số liệu đang dùng đã duyệt hoặc của năm đã khóa của đơn vị %s năm %s', current_user, unit, yr),
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
CREATE FUNCTION hoctap_guard_record() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $guard$
DECLARE
  entry jsonb;
  frozen boolean;
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
  BEGIN
    entry := NEW.line::jsonb;
  EXCEPTION WHEN others THEN
    RAISE EXCEPTION USING ERRCODE = '${APPROVER_ONLY}', MESSAGE = 'dòng nhật ký không đúng dạng';
  END;
  IF entry->>'type' = 'review' THEN
    RAISE EXCEPTION USING ERRCODE = '${APPROVER_ONLY}',
      MESSAGE = format('tên đăng nhập "%s" không có vai trò hoctap_approver (người duyệt) nên không được ghi việc duyệt vào nhật ký', current_user),
      HINT = 'Nhờ người duyệt làm việc này, hoặc nhờ bộ phận CNTT cấp vai trò hoctap_approver.';
  END IF;
  IF entry->>'type' = 'event' THEN
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %1$I.unit_reviews WHERE unit_code = $1 AND year = $2 AND state = %2$L)'
      || ' OR EXISTS (SELECT 1 FROM %1$I.year_locks WHERE year = $2 AND locked = 1)', TG_TABLE_SCHEMA, 'approved')
      INTO frozen USING entry->>'unit', (entry->>'year')::integer;
    IF frozen THEN
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

/** Migration 9 on PostgreSQL: the function and its triggers, in the schema being migrated (its search path). */
export const GUARDS_MIGRATION = [
  GUARD_FUNCTION,
  ...GUARDED_TABLES.map((t) => `CREATE TRIGGER hoctap_guard BEFORE INSERT OR UPDATE ON ${t} FOR EACH ROW EXECUTE FUNCTION hoctap_guard();`),
  CONTENTS_FUNCTION,
  RECORD_FUNCTION,
  ...['journal', 'archive_files'].map((t) => `CREATE TRIGGER hoctap_guard BEFORE INSERT OR UPDATE ON ${t} FOR EACH ROW EXECUTE FUNCTION hoctap_guard_record();`),
  // A transition table serves one event only: one trigger for the rows added, one for the rows changed (old and new).
  ...CONTENT_TABLES.flatMap((t) => [
    `CREATE TRIGGER hoctap_guard_added AFTER INSERT ON ${t} REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION hoctap_guard_contents();`,
    `CREATE TRIGGER hoctap_guard_changed AFTER UPDATE ON ${t} REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION hoctap_guard_contents();`,
    `CREATE TRIGGER hoctap_guard_moved AFTER UPDATE ON ${t} REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION hoctap_guard_contents();`,
  ]),
].join('\n') + '\n';
