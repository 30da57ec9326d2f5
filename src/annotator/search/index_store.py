"""Where the index lives, how it is checked on open, rebuilt into a new folder and swapped in.

Layout, outside the project file (the project stays one file)::

    <cache>/search/<key>/            key = hash of the project's resolved path + its project id
        CURRENT                      name of the live index folder (replaced atomically)
        lock                         cross-process lock: held around every write and rebuild
        ix-<time>-<random>/          a Whoosh index + annotator-index.json (see IndexMeta)

`<cache>` is $ANNOTATOR_CACHE_DIR, else platformdirs' user cache folder for "annotator".

The index is derived data and never trusted blindly: `open_current` refuses (raises
`IndexProblem` with the reason) an index that is missing, of another schema version or project,
whose files differ in size from what the last commit recorded (truncated, emptied), or that
Whoosh cannot open. The caller then rebuilds: `build` writes a complete index into a NEW folder
and `swap` points CURRENT at it with one atomic rename, so a crash at any moment leaves either
the old index or the new one, never half of one.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import secrets
import shutil
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from annotator.domain.errors import AnnotatorError
from annotator.search import feed
from annotator.search.schema import SCHEMA_VERSION, build_schema, claim_fields, passage_fields

if TYPE_CHECKING:
    from whoosh.index import Index

    from annotator.services.api import Project

_log = logging.getLogger(__name__)

CACHE_ENV = "ANNOTATOR_CACHE_DIR"
META_NAME = "annotator-index.json"
CURRENT_NAME = "CURRENT"


def _pool_limit_mb() -> int:
    """An eighth of the machine's memory, between 128 and 1024 MB."""
    try:
        total = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):  # Windows
        total = 8 << 30
    return int(min(1024, max(128, total // 8 >> 20)))


LIMIT_MB = _pool_limit_mb()
"""Memory for Whoosh's posting pools during a rebuild (all workers together). Measured on
100,000 claims: 256 MB spills sorted runs to disk and merges them back (1,800 claims/s, 0.6 GB
peak); 1,024 MB keeps them in memory (2,600 claims/s, 1.1 GB peak). Whoosh takes only what it
needs, so small projects stay small."""
PARALLEL_MIN_CLAIMS = 20_000
"""From this many claims a rebuild runs in several worker processes (up to 4, one per core)."""
SUBPROCESS_MIN_DOCS = 1_000
"""From this many claims and passages a rebuild runs in (at least) one worker process: indexing
in this process (~700 a second) would hold the GIL for seconds and slow the window that opened
the project (10,000 claims and 12,000 passages: ~30 s). Below, the ~0.3 s a worker takes to
start costs more than the build."""

Progress = Callable[[int, int], None]


class IndexProblem(Exception):
    """The index on disk cannot be used as it is. `reason` completes "The search index …"
    ("was missing", "had its file X truncated or changed")."""

    def __init__(self, reason: str, kind: str = "damaged") -> None:
        super().__init__(reason)
        self.reason = reason
        self.kind = kind  # missing, damaged, version, project, mismatch


class IndexBusy(AnnotatorError):
    """Another window or process kept the search index locked for too long."""


def cache_root() -> Path:
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_cache_dir("annotator"))


def index_home(project_path: Path | str, project_id: str) -> Path:
    """The index folder of a project: keyed by its file's resolved path, or by a server
    project's `ServerAddress.key` (a str)."""
    resolved = project_path if isinstance(project_path, str) else str(Path(project_path).resolve())
    digest = hashlib.sha256(resolved.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return cache_root() / "search" / f"{digest}-{project_id[:8] or 'noid'}"


@dataclass
class IndexMeta:
    """What the last commit left: written (atomically) after every commit, under the lock."""

    schema_version: int
    project_id: str
    last_change: int
    claims: int = 0
    passages: int = 0
    files: dict[str, int] = field(default_factory=dict)
    whoosh: str = ""
    built: float = 0.0

    @classmethod
    def read(cls, folder: Path) -> IndexMeta:
        try:
            data = json.loads((folder / META_NAME).read_text("utf-8"))
            return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})
        except FileNotFoundError:
            raise IndexProblem("had lost its record of the last update") from None
        except (OSError, ValueError, TypeError):
            raise IndexProblem("had an unreadable record of its last update") from None

    def write(self, folder: Path) -> None:
        self.files = _file_sizes(folder)
        tmp = folder / f"{META_NAME}.{secrets.token_hex(4)}.tmp"
        tmp.write_text(json.dumps(asdict(self), indent=1), "utf-8")
        os.replace(tmp, folder / META_NAME)


def _file_sizes(folder: Path) -> dict[str, int]:
    out = {}
    for entry in os.scandir(folder):
        name = entry.name
        if name == META_NAME or name.endswith((".tmp", "_LOCK", ".lock")) or "WRITELOCK" in name:
            continue
        if entry.is_file():
            out[name] = entry.stat().st_size
    return out


class ProcessLock:
    """An exclusive lock shared by the threads of this process and by other processes."""

    _thread_locks: ClassVar[dict[str, threading.Lock]] = {}
    _guard = threading.Lock()

    def __init__(self, path: Path) -> None:
        self.path = path
        with self._guard:
            self._tlock = self._thread_locks.setdefault(str(path), threading.Lock())

    @contextlib.contextmanager
    def hold(self, timeout: float = 30.0) -> Iterator[None]:
        deadline = time.monotonic() + timeout
        if not self._tlock.acquire(timeout=max(0.0, timeout)):
            raise IndexBusy("The search index is busy in another window; try again in a moment.")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.path, "a+b") as handle:
                delay = 0.005
                while not _try_lock(handle):
                    if time.monotonic() >= deadline:
                        raise IndexBusy(
                            "The search index is busy in another program; try again in a moment."
                        )
                    time.sleep(delay)
                    delay = min(delay * 2, 0.2)
                try:
                    yield
                finally:
                    _unlock(handle)
        finally:
            self._tlock.release()


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(handle: Any) -> bool:
        try:
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

    def _unlock(handle: Any) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(handle: Any) -> bool:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except OSError:
            return False

    def _unlock(handle: Any) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


