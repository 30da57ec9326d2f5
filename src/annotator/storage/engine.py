"""Opening a project file: SQLite settings, sanity checks, migrations."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DatabaseError, OperationalError

from annotator.domain.errors import AnnotatorError

SQLITE_HEADER = b"SQLite format 3\x00"


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


def make_engine(path: Path, *, readonly: bool = False, foreign_keys: bool = True) -> Engine:
    if readonly:
        uri = f"file:{path.resolve()}?mode=ro"
        engine = create_engine(
            "sqlite://", creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False)
        )
    else:
        engine = create_engine(
            f"sqlite:///{path}", connect_args={"check_same_thread": False, "timeout": 10}
        )

    @event.listens_for(engine, "connect")
    def connect(dbapi_conn: sqlite3.Connection, record: Any) -> None:
        _on_connect(dbapi_conn, record, readonly=readonly, foreign_keys=foreign_keys)

    @event.listens_for(engine, "begin")
    def begin(conn: Any) -> None:
        # Take the write lock at the start of every transaction: no deadlock upgrades from a
        # read lock, and busy_timeout applies.
        conn.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")

    return engine


def check_file(path: Path) -> None:
    """Refuse a file that is not a SQLite database before SQLite touches it."""
    try:
        with path.open("rb") as f:
            header = f.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        raise ProjectError(f"{path}: no such project file.") from None
    except IsADirectoryError:
        raise ProjectError(f"{path}: is a folder, not a project file.") from None
    except OSError as exc:
        raise ProjectError(f"{path}: cannot be read ({exc.strerror or exc}).") from exc
    if header != SQLITE_HEADER:
        raise ProjectDamaged(
            f"{path.name} is not an Annotator project, or it is damaged beyond reading "
            "(it is not a SQLite database)."
        )


def quick_check(engine: Engine, path: Path) -> None:
    try:
        with engine.connect() as conn:
            result = conn.exec_driver_sql("PRAGMA quick_check").scalars().all()
    except (DatabaseError, OperationalError) as exc:
        raise ProjectDamaged(
            f"{path.name} is damaged and cannot be read ({_reason(exc)})."
        ) from exc
    if result != ["ok"]:
        raise ProjectDamaged(
            f"{path.name} is damaged: SQLite's check found {len(result)} problem(s), "
            f"the first: {result[0]}."
        )


def _reason(exc: Exception) -> str:
    orig = getattr(exc, "orig", None)
    return str(orig or exc).strip().rstrip(".")


def table_names(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'"))
        return {r[0] for r in rows}
