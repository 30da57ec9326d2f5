"""The selected claim: one notion of it for the whole window.

The selected claim is the claim selected in the current reader pane. `ClaimSelection` sits
between the reader panes and everything else: a claim chosen in the claim list, a search
result or the inspector's links is selected in its pane through `select_claim` (the pane
scrolls to it and becomes current); a claim clicked in a pane, or another pane made current,
changes it too. Whatever the source, `claimSelected` says the new selected claim ("" for none)
once, and the claim list, the inspector and the legend follow it. A claim that goes away (undo,
another window) is no longer selected.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal

from annotator.ui.claim_store import ClaimStore, StoreUpdate


class ClaimSelection(QObject):
    """The selected claim and the current pane's document, for the reader panes `area`."""

    claimSelected = Signal(str)  # the selected claim changed ("" for none)
    documentChanged = Signal(str)  # the current pane shows another document ("" for none)
    panesChanged = Signal()  # a pane opened, closed or shows another document

    def __init__(self, store: ClaimStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.area: Any = None
        self._claim = ""
        self._document = ""
        store.changed.connect(self.apply_update)

    # -- the reader panes ----------------------------------------------------------------------

    def set_area(self, area: Any) -> None:
        """Follow these reader panes (a `PaneArea`, or None when no project is open)."""
        self.area = area
        if area is not None:
            area.claimSelected.connect(self._pane_claim_selected)
            area.currentPaneChanged.connect(self._pane_changed)
            area.paneDocumentChanged.connect(self._pane_changed)
        self._pane_changed()

    def _pane_claim_selected(self, claim_id: str) -> None:
        """A claim clicked in a pane (that pane is current already)."""
        self._set(claim_id)

    def _pane_changed(self, *_args: object) -> None:
        self.panesChanged.emit()
        document = self.current_document()
        if document != self._document:
            self._document = document
            self.documentChanged.emit(document)
        self._set(self.pane_claim())

    # -- what is selected ----------------------------------------------------------------------

    def claim(self) -> str:
        """The selected claim's id ("" for none)."""
        return self._claim

    def pane_claim(self) -> str:
        """The claim selected in the current pane, as the pane says ("" for none)."""
        area = self.area
        if area is None:
            return ""
        current = area.current_pane()
        return next((cid for pane, cid in area.selected_claims() if pane == current), "")

    def current_document(self) -> str:
        area = self.area
        if area is None:
            return ""
        docs = area.documents()
        pane = area.current_pane()
        return str(docs[pane]) if 0 <= pane < len(docs) else ""

    def documents(self) -> list[str]:
        """The documents the panes show, left to right ("" for an empty pane)."""
        return list(self.area.documents()) if self.area is not None else []

    def _set(self, claim_id: str) -> None:
        if claim_id != self._claim:
            self._claim = claim_id
            self.claimSelected.emit(claim_id)

    # -- choosing ------------------------------------------------------------------------------

    def select_claim(self, claim_id: str, scroll: bool = True) -> None:
        """Select a claim in the pane showing its document (opening it in a pane if none
        does), scroll to it, and make that pane current. "" selects nothing."""
        area = self.area
        if area is None:
            return
        if not claim_id:
            self.clear()
            return
        area.select_claim(claim_id, scroll)
        self._pane_changed()
        if self.pane_claim() == claim_id:
            self._set(claim_id)

    def clear(self) -> None:
        """Nothing selected in the current pane."""
        area = self.area
        if area is not None and area.pane_count():
            area.pane(area.current_pane()).view.set_current_claim("")
        self._set("")

    def show_passage(self, document_id: str, start: int, end: int) -> None:
        """Show `[start, end)` of a document selected in a pane (a passage search result)."""
        if self.area is None:
            return
        self.area.show_span(document_id, start, end)
        self._pane_changed()

    def apply_update(self, update: StoreUpdate) -> None:
        """A selected claim that went away (undo, another window) is no longer selected."""
        gone = self._claim and self.store.claim(self._claim) is None
        if gone and (self._claim in update.removed_ids() or update.reset):
            self._claim = ""
            self.claimSelected.emit("")
