"""Fixtures of every UI test: no blocking error dialogs, no user state touched."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def private_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Qt's own state (XDG_STATE_HOME) in tmp_path; the root conftest moves Annotator's
    settings, search cache and backups."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


@pytest.fixture(autouse=True)
def error_dialogs(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Error dialogs record (message, details) instead of blocking in exec()."""
    from annotator.ui.errors import ErrorDialog

    shown: list[tuple[str, str]] = []

    def fake_exec(self: ErrorDialog) -> int:
        shown.append((self.message, self.details))
        return 0

    monkeypatch.setattr(ErrorDialog, "exec", fake_exec)
    return shown
