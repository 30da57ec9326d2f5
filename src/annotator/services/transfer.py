"""Moving a study: a project file copied into a server's empty database (push), or back (pull).

Every table of the project (`storage.orm`'s metadata, in foreign-key order: documents with their
originals, texts and formatting, labels, claims with their tags and evidence, links, settlements
and their judgements, saved searches, settings, the project's facts and the change log) is
copied row for row: ids, authors, created and modified dates, revisions and the change number
stay as they were, so the copy goes on from the same change number and a follower of the change
log (the search index) sees one continuous history.

Rows are streamed in batches (`BATCH_ROWS` rows, or `BATCH_BYTES` of text and data, whichever
comes first; the rows of a document's text, file or formatting are read one at a time), so a
big project never sits in memory whole. The copy is one transaction on the
target, all or nothing:

- push: in the server's database, under the write lock every writer takes, the schema made or
  brought to head (a server's DDL is transactional), the rows inserted, the `changes` sequence
  moved past the copied rows, then one commit. A server that goes away, or a row the server
  refuses, leaves the database as it was.
- pull: into a new file beside FILE under a temporary name, renamed to FILE only once complete:
  a failure (or a crash) leaves no FILE at all.

What counts as an empty database (push refuses any other with one sentence): one without
tables; one with the schema and no project (as `createdb ... TEMPLATE` of a migrated database
gives); or one holding a project that `annotator new URL` made and nobody filled: no documents,
no claims, no saved searches, only the built-in labels. The copy replaces such a project whole
(its id, labels, settings and change log become the file's).
"""

from __future__ import annotations

import os
import secrets
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, LargeBinary, Table, func, inspect, select, text
from sqlalchemy.exc import DatabaseError, DataError, DBAPIError, IntegrityError, OperationalError

from annotator.domain.errors import AnnotatorError
from annotator.services.api import Project
from annotator.storage import migrations
from annotator.storage.engine import READ_ONLY, make_engine
from annotator.storage.mapping import naive_utc
from annotator.storage.orm import Base
from annotator.storage.server import ServerAddress, connection_error

BATCH_ROWS = 500
"""At most this many rows are read and inserted at a time."""
BATCH_BYTES = 16 << 20
"""A batch ends early once its texts and data reach this size (documents of 10 MB)."""

Progress = Callable[[str, int], None]
"""`progress(table, rows copied of it so far)`, called after every batch is inserted."""


class TransferRefused(AnnotatorError):
    """A push or pull that was refused or failed; the target was left as it was."""


@dataclass(frozen=True)
class TransferResult:
    """What a push or pull copied."""

    source: str
    """The project copied, as shown to the user (a file's path, a server URL without password)."""
    target: str
    rows: dict[str, int] = field(default_factory=dict)
    """Rows copied per table."""
    change_number: int = 0
    """The project's change number, the same in the copy."""

    @property
    def documents(self) -> int:
        return self.rows.get("documents", 0)

    @property
    def claims(self) -> int:
        return self.rows.get("annotations", 0)

    @property
    def links(self) -> int:
        return self.rows.get("links", 0)


def project_tables() -> list[Table]:
    """Every table of a project, parents before the tables whose rows refer to them."""
    return list(Base.metadata.sorted_tables)


# -- push --------------------------------------------------------------------------------------


def push(
    source: Path | str, target: ServerAddress, *, progress: Progress | None = None
) -> TransferResult:
    """Copy the project file `source` into the empty database `target` (see the module's
    docstring for what counts as empty), in one transaction on the server."""
    with Project.open(Path(source)) as project:
        engine = make_engine(target)
        try:
            with _snapshot(project) as reader:
                try:
                    with engine.connect() as writer, writer.begin():
                        _prepare_server(writer, target)
                        rows = copy_tables(reader, writer, progress=progress)
                        _move_sequences(writer)
                        number = _change_number(writer)
                except DBAPIError as exc:
                    raise _push_error(exc, project.name, target) from exc
        finally:
            engine.dispose()
        return TransferResult(project.location, target.display, rows, number)


