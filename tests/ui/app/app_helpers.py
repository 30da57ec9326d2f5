"""Test data and helpers shared by the application shell's tests."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ui_study import LEFT_TEXT, RIGHT_TEXT  # noqa: F401  (re-exported to the tests)

from annotator.services.api import Project

LEFT_CLAIM = "4,000 dockers walked out"
RIGHT_CLAIM = "about 900 pickets"


@dataclass
class Study:
    path: Path
    left: str  # document ids
    right: str

    def span(self, text: str, quote: str) -> tuple[int, int]:
        start = text.index(quote)
        return start, start + len(quote)


def reopen(path: Path) -> Project:
    """A second, independent connection to the project file: what is really saved."""
    return Project.open(path)


def run_modal(qtbot, action: Callable[[], object], handle: Callable[[object], None]) -> None:  # type: ignore[no-untyped-def]
    """Run `action` (which opens a modal dialog, window-modal with `open()`) and let
    `handle(dialog)` drive the dialog; returns once the dialog is closed."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    from shiboken6 import isValid

    handled: list[object] = []

    def poke() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(10, poke)
            return
        handled.append(dialog)
        try:
            handle(dialog)
        except BaseException as exc:  # never leave a modal dialog blocking the test
            errors.append(exc)
            if dialog.isVisible():
                dialog.reject()  # type: ignore[attr-defined]

    errors: list[BaseException] = []
    QTimer.singleShot(0, poke)
    action()
    qtbot.waitUntil(lambda: bool(handled or errors), timeout=5000)
    if errors:
        raise errors[0]
    assert handled, "no modal dialog was shown"
    dialog = handled[0]
    # closed (and, with WA_DeleteOnClose, deleted) once handled
    qtbot.waitUntil(lambda: not isValid(dialog) or not dialog.isVisible(), timeout=5000)  # type: ignore[attr-defined]
