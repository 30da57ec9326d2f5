"""The search panel's facet chips: the HTML of the label, document and tag toggles."""

from __future__ import annotations

import html

from annotator.domain.titles import short_titles
from annotator.search.results import FacetValue, SearchResults

FACETS = (("label", "Labels"), ("document", "Documents"), ("tag", "Tags"))
CHIPS_PER_FACET = 12
CHIP_CHARS = 28
"""A chip's label longer than this is cut with an ellipsis (the full text is in its tooltip)."""


def facets_html(res: SearchResults | None, filters: dict[str, set[str]]) -> str:
    """One line per facet with results: its title, then a chip per value (an active filter
    with no results left still shows, so that it can be switched off). Document chips show
    short titles that tell the documents apart; the full title is the chip's tooltip."""
    if res is None:
        return ""
    rows = []
    for key, title in FACETS:
        values = list(res.facets.get(key, []))
        active = filters.get(key, set())
        known = {v.value for v in values}
        shown = values[:CHIPS_PER_FACET]
        texts = chip_texts(key, shown)
        chips = [
            chip(key, v.value, v.label, v.count, v.value in active, text=text)
            for v, text in zip(shown, texts, strict=True)
        ]
        chips += [chip(key, value, value[:8], 0, True) for value in sorted(active - known)]
        if chips:
            rows.append(f'<span style="color:gray">{title}:</span> ' + " ".join(chips))
    return "<br>".join(rows)


def chip_texts(key: str, values: list[FacetValue]) -> list[str]:
    """The text each chip of a facet shows: for documents the short titles that still tell
    them apart (two that begin "Tidewater Workers…" differ in what follows); for labels
    and tags the value itself, cut at `CHIP_CHARS`."""
    if key == "document":
        return short_titles([v.label for v in values], CHIP_CHARS)
    return [_cut(v.label) for v in values]


def _cut(label: str) -> str:
    return label if len(label) <= CHIP_CHARS else label[: CHIP_CHARS - 1].rstrip() + "…"


def chip(key: str, value: str, label: str, count: int, on: bool, text: str | None = None) -> str:
    """A link `key:value` showing `text` (by default `label`, cut) and `count`, ticked and
    shaded when `on`; its `title` is the full label."""
    short = _cut(label) if text is None else text
    shown = f"{html.escape(short)}&nbsp;<small>{count}</small>"
    if on:
        shown = f"✓&nbsp;<b>{shown}</b>"
    style = "text-decoration:none;" + ("background-color:#d6e4f7;" if on else "")
    href = chip_href(key, value)
    title = html.escape(label, quote=True)
    return f'<a href="{href}" title="{title}" style="{style}">&nbsp;{shown}&nbsp;</a>'


def chip_href(key: str, value: str) -> str:
    """The link of the chip of `value` in facet `key`."""
    return f"{key}:{html.escape(value, quote=True)}"


def chip_tooltip(res: SearchResults | None, href: str) -> str:
    """The full text of the chip a link points at (its document's whole title, its label or
    tag), or "" when the link is no chip of these results."""
    if res is None or not href:
        return ""
    key, value = parse_chip_link(href)
    for v in res.facets.get(key, []):
        if v.value == value:
            return v.label
    return ""


def parse_chip_link(href: str) -> tuple[str, str]:
    """(facet key, value) of a chip's link."""
    key, _, value = href.partition(":")
    return key, html.unescape(value)
