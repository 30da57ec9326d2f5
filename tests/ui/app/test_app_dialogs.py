"""The shell's dialogs on a real project: labels editor, document details, link dialog, error
dialog and hook, settings, shortcuts."""

from __future__ import annotations

import sys
from pathlib import Path

from app_helpers import LEFT_CLAIM, LEFT_TEXT, RIGHT_CLAIM, RIGHT_TEXT, Study, run_modal
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from annotator.domain.errors import ValidationError
from annotator.services.api import Project
from annotator.ui.inspector import openable
from annotator.ui.labels_dialog import LabelsDialog, ReassignDialog
from annotator.ui.link_dialog import LinkDialog
from annotator.ui.metadata_dialog import MetadataDialog
from annotator.ui.settings import Settings
from annotator.ui.undo import UndoStack


def test_labels_editor_add_rename_recolour_reorder_delete_with_reassign(  # type: ignore[no-untyped-def]
    qtbot, study: Study, error_dialogs
) -> None:
    stack = UndoStack()
    with Project.open(study.path) as project:
        s, e = study.span(LEFT_TEXT, LEFT_CLAIM)
        claim = project.create_claim(study.left, s, e, project.label("polemical").id)
        dialog = LabelsDialog(project, stack)
        qtbot.addWidget(dialog)
        dialog.show()
        assert dialog.list.count() == 3

        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
        new = project.labels()[-1]
        assert (new.name, new.key) == ("label 4", "4")
        assert dialog.current_label_id() == new.id
        # rename through the name field, as a user types it
        dialog.name.selectAll()
        qtbot.keyClicks(dialog.name, "checked")
        qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
        assert project.label(new.id).name == "checked"
        assert stack.undoText() == "Rename label label 4 to checked"
        assert "checked" in dialog.list.currentItem().text()
        assert dialog.set_color(new.id, "#00838F")
        assert project.label(new.id).color == "#00838f"
        dialog.key.setText("9")
        dialog.key.editingFinished.emit()
        assert project.label(new.id).key == "9"
        assert dialog.set_key(new.id, "1") is False  # key of "sourced": refused, one sentence
        assert dialog.set_key(new.id, "L") is False  # L links claims
        assert "taken by “Link claims”" in error_dialogs[-1][0]
        assert project.label(new.id).key == "9"
        qtbot.mouseClick(dialog.up_button, Qt.MouseButton.LeftButton)
        assert [lab.name for lab in project.labels()] == [
            "sourced",
            "disputed",
            "checked",
            "polemical",
        ]

        # delete "polemical", which one claim uses: the dialog asks where its claims go
        dialog.list.setCurrentRow(3)

        def choose_checked(ask: object) -> None:
            assert isinstance(ask, ReassignDialog)
            ask.choice.setCurrentIndex(ask.choice.findText("checked"))
            ask.accept()

        run_modal(qtbot, lambda: dialog.delete_button.click(), choose_checked)
        assert [lab.name for lab in project.labels()] == ["sourced", "disputed", "checked"]
        assert project.annotation(claim.created_id).label_id == new.id
        stack.undo()
        assert project.annotation(claim.created_id).label_id == project.label("polemical").id
        # cancelling the question deletes nothing
        dialog.reload()
        dialog.list.setCurrentRow(3)
        run_modal(qtbot, lambda: dialog.delete_button.click(), lambda ask: ask.reject())
        assert len(project.labels()) == 4


def test_metadata_dialog_fields_and_validation(qtbot, study: Study) -> None:  # type: ignore[no-untyped-def]
    with Project.open(study.path) as project:
        dialog = MetadataDialog(project.document(study.left))
        qtbot.addWidget(dialog)
        assert dialog.title.text() == "Union pamphlet"
        dialog.published.setText("1931-13")
        dialog.accept()
        assert dialog.result() != QDialog.DialogCode.Accepted
        assert "Not a valid date" in dialog.error.text()
        dialog.published.setText("1931-05-02")
        dialog.authors.setText("A. Marsh;  B. Quill ")
        dialog.source_kind.setCurrentIndex(dialog.source_kind.findData("primary"))
        dialog.provenance_note.setPlainText("Handed out at the gates.")
        dialog.reliability_note.setPlainText("Partisan; figures unchecked.")
        new, old = dialog.changed_fields()
        assert new == {
            "authors": "A. Marsh; B. Quill",
            "published": "1931-05-02",
            "source_kind": "primary",
            "provenance_note": "Handed out at the gates.",
            "reliability_note": "Partisan; figures unchecked.",
        }
        assert old["published"] == "" and old["source_kind"] == "unknown"
        project.update_document(study.left, **new)
        doc = project.document(study.left)
        assert doc.authors == ("A. Marsh", "B. Quill")
        assert doc.reliability_note == "Partisan; figures unchecked."


