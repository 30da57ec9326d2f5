""" "Did you mean": a close word that has hits, for a typed word that has none.

The index keeps stemmed terms only (an unstemmed spelling field would slow every rebuild), so a
candidate is found among the stems (Engine.near: rapidfuzz over each segment's term list), ranked
by edit distance then document frequency, and then turned back into a real word by finding it
in the text of one document that contains it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from annotator.search.schema import stemming_analyzer

if TYPE_CHECKING:
    from whoosh.searching import Searcher

TextOf = Callable[[int, str], str]
"""text_of(docnum, fieldname) -> the text of that field of that index document."""


def word_has_hits(searcher: Searcher, word: str, fields: list[str]) -> bool:
    stems = [t.text for t in stemming_analyzer()(word)]
    if not stems:
        return True  # a stop word: nothing to correct
    reader = searcher.reader()
    return any(reader.doc_frequency(f, s) > 0 for f in fields for s in stems)


Near = Callable[[str, str, int], list[str]]
"""near(fieldname, text, maxdist) -> indexed terms within maxdist edits (Engine.near)."""


def correction(
    searcher: Searcher, near: Near, word: str, fields: list[str], text_of: TextOf
) -> str | None:
    """A real word close to `word` that occurs in `fields`, or None."""
    from whoosh.query import Term

    stems = [t.text for t in stemming_analyzer()(word)]
    if len(stems) != 1 or len(word) < 3 or not word.isalpha():
        return None
    stem = stems[0]
    maxdist = 1 if len(word) <= 5 else 2
    best: tuple[int, int, str, str] | None = None  # (-distance, frequency, term, field)
    candidates = {(f, t) for f in fields for t in near(f, stem, maxdist) if t[:1] == stem[:1]}
    for fieldname, candidate in sorted(candidates):
        if candidate == stem:
            continue
        frequency = searcher.reader().doc_frequency(fieldname, candidate)
        if frequency <= 0:
            continue
        key = (-_distance(candidate, stem), frequency, candidate, fieldname)
        if best is None or key[:2] > best[:2]:
            best = key
    if best is None:
        return None
    _, _, term, fieldname = best
    results = searcher.search(Term(fieldname, term), limit=1)
    surface = term
    if len(results):
        text = text_of(results.docnum(0), fieldname)
        for token in stemming_analyzer()(text, chars=True):
            if token.text == term:
                surface = text[token.startchar : token.endchar].lower()
                break
    if word[:1].isupper():
        surface = surface[:1].upper() + surface[1:]
    return surface if surface.lower() != word.lower() else None


def replace_word(text: str, word: str, replacement: str) -> str:
    return re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", replacement, text, count=1)


def _distance(a: str, b: str) -> int:
    from rapidfuzz.distance import Levenshtein

    return int(Levenshtein.distance(a, b))
