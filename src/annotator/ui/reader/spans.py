"""Where the claims of one document lie, by text block, without Qt.

The reader highlights block by block (a Qt text block is a line of the canonical text), so the
claims are indexed by the blocks they touch: formatting a block, hit-testing a click and updating
one claim each cost a bisect plus the handful of claims in that block, never a scan of all.
All offsets here are code points, as stored; conversion to Qt's UTF-16 happens in the view.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import pairwise
from typing import NamedTuple

from annotator.domain.formatting import FormatKind, FormatSpan
from annotator.domain.text import Utf16Map, block_starts

FastUtf16Map = Utf16Map
"""The domain map (built with a regex scan, or from stored positions); the reader's name."""


class ClaimSpan(NamedTuple):
    """What the reader needs of a claim: its span and label (the note is fetched on hover).

    A named tuple: a document's 10,000 are made from database rows in 2 ms (`_make`), where
    a frozen dataclass took 6."""

    id: str
    start: int
    end: int
    label_id: str

    @property
    def length(self) -> int:
        return self.end - self.start


class LineIndex:
    """Start offset of every block (line) of a text (Qt's blocks: `domain.text.BLOCK_BREAKS`)."""

    def __init__(self, text: str) -> None:
        self.starts: list[int] = block_starts(text)
        self.length = len(text)

    @classmethod
    def from_starts(cls, starts: list[int], length: int) -> LineIndex:
        """The index of a text of `length` code points whose blocks start at `starts` (as
        `domain.text.block_starts` computes them, stored at import): no scan of the text."""
        index = cls.__new__(cls)
        index.starts = starts
        index.length = length
        return index

    def __len__(self) -> int:
        return len(self.starts)

    def block_of(self, offset: int) -> int:
        return max(0, bisect_right(self.starts, offset) - 1)

    def block_start(self, block: int) -> int:
        return self.starts[block]

    def block_end(self, block: int) -> int:
        """End of the block's text (before its line break)."""
        if block + 1 < len(self.starts):
            return self.starts[block + 1] - 1
        return self.length

    def blocks_of(self, start: int, end: int) -> range:
        """Blocks touched by the span `[start, end)`."""
        return range(self.block_of(start), self.block_of(max(start, end - 1)) + 1)


def innermost_first(claims: Iterable[ClaimSpan]) -> list[ClaimSpan]:
    return sorted(claims, key=lambda c: (c.length, -c.start, c.id))


