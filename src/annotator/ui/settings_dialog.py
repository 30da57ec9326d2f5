"""File > Settings and the first-run question: the name put on your claims, how a drag selects
text, and the recent list.

The name is kept in the app's settings (`Settings.user_name`) and handed to the services
(`annotator.services.author.choose`), so the next claim, note or link carries it. A name given
at launch (`annotator --author NAME gui`, or `ANNOTATOR_AUTHOR`) wins over the setting for that
run, and then the first-run question is not asked. Whether drags snap to whole words is
`Settings.snap_selection_to_words`; the reader reads it at each press, so a change applies to the
next drag.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.services import author
from annotator.ui.settings import Settings

SNAP_TEXT = "Snap selections to whole words (Alt+drag selects exact characters)"

WHY = (
    "Your claims, notes and links carry your name, so that reports and colleagues can tell who "
    "judged what."
)

HEADLESS_PLATFORMS = ("offscreen", "minimal")
"""Qt platforms with nobody in front of the screen to answer a question."""


def apply_user_name(settings: Settings) -> None:
    """At start-up: the name from the settings goes on the changes this process makes, unless
    one was given at launch (`--author`, `ANNOTATOR_AUTHOR`)."""
    name = settings.user_name()
    if name and not author.chosen():
        author.choose(name)


def first_run_question_wanted(settings: Settings) -> bool:
    """Ask for a name when none is set nor given at launch, and someone can answer."""
    if settings.user_name() or author.chosen():
        return False
    return QGuiApplication.platformName() not in HEADLESS_PLATFORMS


def _name_field(parent: QWidget, name: str) -> QLineEdit:
    field = QLineEdit(name, parent)
    field.setPlaceholderText("Your name, as reports should show it")
    field.setMinimumWidth(320)
    field.selectAll()
    return field


class FirstRunDialog(QDialog):
    """The question asked once, on the first start: which name goes on your claims."""

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle("Welcome to Annotator")
        intro = QLabel(f"{WHY} Which name should they carry?", self)
        intro.setWordWrap(True)
        self.name = _name_field(self, author.default_name())
        later = QLabel("You can change it at any time in File › Settings.", self)
        later.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok, self)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Use this name")
        self.buttons.accepted.connect(self.accept)
        self.name.textChanged.connect(lambda text: ok.setEnabled(bool(text.strip())))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        form = QFormLayout()
        form.addRow("&Name:", self.name)
        layout.addLayout(form)
        layout.addWidget(later)
        layout.addWidget(self.buttons)

    def accept(self) -> None:
        name = " ".join(self.name.text().split())
        if not name:
            return
        self.settings.set_user_name(name)
        self.settings.sync()
        author.choose(name)
        super().accept()


def ask_name_on_first_run(settings: Settings, parent: QWidget | None = None) -> QDialog | None:
    """Show the first-run question (window-modal, without blocking: no nested event loop) when
    it is wanted; returns the dialog, or None. Closed without an answer, the suggested name is
    used for this run (the services fall back to it) and the question comes back next time."""
    if not first_run_question_wanted(settings):
        return None
    dialog = FirstRunDialog(settings, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


class SettingsDialog(QDialog):
    """File > Settings: your name, whether drags select whole words, and the list of recent
    projects."""

    nameChanged = Signal(str)
    recentCleared = Signal()

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle("Settings")
        why = QLabel(WHY + " Claims already made keep the name they have.", self)
        why.setWordWrap(True)
        current = settings.user_name() or author.chosen() or author.default_name()
        self.name = _name_field(self, current)
        self.snap_words = QCheckBox(SNAP_TEXT, self)
        self.snap_words.setChecked(settings.snap_selection_to_words())
        self.recent_count = QLabel(self)
        self.clear_recent = QPushButton("&Clear the list", self)
        self.clear_recent.clicked.connect(self._clear_recent)
        recent_row = QHBoxLayout()
        recent_row.addWidget(self.recent_count, 1)
        recent_row.addWidget(self.clear_recent)
        stored = QLabel(f"Settings are kept in {settings.file_name}.", self)
        stored.setWordWrap(True)
        stored.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.name.textChanged.connect(lambda text: ok.setEnabled(bool(text.strip())))

        form = QFormLayout()
        form.addRow("Your &name:", self.name)
        form.addRow("", why)
        form.addRow("Selecting text:", self.snap_words)
        form.addRow("Recent projects:", recent_row)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(stored)
        layout.addWidget(self.buttons)
        self._show_recent_count()

    def _show_recent_count(self) -> None:
        count = len(self.settings.recent_projects())
        self.recent_count.setText("none" if not count else f"{count} in the list")
        self.clear_recent.setEnabled(bool(count))

    def _clear_recent(self) -> None:
        self.settings.clear_recent_projects()
        self._show_recent_count()
        self.recentCleared.emit()

    def accept(self) -> None:
        name = " ".join(self.name.text().split())
        if not name:
            return
        if name != self.settings.user_name():
            self.settings.set_user_name(name)
            self.settings.sync()
        author.choose(name)  # the setting, chosen here, wins over a name given at launch
        snap = self.snap_words.isChecked()
        if snap != self.settings.snap_selection_to_words():
            self.settings.set_snap_selection_to_words(snap)
            self.settings.sync()
        self.nameChanged.emit(name)
        super().accept()


def open_settings(window: QWidget, settings: Settings) -> SettingsDialog:
    """File > Settings for `window` (window-modal, not blocking)."""
    dialog = SettingsDialog(settings, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    start_screen = getattr(window, "start_screen", None)
    if start_screen is not None:
        dialog.recentCleared.connect(lambda: start_screen.set_recent(settings.recent_projects()))
    dialog.open()
    return dialog
