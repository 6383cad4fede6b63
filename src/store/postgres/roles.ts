/**
 * Who is who on the shared PostgreSQL store, as the database says it: the user is the login (current_user); the role is
 * membership of hoctap_approver or hoctap_analyst (pg_has_role, through any chain of roles). The database itself
 * enforces it (guards.ts); the client asks only to refuse early and to say who to ask.
 */
import { sql } from 'kysely';
import type { Role } from '../../review/roles.ts';
import { SqlStore } from '../sql/store.ts';
import type { Store } from '../store.ts';

export interface PgLogin {
  login: string;
  /** null: a login of neither role (it reads nothing of the schema unless it owns it). */
  role: Role | null;
  /** Owns the schema's tables: may alter them, its triggers too (docs/workspace.md). */
  owner: boolean;
  /** A superuser of the server (the IT): may do anything. */
  superuser: boolean;
}

function sessionOf(store: Store) {
  if (!(store instanceof SqlStore) || store.engine !== 'postgres') throw new Error('a PostgreSQL store was expected');
  return store.session;
}

const roleOf = (approver: boolean, analyst: boolean): Role | null => (approver ? 'approver' : analyst ? 'analyst' : null);

/** The owner of the store's tables (the schema's, on the search path). */
const OWNER = sql`(SELECT tableowner FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = 'unit_reviews')`;

/** The login this store is connected as, and its role. */
export async function currentLogin(store: Store): Promise<PgLogin> {
  const r = await sql<{ login: string; approver: boolean; analyst: boolean; owner: boolean; superuser: boolean }>`
    SELECT current_user AS login,
      CASE WHEN EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'hoctap_approver') THEN pg_catalog.pg_has_role(current_user, 'hoctap_approver', 'MEMBER') ELSE false END AS approver,
      CASE WHEN EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'hoctap_analyst') THEN pg_catalog.pg_has_role(current_user, 'hoctap_analyst', 'MEMBER') ELSE false END AS analyst,
      current_user = ${OWNER} AS owner,
      (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user) AS superuser`.execute(sessionOf(store).db);
  const row = r.rows[0];
  return { login: row.login, role: roleOf(row.approver, row.analyst), owner: row.owner === true, superuser: row.superuser === true };
}

/**
 * Every login that is a member of hoctap_analyst or hoctap_approver, directly or through other roles (pg_auth_members,
 * recursively), with its role (approver wins); by name. Superusers are members of every role only implicitly: they are
 * not listed unless granted one.
 */
export async function teamLogins(store: Store): Promise<PgLogin[]> {
  const r = await sql<{ login: string; approver: boolean; owner: boolean; superuser: boolean }>`
    WITH RECURSIVE member_of(member, via) AS (
      SELECT a.member, g.rolname FROM pg_catalog.pg_auth_members a JOIN pg_catalog.pg_roles g ON g.oid = a.roleid
        WHERE g.rolname IN ('hoctap_analyst', 'hoctap_approver')
      UNION
      SELECT a.member, m.via FROM pg_catalog.pg_auth_members a JOIN member_of m ON a.roleid = m.member
    )
    SELECT r.rolname AS login, bool_or(m.via = 'hoctap_approver') AS approver, r.rolname = ${OWNER} AS owner, r.rolsuper AS superuser
    FROM member_of m JOIN pg_catalog.pg_roles r ON r.oid = m.member
    WHERE r.rolcanlogin
    GROUP BY r.rolname, r.rolsuper
    ORDER BY r.rolname`.execute(sessionOf(store).db);
  return r.rows.map((row) => ({ login: row.login, role: roleOf(row.approver, true), owner: row.owner === true, superuser: row.superuser === true }));
}
