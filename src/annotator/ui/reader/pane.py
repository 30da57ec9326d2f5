"""`ReaderPane`: one reader column. A header to choose the document (with its details and
buttons), the `ReaderView` (or a hint while empty), and the find bar."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPaintEvent, QPalette, QPen, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.model import Document, DocumentSummary, Label
from annotator.ui import theme
from annotator.ui.reader.findbar import FindBar
from annotator.ui.reader.loading import PreparedDocument
from annotator.ui.reader.view import ReaderView

EMPTY_HINT = "No document in this pane.\nChoose one above, or open one from the library."


def glyph_icon(kind: str, color: QColor, size: int = 16) -> QIcon:
    """Small line icons drawn in code (no icon theme is needed): find, split, close."""
    pixmap = QPixmap(size * 2, size * 2)
    pixmap.setDevicePixelRatio(2.0)
    pixmap.fill(Qt.GlobalColor.transparent)
    p = QPainter(pixmap)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(color, 1.5)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    p.setPen(pen)
    s = float(size)
    if kind == "find":
        p.drawEllipse(QRectF(s * 0.18, s * 0.18, s * 0.48, s * 0.48))
        p.drawLine(QPointF(s * 0.58, s * 0.58), QPointF(s * 0.84, s * 0.84))
    elif kind == "split":
        p.drawRoundedRect(QRectF(s * 0.14, s * 0.2, s * 0.72, s * 0.6), 1.5, 1.5)
        p.drawLine(QPointF(s * 0.5, s * 0.2), QPointF(s * 0.5, s * 0.8))
    elif kind == "close":
        p.drawLine(QPointF(s * 0.28, s * 0.28), QPointF(s * 0.72, s * 0.72))
        p.drawLine(QPointF(s * 0.72, s * 0.28), QPointF(s * 0.28, s * 0.72))
    p.end()
    return QIcon(pixmap)


class _Header(QWidget):
    """The pane's title bar; an accent line marks the pane that has the focus."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.active = False

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        pal = self.palette()
        p.fillRect(self.rect(), pal.color(QPalette.ColorRole.Window))
        p.setPen(QPen(theme.rule_color(pal), 1))
        p.drawLine(0, self.height() - 1, self.width(), self.height() - 1)
        if self.active:
            p.fillRect(
                0, self.height() - 2, self.width(), 2, pal.color(QPalette.ColorRole.Highlight)
            )


def describe(doc: Document, claims: int) -> str:
    """One line of details under the title: authors, publisher, date, pages, claims."""
    parts: list[str] = []
    if doc.authors:
        parts.append(", ".join(doc.authors[:3]) + (" et al." if len(doc.authors) > 3 else ""))
    if doc.publisher:
        parts.append(doc.publisher)
    if doc.published is not None:
        parts.append(doc.published.iso())
    if doc.pages:
        parts.append(f"{len(doc.pages)} pages")
    parts.append("1 claim" if claims == 1 else f"{claims:,} claims")
    return "  ·  ".join(parts)


class ElidedLabel(QLabel):
    """A one-line label that ends in "…" when narrower than its text (a plain QLabel is cut off
    mid-word, and the claims count at the end of a pane's details went first); the whole
    text is its tooltip. `text()` stays the whole text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def setText(self, text: str) -> None:  # type: ignore[override]
        super().setText(text)
        self.setToolTip(text)

    def minimumSizeHint(self) -> QSize:
        return QSize(0, super().minimumSizeHint().height())

    def shown_text(self) -> str:
        """The text as drawn at the label's width."""
        room = self.contentsRect().width()
        return self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, room)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
        painter.setFont(self.font())
        painter.drawText(
            self.contentsRect(),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            self.shown_text(),
        )


