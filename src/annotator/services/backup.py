"""Automatic backups of a project, and restoring one.

A backup is a consistent snapshot taken with SQLite's backup API (a reader in WAL mode: writers
carry on meanwhile), converted to a self-contained file (rollback journal, no -wal), checked
with `PRAGMA quick_check` and only then given its final name; only after that are older backups
pruned. They live in the user's data folder, one folder per project id:

    <data>/backups/<project-id>/20240501T093000.123456Z-c123.annot   (UTC time, change number)
    <data>/backups/<project-id>/20240501T093000.123456Z-c123.json    (counts, source file)
    <data>/backups/by-path.json    {resolved project path: project id}

`<data>` is `platformdirs.user_data_dir("annotator")`, or `$ANNOTATOR_DATA_DIR`. The by-path
index finds the backups of a file so damaged that its project id cannot be read.

`BackupScheduler` (services.backup_schedule) decides when: at open when the project changed
since its newest backup, then at most every `interval` seconds while it keeps changing (the UI
calls `maybe_backup()` from a timer). `restore()` keeps the current file (damaged or not)
beside it, then swaps the backup in atomically. The copy taken before a schema upgrade
(`backup_before_upgrade`) is never pruned: only it opens in the version that wrote the file.

For the UI (Qt-free; all errors are `BackupError`, one sentence)::

    scheduler = BackupScheduler(project)      # after opening; interval 10 min, keep 10
    scheduler.maybe_backup()                  # at once (the backup at open), then from a QTimer
                                              # (say every minute): BackupInfo | None
    list_backups(path) -> list[BackupInfo]    # newest first; `.label` for a menu entry
    restore(path, info_or_file) -> Path | None  # close the project first; returns the copy kept
    damage_advice(path) -> str                # "A backup from ... can be restored: ..." or ""
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shlex
import shutil
import sqlite3
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.domain.errors import AnnotatorError
from annotator.storage.engine import SQLITE_HEADER, readonly_uri

if TYPE_CHECKING:
    from annotator.services.api import Project

DEFAULT_KEEP = 10
DEFAULT_INTERVAL = 600.0
"""Seconds between two backups of a project that keeps changing (10 minutes)."""
DATA_DIR_ENV = "ANNOTATOR_DATA_DIR"
INDEX_NAME = "by-path.json"
_NAME_RE = re.compile(r"^(\d{8}T\d{6}\.\d{6})Z-c(\d+)(-before-upgrade)?(?:-\d+)?\.annot$")
_BEFORE_UPGRADE = "-before-upgrade"
_STALE_PARTIAL_SECONDS = 3600


class BackupError(AnnotatorError):
    """A backup could not be made, found or used."""


SERVER_BACKUPS = "Backups of a server project are the server's job (pg_dump)."


@dataclass(frozen=True)
class BackupInfo:
    """One backup file. Counts are None when they could not be read."""

    path: Path
    project_id: str
    created: datetime
    """When it was taken (UTC, timezone-aware)."""
    change_number: int
    """The project's change number the snapshot holds."""
    claims: int | None = None
    documents: int | None = None
    links: int | None = None
    source: str = ""
    """The project file it was taken from (resolved path), when known."""
    before_upgrade: bool = False
    """Taken just before a schema upgrade: the file as the older version wrote it. Never
    pruned (upgrades are rare, and only this copy opens in that version)."""

    @property
    def local_time(self) -> str:
        """`2024-05-01 11:30` in the computer's time zone: what menus and messages show."""
        return self.created.astimezone().strftime("%Y-%m-%d %H:%M")

    @property
    def label(self) -> str:
        """One line for a menu: `2024-05-01 11:30 · change 123 · 45 claims`."""
        parts = [self.local_time, f"change {self.change_number}"]
        if self.claims is not None:
            parts.append(f"{self.claims} claim{'s' if self.claims != 1 else ''}")
        if self.before_upgrade:
            parts.append("before an upgrade")
        return " · ".join(parts)


# -- where backups live ------------------------------------------------------------------------


