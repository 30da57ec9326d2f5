"""A project: one SQLite file or one database on a PostgreSQL server, and the machinery every
change goes through (one transaction, the outbox, the listeners). Getting a file or a server's
database ready to be opened (checks, schema upgrades) is `services.opening`.

Every mutation runs in one transaction through `Project._mutation()`, records what it touched in
the `changes` outbox in that same transaction, bumps the project-wide change number, and returns
a `Changes` that listeners (UI, search indexer, undo stack) receive after the commit.

Writers are serialised (SQLite's BEGIN IMMEDIATE; on a server an advisory lock taken when the
transaction begins, see `annotator.storage.server`), so change numbers, and the `changes` rows,
are handed out in commit order: whoever follows the outbox from the last number it read never
misses a change that committed late.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, event, func, select
from sqlalchemy.exc import (
    DatabaseError,
    DataError,
    IntegrityError,
    OperationalError,
)
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.attributes import get_history
from sqlalchemy.orm.exc import StaleDataError

from annotator.domain.errors import AnnotatorError, ConflictError, ValidationError
from annotator.domain.model import new_id, utcnow
from annotator.services import opening
from annotator.services.author import account_name
from annotator.services.author import chosen as chosen_author
from annotator.services.change_owners import ChangeOwners
from annotator.services.changes import ChangeCollector, Changes
from annotator.services.opening import db_reason
from annotator.storage.engine import (
    READ_ONLY,
    ProjectDamaged,
    ProjectError,
    make_engine,
)
from annotator.storage.mapping import aware, naive_utc
from annotator.storage.orm import ChangeRow, ClaimRow, LinkRow, ProjectMetaRow, SettingRow
from annotator.storage.server import (
    ServerAddress,
    connection_error,
    parse_location,
)
from annotator.storage.server_listen import notify_change
from annotator.storage.server_rights import Right, RightsError, denial, is_denied

if TYPE_CHECKING:
    from annotator.services.api import Project

_log = logging.getLogger(__name__)

Listener = Callable[[Changes], None]


class ReadOnlyProject(AnnotatorError):
    """A change was asked of a project opened read-only."""


class WriteFailed(AnnotatorError):
    """The disk refused a write (full, read-only, gone). Nothing of the change was saved."""


class ProjectBase:
    """Opening and transactions. The services mix their methods into `Project`."""

    def __init__(
        self, path: Path, engine: Engine, *, readonly: bool, server: ServerAddress | None = None
    ) -> None:
        self.path = path
        """The project's file; for a project on a server, a name only (its database's)."""
        self.server = server
        """Where the project is when it is on a server (None for a file)."""
        self.name = server.name if server is not None else path.name
        """The project's name for titles and messages: its file's or its database's."""
        self.location = server.display if server is not None else str(path)
        """The file's path or the server's URL, as shown to the user (never with a password)."""
        self.engine = engine
        self.readonly = readonly
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        # Reads begin deferred (not BEGIN IMMEDIATE): a read inside a mutation, such as the
        # author's name on the first claim, must not wait for the mutation's own write lock.
        self._read_sessions = sessionmaker(
            engine.execution_options(**{READ_ONLY: True}), expire_on_commit=False
        )
        self._listeners: list[Listener] = []
        self._lock = threading.RLock()
        self._author: str | None = None
        self._member: _Membership | None = None
        self.readonly_reason = (
            f"{self.name} is open read-only; changes cannot be saved." if readonly else ""
        )
        """Why the project is read-only, one sentence for a banner ("" when it is writable)."""

    # -- opening -----------------------------------------------------------------------------

    @classmethod
    def create(cls, path: Path | str | ServerAddress) -> Project:
        """Make a new project: a new file, or a project in an empty database of a server (the
        server's administrator creates the database)."""
        location = parse_location(path)
        if isinstance(location, ServerAddress):
            return cls._create_on_server(location)
        opening.create_file(location)
        project = cls._open_checked(location, readonly=False)
        project._seed()
        return project

    @classmethod
    def open(cls, path: Path | str | ServerAddress, *, readonly: bool = False) -> Project:
        """Open an existing project (a file, or a server URL), upgrading its schema. Refuses
        damaged, foreign and newer files without modifying them; a damaged or missing file's
        message says which backup can be restored. A file or folder that cannot be written
        opens read-only, and `readonly_reason` says why. A server that cannot be reached, or
        refuses the password, is a `ServerError` of one sentence."""
        location = parse_location(path)
        if isinstance(location, ServerAddress):
            return cls._open_server(location, readonly=readonly)
        path = location
        try:
            return cls._open_file(path, readonly=readonly)
        except ProjectError as exc:
            if not isinstance(exc, ProjectDamaged) and path.exists():
                raise
            from annotator.services.backup import damage_advice

            advice = damage_advice(path)
            if not advice:
                raise
            raise type(exc)(f"{exc} {advice}") from exc

    @classmethod
    def _open_file(cls, path: Path, *, readonly: bool) -> Project:
        blocker = opening.prepare_file(path, readonly=readonly)
        project = cls._open_checked(path, readonly=readonly or bool(blocker))
        if blocker:
            project.readonly_reason = (
                f"{path.name} is open read-only because {blocker}; changes cannot be saved."
            )
        return project

    @classmethod
    def _open_checked(cls, path: Path, *, readonly: bool) -> Project:
        engine = make_engine(path, readonly=readonly)
        return cls(path, engine, readonly=readonly)  # type: ignore[return-value]

    # -- a project on a server ---------------------------------------------------------------

    @classmethod
    def _open_server(cls, address: ServerAddress, *, readonly: bool) -> Project:
        """Open the project in a server's database, upgrading its schema first (no backup: a
        server's backups are its administrator's)."""
        opening.prepare_server(address, readonly=readonly)
        return cls._open_server_checked(address, readonly=readonly)

    @classmethod
    def _create_on_server(cls, address: ServerAddress) -> Project:
        opening.prepare_new_server(address)
        project = cls._open_server_checked(address, readonly=False)
        project._seed()
        return project

    @classmethod
    def _open_server_checked(cls, address: ServerAddress, *, readonly: bool) -> Project:
        engine = make_engine(address, readonly=readonly)
        path = Path(address.database or "project")
        return cls(path, engine, readonly=readonly, server=address)  # type: ignore[return-value]

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
        with self._server_reachable(), self._read_sessions() as session:
            yield session

    @contextmanager
    def _server_reachable(self) -> Iterator[None]:
        """On a server, a read that finds it gone (stopped, network down) is a `ServerError`
        of one sentence; the next read reconnects."""
        try:
            yield
        except OperationalError as exc:
            if self.server is None:
                raise
            raise connection_error(self.server, exc) from exc

    @contextmanager
    def read_snapshot(self) -> Iterator[Connection]:
        """One read transaction on a connection of its own: everything read inside it is one
        consistent state, and it never holds up a writer (WAL; a deferred BEGIN, not the
        BEGIN IMMEDIATE of mutations). For long reads outside the services: the search indexer,
        `check`, exports."""
        with (
            self._server_reachable(),
            self.engine.connect().execution_options(**{READ_ONLY: True}) as conn,
            conn.begin(),
        ):
            yield conn

    @contextmanager
    def _mutation(self, description: str) -> Iterator[tuple[Session, ChangeCollector]]:
        """One write transaction: yields the session and a collector of what it touches."""
        if self.readonly:
            raise ReadOnlyProject(
                self.readonly_reason or f"{self.name} is open read-only; changes cannot be saved."
            )
        collector = ChangeCollector()
        # Read before the write transaction starts: the first read of the author setting opens
        # a second connection, which would wait on this transaction's own write lock.
        author = self.author
        with self._lock:
            try:
                with self._sessions() as session, session.begin():
                    session.connection()  # begin now: the write lock is held from here on
                    self._guard_rights(session)
                    owners = ChangeOwners(session, collector)
                    yield session, collector
                    number = self._bump(session)
                    if self.server is not None:  # wakes the other clients at commit
                        notify_change(session, number)
                    now = naive_utc(utcnow())
                    owner = owners.owners()
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
                                    author=author,
                                    owner=owner.get(ref),
                                )
                            )
            except StaleDataError as exc:
                # Under the write lock a row read in this transaction vanishes from an UPDATE
                # only when row-level security hides it from this member.
                if self.server is None:
                    raise
                raise RightsError(self._denial()) from exc
            except IntegrityError as exc:
                # The services check what they can first; this is the safety net for a rule
                # only the database knows (a unique name or link, a missing row).
                raise ConflictError(
                    "The change conflicts with what the project holds already and was not saved "
                    f"({db_reason(exc)})."
                ) from exc
            except DataError as exc:
                # A server holds text to its column's length and refuses NUL characters,
                # where SQLite stores anything.
                raise ValidationError(_data_error(exc)) from exc
            except DatabaseError as exc:
                if self.server is not None and is_denied(exc):
                    # The server refused a right (a GRANT or a row-level security policy).
                    raise RightsError(self._denial(exc)) from exc
                # The disk or the file failed (full, locked, read-only, corrupt). Anything
                # else (ProgrammingError...) is a bug of ours and must stay loud.
                if not (isinstance(exc, OperationalError) or type(exc) is DatabaseError):
                    raise
                raise _write_error(self.name, exc, server=self.server) from exc
        collector.result = result = Changes(
            change_number=number,
            added=tuple(collector.added),
            changed=tuple(collector.changed),
            removed=tuple(collector.removed),
            created_id=collector.created_id,
            description=description,
            author=author,
        )
        for listener in list(self._listeners):
            # The change is committed whatever a listener does: a failing listener (a view
            # refreshing, the indexer waking) must not make the caller believe it failed.
            try:
                listener(result)
            except Exception:
                _log.exception("A listener failed on change %s", result.change_number)

    def _bump(self, session: Session) -> int:
        # The transaction holds the write lock (see the module's docstring), so no other
        # writer reads this number until this one commits; the row lock of a server says so
        # once more, for a writer that skipped the advisory lock.
        row = session.get(ProjectMetaRow, "change_number", with_for_update=True)
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
        """Outbox rows after change `number`: (change_number, entity, id, op), in order. Under
        blind coding, a member who is not an admin reads no row of another's claim or link: the
        numbers read may have gaps, so a reader goes on from the project's change number."""
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
            return aware(value) if value is not None else None  # UTC, like every other time

    @property
    def author(self) -> str:
        """Who makes the changes. In a team project (a server project whose rights are set up:
        `annotator.storage.server_rights`) the server's word: the database role the project is
        open as, whatever name was chosen. Elsewhere the name chosen for this process
        (`services.author`: the app's setting, `--author`, ANNOTATOR_AUTHOR), else the
        project's `author` setting, else the account's full name or login name."""
        member = self.membership()
        if member is not None and member.team:
            return member.role
        name = chosen_author()
        if name:
            return name
        if self._author is None:
            self._author = self.setting("author") or account_name()
        return self._author

    def set_author(self, name: str) -> None:
        self.set_setting("author", name.strip())
        self._author = name.strip() or account_name()

    # -- members' rights (a project on a server) ----------------------------------------------

    def membership(self) -> _Membership | None:
        """Who this project is open as on its server, and with what right (read once); None
        for a project file."""
        if self.server is None:
            return None
        if self._member is None:
            from annotator.storage import server_rights as rights

            with self._server_reachable(), self.read_snapshot() as conn:
                team = rights.rights_set_up(conn)
                role = rights.current_role(conn)
                right = rights.right_of(conn) if team else Right.ADMIN
            self._member = _Membership(role=role, right=right, team=team)
        return self._member

    def forget_membership(self) -> None:
        """Read the role's right again at its next use (after members or rights changed)."""
        self._member = None
        self._author = None

    def require_right(self, right: Right, doing: str) -> None:
        """Refuse, in one sentence, what a member below `right` asks of a team project
        (`doing`: "settle disagreements"); a project file and a server project without rights
        allow everything."""
        member = self.membership()
        if member is None or not member.team:
            return
        rank = [Right.ADMIN, Right.ANNOTATOR, Right.READER]
        if member.right is not None and rank.index(member.right) <= rank.index(right):
            return
        if member.right is None:
            raise RightsError(denial(None, member.role))
        raise RightsError(
            f"You are {member.right.article} {member.right.value} of this study: only its "
            f"{right.value}s {doing}."
        )

    def _denial(self, exc: BaseException | None = None) -> str:
        member = self.membership()
        if member is None:
            return "The server refused the change."
        return denial(member.right if member.team else None, member.role, exc)

    def _guard_rights(self, session: Session) -> None:
        """In a team project, refuse before it is written the change of another member's claim
        or link by a member who is not an admin: the server's row-level security would skip
        such a row without an error, where the member deserves a sentence."""
        member = self.membership()
        if member is None or not member.team or member.right is Right.ADMIN:
            return
        me = member.role

        def check(session: Session, _context: object, _instances: object) -> None:
            for row in (*session.dirty, *session.deleted):
                if not isinstance(row, ClaimRow | LinkRow):
                    continue
                history = get_history(row, "author")
                before = (history.deleted or history.unchanged or [me])[0]
                if before != me:
                    raise RightsError(self._denial_on_claims())

        event.listen(session, "before_flush", check)

    def _denial_on_claims(self) -> str:
        member = self.membership()
        assert member is not None
        if member.right is Right.READER:
            return denial(Right.READER, member.role)
        return denial(member.right, member.role, RuntimeError('table "annotations"'))

    def setting(self, key: str, default: str = "") -> str:
        with self._read() as session:
            row = session.get(SettingRow, key)
            return row.value if row else default

    def set_setting(self, key: str, value: str) -> Changes:
        with self._mutation("Change setting") as (session, changes):
            row = session.get(SettingRow, key)
            if row is None:
                session.add(SettingRow(key=key, value=value))
            else:
                row.value = value
        return changes.done()


