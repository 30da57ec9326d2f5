"""What a search returns, highlighted snippets, and the per-segment data behind facets and sorts.

Snippets: the text (a claim's quote or note, a passage) is analysed with the field's analyzer,
tokens whose stemmed form is one of the query's terms for that field are hits; a window of about
240 characters around the densest hits is cut on word boundaries. Each hit gets the plain text
with hit ranges (`highlights`, code-point offsets into `snippet_text`) and an HTML-escaped copy
with the hits in <b>…</b> (a tag Qt's rich text understands, unlike <mark>).

Facets and sorting need a value per index document for every match, which Whoosh's own facets
compute with Python calls per document; here each segment's label, document, tags and sort
columns are read once into plain lists (`SegmentData`), cached by segment id (segments never
change, only gain deletions), and joined per searcher: counting 30,000 matches is a few ms.
"""

from __future__ import annotations

import html
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from annotator.domain.location import Location

if TYPE_CHECKING:
    from whoosh.analysis import Analyzer
    from whoosh.reading import IndexReader

    from annotator.search.engine import Postings

SNIPPET_WIDTH = 240
DETAIL_NAMES = {"note": "Note", "context": "Context", "extra": "Tags and evidence"}
"""What a claim hit's `detail_field` is called where it is shown."""
POSTINGS_HELD = 4_000_000
"""Document numbers kept in cached posting lists, all segments together (~40 bytes each)."""
ELLIPSIS = "…"


@dataclass(frozen=True)
class FacetValue:
    """One value of a facet; unpacks as the tuple (value, label, count)."""

    value: str
    """What to put in `filters` to narrow to it (label id, document id, lower-case tag)."""
    label: str
    """What to show (label name, document title, tag as typed)."""
    count: int

    def __iter__(self) -> Iterator[Any]:
        return iter((self.value, self.label, self.count))


@dataclass(frozen=True)
class SearchHit:
    kind: str  # "claim" or "passage"
    claim_id: str | None
    document_id: str
    document_title: str
    label_id: str | None
    label: str | None
    start: int
    end: int
    quote: str
    """The claim's quote, or the passage's text."""
    note: str
    tags: tuple[str, ...]
    snippet_text: str
    snippet_html: str
    highlights: tuple[tuple[int, int], ...]
    snippet_field: str  # quote (claims: always) or passage
    score: float | None
    paragraph: int | None = None  # a passage's index in its document
    location: Location | None = None
    """Where the hit is in its document, in a reader's terms (paragraph, page)."""
    detail_field: str = ""
    """A claim matched outside its quote: where ("note", "context" or "extra": its tags and
    evidence); "" when the quote matched or the hit is a passage."""
    detail_text: str = ""
    """The matching text of `detail_field`, shown beneath the quote."""
    detail_highlights: tuple[tuple[int, int], ...] = ()

    @property
    def detail_html(self) -> str:
        return to_html(self.detail_text, self.detail_highlights)

    @property
    def card_html(self) -> str:
        """The snippet (always the claim's quote), and beneath it, muted, where else the query
        matched ("Tags and evidence: …quayworkers.org…") and where the claim is. The muted
        lines are of class "muted": their colour is the viewer's (a selected row has its own)."""
        lines = [self.snippet_html]
        if self.detail_text:
            what = DETAIL_NAMES.get(self.detail_field, self.detail_field)
            lines.append(f'<span class="muted">{what}: {self.detail_html}</span>')
        if self.location is not None:
            lines.append(f'<span class="muted">{self.location.text}</span>')
        return "<br>".join(lines)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "claim_id": self.claim_id,
            "document_id": self.document_id,
            "document_title": self.document_title,
            "label_id": self.label_id,
            "label": self.label,
            "start": self.start,
            "end": self.end,
            "quote": self.quote,
            "note": self.note,
            "tags": list(self.tags),
            "snippet": self.snippet_text,
            "snippet_html": self.snippet_html,
            "highlights": [list(h) for h in self.highlights],
            "snippet_field": self.snippet_field,
            "score": None if self.score is None else round(self.score, 4),
            "paragraph": self.paragraph,
            "location": self.location.to_json() if self.location else None,
            "detail_field": self.detail_field or None,
            "detail": self.detail_text or None,
            "detail_highlights": [list(h) for h in self.detail_highlights],
        }


@dataclass(frozen=True)
class SearchResults:
    query: str
    kind: str  # "claims" or "passages"
    hits: list[SearchHit]
    total: int
    facets: dict[str, list[FacetValue]]
    notice: str | None
    did_you_mean: str | None
    page: int
    pages: int
    page_size: int
    sort: str
    elapsed_ms: float = 0.0
    fallback: bool = False
    """The query could not be read as written and was searched as plain words."""

    def to_json(self) -> dict[str, Any]:
        """The stable --json shape (documented in docs/reference.md)."""
        return {
            "query": self.query,
            "kind": self.kind,
            "total": self.total,
            "page": self.page,
            "pages": self.pages,
            "page_size": self.page_size,
            "sort": self.sort,
            "notice": self.notice,
            "did_you_mean": self.did_you_mean,
            "results": [h.to_json() for h in self.hits],
            "facets": {
                name: [{"value": v.value, "label": v.label, "count": v.count} for v in values]
                for name, values in self.facets.items()
            },
        }