def outermost_first(claims: Iterable[ClaimSpan]) -> list[ClaimSpan]:
    return sorted(claims, key=lambda c: (-c.length, c.start, c.id))


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of a block covered by the same claims (outermost first)."""

    start: int
    end: int
    claims: tuple[ClaimSpan, ...]


class ClaimIndex:
    """The claims of one document, indexed by the blocks (lines) they touch."""

    def __init__(self, lines: LineIndex) -> None:
        self.lines = lines
        self.claims: dict[str, ClaimSpan] = {}
        self._by_block: dict[int, list[tuple[int, str]]] = {}
        self.version = 0
        """Bumped by every change, so that what is derived from the claims can be cached."""

    def __len__(self) -> int:
        return len(self.claims)

    def __contains__(self, claim_id: object) -> bool:
        return claim_id in self.claims

    def get(self, claim_id: str) -> ClaimSpan | None:
        return self.claims.get(claim_id)

    def reset(self, claims: Iterable[ClaimSpan]) -> None:
        """Replace all claims. Built in bulk: each block's list is appended to and sorted
        only if the claims did not come sorted by (start, id), as `Project.claim_spans`
        returns them (10,000 claims in a few milliseconds)."""
        self.version += 1
        by_id = self.claims
        by_block = self._by_block
        by_id.clear()
        by_block.clear()
        starts = self.lines.starts
        count = len(starts)
        unsorted: set[int] = set()
        for claim in claims:
            claim_id, start, end, _label = claim
            by_id[claim_id] = claim
            first = bisect_right(starts, start) - 1
            if first < 0:
                first = 0
            entry = (start, claim_id)
            if first + 1 < count and starts[first + 1] < end:  # reaches into the next block
                blocks: Iterable[int] = range(first, bisect_right(starts, end - 1))
            else:
                blocks = (first,)
            for block in blocks:
                entries = by_block.get(block)
                if entries is None:
                    by_block[block] = [entry]
                else:
                    if entries[-1] > entry:
                        unsorted.add(block)
                    entries.append(entry)
        for block in unsorted:
            by_block[block].sort()

    def upsert(self, claim: ClaimSpan) -> set[int]:
        """Add or replace a claim; returns the blocks whose highlighting changes."""
        touched = self.remove(claim.id)
        touched.update(self._insert(claim))
        return touched

    def remove(self, claim_id: str) -> set[int]:
        self.version += 1
        old = self.claims.pop(claim_id, None)
        if old is None:
            return set()
        blocks = self._blocks(old)
        for block in blocks:
            entries = self._by_block.get(block)
            if entries is None:
                continue
            i = bisect_left(entries, (old.start, old.id))
            if i < len(entries) and entries[i] == (old.start, old.id):
                del entries[i]
            if not entries:
                del self._by_block[block]
        return set(blocks)

    def _blocks(self, claim: ClaimSpan) -> range:
        return self.lines.blocks_of(claim.start, claim.end)

    def _insert(self, claim: ClaimSpan) -> set[int]:
        self.version += 1
        self.claims[claim.id] = claim
        blocks = self._blocks(claim)
        for block in blocks:
            entries = self._by_block.get(block)
            if entries is None:
                self._by_block[block] = [(claim.start, claim.id)]
            else:
                insort(entries, (claim.start, claim.id))
        return set(blocks)

    def in_block(self, block: int) -> list[ClaimSpan]:
        return [self.claims[cid] for _, cid in self._by_block.get(block, ())]

    def has_claims(self, block: int) -> bool:
        return block in self._by_block

    def at(self, offset: int) -> list[ClaimSpan]:
        """Claims containing the character at `offset`, innermost first."""
        hits = [c for c in self.in_block(self.lines.block_of(offset)) if c.start <= offset < c.end]
        return innermost_first(hits)

    def overlapping(self, start: int, end: int) -> list[ClaimSpan]:
        """Claims sharing at least one character with `[start, end)`, in text order."""
        seen: dict[str, ClaimSpan] = {}
        for block in self.lines.blocks_of(start, end):
            for claim in self.in_block(block):
                if claim.start < end and claim.end > start:
                    seen[claim.id] = claim
        return sorted(seen.values(), key=lambda c: (c.start, c.end, c.id))

    def segments(self, block: int) -> list[Segment]:
        """The block cut where claims start and end, each piece with the claims covering it.
        Offsets are code points, clipped to the block's text."""
        lo, hi = self.lines.block_start(block), self.lines.block_end(block)
        claims = self.in_block(block)
        if not claims:
            return []
        events: list[tuple[int, int, ClaimSpan]] = []
        for c in claims:
            s, e = max(c.start, lo), min(c.end, hi)
            if s < e:
                events.append((s, 1, c))
                events.append((e, 0, c))
        events.sort(key=lambda ev: (ev[0], ev[1]))
        out: list[Segment] = []
        active: dict[str, ClaimSpan] = {}
        prev: int | None = None
        for pos, kind, claim in events:
            if prev is not None and pos > prev and active:
                out.append(Segment(prev, pos, tuple(outermost_first(active.values()))))
            prev = pos
            if kind:
                active[claim.id] = claim
            else:
                active.pop(claim.id, None)
        return out

    def in_range(self, start: int, end: int) -> Iterator[ClaimSpan]:
        """Claims starting within `[start, end)` (each once), for the visible part of a view."""
        seen: set[str] = set()
        for block in self.lines.blocks_of(start, end):
            for claim in self.in_block(block):
                if start <= claim.start < end and claim.id not in seen:
                    seen.add(claim.id)
                    yield claim


class StyledSegment(NamedTuple):
    """A stretch of a block with one look: the claims covering it (outermost first) and the
    source's formatting there (emphasis, heading...)."""

    start: int
    end: int
    claims: tuple[ClaimSpan, ...]
    kinds: frozenset[FormatKind]


def styled_segments(
    segments: list[Segment], formats: list[FormatSpan], lo: int, hi: int
) -> list[StyledSegment]:
    """The block `[lo, hi)` cut where claims or formatting change: the claim segments
    (`ClaimIndex.segments`) and the formatting spans (`TextFormats.overlapping`) merged, so
    that a stretch both italic and claimed shows both. Stretches with neither are left out."""
    cuts = {lo, hi}
    for seg in segments:
        cuts.add(seg.start)
        cuts.add(seg.end)
    clipped = [(max(f.start, lo), min(f.end, hi), f.kind) for f in formats]
    for start, end, _ in clipped:
        cuts.add(start)
        cuts.add(end)
    edges = sorted(c for c in cuts if lo <= c <= hi)
    out: list[StyledSegment] = []
    k = 0
    for left, right in pairwise(edges):
        while k < len(segments) and segments[k].end <= left:
            k += 1
        claims = segments[k].claims if k < len(segments) and segments[k].start <= left else ()
        kinds = frozenset(kind for start, end, kind in clipped if start <= left and end >= right)
        if claims or kinds:
            out.append(StyledSegment(left, right, claims, kinds))
    return out


def trim_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """`[start, end)` without surrounding whitespace, or None when nothing is left."""
    start, end = max(0, start), min(len(text), end)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def interpolate(anchors: list[tuple[int, int]], offset: int) -> int | None:
    """Map an offset of one document to another through anchor pairs (sorted by the first
    offset): linear between the two nearest anchors, shifted beyond the ends."""
    if not anchors:
        return None
    keys = [a for a, _ in anchors]
    i = bisect_left(keys, offset)
    if i == 0:
        return max(0, anchors[0][1] - (anchors[0][0] - offset))
    if i == len(anchors):
        return max(0, anchors[-1][1] + (offset - anchors[-1][0]))
    (a0, b0), (a1, b1) = anchors[i - 1], anchors[i]
    if a1 == a0:
        return b0
    return round(b0 + (b1 - b0) * (offset - a0) / (a1 - a0))
