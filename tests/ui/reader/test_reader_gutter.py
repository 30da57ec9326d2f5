"""The link gutter finds the connectors of the claims in view through the links indexed by
claim: the same connectors as walking every link, and nothing repainted for a claim without
links."""

from __future__ import annotations

import contextlib
import random

from reader_helpers import long_text

from annotator.domain.errors import AnnotatorError
from annotator.ui.reader.view import VISIBLE


def _brute_force(area, gutter) -> list[str]:  # type: ignore[no-untyped-def]
    """The connectors' links found the slow way: every link joining the two views."""
    left, right = gutter.panes()
    lv, rv = left.view, right.view
    lvis, rvis = lv.visible_map(), rv.visible_map()
    (llo, lhi), (rlo, rhi) = lv.visible_span(lvis), rv.visible_span(rvis)
    pairs = [
        (link, lc, rc)
        for link, lc, rc in area.links_between(lv, rv)
        if llo <= lv.claims.get(lc).start < lhi
        or rlo <= rv.claims.get(rc).start < rhi
        or link.id == gutter.selected_link
    ]
    lpos = lv.claim_positions([lc for _, lc, _ in pairs], lvis)
    rpos = rv.claim_positions([rc for _, _, rc in pairs], rvis)
    return [
        link.id
        for link, lc, rc in pairs
        if lpos[lc][1] == VISIBLE or rpos[rc][1] == VISIBLE or link.id == gutter.selected_link
    ]


def test_connectors_equal_walking_every_link(area, project, add_text, labels) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(3)
    texts = [long_text(120), long_text(80)]
    docs = [add_text(t, title=f"Source {i}") for i, t in enumerate(texts)]
    claims: list[list[str]] = [[], []]
    for side, text in enumerate(texts):
        for _ in range(90):
            start = rng.randrange(0, len(text) - 40)
            end = start + rng.randrange(5, 40)
            label = rng.choice(list(labels.values()))
            claims[side].append(project.create_claim(docs[side], start, end, label).created_id)
    for _ in range(150):
        a, b = rng.choice(claims[0]), rng.choice(claims[1])
        if rng.random() < 0.3:
            a, b = b, a  # links go both ways
        relation = rng.choice(["corroborates", "contradicts", "repeats"])
        with contextlib.suppress(AnnotatorError):  # the same link twice is refused
            project.create_link(a, b, relation)
    area.open_document(docs[0], 0)
    area.open_document(docs[1], 1)
    gutter = area.gutter(0)
    seen = 0
    for step in range(12):
        for pane in (0, 1):
            bar = area.pane(pane).view.verticalScrollBar()
            bar.setValue(rng.randrange(0, bar.maximum() + 1))
        if step == 6:  # a selected link is drawn wherever its claims are
            gutter.selected_link = area.links()[0].id
        for pane in (0, 1):  # lay out what came into view (it may move lines) first
            area.pane(pane).view.prepare_visible()
        connectors = [c.link_id for c in gutter.connectors()]
        assert connectors == _brute_force(area, gutter)
        seen += len(connectors)
    assert seen > 10  # the comparison compared something


def test_a_claim_without_links_does_not_repaint_the_gutter(area, project, add_text, labels) -> None:  # type: ignore[no-untyped-def]
    text = long_text(40)
    left, right = add_text(text), add_text(text)
    a = project.create_claim(left, 0, 10, labels["sourced"]).created_id
    b = project.create_claim(right, 0, 10, labels["sourced"]).created_id
    area.apply_changes(project.create_link(a, b, "repeats"))
    area.open_document(left, 0)
    area.open_document(right, 1)
    gutter = area.gutter(0)
    assert len(gutter.connectors()) == 1
    updates: list[int] = []
    gutter.update = lambda *args: updates.append(1)  # type: ignore[method-assign]
    area.apply_changes(project.create_claim(left, 20, 30, labels["disputed"]))
    assert updates == []
    area.apply_changes(project.update_claim(a, note="a linked claim changed"))
    assert updates == [1]
