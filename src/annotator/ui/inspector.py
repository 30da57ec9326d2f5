"""The inspector: everything about the selected claim, edited in place and saved as you go.

Every edit is an undoable command. Note edits save 500 ms after the last keystroke and when the
note loses focus; consecutive note edits of one claim merge into one undo step.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QStringListModel,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import QDesktopServices, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.errors import AnnotatorError, NotFoundError
from annotator.domain.model import Annotation, Evidence, normalize_tags
from annotator.services.api import Project
from annotator.services.changes import Changes
from annotator.ui.commands import (
    DeleteLinkCommand,
    EditClaimCommand,
    UndoStack,
    evidence_list,
    snippet,
)
from annotator.ui.library import swatch
from annotator.ui.link_dialog import relation_colors

NOTE_DELAY_MS = 500
OPEN_SYMBOL = "↗"


def openable(url: str) -> bool:
    """Only web addresses open in the browser (never file: or other schemes)."""
    scheme = QUrl(url.strip()).scheme().lower()
    return scheme in ("http", "https")


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
    """Shows the selected claim; `claimRequested` asks the window to select another claim."""

    claimRequested = Signal(str)
    deleteRequested = Signal(str)
    doneEditing = Signal()  # Esc: back to the documents

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project: Project | None = None
        self.stack: UndoStack | None = None
        self.claim: Annotation | None = None
        self._titles: dict[str, str] | None = None  # document titles, dropped on changes
        self._linkless: set[str] = set()
        """Claims the last change made without any link: they have none (no query to show
        a claim just created)."""
        self._tags_stale = True
        """The completer's tags need reading again (claims changed); read when the tags
        field is focused, not on every selection."""
        self._loading = False

        self._note_timer = QTimer(self)
        self._note_timer.setSingleShot(True)
        self._note_timer.setInterval(NOTE_DELAY_MS)
        self._note_timer.timeout.connect(self.save_note)

        self.pages = QStackedWidget(self)
        empty = QLabel(
            "<p><b>No claim selected.</b></p>"
            "<p>Select text in a document and press a label's key (1, 2, 3) to mark a claim, "
            "or click a highlighted claim to see and edit it here.</p>"
            "<p>Select a claim in each of two panes and press <b>L</b> to link them.</p>",
            self,
        )
        empty.setWordWrap(True)
        empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        empty.setMargin(12)
        empty.setEnabled(False)
        self.pages.addWidget(empty)
        self.pages.addWidget(self._build_editor())
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.pages)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

    # -- construction ------------------------------------------------------------------------

    def _build_editor(self) -> QWidget:
        page = QWidget(self)
        self.quote = QLabel(page)
        self.quote.setWordWrap(True)
        self.quote.setTextFormat(Qt.TextFormat.RichText)
        self.quote.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.document_title = QLabel(page)
        self.document_title.setWordWrap(True)
        self.document_title.setEnabled(False)

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
        self.tags.installEventFilter(self)

        self.evidence = QTableWidget(0, 3, page)
        self.evidence.setHorizontalHeaderLabels(["Citation", "URL", ""])
        self.evidence.verticalHeader().hide()
        self.evidence.setShowGrid(False)
        self.evidence.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.evidence.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        header = self.evidence.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(2, 28)
        self.evidence.setWordWrap(False)
        self.evidence.setTextElideMode(Qt.TextElideMode.ElideRight)
        row = self.evidence.verticalHeader().defaultSectionSize()
        self.evidence.setMinimumHeight(row * 3 + 8)
        self.evidence.setMaximumHeight(row * 4 + 8)
        self.evidence.itemChanged.connect(self._evidence_edited)
        self.evidence.cellClicked.connect(self._evidence_clicked)
        self.add_evidence_button = QPushButton("&Add evidence", page)
        self.add_evidence_button.clicked.connect(self.add_evidence)
        self.remove_evidence_button = QPushButton("Remove", page)
        self.remove_evidence_button.clicked.connect(self.remove_evidence)
        self.open_evidence_button = QPushButton("Open link", page)
        self.open_evidence_button.setToolTip("Open the selected evidence URL in your browser")
        self.open_evidence_button.clicked.connect(self.open_current_evidence)
        evidence_buttons = QHBoxLayout()
        evidence_buttons.addWidget(self.add_evidence_button)
        evidence_buttons.addWidget(self.remove_evidence_button)
        evidence_buttons.addStretch(1)
        evidence_buttons.addWidget(self.open_evidence_button)

        self.info = QLabel(page)
        self.info.setEnabled(False)
        self.info.setWordWrap(True)

        self.links = QTreeWidget(page)
        self.links.setColumnCount(3)
        self.links.setHeaderLabels(["Relation", "Other claim", "Document"])
        self.links.setRootIsDecorated(False)
        self.links.setMinimumHeight(row * 3 + 8)
        self.links.setMaximumHeight(row * 6 + 8)
        self.links.setAllColumnsShowFocus(True)
        self.links.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.links.itemActivated.connect(self._link_activated)
        self.links.itemDoubleClicked.connect(self._link_activated)
        self.remove_link_button = QPushButton("Remove link", page)
        self.remove_link_button.clicked.connect(self.remove_current_link)
        self.delete_button = QPushButton("Delete claim", page)
        self.delete_button.setToolTip(f"Delete this claim ({QKeySequence('Del').toString()})")
        self.delete_button.clicked.connect(self._delete_clicked)
        link_buttons = QHBoxLayout()
        link_buttons.addWidget(self.remove_link_button)
        link_buttons.addStretch(1)
        link_buttons.addWidget(self.delete_button)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
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
        layout.addWidget(self.evidence)
        layout.addLayout(evidence_buttons)
        layout.addWidget(QLabel("<b>Links</b>", page))
        layout.addWidget(self.links)
        layout.addLayout(link_buttons)
        layout.addWidget(self.info)
        layout.addStretch(1)
        return page

    # -- public ------------------------------------------------------------------------------

    def set_project(self, project: Project | None, stack: UndoStack | None) -> None:
        self.flush()
        self.project, self.stack = project, stack
        self.claim = None
        self._titles = None
        self.reload_labels()
        self._show()

    def set_claim(self, claim_id: str, claim: Annotation | None = None) -> None:
        """Show a claim. `claim`: the claim as it is now, when the caller has it already
        (the claim list mirrors every claim), which saves reading it again."""
        if self.claim is not None and self.claim.id == claim_id:
            return
        self.flush()
        self.claim = None
        if claim is not None and claim.id == claim_id:
            self.claim = claim
        elif claim_id and self.project is not None:
            try:
                self.claim = self.project.annotation(claim_id)
            except NotFoundError:
                self.claim = None
        self._show()

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

    def apply_changes(self, changes: Changes) -> None:
        if self.project is None:
            return
        if changes.touches("label"):
            self.reload_labels()
        if changes.touches("document"):
            self._titles = None
        if changes.touches("annotation"):
            self._tags_stale = True
            self._refresh_tags()
        self._linkless = (
            set()
            if changes.touches("link")
            else {r.id for r in changes.added if r.entity == "annotation"}
        )
        if self.claim is None:
            return
        claim_id = self.claim.id
        if claim_id in {r.id for r in changes.removed if r.entity == "annotation"}:
            self._note_timer.stop()
            self.claim = None
            self._show()
            return
        if (
            claim_id in changes.ids("annotation")
            or changes.touches("link")
            or changes.touches("label")
            or changes.touches("document")
        ):
            try:
                self.claim = self.project.annotation(claim_id)
            except NotFoundError:
                self.claim = None
            self._show(keep_edits=True)

    def reload_labels(self) -> None:
        self.label_combo.clear()
        if self.project is None:
            return
        for label in self.project.labels():
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

    def _title(self, document_id: str) -> str:
        if self._titles is None:
            self._titles = {d.id: d.title for d in self.project.documents()} if self.project else {}
        return self._titles.get(document_id, "")

    def _show(self, keep_edits: bool = False) -> None:
        claim, project = self.claim, self.project
        if claim is None or project is None:
            self.pages.setCurrentIndex(0)
            return
        self._loading = True
        try:
            self.pages.setCurrentIndex(1)
            self.quote.setText(
                f"<p style='font-size:large'><i>“{escape(snippet(claim.quote.exact, 400))}”</i></p>"
            )
            where = project.claim_location(claim).text  # "paragraph 3" (page too, if paged)
            self.document_title.setText(f"{self._title(claim.document_id)} · {where}")
            self.label_combo.setCurrentIndex(self.label_combo.findData(claim.label_id))
            pending_note = keep_edits and self._note_timer.isActive()
            if not pending_note and self.note.toPlainText() != claim.note:
                self.note.setPlainText(claim.note)
            if not (keep_edits and self.tags.isModified()):
                shown = normalize_tags(self.tags.text().split(","))
                if shown != claim.tags:
                    self.tags.setText(", ".join(claim.tags))
                self.tags.setModified(False)
            if self._evidence_rows() != claim.evidence:
                self._fill_evidence(claim.evidence)
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

    def _fill_evidence(self, evidence: tuple[Evidence, ...]) -> None:
        self.evidence.blockSignals(True)
        self.evidence.setRowCount(0)
        for item in evidence:
            self._append_evidence_row(item.citation, item.url or "")
        self.evidence.blockSignals(False)

    def _append_evidence_row(self, citation: str, url: str) -> int:
        row = self.evidence.rowCount()
        self.evidence.insertRow(row)
        self.evidence.setItem(row, 0, QTableWidgetItem(citation))
        url_item = QTableWidgetItem(url)
        if url:
            url_item.setToolTip(url)
        self.evidence.setItem(row, 1, url_item)
        open_item = QTableWidgetItem(OPEN_SYMBOL if openable(url) else "")
        open_item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        open_item.setToolTip("Open in your browser" if openable(url) else "")
        open_item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        self.evidence.setItem(row, 2, open_item)
        return row

    def _evidence_rows(self) -> tuple[Evidence, ...]:
        pairs = []
        for row in range(self.evidence.rowCount()):
            cite, url = self.evidence.item(row, 0), self.evidence.item(row, 1)
            pairs.append((cite.text() if cite else "", url.text() if url else ""))
        try:
            return evidence_list(pairs)
        except AnnotatorError:
            return ()

    def _fill_links(self) -> None:
        self.links.clear()
        claim, project = self.claim, self.project
        if claim is None or project is None:
            return
        links = [] if claim.id in self._linkless else project.links(claim.id)
        others = (
            project.annotations_by_id(
                [k.target_id if k.source_id == claim.id else k.source_id for k in links]
            )
            if links
            else {}
        )
        colors = relation_colors()
        for link in links:
            outgoing = link.source_id == claim.id
            other = others.get(link.target_id if outgoing else link.source_id)
            if other is None:
                continue
            arrow = "→" if outgoing else "←"
            item = QTreeWidgetItem(
                [
                    f"{arrow} {link.relation.value}",
                    snippet(other.quote.exact, 80),
                    self._title(other.document_id),
                ]
            )
            item.setIcon(0, swatch(colors.get(link.relation.value, "#888888")))
            item.setData(0, Qt.ItemDataRole.UserRole, link.id)
            item.setData(1, Qt.ItemDataRole.UserRole, other.id)
            rel = link.relation.value
            tip = (
                f"This claim {rel} the other one."
                if outgoing
                else f"The other claim {rel} this one."
            )
            if link.note:
                tip += f"\n{link.note}"
            for col in range(3):
                item.setToolTip(col, tip)
            self.links.addTopLevelItem(item)
        self.links.resizeColumnToContents(0)
        self.remove_link_button.setEnabled(bool(links))

    # -- editing -----------------------------------------------------------------------------

    def _run(self, command: EditClaimCommand | DeleteLinkCommand) -> None:
        if self.stack is not None:
            self.stack.run(command)

    def _label_chosen(self, _index: int) -> None:
        if self._loading or self.claim is None or self.project is None:
            return
        label_id = str(self.label_combo.currentData() or "")
        if label_id and label_id != self.claim.label_id:
            name = self.label_combo.currentText().split("   (")[0]
            self._run(EditClaimCommand(self.project, self.claim, "label_id", label_id, name))

    def _note_edited(self) -> None:
        if not self._loading and self.claim is not None:
            self._note_timer.start()

    def save_note(self) -> None:
        self._note_timer.stop()
        if self.claim is None or self.project is None:
            return
        text = self.note.toPlainText()
        if text != self.claim.note:
            self._run(EditClaimCommand(self.project, self.claim, "note", text))

    def save_tags(self) -> None:
        if self._loading or self.claim is None or self.project is None:
            return
        self.tags.setModified(False)
        tags = normalize_tags(self.tags.text().split(","))
        if tags != self.claim.tags:
            self._run(EditClaimCommand(self.project, self.claim, "tags", tags))

    def _evidence_edited(self, item: QTableWidgetItem) -> None:
        if self._loading or self.claim is None or self.project is None or item.column() == 2:
            return
        row = item.row()
        url_item = self.evidence.item(row, 1)
        open_item = self.evidence.item(row, 2)
        if url_item is not None and open_item is not None:
            self.evidence.blockSignals(True)
            open_item.setText(OPEN_SYMBOL if openable(url_item.text()) else "")
            self.evidence.blockSignals(False)
        self.save_evidence()

    def save_evidence(self) -> None:
        if self.claim is None or self.project is None:
            return
        evidence = self._evidence_rows()
        if evidence != self.claim.evidence:
            self._run(EditClaimCommand(self.project, self.claim, "evidence", evidence))

    def add_evidence(self, citation: str = "", url: str = "") -> None:
        """Add a row and start editing its citation (saved when a cell is filled)."""
        if self.claim is None:
            return
        self.evidence.blockSignals(True)
        row = self._append_evidence_row(citation, url)
        self.evidence.blockSignals(False)
        if citation or url:
            self.save_evidence()
            return
        self.evidence.setCurrentCell(row, 0)
        self.evidence.setFocus()
        item = self.evidence.item(row, 0)
        if item is not None:
            self.evidence.editItem(item)

    def remove_evidence(self) -> None:
        row = self.evidence.currentRow()
        if row < 0:
            return
        self.evidence.removeRow(row)
        self.save_evidence()

    def _evidence_clicked(self, row: int, column: int) -> None:
        if column == 2:
            self.open_evidence(row)

    def open_current_evidence(self) -> None:
        self.open_evidence(self.evidence.currentRow())

    def open_evidence(self, row: int) -> bool:
        """Open the row's URL in the system browser, if it is a web address."""
        item = self.evidence.item(row, 1) if row >= 0 else None
        if item is None or not openable(item.text()):
            return False
        return QDesktopServices.openUrl(QUrl(item.text().strip()))

    def _delete_clicked(self) -> None:
        if self.claim is not None:
            self.deleteRequested.emit(self.claim.id)

    def _link_activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        other = item.data(1, Qt.ItemDataRole.UserRole)
        if other:
            self.claimRequested.emit(str(other))

    def remove_current_link(self) -> None:
        item = self.links.currentItem()
        if item is None or self.project is None:
            return
        link_id = str(item.data(0, Qt.ItemDataRole.UserRole))
        try:
            link = self.project.link(link_id)
        except NotFoundError:
            return
        self._run(DeleteLinkCommand(self.project, link))

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
