"""`IndexKeeper`: the life of a project's index. `SearchService` (service.py) searches it.

Opening checks the index against the project and catches up or rebuilds (index_store); then the
background indexer (indexer) applies every change; a rebuild goes to a new folder, swapped in.
Two locks: the store's cross-process lock around every write (held first), and `_lock` around
the live index objects and the searcher (held second, and by searches).
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.domain.errors import AnnotatorError
from annotator.search import feed
from annotator.search.engine import Engine
from annotator.search.index_store import (
    IndexMeta,
    IndexProblem,
    IndexStore,
    Progress,
    index_home,
)
from annotator.search.indexer import BackgroundIndexer, BacklogTooLarge, apply_pending, count_kind
from annotator.search.readers import fresh_searcher
from annotator.search.results import SearcherData, SegmentCache
from annotator.search.schema import CLAIM, PASSAGE

if TYPE_CHECKING:
    from whoosh.index import Index
    from whoosh.searching import Searcher

    from annotator.search.query import QueryContext
    from annotator.services.api import Project
    from annotator.services.changes import Changes

_log = logging.getLogger(__name__)


class IndexUnwritable(AnnotatorError):
    """The folder of the index cannot be written."""


class IndexKeeper:
    def __init__(
        self,
        project: Project,
        index_dir: Path | str | None = None,
        *,
        procs: int | None = None,
        progress: Progress | None = None,
        lock_timeout: float = 300.0,
    ) -> None:
        """Open the index of `project` (in `index_dir`, else the user cache folder), check it
        against the project, bring it up to date, or rebuild it. `procs` is the number of worker
        processes for a rebuild (None: automatic)."""
        self.project = project
        self.project_id = project.project_id()
        home = (
            Path(index_dir)
            if index_dir
            else index_home(
                project.server.key if project.server is not None else project.path, self.project_id
            )
        )
        self.store = IndexStore(home)
        self.repair_message: str | None = None
        """One sentence for the user when the index had to be repaired on open, else None."""
        self.status_message: str | None = None
        """What opening did (built, caught up with N changes), for logs and status bars."""
        self._procs = procs
        self._lock = threading.RLock()  # the live index, searcher and caches
        self._ix: Index | None = None
        self._folder: Path | None = None
        self._searcher: Searcher | None = None
        self._data: SearcherData | None = None
        self._engine: Engine | None = None
        self._segments = SegmentCache()
        # What queries know of the project (SearchService): dropped when it changes.
        self._context: dict[str, QueryContext] = {}
        self._tag_names: dict[str, str] | None = None
        self._texts: OrderedDict[str, str] = OrderedDict()
        self._applied = 0
        self._seen_change = -1
        self._warmed = False
        self._writer_searcher: Searcher | None = None
        self._cond = threading.Condition()
        self._listeners: list[Callable[[int], None]] = []
        self._indexer = BackgroundIndexer(self._apply_in_background)
        self._unsubscribe = project.subscribe(self._on_changes)
        first_time = not (home / "CURRENT").exists() and not home.exists()
        try:
            with self.store.lock.hold(timeout=lock_timeout):
                self._open_locked(progress, first_time)
        except OSError as exc:  # the cache folder cannot be written (full, read-only, gone)
            self._unsubscribe()
            raise IndexUnwritable(
                f"The search index cannot be written to {home} ({exc.strerror or exc}); set "
                "ANNOTATOR_CACHE_DIR to a folder that can."
            ) from exc
        except BaseException:
            self._unsubscribe()
            raise

    # -- life cycle ---------------------------------------------------------------------------

    def start(self) -> None:
        """Keep the index in step in the background from now on (one thread)."""
        self._indexer.start()

    def stop(self) -> None:
        self._indexer.stop()

    def close(self) -> None:
        self.stop()
        self._unsubscribe()
        if self._writer_searcher is not None:
            self._writer_searcher.close()
            self._writer_searcher = None
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
            self._searcher = None
            self._ix = None

    @property
    def index_dir(self) -> Path | None:
        """The live index folder."""
        return self._folder

    @property
    def applied_change(self) -> int:
        return self._applied

    def update(self, lock_timeout: float = 30.0) -> int:
        """Apply pending changes now, in this thread; returns how many outbox rows it applied
        (rebuilding instead if the index is gone or far behind)."""
        with self.store.lock.hold(timeout=lock_timeout):
            try:
                return self._catch_up_locked()
            except (IndexProblem, BacklogTooLarge) as problem:
                self._rebuild_after(problem)
                return 0

    def wait_until_current(self, timeout: float = 5.0) -> bool:
        """Wait until every change committed so far is searchable; False on timeout."""
        target = self.project.change_number()
        if not self._indexer.running:
            self.update(lock_timeout=timeout)
            return self._applied >= target
        self._indexer.wake()
        with self._cond:
            return self._cond.wait_for(lambda: self._applied >= target, timeout)

    def drop_query_caches(self) -> None:
        """Forget every cached posting list and expansion (benchmarks use it to time a query
        whose terms were never searched; per-document data and field lengths stay)."""
        with self._lock:
            self._engine = None
            self._data = None
            self._segments.drop_postings()

    def warm(self) -> None:
        """Load what the first search would (per-document data, field lengths) now."""
        from annotator.search.engine import SCORED_FIELDS

        with self._lock:
            engine = self._current()[2]
            for leaf, _ in engine.leaves:
                for fieldname in SCORED_FIELDS:
                    if fieldname in leaf.indexed_field_names():
                        self._segments.lengths(leaf, fieldname)

    def rebuild(self, progress: Progress | None = None, procs: int | None = None) -> None:
        """Rebuild the whole index into a new folder and swap it in."""
        with self.store.lock.hold(timeout=300.0):
            meta = self._rebuild_locked(progress, procs)
        self.status_message = _built("Rebuilt the search index", meta)

    # -- opening, catching up, rebuilding (callers hold the store lock) ------------------------

    def _open_locked(self, progress: Progress | None, first_time: bool) -> None:
        try:
            ix, folder, meta = self.store.open_current(self.project_id)
            if meta.last_change > self.project.change_number():
                raise IndexProblem("was ahead of the project (was the file restored?)", "mismatch")
            self._use(ix, folder, meta.last_change)
            applied = self._catch_up_locked()
            self._check_counts()
            self.status_message = f"Search index up to date ({applied} changes applied)."
        except (IndexProblem, BacklogTooLarge) as problem:
            meta = self._rebuild_locked(progress, self._procs)
            if first_time:
                self.status_message = _built("Built the search index", meta)
            else:
                reason = problem.reason
                self.repair_message = _built(f"The search index {reason}; rebuilt it", meta)
                self.status_message = self.repair_message
                _log.warning("%s", self.repair_message)

    def _check_counts(self) -> None:
        assert self._ix is not None
        claims = self.project.annotation_count()
        indexed = count_kind(self._ix, CLAIM)
        if indexed != claims:
            raise IndexProblem(
                f"had {indexed:,} claims where the project has {claims:,}", "mismatch"
            )
        with feed.snapshot(self.project) as conn:
            passages = sum(len(d.paragraphs) for d in feed.documents(conn))
        indexed = count_kind(self._ix, PASSAGE)
        if indexed != passages:
            raise IndexProblem(
                f"had {indexed:,} passages where the project has {passages:,}", "mismatch"
            )

    def _rebuild_locked(self, progress: Progress | None, procs: int | None) -> IndexMeta:
        from whoosh import index

        folder, meta = self.store.build(self.project, procs=procs, progress=progress)
        self.store.swap(folder)
        self._use(index.open_dir(str(folder)), folder, meta.last_change)
        self._catch_up_locked()  # what changed while it was being built
        return meta

    def _use(self, ix: Index, folder: Path, applied: int) -> None:
        if self._writer_searcher is not None:
            self._writer_searcher.close()
            self._writer_searcher = None
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
            self._ix, self._folder, self._searcher = ix, folder, None
            self._data = self._engine = None
        self._set_applied(applied)

    def _catch_up_locked(self) -> int:
        from whoosh import index

        live = self.store.current_dir()
        if live is None or not live.is_dir():
            raise IndexProblem("was missing", "missing")
        if live != self._folder:  # another window or process rebuilt it
            meta = IndexMeta.read(live)
            self._use(index.open_dir(str(live)), live, meta.last_change)
        assert self._ix is not None and self._folder is not None
        meta = IndexMeta.read(self._folder)
        # The indexer's own reader (never the one searches use: readers are not thread-safe).
        self._writer_searcher = fresh_searcher(self._ix, self._writer_searcher)
        applied = apply_pending(self.project, self._ix, meta.last_change, self._writer_searcher)
        if applied.change_number != meta.last_change:
            meta.last_change = applied.change_number
            meta.write(self._folder)
        if applied.rows:
            self._forget_context(documents=applied.documents > 0, tags=applied.claims > 0)
        self._set_applied(applied.change_number)
        return applied.rows

    def _apply_in_background(self) -> None:
        before = self._applied
        self.update(lock_timeout=30.0)
        if self._applied != before:  # told outside the store lock: listeners may search
            for listener in list(self._listeners):
                try:
                    listener(self._applied)
                except Exception:  # a listener's bug must not stop the indexer
                    _log.exception("search index listener failed")
        if not self._warmed:
            self._warmed = True
            try:
                self.warm()
            except Exception as exc:  # only a head start: searching works without it
                _log.info("warming the search caches failed: %s", exc)

    def _rebuild_after(self, problem: Exception) -> None:
        """Rebuild (store lock held) and say why in `repair_message`."""
        meta = self._rebuild_locked(None, self._procs)
        reason = getattr(problem, "reason", "was far behind")
        self.repair_message = _built(f"The search index {reason}; rebuilt it", meta)
        _log.warning("%s", self.repair_message)

    def on_updated(self, listener: Callable[[int], None]) -> Callable[[], None]:
        """Call `listener(change_number)` whenever the index has applied new changes (from the
        indexer thread: a UI should hand it to its own thread, e.g. a queued Qt signal, and
        re-run the visible search). Returns a function that unsubscribes."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def _set_applied(self, number: int) -> None:
        with self._cond:
            self._applied = number
            self._cond.notify_all()

    def _on_changes(self, changes: Changes) -> None:
        """Project.subscribe callback: returns at once; the indexer thread does the work."""
        if changes.touches("document") or changes.touches("label"):
            self._forget_context(documents=True, tags=False)
        if changes.touches("annotation"):
            self._tag_names = None
        if self._indexer.running:
            self._indexer.notify(changes)

    def _forget_context(self, *, documents: bool, tags: bool) -> None:
        if documents:
            self._context = {}
        if tags:
            self._tag_names = None

    def _ensure_live(self) -> None:
        """Follow a rebuild made by another process; repair a live index that has vanished.
        Called WITHOUT self._lock (repairing takes the store lock, which comes first)."""
        from whoosh import index

        live = self.store.current_dir()
        if live is not None and live != self._folder and live.is_dir():
            try:
                meta = IndexMeta.read(live)
                self._use(index.open_dir(str(live)), live, meta.last_change)
            except Exception as exc:  # a rebuild half-visible: keep ours for now
                _log.info("could not switch to %s: %s", live, exc)
        if self._ix is None or self._folder is None or not self._folder.is_dir():
            self._repair_now("was missing")

    def _current(self) -> tuple[Searcher, SearcherData, Engine]:
        """The searcher of the live index, refreshed if the index changed (call with
        self._lock); raises Unreadable if its files are gone or damaged."""
        if self._ix is None:
            raise Unreadable("was missing")
        try:
            if self._searcher is None:
                self._searcher = self._ix.searcher()
            elif not self._searcher.up_to_date():
                # Not Searcher.refresh(): see annotator.search.readers.
                self._searcher = fresh_searcher(self._ix, self._searcher)
                self._data = self._engine = None
            if self._data is None or self._engine is None:
                self._data = self._segments.for_reader(self._searcher.reader())
                self._engine = Engine(self._searcher, self._segments, self._data)
        except Exception as exc:  # deleted or damaged under us
            self._searcher = self._data = self._engine = None
            raise Unreadable(f"could not be read ({type(exc).__name__})") from exc
        return self._searcher, self._data, self._engine

    def _repair_now(self, reason: str) -> None:
        with self.store.lock.hold(timeout=300.0):
            self._rebuild_after(IndexProblem(reason))


class Unreadable(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _built(what: str, meta: IndexMeta) -> str:
    return f"{what} ({meta.claims:,} claims, {meta.passages:,} passages)."
