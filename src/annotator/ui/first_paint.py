"""Running work once a window has been painted for the first time.

Start-up should show the user the project first and only then start what can wait: opening the
search index (it imports Whoosh and checks the index), the backup at open, the watcher for other
writers. `after_first_paint(window, fn)` calls `fn` from the event loop right after the first
frame of `window` is on screen, or at once (from the event loop) when it was painted already. A
window that is never shown still gets its callbacks, a moment later (FALLBACK_MS).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

FALLBACK_MS = 1000
"""A hidden window never paints: its callbacks run after this many milliseconds instead."""

_PROPERTY = "_annotator_painted"


def has_painted(window: QWidget) -> bool:
    return bool(window.property(_PROPERTY))


def after_first_paint(window: QWidget, fn: Callable[[], object], *, first: bool = False) -> None:
    """Call `fn()` from the event loop once `window` has painted its first frame (with
    `first`, before the callbacks already waiting)."""
    if has_painted(window):
        QTimer.singleShot(0, window, fn)
        return
    watcher = window.findChild(_PaintWatcher, "FirstPaintWatcher")
    if watcher is None:
        watcher = _PaintWatcher(window)
    if first:
        watcher.pending.insert(0, fn)
    else:
        watcher.pending.append(fn)


class _PaintWatcher(QObject):
    """Watches the application's paint events until one reaches a widget of `window` (the whole
    frame is painted in that same event, so the callbacks run after it, from a zero timer)."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("FirstPaintWatcher")
        self.window = window
        self.pending: list[Callable[[], object]] = []
        self._done = False
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        QTimer.singleShot(FALLBACK_MS, self, self._fire)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            not self._done
            and event.type() == QEvent.Type.Paint
            and isinstance(watched, QWidget)
            and watched.window() is self.window
        ):
            self.window.setProperty(_PROPERTY, True)
            QTimer.singleShot(0, self, self._fire)
            self._stop_watching()
        return False

    def _stop_watching(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def _fire(self) -> None:
        if self._done:
            return
        self._done = True
        self._stop_watching()
        pending, self.pending = self.pending, []
        self.setParent(None)
        self.deleteLater()
        for fn in pending:
            fn()
