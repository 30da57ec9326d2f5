"""The inspector: everything about the selected claim, edited in place and saved as you go.

Every edit is an undoable command. Note edits save 500 ms after the last keystroke and when the
note loses focus; consecutive note edits of one claim merge into one undo step.

Every edit carries the revision of the claim the user saw when it began (a note or tags being
typed keep the revision they started from while the claim changes underneath). When someone else
changed the claim meanwhile the save is refused and the conflict dialog shows both versions;
the text being typed is never replaced by theirs.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QStringListModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.errors import NotFoundError
from annotator.domain.model import Claim, Evidence, normalize_tags
from annotator.ui.claim_store import ClaimStore, StoreUpdate
from annotator.ui.evidence_editor import EvidenceEditor, openable
from annotator.ui.library import swatch
from annotator.ui.links_editor import LinksEditor
from annotator.ui.muted_label import MutedLabel
from annotator.ui.undo import (
    ClaimChangedError,
    DeleteLinkCommand,
    EditClaimCommand,
    UndoStack,
    snippet,
)

if TYPE_CHECKING:
    from annotator.services.api import Project
    from annotator.ui.conflict_dialog import ConflictDialog

__all__ = ["InspectorPanel", "TagCompleter", "openable"]

NOTE_DELAY_MS = 500
MIN_WIDTH = 260
"""The narrowest the inspector gets: its note, tags and evidence stay readable."""


class TagCompleter(QCompleter):
    """Completes the tag being typed after the last comma, keeping the ones before it."""

    def splitPath(self, path: str) -> list[str]:
        return [path.rsplit(",", 1)[-1].strip()]

    def pathFromIndex(self, index: QModelIndex | QPersistentModelIndex) -> str:
        widget = self.widget()
        text = widget.text() if isinstance(widget, QLineEdit) else ""
        head = [t.strip() for t in text.split(",")[:-1] if t.strip()]
        return ", ".join([*head, str(index.data())]) + ", "


class InspectorPanel(QWidget):
    """Shows the selected claim, as the claim store holds it; `claimRequested` asks for
    another claim to be selected (a link's other end)."""

    claimRequested = Signal(str)
    deleteRequested = Signal(str)
    doneEditing = Signal()  # Esc: back to the documents

    def __init__(self, store: ClaimStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.project: Project | None = None
        self.stack: UndoStack | None = None
        self.claim: Claim | None = None
        self._linkless: set[str] = set()
        """Claims the last change made without any link: they have none (no query to show
        a claim just created)."""
        self._tags_stale = True
        """The completer's tags need reading again (claims changed); read when the tags
        field is focused, not on every selection."""
        self._loading = False
        self._note_base: Claim | None = None
        """The claim as shown when the note being typed began: its save expects that revision."""
        self._tags_base: Claim | None = None
        self.conflict: ConflictDialog | None = None
        """The conflict dialog being shown, if any."""

        self._note_timer = QTimer(self)
        self._note_timer.setSingleShot(True)
        self._note_timer.setInterval(NOTE_DELAY_MS)
        self._note_timer.timeout.connect(self.save_note)

        self.pages = QStackedWidget(self)
        empty = MutedLabel(
            "<p><b>No claim selected.</b></p>"
            "<p>Select text in a document and press a label's key (1, 2, 3) to mark a claim, "
            "or click a highlighted claim to see and edit it here.</p>"
            "<p>Select a claim in each of two panes and press <b>L</b> to link them.</p>",
            self,
        )
        empty.setWordWrap(True)
        empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        empty.setMargin(12)
        self.pages.addWidget(empty)
        self.pages.addWidget(self._build_editor())
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.pages)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        self.setMinimumWidth(MIN_WIDTH)
        store.changed.connect(self.apply_update)

    # -- construction ------------------------------------------------------------------------

    def _build_editor(self) -> QWidget:
        page = QWidget(self)
        page.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.quote = QLabel(page)
        self.quote.setWordWrap(True)
        self.quote.setTextFormat(Qt.TextFormat.RichText)
        self.quote.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.document_title = MutedLabel("", page)
        self.document_title.setWordWrap(True)

        self.label_combo = QComboBox(page)
        self.label_combo.setToolTip("The claim's label (also: select the claim, press the key)")
        self.label_combo.activated.connect(self._label_chosen)

        self.note = QPlainTextEdit(page)
        self.note.setPlaceholderText("Your note on this claim (saved as you type)")
        self.note.setTabChangesFocus(True)
        line = self.note.fontMetrics().lineSpacing()
        self.note.setMinimumHeight(line * 4 + 12)
        self.note.setMaximumHeight(line * 9 + 12)
        self.note.textChanged.connect(self._note_edited)
        self.note.installEventFilter(self)

        self.tags = QLineEdit(page)
        self.tags.setPlaceholderText("tags, separated by commas")
        self._tag_model = QStringListModel(self)
        self.tag_completer = TagCompleter(self._tag_model, self)
        self.tag_completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.tag_completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.tags.setCompleter(self.tag_completer)
        self.tags.editingFinished.connect(self.save_tags)
        self.tags.textEdited.connect(self._tags_edited)
        self.tags.installEventFilter(self)

        self.evidence_editor = EvidenceEditor(page)
        self.evidence_editor.edited.connect(self._evidence_edited)
        self.evidence = self.evidence_editor.table

        self.info = MutedLabel("", page)
        self.info.setWordWrap(True)

        self.links_editor = LinksEditor(page)
        self.links_editor.claimRequested.connect(self.claimRequested)
        self.links_editor.removeRequested.connect(self.remove_link)
        self.links = self.links_editor.tree
        self.remove_link_button = self.links_editor.remove_button
        self.delete_button = QPushButton("Delete claim", page)
        self.delete_button.setToolTip(f"Delete this claim ({QKeySequence('Del').toString()})")
        self.delete_button.clicked.connect(self._delete_clicked)
        self.links_editor.buttons.addWidget(self.delete_button)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow("&Label:", self.label_combo)
        form.addRow("&Note:", self.note)
        form.addRow("&Tags:", self.tags)

        layout = QVBoxLayout(page)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.quote)
        layout.addWidget(self.document_title)
        layout.addLayout(form)
        evidence_title = QLabel("<b>Evidence</b>", page)
        evidence_title.setBuddy(self.evidence)
        layout.addWidget(evidence_title)
        layout.addWidget(self.evidence_editor)
        layout.addWidget(QLabel("<b>Links</b>", page))
        layout.addWidget(self.links_editor)
        layout.addWidget(self.info)
        layout.addStretch(1)
        return page

    # -- public ------------------------------------------------------------------------------

    def set_project(self, project: Project | None, stack: UndoStack | None) -> None:
        self.flush()
        if self.conflict is not None and project is not self.project:
            self.conflict.project_closed()
        self.project, self.stack = project, stack
        self.claim = None
        self.reload_labels()
        self._show()

    def set_claim(self, claim_id: str, claim: Claim | None = None) -> None:
        """Show a claim ("" for none), as the store holds it (`claim`: as the caller has it)."""
        if self.claim is not None and self.claim.id == claim_id:
            return
        self.flush()
        self.claim = None
        if claim is not None and claim.id == claim_id:
            self.claim = claim
        elif claim_id:
            self.claim = self.store.claim(claim_id) or self._read(claim_id)
        self._show()

    def _read(self, claim_id: str) -> Claim | None:
        if self.project is None:
            return None
        try:
            return self.project.annotation(claim_id)
        except NotFoundError:
            return None

    def current_claim(self) -> str:
        return self.claim.id if self.claim else ""

    def focus_note(self) -> None:
        if self.claim is not None:
            self.note.setFocus(Qt.FocusReason.ShortcutFocusReason)
            cursor = self.note.textCursor()
            cursor.movePosition(cursor.MoveOperation.End)
            self.note.setTextCursor(cursor)

    def flush(self) -> None:
        """Save what is pending (a note being typed, tags not yet confirmed)."""
        if self._note_timer.isActive():
            self._note_timer.stop()
            self.save_note()
        if self.claim is not None and self.tags.isModified():
            self.save_tags()

    def apply_update(self, update: StoreUpdate) -> None:
        """Follow the claim store: the shown claim as it now is (or none when it went)."""
        if self.project is None:
            return
        changes = update.changes
        if update.labels_changed:
            self.reload_labels()
        if update.counts_changed or update.reset:
            self._tags_stale = True
            self._refresh_tags()
        self._linkless = (
            set()
            if changes is None or changes.touches("link")
            else {r.id for r in changes.added if r.entity == "annotation"}
        )
        if self.claim is None:
            return
        claim_id = self.claim.id
        now = self.store.claim(claim_id)
        if now is None:
            self._note_timer.stop()
            self._note_base = self._tags_base = None
            self.claim = None
            self._show()
            return
        touched = changes is not None and (
            claim_id in changes.ids("annotation") or changes.touches("link")
        )
        if touched or update.reset:
            self.claim = now
            self._show(keep_edits=True)

    def reload_labels(self) -> None:
        self.label_combo.clear()
        if self.project is None:
            return
        for label in self.store.labels():
            text = f"{label.name}   ({label.key})" if label.key else label.name
            self.label_combo.addItem(swatch(label.color), text, label.id)
        if self.claim is not None:
            self.label_combo.setCurrentIndex(self.label_combo.findData(self.claim.label_id))
        self._tags_stale = True
        self._refresh_tags()

    def _refresh_tags(self, now: bool = False) -> None:
        """Read the tags in use for the completer if they may have changed and the tags
        field is being edited (`now`: whether or not)."""
        if self.project is None or not self._tags_stale:
            return
        if now or self.tags.hasFocus():
            self._tags_stale = False
            self._tag_model.setStringList([t for t, _n in self.project.tags_in_use()])

    # -- showing -----------------------------------------------------------------------------

    def _show(self, keep_edits: bool = False) -> None:
        claim, project = self.claim, self.project
        if claim is None or project is None:
            self.pages.setCurrentIndex(0)
            self.links_editor.show_links(None, [], {}, self.store.title)
            return
        self._loading = True
        try:
            self.pages.setCurrentIndex(1)
            self.quote.setText(
                f"<p style='font-size:large'><i>“{escape(snippet(claim.quote.exact, 400))}”</i></p>"
            )
            where = project.claim_location(claim).text  # "paragraph 3" (page too, if paged)
            self.document_title.setText(f"{self.store.title(claim.document_id)} · {where}")
            self.label_combo.setCurrentIndex(self.label_combo.findData(claim.label_id))
            # text being typed, or refused and shown in the conflict dialog, is not replaced
            unsettled = self.conflict is not None
            pending_note = keep_edits and (self._note_timer.isActive() or unsettled)
            if not pending_note and self.note.toPlainText() != claim.note:
                self.note.setPlainText(claim.note)
            if not (keep_edits and (self.tags.isModified() or unsettled)):
                shown = normalize_tags(self.tags.text().split(","))
                if shown != claim.tags:
                    self.tags.setText(", ".join(claim.tags))
                self.tags.setModified(False)
            self.evidence_editor.show_evidence(claim.evidence)
            self._refresh_tags()
            self._fill_links()
            local = "%Y-%m-%d %H:%M"
            self.info.setText(
                f"By {escape(claim.author or 'unknown')} · created "
                f"{claim.created.astimezone():{local}} · modified "
                f"{claim.modified.astimezone():{local}}"
            )
        finally:
            self._loading = False

    def _fill_links(self) -> None:
        claim, project = self.claim, self.project
        if claim is None or project is None:
            return
        links = [] if claim.id in self._linkless else project.links(claim.id)
        ends = [k.target_id if k.source_id == claim.id else k.source_id for k in links]
        others = {cid: c for cid in ends if (c := self.store.claim(cid)) is not None}
        if len(others) < len(set(ends)):
            others = project.claims_by_id(ends)
        self.links_editor.show_links(claim, links, others, self.store.title)

    # -- editing -----------------------------------------------------------------------------

    def _run(self, command: DeleteLinkCommand) -> None:
        if self.stack is not None:
            self.stack.run(command)

    def _edit(self, seen: Claim, field: str, value: object, label_name: str = "") -> bool:
        """Save one field of the claim as the user saw it (`seen`, with its revision); a save
        refused because the claim changed meanwhile opens the conflict dialog."""
        if self.stack is None or self.project is None:
            return False
        command = EditClaimCommand(self.project, seen, field, value, label_name)
        if not self.stack.run(command, on_stale=self._show_conflict):
            return False
        shown = self.claim
        if shown is not None and shown.id == seen.id and shown.revision < command.saved_revision:
            self.claim = self._read(seen.id) or shown  # the store has not caught up yet
        return True

    def _label_name(self, label_id: str) -> str:
        label = self.store.label(label_id)
        return label.name if label is not None else "(a deleted label)"

    def _label_chosen(self, _index: int) -> None:
        if self._loading or self.claim is None or self.project is None:
            return
        label_id = str(self.label_combo.currentData() or "")
        if label_id and label_id != self.claim.label_id:
            name = self.label_combo.currentText().split("   (")[0]
            self._edit(self.claim, "label_id", label_id, name)

    def _note_edited(self) -> None:
        if not self._loading and self.claim is not None:
            if self._note_base is None or self._note_base.id != self.claim.id:
                self._note_base = self.claim
            self._note_timer.start()

    def save_note(self) -> None:
        self._note_timer.stop()
        base, self._note_base = self._note_base, None
        if self.claim is None or self.project is None:
            return
        if base is None or base.id != self.claim.id:
            base = self.claim
        text = self.note.toPlainText()
        if text != base.note:
            self._edit(base, "note", text)

    def _tags_edited(self, _text: str) -> None:
        if self.claim is not None and (
            self._tags_base is None or self._tags_base.id != self.claim.id
        ):
            self._tags_base = self.claim

    def save_tags(self) -> None:
        if self._loading or self.claim is None or self.project is None:
            return
        self.tags.setModified(False)
        base, self._tags_base = self._tags_base, None
        if base is None or base.id != self.claim.id:
            base = self.claim
        tags = normalize_tags(self.tags.text().split(","))
        if tags != base.tags:
            self._edit(base, "tags", tags)

    def _evidence_edited(self, evidence: tuple[Evidence, ...]) -> None:
        if self._loading or self.claim is None or self.project is None:
            return
        if evidence != self.claim.evidence:
            self._edit(self.claim, "evidence", evidence)

    # -- someone else changed the claim ------------------------------------------------------

    def _show_conflict(self, error: ClaimChangedError) -> None:
        """Both versions side by side; the choice is carried out when made."""
        from annotator.ui.conflict_dialog import ConflictDialog  # needed only when it happens

        project = self.project
        dialog = ConflictDialog(
            error.theirs, error.mine, error.field, self._label_name, error.seen.revision, self
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.chosen.connect(
            lambda choice, note: self._conflict_settled(project, error, choice, note)
        )
        self.conflict = dialog
        dialog.finished.connect(lambda _r: self._conflict_closed(dialog))
        dialog.open()

    def _conflict_closed(self, dialog: ConflictDialog) -> None:
        if self.conflict is dialog:
            self.conflict = None

    def _conflict_settled(
        self, project: Project | None, error: ClaimChangedError, choice: str, note: str
    ) -> None:
        from annotator.ui.conflict_dialog import MERGED, USE_MINE

        if project is None or project is not self.project:
            return  # the project was closed meanwhile: nothing to save into
        theirs, field = error.theirs, error.field
        if choice == USE_MINE:
            self._edit(theirs, field, error.value)
        elif choice == MERGED:
            self._edit(theirs, "note", note)
        if self.claim is not None and self.claim.id == theirs.id:
            self._note_timer.stop()
            self._note_base = self._tags_base = None
            now = self.store.claim(theirs.id) or self._read(theirs.id)
            if now is not None and now.revision < theirs.revision:
                now = theirs
            self.claim = now
            self.tags.setModified(False)  # the fields typed into show the result
            self._show()

    def add_evidence(self, citation: str = "", url: str = "") -> None:
        """Add a row and start editing its citation (saved when a cell is filled)."""
        if self.claim is not None:
            self.evidence_editor.add(citation, url)

    def _delete_clicked(self) -> None:
        if self.claim is not None:
            self.deleteRequested.emit(self.claim.id)

    def _link_activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        self.links_editor.go_to(item)

    def remove_link(self, link_id: str) -> None:
        if self.project is None:
            return
        try:
            link = self.project.link(link_id)
        except NotFoundError:
            return
        self._run(DeleteLinkCommand(self.project, link))

    def remove_current_link(self) -> None:
        self.links_editor.remove_current()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.flush()
            self.doneEditing.emit()
            event.accept()
            return
        super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.tags and event.type() == QEvent.Type.FocusIn:
            self._refresh_tags(now=True)
        if (
            watched is self.note
            and event.type() == QEvent.Type.FocusOut
            and self._note_timer.isActive()
        ):
            self.save_note()
        return super().eventFilter(watched, event)
