"""Bringing the index in step with the project: replaying the outbox, in the background.

Every mutation of the project writes what it touched to the `changes` outbox in its own
transaction. `apply_pending` reads the rows after the index's last applied change number (kept in
the index folder's annotator-index.json, shared by every process using that index), re-reads the
touched claims and documents from SQL in the same snapshot, and applies them in ONE Whoosh writer
commit, all under the cross-process lock, so two windows or processes never step on each other
(no LockError) and the replay is idempotent whoever gets there first.

A big batch (more than ELSEWHERE_ABOVE new index documents: an import) has its new documents
indexed by a worker process (`build_worker.index_segment`) while this thread only deletes and
commits: tokenising thousands of claims on a thread of the window's process starved the window
of the GIL.

`BackgroundIndexer` runs `apply_pending` on a thread, woken through a queue by
`Project.subscribe` callbacks (which return at once: the caller never waits for the index). It
waits for `QUIET_S` without new changes first and applies them all in one commit: a Whoosh commit
holds the GIL for tens of milliseconds, which should not land on the UI thread while it paints
the claim just made, nor be paid once per change of a burst.
"""

from __future__ import annotations

import logging
import queue
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.search import build_worker, feed
from annotator.search.schema import CLAIM, PASSAGE, claim_fields, claim_key, passage_fields
from annotator.storage.server_rights import BLIND_KEY

if TYPE_CHECKING:
    from whoosh.index import Index
    from whoosh.searching import Searcher

    from annotator.services.api import Project
    from annotator.services.changes import Changes

_log = logging.getLogger(__name__)

REBUILD_ABOVE = 20_000
"""More touched claims than this in one catch-up: rebuilding from scratch is faster."""

WRITER_TIMEOUT = 10.0

QUIET_S = 0.06
"""Seconds without a new change before the indexer applies what is pending: long enough to
leave the window the frame that shows the change (painted within ~30 ms of the commit) and to
gather a burst (undo held down, an import), short enough to be done before the user's next
action. Longer (0.1 s) pushed the commit into the next claim being made when claims came every
0.15 s. With a commit of ~50-70 ms at 100,000 claims, a new claim is searchable ~0.12 s after it
was made (`wait_until_current` does not wait for quiet)."""
ELSEWHERE_ABOVE = 500
"""More new index documents than this in one batch are indexed by a worker process (starting
one costs ~0.3 s; 500 claims take about as long to index here)."""
MAX_HOLD_S = 0.5
"""A steady stream of changes is applied at least this often (seconds after the first)."""


class BacklogTooLarge(Exception):
    """So many changes are pending that a rebuild is the faster way to catch up."""

    reason = "was far behind"
    """What happened to the index, for the message of its rebuild."""


class ReadableChanged(BacklogTooLarge):
    """Blind coding was turned on or off: which claims a member may read changed at once, and
    their rows in the change log (hidden, or readable) were never replayed: rebuild from what
    the member reads now."""

    reason = "followed blind coding, turned on or off"


@dataclass
class Work:
    """What a batch of outbox rows asks of the index."""

    claims: set[str] = field(default_factory=set)
    documents: set[str] = field(default_factory=set)
    links: set[str] = field(default_factory=set)
    rows: int = 0
    readable_changed: bool = False
    """Blind coding was turned on or off (see `ReadableChanged`)."""

    @classmethod
    def from_rows(cls, rows: list[tuple[int, str, str, str]]) -> Work:
        work = cls(rows=len(rows))
        for _, entity, entity_id, _op in rows:
            if entity == "annotation":
                work.claims.add(entity_id)
            elif entity == "document":
                work.documents.add(entity_id)
            elif entity == "link":
                work.links.add(entity_id)
            elif entity == "setting" and entity_id == BLIND_KEY:
                work.readable_changed = True
            # labels: names are resolved when a query is parsed; nothing indexed changes.
        return work


@dataclass(frozen=True)
class Applied:
    change_number: int
    rows: int
    claims: int
    documents: int


