"""The desktop part of `annotator selftest`: the main window with the self-test's project,
rendered offscreen and grabbed to a PNG (the same path as `annotator gui --screenshot`).

It proves that Qt, its platform plugins, fonts and the app's widgets load and paint in this
installation. The caller sets QT_QPA_PLATFORM=offscreen before any QApplication exists.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from annotator.app.selftest import SelfTestFailed, SelfTestState, Step

WINDOW_PNG = "selftest-window.png"
MIN_COLOURS = 8
"""A painted window has text, frames and highlights: fewer colours than this means a blank grab."""
BENIGN_QT_MESSAGES = ("This plugin does not support propagateSizeHints()",)
"""What the offscreen platform says about every top-level window: not a problem, not shown."""


@contextmanager
def _quiet_offscreen_warnings() -> Iterator[None]:
    from PySide6.QtCore import qInstallMessageHandler

    def handler(_mode: Any, _context: Any, message: str) -> None:
        if message not in BENIGN_QT_MESSAGES:
            print(message, file=sys.stderr)

    previous = qInstallMessageHandler(handler)
    try:
        yield
    finally:
        qInstallMessageHandler(previous)


def _window(state: SelfTestState) -> str:
    from PySide6.QtGui import QImage

    from annotator.ui.app import SCREENSHOT_SIZE, take_screenshot

    state.close()  # the window opens the project itself, as `annotator gui` does
    png = state.folder / WINDOW_PNG
    with _quiet_offscreen_warnings():
        take_screenshot(state.project_path, ["1"], png)
    image = QImage(str(png))
    if image.isNull():
        raise SelfTestFailed(f"{png.name} is not a readable image.")
    size = (image.width(), image.height())
    if size != SCREENSHOT_SIZE:
        raise SelfTestFailed(f"The window was grabbed at {size[0]}×{size[1]}.")
    colours = {
        image.pixel(x, y) for x in range(0, image.width(), 16) for y in range(0, image.height(), 16)
    }
    if len(colours) < MIN_COLOURS:
        raise SelfTestFailed(f"The window looks blank ({len(colours)} colours).")
    return f"{png.name}, {size[0]}×{size[1]}, {len(colours)} colours sampled"


WINDOW_STEP = Step("desktop window (offscreen)", _window)
