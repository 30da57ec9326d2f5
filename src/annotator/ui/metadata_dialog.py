"""The document details editor: every metadata field of a document, including the provenance and
reliability notes that source criticism needs, and the day a web source was accessed."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.errors import AnnotatorError
from annotator.domain.model import Document, PartialDate, SourceKind
from annotator.services.documents import accessed_date
from annotator.ui.muted_label import MutedLabel

KIND_HINTS = {
    SourceKind.PRIMARY: "primary — a witness, an original record",
    SourceKind.SECONDARY: "secondary — reports or analyses primary sources",
    SourceKind.TERTIARY: "tertiary — summarises secondary sources (encyclopedias…)",
    SourceKind.UNKNOWN: "unknown",
}


def document_fields(doc: Document) -> dict[str, Any]:
    """The editable fields of a document in the form `Project.update_document` accepts."""
    return {
        "title": doc.title,
        "authors": "; ".join(doc.authors),
        "publisher": doc.publisher,
        "published": doc.published.iso() if doc.published else "",
        "url": doc.url,
        "accessed": doc.accessed.iso() if doc.accessed else "",
        "language": doc.language,
        "source_kind": doc.source_kind.value,
        "provenance_note": doc.provenance_note,
        "reliability_note": doc.reliability_note,
    }


class MetadataDialog(QDialog):
    """Edit a document's details; `changed_fields()` gives what differs after OK."""

    def __init__(self, doc: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Details of “{doc.title}”")
        self.setMinimumWidth(560)
        self.document = doc
        self.original = document_fields(doc)

        self.title = QLineEdit(doc.title, self)
        self.authors = QLineEdit(self.original["authors"], self)
        self.authors.setPlaceholderText("Separate several authors with ;")
        self.publisher = QLineEdit(doc.publisher, self)
        self.publisher.setPlaceholderText("Site, newspaper, journal or publisher")
        self.published = QLineEdit(self.original["published"], self)
        self.published.setPlaceholderText("YYYY, YYYY-MM or YYYY-MM-DD")
        self.url = QLineEdit(doc.url, self)
        self.url.setPlaceholderText("https://…")
        self.accessed = QLineEdit(self.original["accessed"], self)
        self.accessed.setPlaceholderText("YYYY-MM-DD: the day the page was read or saved")
        self.accessed.setToolTip(
            "A citation of a web page needs the day it was read. Taken from the saved page "
            "where it says, else the day it was imported."
        )
        self.language = QLineEdit(doc.language, self)
        self.language.setPlaceholderText("e.g. en, de, fr")
        self.language.setMaximumWidth(120)
        self.source_kind = QComboBox(self)
        for kind in SourceKind:
            self.source_kind.addItem(KIND_HINTS[kind], kind.value)
        self.source_kind.setCurrentIndex(self.source_kind.findData(doc.source_kind.value))
        self.provenance_note = QPlainTextEdit(doc.provenance_note, self)
        self.provenance_note.setPlaceholderText(
            "Where this copy comes from: who published it, where you found it, archived copies…"
        )
        self.reliability_note = QPlainTextEdit(doc.reliability_note, self)
        self.reliability_note.setPlaceholderText(
            "How far this source can be trusted, and why: bias, track record, access to events…"
        )
        for edit in (self.provenance_note, self.reliability_note):
            edit.setTabChangesFocus(True)
            edit.setFixedHeight(edit.fontMetrics().lineSpacing() * 4 + 12)

        form = QFormLayout()
        form.addRow("&Title:", self.title)
        form.addRow("&Authors:", self.authors)
        form.addRow("&Publisher:", self.publisher)
        form.addRow("&Date:", self.published)
        form.addRow("&URL:", self.url)
        form.addRow("A&ccessed:", self.accessed)
        form.addRow("&Language:", self.language)
        form.addRow("Source &kind:", self.source_kind)
        form.addRow("P&rovenance:", self.provenance_note)
        form.addRow("R&eliability:", self.reliability_note)

        facts = [
            f"File: {doc.file_name or '—'} ({doc.format or 'text'})",
            f"Imported: {doc.imported_at.astimezone():%Y-%m-%d %H:%M}",
            f"{len(doc.text):,} characters" + (f", {len(doc.pages)} pages" if doc.pages else ""),
        ]
        if doc.sha256:
            facts.append(f"SHA-256: {doc.sha256[:16]}…")
        if doc.flags:
            facts.append("Noticed on import: " + "; ".join(doc.flags))
        info = MutedLabel("\n".join(facts), self)
        info.setWordWrap(True)
        info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.error = QLabel(self)
        self.error.setStyleSheet("color: #c62828;")
        self.error.setWordWrap(True)
        self.error.hide()

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(info)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def values(self) -> dict[str, Any]:
        return {
            "title": self.title.text().strip(),
            "authors": "; ".join(a.strip() for a in self.authors.text().split(";") if a.strip()),
            "publisher": self.publisher.text().strip(),
            "published": self.published.text().strip(),
            "url": self.url.text().strip(),
            "accessed": self.accessed.text().strip(),
            "language": self.language.text().strip(),
            "source_kind": str(self.source_kind.currentData()),
            "provenance_note": self.provenance_note.toPlainText().strip(),
            "reliability_note": self.reliability_note.toPlainText().strip(),
        }

    def changed_fields(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """(new, old) values of the fields that differ."""
        new = {k: v for k, v in self.values().items() if v != self.original[k]}
        return new, {k: self.original[k] for k in new}

    def validate(self) -> str:
        """The first problem with the entered values, or ""."""
        values = self.values()
        if not values["title"]:
            return "A document needs a title."
        if values["published"]:
            try:
                PartialDate.parse(values["published"])
            except AnnotatorError as exc:
                return str(exc)
        if values["accessed"]:
            try:
                accessed_date(values["accessed"])
            except AnnotatorError as exc:
                return str(exc)
        return ""

    def accept(self) -> None:
        problem = self.validate()
        if problem:
            self.error.setText(problem)
            self.error.show()
            return
        super().accept()
