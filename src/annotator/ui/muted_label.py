"""A label for secondary facts and hints, drawn in the palette's muted text colour.

A disabled label is not a muted one: the light Fusion palette draws disabled text #bebebe on
#efefef, a contrast of about 1.6:1 that a reader cannot make out. The muted colour here (the
text colour blended over the base) is quieter than the text and still meets WCAG AA (4.5:1)
on the light and the dark palette; it follows the palette when the colour scheme changes.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QLabel, QWidget

from annotator.ui import theme

STRENGTH = 0.62
"""Share of the text colour in the blend: 5.4:1 on the light palette's window, 4.6:1 on the
dark one (0.55, `theme.muted_text_color`, gives 4.1 and 3.9, under AA)."""


def muted_label_color(palette: QPalette) -> QColor:
    """The colour of a MutedLabel's text under `palette`."""
    return theme.blend(
        palette.color(QPalette.ColorRole.Text), palette.color(QPalette.ColorRole.Base), STRENGTH
    )


class MutedLabel(QLabel):
    """A QLabel whose text is in the muted colour of its palette."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self._restyle()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._restyle()

    def _restyle(self) -> None:
        pal = self.palette()
        muted = muted_label_color(pal)
        if pal.color(QPalette.ColorRole.WindowText) != muted:  # (setting it changes the palette)
            pal.setColor(QPalette.ColorRole.WindowText, muted)
            self.setPalette(pal)
