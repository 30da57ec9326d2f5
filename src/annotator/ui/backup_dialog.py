"""File > Restore from backup…, and the offer to restore when a project cannot be opened.

Restoring closes the project, calls `services.backup.restore()` (which keeps the current file
beside it, damaged or not), reopens the project and says where the previous file was kept.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.errors import AnnotatorError
from annotator.services.backup import BackupInfo, list_backups, restore
from annotator.ui.errors import report, show_error

log = logging.getLogger("annotator")


class BackupDialog(QDialog):
    """The backups of one project file, newest first; Restore replaces the file with one."""

    def __init__(self, path: Path, backups: list[BackupInfo], parent: QWidget | None = None):
        super().__init__(parent)
        self.path = path
        self.backups = backups
        self.setWindowTitle(f"Restore {path.name} from a backup")
        intro = QLabel(
            f"Annotator keeps automatic backups of <b>{path.name}</b>. Restoring replaces the "
            "project with the backup you choose; the current file is kept beside it.",
            self,
        )
        intro.setWordWrap(True)
        self.table = QTreeWidget(self)
        self.table.setRootIsDecorated(False)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setHeaderLabels(["Date", "Change", "Claims", "Documents", "Links"])
        for info in backups:

            def count(n: int | None) -> str:
                return "?" if n is None else str(n)

            item = QTreeWidgetItem(
                [
                    info.local_time,
                    str(info.change_number),
                    count(info.claims),
                    count(info.documents),
                    count(info.links),
                ]
            )
            for col in range(1, 5):
                item.setTextAlignment(
                    col, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                )
            item.setToolTip(0, str(info.path))
            self.table.addTopLevelItem(item)
        for col in range(5):
            self.table.resizeColumnToContents(col)
        self.table.setColumnWidth(0, max(self.table.columnWidth(0), 150))
        if backups:
            self.choose(0)
        self.table.itemDoubleClicked.connect(lambda *_: self.accept())
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.restore_button = self.buttons.addButton(
            "Restore", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.restore_button.setEnabled(bool(backups))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)
        self.resize(560, 340)

    def chosen(self) -> BackupInfo | None:
        current = self.table.currentItem()
        row = self.table.indexOfTopLevelItem(current) if current is not None else -1
        return self.backups[row] if 0 <= row < len(self.backups) else None

    def choose(self, row: int) -> None:
        item = self.table.topLevelItem(row)
        if item is not None:
            self.table.setCurrentItem(item)


def restore_from_backup(
    window: Any, path: Path, open_docs: list[str] | None = None
) -> BackupDialog | None:
    """Ask which backup (window-modal, not blocking), then, once one is chosen, restore it and
    reopen the project. Returns the dialog, or None when there is no backup to offer."""
    try:
        backups = list_backups(path)
    except AnnotatorError as exc:
        show_error(window, str(exc))
        return None
    if not backups:
        show_error(window, f"There is no backup of {path.name} yet.")
        return None
    dialog = BackupDialog(path, backups, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def chosen() -> None:
        info = dialog.chosen()
        if info is not None:
            restore_backup(window, path, info, open_docs)

    dialog.accepted.connect(chosen)
    dialog.open()
    return dialog


def restore_backup(
    window: Any, path: Path, info: BackupInfo, open_docs: list[str] | None = None
) -> bool:
    """Close the project if it is this file, restore `info`, reopen, tell where the old file is."""
    project = window.project
    if project is not None and Path(project.path).resolve() == Path(path).resolve():
        docs = [d for d in (window.pane_area.documents() if window.pane_area else []) if d]
        open_docs = open_docs or docs
        window.close_project()
    try:
        aside = restore(path, info)
    except AnnotatorError as exc:
        show_error(window, str(exc))
        window.open_project(path)
        return False
    except Exception as exc:
        report(window, exc, f"restoring {path.name}")
        return False
    kept = f" The previous file was kept as {aside}." if aside is not None else ""
    message = f"Restored {path.name} from the backup of {info.local_time}.{kept}"
    try:
        window.open_project(path, open_docs or None)
    except Exception as exc:
        report(window, exc, f"opening {path.name}")
        return False
    window.statusBar().showMessage(message, 15000)
    box = QMessageBox(QMessageBox.Icon.Information, "Backup restored", message, parent=window)
    box.setObjectName("BackupRestoredBox")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()  # not blocking: the reopened project is already there behind it
    return True


def open_failed(window: Any, path: Path, exc: AnnotatorError, open_docs: Any) -> bool:
    """Show why `path` cannot be opened; offer "Restore from backup…" when it is damaged (or
    gone) and backups exist. Returns False: nothing is open yet. The message is window-modal,
    not blocking; its "Restore from backup…" asks which backup, then restores and opens it."""
    from annotator.storage.engine import ProjectDamaged

    backups: list[BackupInfo] = []
    if isinstance(exc, ProjectDamaged) or not Path(path).exists():
        try:
            backups = list_backups(path)
        except Exception:
            backups = []
    if not backups:
        show_error(window, str(exc))
        return False
    log.warning("%s", exc)
    dialog = QMessageBox(QMessageBox.Icon.Warning, "Annotator", str(exc), parent=window)
    dialog.setTextFormat(Qt.TextFormat.PlainText)
    dialog.setStandardButtons(QMessageBox.StandardButton.Ok)
    dialog.setObjectName("OpenFailedBox")
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    button = dialog.addButton("Restore from backup…", QMessageBox.ButtonRole.ActionRole)
    docs = list(open_docs or [])
    button.clicked.connect(lambda: restore_from_backup(window, Path(path), docs))
    dialog.open()
    return False
