"""Noticing changes another window or program made to the open project.

Two processes may have one project open at once (SQLite WAL with `BEGIN IMMEDIATE` and a busy
timeout serialises their writes). Each commit bumps the project's change number and records
what it touched in the `changes` outbox, so a process learns what the other did by reading the
outbox rows after the last number it knows. The UI calls `ExternalChangeWatcher.poll()` from a
timer (about once a second) and refreshes from the `Changes` it returns.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import TYPE_CHECKING

from sqlalchemy.exc import DBAPIError

from annotator.services.changes import Changes, EntityRef
from annotator.storage.engine import readonly_uri
from annotator.storage.server import ServerError

if TYPE_CHECKING:
    from annotator.services.api import Project

EXTERNAL_DESCRIPTION = "Changes made in another window or program"


class ExternalChangeWatcher:
    """Reports the changes other processes (or other `Project` objects) commit.

    Cheap when nothing happened: one `PRAGMA data_version` on a connection of its own, which
    SQLite bumps whenever another connection commits; on a server, one read of the change
    number. This process's own mutations reach the watcher through `Project.subscribe` and are
    never reported back."""

    def __init__(self, project: Project, since: int | None = None, own: Iterable[int] = ()) -> None:
        """Watch from change `since` (the number the caller's view of the project was read
        at; default: now), `own` being this process's change numbers committed after it."""
        self.project = project
        self._conn: sqlite3.Connection | None = None
        if project.server is None:
            self._conn = sqlite3.connect(
                readonly_uri(project.path), uri=True, timeout=1.0, check_same_thread=False
            )
            self._conn.isolation_level = None  # no transaction left open between polls
        self._version = self._data_version()
        current = project.change_number()
        self._seen = current if since is None else min(since, current)
        self._own: set[int] = {n for n in own if n > self._seen}
        if self._seen < current:
            self._version = -1  # committed since the view was read: the first poll reads it
        self._unsubscribe = project.subscribe(self._on_own_change)

    def _on_own_change(self, changes: Changes) -> None:
        if changes.change_number > self._seen:
            self._own.add(changes.change_number)

    def _data_version(self) -> int:
        if self._conn is None:
            return self.project.change_number()  # a server: every commit bumps it
        return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    @property
    def change_number(self) -> int:
        """The highest change number this watcher has accounted for."""
        return self._seen

    def poll(self) -> Changes | None:
        """What others changed since the last poll, merged into one `Changes` (its
        `change_number` is the project's newest), or None when nobody else wrote."""
        try:
            version = self._data_version()
        except (sqlite3.Error, DBAPIError, ServerError):
            return None  # busy or gone for a moment: try again at the next poll
        if version == self._version:
            return None
        self._version = version
        number = self.project.change_number()
        if number <= self._seen:
            return None
        # Only this process wrote (an import of thousands of claims is one change number and
        # as many outbox rows): nothing to read, nothing to report.
        only_own = all(n in self._own for n in range(self._seen + 1, number + 1))
        rows = [
            r
            for r in ([] if only_own else self.project.changes_since(self._seen))
            if r[0] <= number and r[0] not in self._own
        ]
        self._seen = number
        self._own = {n for n in self._own if n > number}
        return merge_changes(number, rows)

    def close(self) -> None:
        self._unsubscribe()
        if self._conn is not None:
            self._conn.close()

    def __enter__(self) -> ExternalChangeWatcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def merge_changes(number: int, rows: list[tuple[int, str, str, str]]) -> Changes | None:
    """One `Changes` with the net effect of outbox rows (in commit order) on each entity:
    made and deleted meanwhile = not reported; deleted = removed; made = added; else changed."""
    first: dict[EntityRef, str] = {}
    last: dict[EntityRef, str] = {}
    for _number, entity, entity_id, op in rows:
        ref = EntityRef(entity, entity_id)
        first.setdefault(ref, op)
        last[ref] = op
    added: list[EntityRef] = []
    changed: list[EntityRef] = []
    removed: list[EntityRef] = []
    for ref, op in last.items():
        if op == "removed":
            if first[ref] != "added":
                removed.append(ref)
        elif first[ref] == "added":
            added.append(ref)
        else:
            changed.append(ref)
    if not (added or changed or removed):
        return None
    return Changes(
        change_number=number,
        added=tuple(added),
        changed=tuple(changed),
        removed=tuple(removed),
        description=EXTERNAL_DESCRIPTION,
    )
