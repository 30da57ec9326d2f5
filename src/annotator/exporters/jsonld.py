"""W3C Web Annotation Data Model (JSON-LD) export (jsonld_reader.py reads it back).

One file holds an AnnotationCollection whose pages are all embedded: `first` is the first
AnnotationPage object, the pages after it are in `annotator:pages`, each page has `partOf`,
`startIndex`, `items` and (except the last) the `next` page's id. docs/reference.md
documents the mapping; in short:

- claim -> Annotation `urn:uuid:<claim id>`, motivation "assessing" (+ "tagging" with tags);
  bodies: TextualBody purpose "assessing" = the label's name (+ `annotator:labelColor`),
  purpose "commenting" = the note, purpose "tagging" = one per tag, and one TextualBody
  purpose "commenting" with `annotator:role: "evidence"` per evidence item (value = citation,
  `annotator:url` = its URL); target: SpecificResource, source `urn:uuid:<document id>`
  (`dc:title`, `annotator:url`, `annotator:accessed` for a web source), selectors
  TextQuoteSelector + TextPositionSelector (code points).
- link -> Annotation `urn:uuid:<link id>`, motivation "linking", target = the source claim,
  body = [the target claim's IRI, TextualBody purpose "classifying" = the relation, optional
  "commenting" note], plus `annotator:relation`. Read it as "target <relation> body".
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from annotator.exporters.base import ExportOptions, register
from annotator.services.report_model import ClaimEntry, LinkEntry, Report

NS = "urn:annotator:"
CONTEXT: list[Any] = [
    "http://www.w3.org/ns/anno.jsonld",
    {
        "annotator": NS,
        "dc": "http://purl.org/dc/elements/1.1/",
        "annotator:url": {"@type": "@id"},
    },
]
Json = dict[str, Any]


def iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _creator(name: str) -> Json | None:
    return {"type": "Person", "name": name} if name else None


def claim_annotation(c: ClaimEntry, document_url: str, accessed: str = "") -> Json:
    bodies: list[Json] = [
        {
            "type": "TextualBody",
            "purpose": "assessing",
            "value": c.label.name,
            "annotator:labelColor": c.label.color,
        }
    ]
    if c.note:
        bodies.append(
            {
                "type": "TextualBody",
                "purpose": "commenting",
                "format": "text/plain",
                "value": c.note,
            }
        )
    bodies += [{"type": "TextualBody", "purpose": "tagging", "value": t} for t in c.tags]
    for e in c.evidence:
        body: Json = {
            "type": "TextualBody",
            "purpose": "commenting",
            "annotator:role": "evidence",
            "value": e.citation,
        }
        if e.url:
            body["annotator:url"] = e.url
        bodies.append(body)
    source: Json = {"id": f"urn:uuid:{c.document_id}", "type": "Text", "dc:title": c.source_title}
    if document_url:
        source["annotator:url"] = document_url
    if accessed:
        source["annotator:accessed"] = accessed
    out: Json = {
        "id": f"urn:uuid:{c.id}",
        "type": "Annotation",
        "motivation": ["assessing", "tagging"] if c.tags else "assessing",
        "created": iso(c.created),
        "modified": iso(c.modified),
    }
    if c.author:
        out["creator"] = _creator(c.author)
    out["annotator:revision"] = c.revision
    out["body"] = bodies
    out["target"] = {
        "type": "SpecificResource",
        "source": source,
        "selector": [
            {"type": "TextQuoteSelector", "exact": c.exact, "prefix": c.prefix, "suffix": c.suffix},
            {"type": "TextPositionSelector", "start": c.start, "end": c.end},
        ],
    }
    return out


def link_annotation(k: LinkEntry) -> Json:
    bodies: list[Any] = [
        f"urn:uuid:{k.target_id}",
        {"type": "TextualBody", "purpose": "classifying", "value": k.relation},
    ]
    if k.note:
        bodies.append({"type": "TextualBody", "purpose": "commenting", "value": k.note})
    out: Json = {
        "id": f"urn:uuid:{k.id}",
        "type": "Annotation",
        "motivation": "linking",
        "created": iso(k.created),
    }
    if k.author:
        out["creator"] = _creator(k.author)
    out["annotator:relation"] = k.relation
    out["body"] = bodies
    out["target"] = f"urn:uuid:{k.source_id}"
    return out


def collection(report: Report, page_size: int = 1000) -> Json:
    items = [
        claim_annotation(c, section.source.url, section.source.accessed)
        for section in report.sources
        for c in section.claims
    ]
    items += [link_annotation(k) for k in report.links]
    size = max(1, page_size)
    chunks = [items[i : i + size] for i in range(0, len(items), size)] or [[]]
    cid = f"urn:uuid:{report.project_id}"
    pages: list[Json] = []
    for n, chunk in enumerate(chunks, start=1):
        page: Json = {
            "id": f"{cid}#page-{n}",
            "type": "AnnotationPage",
            "partOf": cid,
            "startIndex": (n - 1) * size,
        }
        if n < len(chunks):
            page["next"] = f"{cid}#page-{n + 1}"
        page["items"] = chunk
        pages.append(page)
    out: Json = {
        "@context": CONTEXT,
        "id": cid,
        "type": "AnnotationCollection",
        "label": report.title,
        "total": len(items),
        "generator": {"type": "Software", "name": "Annotator"},
    }
    if report.generated:
        out["generated"] = iso(report.generated)
    out["annotator:labels"] = [
        {
            "name": lab.name,
            "annotator:labelColor": lab.color,
            "annotator:labelDescription": lab.description,
        }
        for lab in report.labels
    ]
    out["first"] = pages[0]
    out["last"] = pages[-1]["id"]
    if len(pages) > 1:
        out["annotator:pages"] = pages[1:]
    return out


@register("jsonld", ".jsonld", "W3C Web Annotations (JSON-LD)")
def render_jsonld(report: Report, options: ExportOptions) -> bytes:
    text = json.dumps(collection(report, options.page_size), ensure_ascii=False, indent=2)
    return (text + "\n").encode("utf-8")
