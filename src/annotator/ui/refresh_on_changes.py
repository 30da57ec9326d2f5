"""Refreshing a window that shows figures of the project when a change touches them: once per
turn of the event loop however many changes came, and only while it is shown."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QWidget


class RefreshOnChanges(QObject):
    """Calls `refresh()` soon after `window.changesApplied` brings a change of one of
    `entities`, or `request()` asks, while `widget` is visible (a closed window may hold a
    project that is closed already). `cancel()` drops a refresh asked for and not yet run."""

    def __init__(
        self,
        widget: QWidget,
        refresh: Callable[[], object],
        entities: Iterable[str],
        window: Any = None,
    ) -> None:
        super().__init__(widget)
        self._widget = widget
        self._refresh = refresh
        self._entities = tuple(entities)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._run)
        if window is not None and hasattr(window, "changesApplied"):
            window.changesApplied.connect(self._changed)

    def request(self) -> None:
        self._timer.start()

    def cancel(self) -> None:
        self._timer.stop()

    def _changed(self, changes: Any) -> None:
        if any(changes.touches(entity) for entity in self._entities):
            self._timer.start()

    def _run(self) -> None:
        if self._widget.isVisible():
            self._refresh()
