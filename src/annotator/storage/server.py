"""Projects on a PostgreSQL server: their address, the engine that talks to them, their errors.

A project is a file or a server URL: `postgresql://[user[:password]@]host[:port]/dbname` (also
`postgresql+psycopg://` and libpq's `postgres://`). The driver is psycopg 3, which goes through
libpq, so libpq's conventions hold as users know them: a password from `~/.pgpass` (or the file
`PGPASSFILE` names), `PGSERVICE`/`?service=`, `PGSSLMODE`/`?sslmode=`, `PGHOST`... A password
given in the URL is used to connect and never shown: `ServerAddress.display`, `str()`, `repr()`
and every message name the server without it.

Writers take one lock per database (`pg_advisory_xact_lock`) when their transaction begins, as a
SQLite writer takes the file's write lock with BEGIN IMMEDIATE: writes are serialised, the
services' read-then-write steps hold, and the change numbers (and the `changes` rows) are
assigned in commit order, so a client that follows the change log from its last number never
skips a change committed late. Reads run in REPEATABLE READ, READ ONLY transactions: one
consistent snapshot each, like a deferred SQLite read.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from annotator.domain.errors import AnnotatorError

SERVER_SCHEMES = ("postgresql", "postgresql+psycopg", "postgres")
"""The URL schemes of a project on a server (the part before `://`)."""

DRIVER = "postgresql+psycopg"

WRITE_LOCK = 0x616E6E6F74  # "annot": the advisory lock every writing transaction takes first
"""Key of the transaction-level advisory lock that serialises writers (one per database)."""

LOCK_TIMEOUT_S = 10
"""How long a write waits for another member's write before it is refused as busy (SQLite's
busy timeout is the same)."""

CONNECT_TIMEOUT_S = 10


class ServerError(AnnotatorError):
    """A server project that cannot be reached or opened: down, wrong password, no database."""


def is_server_url(location: object) -> bool:
    """Whether `location` (a str or a Path given on a command line) is a server URL."""
    if not isinstance(location, str):
        return False
    scheme, sep, _ = location.partition("://")
    return bool(sep) and scheme.lower() in SERVER_SCHEMES


@dataclass(frozen=True)
class ServerAddress:
    """Where a project on a server is: a URL, whose password (if it has one) is never shown."""

    url: URL = field(repr=False)
    """SQLAlchemy's URL, driver `postgresql+psycopg`; it may hold the password: never print it."""

    @classmethod
    def parse(cls, text: str) -> ServerAddress:
        if not is_server_url(text):
            raise ServerError(
                "A server project's address starts with postgresql:// "
                "(postgresql://user@host:port/database)."
            )
        try:
            url = make_url(text.strip())
        except (ArgumentError, ValueError):
            raise ServerError(
                f"{_without_password(text)} is not a valid server address "
                "(postgresql://user@host:port/database)."
            ) from None
        return cls(url.set(drivername=DRIVER))

    @property
    def database(self) -> str:
        """The database's name ("" when libpq's defaults or a service name give it)."""
        return self.url.database or ""

    @property
    def host(self) -> str:
        host = self.url.host or str(self.url.query.get("host") or "")
        return host or "the default server"

    @property
    def where(self) -> str:
        """The server, for messages: "db.example.org:5433", "localhost"."""
        host = self.url.host or str(self.url.query.get("host") or "") or "localhost"
        return f"{host}:{self.url.port}" if self.url.port else host

    @property
    def name(self) -> str:
        """A short name for titles and messages: the database's name."""
        service = self.url.query.get("service")
        return self.database or (f"service {service}" if service else "default database")

    @property
    def display(self) -> str:
        """The URL as the user gave it, without its password (and always `postgresql://`)."""
        return self._public().render_as_string(hide_password=False)

    def _public(self) -> URL:
        # URL.set(password=None) would keep the password: None there means "unchanged".
        return self.url._replace(drivername="postgresql", password=None)

    @property
    def key(self) -> str:
        """What identifies the project on this machine (for caches): server, database, user."""
        return self._public().set(query={}).render_as_string(hide_password=False)

    def __str__(self) -> str:
        return self.display

    def __repr__(self) -> str:
        return f"ServerAddress({self.display!r})"


