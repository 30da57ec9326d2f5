"""Members' rights in a team project on a PostgreSQL server, enforced by the server itself.

Three rights, each a group role named after the database (so several studies share a server):

- `<db>_admin`: owns the project's tables (so its members bypass row-level security): documents,
  labels, members, blind coding, settlements, and any claim.
- `<db>_annotator`: reads the project; creates, changes and deletes its own claims (with their
  tags and evidence) and links; saved searches and preferences.
- `<db>_reader`: reads the project (SELECT only).

`<db>_annotator` is a member of `<db>_reader` and `<db>_admin` of `<db>_annotator`, so each
right holds the one below it. A member is a login role granted one group role.

Row-level security on the claim tables: an annotator may insert, update and delete only rows
whose `author` is `current_user` (a tag or an evidence row: rows of such a claim); a trigger
writes `current_user` into `author` (links too, `settled_by` of a settlement, `author` of a
change log row) for whoever is not an admin, so a client cannot write another name. While blind
coding is on (the `project_meta` row `blind_coding` = `on`) a member who is not an admin sees
only their own claims, the tags, evidence and links of claims they see, and the rows of the
change log (`changes`) of the claims and links they own (`changes.owner`) with every row of
anything else. A member writes change log rows only at the project's current change number. The
same rules hold for the app, the CLI and a member with `psql`.

Everything here is SQL run from Python on a server project; a project file has no rights.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from sqlalchemy import Connection, text

from annotator.domain.errors import AnnotatorError
from annotator.storage.orm import OWNED_ENTITIES


class Right(Enum):
    ADMIN = "admin"
    ANNOTATOR = "annotator"
    READER = "reader"

    @property
    def article(self) -> str:
        return "an" if self is not Right.READER else "a"


RIGHTS = (Right.ADMIN, Right.ANNOTATOR, Right.READER)
"""Highest first."""

BLIND_KEY = "blind_coding"
"""The `project_meta` row that says whether blind coding is on (`on`) or off."""

CLAIM_TABLES = ("annotations", "annotation_tags", "evidence", "links")
"""The tables of claims and their child rows: an annotator writes only their own rows."""

ANNOTATOR_TABLES = (*CLAIM_TABLES, "saved_searches", "settings")
"""Tables an annotator may write (the claim tables under row-level security)."""

_MAX_ROLE = 63  # PostgreSQL truncates longer identifiers


class RightsError(AnnotatorError):
    """A member lacks the right for a change, or the rights cannot be managed as asked."""


@dataclass(frozen=True)
class Member:
    role: str
    right: Right


def group_role(database: str, right: Right) -> str:
    """The group role of a right in a database: `<db>_admin`, `<db>_annotator`, `<db>_reader`."""
    name = f"{database}_{right.value}"
    if len(name.encode()) > _MAX_ROLE:
        raise RightsError(
            f"The database name {database} is too long for its group roles ({name} would pass "
            f"PostgreSQL's {_MAX_ROLE} bytes); give the study a shorter database name."
        )
    return name


def _q(conn: Connection, name: str) -> str:
    """`name` quoted as an SQL identifier."""
    return conn.dialect.identifier_preparer.quote_identifier(name)


def _lit(name: str) -> str:
    """`name` as an SQL string literal (role names inside function bodies)."""
    return "'" + name.replace("'", "''") + "'"


def database_name(conn: Connection) -> str:
    return str(conn.scalar(text("SELECT current_database()")))


def current_role(conn: Connection) -> str:
    return str(conn.scalar(text("SELECT current_user")))


def rights_set_up(conn: Connection) -> bool:
    """Whether this database's rights are set up (row-level security on the claims table and
    its admin group role present)."""
    found = conn.execute(
        text(
            "SELECT c.relrowsecurity FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relname = 'annotations' AND n.nspname = current_schema()"
        )
    ).scalar()
    if not found:
        return False
    admin = group_role(database_name(conn), Right.ADMIN)
    return _role_exists(conn, admin)


def _role_exists(conn: Connection, role: str) -> bool:
    return bool(conn.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}))


def right_of(conn: Connection, role: str | None = None) -> Right | None:
    """The right of `role` (default: the connection's) in this database: a superuser or a
    member of the admin group is an admin; None when it has none."""
    database = database_name(conn)
    role = role or current_role(conn)
    if conn.scalar(text("SELECT rolsuper FROM pg_roles WHERE rolname = :r"), {"r": role}):
        return Right.ADMIN
    for right in RIGHTS:
        group = group_role(database, right)
        if not _role_exists(conn, group):
            continue
        if conn.scalar(text("SELECT pg_has_role(:r, :g, 'MEMBER')"), {"r": role, "g": group}):
            return right
    return None


# -- setting up ------------------------------------------------------------------------------


def set_up(conn: Connection) -> list[str]:
    """Make (or refresh) the group roles, grants, policies and triggers of this database's
    project, in the caller's transaction. Run by a superuser, or by the database's owner with
    CREATEROLE (who becomes an admin). Idempotent: run again after a schema upgrade, it covers
    new tables. Returns the group roles."""
    database = database_name(conn)
    me = current_role(conn)
    superuser = bool(
        conn.scalar(text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"))
    )
    groups = {right: group_role(database, right) for right in RIGHTS}
    q = {right: _q(conn, name) for right, name in groups.items()}
    run = conn.exec_driver_sql

    for right in reversed(RIGHTS):
        if not _role_exists(conn, groups[right]):
            run(f"CREATE ROLE {q[right]} NOLOGIN")
    run(f"GRANT {q[Right.READER]} TO {q[Right.ANNOTATOR]}")
    run(f"GRANT {q[Right.ANNOTATOR]} TO {q[Right.ADMIN]}")
    if not superuser:
        run(f"GRANT {q[Right.ADMIN]} TO {_q(conn, me)}")

    db = _q(conn, database)
    run(f"REVOKE ALL ON DATABASE {db} FROM PUBLIC")
    run(f"GRANT CONNECT, TEMPORARY ON DATABASE {db} TO {q[Right.READER]}")
    run(f"GRANT USAGE ON SCHEMA public TO {q[Right.READER]}")
    run(f"GRANT CREATE ON SCHEMA public TO {q[Right.ADMIN]}")
    set_up_tables(conn)
    return [groups[right] for right in RIGHTS]


def set_up_tables(conn: Connection) -> None:
    """The grants, policies and triggers of the project's tables (what `set_up` does past the
    roles): what an admin runs again after a schema upgrade, so new tables are covered."""
    database = database_name(conn)
    groups = {right: group_role(database, right) for right in RIGHTS}
    q = {right: _q(conn, name) for right, name in groups.items()}
    run = conn.exec_driver_sql
    tables = [
        str(name)
        for name in conn.scalars(
            text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        )
    ]
    for table in tables:
        t = _q(conn, table)
        run(f"ALTER TABLE {t} OWNER TO {q[Right.ADMIN]}")
        run(f"REVOKE ALL ON {t} FROM PUBLIC")
        run(f"GRANT SELECT ON {t} TO {q[Right.READER]}")
    for table in ANNOTATOR_TABLES:
        if table in tables:
            run(f"GRANT INSERT, UPDATE, DELETE ON {_q(conn, table)} TO {q[Right.ANNOTATOR]}")
    # Every write bumps the change number and writes the outbox.
    run(f"GRANT INSERT, UPDATE ON project_meta TO {q[Right.ANNOTATOR]}")
    run(f"GRANT INSERT ON changes TO {q[Right.ANNOTATOR]}")
    run(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {q[Right.ANNOTATOR]}")

    admin = _lit(groups[Right.ADMIN])
    run(
        "CREATE OR REPLACE FUNCTION annotator_blind() RETURNS boolean LANGUAGE sql STABLE AS "
        f"$$ SELECT EXISTS (SELECT 1 FROM project_meta WHERE key = '{BLIND_KEY}' "
        "AND value = 'on') $$"
    )
    # The author of what a member writes is the member: only an admin may write another name
    # (undo of a deletion, a copied study); an admin owns the tables and could anyway.
    run(
        "CREATE OR REPLACE FUNCTION annotator_author() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN "
        f"IF pg_has_role(current_user, {admin}, 'MEMBER') "
        "AND coalesce(to_jsonb(NEW) ->> TG_ARGV[0], '') <> '' THEN RETURN NEW; END IF; "
        "NEW := jsonb_populate_record(NEW, jsonb_build_object(TG_ARGV[0], current_user)); "
        "RETURN NEW; END $$"
    )
    for function in ("annotator_blind()", "annotator_author()"):
        run(f"ALTER FUNCTION {function} OWNER TO {q[Right.ADMIN]}")
    for table, column in (
        ("annotations", "author"),
        ("links", "author"),
        ("settlements", "settled_by"),
        ("changes", "author"),
    ):
        if table not in tables:
            continue
        run(f"ALTER TABLE {table} ALTER COLUMN {column} SET DEFAULT current_user")
        run(f"DROP TRIGGER IF EXISTS annotator_author ON {table}")
        run(
            f"CREATE TRIGGER annotator_author BEFORE INSERT OR UPDATE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION annotator_author('{column}')"
        )

    own_claim = (
        "EXISTS (SELECT 1 FROM annotations a WHERE a.id = annotation_id "
        "AND a.author = current_user)"
    )
    seen_claim = "EXISTS (SELECT 1 FROM annotations a WHERE a.id = annotation_id)"
    seen_ends = (
        "EXISTS (SELECT 1 FROM annotations a WHERE a.id = source_id) AND "
        "EXISTS (SELECT 1 FROM annotations a WHERE a.id = target_id)"
    )
    # `(SELECT annotator_blind())`: one lookup per query (an init plan), not one per row.
    policies: dict[str, dict[str, str]] = {
        "annotations": {
            "read": "SELECT USING (NOT (SELECT annotator_blind()) OR author = current_user)",
            "add": "INSERT WITH CHECK (author = current_user)",
            "change": "UPDATE USING (author = current_user) WITH CHECK (author = current_user)",
            "remove": "DELETE USING (author = current_user)",
        },
        "links": {
            "read": f"SELECT USING (NOT (SELECT annotator_blind()) OR ({seen_ends}))",
            "add": "INSERT WITH CHECK (author = current_user)",
            "change": "UPDATE USING (author = current_user) WITH CHECK (author = current_user)",
            "remove": "DELETE USING (author = current_user)",
        },
        # The change log names the claims and links it is about: under blind coding a member
        # reads only the rows of what they own. A member writes rows only at the change number
        # their change took (the trigger writes their name).
        "changes": {
            "read": "SELECT USING (NOT (SELECT annotator_blind()) "
            f"OR entity NOT IN ({', '.join(map(_lit, OWNED_ENTITIES))}) OR owner = current_user)",
            "add": "INSERT WITH CHECK (author = current_user AND change_number = (SELECT "
            "value::integer FROM project_meta WHERE key = 'change_number'))",
        },
        "project_meta": {
            "read": "SELECT USING (true)",
            "add": "INSERT WITH CHECK (key = 'change_number')",
            "change": "UPDATE USING (key = 'change_number') WITH CHECK (key = 'change_number')",
        },
    }
    for child in ("annotation_tags", "evidence"):
        policies[child] = {
            "read": f"SELECT USING (NOT (SELECT annotator_blind()) OR {seen_claim})",
            "add": f"INSERT WITH CHECK ({own_claim})",
            "change": f"UPDATE USING ({own_claim}) WITH CHECK ({own_claim})",
            "remove": f"DELETE USING ({own_claim})",
        }
    for table, rules in policies.items():
        if table not in tables:
            continue
        run(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        for name, rule in rules.items():
            run(f"DROP POLICY IF EXISTS {name} ON {table}")
            run(f"CREATE POLICY {name} ON {table} FOR {rule}")


def can_set_up(conn: Connection) -> bool:
    """Whether the connection's role may set the rights up: a superuser, or a role with
    CREATEROLE that owns the database."""
    row = conn.execute(
        text(
            "SELECT r.rolsuper, r.rolcreaterole, d.datdba = r.oid FROM pg_roles r, pg_database d "
            "WHERE r.rolname = current_user AND d.datname = current_database()"
        )
    ).first()
    return bool(row and (row[0] or (row[1] and row[2])))


# -- members ---------------------------------------------------------------------------------


def members(conn: Connection) -> list[Member]:
    """The study's members (login or not, group roles left out), each with its highest right,
    sorted by role."""
    database = database_name(conn)
    groups = {group_role(database, right): right for right in RIGHTS}
    rows = conn.execute(
        text(
            "SELECT m.rolname, g.rolname FROM pg_auth_members am "
            "JOIN pg_roles g ON g.oid = am.roleid JOIN pg_roles m ON m.oid = am.member "
            "WHERE g.rolname = ANY(:groups)"
        ),
        {"groups": list(groups)},
    ).all()
    best: dict[str, Right] = {}
    for role, group in rows:
        if role in groups:
            continue
        right = groups[group]
        if role not in best or RIGHTS.index(right) < RIGHTS.index(best[role]):
            best[role] = right
    return [Member(role, best[role]) for role in sorted(best)]


def _require_set_up(conn: Connection) -> str:
    database = database_name(conn)
    if not rights_set_up(conn):
        raise RightsError(
            f"The study {database} has no members yet: its rights are set up with "
            "`annotator members URL --init` (by a superuser or the database's owner with "
            "CREATEROLE)."
        )
    return database


def add_member(conn: Connection, role: str, right: Right) -> None:
    """Give the login role `role` (made by the server's administrator) this right alone."""
    database = _require_set_up(conn)
    if not _role_exists(conn, role):
        raise RightsError(
            f"The server has no role {role}: its administrator creates it first "
            f"(CREATE ROLE {_q(conn, role)} LOGIN PASSWORD '...')."
        )
    groups = {r: group_role(database, r) for r in RIGHTS}
    if role in groups.values():
        raise RightsError(f"{role} is one of the study's group roles, not a member.")
    _revoke_all(conn, role, groups)
    _privileged(conn, f"GRANT {_q(conn, groups[right])} TO {_q(conn, role)}")


def remove_member(conn: Connection, role: str) -> bool:
    """Take every right of the study from `role`; False when it had none."""
    database = _require_set_up(conn)
    groups = {r: group_role(database, r) for r in RIGHTS}
    if not any(m.role == role for m in members(conn)):
        return False
    _revoke_all(conn, role, groups)
    return True


def _revoke_all(conn: Connection, role: str, groups: dict[Right, str]) -> None:
    for group in groups.values():
        direct = conn.scalar(
            text(
                "SELECT 1 FROM pg_auth_members am JOIN pg_roles g ON g.oid = am.roleid "
                "JOIN pg_roles m ON m.oid = am.member WHERE g.rolname = :g AND m.rolname = :m"
            ),
            {"g": group, "m": role},
        )
        if direct:
            _privileged(conn, f"REVOKE {_q(conn, group)} FROM {_q(conn, role)}")


def _privileged(conn: Connection, sql: str) -> None:
    """Run a GRANT/REVOKE of membership; a role without the right to is told in one line."""
    from sqlalchemy.exc import DBAPIError

    try:
        with conn.begin_nested():
            conn.exec_driver_sql(sql)
    except DBAPIError as exc:
        if _sqlstate(exc) == "42501":
            raise RightsError(
                "Only a role with CREATEROLE (or a superuser) manages the study's members."
            ) from exc
        raise


# -- blind coding ----------------------------------------------------------------------------


def blind(conn: Connection) -> bool:
    return bool(
        conn.scalar(text("SELECT value = 'on' FROM project_meta WHERE key = :k"), {"k": BLIND_KEY})
    )


def set_blind(conn: Connection, on: bool) -> None:
    """Turn blind coding on or off (the caller is an admin: only admins write this row)."""
    value = "on" if on else "off"
    updated = conn.execute(
        text("UPDATE project_meta SET value = :v WHERE key = :k"), {"v": value, "k": BLIND_KEY}
    ).rowcount
    if not updated:
        conn.execute(
            text("INSERT INTO project_meta (key, value) VALUES (:k, :v)"),
            {"k": BLIND_KEY, "v": value},
        )


# -- errors ----------------------------------------------------------------------------------


def _sqlstate(exc: BaseException) -> str:
    orig: Any = getattr(exc, "orig", exc)
    return str(getattr(orig, "sqlstate", "") or "")


def is_denied(exc: BaseException) -> bool:
    """Whether a database error is the server refusing a right (SQLSTATE 42501: no privilege,
    or a row-level security policy)."""
    return _sqlstate(exc) == "42501"


def denial(right: Right | None, role: str, exc: BaseException | None = None) -> str:
    """One sentence for a change the member's right does not allow."""
    table = ""
    if exc is not None:
        message = str(getattr(exc, "orig", exc))
        for name in (*CLAIM_TABLES, "project_meta"):
            if f'"{name}"' in message or f"table {name}" in message:
                table = name
    on_claims = table in CLAIM_TABLES or not table
    if right is None:
        return f"{role} is not a member of this study: its admin adds members."
    if right is Right.READER:
        if on_claims:
            return "You are a reader of this study: you cannot change claims."
        return "You are a reader of this study: you cannot change it."
    if right is Right.ANNOTATOR:
        if table in CLAIM_TABLES:
            return (
                "You are an annotator of this study: you can change only your own claims and links."
            )
        return (
            "You are an annotator of this study: only its admins change documents, labels, "
            "settlements, members and blind coding."
        )
    return "The server refused the change (you are an admin of this study, yet lack a privilege)."
