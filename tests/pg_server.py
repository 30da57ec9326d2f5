"""A real PostgreSQL server for the tests: Debian's binaries, a cluster in a temporary folder.

`PgServer.start()` runs `initdb` into a new temporary folder and `pg_ctl start` on a free
loopback port, with its Unix socket in that folder too (never the system's), fsync off (a test
cluster is thrown away). initdb and postgres refuse to run as root, so as root they run as the
`postgres` user when Debian's package made it, else as a system user `annotator-pg` made for
the purpose, and the folder belongs to that user. The superuser `annotator` logs in over TCP
with a password (scram-sha-256), so that wrong passwords can be tested.

`PgServer.find()` says why no server can be had (no binaries, not root and no way to get them):
the tests that need one skip with that reason. `make test` installs Debian's `postgresql` first
when run as root.

Each test gets a database of its own, copied from a template that holds the migrated schema
(`CREATE DATABASE ... TEMPLATE`, about a quarter of a second) rather than running Alembic again.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path
from typing import Any

import pytest

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)]
"""The parameters of a fixture whose tests run on both back ends (ids: sqlite, postgresql)."""

SUPERUSER = "annotator"
PASSWORD = "test-secret-Σ"
"""The superuser's password (non-ASCII on purpose: it must reach libpq intact)."""
DEDICATED_USER = "annotator-pg"
TEMPLATE = "annotator_template"


def _bin_dir() -> Path | None:
    """The newest PostgreSQL bin folder with initdb and pg_ctl: Debian's first, then PATH."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: [int(x) for x in Path(p).parts[-3].split(".") if x.isdigit()],
    )
    for initdb in reversed(found):
        folder = Path(initdb).parent
        if (folder / "pg_ctl").exists():
            return folder
    initdb_on_path = shutil.which("initdb")
    if initdb_on_path and shutil.which("pg_ctl"):
        return Path(initdb_on_path).parent
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run_as_user() -> str | None:
    """The user to run the server as when we are root (made if missing); None when not root."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", DEDICATED_USER):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    subprocess.run(
        ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", DEDICATED_USER],
        check=True,
        capture_output=True,
    )
    return DEDICATED_USER


@dataclass
class PgServer:
    bin_dir: Path
    user: str | None
    folder: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="annotator-pg-")))
    port: int = 0
    _serial: Iterator[int] = field(default_factory=lambda: count(1))

    @classmethod
    def find(cls) -> PgServer | str:
        """A server ready to start, or why there is none (the reason tests skip with)."""
        bin_dir = _bin_dir()
        if bin_dir is None:
            return (
                "PostgreSQL is not installed (Debian: apt-get install postgresql; `make test` "
                "does it when run as root)"
            )
        try:
            import psycopg  # noqa: F401
        except ImportError:
            return "psycopg is not installed (pip install 'psycopg[binary]')"
        try:
            user = _run_as_user()
        except (OSError, subprocess.CalledProcessError) as exc:
            return f"no user to run PostgreSQL as (root may not, and useradd failed: {exc})"
        return cls(bin_dir, user)

    # -- running ---------------------------------------------------------------------------

    def _run(self, *args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
        cmd = [str(self.bin_dir / args[0]), *args[1:]]
        if self.user is not None:
            cmd = ["runuser", "-u", self.user, "--", *cmd]
        return subprocess.run(cmd, check=True, capture_output=True, text=True, **kwargs)

    def start(self) -> None:
        data = self.folder / "data"
        pwfile = self.folder / "pwfile"
        pwfile.write_text(PASSWORD + "\n", encoding="utf-8")
        if self.user is not None:
            entry = pwd.getpwnam(self.user)
            os.chown(self.folder, entry.pw_uid, entry.pw_gid)
            os.chown(pwfile, entry.pw_uid, entry.pw_gid)
        self.folder.chmod(0o700)
        self._run(
            "initdb",
            "-D",
            str(data),
            "-U",
            SUPERUSER,
            f"--pwfile={pwfile}",
            "--auth-local=trust",
            "--auth-host=scram-sha-256",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        pwfile.unlink()
        last: subprocess.CalledProcessError | None = None
        for _attempt in range(5):  # the free port may be taken between finding and binding it
            self.port = _free_port()
            options = (
                f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                "-c max_connections=200"
            )
            try:
                self._run(
                    "pg_ctl",
                    "-D",
                    str(data),
                    "-l",
                    str(self.folder / "server.log"),
                    "-o",
                    options,
                    "-w",
                    "-t",
                    "60",
                    "start",
                )
                return
            except subprocess.CalledProcessError as exc:
                last = exc
                time.sleep(0.2)
        log = (self.folder / "server.log").read_text("utf-8", "replace")[-2000:]
        raise RuntimeError(f"PostgreSQL did not start: {last and last.stderr}\n{log}")

    def stop(self) -> None:
        try:
            with contextlib.suppress(subprocess.CalledProcessError):  # stopped already
                self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def is_running(self) -> bool:
        result = subprocess.run(
            [str(self.bin_dir / "pg_isready"), "-h", "127.0.0.1", "-p", str(self.port)],
            capture_output=True,
        )
        return result.returncode == 0

    def pause(self) -> None:
        """Stop the server, keeping its cluster (`resume` starts it again on the same port)."""
        self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", "fast", "-w", "stop")

    def resume(self) -> None:
        self._run(
            "pg_ctl",
            "-D",
            str(self.folder / "data"),
            "-l",
            str(self.folder / "server.log"),
            "-o",
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off",
            "-w",
            "start",
        )

    # -- databases -------------------------------------------------------------------------

    def url(self, database: str, *, password: str | None = PASSWORD, user: str = SUPERUSER) -> str:
        from urllib.parse import quote

        secret = f":{quote(password, safe='')}" if password is not None else ""
        return f"postgresql://{user}{secret}@127.0.0.1:{self.port}/{database}"

    @contextmanager
    def admin(self) -> Iterator[Any]:
        """An autocommit connection to the `postgres` database, as the superuser."""
        import psycopg

        with psycopg.connect(
            host="127.0.0.1",
            port=self.port,
            user=SUPERUSER,
            password=PASSWORD,
            dbname="postgres",
            sslmode="disable",  # whatever PGSSLMODE a test set
            autocommit=True,
        ) as conn:
            yield conn

    def create_database(self, template: str | None = None) -> str:
        name = f"test_{os.getpid()}_{next(self._serial)}"
        with self.admin() as conn:
            suffix = f" TEMPLATE {template}" if template else ""
            conn.execute(f'CREATE DATABASE "{name}"{suffix}')
        return name

    def drop_database(self, name: str) -> None:
        with self.admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def make_template(self) -> None:
        """The template database: the schema of the newest migration, no project in it yet."""
        from annotator.storage import migrations
        from annotator.storage.server import ServerAddress

        with self.admin() as conn:
            conn.execute(f'CREATE DATABASE "{TEMPLATE}"')
        migrations.upgrade(ServerAddress.parse(self.url(TEMPLATE)))
        with self.admin() as conn:
            conn.execute(f'ALTER DATABASE "{TEMPLATE}" WITH IS_TEMPLATE true')