def _push_error(exc: DBAPIError, name: str, target: ServerAddress) -> TransferRefused:
    """One sentence for a push that failed, saying on which side."""
    if _from_file(exc):
        return TransferRefused(f"{name} cannot be read ({_first_line(exc)}); nothing was pushed.")
    if isinstance(exc, OperationalError) and not _said_by_server(exc):
        found = connection_error(target, exc).args[0].rstrip(".")
        return TransferRefused(f"{found}; nothing was pushed.")
    if isinstance(exc, IntegrityError | DataError):
        return TransferRefused(
            f"The server refused a row of {name} ({_first_line(exc, target)}); nothing was "
            f"pushed to {target.name}."
        )
    return TransferRefused(
        f"The server refused the copy ({_first_line(exc, target)}); nothing was pushed to "
        f"{target.name}."
    )


def _prepare_server(conn: Connection, target: ServerAddress) -> None:
    """Make sure the database may receive the project: the schema at head (made or upgraded in
    this transaction), and no project in it but an unfilled new one, whose rows go."""
    tables = set(inspect(conn).get_table_names())
    if "alembic_version" not in tables:
        if tables:
            raise TransferRefused(
                f"The database {target.name} on {target.where} holds other tables: a push "
                "needs an empty database."
            )
    else:
        revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        if revision is not None and revision not in migrations.KNOWN_REVISIONS:
            raise TransferRefused(
                f"The database {target.name} on {target.where} holds a project of a newer "
                f"version of Annotator (schema {revision}); nothing was pushed."
            )
    migrations.upgrade_in(conn)
    filled = _filled(conn)  # counted even without a project id: nothing is ever deleted
    if filled:
        raise TransferRefused(
            f"The database {target.name} on {target.where} holds a project already "
            f"({filled}): a push needs an empty database."
        )
    for table in reversed(project_tables()):
        conn.execute(table.delete())


def _filled(conn: Connection) -> str:
    """What a project holds beyond what `annotator new` put there ("" when nothing)."""
    tables = Base.metadata.tables
    counted = (
        ("documents", "document(s)", None),
        ("annotations", "claim(s)", None),
        ("saved_searches", "saved search(es)", None),
        ("labels", "label(s) of its own", tables["labels"].c.builtin.is_(False)),
    )
    found = []
    for name, noun, where in counted:
        query = select(func.count()).select_from(tables[name])
        if where is not None:
            query = query.where(where)
        n = conn.execute(query).scalar_one()
        if n:
            found.append(f"{n} {noun}")
    return ", ".join(found)


def _move_sequences(conn: Connection) -> None:
    """Set each serial column's sequence past the copied rows (the change log's `seq`), so the
    server's next row does not take a number a copied row holds."""
    for table in project_tables():
        column = table.autoincrement_column
        if column is None:
            continue
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column.name}'), "
                f'COALESCE(MAX("{column.name}"), 1), MAX("{column.name}") IS NOT NULL) '
                f'FROM "{table.name}"'
            )
        )


# -- pull --------------------------------------------------------------------------------------


def pull(
    source: ServerAddress, target: Path | str, *, progress: Progress | None = None
) -> TransferResult:
    """Copy the project in the server's database `source` into the new file `target` (which
    must not exist): written under a temporary name beside it, renamed once complete."""
    path = Path(target)
    _refuse_existing(path)
    if not path.parent.is_dir():
        raise TransferRefused(f"{path.parent}: no such folder; nothing was pulled.")
    with Project.open(source) as project, _temporary_beside(path) as partial:
        if not project.project_id():
            raise TransferRefused(
                f"The database {source.name} on {source.where} holds no Annotator project "
                "yet; nothing was pulled."
            )
        try:
            migrations.upgrade(partial)
        except (DatabaseError, OSError) as exc:
            raise TransferRefused(
                f"{path}: cannot be written ({_first_line(exc)}); nothing was pulled."
            ) from exc
        engine = make_engine(partial)
        try:
            with _snapshot(project) as reader, engine.connect() as writer, writer.begin():
                rows = copy_tables(reader, writer, progress=progress, naive=True)
                number = _change_number(writer)
        except DBAPIError as exc:
            if not _from_file(exc):
                found = connection_error(source, exc).args[0].rstrip(".")
                raise TransferRefused(f"{found}; nothing was pulled.") from exc
            raise TransferRefused(
                f"{path}: cannot be written ({_first_line(exc)}); nothing was pulled."
            ) from exc
        finally:
            engine.dispose()
        _checkpoint(partial)
        _place(partial, path)
        return TransferResult(project.location, str(path), rows, number)


