"""Canonical text: line endings, paragraphs, text blocks, and Qt's UTF-16 positions versus
code points."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from itertools import accumulate

_LINE_BREAKS = re.compile(r"\r\n|\r|\u2028|\u2029|\x85")
PARAGRAPH_GAP = re.compile(r"\n[ \t]*\n")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")

BLOCK_BREAKS = "\n\r\u2029\ufdd0\ufdd1"
"""The characters that end a text block (a line of the reader): what Qt's
`QTextCursor.insertText`, hence `QPlainTextEdit.setPlainText`, turns into a block separator.
A stored text is normalised (`normalize_newlines`), so it holds only `\\n` and, rarely, one of
the two non-characters U+FDD0/U+FDD1."""
_BLOCK_BREAK = re.compile(f"[{BLOCK_BREAKS}]")
_RARE_BREAKS = tuple(BLOCK_BREAKS[1:])


def normalize_newlines(text: str) -> str:
    """CRLF, CR, NEL and the Unicode line/paragraph separators all become `\\n`.

    Qt turns each of them into one block separator, so storing anything but `\\n` would shift
    offsets between the store and the reader.
    """
    return _LINE_BREAKS.sub("\n", text)


def paragraph_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Spans `[start, end)` of the paragraphs: runs of text separated by blank lines, trimmed of
    surrounding whitespace."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for gap in [*PARAGRAPH_GAP.finditer(text), None]:
        stop = gap.start() if gap else len(text)
        chunk = text[pos:stop]
        stripped = chunk.strip()
        if stripped:
            start = pos + (len(chunk) - len(chunk.lstrip()))
            spans.append((start, start + len(stripped)))
        if gap:
            pos = gap.end()
    return tuple(spans)


def block_starts(text: str) -> list[int]:
    """Code-point offset of the start of every text block (see `BLOCK_BREAKS`): `[0]` and the
    offset after each break. Computed once at import and stored with the text."""
    if any(ch in text for ch in _RARE_BREAKS):
        return [0, *(m.end() for m in _BLOCK_BREAK.finditer(text))]
    # The usual case, about five times faster than the regex.
    return [0, *accumulate(len(line) + 1 for line in text.split("\n")[:-1])]


def astral_positions(text: str) -> list[int]:
    """Code-point offsets of the characters above U+FFFF (two UTF-16 units each, one code
    point), in order. Computed once at import and stored with the text."""
    # A regex scan runs at C speed: 25 ms for 10 MB, where a Python loop takes 700 ms.
    return [] if text.isascii() else [m.start() for m in _ASTRAL.finditer(text)]


class Utf16Map:
    """Converts between code-point offsets (the store) and UTF-16 positions (Qt).

    Only characters above U+FFFF take two UTF-16 units, so the map keeps their code-point
    positions and bisects over them: O(log n) per conversion, O(n) once to build (or nothing,
    with the positions stored at import: `from_positions`).
    """

    def __init__(self, text: str) -> None:
        self._set(astral_positions(text), len(text))

    @classmethod
    def from_positions(cls, astral: list[int], length: int) -> Utf16Map:
        """The map of a text of `length` code points whose astral characters are at `astral`
        (sorted, as `astral_positions` returns them), without scanning the text."""
        umap = cls.__new__(cls)
        umap._set(astral, length)
        return umap

    def _set(self, astral: list[int], length: int) -> None:
        self._astral: list[int] = astral
        # UTF-16 position of each astral character.
        self._astral16: list[int] = [cp + k for k, cp in enumerate(astral)]
        self.length = length

    @property
    def is_identity(self) -> bool:
        return not self._astral

    def to_utf16(self, offset: int) -> int:
        return offset + bisect_left(self._astral, offset)

    def from_utf16(self, position: int) -> int:
        """Code-point offset of a UTF-16 position (inside a surrogate pair: rounds down)."""
        k = bisect_left(self._astral16, position)
        # Astral characters strictly before `position` each add one extra unit, but one starting
        # exactly at position - 1 means the position splits its surrogate pair.
        offset = position - k
        if k > 0 and self._astral16[k - 1] + 1 == position:
            return self._astral[k - 1]
        return offset


def utf16_length(text: str) -> int:
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def line_and_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a code-point offset."""
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def occurrences(text: str, needle: str) -> list[int]:
    """Start offsets of every (possibly overlapping) occurrence of `needle` in `text`."""
    if not needle:
        return []
    found: list[int] = []
    pos = text.find(needle)
    while pos != -1:
        found.append(pos)
        pos = text.find(needle, pos + 1)
    return found


def context_around(text: str, start: int, end: int, words: int = 6) -> tuple[str, str]:
    """A few words of text before `start` and after `end`, on whitespace boundaries."""
    before = text[max(0, start - 200) : start].split()
    after = text[end : end + 200].split()
    return " ".join(before[-words:]), " ".join(after[:words])


def offsets_in(spans: Sequence[tuple[int, int]], offset: int) -> int | None:
    """Index of the span containing `offset`, or None."""
    starts = [s for s, _ in spans]
    i = bisect_left(starts, offset + 1) - 1
    if i >= 0 and spans[i][0] <= offset < spans[i][1]:
        return i
    return None