def data_dir() -> Path:
    """The user's data folder for Annotator (`$ANNOTATOR_DATA_DIR` overrides it)."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_data_dir("annotator", appauthor=False))


def backups_root() -> Path:
    return data_dir() / "backups"


def backup_folder(project_id: str) -> Path:
    if not re.fullmatch(r"[0-9A-Za-z-]{1,64}", project_id):
        raise BackupError(f"Not a usable project id for a backup folder: {project_id!r}.")
    return backups_root() / project_id


def _key(project_path: Path) -> str:
    return str(Path(project_path).resolve())


def _read_index() -> dict[str, str]:
    try:
        data = json.loads((backups_root() / INDEX_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): str(v) for k, v in data.items()}


def _remember(project_path: Path, project_id: str) -> None:
    """Record which project id the file at `project_path` has (atomically replaced)."""
    index = _read_index()
    key = _key(project_path)
    if index.get(key) == project_id:
        return
    index[key] = project_id
    _write_json(backups_root() / INDEX_NAME, index)


def _write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        with tmp.open("w", encoding="utf-8") as f:
            json.dump(data, f, indent=1, sort_keys=True)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


# -- making a backup ---------------------------------------------------------------------------


def make_backup(project: Project, *, keep: int = DEFAULT_KEEP) -> BackupInfo:
    """Snapshot the open `project` now, verify the copy, then prune to the newest `keep`.
    A project on a server is refused: its backups are the server's (pg_dump)."""
    if project.server is not None:
        raise BackupError(SERVER_BACKUPS)

    def copy(target: sqlite3.Connection) -> None:
        raw = project.engine.raw_connection()
        try:
            source = raw.driver_connection
            assert isinstance(source, sqlite3.Connection)
            source.backup(target)  # one step: a consistent snapshot
        finally:
            raw.close()

    return _backup(project.path, project.project_id(), copy, keep)


def backup_before_upgrade(project_path: Path, *, keep: int = DEFAULT_KEEP) -> BackupInfo:
    """Snapshot the project file at `project_path`, not open here (read-only, so the file is
    not touched), before its schema is upgraded: the copy the older version of Annotator still
    opens, kept when later backups are pruned."""

    def copy(target: sqlite3.Connection) -> None:
        source = sqlite3.connect(readonly_uri(project_path), uri=True, timeout=5)
        try:
            source.backup(target)
        finally:
            source.close()

    return _backup(project_path, read_project_id(project_path), copy, keep, before_upgrade=True)


def _backup(
    project_path: Path,
    project_id: str,
    copy: Callable[[sqlite3.Connection], None],
    keep: int,
    *,
    before_upgrade: bool = False,
) -> BackupInfo:
    if not project_id:
        raise BackupError(f"{project_path.name} has no project id, so it cannot be backed up.")
    folder = backup_folder(project_id)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        info = _snapshot(project_path, copy, folder, before_upgrade)
    except (OSError, sqlite3.Error) as exc:
        raise BackupError(
            f"The backup of {project_path.name} could not be written to {folder} ({exc})."
        ) from exc
    with contextlib.suppress(OSError):  # the index only helps to find unreadable files' backups
        _remember(project_path, project_id)
    _prune(folder, keep)
    return info


def _snapshot(
    project_path: Path,
    copy: Callable[[sqlite3.Connection], None],
    folder: Path,
    before_upgrade: bool,
) -> BackupInfo:
    partial = folder / f".partial-{uuid.uuid4().hex}.annot"
    try:
        target = sqlite3.connect(partial)
        try:
            copy(target)
            target.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
            facts = _facts(target)
        finally:
            target.close()
        _fsync_file(partial)
        problem = _quick_check(partial)
        if problem:
            raise BackupError(
                f"The new backup of {project_path.name} failed its check ({problem})."
            )
        created = datetime.now(UTC)
        stem = f"{created:%Y%m%dT%H%M%S.%f}Z-c{facts['change_number']}"
        stem += _BEFORE_UPGRADE if before_upgrade else ""
        final = folder / f"{stem}.annot"
        serial = 1
        while final.exists():
            final = folder / f"{stem}-{serial}.annot"
            serial += 1
        info = BackupInfo(
            path=final,
            project_id=str(facts["project_id"]),
            created=created,
            change_number=int(facts["change_number"]),
            claims=facts["claims"],
            documents=facts["documents"],
            links=facts["links"],
            source=_key(project_path),
            before_upgrade=before_upgrade,
        )
        _write_json(final.with_suffix(".json"), _info_json(info))
        os.replace(partial, final)
        _fsync_dir(folder)
        return info
    finally:
        partial.unlink(missing_ok=True)


def _facts(conn: sqlite3.Connection) -> dict[str, Any]:
    meta = dict(conn.execute("SELECT key, value FROM project_meta").fetchall())

    def count(table: str) -> int:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    return {
        "project_id": meta.get("project_id", ""),
        "change_number": int(meta.get("change_number", "0") or 0),
        "claims": count("annotations"),
        "documents": count("documents"),
        "links": count("links"),
    }


def _info_json(info: BackupInfo) -> dict[str, Any]:
    return {
        "project_id": info.project_id,
        "change_number": info.change_number,
        "created": info.created.isoformat(),
        "claims": info.claims,
        "documents": info.documents,
        "links": info.links,
        "source": info.source,
    }


