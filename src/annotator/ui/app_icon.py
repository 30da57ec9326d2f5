"""The application icon and where the resources folder is (source tree or installed wheel)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtGui import QIcon

ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def resources_dir() -> Path | None:
    """`annotator/_resources` in a wheel, `resources/` at the top of a source checkout."""
    package = Path(__file__).resolve().parents[1]
    for candidate in (package / "_resources", package.parents[1] / "resources"):
        if (candidate / "icons").is_dir():
            return candidate
    return None


@cache
def app_icon() -> QIcon:
    icon = QIcon()
    folder = resources_dir()
    if folder is not None:
        icons = folder / "icons"
        for size in ICON_SIZES:
            png = icons / f"annotator-{size}.png"
            if png.is_file():
                icon.addFile(str(png))
        svg = icons / "annotator.svg"
        if icon.isNull() and svg.is_file():
            icon.addFile(str(svg))
    return icon
