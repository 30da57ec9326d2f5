"""The search panel's facet chips: the HTML of the label, document and tag toggles."""

from __future__ import annotations

import html

from annotator.search.results import SearchResults

FACETS = (("label", "Labels"), ("document", "Documents"), ("tag", "Tags"))
CHIPS_PER_FACET = 12
CHIP_CHARS = 28
"""A chip's label longer than this is cut with an ellipsis (the full text is in its tooltip)."""


def facets_html(res: SearchResults | None, filters: dict[str, set[str]]) -> str:
    """One line per facet with results: its title, then a chip per value (an active filter
    with no results left still shows, so that it can be switched off)."""
    if res is None:
        return ""
    rows = []
    for key, title in FACETS:
        values = list(res.facets.get(key, []))
        active = filters.get(key, set())
        known = {v.value for v in values}
        shown = values[:CHIPS_PER_FACET]
        chips = [chip(key, v.value, v.label, v.count, v.value in active) for v in shown]
        chips += [chip(key, value, value[:8], 0, True) for value in sorted(active - known)]
        if chips:
            rows.append(f'<span style="color:gray">{title}:</span> ' + " ".join(chips))
    return "<br>".join(rows)


def chip(key: str, value: str, label: str, count: int, on: bool) -> str:
    """A link `key:value` showing `label` and `count`, ticked and shaded when `on`."""
    short = label if len(label) <= CHIP_CHARS else label[: CHIP_CHARS - 1].rstrip() + "…"
    text = f"{html.escape(short)}&nbsp;<small>{count}</small>"
    if on:
        text = f"✓&nbsp;<b>{text}</b>"
    style = "text-decoration:none;" + ("background-color:#d6e4f7;" if on else "")
    href = f"{key}:{html.escape(value, quote=True)}"
    title = html.escape(label, quote=True)
    return f'<a href="{href}" title="{title}" style="{style}">&nbsp;{text}&nbsp;</a>'


def parse_chip_link(href: str) -> tuple[str, str]:
    """(facet key, value) of a chip's link."""
    key, _, value = href.partition(":")
    return key, html.unescape(value)
