"""Titles that tell documents apart where there is little room: the part of each title that
differs from the others, and short titles for facets and tables (with the full title kept for a
tooltip or a key)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

ARTICLES = frozenset({"the", "a", "an", "le", "la", "les", "der", "die", "das", "el", "il"})
ELLIPSIS = "\u2026"
MIN_SHARED_WORDS = 2
"""A prefix shared with another title is abbreviated from this many words on."""


def _norm(word: str) -> str:
    return word.casefold().strip(".,:;!?\"'\u2018\u2019\u201c\u201d()[]")


def _content_words(title: str) -> tuple[list[str], int]:
    """The title's words and how many leading ones are articles (skipped when comparing)."""
    words = title.split()
    skip = 1 if len(words) > 1 and _norm(words[0]) in ARTICLES else 0
    return words, skip


def _shared(a: list[str], b: list[str]) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if _norm(x) != _norm(y):
            break
        n += 1
    return n


def initials(words: Sequence[str]) -> str:
    """An abbreviation of words by their first letters ("Tidewater Workers League" -> "TWL");
    words of three letters or fewer in lower case are left out."""
    letters = [
        w[0].upper()
        for w in words
        if w and w[0].isalnum() and not (w.islower() and len(w) <= 3 and len(words) > 1)
    ]
    return "".join(letters) or ELLIPSIS


def _is_name(words: Sequence[str]) -> bool:
    significant = [w for w in words if not (w.islower() and len(w) <= 3)]
    return len(significant) >= 2 and all(w[:1].isupper() for w in significant)


def distinguishing_titles(titles: Sequence[str]) -> list[str]:
    """Each title as shown where only its start fits: a prefix of two words or more that it
    shares with another title (leading articles and case ignored) is cut to its initials (a
    name) or its first word (a phrase) and an ellipsis, so that the part that differs comes
    first ("The Tidewater Workers League and the harbour-closure …" beside "Tidewater Workers
    League" gives "TWL … and the harbour-closure …"). A title that is all shared
    prefix stays whole; titles that are the same are numbered ("Notes (2)")."""
    split = [_content_words(t.strip()) for t in titles]
    content = [words[skip:] for words, skip in split]
    out: list[str] = []
    for i, (title, (words, _skip)) in enumerate(zip(titles, split, strict=True)):
        shared = max(
            (_shared(content[i], other) for j, other in enumerate(content) if j != i),
            default=0,
        )
        rest = content[i][shared:]
        if shared >= MIN_SHARED_WORDS and rest:
            prefix = content[i][:shared]
            # A name ("Tidewater Workers League") reads well as its initials; a
            # phrase ("Report of the committee on") by its first word.
            head = initials(prefix) if _is_name(prefix) else prefix[0]
            out.append(f"{head} {ELLIPSIS} {' '.join(rest)}")
        else:
            out.append(" ".join(words) if words else title)
    counts = Counter(_key(t) for t in titles)
    seen: Counter[str] = Counter()
    for i, title in enumerate(titles):
        key = _key(title)
        if counts[key] > 1:
            seen[key] += 1
            if seen[key] > 1:
                out[i] = f"{out[i]} ({seen[key]})"
    return out


def _key(title: str) -> str:
    return " ".join(_norm(w) for w in title.split())


def short_title(title: str, limit: int = 32) -> str:
    """A title cut at a word boundary to at most `limit` characters, with an ellipsis when
    cut (a single long word is cut inside)."""
    title = " ".join(title.split())
    if len(title) <= limit:
        return title
    room = max(1, limit - 1)
    cut = title[:room]
    space = cut.rfind(" ")
    if space >= room // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.\u2014-") + ELLIPSIS


def short_titles(titles: Sequence[str], limit: int = 32) -> list[str]:
    """Short titles that still tell the documents apart: the distinguishing part of each
    (see `distinguishing_titles`) cut to `limit` characters; where two still come out the
    same they are numbered. Show the full title on hover or in a key beside them."""
    shown = [short_title(t, limit) for t in distinguishing_titles(titles)]
    counts = Counter(shown)
    seen: Counter[str] = Counter()
    for i, text in enumerate(shown):
        if counts[text] > 1:
            seen[text] += 1
            shown[i] = f"{text} ({seen[text]})"
    return shown


__all__ = ["distinguishing_titles", "initials", "short_title", "short_titles"]