class IndexStore:
    """The index folders of one project."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.lock = ProcessLock(home / "lock")

    # -- the live index ------------------------------------------------------------------------

    def current_dir(self) -> Path | None:
        try:
            name = (self.home / CURRENT_NAME).read_text("utf-8").strip()
        except (OSError, UnicodeDecodeError):
            return None
        if not name.startswith("ix-") or "/" in name or "\\" in name:
            return None
        return self.home / name

    def open_current(self, project_id: str) -> tuple[Index, Path, IndexMeta]:
        """The live index, checked; raises IndexProblem if it cannot be used as it is."""
        from whoosh import index

        folder = self.current_dir()
        if folder is None or not folder.is_dir():
            raise IndexProblem("was missing", "missing")
        if not any(folder.iterdir()):
            raise IndexProblem("was empty", "missing")
        meta = IndexMeta.read(folder)
        if meta.schema_version != SCHEMA_VERSION:
            raise IndexProblem("was made by another version of Annotator", "version")
        if meta.project_id != project_id:
            raise IndexProblem("belonged to another project", "project")
        sizes = _file_sizes(folder)
        for name, size in meta.files.items():
            if name not in sizes:
                raise IndexProblem(f"had lost its file {name}")
            if sizes[name] != size:
                raise IndexProblem(f"had its file {name} truncated or changed")
        try:
            ix = index.open_dir(str(folder))
            with ix.searcher() as searcher:
                searcher.doc_count()
        except Exception as exc:  # Whoosh raises many kinds on a damaged index
            raise IndexProblem(f"could not be opened ({type(exc).__name__})") from exc
        return ix, folder, meta

    # -- rebuilding ----------------------------------------------------------------------------

    def build(
        self, project: Project, *, procs: int | None = None, progress: Progress | None = None
    ) -> tuple[Path, IndexMeta]:
        """Build a complete index of `project` into a new folder (not yet live)."""
        import whoosh

        with feed.snapshot(project) as conn:
            number = feed.change_number(conn)
            project_id = feed.project_id(conn)
            claims = feed.claims(conn)
            documents = feed.documents(conn)
        self.home.mkdir(parents=True, exist_ok=True)
        folder = self.home / f"ix-{int(time.time() * 1000):x}-{secrets.token_hex(3)}"
        folder.mkdir()
        try:
            passage_count = sum(len(d.paragraphs) for d in documents)
            workers = _worker_count(procs, len(claims), len(claims) + passage_count)
            try:
                passages = _fill(folder, project, claims, documents, workers, progress)
            except Exception as exc:
                if workers == 0:
                    raise
                # No worker processes here (sandbox, crash, timeout): index in this process.
                _log.warning("parallel index build failed (%s); building in one process", exc)
                shutil.rmtree(folder, ignore_errors=True)
                folder.mkdir()
                passages = _fill(folder, project, claims, documents, 0, progress)
            meta = IndexMeta(
                schema_version=SCHEMA_VERSION,
                project_id=project_id,
                last_change=number,
                claims=len(claims),
                passages=passages,
                whoosh=whoosh.versionstring(),
                built=time.time(),
            )
            meta.write(folder)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        return folder, meta

    def swap(self, folder: Path) -> None:
        """Make `folder` the live index (one atomic rename) and delete the others."""
        tmp = self.home / f"{CURRENT_NAME}.{secrets.token_hex(4)}.tmp"
        tmp.write_text(folder.name, "utf-8")
        os.replace(tmp, self.home / CURRENT_NAME)
        self.clean(keep=folder)

    def clean(self, keep: Path | None) -> None:
        """Delete index folders other than `keep` (call with the lock held)."""
        for entry in self.home.iterdir():
            if entry == keep:
                continue
            if entry.name.startswith("ix-") and entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
            elif entry.name.endswith(".tmp"):
                entry.unlink(missing_ok=True)


def _worker_count(procs: int | None, claims: int, docs: int) -> int:
    """Worker processes for a rebuild; 0: build in this process. `procs` (1: this process)
    overrides the choice made from the numbers of claims and of all documents."""
    if procs is not None:
        return procs if procs > 1 else 0
    if docs < SUBPROCESS_MIN_DOCS or getattr(sys, "frozen", False):
        return 0  # a frozen app has no Python interpreter to start workers with
    if claims < PARALLEL_MIN_CLAIMS:
        return 1
    return max(1, min(4, os.cpu_count() or 1))


def _fill(
    folder: Path,
    project: Project,
    claims: list[feed.ClaimRecord],
    documents: list[feed.DocumentRecord],
    workers: int,
    progress: Progress | None,
) -> int:
    """Index everything into the empty `folder`; returns the number of passages. With
    `workers`, worker processes write everything (see annotator.search.build_worker) while this
    one only waits; with 0, this process does."""
    from whoosh import index

    ix = index.create_in(str(folder), build_schema())
    total = len(claims) + len(documents)
    passages = 0

    if workers > 0:
        from annotator.search.build_worker import fill_parallel

        docs = [claim_fields(r) for r in claims]
        for doc in documents:
            text = project.document_text(doc.id) if doc.paragraphs else ""
            for k, (start, end) in enumerate(doc.paragraphs):
                docs.append(passage_fields(doc.id, k, start, end, text[start:end]))
                passages += 1
        fill_parallel(
            ix, folder, docs, lambda _writer: None, workers,
            limitmb=max(64, LIMIT_MB // workers),
        )  # fmt: skip
        if progress is not None:
            progress(total, total)
        return passages

    def add_passages(writer: Any) -> None:
        nonlocal passages
        for j, doc in enumerate(documents):
            text = project.document_text(doc.id) if doc.paragraphs else ""
            for k, (start, end) in enumerate(doc.paragraphs):
                writer.add_document(**passage_fields(doc.id, k, start, end, text[start:end]))
                passages += 1
            if progress is not None:
                progress(len(claims) + j, total)

    writer = ix.writer(limitmb=LIMIT_MB)
    try:
        for i, rec in enumerate(claims):
            writer.add_document(**claim_fields(rec))
            if progress is not None and i % 2000 == 0:
                progress(i, total)
        add_passages(writer)
        writer.commit()
    except BaseException:
        with contextlib.suppress(Exception):
            writer.cancel()
        raise
    if progress is not None:
        progress(total, total)
    return passages
