"""How a source's text looked: emphasis, strong, code, links and headings as spans over the
plain text.

The stored text, every offset and every claim's anchoring stay plain text; formatting is a list
of `FormatSpan` (code-point `[start, end)` and a kind) kept beside it. A text without formatting
(plain text files, projects made before formatting was kept) has an empty list and shows as
before.
"""

from __future__ import annotations

import operator
import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from enum import IntEnum
from itertools import pairwise
from typing import Any, NamedTuple


class FormatKind(IntEnum):
    """What a span of text looked like in the original. The values are stored: never renumber."""

    EMPHASIS = 1
    STRONG = 2
    CODE = 3
    LINK = 4
    HEADING1 = 11
    HEADING2 = 12
    HEADING3 = 13
    HEADING4 = 14
    HEADING5 = 15
    HEADING6 = 16

    @property
    def heading_level(self) -> int:
        """1-6 for a heading, 0 for an inline kind."""
        return self.value - 10 if self.value > 10 else 0

    @classmethod
    def heading(cls, level: int) -> FormatKind:
        return cls(10 + min(6, max(1, level)))


INLINE_KINDS = frozenset({FormatKind.EMPHASIS, FormatKind.STRONG, FormatKind.CODE, FormatKind.LINK})


class FormatSpan(NamedTuple):
    """One formatted stretch of a text: code-point offsets `[start, end)` and its kind."""

    start: int
    end: int
    kind: FormatKind


def valid_spans(spans: Iterable[FormatSpan], length: int) -> tuple[FormatSpan, ...]:
    """The spans that lie inside a text of `length` code points and are not empty, sorted by
    (start, end descending, kind): the canonical order spans are stored and read in."""
    kept = [
        FormatSpan(int(s), int(e), FormatKind(k))
        for s, e, k in spans
        if 0 <= s < e <= length and k in FormatKind._value2member_map_
    ]
    kept.sort(key=lambda f: (f.start, -f.end, f.kind))
    return tuple(kept)


def flatten(spans: Sequence[FormatSpan]) -> list[int]:
    """`[start, end, kind, start, end, kind, ...]`: how spans are packed for storage."""
    return [value for span in spans for value in (span.start, span.end, int(span.kind))]


_KIND_BY_VALUE: dict[int, FormatKind] = {kind.value: kind for kind in FormatKind}
_KIND_VALUES = frozenset(_KIND_BY_VALUE)


def unflatten(values: Sequence[int], length: int) -> tuple[FormatSpan, ...]:
    """The spans `flatten` wrote; anything out of range is dropped (a damaged list shows the
    text unformatted, never wrong)."""
    kinds = _KIND_BY_VALUE
    spans: list[FormatSpan] = []
    ordered = True
    last = (-1, 0)
    for start, end, value in zip(values[0::3], values[1::3], values[2::3], strict=False):
        kind = kinds.get(value)
        if kind is None or not 0 <= start < end <= length:
            continue
        ordered = ordered and last <= (start, -end)
        last = (start, -end)
        spans.append(FormatSpan(start, end, kind))
    return tuple(spans) if ordered else valid_spans(spans, length)


