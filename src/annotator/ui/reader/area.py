"""`PaneArea`: reader panes side by side, with link connectors between neighbours."""

from __future__ import annotations

import contextlib
import html
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from annotator.domain.errors import NotFoundError
from annotator.domain.model import Claim, Link
from annotator.domain.reading import ProjectReads
from annotator.ui.reader.gutter import GUTTER_WIDTH, Connector, LinkGutter
from annotator.ui.reader.loading import (
    BACKGROUND_CHARS,
    SLOW_MS,
    PreparedDocument,
    prepare_document,
)
from annotator.ui.reader.pane import ReaderPane
from annotator.ui.reader.spans import ClaimSpan
from annotator.ui.reader.sync import align_views
from annotator.ui.reader.view import ReaderView

if TYPE_CHECKING:
    from annotator.services.changes import Changes

STATE_VERSION = 1
SPANS_ABOVE = 300
"""A change of more claims than this (an import) is shown from the documents' span index, not
by reading every changed claim."""


class _Splitter(QSplitter):
    def __init__(self, area: PaneArea) -> None:
        super().__init__(Qt.Orientation.Horizontal, area)
        self._area = area

    def createHandle(self) -> LinkGutter:
        return LinkGutter(self.orientation(), self, self._area)


class PaneArea(QWidget):
    """N reader panes side by side in a QSplitter (2 by default), with a LinkGutter between
    each pair of adjacent panes drawing connectors for links between their two documents.

    Beyond what the window uses (docs/developer-guide.md) it offers: `pane(i)`, `gutter(i)`
    (between panes i and i+1), `select_link(link_id)` (selects both claims and the connector, no
    signal), `sync_scroll()`, `current_document()`, the signal `currentPaneChanged(int)`.
    `select_claim`, `select_link` and `show_span` never emit `claimSelected`/`linkSelected`:
    those signals report what the user did in the reader.

    `open_document` shows a document at once up to `loading.BACKGROUND_CHARS`; a bigger one is
    read and indexed on the app's task runner while the window goes on, and is shown (with
    `paneDocumentChanged`) when it is ready; `loading_done()` says whether every pane is
    shown. A claim or passage selected meanwhile in that document is selected once it shows.
    A request made meanwhile for the same pane wins over the earlier one.
    """

    claimSelected = Signal(str)
    createClaimRequested = Signal(str, int, int, str)
    linkSelected = Signal(str)
    paneDocumentChanged = Signal(int, str)
    contextAction = Signal(str, str)
    currentPaneChanged = Signal(int)

    def __init__(self, project: ProjectReads, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        """What the panes read: the open project, or the first frame painted before it opened."""
        self._panes: list[ReaderPane] = []
        self._current = 0
        self._sync = False
        self._syncing = False
        self._links: list[Link] | None = None
        self._pairs: dict[tuple[int, int], tuple[Any, ...]] = {}
        self._link_index: LinkIndex | None = None
        self._loading: dict[ReaderPane, tuple[object, str]] = {}
        """Panes whose document is being prepared: (token of the request, document id)."""
        self._after_load: dict[ReaderPane, list[Any]] = {}
        """What to do in a pane once its document shows (a selection asked for meanwhile)."""
        self._labels = project.labels()
        self._summaries = project.documents()
        self._splitter = _Splitter(self)
        self._splitter.setHandleWidth(GUTTER_WIDTH)
        self._splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._splitter)
        self.add_pane()
        self.add_pane()
        self._set_current(0)

    def set_project(self, project: ProjectReads) -> None:
        """Read from `project` from now on: the project opened in place of the first frame the
        panes were painted from, holding the same documents, claims and links (the window
        checks its change number), so what the panes show stays as it is."""
        self.project = project
        self._labels = project.labels()
        self._summaries = project.documents()
        self._links = None
        self._link_index = None
        for pane, (_token, document_id) in list(self._loading.items()):
            self._load(pane, document_id)  # a big document still read from the frame

    # -- panes -----------------------------------------------------------------------------

    def pane_count(self) -> int:
        return len(self._panes)

    def pane(self, index: int) -> ReaderPane:
        return self._panes[index]

    def gutter(self, index: int) -> LinkGutter:
        """The gutter between pane `index` and pane `index + 1`."""
        handle = self._splitter.handle(index + 1)
        assert isinstance(handle, LinkGutter)
        return handle

    def add_pane(self) -> int:
        pane = ReaderPane(self._splitter)
        pane.view.note_lookup = self._note_of
        pane.set_documents(self._summaries)
        pane.show_document(None, self._labels)
        self._panes.append(pane)
        self._splitter.addWidget(pane)
        pane.documentChosen.connect(lambda doc_id, p=pane: self._chosen(p, doc_id))
        pane.splitRequested.connect(lambda p=pane: self._split(p))
        pane.closeRequested.connect(lambda p=pane: self._close(p))
        pane.activated.connect(lambda p=pane: self._activate(p))
        view = pane.view
        view.claimClicked.connect(lambda cid, p=pane: self._claim_clicked(p, cid))
        view.createClaimRequested.connect(
            lambda s, e, lab, p=pane: self.createClaimRequested.emit(p.document_id, s, e, lab)
        )
        view.contextAction.connect(self.contextAction)
        view.viewChanged.connect(lambda p=pane: self._view_changed(p))
        view.verticalScrollBar().valueChanged.connect(lambda _v, p=pane: self._scrolled(p))
        if len(self._panes) > 1:
            self.gutter(len(self._panes) - 2).linkClicked.connect(self._link_clicked)
        self._equalize()
        self._update_buttons()
        return len(self._panes) - 1

    def remove_pane(self, index: int) -> None:
        if not 0 <= index < len(self._panes) or len(self._panes) <= 1:
            return
        pane = self._panes.pop(index)
        self._loading.pop(pane, None)
        self._after_load.pop(pane, None)
        pane.hide()
        pane.setParent(None)
        pane.deleteLater()
        self._current = min(self._current, len(self._panes) - 1)
        self._set_current(self._current)
        self._equalize()
        self._update_buttons()
        self._update_gutters()

    def _equalize(self) -> None:
        n = len(self._panes)
        total = max(self._splitter.width() - GUTTER_WIDTH * (n - 1), n * 100)
        self._splitter.setSizes([total // n] * n)

    def _update_buttons(self) -> None:
        for pane in self._panes:
            pane.close_button.setEnabled(len(self._panes) > 1)

    def _split(self, pane: ReaderPane) -> None:
        index = self.add_pane()
        self._set_current(index)

    def _close(self, pane: ReaderPane) -> None:
        if pane in self._panes:
            self.remove_pane(self._panes.index(pane))

    def _activate(self, pane: ReaderPane) -> None:
        if pane in self._panes:
            self._set_current(self._panes.index(pane))

    def _set_current(self, index: int) -> None:
        changed = index != self._current
        self._current = index
        for i, pane in enumerate(self._panes):
            pane.set_active(i == index and len(self._panes) > 1)
        if changed:
            self.currentPaneChanged.emit(index)

    def current_pane(self) -> int:
        return self._current

    def current_document(self) -> str:
        return self._panes[self._current].document_id if self._panes else ""

    # -- documents -------------------------------------------------------------------------

    def documents(self) -> list[str]:
        return [pane.document_id for pane in self._panes]

    def open_document(self, document_id: str, pane: int | None = None) -> int:
        """Show a document. Without `pane`: the pane showing it already, else the first empty
        pane, else the current one. A pane index beyond the last adds panes."""
        if pane is None:
            showing = [i for i, p in enumerate(self._panes) if p.document_id == document_id]
            empty = [i for i, p in enumerate(self._panes) if not p.document_id]
            pane = showing[0] if showing else empty[0] if empty else self._current
        if pane < 0:
            raise IndexError(f"No pane {pane}.")
        while pane >= len(self._panes):
            self.add_pane()
        target = self._panes[pane]
        loading = self._loading.get(target)
        if (loading is not None and loading[1] != document_id) or (
            loading is None and target.document_id != document_id
        ):
            self._load(target, document_id)
        self._set_current(pane)
        return pane

    def loading_done(self) -> bool:
        """Every pane shows the document asked for (none is being prepared)."""
        return not self._loading

    def _chosen(self, pane: ReaderPane, document_id: str) -> None:
        if pane in self._panes:
            self._load(pane, document_id)
            self._set_current(self._panes.index(pane))

    def _load(self, pane: ReaderPane, document_id: str) -> None:
        """Show a document in a pane; a big one is read and indexed on the task runner."""
        from annotator.ui.tasks import runner

        token = object()
        self._loading[pane] = (token, document_id)
        self._after_load.pop(pane, None)
        summary = next((s for s in self._summaries if s.id == document_id), None)
        if document_id and summary is None:  # made since the list was read
            self._summaries = self.project.documents()
            summary = next((s for s in self._summaries if s.id == document_id), None)
        if not document_id or summary is None or summary.text_length <= BACKGROUND_CHARS:
            opened = prepare_document(self.project, document_id) if document_id else None
            self._loaded(pane, token, opened)
            return
        title = summary.title if summary else "document"
        QTimer.singleShot(SLOW_MS, pane, lambda: self._still_opening(pane, token, title))
        project = self.project
        runner().submit(
            lambda: prepare_document(project, document_id),
            lambda opened: self._loaded(pane, token, opened),
            lambda error: self._load_failed(pane, token, error),
            key=f"reader-open-{id(pane)}",
            owner=pane,
        )

    def _loaded(self, pane: ReaderPane, token: object, opened: PreparedDocument | None) -> None:
        loading = self._loading.get(pane)
        if loading is None or loading[0] is not token or not shiboken6.isValid(pane):
            return  # superseded by a later request, or the pane went away
        del self._loading[pane]
        if pane not in self._panes:
            return
        pane.show_document(opened, self._labels)
        self._update_gutters()
        self.paneDocumentChanged.emit(self._panes.index(pane), pane.document_id or "")
        for then in self._after_load.pop(pane, []):
            then()

    def _load_failed(self, pane: ReaderPane, token: object, error: BaseException) -> None:
        """The document could not be read: the pane shows nothing, the error dialog says why
        (nothing at all when a later request superseded this one)."""
        import sys

        loading = self._loading.get(pane)
        if loading is None or loading[0] is not token:
            return
        self._loaded(pane, token, None)
        sys.excepthook(type(error), error, error.__traceback__)

    def _still_opening(self, pane: ReaderPane, token: object, title: str) -> None:
        loading = self._loading.get(pane)
        if loading is not None and loading[0] is token:
            self._show_opening(pane, title)

    def _when_shown(self, index: int, then: Any) -> None:
        """`then()` now, or once the pane's document shows if it is being prepared."""
        pane = self._panes[index]
        if pane in self._loading:
            self._after_load.setdefault(pane, []).append(then)
        else:
            then()

    def _show_opening(self, pane: ReaderPane, title: str) -> None:
        if shiboken6.isValid(pane) and pane in self._panes:
            pane.show_opening(title)

    def _note_of(self, claim_id: str) -> str:
        return self.project.annotation(claim_id).note

    # -- claims ----------------------------------------------------------------------------

    def selected_claims(self) -> list[tuple[int, str]]:
        return [
            (i, p.view.current_claim) for i, p in enumerate(self._panes) if p.view.current_claim
        ]

    def _claim_clicked(self, pane: ReaderPane, claim_id: str) -> None:
        if pane in self._panes:
            self._set_current(self._panes.index(pane))
        self._clear_link_selection()
        self.claimSelected.emit(claim_id)

    def select_claim(self, claim_id: str, scroll: bool = True) -> None:
        """Select a claim in the pane showing its document (opening it if needed)."""
        order = [self._current] + [i for i in range(len(self._panes)) if i != self._current]
        index = next((i for i in order if claim_id in self._panes[i].view.claims), None)
        if index is None:
            try:
                document_id = self.project.annotation(claim_id).document_id
            except NotFoundError:
                return
            index = self.open_document(document_id)
        # No gutter repaint: connectors do not show which claim is selected, and a scroll
        # (or a document opened) repaints the gutters by itself.
        view = self._panes[index].view
        self._when_shown(index, lambda: view.set_current_claim(claim_id, scroll))
        self._set_current(index)

    def show_span(self, document_id: str, start: int, end: int) -> None:
        index = self.open_document(document_id)
        view = self._panes[index].view
        self._when_shown(index, lambda: view.select_span(start, end))

    # -- links -----------------------------------------------------------------------------

    def links(self) -> list[Link]:
        if self._links is None:
            self._links = self.project.links()
        return self._links

    def link_index(self) -> LinkIndex:
        """The links by claim and by id, rebuilt only when the links change (the gutter asks
        on every frame for the links of the few claims in view)."""
        links = self.links()
        index = self._link_index
        if index is None or index.links is not links:
            index = self._link_index = LinkIndex(links)
        return index

    def links_between(self, left: ReaderView, right: ReaderView) -> list[tuple[Link, str, str]]:
        """(link, claim in left, claim in right) for the links joining the two views. Kept
        until the links or either view's claims change: the gutter asks on every frame."""
        out: list[tuple[Link, str, str]] = []
        lc, rc = left.claims, right.claims
        if not len(lc) or not len(rc):
            return out
        links = self.links()
        key = (id(left), id(right))
        c = self._pairs.get(key)
        if (
            c is not None
            and c[0] is lc
            and c[1] == lc.version
            and c[2] is rc
            and c[3] == rc.version
            and c[4] is links
        ):
            return c[5]
        self._pairs[key] = (lc, lc.version, rc, rc.version, links, out)
        for link in links:
            if link.source_id in lc and link.target_id in rc:
                out.append((link, link.source_id, link.target_id))
            elif link.target_id in lc and link.source_id in rc:
                out.append((link, link.target_id, link.source_id))
        return out

    def link_tooltip(self, connector: Connector) -> str:
        link = self.link_index().by_id.get(connector.link_id)
        text = f"<b>{html.escape(connector.relation)}</b>"
        if link is not None and link.note:
            text += "<br>" + html.escape(link.note[:200])
        return text + "<br><i>Click to select both claims.</i>"

    def _link_clicked(self, link_id: str) -> None:
        self.select_link(link_id)
        self.linkSelected.emit(link_id)

    def select_link(self, link_id: str) -> None:
        """Select both claims of a link in the panes showing them and mark its connector."""
        link = self.link_index().by_id.get(link_id)
        if link is None:
            return
        for claim_id in (link.source_id, link.target_id):
            for pane in self._panes:
                if claim_id in pane.view.claims:
                    pane.view.set_current_claim(claim_id, scroll=True)
                    break
        for i in range(len(self._panes) - 1):
            self.gutter(i).selected_link = link_id
        self._update_gutters()

    def _clear_link_selection(self) -> None:
        for i in range(len(self._panes) - 1):
            if self.gutter(i).selected_link:
                self.gutter(i).selected_link = ""
                self.gutter(i).update()

    def _update_gutters(self) -> None:
        for i in range(len(self._panes) - 1):
            self.gutter(i).update()

    def _view_changed(self, pane: ReaderPane) -> None:
        if pane not in self._panes:
            return
        i = self._panes.index(pane)
        if i > 0:
            self.gutter(i - 1).update()
        if i < len(self._panes) - 1:
            self.gutter(i).update()

    # -- changes ---------------------------------------------------------------------------

    def _changed_spans(
        self, document_id: str, claim_ids: set[str], claims: dict[str, Claim] | None
    ) -> dict[str, ClaimSpan]:
        """The changed claims of a document as they are now: from `claims` (the changed claims,
        read once for every pane), or, for a big batch, from the document's span index (one
        query that reads an index)."""
        if claims is None:
            rows = self.project.claim_spans(document_id)
            return {row[0]: ClaimSpan(*row) for row in rows if row[0] in claim_ids}
        return {
            ann.id: ClaimSpan(ann.id, ann.start, ann.end, ann.label_id)
            for ann in claims.values()
            if ann.document_id == document_id
        }

    def _apply_claims(
        self,
        pane: ReaderPane,
        claim_ids: set[str],
        spans: dict[str, ClaimSpan],
        added: set[str] | frozenset[str] = frozenset(),
    ) -> str:
        """Show the changed claims of the pane's document (`spans`: as they are now); returns
        the id of a new claim the pane asked for (now its selected claim), else ""."""
        view = pane.view
        touched = False
        marked = ""
        for cid in claim_ids:
            span = spans.get(cid)
            if span is not None:
                view.upsert_claim(span)
                if cid in added and view.claim_appeared(span):
                    marked = cid
                touched = True
            elif cid in view.claims:
                view.remove_claim(cid)
                touched = True
        if touched:
            pane.update_details()
        return marked

    def apply_changes(self, changes: Changes, claims: dict[str, Claim] | None = None) -> None:
        """Refresh what a committed change touched: claims (only their blocks are formatted
        again), links (connectors), labels (colours, keys) and documents (choosers).
        `claims`: the changed claims as they are now, when the caller has read them already
        (`Project.claims_by_id` of the change's claim ids)."""
        if changes.touches("label"):
            self.reload_labels()
        if changes.touches("document"):
            self._documents_changed(changes)
        claim_ids = changes.ids("annotation")
        if claim_ids:
            if claims is None and len(claim_ids) <= SPANS_ABOVE:
                claims = self.project.claims_by_id(claim_ids)
            added = {ref.id for ref in changes.added if ref.entity == "annotation"}
            spans: dict[str, dict[str, ClaimSpan]] = {}  # by document: two panes, one read
            marked: list[tuple[ReaderPane, str]] = []
            for pane in self._panes:
                if pane.document_id:
                    if pane.document_id not in spans:
                        spans[pane.document_id] = self._changed_spans(
                            pane.document_id, claim_ids, claims
                        )
                    cid = self._apply_claims(pane, claim_ids, spans[pane.document_id], added)
                    if cid:
                        marked.append((pane, cid))
            for pane, cid in marked:
                # The claim the user just marked is the selected claim (as a click makes it).
                self._claim_clicked(pane, cid)
        if changes.touches("link"):
            self._refresh_links(changes)
        if changes.touches("link") or (claim_ids and self._has_links(claim_ids)):
            self._update_gutters()

    def _has_links(self, claim_ids: set[str]) -> bool:
        """Whether any of these claims has a link (a connector to move or drop). A claim
        without links changes no connector: a new claim, above all."""
        if self._links is None:
            return True  # not read yet: nothing to go by
        by_claim = self.link_index().by_claim
        return any(cid in by_claim for cid in claim_ids)

    def _refresh_links(self, changes: Changes) -> None:
        """Update the cached links from a change set: only the links it names are read again
        (reading all of them took 0.3 s with a few thousand links). A claim change touches
        no link unless the change set names it (a deleted claim's links are listed)."""
        if self._links is None:
            return
        named = changes.ids("link")
        links = [k for k in self._links if k.id not in named]
        for ref in (*changes.added, *changes.changed):
            if ref.entity == "link":
                with contextlib.suppress(NotFoundError):
                    links.append(self.project.link(ref.id))
        self._links = links

    def _documents_changed(self, changes: Changes) -> None:
        self._summaries = self.project.documents()
        known = {s.id for s in self._summaries}
        changed = changes.ids("document")
        for pane in self._panes:
            pane.set_documents(self._summaries)
            if pane.document_id and pane.document_id not in known:
                self._load(pane, "")
            elif pane.document_id in changed:
                summary = next(s for s in self._summaries if s.id == pane.document_id)
                pane.set_document_metadata(summary)

    def label_colors(self) -> list[str]:
        """The labels' colours (a connector whose relation looks like one is drawn dashed)."""
        return [lab.color for lab in self._labels]

    def reload_labels(self) -> None:
        self._labels = self.project.labels()
        for pane in self._panes:
            pane.view.set_labels(self._labels)
        self._update_gutters()

    # -- scrolling -------------------------------------------------------------------------

    def set_sync_scroll(self, on: bool) -> None:
        self._sync = bool(on)
        if self._sync and self._panes:
            self._scrolled(self._panes[self._current])

    def sync_scroll(self) -> bool:
        return self._sync

    def _scrolled(self, pane: ReaderPane) -> None:
        if not self._sync or self._syncing or pane not in self._panes or not pane.document_id:
            return
        self._syncing = True
        try:
            for other in self._panes:
                if other is not pane and other.document_id:
                    align_views(pane.view, other.view, self.links_between(pane.view, other.view))
        finally:
            self._syncing = False

    # -- state -----------------------------------------------------------------------------

    def save_state(self) -> dict[str, Any]:
        return {
            "version": STATE_VERSION,
            "panes": [
                {"document": p.document_id, "offset": p.view.top_offset() if p.document_id else 0}
                for p in self._panes
            ],
            "sizes": self._splitter.sizes(),
            "current": self._current,
            "sync": self._sync,
        }

    def restore_state(self, state: dict[str, Any]) -> None:
        """Reopen what `save_state` saw; documents no longer in the project are skipped."""
        panes = [p for p in state.get("panes", []) if isinstance(p, dict)]
        if not panes:
            return
        while len(self._panes) < len(panes):
            self.add_pane()
        while len(self._panes) > max(len(panes), 1):
            self.remove_pane(len(self._panes) - 1)
        known = {s.id for s in self._summaries}
        for i, entry in enumerate(panes):
            doc_id = str(entry.get("document") or "")
            self._load(self._panes[i], doc_id if doc_id in known else "")
        sizes = state.get("sizes")
        if isinstance(sizes, list) and len(sizes) == len(self._panes):
            self._splitter.setSizes([int(s) for s in sizes])
        for i, entry in enumerate(panes):
            if self._panes[i].document_id:
                self._panes[i].view.scroll_to_offset(int(entry.get("offset") or 0))
        current = state.get("current", 0)
        self._set_current(current if isinstance(current, int) and current < len(self._panes) else 0)
        self.set_sync_scroll(bool(state.get("sync", False)))

    def find_in_current(self) -> None:
        if self._panes:
            self._panes[self._current].open_find()


class LinkIndex:
    """A list of links indexed by claim (both ends) and by id, with each link's position."""

    def __init__(self, links: list[Link]) -> None:
        self.links = links
        self.by_id: dict[str, Link] = {}
        self.order: dict[str, int] = {}
        self.by_claim: dict[str, list[Link]] = {}
        for i, link in enumerate(links):
            self.by_id[link.id] = link
            self.order[link.id] = i
            self.by_claim.setdefault(link.source_id, []).append(link)
            if link.target_id != link.source_id:
                self.by_claim.setdefault(link.target_id, []).append(link)
