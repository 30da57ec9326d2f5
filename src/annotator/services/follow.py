"""Following a server project's change log as other members commit, from a thread of its own.

The `changes` outbox is the truth: its change numbers are handed out in commit order (writers
take the server's write lock), so reading the rows after the last number seen never skips a
change. A notification (`storage.server_listen`) only wakes the follower; without one it reads
the log every `poll_s` seconds anyway. This process's own changes reach its listeners through
`Project.subscribe` and are not reported again.

When the server goes away (its LISTEN connection breaks) the follower says so once
(`on_state(False, reason)`), tries again with a growing delay, and when it is back says so
(`on_state(True, "")`) and catches up from its last change number. Both callbacks run on the
follower's thread unless a `deliver` function hands them on (the app's to its GUI thread, where
this process's own changes are told apart). No Qt here.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import DBAPIError

from annotator.domain.errors import AnnotatorError
from annotator.services.changes import Changes
from annotator.services.watch import merge_changes
from annotator.storage.server import ServerError

if TYPE_CHECKING:
    from annotator.services.api import Project

_log = logging.getLogger(__name__)

POLL_S = 3.0
"""Read the log this often when no notification came (a missed one costs at most this)."""

RETRY_S = (0.25, 0.5, 1.0, 2.0, 4.0)
"""Delays between attempts to reach a server that went away (the last one repeats)."""

WAIT_SLICE_S = 0.2
"""How long one wait for a notification lasts before the follower looks whether to stop."""

SERVER_GONE = "The server went away: reading what is here; changes are refused until it is back."
"""What the window says while the server is gone."""

CHANGE_REFUSED = (
    "The server went away: changes are refused until it is back; this one was not saved."
)
"""The one sentence of an edit refused while the server is gone."""


class ServerFollower:
    """Reports the changes other clients commit to a server project, as they commit."""

    def __init__(
        self,
        project: Project,
        on_changes: Callable[[Changes], None],
        on_state: Callable[[bool, str], None] | None = None,
        *,
        since: int | None = None,
        poll_s: float = POLL_S,
        deliver: Callable[[Callable[[], object]], None] | None = None,
    ) -> None:
        if project.server is None:
            raise ValueError("only a project on a server is followed")
        self.project = project
        self.address = project.server
        self._on_changes = on_changes
        self._on_state = on_state or (lambda _up, _reason: None)
        self.poll_s = poll_s
        self._deliver = deliver
        self._lock = threading.Lock()
        self._seen = project.change_number() if since is None else since
        self._own: set[int] = set()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._listener: object = None
        self.connected = False
        self._told = False
        """Whether the follower's connection to the server is up (after its first try)."""
        self._unsubscribe = project.subscribe(self._on_own_change)

    # -- this process's own changes ------------------------------------------------------------

    def _on_own_change(self, changes: Changes) -> None:
        with self._lock:
            if changes.change_number > self._seen:
                self._own.add(changes.change_number)

    def is_own(self, number: int) -> bool:
        """Whether change `number` was made by this process (its listeners had it already)."""
        with self._lock:
            return number in self._own

    @property
    def change_number(self) -> int:
        """The last change number read from the log."""
        with self._lock:
            return self._seen

    # -- the thread ----------------------------------------------------------------------------

    def start(self) -> None:
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="annotator-follow", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the thread (it ends within one poll's wait) and forget the project."""
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout)
        self._unsubscribe()

    def _run(self) -> None:
        from annotator.storage.server_listen import ChangeListener

        attempt = 0
        listener: ChangeListener | None = None
        while not self._stop.is_set():
            if listener is None:
                try:
                    listener = ChangeListener(self.address)
                except ServerError as exc:
                    self._state(False, str(exc))
                    self._stop.wait(RETRY_S[min(attempt, len(RETRY_S) - 1)])
                    attempt += 1
                    continue
                attempt = 0
                try:
                    self.catch_up()  # what committed while nobody listened
                except (ServerError, DBAPIError) as exc:
                    listener.close()
                    listener = None
                    self._state(False, str(exc))
                    continue
                self._state(True, "")
            try:
                self._wait(listener)
                if self._stop.is_set():
                    break
                self.catch_up()
            except (ServerError, DBAPIError) as exc:
                listener.close()
                listener = None
                self._state(False, str(exc))
            except AnnotatorError as exc:  # a read refused for a reason of its own: say, go on
                _log.warning("following %s: %s", self.address, exc)
                self._stop.wait(self.poll_s)
        if listener is not None:
            listener.close()

    def _wait(self, listener: Any) -> None:
        """Wait for a notification, at most `poll_s`, in short slices: `stop` is heard soon."""
        deadline = time.monotonic() + self.poll_s
        while not self._stop.is_set():
            left = deadline - time.monotonic()
            if left <= 0 or listener.wait(min(WAIT_SLICE_S, left)):
                return

    def _state(self, up: bool, reason: str) -> None:
        """Say a change of state once (the first state is always said)."""
        if up == self.connected and self._told:
            return
        self._told = True
        self.connected = up
        if not up:
            _log.info("the server of %s went away: %s", self.project.name, reason)
        self._on_state(up, reason)

    def catch_up(self) -> Changes | None:
        """Read the log after the last change number seen and report what others changed
        (None when nothing); runs on the follower's thread (tests call it directly)."""
        with self._lock:
            seen = self._seen
        # Every change up to the project's number has committed with its rows, but a member may
        # not read them all (blind coding hides the rows of others' claims): the number read
        # first is where the next read starts, so rows hidden from this member are not read
        # again at every poll.
        top = self.project.change_number()
        rows = self.project.changes_since(seen)
        number = max([top, *(r[0] for r in rows)])
        with self._lock:
            self._seen = max(self._seen, number)
        if not rows:
            return None
        if self._deliver is not None:
            # Sorted out where it is delivered: a change of this process committed on that
            # thread is known as its own there by then (its listeners ran after the commit).
            self._deliver(lambda: self._report(number, rows))
            return None
        return self._report(number, rows)

    def _report(self, number: int, rows: list[tuple[int, str, str, str]]) -> Changes | None:
        with self._lock:
            own = set(self._own)
            self._own = {n for n in self._own if n > number}
        changes = merge_changes(number, [r for r in rows if r[0] not in own])
        if changes is not None:
            self._on_changes(changes)
        return changes

    def wait_until(self, predicate: Callable[[], bool], timeout: float) -> bool:
        """For tests and the command line: wait (without an event loop) until `predicate`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return True
            time.sleep(0.01)
        return predicate()