class TextFormats:
    """The formatting of one text, indexed for "what is formatted in `[start, end)`": a bisect
    and the few spans there, never a scan of all. Built once per opened document (possibly
    in a worker thread) and never changed."""

    LONG = 2_000
    """Spans longer than this (an emphasis over paragraphs) are kept apart, so that a look-up
    never scans back further than the longest ordinary span."""

    __slots__ = ("_ends", "_kinds", "_long", "_lookback", "_starts")

    def __init__(self, spans: Iterable[FormatSpan] = ()) -> None:
        ordered = sorted(spans, key=lambda f: (f.start, -f.end, f.kind))
        self._set(
            [f.start for f in ordered], [f.end for f in ordered], [int(f.kind) for f in ordered]
        )

    @classmethod
    def from_flat(cls, values: Sequence[int], length: int) -> TextFormats:
        """The formatting `flatten` wrote, for a text of `length` code points. A list in the
        stored order and range (what import writes) is taken as it is, checked at C speed;
        anything else is cleaned span by span (a damaged list shows less, never wrong)."""
        starts, ends, kinds = values[0::3], values[1::3], values[2::3]
        index = cls.__new__(cls)
        if (
            len(starts) == len(ends) == len(kinds)
            and (not starts or (starts[0] >= 0 and max(ends) <= length))
            and all(map(operator.lt, starts, ends))
            and all(map(operator.le, starts, starts[1:]))
            and set(kinds) <= _KIND_VALUES
        ):
            index._set(starts, ends, kinds)  # type: ignore[arg-type]
            return index
        return cls(unflatten(values, length))

    def _set(self, starts: Sequence[int], ends: Sequence[int], kinds: Sequence[int]) -> None:
        self._starts, self._ends, self._kinds = starts, ends, kinds
        lengths = list(map(operator.sub, ends, starts))
        if max(lengths, default=0) <= self.LONG:
            self._long: list[int] = []
            self._lookback = max(lengths, default=0)
        else:
            self._long = [i for i, n in enumerate(lengths) if n > self.LONG]
            self._lookback = self.LONG

    def __len__(self) -> int:
        return len(self._starts)

    def __iter__(self) -> Iterator[FormatSpan]:
        kinds = _KIND_BY_VALUE
        for start, end, kind in zip(self._starts, self._ends, self._kinds, strict=True):
            yield FormatSpan(start, end, kinds[kind])

    def __eq__(self, other: object) -> bool:
        if isinstance(other, TextFormats):
            return list(self) == list(other)
        if isinstance(other, tuple | list):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def overlapping(self, start: int, end: int) -> list[FormatSpan]:
        """The spans that overlap `[start, end)`, unclipped, in stored order."""
        starts, ends = self._starts, self._ends
        if not starts or end <= start:
            return []
        hi = bisect_left(starts, end)
        lo = bisect_left(starts, start - self._lookback, 0, hi)
        limit = self.LONG
        found = [i for i in range(lo, hi) if ends[i] > start and ends[i] - starts[i] <= limit]
        if self._long:
            found += [i for i in self._long if starts[i] < end and ends[i] > start]
            found.sort()
        kinds, kind_of = self._kinds, _KIND_BY_VALUE
        return [FormatSpan(starts[i], ends[i], kind_of[kinds[i]]) for i in found]

    def within(self, start: int, end: int, *, inline_only: bool = True) -> list[FormatSpan]:
        """The parts of the spans that overlap `[start, end)`, clipped to it and shifted so
        that `start` is 0: the formatting of a quote. Headings are left out unless
        `inline_only` is False (a quote is shown inline, whatever block it came from)."""
        return [
            FormatSpan(max(span.start, start) - start, min(span.end, end) - start, span.kind)
            for span in self.overlapping(start, end)
            if not inline_only or span.kind in INLINE_KINDS
        ]


def styled_pieces(
    text: str, spans: Iterable[FormatSpan]
) -> list[tuple[str, frozenset[FormatKind]]]:
    """`text` cut where its formatting changes: (piece, kinds in force) in order, every
    character in exactly one piece (their concatenation is `text`). Spans are relative to
    `text` (see `spans_within`)."""
    length = len(text)
    cuts = {0, length}
    clipped = [(max(0, s), min(length, e), k) for s, e, k in spans if s < length and e > 0]
    for s, e, _ in clipped:
        cuts.add(s)
        cuts.add(e)
    edges = sorted(cuts)
    pieces: list[tuple[str, frozenset[FormatKind]]] = []
    for left, right in pairwise(edges):
        if right <= left:
            continue
        kinds = frozenset(k for s, e, k in clipped if s <= left and e >= right)
        if pieces and pieces[-1][1] == kinds:
            pieces[-1] = (pieces[-1][0] + text[left:right], kinds)
        else:
            pieces.append((text[left:right], kinds))
    return pieces


_SPACE = re.compile(r"\s+")


def one_line_pieces(
    pieces: Iterable[tuple[str, frozenset[FormatKind]]],
) -> list[tuple[str, frozenset[FormatKind]]]:
    """Styled pieces with their whitespace collapsed as `" ".join(text.split())` collapses
    the whole text (the joined pieces equal it): runs of whitespace become one space, across
    pieces too, and none is left at either end. Pieces left empty are dropped."""
    out: list[list[Any]] = []
    space_before = True
    for text, kinds in pieces:
        collapsed = _SPACE.sub(" ", text)
        if space_before:
            collapsed = collapsed.lstrip(" ")
        if not collapsed:
            continue
        space_before = collapsed.endswith(" ")
        out.append([collapsed, kinds])
    while out and out[-1][0].endswith(" "):
        out[-1][0] = out[-1][0].rstrip(" ")
        if out[-1][0]:
            break
        out.pop()
    return [(text, kinds) for text, kinds in out]
