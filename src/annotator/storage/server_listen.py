"""Waking the clients of a server project when a change commits: NOTIFY in each writing
transaction, LISTEN on a connection of the follower's own.

The `changes` outbox (with its change numbers, handed out in commit order) is the truth; a
notification only says "read the log now". PostgreSQL sends it at commit, to the sessions of the
same database that listen on the channel, and drops it when the transaction rolls back, so a
client is never woken for a change that is not there. A notification can still be missed (the
listener was reconnecting): followers also read the log every few seconds.
"""

from __future__ import annotations

import contextlib
import time
from collections import deque
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from annotator.storage.server import CONNECT_TIMEOUT_S, ServerAddress, connection_error

CHANNEL = "annotator_changes"
"""The channel of change notifications. Notifications stay within their database, so one
channel name serves every project of a server; the payload is the change number."""


def notify_change(session: Session, number: int) -> None:
    """Inside a writing transaction on a server: wake the listeners when it commits."""
    session.execute(
        text("SELECT pg_notify(:channel, :number)"), {"channel": CHANNEL, "number": str(number)}
    )


class ChangeListener:
    """A connection of its own that LISTENs for change notifications (autocommit, no pool).

    `wait(timeout)` returns True when a notification came (or several: they are drained
    together) and False when the timeout passed; a connection that breaks (the server stopped,
    the network went) raises `ServerError` of one sentence. Used from one thread only."""

    def __init__(self, address: ServerAddress) -> None:
        import psycopg

        self.address = address
        url = address.url._replace(drivername="postgresql")
        conninfo = url.render_as_string(hide_password=False)
        options: dict[str, Any] = {"autocommit": True, "application_name": "annotator-follow"}
        if "connect_timeout" not in address.url.query:
            options["connect_timeout"] = CONNECT_TIMEOUT_S
        try:
            self._conn: Any = psycopg.connect(conninfo, **options)
            self._conn.execute(f"LISTEN {CHANNEL}")
        except psycopg.Error as exc:
            raise connection_error(address, exc) from exc

    def wait(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds for a notification."""
        import psycopg

        deadline = time.monotonic() + timeout
        woken = False
        try:
            for _notify in self._conn.notifies(timeout=max(0.0, timeout), stop_after=1):
                woken = True
            # Drain what else is pending at once: one read of the log serves them all.
            if woken:
                deque(self._conn.notifies(timeout=0.0), maxlen=0)
            elif time.monotonic() < deadline - 0.05:
                # notifies() returned early without a notification: the connection's state
                # says why (closed by the server).
                self._conn.execute("SELECT 1")
        except psycopg.Error as exc:
            raise connection_error(self.address, exc) from exc
        return woken

    def close(self) -> None:
        with contextlib.suppress(Exception):  # closing a broken connection must not fail
            self._conn.close()