def _refuse_existing(path: Path) -> None:
    if path.exists() or path.is_symlink():
        raise TransferRefused(
            f"{path}: a file of that name exists already; a pull makes a new file "
            "(give another name)."
        )


@contextmanager
def _temporary_beside(path: Path) -> Iterator[Path]:
    """A new file's name in `path`'s folder, removed (with SQLite's -wal and -shm) on the way
    out unless it was renamed to `path`."""
    partial = path.with_name(f".{path.name}.pulling-{secrets.token_hex(4)}")
    try:
        yield partial
    finally:
        for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
            with suppress(FileNotFoundError):
                leftover.unlink()


def _checkpoint(path: Path) -> None:
    """Fold a -wal file left beside `path` into it: only `path` itself gets the new name."""
    if Path(f"{path}-wal").exists():
        conn = sqlite3.connect(path)
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()


def _place(partial: Path, path: Path) -> None:
    """Give the complete copy its name, never over a file that appeared meanwhile."""
    try:
        os.link(partial, path)  # fails if `path` exists: no window in which one is replaced
    except FileExistsError:
        _refuse_existing(path)
    except OSError:  # a file system without hard links
        _refuse_existing(path)
        os.replace(partial, path)


def _from_file(exc: DBAPIError) -> bool:
    """Whether SQLite raised `exc` (the file's side of a copy), not the server's driver."""
    return type(exc.orig).__module__ == "sqlite3"


def _said_by_server(exc: DBAPIError) -> bool:
    """Whether the server answered with an error of its own (it has a SQLSTATE), rather than
    the connection failing (server stopped, network gone)."""
    sqlstate = getattr(exc.orig, "sqlstate", None)
    return bool(sqlstate) and not str(sqlstate).startswith(("08", "57P"))


# -- copying ----------------------------------------------------------------------------------


@contextmanager
def _snapshot(project: Project) -> Iterator[Connection]:
    """One read transaction on the project: a consistent state to copy, which holds up no
    writer (`Project.read_snapshot` without its translation of errors: a failure of the target
    must not be reported as the source's)."""
    with (
        project.engine.connect().execution_options(**{READ_ONLY: True}) as conn,
        conn.begin(),
    ):
        yield conn


def copy_tables(
    reader: Connection,
    writer: Connection,
    *,
    progress: Progress | None = None,
    naive: bool = False,
) -> dict[str, int]:
    """Copy the rows of every project table from `reader` to `writer` (each in a transaction
    the caller began), in batches; returns the rows copied per table. `naive`: datetimes are
    written as naive UTC values (what a file stores)."""
    copied: dict[str, int] = {}
    for table in project_tables():
        order = list(table.primary_key.columns)
        # A row with a data column is a whole document's text or file (up to 100 MB): such
        # rows are fetched one at a time, the others a batch at a time.
        bulky = any(isinstance(column.type, LargeBinary) for column in table.columns)
        fetch = 1 if bulky else BATCH_ROWS
        result = reader.execute(select(table).order_by(*order).execution_options(yield_per=fetch))
        done = 0
        for batch in _batches(result, naive=naive):
            writer.execute(table.insert(), batch)
            done += len(batch)
            if progress is not None:
                progress(table.name, done)
        copied[table.name] = done
    return copied


def _batches(rows: Any, *, naive: bool) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    size = 0
    for row in rows:
        values = dict(row._mapping)
        for key, value in values.items():
            if isinstance(value, str | bytes):
                size += len(value)
            elif naive and isinstance(value, datetime):
                values[key] = naive_utc(value)
        batch.append(values)
        if len(batch) >= BATCH_ROWS or size >= BATCH_BYTES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _change_number(conn: Connection) -> int:
    meta = Base.metadata.tables["project_meta"]
    value = conn.execute(select(meta.c.value).where(meta.c.key == "change_number")).scalar()
    return int(value) if value else 0


def _first_line(exc: BaseException, server: ServerAddress | None = None) -> str:
    reason = str(getattr(exc, "orig", None) or exc).strip()
    line = (reason.splitlines() or [type(exc).__name__])[0].rstrip(".")
    password = server.url.password if server is not None else None
    return line.replace(str(password), "***") if password else line
