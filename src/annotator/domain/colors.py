"""Colour distance in a perceptual sense (CIEDE2000 over CIELAB), and the choice of a colour
far from the colours already in use: for new labels, so that labels and link relations never
look alike."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

RELATION_COLORS: dict[str, str] = {
    "corroborates": "#0097a7",
    "contradicts": "#7b1fa2",
    "repeats": "#212121",
    "cites": "#1565c0",
}
"""Colour of each link relation: cool hues and near-black, chosen far (CIEDE2000 over 30) from
the default labels' green, orange and red and from each other (over 25)."""

LABEL_PALETTE: tuple[str, ...] = (
    "#2e7d32",
    "#ef6c00",
    "#c62828",
    "#c0ca33",
    "#f06292",
    "#a1887f",
    "#ffb300",
    "#827717",
    "#795548",
    "#4caf50",
    "#d81b60",
    "#9e9d24",
    "#e57373",
    "#e64a19",
)
"""Colours offered to new labels (the built-in labels' first): warm, earthy and green hues of
middle lightness (a highlight blends them at a third of their strength), each over 25 away
from every relation's colour; in the order a greedy farthest-first pass gave."""

DISTINCT = 20.0
"""CIEDE2000 difference below which two colours are taken for one another at a glance (about
the difference between two shades of one hue)."""


def hex_to_rgb(color: str) -> tuple[float, float, float]:
    """`#rrggbb` as three floats in [0, 1]."""
    value = color.strip().lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    if len(value) != 6:
        raise ValueError(f"Not a colour: {color!r}.")
    n = int(value, 16)
    return ((n >> 16) & 255) / 255, ((n >> 8) & 255) / 255, (n & 255) / 255


def _linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def to_lab(color: str) -> tuple[float, float, float]:
    """CIELAB (D65) of an sRGB colour."""
    r, g, b = (_linear(c) for c in hex_to_rgb(color))
    x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047
    y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b
    z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def delta_e(a: str, b: str) -> float:
    """CIEDE2000 colour difference between two `#rrggbb` colours (0: the same; about 2: just
    noticeable; 20 and more: clearly different colours)."""
    return delta_e_lab(to_lab(a), to_lab(b))


def delta_e_lab(lab1: tuple[float, float, float], lab2: tuple[float, float, float]) -> float:
    """CIEDE2000 difference between two CIELAB colours."""
    l1, a1, b1 = lab1
    l2, a2, b2 = lab2
    c1, c2 = math.hypot(a1, b1), math.hypot(a2, b2)
    cm = (c1 + c2) / 2
    g = 0.5 * (1 - math.sqrt(cm**7 / (cm**7 + 25**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360
    h2p = math.degrees(math.atan2(b2, a2p)) % 360
    dl = l2 - l1
    dc = c2p - c1p
    if c1p * c2p == 0:
        dh = 0.0
    elif abs(h2p - h1p) <= 180:
        dh = h2p - h1p
    elif h2p - h1p > 180:
        dh = h2p - h1p - 360
    else:
        dh = h2p - h1p + 360
    dhh = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))
    lm = (l1 + l2) / 2
    cmp_ = (c1p + c2p) / 2
    if c1p * c2p == 0:
        hm = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        hm = (h1p + h2p) / 2
    elif h1p + h2p < 360:
        hm = (h1p + h2p + 360) / 2
    else:
        hm = (h1p + h2p - 360) / 2
    t = (
        1
        - 0.17 * math.cos(math.radians(hm - 30))
        + 0.24 * math.cos(math.radians(2 * hm))
        + 0.32 * math.cos(math.radians(3 * hm + 6))
        - 0.20 * math.cos(math.radians(4 * hm - 63))
    )
    d_theta = 30 * math.exp(-(((hm - 275) / 25) ** 2))
    rc = 2 * math.sqrt(cmp_**7 / (cmp_**7 + 25**7))
    sl = 1 + 0.015 * (lm - 50) ** 2 / math.sqrt(20 + (lm - 50) ** 2)
    sc = 1 + 0.045 * cmp_
    sh = 1 + 0.015 * cmp_ * t
    rt = -math.sin(math.radians(2 * d_theta)) * rc
    return math.sqrt(
        (dl / sl) ** 2 + (dc / sc) ** 2 + (dhh / sh) ** 2 + rt * (dc / sc) * (dhh / sh)
    )


def nearest_distance(color: str, others: Iterable[str]) -> float:
    """The difference between `color` and the nearest of `others` (infinity without any)."""
    return min((delta_e(color, o) for o in others), default=math.inf)


def farthest_color(candidates: Sequence[str], in_use: Iterable[str]) -> str:
    """The candidate whose nearest colour in use is farthest from it (the first candidate
    wins a tie, so the palette's order is kept while colours are free)."""
    if not candidates:
        raise ValueError("No candidate colours.")
    used = [c for c in in_use if c]
    best, best_distance = candidates[0], -1.0
    for candidate in candidates:
        distance = nearest_distance(candidate, used)
        if distance > best_distance + 1e-9:
            best, best_distance = candidate, distance
        if math.isinf(distance):
            break
    return best


HIGHLIGHT_STRENGTH = 0.32
"""How strongly a label's colour is laid over the (white) page behind a claim in the reader."""


def tint(color: str, strength: float = HIGHLIGHT_STRENGTH) -> str:
    """`color` laid over white at `strength`: how a claim's highlight looks on a light page."""
    r, g, b = hex_to_rgb(color)
    return "#" + "".join(f"{round(255 * (c * strength + 1 - strength)):02x}" for c in (r, g, b))


def new_label_color(label_colors: Iterable[str]) -> str:
    """The palette colour farthest from the labels' colours and the relations' colours, and
    whose highlight is farthest from the labels' highlights: at a third of their strength two
    colours come closer (the palette's pink beside the built-in red is 25 apart, their
    highlights 7), and a claim is mostly seen as its highlight. The first candidate wins a tie."""
    labels = [c for c in label_colors if c]
    in_use = [*labels, *RELATION_COLORS.values()]
    highlights = [tint(c) for c in labels]
    best, best_distance = LABEL_PALETTE[0], -1.0
    for candidate in LABEL_PALETTE:
        distance = min(
            nearest_distance(candidate, in_use), nearest_distance(tint(candidate), highlights)
        )
        if distance > best_distance + 1e-9:
            best, best_distance = candidate, distance
        if math.isinf(distance):
            break
    return best


def collides(color: str, others: Iterable[str], threshold: float = DISTINCT) -> bool:
    """Whether `color` could be taken for one of `others` at a glance."""
    return nearest_distance(color, others) < threshold


__all__ = [
    "DISTINCT",
    "HIGHLIGHT_STRENGTH",
    "LABEL_PALETTE",
    "RELATION_COLORS",
    "collides",
    "delta_e",
    "delta_e_lab",
    "farthest_color",
    "hex_to_rgb",
    "nearest_distance",
    "new_label_color",
    "tint",
    "to_lab",
]
