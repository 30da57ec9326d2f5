"""`SearchService`: the one object the CLI and the UI use to search a project.

    service = SearchService(project)        # opens, checks, catches up or rebuilds the index
    service.repair_message                  # set if it had to repair: show it to the user
    service.start()                         # background indexer, woken by Project.subscribe
    results = service.search("label:disputed Shachtman", kind="claims", sort="relevance",
                             filters={"document": [doc_id]}, page=1, page_size=50)
    service.wait_until_current(timeout=5)   # True once every committed change is searchable
    service.close()                         # stops the indexer, closes the index

See annotator.search (package docstring) for the whole API and annotator.search.query for the
query language.
"""

from __future__ import annotations

import heapq
import logging
import math
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Iterable
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.domain.errors import AnnotatorError
from annotator.search import feed
from annotator.search.engine import Engine
from annotator.search.index_store import (
    IndexMeta,
    IndexProblem,
    IndexStore,
    Progress,
    index_home,
)
from annotator.search.indexer import BackgroundIndexer, BacklogTooLarge, apply_pending, count_kind
from annotator.search.query import (
    DocInfo,
    ParsedQuery,
    QueryContext,
    parse,
    plain_query,
    title_tokens,
)
from annotator.search.readers import fresh_searcher
from annotator.search.results import (
    FacetValue,
    SearcherData,
    SearchResults,
    SegmentCache,
)
from annotator.search.schema import CLAIM, PASSAGE

if TYPE_CHECKING:
    from whoosh.index import Index
    from whoosh.query import Query
    from whoosh.searching import Searcher

    from annotator.services.api import Project
    from annotator.services.changes import Changes

_log = logging.getLogger(__name__)

SORTS = ("relevance", "date", "created", "document")
KINDS = {"claims": CLAIM, "claim": CLAIM, "passages": PASSAGE, "passage": PASSAGE}
FILTER_KEYS = {
    "label": "label",
    "labels": "label",
    "document": "doc_id",
    "documents": "doc_id",
    "doc": "doc_id",
    "tag": "tag",
    "tags": "tag",
}


class SearchUnavailable(AnnotatorError):
    """The index could not be read even after rebuilding it."""