# -- snippets ---------------------------------------------------------------------------------


def hit_ranges(text: str, terms: set[str], analyzer: Analyzer) -> list[tuple[int, int]]:
    if not terms or not text:
        return []
    out = []
    for token in analyzer(text, chars=True, removestops=True):
        if token.text in terms:
            out.append((token.startchar, token.endchar))
    return out


def snippet(
    text: str, ranges: list[tuple[int, int]], width: int = SNIPPET_WIDTH
) -> tuple[str, tuple[tuple[int, int], ...]]:
    """A window of `text` around the densest hits, with the hit ranges shifted into it."""
    text = text.replace("\n", " ")
    if len(text) <= width:
        return text, tuple(ranges)
    start = 0
    if ranges:
        best, best_count = ranges[0][0], 0
        for s, _ in ranges:
            anchor = max(0, s - width // 5)
            count = sum(1 for a, b in ranges if a >= anchor and b <= anchor + width)
            if count > best_count:
                best, best_count = anchor, count
        start = best
    end = min(len(text), start + width)
    start = max(0, min(start, end - width))
    inside_hits = [(a, b) for a, b in ranges if a >= start and b <= end]
    first = inside_hits[0][0] if inside_hits else end
    last = inside_hits[-1][1] if inside_hits else start
    if start > 0:  # cut on word boundaries, never through a hit
        space = text.find(" ", start, min(start + 30, first))
        start = space + 1 if space != -1 else start
    if end < len(text):
        space = text.rfind(" ", max(end - 30, last), end)
        end = space if space > start else end
    body = text[start:end].strip()
    lead = len(text[start:end]) - len(text[start:end].lstrip())
    start += lead
    prefix = ELLIPSIS if start > 0 else ""
    suffix = ELLIPSIS if start + len(body) < len(text) else ""
    shift = len(prefix) - start
    inside = tuple(
        (a + shift, b + shift) for a, b in ranges if a >= start and b <= start + len(body)
    )
    return prefix + body + suffix, inside


def to_html(text: str, highlights: Iterable[tuple[int, int]]) -> str:
    out, pos = [], 0
    for a, b in sorted(highlights):
        if a < pos:
            continue
        out.append(html.escape(text[pos:a]))
        out.append(f"<b>{html.escape(text[a:b])}</b>")
        pos = b
    out.append(html.escape(text[pos:]))
    return "".join(out)


def marked(
    text: str, highlights: Iterable[tuple[int, int]], left: str = "«", right: str = "»"
) -> str:
    """`text` with each highlight between `left` and `right` (for terminals)."""
    out, pos = [], 0
    for a, b in sorted(highlights):
        if a < pos:
            continue
        out += [text[pos:a], left, text[a:b], right]
        pos = b
    out.append(text[pos:])
    return "".join(out)


# -- per-document values for facets and sorting ---------------------------------------------


@dataclass
class SegmentData:
    label: list[str | None]
    doc: list[str | None]
    tags: list[tuple[str, ...] | None]
    pos: list[int]
    created: list[int]
    modified: list[int]

    @classmethod
    def read(cls, reader: IndexReader) -> SegmentData:
        n = reader.doc_count_all()
        return cls(
            label=_term_values(reader, "label", n),
            doc=_term_values(reader, "doc_id", n),
            tags=_multi_values(reader, "tag", n),
            pos=_column(reader, "pos", n),
            created=_column(reader, "t_created", n),
            modified=_column(reader, "t_modified", n),
        )


def _term_values(reader: IndexReader, fieldname: str, n: int) -> list[str | None]:
    out: list[str | None] = [None] * n
    if fieldname not in reader.indexed_field_names():
        return out
    for btext in reader.lexicon(fieldname):
        value = btext.decode("utf-8")
        for docnum in reader.postings(fieldname, btext).all_ids():
            out[docnum] = value
    return out


def _multi_values(reader: IndexReader, fieldname: str, n: int) -> list[tuple[str, ...] | None]:
    out: list[tuple[str, ...] | None] = [None] * n
    if fieldname not in reader.indexed_field_names():
        return out
    for btext in reader.lexicon(fieldname):
        value = btext.decode("utf-8")
        for docnum in reader.postings(fieldname, btext).all_ids():
            prev = out[docnum]
            out[docnum] = (value,) if prev is None else (*prev, value)
    return out


def _column(reader: IndexReader, fieldname: str, n: int) -> list[int]:
    if not reader.has_column(fieldname):
        return [0] * n
    values = column_values(reader.column_reader(fieldname))
    return values if len(values) == n else (values + [0] * n)[:n]


def column_values(column: Any) -> list[Any]:
    """Every value of a numeric column. Whoosh's reader unpacks them one call each; this reads
    the column's bytes once and unpacks them in C (falls back to the slow way)."""
    try:
        import struct

        raw = column._dbfile.get(column._basepos, column._count * column._fixedlen)
        if column._typecode == "B":
            values: list[Any] = list(raw)
        else:
            values = [v[0] for v in struct.iter_unpack("!" + column._typecode, raw)]
        missing = column._doccount - len(values)
        return values + [column._default] * missing if missing > 0 else values
    except Exception:
        return list(column)


@dataclass
class SearcherData:
    """`SegmentData` of every segment of one searcher, joined (index = global docnum)."""

    label: list[str | None] = field(default_factory=list)
    doc: list[str | None] = field(default_factory=list)
    tags: list[tuple[str, ...] | None] = field(default_factory=list)
    pos: list[int] = field(default_factory=list)
    created: list[int] = field(default_factory=list)
    modified: list[int] = field(default_factory=list)


class SegmentCache:
    """SegmentData by segment id; `for_reader` joins them for a (multi-)reader."""

    def __init__(self) -> None:
        self._segments: dict[str, SegmentData] = {}
        self._lengths: dict[tuple[str, str], list[float]] = {}
        self._lexicons: dict[tuple[str, str], list[str]] = {}
        self._postings: OrderedDict[tuple[str, int, str, str, bool], Postings] = OrderedDict()
        self._held = 0

    def postings(
        self, reader: IndexReader, offset: int, fieldname: str, text: str, weights: bool
    ) -> Postings:
        """One segment's posting list of a term, as global document numbers (segment readers
        stay the same across commits that do not touch them, so this survives them)."""
        key = (_segment_key(reader), offset, fieldname, text, weights)
        found = self._postings.get(key)
        if found is not None:
            self._postings.move_to_end(key)
            return found
        from annotator.search.engine import read_postings

        found = self._postings[key] = read_postings(reader, offset, fieldname, text, weights)
        self._held += found.size
        while self._held > POSTINGS_HELD and len(self._postings) > 1:
            _, old = self._postings.popitem(last=False)
            self._held -= old.size
        return found

    def drop_postings(self) -> None:
        """Forget cached posting lists, except those of `kind` (every query needs them)."""
        for key in [k for k in self._postings if k[2] != "kind"]:
            self._held -= self._postings.pop(key).size

    def lexicon(self, reader: IndexReader, fieldname: str) -> list[str]:
        """The terms of `fieldname` in the segment `reader` (for fuzzy matching)."""
        key = (_segment_key(reader), fieldname)
        found = self._lexicons.get(key)
        if found is None:
            words: list[str] = []
            if fieldname in reader.indexed_field_names():
                words = [b.decode("utf-8") for b in reader.lexicon(fieldname)]
            found = self._lexicons[key] = words
        return found

    def lengths(self, reader: IndexReader, fieldname: str) -> list[float]:
        """The length of `fieldname` in each document of the segment `reader` (for BM25)."""
        key = (_segment_key(reader), fieldname)
        found = self._lengths.get(key)
        if found is None:
            found = self._lengths[key] = _lengths(reader, fieldname)
        return found

    def for_reader(self, reader: IndexReader) -> SearcherData:
        joined = SearcherData()
        live: set[str] = set()
        for leaf, offset in reader.leaf_readers():
            key = _segment_key(leaf)
            live.add(key)
            data = self._segments.get(key)
            if data is None:
                data = self._segments[key] = SegmentData.read(leaf)
            assert len(joined.label) == offset, "leaf readers out of order"
            joined.label += data.label
            joined.doc += data.doc
            joined.tags += data.tags
            joined.pos += data.pos
            joined.created += data.created
            joined.modified += data.modified
        for key in set(self._segments) - live:
            del self._segments[key]
        for stale in [k for k in self._lengths if k[0] not in live]:
            del self._lengths[stale]
        for gone in [k for k in self._lexicons if k[0] not in live]:
            del self._lexicons[gone]
        for dead in [k for k in self._postings if k[0] not in live]:
            self._held -= self._postings.pop(dead).size
        return joined


def _segment_key(reader: IndexReader) -> str:
    segment = reader.segment()
    return segment.segment_id() if segment is not None else f"anon-{id(reader)}"


def _lengths(reader: IndexReader, fieldname: str) -> list[float]:
    n = reader.doc_count_all()
    try:  # whoosh3 codec: the whole per-document length column at once
        from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
        from whoosh.util.numeric import byte_to_length

        column = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)  # type: ignore[attr-defined]
        if column is None:
            return [0.0] * n
        table = [float(byte_to_length(i)) for i in range(256)]
        values = [table[v] for v in column_values(column)]
        return values if len(values) == n else (values + [0.0] * n)[:n]
    except Exception:  # another codec: one call per document
        return [float(reader.doc_field_length(d, fieldname, 0) or 0) for d in range(n)]