class ReaderPane(QWidget):
    """A document chooser over a `ReaderView`, with a find bar."""

    documentChosen = Signal(str)
    """The user picked a document in the header ("" = none)."""
    splitRequested = Signal()
    closeRequested = Signal()
    activated = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document: Document | None = None
        self.header = _Header(self)
        self.combo = QComboBox(self.header)
        self.combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.combo.setMinimumContentsLength(14)
        self.combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.combo.setToolTip("The document shown in this pane")
        self.details = ElidedLabel(self.header)
        self.details.setFont(theme.small_font())
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.find_button = self._tool_button("find", "Find in document (Ctrl+F)")
        self.split_button = self._tool_button("split", "Open another pane beside this one")
        self.close_button = self._tool_button("close", "Close this pane")
        top = QHBoxLayout()
        top.setSpacing(2)
        top.addWidget(self.combo, 1)
        top.addWidget(self.find_button)
        top.addWidget(self.split_button)
        top.addWidget(self.close_button)
        box = QVBoxLayout(self.header)
        box.setContentsMargins(8, 6, 6, 6)
        box.setSpacing(2)
        box.addLayout(top)
        box.addWidget(self.details)

        self.view = ReaderView(self)
        self.hint = QLabel(EMPTY_HINT, self)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setWordWrap(True)
        self.hint.setAutoFillBackground(True)
        self.hint.setBackgroundRole(QPalette.ColorRole.Base)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.hint)
        self.stack.addWidget(self.view)
        self.find_bar = FindBar(self.view, self)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.find_bar)
        self._restyle()

        self.combo.activated.connect(self._combo_activated)
        self.find_button.clicked.connect(self.open_find)
        self.split_button.clicked.connect(self.splitRequested)
        self.close_button.clicked.connect(self.closeRequested)
        self.view.findRequested.connect(self.open_find)
        self.view.findStepRequested.connect(self._find_step)
        self.view.escapePressed.connect(self._escape)
        self.view.activated.connect(self.activated)
        self.find_bar.edit.installEventFilter(self)

    def _tool_button(self, kind: str, tip: str) -> QToolButton:
        button = QToolButton(self.header)
        button.setAutoRaise(True)
        button.setToolTip(tip)
        button.setProperty("glyph", kind)
        button.setIconSize(QSize(16, 16))
        return button

    def _restyle(self) -> None:
        color = theme.muted_text_color(self.palette())
        for button in (self.find_button, self.split_button, self.close_button):
            button.setIcon(glyph_icon(button.property("glyph"), color))
        pal = self.details.palette()
        pal.setColor(QPalette.ColorRole.WindowText, color)
        self.details.setPalette(pal)
        hint_pal = self.hint.palette()
        hint_pal.setColor(QPalette.ColorRole.WindowText, color)
        self.hint.setPalette(hint_pal)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == event.Type.PaletteChange:
            self._restyle()

    def eventFilter(self, watched, event) -> bool:
        if event.type() == event.Type.FocusIn:
            self.activated.emit()
        return super().eventFilter(watched, event)

    def mousePressEvent(self, event) -> None:
        self.activated.emit()
        super().mousePressEvent(event)

    # -- documents -------------------------------------------------------------------------

    @property
    def document_id(self) -> str:
        return self.document.id if self.document is not None else ""

    def set_documents(self, summaries: list[DocumentSummary]) -> None:
        """Fill the chooser with the project's documents (keeps the current choice)."""
        self.combo.blockSignals(True)
        try:
            self.combo.clear()
            self.combo.addItem("Choose a document…", "")
            for summary in summaries:
                self.combo.addItem(summary.title, summary.id)
                self.combo.setItemData(
                    self.combo.count() - 1, summary.title, Qt.ItemDataRole.ToolTipRole
                )
            self._sync_combo()
        finally:
            self.combo.blockSignals(False)

    def _sync_combo(self) -> None:
        index = self.combo.findData(self.document_id)
        self.combo.blockSignals(True)
        self.combo.setCurrentIndex(max(0, index))
        self.combo.blockSignals(False)

    def _combo_activated(self, index: int) -> None:
        doc_id = self.combo.itemData(index) or ""
        if doc_id != self.document_id:
            self.documentChosen.emit(doc_id)

    def show_document(self, opened: PreparedDocument | None, labels: list[Label]) -> None:
        """Show a prepared document, or nothing (the hint)."""
        if self.find_bar.isVisible():
            self.find_bar.close_bar()
        self.hint.setText(EMPTY_HINT)
        if opened is None:
            self.document = None
            self.view.load("", "", [], labels)
            self.stack.setCurrentWidget(self.hint)
            self.details.setText("")
            self.details.hide()
        else:
            self.document = opened.document
            self.view.load_prepared(opened.document.id, opened.prepared, labels)
            self.stack.setCurrentWidget(self.view)
            self.details.show()
            self.update_details()
        self._sync_combo()

    def show_opening(self, title: str) -> None:
        """While a big document is being read: say so instead of showing the previous one."""
        if self.find_bar.isVisible():
            self.find_bar.close_bar()
        self.hint.setText(f"Opening “{title}”…")
        self.stack.setCurrentWidget(self.hint)

    def set_document_metadata(self, summary: DocumentSummary) -> None:
        """Same text, new details (title, authors...): no need to load the text again."""
        if self.document is None or summary.id != self.document.id:
            return
        self.document = replace(
            self.document,
            title=summary.title,
            authors=summary.authors,
            publisher=summary.publisher,
            published=summary.published,
        )
        self.update_details()

    def update_details(self) -> None:
        if self.document is not None:
            self.details.setText(describe(self.document, len(self.view.claims)))

    def set_active(self, active: bool) -> None:
        if self.header.active != active:
            self.header.active = active
            self.header.update()

    # -- find ------------------------------------------------------------------------------

    def open_find(self) -> None:
        if self.document is not None:
            self.find_bar.open_bar()

    def _find_step(self, backward: bool) -> None:
        if not self.find_bar.isVisible():
            self.open_find()
        else:
            self.find_bar.step(backward)

    def _escape(self) -> None:
        if self.find_bar.isVisible():
            self.find_bar.close_bar()
