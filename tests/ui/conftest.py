"""Fixtures of every UI test: no blocking error dialogs, no user state touched."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def private_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Qt's own state (XDG_STATE_HOME) in tmp_path; the root conftest moves Annotator's
    settings, search cache and backups."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


@pytest.fixture(autouse=True)
def error_dialogs(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Error dialogs record (message, details) instead of showing (`show_error` opens them with
    `open()`; a test that wants the real box makes an `ErrorDialog` itself)."""
    from annotator.ui.errors import ErrorDialog

    shown: list[tuple[str, str]] = []

    def record(self: ErrorDialog) -> None:
        shown.append((self.message, self.details))
        self.deleteLater()

    monkeypatch.setattr(ErrorDialog, "open", record)
    return shown


@pytest.fixture
def window(qtbot) -> Iterator:  # type: ignore[no-untyped-def]
    """The real main window, shown; an import still running is cancelled at the end."""
    from annotator.ui.app import make_application
    from annotator.ui.main_window import MainWindow

    make_application()
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    if win.import_job is not None and win.import_job.running:
        win.import_job.cancel()
        win.import_job.wait()
    win.close()