def apply_pending(project: Project, ix: Index, last_change: int, searcher: Searcher) -> Applied:
    """Apply the outbox after `last_change` to `ix` in one commit (caller holds the lock and
    records the returned change number in the index's meta). `searcher` reads the latest commit
    of `ix`: deletions find their documents with it (Whoosh would open a reader of every
    segment for each writer)."""
    from whoosh.query import And, Term

    with feed.snapshot(project) as conn:
        number = feed.change_number(conn)
        rows = feed.changes_since(conn, last_change)
    work = Work.from_rows(rows)
    if not rows:
        return Applied(number, 0, 0, 0)
    if work.readable_changed:
        raise ReadableChanged("blind coding was turned on or off")
    if len(work.claims) > REBUILD_ABOVE:
        raise BacklogTooLarge(f"{len(work.claims)} claims changed")
    if work.links:
        # A link's claims must show their new relations; for a removed link, the index itself
        # knows which claims carried it.
        for link_id in work.links:
            for fields in searcher.documents(links=link_id):
                work.claims.add(str(fields["key"])[2:])
    # Records are read in a second snapshot, at least as new as the rows: the change number
    # recorded stays the one the rows were read at, so later rows are replayed (idempotently).
    with feed.snapshot(project) as conn:
        if work.links:
            work.claims |= feed.link_ends(conn, work.links)
        claims = feed.claims(conn, ids=work.claims) if work.claims else []
        documents = feed.documents(conn, work.documents) if work.documents else []
        texts = {d.id: feed.document_text(conn, d.id) for d in documents if d.paragraphs}
    writer = ix.writer(timeout=WRITER_TIMEOUT, delay=0.05)
    if searcher.reader().generation() != getattr(writer, "generation", 0) - 1:
        searcher = writer.searcher()  # pragma: no cover - someone committed in between
    try:
        present = {d.id for d in documents}
        for doc_id in work.documents - present:
            writer.delete_by_term("doc_id", doc_id, searcher=searcher)  # claims and passages
        docs = []
        for doc in documents:
            writer.delete_by_query(
                And([Term("kind", PASSAGE), Term("doc_id", doc.id)]), searcher=searcher
            )
            text = texts.get(doc.id, "")
            for k, (start, end) in enumerate(doc.paragraphs):
                docs.append(passage_fields(doc.id, k, start, end, text[start:end]))
        for claim_id in work.claims:  # deleted, or about to be added again
            writer.delete_by_term("key", claim_key(claim_id), searcher=searcher)
        docs.extend(claim_fields(rec) for rec in claims)
        segment = _segment_elsewhere(ix, docs)
        if segment is None:
            for fields in docs:
                writer.add_document(**fields)
            writer.commit()
        else:
            writer.commit(mergetype=build_worker.with_segments([segment]))
    except BaseException:
        writer.cancel()
        raise
    return Applied(number, len(rows), len(work.claims), len(work.documents))


def _segment_elsewhere(ix: Index, docs: list[dict[str, Any]]) -> Any:
    """For a big batch (an import), the new documents indexed into a segment by a worker
    process, else None (this thread adds them). Tokenising and writing postings is all Python:
    done here, beside the window, it held the GIL in a way the window felt (stalls of
    150-1000 ms while 2,500 imported claims were indexed); a worker process shares nothing."""
    folder = getattr(getattr(ix, "storage", None), "folder", None)
    if len(docs) <= ELSEWHERE_ABOVE or folder is None or getattr(sys, "frozen", False):
        return None  # a frozen app has no Python interpreter to start a worker with
    try:
        return build_worker.index_segment(Path(folder), docs)
    except (OSError, RuntimeError) as exc:
        _log.warning("indexing in a worker process failed, indexing here: %s", exc)
        return None


def count_kind(ix: Index, kind: str) -> int:
    """Live (not deleted) index documents of a kind."""
    from whoosh.query import Term

    with ix.searcher() as searcher:
        return sum(1 for _ in searcher.docs_for_query(Term("kind", kind)))


def count_claims(ix: Index) -> int:
    return count_kind(ix, CLAIM)


class BackgroundIndexer:
    """One thread applying project changes as they are committed.

    `notify` (a Project.subscribe callback) only puts the change number on a queue. The thread
    drains the queue, calls `apply()` once for everything pending, and on an error logs it and
    retries with a growing delay (a busy lock, a full disk); the index stays derived data.
    """

    def __init__(
        self,
        apply: Callable[[], None],
        name: str = "annotator-search-indexer",
        *,
        quiet: float = QUIET_S,
        max_hold: float = MAX_HOLD_S,
    ) -> None:
        self._apply = apply
        self.quiet = quiet
        self.max_hold = max_hold
        self._queue: queue.Queue[int | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._name = name
        self.last_error: BaseException | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self.running:
            return
        self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
        self._thread.start()
        self._queue.put(0)  # catch up with anything committed before we subscribed

    def notify(self, changes: Changes) -> None:
        self._queue.put(changes.change_number)

    def wake(self) -> None:
        """Apply what is pending now, without waiting for quiet (someone waits for it)."""
        self._queue.put(0)

    def stop(self, timeout: float = 10.0) -> None:
        thread = self._thread
        if thread is None:
            return
        self._queue.put(None)
        thread.join(timeout)
        self._thread = None

    def _wait_for_quiet(self) -> int | None:
        """Wait until no change came for `quiet` seconds (at most `max_hold`); None: stop."""
        deadline = time.monotonic() + self.max_hold
        while True:
            timeout = min(self.quiet, deadline - time.monotonic())
            if timeout <= 0:
                return 1
            try:
                item = self._queue.get(timeout=timeout)
            except queue.Empty:
                return 1
            if not item:
                return item  # stop (None), or a wake-up (0): apply now

    def _run(self) -> None:
        delay = 0.0
        while True:
            try:
                item = self._queue.get(timeout=delay) if delay else self._queue.get()
            except queue.Empty:
                item = 0  # retry after an error
            if item:  # a change (not a wake-up, nor a retry): let a burst finish first
                item = self._wait_for_quiet()
            stop = item is None
            while True:  # coalesce everything that is waiting into one commit
                try:
                    if self._queue.get_nowait() is None:
                        stop = True
                except queue.Empty:
                    break
            if stop:
                return
            try:
                self._apply()
                self.last_error = None
                delay = 0.0
            except Exception as exc:
                self.last_error = exc
                delay = min(max(delay * 2, 0.1), 5.0)
                _log.warning("search index update failed (retrying in %.1f s): %s", delay, exc)
