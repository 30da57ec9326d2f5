"""Formatting spans: the index a reader and a report ask "what is formatted here", the packed
form, and a quote cut into styled pieces."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from annotator.domain.formatting import (
    FormatKind,
    FormatSpan,
    TextFormats,
    flatten,
    one_line_pieces,
    styled_pieces,
    valid_spans,
)

EM, STRONG, H1 = FormatKind.EMPHASIS, FormatKind.STRONG, FormatKind.HEADING1


def test_overlapping_finds_short_long_and_nested_spans() -> None:
    spans = [
        FormatSpan(0, 10, H1),
        FormatSpan(4, 6, EM),
        FormatSpan(20, 20 + 3 * TextFormats.LONG, STRONG),  # a long one, kept apart
        FormatSpan(30, 35, EM),
    ]
    index = TextFormats(spans)
    assert index.overlapping(5, 6) == [spans[0], spans[1]]
    assert index.overlapping(31, 32) == [spans[2], spans[3]]
    assert index.overlapping(5000, 5001) == [spans[2]]
    assert index.within(2, 8) == [FormatSpan(2, 4, EM)]  # headings are not inline
    assert index.within(2, 8, inline_only=False) == [FormatSpan(0, 6, H1), FormatSpan(2, 4, EM)]


@given(
    st.lists(
        st.tuples(st.integers(0, 300), st.integers(1, 3000), st.sampled_from(list(FormatKind)))
    )
)
def test_the_index_answers_as_a_scan_of_all_would(raw: list[tuple[int, int, FormatKind]]) -> None:
    spans = valid_spans([FormatSpan(s, s + n, k) for s, n, k in raw], 4000)
    index = TextFormats.from_flat(flatten(spans), 4000)
    assert list(index) == list(spans)
    rng = random.Random(len(spans))
    for _ in range(20):
        a = rng.randrange(0, 3500)
        b = a + rng.randrange(1, 400)
        assert index.overlapping(a, b) == [f for f in spans if f.start < b and f.end > a]


def test_a_damaged_packed_list_keeps_only_what_fits() -> None:
    values = [0, 5, 1, 3, 99, 2, 4, 6, 77, 2, 1, 1]  # out of range, unknown kind, empty
    assert list(TextFormats.from_flat(values, 10)) == [FormatSpan(0, 5, EM)]


def test_styled_pieces_cover_the_quote_once() -> None:
    text = "the Old Quay Times said"
    pieces = styled_pieces(text, [FormatSpan(4, 18, EM), FormatSpan(8, 12, STRONG)])
    assert "".join(p for p, _ in pieces) == text
    assert pieces == [
        ("the ", frozenset()),
        ("Old ", frozenset({EM})),
        ("Quay", frozenset({EM, STRONG})),
        (" Times", frozenset({EM})),
        (" said", frozenset()),
    ]


@given(
    st.text(alphabet="ab \n\t", max_size=40),
    st.lists(st.tuples(st.integers(0, 40), st.integers(1, 10)), max_size=5),
)
def test_one_line_pieces_join_to_the_one_line_quote(text: str, raw: list[tuple[int, int]]) -> None:
    spans = valid_spans([FormatSpan(s, s + n, EM) for s, n in raw], len(text))
    pieces = one_line_pieces(styled_pieces(text, spans))
    assert "".join(p for p, _ in pieces) == " ".join(text.split())
    assert all(p for p, _ in pieces)
