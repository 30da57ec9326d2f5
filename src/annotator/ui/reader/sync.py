"""Synchronised scrolling: one pane follows another through the links between their claims."""

from __future__ import annotations

from collections.abc import Sequence

from annotator.domain.model import Link
from annotator.ui.reader.layout import VISIBLE
from annotator.ui.reader.spans import interpolate
from annotator.ui.reader.view import ReaderView


def align_views(src: ReaderView, dst: ReaderView, pairs: Sequence[tuple[Link, str, str]]) -> None:
    """Scroll `dst` after `src` moved. `pairs` are (link, claim in src, claim in dst).

    The linked claim in view nearest the middle of `src` is put level with its partner; when
    no linked claim is in view, the middle of `src` is mapped through the linked pairs
    (interpolating between them); without links, both scroll proportionally."""
    height = src.viewport().height()
    if pairs:
        positions = src.claim_positions([s for _, s, _ in pairs])
        visible = [
            (abs(positions[s][0] - height / 2), positions[s][0], d)
            for _, s, d in pairs
            if positions[s][1] == VISIBLE
        ]
        if visible:
            _, y, partner = min(visible)
            dst.scroll_to_offset(dst.claims.claims[partner].start, y)
            return
        anchors = sorted(
            (src.claims.claims[s].start, dst.claims.claims[d].start) for _, s, d in pairs
        )
        first, last = src.visible_range()
        target = interpolate(anchors, (first + last) // 2)
        if target is not None:
            dst.scroll_to_offset(min(target, len(dst.text)), dst.viewport().height() / 2)
            return
    sbar, dbar = src.verticalScrollBar(), dst.verticalScrollBar()
    ratio = sbar.value() / sbar.maximum() if sbar.maximum() else 0.0
    dbar.setValue(round(ratio * dbar.maximum()))
