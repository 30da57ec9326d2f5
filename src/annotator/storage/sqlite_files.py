"""What opening a project file with the standard library's sqlite3 needs, without SQLAlchemy
(the engine, the backups, the watcher and the window's first frame all open files this way).

A rule for every module: never open a project file with Python (`open`, `Path.read_bytes`,
`shutil.copyfile`) while this process may have it open through SQLite. SQLite's locks on the
file are POSIX locks, which belong to the process: closing any descriptor of the file drops
them all, SQLite's own included, without SQLite knowing. Another program closing its last
connection then takes the file for its own, checkpoints and deletes the -wal that this process
still writes into: what it commits afterwards is seen by nobody else, and lost if it crashes.
Read such a file through SQLite (`sqlite3.connect(readonly_uri(path), uri=True)`): SQLite
keeps a descriptor open while other connections of the process hold locks."""

from __future__ import annotations

import os
from pathlib import Path

SQLITE_HEADER = b"SQLite format 3\x00"


def readonly_uri(path: Path) -> str:
    """The SQLite URI of a read-only connection to `path`.

    A WAL database needs its -shm index beside it, which SQLite cannot create in a folder it may
    not write (a read-only disk or share): such an open fails with "unable to open database
    file". When no -wal file exists there is nothing the index could describe, so the file is
    opened as immutable (SQLite then takes no locks: nobody can write there anyway)."""
    resolved = path.resolve()
    uri = f"{resolved.as_uri()}?mode=ro"
    wal = resolved.with_name(resolved.name + "-wal")
    if not os.access(resolved.parent, os.W_OK) and not wal.exists():
        uri += "&immutable=1"
    return uri


def same_file(path: Path, other: Path) -> bool:
    """Whether `path` names the file `other` (through links and other spellings too); False
    when either does not exist. A project file must never be read or replaced by Python while
    it is open (see above): exports and imports ask this first."""
    try:
        return os.path.samefile(path, other)
    except OSError:
        return False
