"""The document details dialog shows and edits the day a web source was accessed."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from annotator.domain.model import PartialDate
from annotator.importers import read_file
from annotator.services.api import Project
from annotator.ui.metadata_dialog import MetadataDialog

DATA = Path(__file__).parents[1] / "importers" / "data"


def test_accessed_is_shown_checked_and_edited(qtbot, project: Project) -> None:  # type: ignore[no-untyped-def]
    imported, data = read_file(DATA / "formatted.html")
    doc_id = project.add_document(imported, data, "formatted.html").created_id
    assert doc_id
    dialog = MetadataDialog(project.document(doc_id))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.accessed.text() == "2026-11-30"

    dialog.accessed.clear()
    qtbot.keyClicks(dialog.accessed, "2026-02-30")
    qtbot.keyClick(dialog.accessed, Qt.Key.Key_Return)
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "YYYY-MM-DD" in dialog.error.text() and dialog.error.isVisible()

    dialog.accessed.clear()
    qtbot.keyClicks(dialog.accessed, "2026-12-01")
    new, old = dialog.changed_fields()
    assert new == {"accessed": "2026-12-01"} and old == {"accessed": "2026-11-30"}
    qtbot.keyClick(dialog.accessed, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    project.update_document(doc_id, **new)
    assert project.document(doc_id).accessed == PartialDate(2026, 12, 1)
