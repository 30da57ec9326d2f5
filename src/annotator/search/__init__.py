"""Full-text search of a project's claims and source passages (Whoosh). Derived data only.

API (no Qt here; the UI search panel and `annotator search` use exactly this)::

    from annotator.search import SearchService

    service = SearchService(project, index_dir=None)   # open, check, catch up or rebuild
    service.repair_message    # str | None: say it to the user when set (index was repaired)
    service.start()           # background indexer thread, woken by Project.subscribe
    service.wait_until_current(timeout=5.0) -> bool
    service.search(query, kind="claims" | "passages", filters=None,
                   sort="relevance" | "date" | "created" | "document",
                   page=1, page_size=50) -> SearchResults
    service.rebuild(progress=None)   # whole index into a new folder, swapped in atomically
    service.on_updated(callback)     # callback(change_number) from the indexer thread after
                                     # each applied batch: re-run the visible search
    service.update()                 # apply pending changes now (search() does it by itself
                                     # when no background indexer runs)
    service.stop(); service.close()

`SearchResults`: hits (list of `SearchHit`), total, facets {"label" | "document" | "tag":
[FacetValue(value, label, count)]} (passages: "document" only), notice (str | None: what was
ignored or repaired in the query), did_you_mean (str | None: the corrected query), page, pages,
page_size, sort, elapsed_ms, fallback; `to_json()` is the stable --json shape.

`SearchHit`: kind ("claim" | "passage"), claim_id, document_id, document_title, label_id,
label, start, end (code points in the document), location (paragraph and page, as a reader
counts them), quote (the passage text for passages), note, tags, snippet_text + highlights
(ranges into snippet_text), snippet_html (escaped, hits in <b>): for a claim always its quote;
detail_field + detail_text + detail_highlights (+ detail_html): where else a claim matched
(note, context, extra = tags and evidence), shown beneath the quote; card_html (the quote, the
detail and the location, for a result list), snippet_field, score, paragraph. To activate a
hit: a claim -> select `claim_id`; a passage -> show (`document_id`, `start`, `end`).

`search()` never raises for any query text; `filters` take facet values: {"label": [ids],
"document": [ids], "tag": [lower-case tags]}. It is fast enough to call on each keystroke after
a short debounce (see benchmarks/search_bench.py). Filters and facets reflect the filtered
results. The query language is documented in `annotator.search.query` and docs/reference.md.

Modules: schema (fields), analysis (words, joined words and their parts), feed (bulk SQL
reads), index_store (where, check, rebuild, swap, lock), indexer (outbox replay, background
thread), query (language), spelling (did you mean), results (data classes, snippets, facet
data), hits (hits from the project), service (SearchService).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from annotator.search.index_store import IndexBusy, cache_root, index_home
    from annotator.search.results import FacetValue, SearchHit, SearchResults, marked
    from annotator.search.service import SearchService, SearchUnavailable

_WHERE = {
    "IndexBusy": "index_store",
    "cache_root": "index_store",
    "index_home": "index_store",
    "FacetValue": "results",
    "SearchHit": "results",
    "SearchResults": "results",
    "marked": "results",
    "SearchService": "service",
    "SearchUnavailable": "service",
}
"""Where each public name lives. The names are loaded on first use (PEP 562): importing the
package, or its Whoosh-free modules such as `results`, must not import Whoosh, which the app
only needs once a project's index opens, after the window is painted."""


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "FacetValue",
    "IndexBusy",
    "SearchHit",
    "SearchResults",
    "SearchService",
    "SearchUnavailable",
    "cache_root",
    "index_home",
    "marked",
]
