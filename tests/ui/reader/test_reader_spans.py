"""The reader's Qt-free claim index: blocks, segments, hit-testing, offsets."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from annotator.domain.text import Utf16Map
from annotator.ui.reader.spans import (
    ClaimIndex,
    ClaimSpan,
    FastUtf16Map,
    LineIndex,
    interpolate,
    trim_span,
)

TEXT = "first line\nsecond line here\n\nfourth"


def test_line_index_blocks() -> None:
    lines = LineIndex(TEXT)
    assert len(lines) == 4
    assert lines.block_of(0) == 0
    assert lines.block_of(10) == 0  # the line break belongs to its line
    assert lines.block_of(11) == 1
    assert lines.block_start(3) == TEXT.index("fourth")
    assert lines.block_end(1) == TEXT.index("\n\n")
    assert lines.block_end(3) == len(TEXT)
    assert list(lines.blocks_of(6, 17)) == [0, 1]
    assert list(lines.blocks_of(0, 11)) == [0]


def test_segments_nested_and_overlapping() -> None:
    index = ClaimIndex(LineIndex(TEXT))
    outer = ClaimSpan("outer", 11, 27, "a")  # "second line here"
    inner = ClaimSpan("inner", 18, 22, "b")  # "line"
    cross = ClaimSpan("cross", 20, 33, "c")  # crosses into later blocks
    index.reset([outer, inner, cross])
    segs = index.segments(1)
    assert [(s.start, s.end) for s in segs] == [(11, 18), (18, 20), (20, 22), (22, 27)]
    assert [c.id for c in segs[1].claims] == ["outer", "inner"]
    assert [c.id for c in segs[2].claims] == ["outer", "cross", "inner"]
    assert [c.id for c in index.at(21)] == ["inner", "cross", "outer"]
    assert index.at(5) == []
    assert [s.claims[0].id for s in index.segments(3)] == ["cross"]
    assert index.segments(2) == []  # the empty line has no text to colour


def test_upsert_and_remove_report_touched_blocks() -> None:
    index = ClaimIndex(LineIndex(TEXT))
    assert index.upsert(ClaimSpan("x", 0, 5, "a")) == {0}
    assert index.upsert(ClaimSpan("x", 12, 33, "a")) == {0, 1, 2, 3}
    assert [c.id for c in index.in_block(3)] == ["x"]
    assert index.remove("x") == {1, 2, 3}
    assert len(index) == 0
    assert not index.has_claims(1)
    assert index.remove("x") == set()


def test_overlapping_and_in_range() -> None:
    index = ClaimIndex(LineIndex(TEXT))
    index.reset(
        [ClaimSpan("a", 0, 5, "l"), ClaimSpan("b", 3, 14, "l"), ClaimSpan("c", 30, 36, "l")]
    )
    assert [c.id for c in index.overlapping(4, 12)] == ["a", "b"]
    assert [c.id for c in index.in_range(0, 20)] == ["a", "b"]


def test_trim_span() -> None:
    assert trim_span("  a b  ", 0, 7) == (2, 5)
    assert trim_span(" \n ", 0, 3) is None
    assert trim_span("abc", 1, 2) == (1, 2)


def test_interpolate() -> None:
    anchors = [(100, 1000), (200, 3000)]
    assert interpolate(anchors, 150) == 2000
    assert interpolate(anchors, 50) == 950
    assert interpolate(anchors, 250) == 3050
    assert interpolate([], 10) is None


@given(st.text(alphabet=st.sampled_from(["a", "é", "😀", "\n", "𝔘", "ש"]), max_size=60))
def test_fast_utf16_map_matches_domain_map(text: str) -> None:
    fast, slow = FastUtf16Map(text), Utf16Map(text)
    total = len(text.encode("utf-16-le")) // 2
    for offset in range(len(text) + 1):
        assert fast.to_utf16(offset) == slow.to_utf16(offset)
    for position in range(total + 1):
        assert fast.from_utf16(position) == slow.from_utf16(position)
    assert fast.is_identity == slow.is_identity


@given(st.text(alphabet=st.sampled_from(["a", "\n", "\r", "\u2029", "\u2028", "😀"]), max_size=40))
def test_line_index_matches_qt_block_separators(text: str) -> None:
    import re

    expected = [0, *(m.end() for m in re.finditer("[\n\r\u2029\ufdd0\ufdd1]", text))]
    assert LineIndex(text).starts == expected
