"""What the user does to claims: mark, relabel, delete, link; each an undoable command.

`ClaimActions` depends on narrow parts, not on the window: the session (the project and its
undo stack), the selection (the reader panes and the selected claim), a parent widget for
dialogs and a function that shows a message in the status bar.

The selection follows undo and redo, as in any editor: a claim brought back (undo of a delete,
redo of a mark) or changed back (undo of a relabel or a note) becomes the selected claim; a step
that takes the selected claim away (undo of a mark, redo of a delete) selects its neighbour, as
Del does; undo and redo of a link select its two claims in the panes that show them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from annotator.domain.errors import AnnotatorError
from annotator.ui.errors import show_error
from annotator.ui.selection import ClaimSelection
from annotator.ui.session import ProjectSession
from annotator.ui.settings import Settings
from annotator.ui.undo import (
    CreateClaimCommand,
    CreateLinkCommand,
    DeleteClaimCommand,
    EditClaimCommand,
    ProjectCommand,
)

Say = Callable[[str, int], None]


class ClaimActions:
    """Marking, relabelling, deleting and linking claims, through the session's undo stack."""

    def __init__(
        self,
        session: ProjectSession,
        selection: ClaimSelection,
        parent: QWidget,
        settings: Settings,
        say: Say,
    ) -> None:
        self.session = session
        self.selection = selection
        self.parent = parent
        self.settings = settings
        self.say = say
        self._neighbours: dict[tuple[int, bool], str] = {}
        """By step (command, undoing): what to select when it takes the selected claim away."""
        session.stack.stepping.connect(self._before_step)
        session.stack.stepped.connect(self._after_step)
        session.stack.indexChanged.connect(lambda _index: self._neighbours.clear())

    # -- claims ------------------------------------------------------------------------------

    def create_claim(self, document_id: str, start: int, end: int, label_id: str) -> str:
        """Mark `[start, end)` of a document with a label; the new claim becomes the selected
        one. Returns its id, or "" when nothing was made."""
        project = self.session.project
        if project is None:  # the first frame shows it, the project opens in a moment
            self.say("The project is still opening: mark it again in a moment.", 5000)
            return ""
        quote = self._shown_text(document_id, start, end)
        if quote is None:
            try:
                quote = project.document_slice(document_id, start, end)
            except AnnotatorError as exc:
                show_error(self.parent, str(exc))
                return ""
        command = CreateClaimCommand(project, document_id, start, end, label_id, quote)
        if not self.session.stack.run(command):
            return ""
        self.selection.select_claim(command.claim_id, scroll=False)
        return command.claim_id

    def _shown_text(self, document_id: str, start: int, end: int) -> str | None:
        """`text[start:end]` of a document a pane shows (the reader holds its text), else None."""
        for view in self.reader_views():
            if view.document_id == document_id and 0 <= start <= end <= len(view.text):
                return str(view.text[start:end])
        return None

    def selected_claim(self) -> str:
        return self.selection.claim()

    def delete_selected(self) -> bool:
        return self.delete_claim(self.selection.claim())

    def delete_claim(self, claim_id: str) -> bool:
        """Delete a claim; when it was the selected one, its neighbour in the document (the
        next claim, else the one before) is selected instead, so that Del again deletes that."""
        project = self.session.project
        if project is None:
            return False
        if not claim_id:
            self.say("Select a claim first, then press Del to delete it.", 5000)
            return False
        try:  # the claim as the window shows it: a version changed since is not deleted
            claim = self.session.store.claim(claim_id) or project.annotation(claim_id)
        except AnnotatorError as exc:
            show_error(self.parent, str(exc))
            return False
        selected = claim_id == self.selection.claim()
        neighbour = self.session.store.neighbour(claim_id) if selected else ""
        if not self.session.stack.run(DeleteClaimCommand(project, claim)):
            return False
        if neighbour:
            self.selection.select_claim(neighbour)
        return True

    # -- undo and redo ---------------------------------------------------------------------

    def _before_step(self, command: ProjectCommand, undoing: bool) -> None:
        """A step that takes the selected claim away: note its neighbour first."""
        taken = command.claims_taken(undoing)
        selected = self.selection.claim()
        neighbour = self.session.store.neighbour(selected) if selected in taken else ""
        self._neighbours[id(command), undoing] = "" if neighbour in taken else neighbour

    def _after_step(self, command: ProjectCommand, undoing: bool) -> None:
        """Select what the step brought back or changed, else the neighbour of the selected
        claim it took away."""
        neighbour = self._neighbours.pop((id(command), undoing), "")
        store = self.session.store
        wanted = [c for c in command.claims_to_select(undoing) if store.claim(c) is not None]
        if wanted:
            self._select_each(wanted)
        elif neighbour and store.claim(neighbour) is not None:
            self.selection.select_claim(neighbour)

    def _select_each(self, claim_ids: list[str]) -> None:
        """Select each claim in its pane, the last one becoming the selected claim: only those
        a pane shows (no pane is given another document for the sake of a link's other end),
        or the last one alone when no pane shows any; the selected claim, if one of them,
        stays the selected one."""
        store, shown = self.session.store, set(self.selection.documents())
        chosen = [
            c for c in claim_ids if getattr(store.claim(c), "document_id", "") in shown
        ] or claim_ids[-1:]
        selected = self.selection.claim()
        if selected in chosen:
            chosen.remove(selected)
            chosen.append(selected)
        for claim_id in chosen:
            self.selection.select_claim(claim_id)

    def relabel_claim(self, claim_id: str, label_id: str) -> bool:
        project = self.session.project
        if project is None:
            return False
        try:  # the claim as the window shows it: its revision goes with the edit
            claim = self.session.store.claim(claim_id) or project.annotation(claim_id)
            label = project.label(label_id)
        except AnnotatorError as exc:
            show_error(self.parent, str(exc))
            return False
        if claim.label_id == label.id:
            return False
        return self.session.stack.run(
            EditClaimCommand(project, claim, "label_id", label.id, label.name)
        )

    def context_action(self, name: str, claim_id: str) -> None:
        """An entry of a claim's context menu in the reader."""
        if name == "delete":
            self.delete_claim(claim_id)
        elif name == "link":
            self.link_selected(claim_id)
        elif name.startswith("label:"):
            self.relabel_claim(claim_id, name.split(":", 1)[1])

    # -- links -------------------------------------------------------------------------------

    def link_pair(self, prefer: str = "") -> tuple[str, str] | None:
        """The two claims to link: selected in two different panes, the left one first. With
        `prefer` (a claim's context menu), that claim and the first other selected one."""
        area = self.selection.area
        if area is None:
            return None
        claims: list[str] = []
        for _pane, claim_id in sorted(area.selected_claims()):
            if claim_id and claim_id not in claims:
                claims.append(claim_id)
        if prefer:
            others = [c for c in claims if c != prefer]
            if not others:
                return None
            pair = [prefer, others[0]]
            if prefer in claims and claims.index(prefer) > claims.index(others[0]):
                pair.reverse()
            return pair[0], pair[1]
        return (claims[0], claims[1]) if len(claims) >= 2 else None

    def link_dialog(self, source_id: str, target_id: str) -> Any:
        from annotator.ui.link_dialog import LinkDialog

        project = self.session.project
        assert project is not None
        titles = {d.id: d.title for d in self.session.store.documents()}
        last = str(self.settings.value("link/relation", "corroborates"))
        return LinkDialog(
            project.annotation(source_id),
            project.annotation(target_id),
            titles,
            self.parent,
            last,
        )

    def link_selected(self, prefer: str = "") -> bool:
        """Ask for the relation between the two selected claims (window-modal, not blocking:
        the link is made when the dialog is accepted). False when no pair is selected."""
        if self.session.project is None:
            return False
        pair = self.link_pair(prefer)
        if pair is None:
            self.say("To link, select a claim in each of two panes, then press L.", 6000)
            QApplication.beep()
            return False
        try:
            dialog = self.link_dialog(*pair)
        except AnnotatorError as exc:
            show_error(self.parent, str(exc))
            return False
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.create_link_from_dialog(dialog))
        dialog.open()
        return True

    def create_link_from_dialog(self, dialog: Any) -> bool:
        project = self.session.project
        assert project is not None
        relation = dialog.relation()
        self.settings.set_value("link/relation", relation)
        return self.session.stack.run(
            CreateLinkCommand(
                project, dialog.source.id, dialog.target.id, relation, dialog.note_text()
            )
        )

    # -- the reader panes --------------------------------------------------------------------

    def reader_views(self) -> list[Any]:
        """The reader panes' text views, left to right."""
        area = self.selection.area
        if area is None:
            return []
        return [area.pane(i).view for i in range(area.pane_count())]

    def current_view(self) -> Any:
        area = self.selection.area
        if area is None or not area.pane_count():
            return None
        return area.pane(area.current_pane()).view

    def mark_selection(self, label_id: str) -> bool:
        """Mark the current pane's text selection (the toolbar and the Edit menu; keys go
        through the reader, which asks the same way)."""
        view = self.current_view()
        if view is None or not view.request_claim(label_id):
            self.say("Select some text in a document first.", 5000)
            return False
        return True

    def focus_pane(self, index: int) -> None:
        views = self.reader_views()
        if 0 <= index < len(views):
            views[index].setFocus(Qt.FocusReason.ShortcutFocusReason)  # makes the pane current
