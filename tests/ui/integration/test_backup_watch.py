"""Backups at open, restoring one, the damaged-file offer, the read-only banner, and changes made
by another Project object showing up after a poll."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from annotator.services.api import Project
from annotator.services.backup import list_backups


def test_backup_is_made_at_open(opened, study) -> None:  # type: ignore[no-untyped-def]
    backups = list_backups(study.path)
    assert len(backups) == 1
    assert backups[0].claims == 3
    assert opened.session.backup_timer.isActive()
    assert opened.session.watch_timer.isActive()


def _press_restore(qtbot, dialog) -> None:  # type: ignore[no-untyped-def]
    assert dialog.restore_button.isEnabled()
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)


def test_restore_dialog_restores_an_older_state(qtbot, opened, study) -> None:  # type: ignore[no-untyped-def]
    opened.project.delete_claim(study.dockers)
    assert len(opened.project.annotations()) == 2

    dialog = opened.restore_from_backup()
    assert dialog is not None
    # window-modal and not blocking: the window keeps its event loop, the dialog waits
    qtbot.waitExposed(dialog)
    assert dialog.isModal() and dialog.windowModality() == Qt.WindowModality.WindowModal
    assert dialog.table.topLevelItemCount() == 1
    assert dialog.table.topLevelItem(0).text(2) == "3"
    dialog.choose(0)
    _press_restore(qtbot, dialog)
    assert opened.project is not None
    assert len(opened.project.annotations()) == 3
    kept = list(Path(study.path).parent.glob("study.annot.damaged-*"))
    assert kept and str(kept[0].name) in opened.status_message()
    box = opened.findChild(QMessageBox, "BackupRestoredBox")
    assert box is not None and "previous file was kept" in box.text()
    box.close()
    assert opened.pane_area.documents()[:2] == [study.left, study.right]


def test_damaged_project_offers_restore(qtbot, window, study) -> None:  # type: ignore[no-untyped-def]
    assert window.open_project(study.path)
    qtbot.waitUntil(lambda: window.session.ready, timeout=10000)
    window.session.wait_for_backup()
    window.close_project()
    assert list_backups(study.path)
    data = bytearray(study.path.read_bytes())
    for offset in range(100, len(data), 997):  # scribble over pages, keep the header
        data[offset] = (data[offset] + 77) % 256
    for suffix in ("-wal", "-shm"):
        Path(f"{study.path}{suffix}").unlink(missing_ok=True)
    study.path.write_bytes(bytes(data[:4096]) + b"\0" * 8)
    from annotator.ui.backup_dialog import BackupDialog

    assert not window.open_project(study.path)  # nothing open yet: the message asks
    box = window.findChild(QMessageBox, "OpenFailedBox")
    assert box is not None
    qtbot.waitExposed(box)
    assert box.text()
    button = next(b for b in box.buttons() if b.text() == "Restore from backup…")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(window.findChildren(BackupDialog)), timeout=5000)
    [dialog] = window.findChildren(BackupDialog)
    qtbot.waitExposed(dialog)
    dialog.choose(0)
    _press_restore(qtbot, dialog)
    assert window.project is not None and len(window.project.annotations()) == 3


def test_readonly_project_shows_the_banner(qtbot, window, study) -> None:  # type: ignore[no-untyped-def]
    project = Project.open(study.path, readonly=True)
    assert window.adopt_project(project, [])
    banner = window.banner
    assert banner.isVisible() and "read-only" in banner.text()
    window.close_project()
    assert not banner.isVisible()


def test_other_project_object_changes_show_after_poll(qtbot, opened, study) -> None:  # type: ignore[no-untyped-def]
    rows = opened.claims.model.rowCount()
    with Project.open(study.path) as other:
        text = other.document(study.left).text
        start = text.index("Harbour report")
        changes = other.create_claim(study.left, start, start + 14, other.label("polemical").id)
        new_id = changes.created_id
    seen = opened.session.poll_watcher()
    assert seen is not None and new_id in seen.ids("annotation")
    QApplication.processEvents()
    qtbot.waitUntil(lambda: opened.claims.model.rowCount() == rows + 1, timeout=3000)
    # and search finds it
    panel = opened.search_panel
    panel.set_query("Harbour")
    qtbot.waitUntil(
        lambda: (
            panel.results is not None
            and panel.results.query == "Harbour"
            and panel.results.total == 1
        ),
        timeout=5000,
    )
    assert opened.session.poll_watcher() is None  # nothing new


def test_close_stops_services(opened) -> None:  # type: ignore[no-untyped-def]
    services = opened.session
    opened.close_project()
    assert services.search is None and services.watcher is None
    assert not services.watch_timer.isActive() and not services.backup_timer.isActive()
    assert not opened.window_actions.search.isEnabled()
    assert os.environ["ANNOTATOR_CACHE_DIR"]