def _without_password(text: str) -> str:
    """`text` with whatever stands between "user:" and "@" in it blanked out."""
    return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", text)


def make_server_engine(address: ServerAddress, *, readonly: bool = False) -> Engine:
    """An engine on the server's database: UTC session time, writes serialised by the
    advisory lock, reads in snapshot transactions (see the module's docstring)."""
    from annotator.storage.engine import READ_ONLY

    # Defaults only: what the URL or libpq's environment says wins.
    defaults = {
        "connect_timeout": ("PGCONNECT_TIMEOUT", CONNECT_TIMEOUT_S),
        "application_name": ("PGAPPNAME", "annotator"),
    }
    connect_args = {
        name: value
        for name, (variable, value) in defaults.items()
        if name not in address.url.query and variable not in os.environ
    }
    engine = create_engine(address.url, pool_pre_ping=True, connect_args=connect_args)

    @event.listens_for(engine, "connect")
    def connect(dbapi_conn: Any, _record: Any) -> None:
        # Times are stored as UTC (naive values are UTC, as on SQLite) and read back in UTC.
        dbapi_conn.execute("SET TIME ZONE 'UTC'")
        dbapi_conn.execute(f"SET lock_timeout = '{LOCK_TIMEOUT_S}s'")
        dbapi_conn.commit()

    @event.listens_for(engine, "begin")
    def begin(conn: Any) -> None:
        if readonly or conn.get_execution_options().get(READ_ONLY, False):
            conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        else:
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")

    return engine


def server_tables(engine: Engine, address: ServerAddress) -> set[str]:
    """The tables of the database (its default schema); a ServerError when it cannot be
    reached."""
    try:
        with engine.connect() as conn:
            return set(inspect(conn).get_table_names())
    except DBAPIError as exc:
        raise connection_error(address, exc) from exc


def connection_error(address: ServerAddress, exc: BaseException) -> ServerError:
    """One sentence for a failure to reach or open the server's database."""
    reason = str(getattr(exc, "orig", None) or exc)
    low = reason.lower()
    user = address.url.username or "the default user"
    if "password authentication failed" in low or "no password supplied" in low:
        return ServerError(
            f"The server {address.where} refused the password of {user} for "
            f"{address.name}: check the password (or ~/.pgpass)."
        )
    if "does not exist" in low and "database" in low:
        return ServerError(
            f"The server {address.where} has no database {address.name}: its administrator "
            "creates it first (createdb)."
        )
    if "role" in low and "does not exist" in low:
        return ServerError(f"The server {address.where} has no user {user}.")
    if "no pg_hba.conf entry" in low or "permission denied" in low:
        return ServerError(f"The server {address.where} does not let {user} open {address.name}.")
    unreachable = (
        "connection refused",
        "could not connect",
        "timeout expired",
        "could not translate host name",
        "no such file or directory",
        "server closed the connection",
        "connection timed out",
        "network is unreachable",
        "consuming input failed",
        "terminating connection",
    )
    if any(word in low for word in unreachable):
        return ServerError(
            f"The PostgreSQL server {address.where} cannot be reached (is it running, and is "
            "the address right?)."
        )
    first = next((line.strip() for line in reason.splitlines() if line.strip()), "no details")
    password = address.url.password
    if password:
        first = first.replace(str(password), "***")
    return ServerError(f"The server {address.where} cannot open {address.name} ({first}).")


def parse_location(location: object) -> Path | ServerAddress:
    """A project's location from what a user or caller gave: a server URL (str) becomes a
    `ServerAddress`, anything else a `Path`."""
    if isinstance(location, ServerAddress):
        return location
    if isinstance(location, str) and is_server_url(location):
        return ServerAddress.parse(location)
    if isinstance(location, str | Path):
        return Path(location)
    raise TypeError(f"not a project location: {location!r}")
