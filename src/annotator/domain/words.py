"""Word edges for selections that snap to whole words, in code points.

A drag in the reader selects from the character under the press to the character under the
pointer. With snapping, an end that falls on a letter of a word extends to that word's edge; an
end that falls on punctuation, a symbol or an emoji keeps that character (the user pointed at
it), and punctuation next to a word is never pulled in by the word it touches. Everything here
counts code points (Python `str` indices), never UTF-16 units.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

APOSTROPHES = frozenset("'\u2019\u00b7")
"""Characters that belong to a word when a word character stands on both sides of them
(don't, publisher\u2019s, l\u00b7l)."""

ZWJ = "\u200d"


def _extends(ch: str) -> bool:
    """Whether `ch` belongs to the character before it on screen: a combining mark, a
    variation selector, an emoji skin tone, a zero-width joiner or an emoji tag."""
    cp = ord(ch)
    return (
        unicodedata.category(ch)[0] == "M"
        or ch == ZWJ
        or 0x1F3FB <= cp <= 0x1F3FF
        or 0xE0020 <= cp <= 0xE007F
    )


def _regional(ch: str) -> bool:
    return 0x1F1E6 <= ord(ch) <= 0x1F1FF


def cluster_start(text: str, index: int) -> int:
    """The first code point of the character seen on screen that holds `text[index]` (a
    letter with its accents, an emoji with its modifiers and joined emoji, a flag)."""
    index = max(0, min(index, len(text) - 1))
    while index > 0 and (_extends(text[index]) or text[index - 1] == ZWJ):
        index -= 1
    if index > 0 and _regional(text[index]):
        run = index
        while run > 0 and _regional(text[run - 1]):
            run -= 1
        index -= (index - run) % 2
    return index


def cluster_end(text: str, index: int) -> int:
    """The end (exclusive) of the character seen on screen that holds `text[index]`."""
    index = cluster_start(text, index)
    end = index + 1
    if _regional(text[index]) and end < len(text) and _regional(text[end]):
        end += 1
    while end < len(text) and (_extends(text[end]) or text[end - 1] == ZWJ):
        end += 1
    return end


def _letterlike(ch: str) -> bool:
    category = unicodedata.category(ch)
    return category[0] in "LN" or category == "Pc"


def is_word_char(text: str, index: int) -> bool:
    """Whether `text[index]` is part of a word: a letter, digit or connector (underscore) with
    its accents, or an apostrophe between two such characters."""
    if not 0 <= index < len(text):
        return False
    start = cluster_start(text, index)
    ch = text[start]
    if _letterlike(ch):
        return True
    if ch in APOSTROPHES and start > 0:
        end = cluster_end(text, start)
        return (
            end < len(text)
            and _letterlike(text[cluster_start(text, start - 1)])
            and _letterlike(text[end])
        )
    return False


def word_start(text: str, index: int) -> int:
    """The start of the word holding `text[index]` (of its character when it is no word)."""
    if not text:
        return 0
    index = cluster_start(text, index)
    if not is_word_char(text, index):
        return index
    while index > 0:
        before = cluster_start(text, index - 1)
        if not is_word_char(text, before):
            break
        index = before
    return index


def word_end(text: str, index: int) -> int:
    """The end (exclusive) of the word holding `text[index]` (of its character when it is
    no word)."""
    if not text:
        return 0
    end = cluster_end(text, index)
    if not is_word_char(text, index):
        return end
    while end < len(text) and is_word_char(text, end):
        end = cluster_end(text, end)
    return end


@dataclass(frozen=True)
class Hit:
    """Where the pointer is in the text: on the character at `index` (`on_char`), or at the
    boundary before `index` (beside the text of a line, or when snapping is off)."""

    index: int
    on_char: bool

    @property
    def order(self) -> int:
        """Sort key: the boundary before a character comes before the character itself."""
        return 2 * self.index + (1 if self.on_char else 0)


def selection_between(text: str, press: Hit, pointer: Hit, snap: bool = True) -> tuple[int, int]:
    """The span `[start, end)` a drag from `press` to `pointer` selects.

    With `snap`, an end on a word character extends to the word's edge; an end on any other
    character includes that character. Without it, ends on characters give the boundary
    before them (exact characters)."""
    first, last = sorted((press, pointer), key=lambda h: h.order)
    if not snap:
        lo = first.index
        hi = last.index
        return (lo, hi) if lo <= hi else (hi, lo)
    start = word_start(text, first.index) if first.on_char else first.index
    end = word_end(text, last.index) if last.on_char else last.index
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    return start, end


__all__ = [
    "Hit",
    "cluster_end",
    "cluster_start",
    "is_word_char",
    "selection_between",
    "word_end",
    "word_start",
]
