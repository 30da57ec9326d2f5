"""Running a parsed query over the index: sets of document numbers, then BM25 for the top hits.

Whoosh's matchers advance document by document in Python (~10-20 µs per matching document and
query node), so a common word over 100,000 claims took hundreds of milliseconds to count, facet
and rank. Here Whoosh still stores the postings and parses, expands and phrase-matches, but the
boolean algebra runs on Python sets (C speed) built from posting lists read block by block:

- `matches(q)`: Term -> the term's documents; And/Or/Not/AndNot/AndMaybe -> set operations;
  Prefix, Wildcard, FuzzyTerm, TermRange -> union over their expansions (expanded per segment,
  where Whoosh's Levenshtein automaton is fast); Phrase and anything else -> Whoosh's own
  matcher. Deleted documents are removed at the end.
- `top(q, matched, k)`: BM25F (Whoosh's formula and parameters) summed over the positive text
  terms, per-term contributions cached, then the k best.

Posting lists and contributions are cached per searcher (an LRU bounded by postings held); a new
searcher (after each index commit) starts empty. Reading a posting list uses the whoosh3 codec's
block attributes (`_read_ids`, `_ids`, ...); if they are missing, the public matcher API is used.
"""

from __future__ import annotations

import heapq
import math
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, cast

from annotator.search.query_fields import ColumnRange
from annotator.search.schema import CLAIM_TEXT_FIELDS, PASSAGE_TEXT_FIELDS

if TYPE_CHECKING:
    from whoosh.query import Query
    from whoosh.reading import IndexReader
    from whoosh.searching import Searcher

    from annotator.search.results import SearcherData, SegmentCache

SCORED_FIELDS = frozenset({*CLAIM_TEXT_FIELDS, *PASSAGE_TEXT_FIELDS, "author"})
CACHE_POSTINGS = 3_000_000
MAX_EXPANSION = 2_000
"""A prefix, wildcard or fuzzy term expands to at most this many terms per segment."""
B, K1 = 0.75, 1.2


class Postings:
    __slots__ = ("ids", "size", "weights")

    def __init__(self, ids: frozenset[int], weights: dict[int, float] | None) -> None:
        self.ids = ids
        self.weights = weights
        self.size = len(ids)


