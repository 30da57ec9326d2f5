"""PySide6 6.12.0 on Python 3.11 aborts the interpreter ("Fatal Python error: none_dealloc")
after some thousands of calls to void methods such as `setReadOnly` (docs/developer-guide.md):
every test passes and the run still dies with exit code 134. pyproject.toml excludes that
combination; these tests keep the exclusion honest."""

from __future__ import annotations

import sys

import pytest

pytest.importorskip("PySide6.QtWidgets")

from PySide6.QtWidgets import QApplication, QPlainTextEdit
from pytestqt.qtbot import QtBot

CALLS = 200_000


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(".")[:3] if part.isdigit())


def test_pyside6_version_is_not_the_one_that_crashes_on_this_python() -> None:
    import PySide6

    if sys.version_info < (3, 12):
        assert _version(PySide6.__version__) != (6, 12, 0), (
            "PySide6 6.12.0 crashes Python 3.11 (none_dealloc); install 6.11.x or use 3.12+"
        )


def test_void_method_called_many_times(qapp: QApplication, qtbot: QtBot) -> None:
    editor = QPlainTextEdit()
    qtbot.addWidget(editor)
    editor.setPlainText("A claim 😀 in a document.")
    for i in range(CALLS):
        editor.setReadOnly(i % 2 == 0)
    assert editor.isReadOnly() is False  # the last call (i = CALLS - 1, odd) set False
    editor.setReadOnly(True)
    assert editor.isReadOnly()
    qapp.processEvents()


def test_void_method_loop_in_a_fresh_interpreter() -> None:
    """The same loop in a child process, so that a crash is a readable failure here instead of
    an abort of the whole test run."""
    import os
    import subprocess

    code = (
        "from PySide6.QtWidgets import QApplication, QPlainTextEdit\n"
        "app = QApplication([])\n"
        "editor = QPlainTextEdit()\n"
        f"for i in range({CALLS}):\n"
        "    editor.setReadOnly(i % 2 == 0)\n"
        "print('ok')\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, f"exit {result.returncode}: {result.stderr[-2000:]}"
    assert result.stdout.strip() == "ok"