@dataclass(frozen=True)
class _Membership:
    role: str
    """The database role the project is open as (`current_user`)."""
    right: Right | None
    """Its right in the study (None: not a member); an admin where rights are not set up."""
    team: bool
    """Whether the study's rights are set up on the server (a team project)."""


def _data_error(exc: DataError) -> str:
    """One sentence for a value the database would not store."""
    message = str(exc.orig)
    if "NUL" in message or "0x00" in message:
        return (
            "A text holds a NUL character (U+0000), which a server project cannot store; "
            "the change was not saved."
        )
    longest = re.search(r"character varying\((\d+)\)", message)
    if longest:
        return (
            f"A text is too long for the project: at most {longest.group(1)} characters fit "
            "there; the change was not saved."
        )
    return f"A value does not fit the project ({db_reason(exc)}); the change was not saved."


def _write_error(
    name: str, exc: DatabaseError, *, server: ServerAddress | None = None
) -> AnnotatorError:
    message = str(exc.orig).lower()
    if server is not None:
        if "lock timeout" in message:
            return WriteFailed(
                f"{name} is busy with another member's change; the change was not saved. Try again."
            )
        if "read-only transaction" in message:
            return WriteFailed(f"{name} is open read-only; the change was not saved.")
        found = connection_error(server, exc)
        if not found.args[0].startswith(f"The server {server.where} cannot open"):
            return WriteFailed(f"{found.args[0].rstrip('.')}; the change was not saved.")
        return WriteFailed(f"The change could not be saved to {name} ({db_reason(exc)}).")
    if "full" in message:
        return WriteFailed(f"The disk is full: the change was not saved to {name}.")
    if "readonly" in message or "read-only" in message:
        return WriteFailed(f"{name} cannot be written (read-only); the change was not saved.")
    if "locked" in message or "busy" in message:
        return WriteFailed(
            f"{name} is busy in another program; the change was not saved. Try again."
        )
    if "disk i/o" in message:
        return WriteFailed(f"The disk failed while saving to {name}; the change was not saved.")
    return WriteFailed(f"The change could not be saved to {name} ({exc.orig}).")
