"""Canonical text: line endings, paragraphs, UTF-16 positions, occurrences, context."""

from __future__ import annotations

import pytest

from annotator.domain.text import (
    Utf16Map,
    astral_positions,
    block_starts,
    context_around,
    line_and_column,
    normalize_newlines,
    occurrences,
    offsets_in,
    paragraph_spans,
    utf16_length,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a\r\nb", "a\nb"),
        ("a\rb", "a\nb"),
        ("a\u2028b", "a\nb"),
        ("a\u2029b", "a\nb"),
        ("a\x85b", "a\nb"),
        ("a\r\n\r\nb", "a\n\nb"),
        ("a\n\rb", "a\n\nb"),  # LF CR is two breaks, not one
        ("a\r\r\nb", "a\n\nb"),
        ("\r\n", "\n"),
        ("no breaks", "no breaks"),
        (
            "mixed\r\none\rtwo\nthree\u2028four\u2029five\x85six",
            "mixed\none\ntwo\nthree\nfour\nfive\nsix",
        ),
    ],
)
def test_normalize_newlines(raw: str, expected: str) -> None:
    assert normalize_newlines(raw) == expected


def test_normalize_newlines_keeps_other_characters() -> None:
    text = "😀 é שלום\tتمام\x0b\x0c"
    assert normalize_newlines(text) == text


def test_paragraph_spans() -> None:
    text = "  First para\nstill first.  \n\n\nSecond.\n \t\nThird\n"
    spans = paragraph_spans(text)
    assert [text[s:e] for s, e in spans] == ["First para\nstill first.", "Second.", "Third"]


@pytest.mark.parametrize("text", ["", "   ", "\n\n\n", " \n \n "])
def test_paragraph_spans_of_blank_text(text: str) -> None:
    assert paragraph_spans(text) == ()


def test_paragraph_spans_single() -> None:
    assert paragraph_spans("one") == ((0, 3),)


def test_utf16_map_with_astral_characters() -> None:
    text = "a😀b🇺🇸c"
    m = Utf16Map(text)
    assert not m.is_identity
    assert [m.to_utf16(i) for i in range(len(text) + 1)] == [0, 1, 3, 4, 6, 8, 9]
    assert [m.from_utf16(p) for p in (0, 1, 3, 4, 6, 8, 9)] == list(range(len(text) + 1))
    # A position inside a surrogate pair rounds down to the character's start.
    assert m.from_utf16(2) == 1
    assert m.from_utf16(5) == 3
    assert m.from_utf16(7) == 4
    assert m.to_utf16(len(text)) == len(text.encode("utf-16-le")) // 2 == utf16_length(text)


def test_utf16_map_identity_for_bmp_text() -> None:
    text = "é שלום تمام"
    m = Utf16Map(text)
    assert m.is_identity
    assert all(m.to_utf16(i) == i == m.from_utf16(i) for i in range(len(text) + 1))
    assert m.length == len(text)


def test_utf16_map_of_empty_text() -> None:
    m = Utf16Map("")
    assert m.to_utf16(0) == 0 == m.from_utf16(0)


def test_occurrences() -> None:
    assert occurrences("abcabcab", "ab") == [0, 3, 6]
    assert occurrences("aaaa", "aa") == [0, 1, 2]  # overlapping
    assert occurrences("abc", "x") == []
    assert occurrences("abc", "") == []
    assert occurrences("", "a") == []
    assert occurrences("😀x😀x", "😀x") == [0, 2]  # code points


def test_context_around() -> None:
    text = "one two three four five six seven EXACT eight nine ten eleven twelve thirteen fourteen"
    start = text.index("EXACT")
    before, after = context_around(text, start, start + 5)
    assert before == "two three four five six seven"
    assert after == "eight nine ten eleven twelve thirteen"
    assert context_around(text, start, start + 5, words=2) == ("six seven", "eight nine")
    assert context_around("EXACT", 0, 5) == ("", "")
    assert context_around("a\nb EXACT c\n\nd", 4, 9) == ("a b", "c d")


def test_line_and_column() -> None:
    text = "ab\ncd\n\nef"
    assert line_and_column(text, 0) == (1, 1)
    assert line_and_column(text, 4) == (2, 2)
    assert line_and_column(text, 7) == (4, 1)


def test_offsets_in() -> None:
    spans = ((0, 5), (10, 20), (20, 22))
    assert offsets_in(spans, 0) == 0
    assert offsets_in(spans, 4) == 0
    assert offsets_in(spans, 5) is None
    assert offsets_in(spans, 10) == 1
    assert offsets_in(spans, 20) == 2
    assert offsets_in(spans, 22) is None
    assert offsets_in((), 3) is None


def test_block_starts_follow_qt_block_separators() -> None:
    assert block_starts("") == [0]
    assert block_starts("ab\ncd\n") == [0, 3, 6]
    # U+2028 stays inside a block (normalised away on import anyway); the rest each end one.
    assert block_starts("a\u2028b\rc\u2029d\ufdd0e\ufdd1f\ng") == [0, 4, 6, 8, 10, 12]


def test_astral_positions_and_a_map_built_from_them() -> None:
    text = "a😀b𝔘\n😀"
    assert astral_positions(text) == [1, 3, 5]
    assert astral_positions("plain ascii") == [] and astral_positions("é ש") == []
    stored = Utf16Map.from_positions(astral_positions(text), len(text))
    scanned = Utf16Map(text)
    units = len(text.encode("utf-16-le")) // 2
    assert [stored.to_utf16(i) for i in range(len(text) + 1)] == [
        scanned.to_utf16(i) for i in range(len(text) + 1)
    ]
    assert [stored.from_utf16(u) for u in range(units + 1)] == [
        scanned.from_utf16(u) for u in range(units + 1)
    ]
