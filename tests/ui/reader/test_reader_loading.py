"""Opening a document: the index built in bulk, the offsets read as stored, the worker."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.services.api import Project
from annotator.ui.reader.loading import prepare_document, prepare_text
from annotator.ui.reader.spans import ClaimIndex, ClaimSpan, LineIndex

TEXT = "first line\nsecond line here\n\nthird 😀 line\ufdd0fourth\nfifth and last line"

spans = st.lists(
    st.tuples(st.integers(0, len(TEXT) - 1), st.integers(1, 30), st.sampled_from("abcdef")),
    max_size=25,
)


def _state(index: ClaimIndex) -> tuple[dict[str, ClaimSpan], list[list[ClaimSpan]]]:
    return dict(index.claims), [index.in_block(b) for b in range(len(index.lines))]


@settings(max_examples=200)
@given(spans, st.booleans())
def test_bulk_reset_equals_one_by_one(items: list[tuple[int, int, str]], ordered: bool) -> None:
    claims = [
        ClaimSpan(f"{cid}{n}", start, min(len(TEXT), start + length), "label")
        for n, (start, length, cid) in enumerate(items)
    ]
    if ordered:
        claims.sort(key=lambda c: (c.start, c.id))
    lines = LineIndex(TEXT)
    bulk, single = ClaimIndex(lines), ClaimIndex(lines)
    bulk.reset(claims)
    for claim in claims:
        single.upsert(claim)
    assert _state(bulk) == _state(single)
    for claim in claims[:3]:  # the bulk index stays sorted for later removals
        assert bulk.remove(claim.id) == single.remove(claim.id)
    assert _state(bulk) == _state(single)


def test_prepared_from_stored_offsets_equals_prepared_from_the_text(
    project: Project, add_text, labels
) -> None:
    doc = add_text(TEXT)
    for start, end in [(11, 17), (0, 5), (30, 45)]:
        project.create_claim(doc, start, end, labels["sourced"])
    opened = prepare_document(project, doc)
    fresh = prepare_text(TEXT, [ClaimSpan(*row) for row in project.claim_spans(doc)])
    got = opened.prepared
    assert got.text == TEXT and opened.document.id == doc
    assert got.lines.starts == fresh.lines.starts and got.lines.length == fresh.lines.length
    for offset in range(len(TEXT) + 1):
        assert got.umap.to_utf16(offset) == fresh.umap.to_utf16(offset)
    assert _state(got.claims) == _state(fresh.claims)