def _prune(folder: Path, keep: int) -> None:
    """Delete all but the newest `keep` backups (those taken before an upgrade stay), and
    leftovers of interrupted backups."""
    backups = [b for b in _backups_in(folder) if not b.before_upgrade]  # newest first
    for old in backups[max(keep, 1) :]:
        old.path.unlink(missing_ok=True)
        old.path.with_suffix(".json").unlink(missing_ok=True)
    now = time.time()
    for item in folder.iterdir():
        with contextlib.suppress(OSError):
            stale = item.name.startswith(".partial-") and (
                now - item.stat().st_mtime > _STALE_PARTIAL_SECONDS
            )
            orphan = item.suffix == ".json" and not item.with_suffix(".annot").exists()
            if stale or orphan:
                item.unlink()


# -- finding backups ---------------------------------------------------------------------------


def read_project_id(project_path: Path) -> str:
    """The project id stored in the file, or "" when the file cannot be read as a project.
    Read through SQLite alone: the project may be open in this process (File › Restore from
    backup lists the open project's backups), and a descriptor of the file closed by Python
    would drop that project's locks (`storage.sqlite_files`)."""
    if not Path(project_path).is_file():
        return ""
    try:
        conn = sqlite3.connect(readonly_uri(Path(project_path)), uri=True, timeout=2)
        try:
            row = conn.execute("SELECT value FROM project_meta WHERE key = 'project_id'").fetchone()
        finally:
            conn.close()
    except (OSError, sqlite3.Error):
        return ""
    return str(row[0]) if row else ""


def list_backups(project_path: Path | str) -> list[BackupInfo]:
    """The backups of the project file at `project_path`, newest first. Works for a file that
    cannot be opened (damaged, missing): it is then found through the by-path index."""
    ids = []
    own = read_project_id(Path(project_path))
    if own:
        ids.append(own)
    indexed = _read_index().get(_key(Path(project_path)))
    if indexed and indexed not in ids:
        ids.append(indexed)
    found: list[BackupInfo] = []
    for project_id in ids:
        try:
            found.extend(_backups_in(backup_folder(project_id)))
        except BackupError:
            continue
    found.sort(key=lambda b: (b.created, b.change_number), reverse=True)
    return found


def backups_of(project_id: str) -> list[BackupInfo]:
    """The backups of the project with this id, newest first."""
    return _backups_in(backup_folder(project_id))


def _backups_in(folder: Path) -> list[BackupInfo]:
    """Backups in one project's folder, newest first (from their names and side files)."""
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        match = _NAME_RE.match(path.name)
        if not match:
            continue
        created = datetime.strptime(match[1], "%Y%m%dT%H%M%S.%f").replace(tzinfo=UTC)
        side: dict[str, Any] = {}
        with contextlib.suppress(OSError, ValueError):
            side = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        found.append(
            BackupInfo(
                path=path,
                project_id=str(side.get("project_id") or folder.name),
                created=created,
                change_number=int(match[2]),
                claims=side.get("claims"),
                documents=side.get("documents"),
                links=side.get("links"),
                source=str(side.get("source") or ""),
                before_upgrade=bool(match[3]),
            )
        )
    found.sort(key=lambda b: (b.created, b.change_number), reverse=True)
    return found


def verify_backup(path: Path) -> None:
    """Raise BackupError unless `path` is an intact Annotator project file."""
    if not path.is_file():
        raise BackupError(f"{path}: no such backup file.")
    try:
        with path.open("rb") as f:
            header = f.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise BackupError(f"{path}: the backup cannot be read ({exc.strerror}).") from exc
    if header != SQLITE_HEADER:
        raise BackupError(f"{path.name} is not a backup of an Annotator project.")
    problem = _quick_check(path)
    if problem:
        raise BackupError(f"The backup {path.name} is damaged too ({problem}).")
    try:
        conn = sqlite3.connect(readonly_uri(path), uri=True)
        try:
            conn.execute("SELECT value FROM project_meta WHERE key = 'project_id'").fetchone()
            conn.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise BackupError(f"{path.name} is not a backup of an Annotator project.") from exc


def newest_good_backup(project_path: Path | str) -> BackupInfo | None:
    """The newest backup of the project that passes `verify_backup`."""
    for info in list_backups(project_path):
        try:
            verify_backup(info.path)
        except BackupError:
            continue
        return info
    return None


