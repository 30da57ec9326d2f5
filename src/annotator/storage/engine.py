"""Opening a project's database: a file's SQLite settings and sanity checks, or a server's.

A project is a SQLite file (a `Path`) or a database on a PostgreSQL server (a `ServerAddress`,
see `annotator.storage.server`); `make_engine` and `table_names` take either.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.exc import DatabaseError, OperationalError

from annotator.domain.errors import AnnotatorError
from annotator.storage.server import ServerAddress, make_server_engine
from annotator.storage.sqlite_files import SQLITE_HEADER, readonly_uri

Location = Path | ServerAddress
"""Where a project is: its file, or its database on a server."""

READ_ONLY = "annotator_read_only"
"""Execution option of connections that only read: they begin a deferred transaction."""


class ProjectError(AnnotatorError):
    """A project file that cannot be opened as it is (damaged, not a project, too new)."""


class ProjectDamaged(ProjectError):
    """The file is a damaged project or no project at all; restoring a backup may help."""


class ProjectTooNew(ProjectError):
    """Written by a newer Annotator: refused without being modified."""


def _on_connect(
    dbapi_conn: sqlite3.Connection, _record: Any, *, readonly: bool, foreign_keys: bool
) -> None:
    dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (see _on_begin)
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA busy_timeout = 10000")
    if not readonly:
        cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA synchronous = FULL")  # annotations are primary data
    # Off only for migrations: batch mode copies and drops tables, which would fire cascades.
    cur.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
    cur.close()


def write_blocker(path: Path) -> str:
    """Why the project file at `path` cannot be written ("" when it can), as the end of a
    sentence: "the file is read-only". Besides the file, SQLite must create its -wal and -shm
    files beside it, so the folder must be writable too. Root may write any file, so a file
    nobody may write (`chmod a-w`) counts as read-only by the owner's intent as well."""
    resolved = path.resolve()
    folder = resolved.parent
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return "the disk it is on is read-only"
    except (AttributeError, OSError):  # no statvfs on Windows
        pass
    try:
        mode = resolved.stat().st_mode
    except OSError:
        return ""  # missing: the caller reports that
    if not os.access(resolved, os.W_OK) or not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        return "the file is read-only"
    if not os.access(folder, os.W_OK):
        return "its folder cannot be written"
    return ""


def make_engine(path: Location, *, readonly: bool = False, foreign_keys: bool = True) -> Engine:
    """An engine on the project at `path` (a file or a server's database). Writes are
    serialised and begin with the write lock taken; `READ_ONLY` connections read one snapshot.
    `foreign_keys` is for SQLite's migrations (a server checks them at each statement)."""
    if isinstance(path, ServerAddress):
        return make_server_engine(path, readonly=readonly)
    if readonly:
        uri = readonly_uri(path)
        engine = create_engine(
            "sqlite://", creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False)
        )
    else:
        # URL.create, not f"sqlite:///{path}": a "?" in a folder name would start the URL's
        # query and SQLite would write to another file.
        engine = create_engine(
            URL.create("sqlite", database=str(path)),
            connect_args={"check_same_thread": False, "timeout": 10},
        )

    @event.listens_for(engine, "connect")
    def connect(dbapi_conn: sqlite3.Connection, record: Any) -> None:
        _on_connect(dbapi_conn, record, readonly=readonly, foreign_keys=foreign_keys)

    @event.listens_for(engine, "begin")
    def begin(conn: Any) -> None:
        # Take the write lock at the start of every write transaction: no deadlock upgrades
        # from a read lock, and busy_timeout applies. Reads (READ_ONLY option) begin deferred:
        # in WAL mode they never wait for a writer, not even one of this very thread.
        deferred = readonly or conn.get_execution_options().get(READ_ONLY, False)
        conn.exec_driver_sql("BEGIN" if deferred else "BEGIN IMMEDIATE")

    return engine


def check_file(path: Path) -> None:
    """Refuse a file that is not a SQLite database before it is opened for writing. Read
    through SQLite alone, read-only: the file may be open in this process already (the project
    opened again, or its first frame), and a descriptor of it closed by Python would drop that
    connection's locks (`storage.sqlite_files`)."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise ProjectError(f"{path}: no such project file.") from None
    except OSError as exc:
        raise ProjectError(f"{path}: cannot be read ({exc.strerror or exc}).") from exc
    if stat.S_ISDIR(info.st_mode):
        raise ProjectError(f"{path}: is a folder, not a project file.")
    if not os.access(path, os.R_OK):
        raise ProjectError(f"{path}: cannot be read (permission denied).")
    not_sqlite = ProjectDamaged(
        f"{path.name} is not an Annotator project, or it is damaged beyond reading "
        "(it is not a SQLite database)."
    )
    if info.st_size < len(SQLITE_HEADER):  # empty, or shorter than SQLite's header
        raise not_sqlite
    try:
        conn = sqlite3.connect(readonly_uri(path), uri=True, timeout=5)
        try:
            conn.execute("PRAGMA schema_version").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        if getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_NOTADB:
            raise not_sqlite from None
        # anything else (a lock, a damaged page) is for the checks that follow to tell


def quick_check(engine: Engine, path: Path) -> None:
    try:
        with engine.connect() as conn:
            result = conn.exec_driver_sql("PRAGMA quick_check").scalars().all()
    except (DatabaseError, OperationalError) as exc:
        raise ProjectDamaged(
            f"{path.name} is damaged and cannot be read ({_reason(exc)})."
        ) from exc
    if result != ["ok"]:
        # One row may hold several problems, one per line, under a "*** in database" heading.
        lines = [line.strip() for row in result for line in str(row).splitlines()]
        problems = [line for line in lines if line and not line.startswith("*** in database")]
        first = problems[0].rstrip(".") if problems else "no details"
        raise ProjectDamaged(
            f"{path.name} is damaged: SQLite's check found {len(problems)} problem(s), "
            f"the first: {first}."
        )


def _reason(exc: Exception) -> str:
    orig = getattr(exc, "orig", None)
    return str(orig or exc).strip().rstrip(".")


def table_names(engine: Engine) -> set[str]:
    if engine.dialect.name != "sqlite":
        with engine.connect() as conn:
            return set(inspect(conn).get_table_names())
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'"))
        return {r[0] for r in rows}


class RawConnection:
    """The driver's connection under a SQLAlchemy connection, in its transaction, for bulk reads
    whose rows need none of SQLAlchemy's processing (10,000 rows in half the time). SQL is
    written with `?` placeholders; on a server they become psycopg's `%s`."""

    def __init__(self, conn: Connection) -> None:
        self._raw: Any = conn.connection.driver_connection
        self._sqlite = isinstance(self._raw, sqlite3.Connection)

    def execute(self, sql: str, params: tuple[Any, ...] = ()) -> Any:
        """A cursor over the rows (`fetchone()`, `fetchall()`, iteration)."""
        if self._sqlite:
            return self._raw.execute(sql, params)
        return self._raw.execute(sql.replace("?", "%s"), params)
