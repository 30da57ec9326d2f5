"""Synchronised scrolling: one pane follows another through the links between their claims."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from typing import Any

from annotator.domain.model import Link
from annotator.ui.reader.layout import VISIBLE
from annotator.ui.reader.spans import interpolate
from annotator.ui.reader.view import ReaderView

_CACHE: dict[tuple[int, int], tuple[Any, list[tuple[int, int]], list[tuple[int, int]]]] = {}
"""(src view, dst view) -> (the pairs list, its indices sorted by source claim start, the
(source start, target start) anchors, sorted). `PaneArea.links_between` hands out the same
list until links or claims change, so sorting happens once, not on every scroll step: with
thousands of links, sorting them on each step cost more than a frame."""


def _prepared(
    src: ReaderView, dst: ReaderView, pairs: Sequence[tuple[Link, str, str]]
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    key = (id(src), id(dst))
    cached = _CACHE.get(key)
    if cached is not None and cached[0] is pairs:
        return cached[1], cached[2]
    srcs, dsts = src.claims.claims, dst.claims.claims
    by_start = sorted((srcs[s].start, i) for i, (_, s, _) in enumerate(pairs))
    anchors = sorted((srcs[s].start, dsts[d].start) for _, s, d in pairs)
    if len(_CACHE) > 16:  # views come and go: keep a few
        _CACHE.clear()
    _CACHE[key] = (pairs, by_start, anchors)
    return by_start, anchors


def align_views(src: ReaderView, dst: ReaderView, pairs: Sequence[tuple[Link, str, str]]) -> None:
    """Scroll `dst` after `src` moved. `pairs` are (link, claim in src, claim in dst).

    The linked claim in view nearest the middle of `src` is put level with its partner; when
    no linked claim is in view, the middle of `src` is mapped through the linked pairs
    (interpolating between them); without links, both scroll proportionally."""
    height = src.viewport().height()
    if pairs:
        by_start, anchors = _prepared(src, dst, pairs)
        # Only the linked claims starting in view can be the nearest one in view.
        visible = src.visible_map()
        lo, hi = src.visible_span(visible)
        chosen = by_start[bisect_left(by_start, (lo, -1)) : bisect_left(by_start, (hi, -1))]
        near = [pairs[i] for _, i in chosen]
        positions = src.claim_positions([s for _, s, _ in near], visible)
        in_view = [
            (abs(positions[s][0] - height / 2), positions[s][0], d)
            for _, s, d in near
            if positions[s][1] == VISIBLE
        ]
        if in_view:
            _, y, partner = min(in_view)
            dst.scroll_to_offset(dst.claims.claims[partner].start, y)
            return
        first, last = src.visible_range()
        target = interpolate(anchors, (first + last) // 2)
        if target is not None:
            dst.scroll_to_offset(min(target, len(dst.text)), dst.viewport().height() / 2)
            return
    sbar, dbar = src.verticalScrollBar(), dst.verticalScrollBar()
    ratio = sbar.value() / sbar.maximum() if sbar.maximum() else 0.0
    dbar.setValue(round(ratio * dbar.maximum()))
