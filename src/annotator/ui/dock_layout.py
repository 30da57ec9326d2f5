"""Each dock's share of the main window, kept as the window is resized: a dock squeezed by a
smaller window takes its share back when the window grows again.

The shares are the default layout's until the user drags a separator between docks (a mouse
release on the window itself: QMainWindow handles those drags without a signal); from then on
they are the user's. `MainWindow` calls `shown`, `resized` and `reset`; the rest is here.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QDockWidget, QMainWindow

DEFAULT_SIZE = (1400, 850)
"""The window's size on first start; the docks' default widths below are for it."""
SIDE_WIDTHS = {"LibraryDock": 300, "SearchDock": 300, "InspectorDock": 340}
CLAIMS_HEIGHT = 200
MIN_SIDE_WIDTHS = {"LibraryDock": 170, "SearchDock": 170, "InspectorDock": 250}
"""The narrowest a dock gets: at a 1000x700 window the inspector's note, tags and evidence stay
readable beside two reader panes at their narrowest."""
MIN_CLAIMS_HEIGHT = 110
CLAIMS_DOCK = "ClaimsDock"


class DockShares(QObject):
    """The docks' shares of `window`: `side` docks by width, `claims` by height."""

    def __init__(
        self, window: QMainWindow, side: Sequence[QDockWidget], claims: QDockWidget
    ) -> None:
        super().__init__(window)
        self.window = window
        self.side = list(side)
        self.claims = claims
        self.shares: dict[str, float] = {}
        """Each dock's share of the window's width (height for the claim list)."""
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(40)
        self._fit_timer.timeout.connect(self.fit)
        self._watching = False

    def shown(self, default_layout: bool) -> None:
        """The window was shown: the default shares on first start, else the restored ones."""
        if not self._watching:  # separator drags count from now on, not while building
            self._watching = True
            self.window.installEventFilter(self)
        if default_layout:
            self.defaults()
        elif not self.shares:
            QTimer.singleShot(0, self.record)

    def resized(self) -> None:
        self.fit()  # the docks take their share of the new size back
        self._fit_timer.start()  # and again once the layout has settled

    def defaults(self) -> None:
        """The default sizes, and their shares of the default window."""
        window = self.window
        side = [d for d in self.side if d.objectName() != "SearchDock"]  # tabbed with library
        window.resizeDocks(
            side, [SIDE_WIDTHS[d.objectName()] for d in side], Qt.Orientation.Horizontal
        )
        window.resizeDocks([self.claims], [CLAIMS_HEIGHT], Qt.Orientation.Vertical)
        width, height = DEFAULT_SIZE
        self.shares = {name: w / width for name, w in SIDE_WIDTHS.items()}
        self.shares[CLAIMS_DOCK] = CLAIMS_HEIGHT / height

    def record(self) -> None:
        """Each docked panel's share of the window, as it is now."""
        window = self.window
        for dock in [*self.side, self.claims]:
            if not docked(dock):
                continue
            if dock is self.claims:
                self.shares[CLAIMS_DOCK] = dock.height() / max(1, window.height())
            else:
                self.shares[dock.objectName()] = dock.width() / max(1, window.width())

    def fit(self) -> None:
        """Give each docked panel its share of the window again (never below its minimum)."""
        window = self.window
        if not self.shares or window.isMinimized():
            return
        side = [d for d in self.side if docked(d) and d.objectName() in self.shares]
        if side:
            widths = [
                max(
                    MIN_SIDE_WIDTHS[d.objectName()],
                    round(self.shares[d.objectName()] * window.width()),
                )
                for d in side
            ]
            window.resizeDocks(side, widths, Qt.Orientation.Horizontal)
        if docked(self.claims) and CLAIMS_DOCK in self.shares:
            height = round(self.shares[CLAIMS_DOCK] * window.height())
            window.resizeDocks(
                [self.claims], [max(MIN_CLAIMS_HEIGHT, height)], Qt.Orientation.Vertical
            )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.MouseButtonRelease:  # a separator drag ended
            QTimer.singleShot(0, self.record)
        return False


def docked(dock: QDockWidget) -> bool:
    """Shown in the window, not floating, nor a tab behind another dock."""
    return dock.isVisible() and not dock.isFloating() and not dock.visibleRegion().isEmpty()
