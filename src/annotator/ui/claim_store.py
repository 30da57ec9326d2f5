"""The claims of the open project held in memory, kept up to date from change sets, observed by
every panel.

`ClaimStore` is no view: the claim list, the inspector, the library, the legend, the reader and
the search panel observe it through one signal, `changed(StoreUpdate)`. An update is emitted
only once the store's state is whole again (every claim, label, document and count as it now
is), so an observer may read anything from the store and it does not matter in which order the
observers are called. Change sets come from this window, from another window or program (the
watcher) and, later, from other team members: all arrive through `apply(changes)`.

A change set is applied claim by claim (a bisect per touched claim, never a pass over all of
them); a change of labels or documents, or a batch larger than `RESET_ABOVE` claims, reads
everything anew (`StoreUpdate.reset`). Projects with more than `BACKGROUND_CLAIMS` claims are read
and put in order in a worker thread while the window keeps painting. A change set or a reload
that arrives while an update is being emitted or read (an observer's work may let the event
loop turn) waits in a queue: every observer sees every update, in the same order.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from annotator.domain.location import Location, Locator
from annotator.domain.model import Claim, DocumentSummary, Label
from annotator.domain.reading import ProjectReads

if TYPE_CHECKING:
    from annotator.services.api import Project
    from annotator.services.changes import Changes

log = logging.getLogger(__name__)

BACKGROUND_CLAIMS = 2000
"""Projects with more claims than this read them in a worker thread (12,600 claims take ~1 s)."""

Counts = dict[str, dict[str, int]]
_NO_PARAGRAPHS = Locator(())
ReadingKey = Callable[[Claim], tuple]


def reading_order(doc_order: dict[str, int]) -> ReadingKey:
    """A claim's place in reading order: its document's place in the library, then its span;
    unique (it ends with the claim's id), so that a claim can be found by bisecting."""
    return lambda c: (doc_order.get(c.document_id, 0), c.start, c.end, c.id)


def bisect_claims(
    claims: Sequence[Claim],
    key: tuple,
    sort_key: Callable[[Claim], tuple],
    descending: bool = False,
) -> int:
    """The first position in `claims` (sorted by `sort_key`, `descending` or not) whose claim
    does not sort before `key`."""
    lo, hi = 0, len(claims)
    while lo < hi:
        mid = (lo + hi) // 2
        k = sort_key(claims[mid])
        if (k > key) if descending else (k < key):
            lo = mid + 1
        else:
            hi = mid
    return lo


def add_count(counts: Counts, claim: Claim, delta: int) -> None:
    """Count `claim` in (+1) or out (-1) of {document id: {label id: claims}}."""
    per_label = counts.setdefault(claim.document_id, {})
    n = per_label.get(claim.label_id, 0) + delta
    if n > 0:
        per_label[claim.label_id] = n
    else:
        per_label.pop(claim.label_id, None)
        if not per_label:
            del counts[claim.document_id]


@dataclass(frozen=True)
class StoreUpdate:
    """What one step of the store changed. `reset`: everything was read anew (observers read
    the store from scratch; `added`/`changed`/`removed` are then empty)."""

    changes: Changes | None = None
    """The change set applied (None: the project was opened, closed or read anew)."""
    reset: bool = False
    added: tuple[Claim, ...] = ()
    changed: tuple[tuple[Claim, Claim], ...] = ()
    """(as it was, as it is) for each claim edited."""
    removed: tuple[Claim, ...] = ()
    counts_changed: bool = False
    labels_changed: bool = False
    documents_changed: bool = False
    claims: dict[str, Claim] | None = field(default=None, compare=False)
    """The changed claims as they are now, by id (None for a big batch: not read one by one)."""

    def removed_ids(self) -> set[str]:
        return {c.id for c in self.removed}


class _Snapshot:
    """Labels, documents (with their locators) and every claim of a project, read and put in
    reading order in one go (in a worker thread for a big project), and counted."""

    def __init__(self, project: ProjectReads | None) -> None:
        self.labels: list[Label] = project.labels() if project is not None else []
        self.docs: list[DocumentSummary] = project.documents() if project is not None else []
        self.locators: dict[str, Locator] = project.locators() if project is not None else {}
        """Where claims are, per document (paragraphs and pages; read anew when documents
        change, which reads the whole snapshot anew)."""
        claims = project.annotations() if project is not None else []
        self.doc_order = {d.id: i for i, d in enumerate(self.docs)}
        self.titles = {d.id: d.title for d in self.docs}
        self.key = reading_order(self.doc_order)
        claims.sort(key=self.key)
        self.counts: Counts = {}
        for claim in claims:
            add_count(self.counts, claim, 1)
        self.claims = claims
        self.by_id = {c.id: c for c in claims}


def read_in_background(
    project: Project,
    done: Callable[[_Snapshot], None],
    failed: Callable[[BaseException], None],
    owner: QObject | None = None,
) -> None:
    """Read a snapshot of `project` on the app's task runner and hand it to `done` (or the
    error to `failed`) on the GUI thread, from the event loop, once it is read."""
    from annotator.ui.tasks import runner

    runner().submit(partial(_Snapshot, project), done, failed, owner=owner)


class ClaimStore(QObject):
    """Every claim of the open project, its labels, documents and claim counts, in memory."""

    changed = Signal(object)  # StoreUpdate, once the store is whole again

    RESET_ABOVE = 300
    """A change set touching more claims than this reads everything anew."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project: Project | None = None
        self._snapshot = _Snapshot(None)
        self._queue: list[tuple[Changes | None, bool]] = []
        self._busy = False
        self._reading: object | None = None  # a token while a read is off the GUI thread

    # -- feeding it ----------------------------------------------------------------------------

    def set_project(self, project: Project | None) -> None:
        """Hold the claims of `project` (None: nothing); observers get a reset."""
        self.project = project
        self._queue.clear()
        self._reading = None  # a read of the project before is dropped when it comes
        self.reload()

    def show_frame(self, frame: ProjectReads) -> None:
        """Hold what the window's first frame was read from (`storage.first_frame`) until the
        project opens: no project yet (nothing is applied; `set_project` reads everything
        anew); observers get a reset."""
        self.project = None
        self._queue.clear()
        self._reading = None
        self._reset(_Snapshot(frame), None)

    def reload(self) -> None:
        """Read everything anew; observers get a reset."""
        self._run(None, True)

    def apply(self, changes: Changes) -> None:
        """Bring the store up to date with a committed change set; observers get what changed."""
        self._run(changes, False)

    def reading(self) -> bool:
        """A big project's claims are being read off the GUI thread (the updates that came
        meanwhile wait for the read)."""
        return self._reading is not None

    def _run(self, changes: Changes | None, reload: bool) -> None:
        self._queue.append((changes, reload))
        self._drain()

    def _drain(self) -> None:
        """Apply what is queued, one step at a time, each told to every observer before the
        next; a read off the GUI thread holds the queue until it is in."""
        if self._busy:
            return  # runs when the update being told (or the read) is done
        self._busy = True
        try:
            while self._queue and self._reading is None:
                changes, reload = self._queue.pop(0)
                if reload or self._needs_reload(changes):
                    self._start_reload(changes)
                else:
                    update = self._apply(changes)
                    if update is not None:
                        self.changed.emit(update)
        finally:
            self._busy = False

    def _needs_reload(self, changes: Changes | None) -> bool:
        """Labels or documents changed, blind coding turned on or off, or a batch too big to apply
        claim by claim."""
        if changes is None or self.project is None:
            return False
        return (
            changes.touches("label")
            or changes.touches("document")
            or "blind_coding" in changes.ids("setting")  # which claims this member may see
            or len(changes.ids("annotation")) > self.RESET_ABOVE
        )

    def _start_reload(self, changes: Changes | None, attempt: int = 0) -> None:
        project = self.project
        if project is None or project.annotation_count() <= BACKGROUND_CLAIMS:
            self._reset(_Snapshot(project), changes)
            return
        token = self._reading = object()
        before = project.change_number()
        read_in_background(
            project,
            lambda snapshot: self._read_done(token, project, snapshot, changes, before, attempt),
            lambda error: self._read_failed(token, error),
            owner=self,
        )

    def _read_done(
        self,
        token: object,
        project: Project,
        snapshot: _Snapshot,
        changes: Changes | None,
        before: int,
        attempt: int,
    ) -> None:
        """On the GUI thread, with a snapshot read off it. A change committed meanwhile (by a
        timer of this window, or by another program) may or may not be in what was read, so
        the read is repeated until the change number holds still."""
        if token is not self._reading:
            return  # the project was closed or replaced meanwhile
        self._reading = None
        if project is self.project:
            if project.change_number() != before and attempt < 2:
                self._start_reload(changes, attempt + 1)
            elif project.change_number() != before:
                self._reset(_Snapshot(project), changes)
            else:
                self._reset(snapshot, changes)
        self._drain()

    def _read_failed(self, token: object, error: BaseException) -> None:
        """The read failed (the project closed meanwhile, or its file went): keep what is held."""
        if token is self._reading:
            self._reading = None
            log.info("reading the claims failed: %s", error)
            self._drain()

    def _reset(self, snapshot: _Snapshot, changes: Changes | None) -> None:
        self._snapshot = snapshot
        self.changed.emit(
            StoreUpdate(
                changes=changes,
                reset=True,
                counts_changed=True,
                labels_changed=True,
                documents_changed=True,
            )
        )

    def _apply(self, changes: Changes | None) -> StoreUpdate | None:
        project = self.project
        if project is None or changes is None:
            return None
        ids = changes.ids("annotation")
        if not ids:
            return StoreUpdate(changes=changes, claims={})
        found = project.claims_by_id(ids)
        added: list[Claim] = []
        edited: list[tuple[Claim, Claim]] = []
        removed: list[Claim] = []
        snap = self._snapshot
        for claim_id in sorted(ids):
            old, new = snap.by_id.get(claim_id), found.get(claim_id)
            if old is not None:
                self._take_out(old)
            if new is not None:
                self._put_in(new)
            if old is not None and new is not None:
                edited.append((old, new))
            elif old is not None:
                removed.append(old)
            elif new is not None:
                added.append(new)
        return StoreUpdate(
            changes=changes,
            added=tuple(added),
            changed=tuple(edited),
            removed=tuple(removed),
            counts_changed=bool(added or removed or edited),
            claims=found,
        )

    def _position(self, claim: Claim) -> int:
        snap = self._snapshot
        return bisect_claims(snap.claims, snap.key(claim), snap.key)

    def _take_out(self, claim: Claim) -> None:
        snap = self._snapshot
        row = self._position(claim)
        if row < len(snap.claims) and snap.claims[row].id == claim.id:
            del snap.claims[row]
        else:  # not where its key says (cannot happen while keys are unique)
            snap.claims = [c for c in snap.claims if c.id != claim.id]
        del snap.by_id[claim.id]
        add_count(snap.counts, claim, -1)

    def _put_in(self, claim: Claim) -> None:
        snap = self._snapshot
        snap.claims.insert(self._position(claim), claim)
        snap.by_id[claim.id] = claim
        add_count(snap.counts, claim, 1)

    # -- reading it ----------------------------------------------------------------------------

    def claim(self, claim_id: str) -> Claim | None:
        return self._snapshot.by_id.get(claim_id)

    def claims(self) -> list[Claim]:
        """Every claim in reading order (the store's own list: read it, never change it)."""
        return self._snapshot.claims

    def claim_count(self) -> int:
        return len(self._snapshot.claims)

    def counts(self) -> Counts:
        """{document id: {label id: number of claims}}, as `Project.claim_counts()` says."""
        return {doc: dict(per_label) for doc, per_label in self._snapshot.counts.items()}

    def labels(self) -> list[Label]:
        """The project's labels, in their order."""
        return list(self._snapshot.labels)

    def label(self, label_id: str) -> Label | None:
        return next((lab for lab in self._snapshot.labels if lab.id == label_id), None)

    def documents(self) -> list[DocumentSummary]:
        """The project's documents, in the library's order."""
        return list(self._snapshot.docs)

    def document_order(self) -> dict[str, int]:
        return dict(self._snapshot.doc_order)

    def title(self, document_id: str) -> str:
        return self._snapshot.titles.get(document_id, "")

    def location(self, claim: Claim) -> Location:
        """Where `claim` is in its document ("¶ 3", "p. 2, ¶ 14" as `.short`): two bisections
        in its document's locator, read with the documents."""
        locator = self._snapshot.locators.get(claim.document_id)
        if locator is None:
            locator = _NO_PARAGRAPHS
        return locator.locate(claim.start)

    def neighbour(self, claim_id: str) -> str:
        """The claim after this one in its document (in reading order), else the one before,
        else "" (the claim to select once this one is deleted)."""
        claim = self.claim(claim_id)
        if claim is None:
            return ""
        claims = self._snapshot.claims
        row = self._position(claim)
        for other in (row + 1, row - 1):
            if 0 <= other < len(claims) and claims[other].document_id == claim.document_id:
                return claims[other].id
        return ""
