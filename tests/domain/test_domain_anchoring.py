"""Re-attaching a claim to a text by its position and quote selectors."""

from __future__ import annotations

import pytest

from annotator.domain.anchoring import FUZZY_THRESHOLD, anchor
from annotator.domain.model import QuoteSelector

TEXT = (
    "The commission met in Brussels on Monday. According to the minutes, the minister said "
    "the treaty was signed in 1997 after long talks. Critics replied that the treaty was "
    "never ratified by parliament. Later the spokesman repeated that the treaty was signed "
    "in 1997, which no archive confirms."
)


def _span(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def test_anchor_by_position() -> None:
    start, end = _span(TEXT, "the treaty was signed in 1997")
    quote = QuoteSelector.at(TEXT, start, end)
    found = anchor(TEXT, quote, start, end)
    assert found is not None
    assert (found.start, found.end, found.method, found.score) == (start, end, "position", 1.0)


def test_anchor_moved_text_found_by_quote() -> None:
    start, end = _span(TEXT, "never ratified by parliament")
    quote = QuoteSelector.at(TEXT, start, end)
    edited = "EDITOR'S NOTE: this report was updated.\n\n" + TEXT
    found = anchor(edited, quote, start, end)
    assert found is not None
    assert found.method == "quote"
    assert edited[found.start : found.end] == quote.exact
    assert found.start == start + len("EDITOR'S NOTE: this report was updated.\n\n")


def test_anchor_context_chooses_the_right_occurrence() -> None:
    # "the treaty was signed in 1997" occurs twice; the claim is the second (the spokesman's).
    start, end = _span(TEXT, "the treaty was signed in 1997", nth=1)
    quote = QuoteSelector.at(TEXT, start, end)
    # The text moves: something is inserted at the top, so the stored position is stale, and
    # the stale position lies nearer the first occurrence than the second.
    edited = "Summary. " * 3 + TEXT
    shift = len("Summary. " * 3)
    found = anchor(edited, quote, start, end)
    assert found is not None
    assert found.method == "quote"
    assert (found.start, found.end) == (start + shift, end + shift)
    # The first occurrence, anchored the same way, stays the first.
    s1, e1 = _span(TEXT, "the treaty was signed in 1997", nth=0)
    first = anchor(edited, QuoteSelector.at(TEXT, s1, e1), s1, e1)
    assert first is not None
    assert (first.start, first.end) == (s1 + shift, e1 + shift)


def test_anchor_context_beats_closeness_to_the_old_position() -> None:
    start, end = _span(TEXT, "the treaty was signed in 1997", nth=1)
    quote = QuoteSelector.at(TEXT, start, end)
    s1, _ = _span(TEXT, "the treaty was signed in 1997", nth=0)
    # Filler between the two occurrences moves the second one far away: the stale position
    # is now nearer the first occurrence, but only the second has the stored context.
    filler = "(Footnote text, moved here by a later edit.) " * 8
    cut = TEXT.index("Later the spokesman")
    edited = TEXT[:cut] + filler + TEXT[cut:]
    assert abs(start - s1) < len(filler)
    found = anchor(edited, quote, start, end)
    assert found is not None
    assert found.method == "quote"
    assert (found.start, found.end) == (start + len(filler), end + len(filler))


def test_anchor_without_a_position_uses_context() -> None:
    start, end = _span(TEXT, "the treaty was signed in 1997", nth=1)
    quote = QuoteSelector.at(TEXT, start, end)
    found = anchor(TEXT, quote)
    assert found is not None
    assert (found.start, found.end) == (start, end)


CLAIM = "the minister said the treaty was signed in 1997 after long talks"


@pytest.mark.parametrize(
    "edited_claim",
    [
        "the minister said that the treaty was signed in 1998 after lengthy talks",  # grew
        "the minister said the treaty was signed in 1998 after talks",  # shrank
        "the Minister told that the treaty got signed in 1997 after long talks",  # reworded
    ],
)
def test_anchor_edited_text_found_fuzzily(edited_claim: str) -> None:
    start, end = _span(TEXT, CLAIM)
    quote = QuoteSelector.at(TEXT, start, end)
    edited = TEXT.replace(CLAIM, edited_claim)
    found = anchor(edited, quote, start, end)
    assert found is not None
    assert found.method == "fuzzy"
    assert FUZZY_THRESHOLD <= found.score <= 1
    # The whole edited claim, no word cut off at either end.
    assert edited[found.start : found.end] == edited_claim


def test_anchor_fuzzily_in_a_moved_and_edited_text() -> None:
    start, end = _span(TEXT, CLAIM)
    quote = QuoteSelector.at(TEXT, start, end)
    edited_claim = CLAIM.replace("signed", "sealed")
    edited = "A new first paragraph.\n\n" * 5 + TEXT.replace(CLAIM, edited_claim)
    found = anchor(edited, quote, start, end)
    assert found is not None and found.method == "fuzzy"
    assert edited[found.start : found.end] == edited_claim


def test_anchor_unrelated_text_is_an_orphan() -> None:
    start, end = _span(TEXT, "never ratified by parliament")
    quote = QuoteSelector.at(TEXT, start, end)
    unrelated = "Recipe: mix flour, water and salt; knead for ten minutes, then bake at 220 °C."
    assert anchor(unrelated, quote, start, end) is None
    assert anchor("", quote, start, end) is None


def test_anchor_of_an_empty_quote_is_none() -> None:
    assert anchor(TEXT, QuoteSelector(""), 0, 0) is None


def test_anchor_stale_position_outside_the_text() -> None:
    start, end = _span(TEXT, "no archive confirms")
    quote = QuoteSelector.at(TEXT, start, end)
    shorter = TEXT[start - 40 :]
    found = anchor(shorter, quote, start, end)
    assert found is not None
    assert shorter[found.start : found.end] == quote.exact
