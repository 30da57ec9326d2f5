"""`SearchService`: the one object the CLI and the UI use to search a project.

    service = SearchService(project)        # opens, checks, catches up or rebuilds the index
    service.repair_message                  # set if it had to repair: show it to the user
    service.start()                         # background indexer, woken by Project.subscribe
    results = service.search("label:disputed dockers", kind="claims", sort="relevance",
                             filters={"document": [doc_id]}, page=1, page_size=50)
    service.wait_until_current(timeout=5)   # True once every committed change is searchable
    service.close()                         # stops the indexer, closes the index

See annotator.search (package docstring) for the whole API and annotator.search.query for the
query language.
"""

from __future__ import annotations

import logging
import math
import time
from typing import TYPE_CHECKING, Any

from annotator.domain.errors import AnnotatorError
from annotator.search import ranking
from annotator.search.keeper import IndexKeeper, Unreadable
from annotator.search.query import (
    DocInfo,
    ParsedQuery,
    QueryContext,
    parse,
    plain_query,
)
from annotator.search.query_fields import title_tokens
from annotator.search.results import (
    SearchResults,
)
from annotator.search.schema import CLAIM, PASSAGE

if TYPE_CHECKING:
    from whoosh.query import Query
    from whoosh.searching import Searcher


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


class SearchService(IndexKeeper):
    """Searching a project's index; its life cycle (open, check, indexer thread, rebuild) is
    `IndexKeeper`'s."""

    def __enter__(self) -> SearchService:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

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
        self._follow_project()
        ctx = self.context(doc_kind)
        parsed = parse(query, ctx)
        notices = list(parsed.notices)
        for attempt in (1, 2):
            self._ensure_live()
            try:
                with self._lock:
                    found = self._search_locked(parsed, ctx, filters, sort, page, page_size)
                break
            except Unreadable as exc:
                if attempt == 2:
                    raise SearchUnavailable(
                        "The search index cannot be read; try again after `annotator reindex`."
                    ) from exc
                self._repair_now(exc.reason)
        parsed, matched, stored, facets, terms, suggestion = found
        notices += [n for n in parsed.notices if n not in notices]
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

    def _search_locked(
        self,
        parsed: ParsedQuery,
        ctx: QueryContext,
        filters: dict[str, list[str]] | None,
        sort: str,
        page: int,
        page_size: int,
    ) -> tuple[ParsedQuery, set[int], list[tuple[dict[str, Any], float | None]], Any, Any, Any]:
        """The part of a search that reads the index (self._lock held)."""
        searcher, data, engine = self._current()
        order = {d.id: d.position for d in ctx.documents}

        def run(parsed: ParsedQuery) -> tuple[Query, set[int], ranking.Top]:
            base = self._full_query(parsed.query, ctx.kind, filters)
            matched, top = ranking.run(
                engine, data, base, ranked=not parsed.empty, sort=sort,
                page=page, page_size=page_size, order=order,
            )  # fmt: skip
            return base, matched, top

        try:
            base, matched, top = run(parsed)
        except Unreadable:
            raise
        except Exception as exc:  # Whoosh refused this query: search the words instead
            _log.warning("query %r failed: %s", parsed.text, exc, exc_info=True)
            parsed = _as_words(parsed, ctx)
            base, matched, top = run(parsed)
        facets = ranking.facets(matched, data, ctx, self.tag_names)
        terms = ranking.highlight_terms(engine, base)
        stored = [(searcher.reader().stored_fields(d), score) for d, score in top]
        suggestion = ranking.did_you_mean(searcher, engine, parsed, ctx, self._text_of(searcher))
        return parsed, matched, stored, facets, terms, suggestion

    def _follow_project(self) -> None:
        """Before a search: drop what queries know of labels and documents if the project
        changed (here or in another process), and without a background indexer bring the
        index up to date first (a search never trusts a stale index blindly)."""
        number = self.project.change_number()
        if number != self._seen_change:
            self._context, self._tag_names, self._seen_change = {}, None, number
        if number > self._applied and not self._indexer.running:
            try:
                self.update()
            except Exception as exc:  # a busy lock: answer from the index as it is
                _log.info("could not update the search index before searching: %s", exc)

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

    def _full_query(self, query: Query, kind: str, filters: dict[str, list[str]] | None) -> Query:
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


def _as_words(parsed: ParsedQuery, ctx: QueryContext) -> ParsedQuery:
    from annotator.search.query import _plain_words

    words = _plain_words(parsed.text)
    notice = "The query could not be run as written; searched for the plain words instead."
    return ParsedQuery(plain_query(words, ctx), parsed.text, [*parsed.notices, notice], True, words)
