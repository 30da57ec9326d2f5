"""The start screen: shown when no project is open. Says what to do: new, open, recent, demo.

Every text is in the palette's normal window-text colour (never the disabled grey, which is too
faint on both light and dark palettes): `contrast_ratio` and a test keep it readable (WCAG AA,
4.5:1 or more).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.ui.app_icon import app_icon

WHAT_TO_DO = (
    "No project is open. A project is one file that holds your documents and your claims. "
    "Create a new project to start a study, open one you have, or try the demo project "
    "to see how it works."
)
HINT = (
    "Then import documents (Ctrl+I, or drop files on this window), select a passage and press "
    "1, 2 or 3 to mark it sourced, disputed or polemical. Help › User guide explains the rest."
)


def relative_luminance(color: QColor) -> float:
    """WCAG 2 relative luminance of an opaque colour."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(color.redF())
        + 0.7152 * channel(color.greenF())
        + 0.0722 * channel(color.blueF())
    )


def contrast_ratio(foreground: QColor, background: QColor) -> float:
    """WCAG 2 contrast ratio, from 1 (none) to 21 (black on white); AA asks 4.5 for text."""
    a, b = relative_luminance(foreground), relative_luminance(background)
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)


def text_colors(widget: QWidget) -> tuple[QColor, QColor]:
    """The colour a widget's text is drawn in and the colour behind it (its palette's, in the
    colour group its enabled state selects)."""
    palette = widget.palette()
    group = QPalette.ColorGroup.Active if widget.isEnabled() else QPalette.ColorGroup.Disabled
    return (
        palette.color(group, widget.foregroundRole()),
        palette.color(group, widget.backgroundRole()),
    )


class StartScreen(QWidget):
    newRequested = Signal()
    openRequested = Signal()  # ask for a file
    recentRequested = Signal(str)  # open this path
    demoRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        icon = QLabel(self)
        icon.setPixmap(app_icon().pixmap(QSize(96, 96)))
        icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title = QLabel("Annotator", self)
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 2.2)
        font.setWeight(QFont.Weight.DemiBold)
        title.setFont(font)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        tagline = QLabel("Mark, judge and link the claims of your sources — side by side.", self)
        tagline.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.what_to_do = QLabel(WHAT_TO_DO, self)
        self.what_to_do.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.what_to_do.setWordWrap(True)
        self.what_to_do.setMinimumWidth(420)

        self.new_button = QPushButton("&New project…", self)
        self.new_button.setToolTip(f"Create a project file ({QKeySequence('Ctrl+N').toString()})")
        self.new_button.clicked.connect(self.newRequested)
        self.open_button = QPushButton("&Open project…", self)
        self.open_button.setToolTip(f"Open a project file ({QKeySequence('Ctrl+O').toString()})")
        self.open_button.clicked.connect(self.openRequested)
        self.demo_button = QPushButton("Try the &demo project", self)
        self.demo_button.setToolTip("Create a small example project with two annotated articles")
        self.demo_button.clicked.connect(self.demoRequested)
        for button in (self.new_button, self.open_button, self.demo_button):
            button.setMinimumHeight(34)
            button.setMinimumWidth(180)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.demo_button)
        buttons.addStretch(1)

        self.recent_title = QLabel("<b>Recent projects</b>", self)
        self.recent = QListWidget(self)
        self.recent.setFrameShape(QFrame.Shape.StyledPanel)
        self.recent.setMaximumWidth(640)
        self.recent.setMinimumWidth(420)
        self.recent.setMaximumHeight(240)
        self.recent.itemActivated.connect(
            lambda item: self.recentRequested.emit(str(item.data(Qt.ItemDataRole.UserRole)))
        )
        self.recent_title.setBuddy(self.recent)

        column = QVBoxLayout()
        column.addStretch(2)
        column.addWidget(icon)
        column.addWidget(title)
        column.addWidget(tagline)
        column.addSpacing(16)
        column.addWidget(self.what_to_do)
        column.addSpacing(16)
        column.addLayout(buttons)
        column.addSpacing(24)
        column.addWidget(self.recent_title, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addWidget(self.recent, 0, Qt.AlignmentFlag.AlignHCenter)
        self.hint = QLabel(HINT, self)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setWordWrap(True)
        self.hint.setMinimumWidth(420)
        column.addSpacing(12)
        column.addWidget(self.hint)
        column.addStretch(3)
        layout = QHBoxLayout(self)
        layout.addStretch(1)
        layout.addLayout(column, 3)
        layout.addStretch(1)
        self.set_recent([])

    def set_recent(self, paths: list[str]) -> None:
        self.recent.clear()
        for path in paths:
            p = Path(path)
            if "://" in path:  # a project on a server, named by its URL (never a password)
                item = QListWidgetItem(f"{path.rsplit('/', 1)[-1]}    —    {path}")
            else:
                item = QListWidgetItem(f"{p.name}    —    {p.parent}")
            item.setData(Qt.ItemDataRole.UserRole, path)
            item.setToolTip(path)
            if "://" not in path and not p.exists():
                item.setText(f"{p.name}    —    {p.parent}  (missing)")
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
            self.recent.addItem(item)
        self.recent.setVisible(bool(paths))
        self.recent_title.setVisible(bool(paths))
        if paths:
            self.recent.setCurrentRow(0)

    def set_demo_available(self, available: bool) -> None:
        self.demo_button.setVisible(available)