class Engine:
    """Query evaluation over one searcher (not thread-safe: the service holds a lock)."""

    def __init__(self, searcher: Searcher, segments: SegmentCache, data: SearcherData) -> None:
        self.searcher = searcher
        self.segments = segments
        self.data = data
        self.reader: IndexReader = searcher.reader()
        self.leaves = list(self.reader.leaf_readers())
        self._cache: OrderedDict[tuple[str, str, bool], Postings] = OrderedDict()
        self._held = 0
        self._contrib: OrderedDict[tuple[str, str], dict[int, float]] = OrderedDict()
        self._deleted: set[int] | None = None
        self._all: frozenset[int] | None = None
        self._memo: OrderedDict[str, frozenset[int]] = OrderedDict()
        self._expanded: dict[str, list[tuple[str, str]]] = {}

    # -- posting lists ------------------------------------------------------------------------

    def postings(self, fieldname: str, text: str, weights: bool = False) -> Postings:
        key = (fieldname, text, weights)
        found = self._cache.get(key)
        if found is not None:
            self._cache.move_to_end(key)
            return found
        parts = [
            self.segments.postings(leaf, offset, fieldname, text, weights)
            for leaf, offset in self.leaves
            if (fieldname, text) in leaf  # type: ignore[operator]
        ]
        if len(parts) == 1:
            posting = parts[0]
        else:
            merged: dict[int, float] | None = None
            if weights:
                merged = {}
                for part in parts:
                    merged.update(part.weights or {})
            posting = Postings(frozenset().union(*(p.ids for p in parts)), merged)
        self._cache[key] = posting
        self._held += posting.size
        while self._held > CACHE_POSTINGS and len(self._cache) > 1:
            _, old = self._cache.popitem(last=False)
            self._held -= old.size
        return posting

    def deleted(self) -> set[int]:
        if self._deleted is None:
            out: set[int] = set()
            for leaf, offset in self.leaves:
                if leaf.has_deletions():
                    out.update(d + offset for d in _deleted_docs(leaf))
            self._deleted = out
        return self._deleted

    def everything(self) -> frozenset[int]:
        if self._all is None:
            self._all = frozenset(range(self.reader.doc_count_all())) - self.deleted()
        return self._all

    # -- matching -----------------------------------------------------------------------------

    def matches(self, q: Query) -> set[int]:
        """Live document numbers matching `q`."""
        found = self._eval(q)
        deleted = self.deleted()
        return set(found - deleted) if deleted else set(found)

    def _eval(self, q: Query) -> frozenset[int] | set[int]:
        from whoosh import query as wq

        if q is wq.NullQuery or isinstance(q, wq.NullQuery.__class__):
            return frozenset()
        if isinstance(q, wq.Every):
            return self.everything()
        if isinstance(q, wq.Term):
            return self.postings(q.fieldname, _text(q.text)).ids
        if isinstance(q, wq.And):
            positive = [c for c in q.subqueries if not isinstance(c, wq.Not)]
            negative = [c.query for c in q.subqueries if isinstance(c, wq.Not)]
            sets = sorted((self._eval(c) for c in positive), key=len)
            result: frozenset[int] | set[int] = sets[0] if sets else self.everything()
            for other in sets[1:]:
                result = result & other
                if not result:
                    return frozenset()
            for neg in negative:
                result = result - self._eval(neg)
            return result
        if isinstance(q, wq.Or):
            out: set[int] = set()
            for child in q.subqueries:
                out |= self._eval(child)
            return out
        if isinstance(q, wq.Not):
            return self.everything() - self._eval(q.query)
        if isinstance(q, wq.AndNot):
            return self._eval(q.a) - self._eval(q.b)
        if isinstance(q, wq.AndMaybe):
            return self._eval(q.a)
        key = repr(q)
        found = self._memo.get(key)
        if found is not None:
            return found
        if isinstance(q, ColumnRange):
            column = self.data.created if q.fieldname == "t_created" else self.data.modified
            inside = q.contains
            out = {d for d, value in enumerate(column) if inside(value)}
        elif isinstance(q, wq.MultiTerm):  # Prefix, Wildcard, FuzzyTerm, TermRange, ...
            out = set()
            for fieldname, text in self.expansions(q):
                out |= self.postings(fieldname, text).ids
        elif isinstance(q, wq.Phrase) and len(q.words) > 1:
            out = self._phrase(q.fieldname, [_text(w) for w in q.words], max(1, q.slop))
        else:  # anything unusual: Whoosh's matcher (it skips deleted documents itself)
            out = set(self.searcher.docs_for_query(q))
        result = self._memo[key] = frozenset(out)
        while len(self._memo) > 64:
            self._memo.popitem(last=False)
        return result

    def _phrase(self, fieldname: str, words: list[str], slop: int) -> set[int]:
        """Documents where `words` occur in order, each within `slop` positions of the last:
        candidates from the posting sets, positions read only for those."""
        sets = [self.postings(fieldname, w).ids for w in words]
        candidates = frozenset.intersection(*sets)
        if not candidates:
            return set()
        out: set[int] = set()
        ordered = sorted(candidates)
        for leaf, offset in self.leaves:
            end = offset + leaf.doc_count_all()
            local = [d - offset for d in ordered if offset <= d < end]
            if not local:
                continue
            matchers = [_unfiltered(leaf.postings(fieldname, w)) for w in words]
            for d in local:
                positions = []
                for m in matchers:
                    m.skip_to(d)
                    positions.append(set(m.value_as("positions")))
                if _in_order(positions, slop):
                    out.add(d + offset)
        return out

    def expansions(self, q: Any) -> list[tuple[str, str]]:
        """The indexed terms a multi-term query stands for, expanded segment by segment."""
        from whoosh.query import FuzzyTerm

        key = repr(q)
        found = self._expanded.get(key)
        if found is not None:
            return found
        if isinstance(q, FuzzyTerm):
            text = _text(q.text)
            texts = set(self.near(q.fieldname, text, q.maxdist, q.prefixlength))
        else:
            texts = set()
            for leaf, _ in self.leaves:
                if q.fieldname not in leaf.indexed_field_names():
                    continue
                for i, btext in enumerate(q._btexts(leaf)):
                    if i >= MAX_EXPANSION:
                        break
                    texts.add(_text(btext))
        result = self._expanded[key] = [(q.fieldname, t) for t in sorted(texts)]
        return result

    def near(self, fieldname: str, text: str, maxdist: int, prefix: int = 0) -> list[str]:
        """Indexed terms of `fieldname` within `maxdist` edits of `text` (rapidfuzz over each
        segment's cached term list: Whoosh's automaton is built anew for every call)."""
        from rapidfuzz import process
        from rapidfuzz.distance import Levenshtein

        found: set[str] = set()
        for leaf, _ in self.leaves:
            words = self.segments.lexicon(leaf, fieldname)
            if not words:
                continue
            hits = process.extract(
                text, words, scorer=Levenshtein.distance, score_cutoff=maxdist, limit=None
            )
            found.update(w for w, _, _ in hits if w.startswith(text[:prefix]))
        return sorted(found)[:MAX_EXPANSION]

    # -- ranking ------------------------------------------------------------------------------

    def top(
        self, q: Query, matched: set[int], k: int, tiebreak: Callable[[int], Any]
    ) -> list[tuple[int, float]]:
        """The `k` best of `matched` by BM25F over the positive text terms of `q`."""
        scores: dict[int, float] = {}
        for fieldname, text, boost in self.scoring_terms(q):
            contrib = self._contributions(fieldname, text)
            common = (
                matched & contrib.keys()
                if len(contrib) > len(matched)
                else (contrib.keys() & matched)
            )
            get = scores.get
            for d in common:
                scores[d] = get(d, 0.0) + boost * contrib[d]
        if not scores:  # filters only (label:, tag:, dates): nothing to rank by
            return [(d, 0.0) for d in heapq.nsmallest(k, matched, key=tiebreak)]
        if len(scores) < k:  # some matched without a scored term (an OR with a filter)
            for d in heapq.nsmallest(k, matched - scores.keys(), key=tiebreak):
                scores[d] = 0.0
        if len(scores) > k:  # keep those scoring at least the k-th best, ties included
            kth = heapq.nlargest(k, scores.values())[-1]
            chosen = [d for d, s in scores.items() if s >= kth]
        else:
            chosen = list(scores)
        chosen.sort(key=lambda d: (-scores[d], tiebreak(d)))
        return [(d, scores[d]) for d in chosen[:k]]

    def scoring_terms(self, q: Query) -> list[tuple[str, str, float]]:
        from whoosh import query as wq

        out: list[tuple[str, str, float]] = []

        def walk(node: Query, boost: float) -> None:
            if isinstance(node, (wq.Not, wq.NullQuery.__class__)):
                return
            if isinstance(node, wq.AndNot):
                walk(node.a, boost)
                return
            fieldname = getattr(node, "fieldname", None)
            if isinstance(node, wq.Term) and fieldname in SCORED_FIELDS:
                out.append((node.fieldname, _text(node.text), boost * node.boost))
            elif isinstance(node, wq.FuzzyTerm) and fieldname in SCORED_FIELDS:
                for f, t in self.expansions(node):
                    out.append((f, t, boost * node.boost))
            elif isinstance(node, wq.Phrase) and fieldname in SCORED_FIELDS:
                out.extend((node.fieldname, _text(w), boost * node.boost) for w in node.words)
            elif not node.is_leaf():
                for child in node.children():
                    walk(child, boost)

        walk(q, 1.0)
        return out

    def _contributions(self, fieldname: str, text: str) -> dict[int, float]:
        key = (fieldname, text)
        found = self._contrib.get(key)
        if found is not None:
            self._contrib.move_to_end(key)
            return found
        posting = self.postings(fieldname, text, weights=True)
        n = self.reader.doc_count_all()
        df = posting.size
        idf = math.log(n / (df + 1)) + 1.0
        avgfl = (self.reader.field_length(fieldname) / max(1, n)) or 1.0
        lengths = self._lengths(fieldname)
        norm = K1 * (1 - B)
        scale = K1 * B / avgfl
        weights = posting.weights or {}
        out = {
            d: idf * (tf * (K1 + 1)) / (tf + norm + scale * lengths(d)) for d, tf in weights.items()
        }
        self._contrib[key] = out
        while len(self._contrib) > 64:
            self._contrib.popitem(last=False)
        return out

    def _lengths(self, fieldname: str) -> Callable[[int], float]:
        joined: list[float] = []
        for leaf, _ in self.leaves:
            joined += self.segments.lengths(leaf, fieldname)
        return joined.__getitem__