def damage_advice(project_path: Path | str) -> str:
    """The sentence appended to "cannot be opened" messages when a backup exists ("" if none):
    `A backup from 2024-05-01 11:30 can be restored: annotator restore study.annot`."""
    try:
        info = newest_good_backup(project_path)
    except Exception:  # advice must never hide the original error
        return ""
    if info is None:
        return ""
    return (
        f"A backup from {info.local_time} can be restored: "
        f"annotator restore {shlex.quote(str(project_path))}"
    )


# -- restoring ---------------------------------------------------------------------------------


def restore(project_path: Path | str, backup: BackupInfo | Path | str | None = None) -> Path | None:
    """Replace the project file with a backup (the newest good one when `backup` is None).

    The current file is first copied aside, damaged or not, as `<name>.damaged-<time>` (with its
    -wal as `<name>.damaged-<time>-wal`); then the backup is copied to a temporary file in the
    same folder, flushed to disk and swapped in with one atomic rename. Returns the path of the
    copy kept aside, or None when there was no file to keep. Close the project everywhere first:
    a project still open in another window or program is refused."""
    project_path = Path(project_path)
    if backup is None:
        info = newest_good_backup(project_path)
        if info is None:
            raise BackupError(f"No usable backup of {project_path.name} was found.")
        source = info.path
    else:
        source = backup.path if isinstance(backup, BackupInfo) else Path(backup)
        verify_backup(source)
    folder = project_path.parent
    if not folder.is_dir():
        raise BackupError(f"{folder}: no such folder.")
    try:
        aside = _keep_aside(project_path)
        try:
            _refuse_if_open(project_path)
        except BackupError:
            if aside is not None:
                aside.unlink()
                Path(f"{aside}-wal").unlink(missing_ok=True)
            raise
        tmp = folder / f".{project_path.name}.restoring-{uuid.uuid4().hex}"
        try:
            shutil.copyfile(source, tmp)
            _fsync_file(tmp)
            # A -wal left beside the file would be replayed into the restored copy.
            for suffix in ("-wal", "-shm", "-journal"):
                Path(f"{project_path}{suffix}").unlink(missing_ok=True)
            os.replace(tmp, project_path)
            _fsync_dir(folder)
        finally:
            tmp.unlink(missing_ok=True)
    except OSError as exc:
        raise BackupError(f"{project_path.name} could not be restored ({exc}).") from exc
    project_id = read_project_id(project_path)
    if project_id:
        with contextlib.suppress(OSError):
            _remember(project_path, project_id)
    return aside


def _keep_aside(project_path: Path) -> Path | None:
    if not project_path.exists():
        return None
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = project_path.with_name(f"{project_path.name}.damaged-{stamp}")
    serial = 1
    while aside.exists():
        aside = project_path.with_name(f"{project_path.name}.damaged-{stamp}-{serial}")
        serial += 1
    shutil.copyfile(project_path, aside)
    _fsync_file(aside)
    wal = Path(f"{project_path}-wal")
    if wal.exists() and wal.stat().st_size > 0:
        shutil.copyfile(wal, f"{aside}-wal")  # opening the copy replays it, as for the original
        _fsync_file(Path(f"{aside}-wal"))
    _fsync_dir(project_path.parent)
    return aside


def _refuse_if_open(project_path: Path) -> None:
    """Refuse to replace a project another connection has open. Leaving WAL mode needs sole
    access, so that is the test; it also folds the -wal into the file (already copied aside)."""
    if not Path(f"{project_path}-wal").exists() and not Path(f"{project_path}-shm").exists():
        return
    try:
        conn = sqlite3.connect(project_path, timeout=0.5, isolation_level=None)
    except sqlite3.Error:
        return
    try:
        mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise BackupError(
                f"{project_path.name} is open in another window or program; close it there "
                "first, then restore."
            ) from exc
        return  # damaged: nothing can have it open usefully
    except sqlite3.Error:
        return
    finally:
        conn.close()
    if mode and str(mode[0]).lower() == "wal":
        raise BackupError(
            f"{project_path.name} is open in another window or program; close it there first, "
            "then restore."
        )


# -- durable file operations -------------------------------------------------------------------


def _quick_check(path: Path) -> str:
    """ "" when `PRAGMA quick_check` finds the file intact, else the first problem."""
    try:
        conn = sqlite3.connect(readonly_uri(path), uri=True)
        try:
            rows = [str(r[0]) for r in conn.execute("PRAGMA quick_check").fetchall()]
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return str(exc)
    return "" if rows == ["ok"] else rows[0]


def _fsync_file(path: Path) -> None:
    with path.open("rb+") as f:
        os.fsync(f.fileno())


def _fsync_dir(folder: Path) -> None:
    """Make a rename in `folder` durable (POSIX; Windows has no directory handles to sync)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
