"""A project: one SQLite file. Opening, the transaction machinery, and read queries.

Every mutation runs in one transaction through `Project._mutation()`, records what it touched in
the `changes` outbox in that same transaction, bumps the project-wide change number, and returns
a `Changes` that listeners (UI, search indexer, undo stack) receive after the commit.
"""

from __future__ import annotations

import getpass
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from annotator.domain.errors import AnnotatorError
from annotator.domain.model import new_id, utcnow
from annotator.services.changes import ChangeCollector, Changes
from annotator.storage import migrations
from annotator.storage.engine import (
    ProjectDamaged,
    ProjectError,
    check_file,
    make_engine,
    quick_check,
    table_names,
)
from annotator.storage.mapping import naive_utc
from annotator.storage.orm import ChangeRow, ProjectMetaRow, SettingRow

if TYPE_CHECKING:
    from annotator.services.api import Project

Listener = Callable[[Changes], None]


class ReadOnlyProject(AnnotatorError):
    """A change was asked of a project opened read-only."""


class WriteFailed(AnnotatorError):
    """The disk refused a write (full, read-only, gone). Nothing of the change was saved."""


class ProjectBase:
    """Opening and transactions. The services mix their methods into `Project`."""

    def __init__(self, path: Path, engine: Engine, *, readonly: bool) -> None:
        self.path = path
        self.engine = engine
        self.readonly = readonly
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._listeners: list[Listener] = []
        self._lock = threading.RLock()
        self._author: str | None = None

    # -- opening -----------------------------------------------------------------------------

    @classmethod
    def create(cls, path: Path | str) -> Project:
        path = Path(path)
        if path.exists():
            raise ProjectError(f"{path}: a file of that name exists already.")
        if not path.parent.is_dir():
            raise ProjectError(f"{path.parent}: no such folder.")
        try:
            migrations.upgrade(path)
        except OperationalError as exc:
            path.unlink(missing_ok=True)
            raise ProjectError(f"{path}: cannot create the project ({exc.orig}).") from exc
        project = cls._open_checked(path, readonly=False)
        project._seed()
        return project

    @classmethod
    def open(cls, path: Path | str, *, readonly: bool = False) -> Project:
        """Open an existing project, upgrading its schema. Refuses damaged, foreign and newer
        files without modifying them."""
        path = Path(path)
        check_file(path)
        probe = make_engine(path, readonly=True)
        try:
            quick_check(probe, path)
            tables = table_names(probe)
            if "alembic_version" not in tables or "project_meta" not in tables:
                raise ProjectDamaged(
                    f"{path.name} is a SQLite database but not an Annotator project."
                )
            upgrade = migrations.needs_upgrade(probe)
        except DatabaseError as exc:
            raise ProjectDamaged(
                f"{path.name} is damaged and cannot be read ({exc.orig})."
            ) from exc
        finally:
            probe.dispose()
        if upgrade:
            if readonly:
                raise ProjectError(
                    f"{path.name} needs a schema upgrade, which a read-only open cannot do."
                )
            migrations.upgrade(path)
        return cls._open_checked(path, readonly=readonly)

    @classmethod
    def _open_checked(cls, path: Path, *, readonly: bool) -> Project:
        engine = make_engine(path, readonly=readonly)
        return cls(path, engine, readonly=readonly)  # type: ignore[return-value]

    def _seed(self) -> None:
        """First contents of a new project: its id and the built-in labels."""
        from annotator.domain.model import BUILTIN_LABELS
        from annotator.storage.orm import LabelRow

        with self._mutation("Create project") as (session, changes):
            session.add(ProjectMetaRow(key="project_id", value=new_id()))
            session.add(ProjectMetaRow(key="created", value=utcnow().isoformat()))
            for position, (name, color, key, description) in enumerate(BUILTIN_LABELS):
                row = LabelRow(
                    id=new_id(),
                    name=name,
                    color=color,
                    key=key,
                    position=position,
                    builtin=True,
                    description=description,
                )
                session.add(row)
                changes.add("label", row.id)

    def close(self) -> None:
        self._listeners.clear()
        self.engine.dispose()

    def __enter__(self) -> Project:
        return self  # type: ignore[return-value]

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- listeners ---------------------------------------------------------------------------

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call `listener(changes)` after every committed mutation; returns an unsubscribe."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    # -- transactions ------------------------------------------------------------------------

    @contextmanager
    def _read(self) -> Iterator[Session]:
        with self._sessions() as session:
            yield session

    @contextmanager
    def _mutation(self, description: str) -> Iterator[tuple[Session, ChangeCollector]]:
        """One write transaction: yields the session and a collector of what it touches."""
        if self.readonly:
            raise ReadOnlyProject(f"{self.path.name} is open read-only; changes cannot be saved.")
        collector = ChangeCollector()
        with self._lock:
            try:
                with self._sessions() as session, session.begin():
                    yield session, collector
                    number = self._bump(session)
                    now = naive_utc(utcnow())
                    for op, refs in (
                        ("added", collector.added),
                        ("changed", collector.changed),
                        ("removed", collector.removed),
                    ):
                        for ref in refs:
                            session.add(
                                ChangeRow(
                                    change_number=number,
                                    entity=ref.entity,
                                    entity_id=ref.id,
                                    op=op,
                                    at=now,
                                )
                            )
            except OperationalError as exc:
                raise _write_error(self.path, exc) from exc
        collector.result = result = Changes(
            change_number=number,
            added=tuple(collector.added),
            changed=tuple(collector.changed),
            removed=tuple(collector.removed),
            created_id=collector.created_id,
            description=description,
            author=self.author,
        )
        for listener in list(self._listeners):
            listener(result)

    def _bump(self, session: Session) -> int:
        row = session.get(ProjectMetaRow, "change_number")
        if row is None:
            row = ProjectMetaRow(key="change_number", value="0")
            session.add(row)
        number = int(row.value) + 1
        row.value = str(number)
        return number

    # -- project facts -----------------------------------------------------------------------

    def change_number(self) -> int:
        with self._read() as session:
            row = session.get(ProjectMetaRow, "change_number")
            return int(row.value) if row else 0

    def project_id(self) -> str:
        with self._read() as session:
            row = session.get(ProjectMetaRow, "project_id")
            return row.value if row else ""

    def changes_since(self, number: int) -> list[tuple[int, str, str, str]]:
        """Outbox rows after change `number`: (change_number, entity, id, op), in order."""
        with self._read() as session:
            rows = session.execute(
                select(ChangeRow.change_number, ChangeRow.entity, ChangeRow.entity_id, ChangeRow.op)
                .where(ChangeRow.change_number > number)
                .order_by(ChangeRow.seq)
            )
            return [(r[0], r[1], r[2], r[3]) for r in rows]

    def last_modified(self) -> datetime | None:
        with self._read() as session:
            value = session.scalar(select(func.max(ChangeRow.at)))
            return value

    @property
    def author(self) -> str:
        """Who makes the changes: the project's `author` setting, else the login name."""
        if self._author is None:
            self._author = self.setting("author") or _login_name()
        return self._author

    def set_author(self, name: str) -> None:
        self.set_setting("author", name.strip())
        self._author = name.strip() or _login_name()

    def setting(self, key: str, default: str = "") -> str:
        with self._read() as session:
            row = session.get(SettingRow, key)
            return row.value if row else default

    def set_setting(self, key: str, value: str) -> None:
        with self._mutation("Change setting") as (session, _):
            row = session.get(SettingRow, key)
            if row is None:
                session.add(SettingRow(key=key, value=value))
            else:
                row.value = value


def _login_name() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "unknown"


def _write_error(path: Path, exc: OperationalError) -> AnnotatorError:
    message = str(exc.orig).lower()
    if "full" in message:
        return WriteFailed(f"The disk is full: the change was not saved to {path.name}.")
    if "readonly" in message or "read-only" in message:
        return WriteFailed(f"{path.name} cannot be written (read-only); the change was not saved.")
    if "locked" in message or "busy" in message:
        return WriteFailed(
            f"{path.name} is busy in another program; the change was not saved. Try again."
        )
    if "disk i/o" in message:
        return WriteFailed(
            f"The disk failed while saving to {path.name}; the change was not saved."
        )
    return WriteFailed(f"The change could not be saved to {path.name} ({exc.orig}).")
