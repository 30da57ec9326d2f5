"""Reader of W3C Web Annotation JSON-LD: a collection (all pages embedded, as jsonld.py writes
them, or pages chained by embedded `next` objects), a page, a list of annotations, one
annotation, or a JSON-LD `@graph`. Claims become `IncomingClaim`s, `linking` annotations
`IncomingLink`s; anything else is listed as not imported. Foreign annotation ids (not
`urn:uuid:`) map to stable UUIDs, so importing a file twice never duplicates claims."""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import UTC, datetime
from typing import Any

from annotator.domain.model import Evidence, QuoteSelector
from annotator.services.interchange import (
    ImportIssue,
    Incoming,
    IncomingClaim,
    IncomingDocument,
    IncomingLabel,
    IncomingLink,
)

Json = dict[str, Any]


def _types(node: Json) -> set[str]:
    raw = node.get("type", node.get("@type", []))
    values = raw if isinstance(raw, list) else [raw]
    return {str(v).removeprefix("oa:").removeprefix("as:") for v in values}


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def claim_id_of(ref: str) -> str:
    """A UUID for an annotation's IRI: ours (`urn:uuid:...`) as it is, others mapped stably."""
    text = ref.strip()
    if text.lower().startswith("urn:uuid:"):
        try:
            return str(uuid.UUID(text[9:]))
        except ValueError:
            pass
    return str(uuid.uuid5(uuid.NAMESPACE_URL, text))


def _content_id(node: Json) -> str:
    digest = hashlib.sha256(json.dumps(node, sort_keys=True, default=str).encode()).hexdigest()
    return f"urn:annotator:content:{digest}"


def parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    parsed = parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    parsed = parsed.astimezone(UTC)
    return parsed.replace(microsecond=parsed.microsecond // 1000 * 1000)


def person(value: Any) -> str:
    for item in _as_list(value):
        if isinstance(item, str):
            return item
        if isinstance(item, dict):
            for key in ("name", "nickname", "id"):
                if isinstance(item.get(key), str) and item[key].strip():
                    return str(item[key]).strip()
    return ""


def _positive(value: Any) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 1


def _iri(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        for key in ("id", "@id", "source"):
            if key in value:
                return _iri(value[key])
    return ""


def selectors(target: Json) -> tuple[QuoteSelector | None, int | None, int | None]:
    quote: QuoteSelector | None = None
    start = end = None
    for sel in _as_list(target.get("selector")):
        if not isinstance(sel, dict):
            continue
        kind = _types(sel)
        if "TextQuoteSelector" in kind and isinstance(sel.get("exact"), str) and quote is None:
            quote = QuoteSelector(
                sel["exact"], str(sel.get("prefix") or ""), str(sel.get("suffix") or "")
            )
        elif "TextPositionSelector" in kind and start is None:
            try:
                start, end = int(sel["start"]), int(sel["end"])
            except (KeyError, TypeError, ValueError):
                start = end = None
    return quote, start, end


def _document(source: Any) -> IncomingDocument:
    if isinstance(source, str):
        if source.lower().startswith("urn:uuid:"):
            return IncomingDocument(id=source[9:].lower())
        return IncomingDocument(url=source)
    if not isinstance(source, dict):
        return IncomingDocument()
    ref = _iri(source)
    title = source.get("dc:title") or source.get("title") or ""
    url = source.get("annotator:url") or ""
    doc = _document(ref) if ref else IncomingDocument()
    return IncomingDocument(id=doc.id, url=str(url or doc.url), title=str(title))


def _claim(node: Json, ref: str) -> IncomingClaim | ImportIssue:
    target = next(
        (t for t in _as_list(node.get("target")) if isinstance(t, dict) and t.get("selector")),
        None,
    )
    if target is None:
        return ImportIssue(ref, "it has no text selector, so it is not a claim in a text.")
    quote, start, end = selectors(target)
    label = color = ""
    notes: list[str] = []
    tags: list[str] = []
    evidence: list[Evidence] = []
    if isinstance(node.get("bodyValue"), str):
        notes.append(node["bodyValue"])
    for body in _as_list(node.get("body")):
        if not isinstance(body, dict):
            continue
        value = body.get("value", body.get("chars", ""))
        value = value if isinstance(value, str) else ""
        purposes = set(_as_list(body.get("purpose")))
        if body.get("annotator:role") == "evidence":
            url = body.get("annotator:url")
            if value.strip() or (isinstance(url, str) and url.strip()):
                evidence.append(Evidence(value, url if isinstance(url, str) and url else None))
        elif "assessing" in purposes and not label:
            label, color = value.strip(), str(body.get("annotator:labelColor") or "")
        elif purposes & {"tagging", "classifying"}:
            tags.append(value)
        elif value.strip():
            notes.append(value)
    return IncomingClaim(
        id=claim_id_of(ref),
        ref=ref,
        document=_document(target.get("source")),
        quote=quote,
        start=start,
        end=end,
        label=label,
        label_color=color,
        tags=tuple(tags),
        note="\n\n".join(notes),
        evidence=tuple(evidence),
        author=person(node.get("creator")),
        created=parse_time(node.get("created")),
        modified=parse_time(node.get("modified")),
        revision=_positive(node.get("annotator:revision")),
    )


def _link(node: Json, ref: str) -> IncomingLink | ImportIssue:
    relation = node.get("annotator:relation")
    others: list[str] = []
    notes: list[str] = []
    for body in _as_list(node.get("body")):
        if isinstance(body, dict) and "TextualBody" in _types(body):
            purposes = set(_as_list(body.get("purpose")))
            value = str(body.get("value") or "")
            if "classifying" in purposes:
                relation = relation or value
            elif value.strip():
                notes.append(value)
        elif _iri(body):
            others.append(_iri(body))
    targets = [_iri(t) for t in _as_list(node.get("target")) if _iri(t)]
    if len(targets) != 1 or len(others) != 1 or not isinstance(relation, str):
        return ImportIssue(ref, "a linking annotation needs one target, one body and a relation.")
    return IncomingLink(
        id=claim_id_of(ref),
        ref=ref,
        source_id=claim_id_of(targets[0]),
        target_id=claim_id_of(others[0]),
        relation=relation,
        note="\n\n".join(notes),
        author=person(node.get("creator")),
        created=parse_time(node.get("created")),
    )


def looks_like_w3c(data: Any) -> bool:
    nodes = data if isinstance(data, list) else [data]
    return any(
        isinstance(n, dict)
        and (_types(n) & {"Annotation", "AnnotationPage", "AnnotationCollection"} or "@graph" in n)
        for n in nodes
    )


def read_w3c(data: Any) -> Incoming:
    """Claims, links and labels of a collection, a page, a list of annotations or one."""
    annotations: list[Json] = []
    labels: list[IncomingLabel] = []
    skipped: list[ImportIssue] = []
    pending: list[Any] = [data]
    seen_pages: set[int] = set()
    while pending:
        node = pending.pop(0)
        if isinstance(node, list):
            pending[0:0] = node
            continue
        if not isinstance(node, dict) or id(node) in seen_pages:
            continue
        seen_pages.add(id(node))
        kinds = _types(node)
        if "Annotation" in kinds:
            annotations.append(node)
        elif "AnnotationCollection" in kinds:
            for lab in _as_list(node.get("annotator:labels")):
                if isinstance(lab, dict) and isinstance(lab.get("name"), str):
                    labels.append(
                        IncomingLabel(
                            lab["name"],
                            str(lab.get("annotator:labelColor") or ""),
                            str(lab.get("annotator:labelDescription") or ""),
                        )
                    )
            more = [p for p in (node.get("first"),) if isinstance(p, dict)]
            pending[0:0] = more + _as_list(node.get("annotator:pages"))
        elif "AnnotationPage" in kinds:
            nxt = [node["next"]] if isinstance(node.get("next"), dict) else []
            pending[0:0] = _as_list(node.get("items")) + nxt
        elif "@graph" in node:
            pending[0:0] = _as_list(node["@graph"])
    claims: list[IncomingClaim] = []
    links: list[IncomingLink] = []
    for node in annotations:
        ref = _iri(node) or _content_id(node)
        motivations = {m for m in _as_list(node.get("motivation")) if isinstance(m, str)}
        item: IncomingClaim | IncomingLink | ImportIssue
        if "linking" in motivations or "annotator:relation" in node:
            item = _link(node, ref)
        else:
            item = _claim(node, ref)
        if isinstance(item, IncomingClaim):
            claims.append(item)
        elif isinstance(item, IncomingLink):
            links.append(item)
        else:
            skipped.append(item)
    return Incoming(
        format="W3C Web Annotation",
        claims=tuple(claims),
        links=tuple(links),
        labels=tuple(labels),
        skipped=tuple(skipped),
    )
