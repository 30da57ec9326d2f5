"""One search, given a live searcher: match, order and page, count facets, find the terms to
highlight, and suggest a correction. `SearchService.search` calls these under its lock."""

from __future__ import annotations

import heapq
import logging
from collections import Counter
from collections.abc import Callable, Iterable
from itertools import chain
from typing import TYPE_CHECKING, Any

from annotator.search.results import FacetValue, SearcherData
from annotator.search.schema import CLAIM

if TYPE_CHECKING:
    from whoosh.query import Query
    from whoosh.searching import Searcher

    from annotator.search.engine import Engine
    from annotator.search.query import ParsedQuery, QueryContext
    from annotator.search.spelling import TextOf

_log = logging.getLogger(__name__)

Top = list[tuple[int, float | None]]


def run(
    engine: Engine,
    data: SearcherData,
    query: Query,
    *,
    ranked: bool,
    sort: str,
    page: int,
    page_size: int,
    order: dict[str, int],
) -> tuple[set[int], Top]:
    """Every matching document number, and the (docnum, score) of the page asked for.
    `order` is each document's position (for document order and for ties)."""
    matched = engine.matches(query)
    want = page * page_size
    offset = want - page_size
    doc, pos = data.doc, data.pos

    def in_document(d: int) -> tuple[int, int, int]:
        return (order.get(doc[d] or "", 0), pos[d], d)

    if sort == "relevance" and ranked:
        return matched, list(engine.top(query, matched, want, in_document)[offset:])
    if sort in ("date", "created"):
        times = data.modified if sort == "date" else data.created

        def newest(d: int) -> tuple[int, int, int, int]:
            return (-times[d], order.get(doc[d] or "", 0), pos[d], d)

        chosen = heapq.nsmallest(want, matched, key=newest)[offset:]
    else:
        chosen = heapq.nsmallest(want, matched, key=in_document)[offset:]
    return matched, [(d, None) for d in chosen]


def facets(
    matched: set[int],
    data: SearcherData,
    ctx: QueryContext,
    tag_names: Callable[[], dict[str, str]],
) -> dict[str, list[FacetValue]]:
    """Counts of the matches per document, and for claims per label and per tag."""
    docs = Counter(map(data.doc.__getitem__, matched))
    known = {d.id: d for d in ctx.documents}
    out = {
        "document": [
            FacetValue(doc_id, known[doc_id].title, n)
            for doc_id, n in sorted(
                docs.items(),
                key=lambda kv: (-kv[1], known[kv[0]].position if kv[0] in known else 0),
            )
            if doc_id in known
        ]
    }
    if ctx.kind == CLAIM:
        labels = Counter(map(data.label.__getitem__, matched))
        out["label"] = [
            FacetValue(lab.id, lab.name, labels[lab.id]) for lab in ctx.labels if labels[lab.id]
        ]
        tags = Counter(chain.from_iterable(filter(None, map(data.tags.__getitem__, matched))))
        names = tag_names() if tags else {}
        out["tag"] = [
            FacetValue(tag, names.get(tag, tag), n)
            for tag, n in sorted(tags.items(), key=lambda kv: (-kv[1], kv[0]))
        ]
    return out


def highlight_terms(engine: Engine, query: Query) -> dict[str, set[str]]:
    """The indexed terms the query matches, by field (prefixes and fuzzy terms expanded),
    leaving out negated parts: what snippets highlight."""
    from whoosh.query import MultiTerm, Not, NullQuery

    def positive(q: Query) -> Query:
        if isinstance(q, Not):
            return NullQuery
        return q if q.is_leaf() else q.apply(positive)

    out: dict[str, set[str]] = {}
    try:
        # Leaf by leaf: Query.existing_terms() on a tree skips every field but the first
        # (its loop variable shadows its `fieldname` argument); multi-term leaves expand per
        # segment (over a multi-segment reader Whoosh scans every term).
        for leaf in positive(query).leaves():
            terms: Iterable[tuple[str, Any]] = (
                engine.expansions(leaf) if isinstance(leaf, MultiTerm) else leaf.terms(phrases=True)
            )
            for fieldname, text in terms:
                value = text.decode("utf-8") if isinstance(text, bytes) else str(text)
                out.setdefault(fieldname, set()).add(value)
    except Exception:  # highlighting is a nicety: never let it fail a search
        _log.debug("no highlight terms for %r", query, exc_info=True)
    return out


def did_you_mean(
    searcher: Searcher, engine: Engine, parsed: ParsedQuery, ctx: QueryContext, text_of: TextOf
) -> str | None:
    """The query with each word that has no hits replaced by a close word that has."""
    from annotator.search import spelling

    fields = list(ctx.text_fields)
    lookup = ["quote", "note"] if ctx.kind == CLAIM else ["passage"]
    suggestion, changed = parsed.text, False
    for word in parsed.words[:8]:
        if spelling.word_has_hits(searcher, word, fields):
            continue
        better = spelling.correction(searcher, engine.near, word, lookup, text_of)
        if better:
            suggestion, changed = spelling.replace_word(suggestion, word, better), True
    return suggestion if changed else None
