"""How text becomes search terms: words, and joined words both whole and by their parts.

A word is a run of letters and digits, and words joined by dots, `@` or hyphens are one word
(`quayworkers.org`, `jane.doe@example.org`, `anti-union`, `4.1`), lower-cased, stop words
out, stemmed. Indexed text adds, after each joined word, its parts at the word's own position
(`quayworkers`, `org`; `jane.doe`, `example.org`, `jane`, `doe`, `example`), so a part is
found by itself; a query keeps joined words whole, so `quayworkers.org` and an "exact
phrase" match the text word after word as before. Whoosh is imported here, not at start-up.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from whoosh.analysis import (
    STOP_WORDS,
    Analyzer,
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StemmingAnalyzer,
    StopFilter,
    Token,
)

WORD_PATTERN = r"[\w*]+(?:[.@\-\u2010\u2011][\w*]+)*"
"""A word, joined words included. `*` belongs to words for wildcard queries."""
_JOINERS = re.compile(r"[.@\-\u2010\u2011]")
_MIN_PART = 2
"""Parts shorter than this are not indexed by themselves (as the stop filter drops words)."""


def word_parts(word: str) -> list[tuple[int, int]]:
    """`[start, end)` of the parts of a joined word besides the whole: each side of an `@`,
    then each run between joints; empty for a plain word."""
    if not _JOINERS.search(word):
        return []
    spans: list[tuple[int, int]] = []
    at = word.find("@")
    if at > 0:
        spans += [(0, at), (at + 1, len(word))]
    pos = 0
    for joint in [*_JOINERS.finditer(word), None]:
        stop = joint.start() if joint else len(word)
        spans.append((pos, stop))
        if joint:
            pos = joint.end()
    seen: set[str] = {word}
    out: list[tuple[int, int]] = []
    for a, b in spans:
        if b - a >= _MIN_PART and word[a:b] not in seen:
            seen.add(word[a:b])
            out.append((a, b))
    return out


class WordPartsFilter(Filter):
    """After each joined word, its parts (`word_parts`) at the word's position."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:  # type: ignore[override]
        for t in tokens:
            word = t.text
            if t.stopped or not _JOINERS.search(word):
                yield t
                continue
            pos = t.pos if t.positions else None
            start = t.startchar if t.chars else None
            boost = t.boost
            yield t
            for a, b in word_parts(word):
                part = word[a:b]
                if part in STOP_WORDS:
                    continue
                t.text, t.boost, t.stopped = part, boost, False
                if pos is not None:
                    t.pos = pos
                if start is not None:
                    t.startchar, t.endchar = start + a, start + b
                yield t


def query_analyzer() -> Analyzer:
    """Whole words, lower case, stop words out, stemmed."""
    return StemmingAnalyzer(expression=WORD_PATTERN)


def parts_analyzer() -> Analyzer:
    """As `query_analyzer`, with each joined word's parts after it (for indexed text)."""
    return (
        RegexTokenizer(expression=WORD_PATTERN)
        | LowercaseFilter()
        | StopFilter()
        | WordPartsFilter()
        | StemFilter(cachesize=50000)
    )