class SearchService:
    def __init__(
        self,
        project: Project,
        index_dir: Path | str | None = None,
        *,
        procs: int | None = None,
        progress: Progress | None = None,
        lock_timeout: float = 300.0,
    ) -> None:
        """Open the index of `project` (in `index_dir`, else the user cache folder), check it
        against the project, bring it up to date, or rebuild it. `procs` is the number of worker
        processes for a rebuild (None: automatic)."""
        self.project = project
        self.project_id = project.project_id()
        home = Path(index_dir) if index_dir else index_home(project.path, self.project_id)
        self.store = IndexStore(home)
        self.repair_message: str | None = None
        """One sentence for the user when the index had to be repaired on open, else None."""
        self.status_message: str | None = None
        """What opening did (built, caught up with N changes), for logs and status bars."""
        self._procs = procs
        self._lock = threading.RLock()  # the live index, searcher and caches
        self._ix: Index | None = None
        self._folder: Path | None = None
        self._searcher: Searcher | None = None
        self._data: SearcherData | None = None
        self._engine: Engine | None = None
        self._segments = SegmentCache()
        self._context: dict[str, QueryContext] = {}
        self._tag_names: dict[str, str] | None = None
        self._texts: OrderedDict[str, str] = OrderedDict()
        self._applied = 0
        self._warmed = False
        self._writer_searcher: Searcher | None = None
        self._cond = threading.Condition()
        self._indexer = BackgroundIndexer(self._apply_in_background)
        self._unsubscribe = project.subscribe(self._on_changes)
        first_time = not (home / "CURRENT").exists() and not home.exists()
        with self.store.lock.hold(timeout=lock_timeout):
            self._open_locked(progress, first_time)

    # -- life cycle ---------------------------------------------------------------------------

    def start(self) -> None:
        """Keep the index in step in the background from now on (one thread)."""
        self._indexer.start()

    def stop(self) -> None:
        self._indexer.stop()

    def close(self) -> None:
        self.stop()
        self._unsubscribe()
        if self._writer_searcher is not None:
            self._writer_searcher.close()
            self._writer_searcher = None
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
            self._searcher = None
            self._ix = None

    def __enter__(self) -> SearchService:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def index_dir(self) -> Path | None:
        """The live index folder."""
        return self._folder

    @property
    def applied_change(self) -> int:
        return self._applied

    def update(self, lock_timeout: float = 30.0) -> int:
        """Apply pending changes now, in this thread; returns how many outbox rows it applied
        (rebuilding instead if the index is gone or far behind)."""
        with self.store.lock.hold(timeout=lock_timeout):
            try:
                return self._catch_up_locked()
            except (IndexProblem, BacklogTooLarge) as problem:
                self._rebuild_after(problem)
                return 0

    def wait_until_current(self, timeout: float = 5.0) -> bool:
        """Wait until every change committed so far is searchable; False on timeout."""
        target = self.project.change_number()
        if not self._indexer.running:
            self.update(lock_timeout=timeout)
            return self._applied >= target
        self._indexer.wake()
        with self._cond:
            return self._cond.wait_for(lambda: self._applied >= target, timeout)

    def drop_query_caches(self) -> None:
        """Forget every cached posting list and expansion (benchmarks use it to time a query
        whose terms were never searched; per-document data and field lengths stay)."""
        with self._lock:
            self._engine = None
            self._data = None
            self._segments.drop_postings()

    def warm(self) -> None:
        """Load what the first search would (per-document data, field lengths) now."""
        from annotator.search.engine import SCORED_FIELDS

        with self._lock:
            engine = self._current()[2]
            for leaf, _ in engine.leaves:
                for fieldname in SCORED_FIELDS:
                    if fieldname in leaf.indexed_field_names():
                        self._segments.lengths(leaf, fieldname)

    def rebuild(self, progress: Progress | None = None, procs: int | None = None) -> None:
        """Rebuild the whole index into a new folder and swap it in."""
        with self.store.lock.hold(timeout=300.0):
            meta = self._rebuild_locked(progress, procs)
        self.status_message = _built("Rebuilt the search index", meta)

    # -- opening, catching up, rebuilding (callers hold the store lock) ------------------------

    def _open_locked(self, progress: Progress | None, first_time: bool) -> None:
        try:
            ix, folder, meta = self.store.open_current(self.project_id)
            if meta.last_change > self.project.change_number():
                raise IndexProblem("was ahead of the project (was the file restored?)", "mismatch")
            self._use(ix, folder, meta.last_change)
            applied = self._catch_up_locked()
            self._check_counts()
            self.status_message = f"Search index up to date ({applied} changes applied)."
        except (IndexProblem, BacklogTooLarge) as problem:
            meta = self._rebuild_locked(progress, self._procs)
            if first_time:
                self.status_message = _built("Built the search index", meta)
            else:
                reason = problem.reason if isinstance(problem, IndexProblem) else "was far behind"
                self.repair_message = _built(f"The search index {reason}; rebuilt it", meta)
                self.status_message = self.repair_message
                _log.warning("%s", self.repair_message)

    def _check_counts(self) -> None:
        assert self._ix is not None
        claims = self.project.annotation_count()
        indexed = count_kind(self._ix, CLAIM)
        if indexed != claims:
            raise IndexProblem(
                f"had {indexed:,} claims where the project has {claims:,}", "mismatch"
            )
        with feed.snapshot(self.project) as conn:
            passages = sum(len(d.paragraphs) for d in feed.documents(conn))
        indexed = count_kind(self._ix, PASSAGE)
        if indexed != passages:
            raise IndexProblem(
                f"had {indexed:,} passages where the project has {passages:,}", "mismatch"
            )

    def _rebuild_locked(self, progress: Progress | None, procs: int | None) -> IndexMeta:
        from whoosh import index

        folder, meta = self.store.build(self.project, procs=procs, progress=progress)
        self.store.swap(folder)
        self._use(index.open_dir(str(folder)), folder, meta.last_change)
        self._catch_up_locked()  # what changed while it was being built
        return meta

    def _use(self, ix: Index, folder: Path, applied: int) -> None:
        if self._writer_searcher is not None:
            self._writer_searcher.close()
            self._writer_searcher = None
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
            self._ix, self._folder, self._searcher = ix, folder, None
            self._data = self._engine = None
        self._set_applied(applied)

    def _catch_up_locked(self) -> int:
        from whoosh import index

        live = self.store.current_dir()
        if live is None or not live.is_dir():
            raise IndexProblem("was missing", "missing")
        if live != self._folder:  # another window or process rebuilt it
            meta = IndexMeta.read(live)
            self._use(index.open_dir(str(live)), live, meta.last_change)
        assert self._ix is not None and self._folder is not None
        meta = IndexMeta.read(self._folder)
        # The indexer's own reader (never the one searches use: readers are not thread-safe).
        self._writer_searcher = fresh_searcher(self._ix, self._writer_searcher)
        applied = apply_pending(self.project, self._ix, meta.last_change, self._writer_searcher)
        if applied.change_number != meta.last_change:
            meta.last_change = applied.change_number
            meta.write(self._folder)
        if applied.rows:
            self._forget_context(documents=applied.documents > 0, tags=applied.claims > 0)
        self._set_applied(applied.change_number)
        return applied.rows

    def _apply_in_background(self) -> None:
        self.update(lock_timeout=30.0)
        if not self._warmed:
            self._warmed = True
            try:
                self.warm()
            except Exception as exc:  # only a head start: searching works without it
                _log.info("warming the search caches failed: %s", exc)

    def _rebuild_after(self, problem: Exception) -> None:
        """Rebuild (store lock held) and say why in `repair_message`."""
        meta = self._rebuild_locked(None, self._procs)
        reason = problem.reason if isinstance(problem, IndexProblem) else "was far behind"
        self.repair_message = _built(f"The search index {reason}; rebuilt it", meta)
        _log.warning("%s", self.repair_message)

    def _set_applied(self, number: int) -> None:
        with self._cond:
            self._applied = number
            self._cond.notify_all()

    def _on_changes(self, changes: Changes) -> None:
        """Project.subscribe callback: returns at once; the indexer thread does the work."""
        if changes.touches("document") or changes.touches("label"):
            self._forget_context(documents=True, tags=False)
        if changes.touches("annotation"):
            self._tag_names = None
        if self._indexer.running:
            self._indexer.notify(changes)

    def _forget_context(self, *, documents: bool, tags: bool) -> None:
        if documents:
            self._context = {}
        if tags:
            self._tag_names = None

    # -- searching ----------------------------------------------------------------------------

    def search(
        self,
        query: str,
        *,
        kind: str = "claims",
        filters: dict[str, list[str]] | None = None,
        sort: str = "relevance",
        page: int = 1,
        page_size: int = 50,
    ) -> SearchResults:
        """Search claims (or source passages). Never raises for any query text: problems come
        back as `notice`. `filters` narrow by facet values: {"label": [label ids], "document":
        [document ids], "tag": [tags]} (any of the values of a key, all of the keys)."""
        started = time.perf_counter()
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {sorted(KINDS)}, not {kind!r}")
        if sort not in SORTS:
            raise ValueError(f"sort must be one of {SORTS}, not {sort!r}")
        doc_kind = KINDS[kind]
        page, page_size = max(1, int(page)), max(1, min(int(page_size), 1000))
        ctx = self.context(doc_kind)
        parsed = parse(query, ctx)
        notices = list(parsed.notices)
        for attempt in (1, 2):
            self._ensure_live()
            try:
                with self._lock:
                    searcher, data, engine = self._current()
                    base = self._full_query(parsed.query, doc_kind, filters, ctx)
                    try:
                        matched, top = self._run(engine, data, base, parsed, sort, page, page_size)
                    except _Unreadable:
                        raise
                    except Exception as exc:  # Whoosh refused this query: search the words
                        _log.warning("query %r failed: %s", query, exc, exc_info=True)
                        parsed = _as_words(parsed, ctx, notices)
                        base = self._full_query(parsed.query, doc_kind, filters, ctx)
                        matched, top = self._run(engine, data, base, parsed, sort, page, page_size)
                    facets = self._facets(matched, data, doc_kind, ctx)
                    terms = _terms(engine, base)
                    stored = [(searcher.reader().stored_fields(d), score) for d, score in top]
                    suggestion = self._did_you_mean(searcher, engine, parsed, ctx)
                break
            except _Unreadable as exc:
                if attempt == 2:
                    raise SearchUnavailable(
                        "The search index cannot be read; try again after `annotator reindex`."
                    ) from exc
                self._repair_now(exc.reason)
        from annotator.search.hits import build_hits

        hits = build_hits(self, stored, terms, ctx)
        total = len(matched) - (len(stored) - len(hits))  # hits deleted since they were indexed
        return SearchResults(
            query=query,
            kind="claims" if doc_kind == CLAIM else "passages",
            hits=hits,
            total=total,
            facets=facets,
            notice=" ".join(dict.fromkeys(notices)) or None,
            did_you_mean=suggestion,
            page=page,
            pages=max(1, math.ceil(total / page_size)),
            page_size=page_size,
            sort=sort,
            elapsed_ms=(time.perf_counter() - started) * 1000,
            fallback=parsed.fallback,
        )

    def context(self, kind: str = CLAIM) -> QueryContext:
        """Labels and documents as queries see them (cached until they change)."""
        ctx = self._context.get(kind)
        if ctx is None:
            docs = [
                DocInfo(d.id, d.title, d.position, d.published, title_tokens(d.title))
                for d in self.project.documents()
            ]
            ctx = self._context[kind] = QueryContext(self.project.labels(), docs, kind)
        return ctx

    def tag_names(self) -> dict[str, str]:
        names = self._tag_names
        if names is None:
            names = self._tag_names = {t.lower(): t for t, _ in self.project.tags_in_use()}
        return names

    def document_text(self, document_id: str) -> str:
        """A document's text, from a small cache (texts never change after import)."""
        text = self._texts.get(document_id)
        if text is None:
            text = self.project.document_text(document_id)
            self._texts[document_id] = text
            while len(self._texts) > 8:
                self._texts.popitem(last=False)
        else:
            self._texts.move_to_end(document_id)
        return text

    def _ensure_live(self) -> None:
        """Follow a rebuild made by another process; repair a live index that has vanished.
        Called WITHOUT self._lock (repairing takes the store lock, which comes first)."""
        from whoosh import index

        live = self.store.current_dir()
        if live is not None and live != self._folder and live.is_dir():
            try:
                meta = IndexMeta.read(live)
                self._use(index.open_dir(str(live)), live, meta.last_change)
            except Exception as exc:  # a rebuild half-visible: keep ours for now
                _log.info("could not switch to %s: %s", live, exc)
        if self._ix is None or self._folder is None or not self._folder.is_dir():
            self._repair_now("was missing")

    def _current(self) -> tuple[Searcher, SearcherData, Engine]:
        """The searcher of the live index, refreshed if the index changed (call with
        self._lock); raises _Unreadable if its files are gone or damaged."""
        if self._ix is None:
            raise _Unreadable("was missing")
        try:
            if self._searcher is None:
                self._searcher = self._ix.searcher()
            elif not self._searcher.up_to_date():
                # Not Searcher.refresh(): see annotator.search.readers.
                self._searcher = fresh_searcher(self._ix, self._searcher)
                self._data = self._engine = None
            if self._data is None or self._engine is None:
                self._data = self._segments.for_reader(self._searcher.reader())
                self._engine = Engine(self._searcher, self._segments)
        except Exception as exc:  # deleted or damaged under us
            self._searcher = self._data = self._engine = None
            raise _Unreadable(f"could not be read ({type(exc).__name__})") from exc
        return self._searcher, self._data, self._engine

    def _repair_now(self, reason: str) -> None:
        with self.store.lock.hold(timeout=300.0):
            self._rebuild_after(IndexProblem(reason))

    def _full_query(
        self, query: Query, kind: str, filters: dict[str, list[str]] | None, ctx: QueryContext
    ) -> Query:
        from whoosh.query import And, Every, Or, Term

        parts: list[Query] = [Term("kind", kind)]
        if not isinstance(query, Every):  # And([x, Every()]) would match everything
            parts.append(query)
        for key, values in (filters or {}).items():
            fieldname = FILTER_KEYS.get(key)
            if fieldname is None or not values:
                continue
            if kind == PASSAGE and fieldname != "doc_id":
                continue
            clean = [v.lower() if fieldname == "tag" else v for v in values]
            parts.append(Or([Term(fieldname, v) for v in clean]))
        return And(parts).normalize()

    def _run(
        self,
        engine: Engine,
        data: SearcherData,
        query: Query,
        parsed: ParsedQuery,
        sort: str,
        page: int,
        page_size: int,
    ) -> tuple[set[int], list[tuple[int, float | None]]]:
        matched = engine.matches(query)
        want = page * page_size
        offset = want - page_size
        order = self._doc_order()
        doc, pos = data.doc, data.pos

        def in_document(d: int) -> tuple[int, int, int]:
            return (order.get(doc[d] or "", 0), pos[d], d)

        if sort == "relevance" and not parsed.empty:
            return matched, list(engine.top(query, matched, want, in_document)[offset:])
        if sort in ("date", "created"):
            times = data.modified if sort == "date" else data.created

            def newest(d: int) -> tuple[int, int, int, int]:
                return (-times[d], order.get(doc[d] or "", 0), pos[d], d)

            chosen = heapq.nsmallest(want, matched, key=newest)[offset:]
        else:
            chosen = heapq.nsmallest(want, matched, key=in_document)[offset:]
        return matched, [(d, None) for d in chosen]

    def _doc_order(self) -> dict[str, int]:
        return {d.id: d.position for d in self.context(CLAIM).documents}

    def _facets(
        self, matched: set[int], data: SearcherData, kind: str, ctx: QueryContext
    ) -> dict[str, list[FacetValue]]:
        docs = Counter(map(data.doc.__getitem__, matched))
        titles = {d.id: d for d in ctx.documents}
        facets = {
            "document": [
                FacetValue(doc_id, titles[doc_id].title, n)
                for doc_id, n in sorted(
                    docs.items(),
                    key=lambda kv: (-kv[1], titles[kv[0]].position if kv[0] in titles else 0),
                )
                if doc_id in titles
            ]
        }
        if kind == CLAIM:
            labels = Counter(map(data.label.__getitem__, matched))
            facets["label"] = [
                FacetValue(lab.id, lab.name, labels[lab.id]) for lab in ctx.labels if labels[lab.id]
            ]
            tags = Counter(chain.from_iterable(filter(None, map(data.tags.__getitem__, matched))))
            names = self.tag_names() if tags else {}
            facets["tag"] = [
                FacetValue(tag, names.get(tag, tag), n)
                for tag, n in sorted(tags.items(), key=lambda kv: (-kv[1], kv[0]))
            ]
        return facets

    def _did_you_mean(
        self, searcher: Searcher, engine: Engine, parsed: ParsedQuery, ctx: QueryContext
    ) -> str | None:
        """The query with each word that has no hits replaced by a close word that has."""
        from annotator.search import spelling

        fields = list(ctx.text_fields)
        lookup = ["quote", "note"] if ctx.kind == CLAIM else ["passage"]
        suggestion, changed = parsed.text, False
        for word in parsed.words[:8]:
            if spelling.word_has_hits(searcher, word, fields):
                continue
            better = spelling.correction(
                searcher, engine.near, word, lookup, self._text_of(searcher)
            )
            if better:
                suggestion, changed = spelling.replace_word(suggestion, word, better), True
        return suggestion if changed else None

    def _text_of(self, searcher: Searcher) -> Any:
        def text_of(docnum: int, fieldname: str) -> str:
            stored = searcher.reader().stored_fields(docnum)
            key = str(stored.get("key", ""))
            try:
                if key.startswith("c:"):
                    ann = self.project.annotation(key[2:])
                    return ann.quote.exact if fieldname == "quote" else ann.note
                if key.startswith("p:"):
                    start, end = stored.get("span", (0, 0))
                    return self.document_text(key[2:].rsplit(":", 1)[0])[start:end]
            except Exception:  # deleted meanwhile
                return ""
            return ""

        return text_of


def _terms(engine: Engine, query: Query) -> dict[str, set[str]]:
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


def _as_words(parsed: ParsedQuery, ctx: QueryContext, notices: list[str]) -> ParsedQuery:
    from annotator.search.query import _plain_words

    words = _plain_words(parsed.text)
    notices.append("The query could not be run as written; searched for the plain words instead.")
    return ParsedQuery(plain_query(words, ctx), parsed.text, notices, True, words)


class _Unreadable(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _built(what: str, meta: IndexMeta) -> str:
    return f"{what} ({meta.claims:,} claims, {meta.passages:,} passages)."