def test_link_dialog_keys_and_swap(qtbot, study: Study) -> None:  # type: ignore[no-untyped-def]
    with Project.open(study.path) as project:
        s, e = study.span(LEFT_TEXT, LEFT_CLAIM)
        a = project.annotation(
            project.create_claim(study.left, s, e, project.label("1").id).created_id or ""
        )
        s, e = study.span(RIGHT_TEXT, RIGHT_CLAIM)
        b = project.annotation(
            project.create_claim(study.right, s, e, project.label("1").id).created_id or ""
        )
        dialog = LinkDialog(a, b, {study.left: "Union pamphlet", study.right: "Encyclopedia"})
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
        assert dialog.relation() == "corroborates"
        assert "4,000 dockers" in dialog._source_label.text()
        qtbot.keyClick(dialog, Qt.Key.Key_2)
        assert dialog.relation() == "contradicts"
        qtbot.keyClick(dialog, Qt.Key.Key_4)
        assert dialog.relation() == "cites"
        qtbot.keyClick(dialog, Qt.Key.Key_S)
        assert (dialog.source.id, dialog.target.id) == (b.id, a.id)
        qtbot.mouseClick(dialog.swap_button, Qt.MouseButton.LeftButton)
        assert dialog.source.id == a.id
        dialog.note.setFocus()
        qtbot.keyClicks(dialog.note, "see payroll 1")
        assert dialog.note_text() == "see payroll 1"
        assert dialog.relation() == "cites"  # typing digits in the note picks nothing


def test_only_web_addresses_open() -> None:
    assert openable("https://example.org/a")
    assert openable("http://example.org")
    assert not openable("file:///etc/passwd")
    assert not openable("javascript:alert(1)")
    assert not openable("example.org")


def test_error_dialog_has_one_sentence_and_details(qtbot, error_dialogs) -> None:  # type: ignore[no-untyped-def]
    from annotator.ui.errors import ErrorDialog, report

    report(None, ValidationError("A label needs a name."))
    assert error_dialogs[-1] == ("A label needs a name.", "")
    try:
        raise RuntimeError("boom")
    except RuntimeError as exc:
        report(None, exc, "saving")
    message, details = error_dialogs[-1]
    assert message.startswith("Something unexpected went wrong while saving (RuntimeError).")
    assert "Traceback" in details and "boom" in details
    dialog = ErrorDialog("One sentence.", "the details")
    qtbot.addWidget(dialog)
    assert dialog.text() == "One sentence." and dialog.detailedText() == "the details"


def test_excepthook_shows_and_logs(qtbot, error_dialogs, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from annotator.ui import errors

    monkeypatch.setattr(errors, "_log_path", None)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    errors.install_excepthook()
    log = errors.log_file()
    assert log is not None and str(log).startswith(str(tmp_path))
    try:
        raise KeyError("missing")
    except KeyError as exc:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    assert "(KeyError)" in error_dialogs[-1][0]
    for handler in errors.log.handlers:
        handler.flush()
    assert "KeyError" in log.read_text(encoding="utf-8")
    for handler in list(errors.log.handlers):
        if getattr(handler, "baseFilename", "") == str(log):
            errors.log.removeHandler(handler)
            handler.close()


def test_settings_roundtrip(private_settings: Path, tmp_path: Path) -> None:
    settings = Settings()
    assert settings.file_name.startswith(str(private_settings))
    a, b = tmp_path / "a.annot", tmp_path / "b.annot"
    settings.add_recent_project(a)
    settings.add_recent_project(b)
    settings.add_recent_project(a)
    assert settings.recent_projects() == [str(a), str(b)]
    settings.set_project_state(a, {"panes": {"documents": ["x", "y"]}})
    settings.set_splitter_sizes("panes", [300, 500])
    settings.sync()
    again = Settings()
    assert again.project_state(a) == {"panes": {"documents": ["x", "y"]}}
    assert again.project_state(b) == {}
    assert again.splitter_sizes("panes") == [300, 500]
    again.remove_recent_project(a)
    assert again.recent_projects() == [str(b)]
