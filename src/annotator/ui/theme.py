"""Colours and fonts shared by the desktop widgets.

Highlight colours are computed against the current palette, so that a claim stays readable on a
light and on a dark background: the label's colour is blended over the palette's base colour at
about a third of its strength (text keeps its own colour), nested claims are underlined in the
label's full colour, and the selected claim gets a stronger blend.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtGui import QColor, QFont, QFontDatabase, QGuiApplication, QPalette

from annotator.domain.colors import HIGHLIGHT_STRENGTH, collides
from annotator.domain.colors import RELATION_COLORS as RELATION_COLORS

# RELATION_COLORS (connectors, link lists, the link dialog) lives with the label palette in
# annotator.domain.colors: the two are chosen apart, and the label service needs both.

READING_FONT_FAMILIES: tuple[str, ...] = (
    "Source Serif 4",
    "Source Serif Pro",
    "Charter",
    "Iowan Old Style",
    "Georgia",
    "Cambria",
    "Noto Serif",
    "DejaVu Serif",
    "Liberation Serif",
)
"""Serif families good for long reading, in order of preference; else the system font."""

READING_POINT_SIZE = 11.5
LINE_SPACING = 1.38
"""Line height as a multiple of the font's own line spacing."""
MEASURE_CHARS = 86
"""Widest comfortable line, in average characters; wider panes centre the text column."""

HIGHLIGHT_ALPHA = HIGHLIGHT_STRENGTH
"""Strength of a label's colour blended over the base colour behind a claim (the domain's, so
that a new label's colour is chosen by how its highlight looks)."""
HIGHLIGHT_ALPHA_DARK = 0.42
SELECTED_ALPHA = 0.58
FIND_COLOR = "#f9a825"


def is_dark(palette: QPalette | None = None) -> bool:
    """Whether the palette draws light text on a dark base."""
    pal = palette or QGuiApplication.palette()
    return pal.color(QPalette.ColorRole.Base).lightnessF() < 0.45


def blend(color: QColor | str, under: QColor | str, alpha: float) -> QColor:
    """`color` laid over `under` with opacity `alpha`, as an opaque colour."""
    top, bottom = QColor(color), QColor(under)
    a = max(0.0, min(1.0, alpha))
    return QColor.fromRgbF(
        top.redF() * a + bottom.redF() * (1 - a),
        top.greenF() * a + bottom.greenF() * (1 - a),
        top.blueF() * a + bottom.blueF() * (1 - a),
    )


def base_color(palette: QPalette | None = None) -> QColor:
    pal = palette or QGuiApplication.palette()
    return pal.color(QPalette.ColorRole.Base)


def highlight_alpha(palette: QPalette | None = None) -> float:
    return HIGHLIGHT_ALPHA_DARK if is_dark(palette) else HIGHLIGHT_ALPHA


def claim_background(colors: Iterable[str], palette: QPalette | None = None) -> QColor:
    """Background of text covered by claims of these label colours (outermost first): each
    layer is blended over the previous one, so overlaps come out darker and mixed."""
    out = base_color(palette)
    alpha = highlight_alpha(palette)
    for color in colors:
        out = blend(color, out, alpha)
    return out


def selected_claim_background(color: str, palette: QPalette | None = None) -> QColor:
    return blend(color, base_color(palette), SELECTED_ALPHA + (0.08 if is_dark(palette) else 0))


def strong_color(color: str, palette: QPalette | None = None) -> QColor:
    """A label or relation colour for lines and underlines: lightened on dark palettes so that
    it stands out against the base colour."""
    c = QColor(color)
    if is_dark(palette):
        return blend(c, QColor("#ffffff"), 0.72)
    return c


def relation_color(relation: str, palette: QPalette | None = None) -> QColor:
    return strong_color(RELATION_COLORS.get(relation, "#607d8b"), palette)


def relation_looks_like_label(relation: str, label_colors: Iterable[str]) -> bool:
    """Whether a relation's colour could be taken for one of these label colours (a user may
    pick any colour for a label): such connectors are drawn dashed."""
    return collides(RELATION_COLORS.get(relation, "#607d8b"), label_colors)


def find_match_background(palette: QPalette | None = None) -> QColor:
    return blend(FIND_COLOR, base_color(palette), 0.45 if is_dark(palette) else 0.55)


def muted_text_color(palette: QPalette | None = None) -> QColor:
    pal = palette or QGuiApplication.palette()
    return blend(pal.color(QPalette.ColorRole.Text), pal.color(QPalette.ColorRole.Base), 0.55)


def rule_color(palette: QPalette | None = None) -> QColor:
    """Thin separators (page markers, pane borders)."""
    pal = palette or QGuiApplication.palette()
    return blend(pal.color(QPalette.ColorRole.Text), pal.color(QPalette.ColorRole.Base), 0.22)


def reading_font(point_size: float = READING_POINT_SIZE) -> QFont:
    """The reader's font: the first installed serif of READING_FONT_FAMILIES, else the
    system's general font, at a comfortable size."""
    installed = set(QFontDatabase.families())
    for family in READING_FONT_FAMILIES:
        if family in installed:
            font = QFont(family)
            break
    else:
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont)
    font.setPointSizeF(point_size)
    font.setStyleHint(QFont.StyleHint.Serif, QFont.StyleStrategy.PreferAntialias)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    return font


def small_font(base: QFont | None = None, scale: float = 0.85) -> QFont:
    font = QFont(base) if base is not None else QGuiApplication.font()
    size = font.pointSizeF()
    if size > 0:
        font.setPointSizeF(max(7.0, size * scale))
    return font
