"""Re-attach a claim to a text by its selectors, as Hypothesis does.

Try the stored position and accept it if the text there equals the quote; else every exact
occurrence of the quote, scored by context; else a fuzzy match. Below the threshold the claim
is an orphan: reported for review, never dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass

from annotator.domain.model import QuoteSelector
from annotator.domain.text import occurrences

FUZZY_THRESHOLD = 0.75
"""Minimum score (0..1) of a fuzzy anchor; below it the claim is an orphan."""


@dataclass(frozen=True)
class Anchor:
    start: int
    end: int
    method: str  # "position", "quote", "fuzzy"
    score: float


def _similarity(a: str, b: str) -> float:
    if not a and not b:
        return 1.0
    from rapidfuzz.distance import Indel

    return float(Indel.normalized_similarity(a, b))


def _score(text: str, quote: QuoteSelector, start: int, end: int, hint: int | None) -> float:
    prefix = text[max(0, start - len(quote.prefix)) : start]
    suffix = text[end : end + len(quote.suffix)]
    score = 50 * _similarity(text[start:end], quote.exact)
    score += 20 * _similarity(prefix, quote.prefix) + 20 * _similarity(suffix, quote.suffix)
    if hint is not None and text:
        score += 2 * (1 - min(1.0, abs(start - hint) / max(1, len(text))))
    return score / 92


def anchor(
    text: str, quote: QuoteSelector, start: int | None = None, end: int | None = None
) -> Anchor | None:
    """Find where `quote` belongs in `text`; None if it cannot be anchored."""
    if not quote.exact:
        return None
    at_position = start is not None and end is not None and 0 <= start < end <= len(text)
    if at_position and text[start:end] == quote.exact:
        assert start is not None and end is not None
        return Anchor(start, end, "position", 1.0)
    found = occurrences(text, quote.exact)
    if found:
        size = len(quote.exact)
        best = max(found, key=lambda s: _score(text, quote, s, s + size, start))
        return Anchor(best, best + size, "quote", _score(text, quote, best, best + size, start))
    return _fuzzy(text, quote, start)


def _fuzzy(text: str, quote: QuoteSelector, hint: int | None) -> Anchor | None:
    from rapidfuzz import fuzz

    needle = quote.exact
    if len(needle) < 4 or not text:
        return None
    result = fuzz.partial_ratio_alignment(needle, text, score_cutoff=FUZZY_THRESHOLD * 100)
    if result is None:
        return None
    start, end = result.dest_start, result.dest_end
    if start >= end:
        return None
    start, end = _refine(text, needle, start, end)
    score = _score(text, quote, start, end, hint)
    if _similarity(text[start:end], needle) < FUZZY_THRESHOLD:
        return None
    return Anchor(start, end, "fuzzy", score)


def _refine(text: str, needle: str, start: int, end: int) -> tuple[int, int]:
    """Move the edges of a fuzzy match to where the window is most like `needle`.

    The partial-ratio alignment is a window exactly as long as the quote, so a claim that grew
    or shrank in an edit would come back with a word cut off at one end. Coordinate search,
    first the end then the start, within a quarter of the quote's length (8 to 100 characters).
    """
    from rapidfuzz.distance import Indel

    reach = max(8, min(len(needle) // 4, 100))

    def similarity(s: int, e: int) -> float:
        return float(Indel.normalized_similarity(text[s:e], needle))

    best = similarity(start, end)
    for _ in range(2):
        moved = False
        for e in range(max(start + 1, end - reach), min(len(text), end + reach) + 1):
            value = similarity(start, e)
            if value > best:
                best, end, moved = value, e, True
        for s in range(max(0, start - reach), min(end - 1, start + reach) + 1):
            value = similarity(s, end)
            if value > best:
                best, start, moved = value, s, True
        if not moved:
            break
    return start, end
