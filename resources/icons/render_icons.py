"""Render annotator.svg to the PNG sizes desktops and installers want (run after editing it).

QT_QPA_PLATFORM=offscreen python resources/icons/render_icons.py
"""

from __future__ import annotations

import sys
from pathlib import Path

SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def main() -> int:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    here = Path(__file__).resolve().parent
    renderer = QSvgRenderer(str(here / "annotator.svg"))
    if not renderer.isValid():
        print("annotator.svg could not be read", file=sys.stderr)
        return 1
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        renderer.render(painter)
        painter.end()
        image.save(str(here / f"annotator-{size}.png"))
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
