"""Property tests for offsets, selectors and anchoring over hard Unicode.

The texts mix astral emoji (flags and ZWJ families are several code points), combining
accents, right-to-left Hebrew and Arabic with direction marks, newlines and arbitrary
characters. Offsets are code points throughout.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.domain.anchoring import anchor
from annotator.domain.model import QUOTE_CONTEXT, QuoteSelector
from annotator.domain.text import (
    Utf16Map,
    normalize_newlines,
    occurrences,
    paragraph_spans,
    utf16_length,
)

PROPERTY = settings(max_examples=300, deadline=None)

PIECES = [
    "a",
    "b",
    "Z",
    "7",
    " ",
    " ",
    "\t",
    ".",
    "\n",
    "\n\n",
    "\n \n",
    "😀",
    "🇺🇸",  # two regional indicators
    "👨‍👩‍👧",  # man ZWJ woman ZWJ girl
    "👍🏽",  # emoji with a skin-tone modifier
    "e\u0301",  # e + combining acute
    "\u0301",  # a lone combining mark
    "ש",
    "ָׁ",  # Hebrew points (combining)
    "שלום",
    "مرحبا",
    "\u200f",  # right-to-left mark
    "\u202e",  # right-to-left override
    "\U0001d11e",  # musical symbol G clef (astral, not an emoji)
]

SENTINEL = "\u2063"  # INVISIBLE SEPARATOR: never drawn below, so it marks a unique quote

_pieces = st.sampled_from(PIECES)
_any_char = st.characters(exclude_categories=["Cs"], exclude_characters=SENTINEL)
texts = st.lists(st.one_of(_pieces, _pieces, _any_char), max_size=60).map("".join)
nonempty_texts = st.lists(st.one_of(_pieces, _pieces, _any_char), min_size=1, max_size=60).map(
    "".join
)


@st.composite
def text_and_span(draw: st.DrawFn) -> tuple[str, int, int]:
    text = draw(nonempty_texts)
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start + 1, len(text)))
    return text, start, end


@given(text_and_span())
@PROPERTY
def test_quote_selector_is_the_text_at_the_span(case: tuple[str, int, int]) -> None:
    text, start, end = case
    quote = QuoteSelector.at(text, start, end)
    assert quote.exact == text[start:end]
    assert quote.prefix == text[max(0, start - QUOTE_CONTEXT) : start]
    assert quote.suffix == text[end : end + QUOTE_CONTEXT]
    assert len(quote.prefix) <= QUOTE_CONTEXT and len(quote.suffix) <= QUOTE_CONTEXT
    assert text.find(quote.prefix + quote.exact + quote.suffix) != -1


@given(text_and_span())
@PROPERTY
def test_anchor_at_the_stored_position(case: tuple[str, int, int]) -> None:
    text, start, end = case
    quote = QuoteSelector.at(text, start, end)
    found = anchor(text, quote, start, end)
    assert found is not None
    assert (found.start, found.end, found.method) == (start, end, "position")


@given(text_and_span(), st.data())
@PROPERTY
def test_anchor_after_text_inserted_before_the_span(
    case: tuple[str, int, int], data: st.DataObject
) -> None:
    text, start, end = case
    quote = QuoteSelector.at(text, start, end)
    inserted = data.draw(nonempty_texts, label="inserted")
    at = data.draw(st.integers(0, start), label="at")
    edited = text[:at] + inserted + text[at:]
    shifted = (start + len(inserted), end + len(inserted))
    found = anchor(edited, quote, start, end)
    assert found is not None
    assert found.method in ("position", "quote")
    # Always on the same words...
    assert edited[found.start : found.end] == quote.exact
    # ...and where they are unambiguous, on the very span that moved.
    if len(occurrences(edited, quote.exact)) == 1:
        assert (found.start, found.end) == shifted


@st.composite
def marked_text_and_span(draw: st.DrawFn) -> tuple[str, int, int]:
    """A text whose span holds the one SENTINEL of the text, so its quote is unique."""
    left = draw(texts)
    right = draw(texts)
    text = left + SENTINEL + right
    marker = len(left)
    start = draw(st.integers(0, marker))
    end = draw(st.integers(marker + 1, len(text)))
    return text, start, end


@given(marked_text_and_span(), nonempty_texts, st.data())
@PROPERTY
def test_anchor_finds_the_shifted_span(
    case: tuple[str, int, int], inserted: str, data: st.DataObject
) -> None:
    text, start, end = case
    quote = QuoteSelector.at(text, start, end)
    at = data.draw(st.integers(0, start), label="at")
    edited = text[:at] + inserted + text[at:]
    found = anchor(edited, quote, start, end)
    assert found is not None
    assert (found.start, found.end) == (start + len(inserted), end + len(inserted))
    assert found.method == "quote"


@given(texts)
@PROPERTY
def test_utf16_map_round_trips(text: str) -> None:
    m = Utf16Map(text)
    total = len(text.encode("utf-16-le")) // 2
    assert m.to_utf16(len(text)) == total == utf16_length(text)
    for offset in range(len(text) + 1):
        position = m.to_utf16(offset)
        assert position == len(text[:offset].encode("utf-16-le")) // 2
        assert m.from_utf16(position) == offset
    for position in range(total + 1):
        offset = m.from_utf16(position)
        # Inside a surrogate pair rounds down to the character's start.
        assert m.to_utf16(offset) in (position, position - 1)
    assert m.is_identity == (total == len(text))


@given(texts)
@PROPERTY
def test_paragraph_spans_are_ordered_stripped_and_cover_the_words(text: str) -> None:
    spans = paragraph_spans(text)
    previous_end = 0
    for i, (start, end) in enumerate(spans):
        assert previous_end <= start < end <= len(text)
        chunk = text[start:end]
        assert chunk == chunk.strip() and chunk
        if i:
            assert re.search(r"\n[ \t]*\n", text[previous_end:start])
        previous_end = end
    covered: set[int] = set()
    for start, end in spans:
        covered.update(range(start, end))
    assert all(i in covered for i, ch in enumerate(text) if not ch.isspace())


@given(texts)
@PROPERTY
def test_normalize_newlines_leaves_only_line_feeds(text: str) -> None:
    clean = normalize_newlines(text)
    assert not any(ch in clean for ch in "\r\u2028\u2029\x85")
    assert normalize_newlines(clean) == clean
    assert clean.replace("\n", "") == re.sub(r"[\r\n\u2028\u2029\x85]", "", text)
