"""The start screen: shown when no project is open. New, open, recent projects, demo."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QFont, QKeySequence
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
        tagline.setEnabled(False)

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
        column.addSpacing(24)
        column.addLayout(buttons)
        column.addSpacing(24)
        column.addWidget(self.recent_title, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addWidget(self.recent, 0, Qt.AlignmentFlag.AlignHCenter)
        hint = QLabel("Tip: drop document files on this window to import them.", self)
        hint.setEnabled(False)
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        column.addWidget(hint)
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
            item = QListWidgetItem(f"{p.name}    —    {p.parent}")
            item.setData(Qt.ItemDataRole.UserRole, path)
            item.setToolTip(path)
            if not p.exists():
                item.setText(f"{p.name}    —    {p.parent}  (missing)")
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
            self.recent.addItem(item)
        self.recent.setVisible(bool(paths))
        self.recent_title.setVisible(bool(paths))
        if paths:
            self.recent.setCurrentRow(0)

    def set_demo_available(self, available: bool) -> None:
        self.demo_button.setVisible(available)
