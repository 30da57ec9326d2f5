"""Turning index hits into `SearchHit`s: current text from the project, snippets, activation.

The index stores only keys; the text shown is read from the project for the hits of one page, so
results always show the truth (a claim deleted since it was indexed is left out).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from annotator.search import feed
from annotator.search.feed import ClaimRecord
from annotator.search.results import SearchHit, hit_ranges, snippet, to_html
from annotator.search.schema import stemming_analyzer

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
    claims: dict[str, ClaimRecord] = {}
    if claim_ids:
        with feed.snapshot(service.project) as conn:
            claims = {c.id: c for c in feed.claims(conn, ids=claim_ids, with_links=False)}
    titles = {d.id: d.title for d in ctx.documents}
    labels = {lab.id: lab.name for lab in ctx.labels}
    analyzer = stemming_analyzer()
    hits: list[SearchHit] = []
    for fields, score in stored:
        key = str(fields.get("key", ""))
        if key.startswith("c:"):
            ann = claims.get(key[2:])
            if ann is not None:
                hits.append(_claim_hit(ann, score, terms, titles, labels, analyzer))
        elif key.startswith("p:"):
            hit = _passage_hit(service, key, fields, score, terms, titles, analyzer)
            if hit is not None:
                hits.append(hit)
    return hits


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
        "context": f"{ann.prefix} … {ann.suffix}".strip(),
        "extra": " ".join((*ann.tags, *ann.evidence)),
    }
    chosen, ranges = "quote", []
    for name in CLAIM_SNIPPET_FIELDS:
        found = hit_ranges(texts[name], terms.get(name, set()), analyzer)
        if found:
            chosen, ranges = name, found
            break
    text, highlights = snippet(texts[chosen], ranges)
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
        snippet_field=chosen,
        score=score,
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
