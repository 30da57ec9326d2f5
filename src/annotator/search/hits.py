"""Turning index hits into `SearchHit`s: current text from the project, snippets, locations.

The index stores only keys; the text shown is read from the project for the hits of one page, so
results always show the truth (a claim deleted since it was indexed is left out).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from annotator.domain.location import Locator
from annotator.search import feed
from annotator.search.feed import ClaimRecord
from annotator.search.results import SearchHit, hit_ranges, snippet, to_html
from annotator.search.schema import context_text, index_analyzer

if TYPE_CHECKING:
    from annotator.search.query import QueryContext
    from annotator.search.service import SearchService

CLAIM_SNIPPET_FIELDS = ("quote", "note", "context", "extra")


def build_hits(
    service: SearchService,
    stored: list[tuple[dict[str, Any], float | None]],
    terms: dict[str, set[str]],
    ctx: QueryContext,
) -> list[SearchHit]:
    claim_ids = [
        str(f.get("key", ""))[2:] for f, _ in stored if str(f.get("key", "")).startswith("c:")
    ]
    passage_docs = {
        str(f.get("key", ""))[2:].rpartition(":")[0]
        for f, _ in stored
        if str(f.get("key", "")).startswith("p:")
    }
    claims: dict[str, ClaimRecord] = {}
    locators: dict[str, Locator] = {}
    if stored:
        with feed.snapshot(service.project) as conn:
            if claim_ids:
                claims = {c.id: c for c in feed.claims(conn, ids=claim_ids, with_links=False)}
            wanted = passage_docs | {c.document_id for c in claims.values()}
            locators = {
                d.id: Locator(d.paragraphs, d.pages) for d in feed.documents(conn, ids=wanted)
            }
    titles = {d.id: d.title for d in ctx.documents}
    labels = {lab.id: lab.name for lab in ctx.labels}
    analyzer = index_analyzer()
    hits: list[SearchHit] = []
    for fields, score in stored:
        key = str(fields.get("key", ""))
        if key.startswith("c:"):
            ann = claims.get(key[2:])
            if ann is not None:
                hit = _claim_hit(ann, score, terms, titles, labels, analyzer)
                hits.append(_located(hit, locators))
        elif key.startswith("p:"):
            found = _passage_hit(service, key, fields, score, terms, titles, analyzer)
            if found is not None:
                hits.append(_located(found, locators))
    return hits


def _located(hit: SearchHit, locators: dict[str, Locator]) -> SearchHit:
    locator = locators.get(hit.document_id)
    return hit if locator is None else replace(hit, location=locator.locate(hit.start))


def _claim_hit(
    ann: ClaimRecord,
    score: float | None,
    terms: dict[str, set[str]],
    titles: dict[str, str],
    labels: dict[str, str],
    analyzer: Any,
) -> SearchHit:
    texts = {
        "quote": ann.exact,
        "note": ann.note,
        "context": context_text(ann.prefix, ann.suffix),
        "extra": " ".join((*ann.tags, *ann.evidence)),
    }
    # The snippet is always the quote; beneath it, the first other field that matched words
    # the quote does not show.
    quoted = hit_ranges(ann.exact, terms.get("quote", set()), analyzer)
    text, highlights = snippet(ann.exact, quoted)
    shown = {ann.exact[a:b].lower() for a, b in quoted}
    detail, detail_text = "", ""
    detail_highlights: tuple[tuple[int, int], ...] = ()
    for name in CLAIM_SNIPPET_FIELDS[1:]:
        found = hit_ranges(texts[name], terms.get(name, set()), analyzer)
        if found and {texts[name][a:b].lower() for a, b in found} - shown:
            detail = name
            detail_text, detail_highlights = snippet(texts[name], found)
            break
    return SearchHit(
        kind="claim",
        claim_id=ann.id,
        document_id=ann.document_id,
        document_title=titles.get(ann.document_id, ""),
        label_id=ann.label_id,
        label=labels.get(ann.label_id),
        start=ann.start,
        end=ann.end,
        quote=ann.exact,
        note=ann.note,
        tags=ann.tags,
        snippet_text=text,
        snippet_html=to_html(text, highlights),
        highlights=highlights,
        snippet_field="quote",
        score=score,
        detail_field=detail,
        detail_text=detail_text,
        detail_highlights=detail_highlights,
    )


def _passage_hit(
    service: SearchService,
    key: str,
    fields: dict[str, Any],
    score: float | None,
    terms: dict[str, set[str]],
    titles: dict[str, str],
    analyzer: Any,
) -> SearchHit | None:
    document_id, _, index = key[2:].rpartition(":")
    try:
        start, end = (int(v) for v in fields.get("span", (0, 0)))
        body = service.document_text(document_id)[start:end]
    except Exception:  # the document went meanwhile
        return None
    if not body:
        return None
    ranges = hit_ranges(body, terms.get("passage", set()), analyzer)
    text, highlights = snippet(body, ranges)
    return SearchHit(
        kind="passage",
        claim_id=None,
        document_id=document_id,
        document_title=titles.get(document_id, ""),
        label_id=None,
        label=None,
        start=start,
        end=end,
        quote=body,
        note="",
        tags=(),
        snippet_text=text,
        snippet_html=to_html(text, highlights),
        highlights=highlights,
        snippet_field="passage",
        score=score,
        paragraph=int(index) if index.isdigit() else None,
    )
