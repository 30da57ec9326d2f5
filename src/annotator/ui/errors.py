"""Every error the user sees: one clear sentence, the details behind a button.

`show_error()` is the one way to tell the user something failed. `install_excepthook()` routes
unexpected exceptions to the same dialog and to a log file, so that nothing fails silently and no
traceback ends the app. The dialog is modal (to its window, or to the app without one) but does
not block: it is opened with `open()`, never `exec()`, so no nested event loop runs inside the
code that failed.
"""

from __future__ import annotations

import logging
import sys
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from shiboken6 import isValid

from annotator.domain.errors import AnnotatorError

log = logging.getLogger("annotator")

_log_path: Path | None = None


class ErrorDialog(QMessageBox):
    """A warning box: the sentence as its text, the details behind "Show Details…"."""

    def __init__(
        self, message: str, details: str = "", parent: QWidget | None = None, title: str = ""
    ) -> None:
        super().__init__(parent)
        self.setIcon(QMessageBox.Icon.Warning)
        self.setWindowTitle(title or "Annotator")
        self.setText(message)
        self.setTextFormat(Qt.TextFormat.PlainText)
        if details:
            self.setDetailedText(details)
        self.setStandardButtons(QMessageBox.StandardButton.Ok)
        self.message = message
        self.details = details


def show_error(
    parent: QWidget | None, message: str, details: str = "", title: str = ""
) -> ErrorDialog:
    """Show `message` (one sentence) modally, without blocking; `details` go behind a button."""
    log.warning("%s%s", message, f"\n{details}" if details else "")
    dialog = ErrorDialog(message, details, parent, title)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def report(parent: QWidget | None, exc: BaseException, doing: str = "") -> ErrorDialog:
    """Show an exception: a user error's own sentence, or a plain sentence for a bug."""
    if isinstance(exc, AnnotatorError):
        return show_error(parent, str(exc))
    details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    what = f" while {doing}" if doing else ""
    where = f" The details are in {_log_path}." if _log_path else ""
    return show_error(
        parent,
        f"Something unexpected went wrong{what} ({type(exc).__name__}). "
        f"Your saved work is safe.{where}",
        details,
    )


def log_file() -> Path | None:
    return _log_path


def setup_logging() -> Path | None:
    """Log warnings and errors to annotator.log in the platform's user log folder."""
    global _log_path
    if _log_path is not None:
        return _log_path
    try:
        from platformdirs import user_log_dir

        folder = Path(user_log_dir("annotator", "Annotator"))
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "annotator.log"
        handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    _log_path = path
    return path


def install_excepthook() -> None:
    """Show unexpected exceptions in the error dialog and log them, instead of crashing."""
    setup_logging()
    showing = False
    shown: list[ErrorDialog] = []  # the dialog of the last unexpected error

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        nonlocal showing
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        log.error("Unexpected error", exc_info=(kind, exc, tb))
        # an error inside the dialog, or a run of errors while its dialog is still open (a
        # paint that fails each frame), must not open dialogs forever: those are only logged
        still_open = bool(shown) and isValid(shown[0]) and shown[0].isVisible()
        if QApplication.instance() is None or showing or still_open:
            sys.__excepthook__(kind, exc, tb)
            return
        showing = True
        try:
            shown[:] = [report(QApplication.activeWindow(), exc.with_traceback(tb))]
        finally:
            showing = False

    sys.excepthook = hook