def _text(value: Any) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def _deleted_docs(leaf: Any) -> Iterable[int]:
    found = getattr(leaf, "deleted_docs_set", None)  # whoosh3 SegmentReader
    if found is not None:
        return cast(Iterable[int], found)
    return (d for d in range(leaf.doc_count_all()) if leaf.is_deleted(d))


def _unfiltered(matcher: Any) -> Any:
    from whoosh.matching.wrappers import FilterMatcher

    return matcher.child if isinstance(matcher, FilterMatcher) else matcher


def _in_order(positions: list[set[int]], slop: int) -> bool:
    """Some position of the first word starts a chain through the others, each next word at
    most `slop` positions after the previous one."""
    for start in positions[0]:
        current = {start}
        for following in positions[1:]:
            current = {q for p in current for q in range(p + 1, p + slop + 1) if q in following}
            if not current:
                break
        else:
            return True
    return False


def read_postings(
    leaf: IndexReader, offset: int, fieldname: str, text: str, weights: bool
) -> Postings:
    """A segment's posting list (deleted documents included: callers remove them)."""
    ids: list[int] = []
    wts: list[float] = []
    _read(leaf.postings(fieldname, text), offset, ids, wts if weights else None)
    return Postings(frozenset(ids), dict(zip(ids, wts, strict=False)) if weights else None)


def _read(matcher: Any, offset: int, ids: list[int], weights: list[float] | None) -> None:
    """Append a leaf's postings (document numbers + offset, and weights) to the lists."""
    from whoosh.matching.wrappers import FilterMatcher

    if isinstance(matcher, FilterMatcher):  # deletions: removed by the caller instead
        matcher = matcher.child
    if hasattr(matcher, "_read_ids") and hasattr(matcher, "_next_block"):
        while matcher.is_active():
            if matcher._ids is None:
                matcher._read_ids()
            start = matcher._i
            block = matcher._ids[start:]
            ids.extend((d + offset for d in block) if offset else block)
            if weights is not None:
                if matcher._weights is None:
                    matcher._read_weights()
                weights.extend(matcher._weights[start:])
            matcher._next_block()
        return
    while matcher.is_active():  # pragma: no cover - another codec
        ids.append(matcher.id() + offset)
        if weights is not None:
            weights.append(matcher.weight())
        matcher.next()
