"""CSV: one row per claim, UTF-8 (optionally with the BOM Excel needs), RFC 4180 quoting.

Columns (docs/reference.md documents them; they are only ever added at the end):
claim_id, claim_number, document_id, document_number, document_title, document_url, start,
end, page, label, quote, context_before, context_after, note, tags, evidence, links, author,
created, modified, paragraph (the 1-based paragraph of the claim's start; with `page`, where
the claim is in a reader's terms).
Multi-valued cells: tags joined by "; ", evidence items ("citation <url>") and links
("corroborates C4") one per line inside the cell. Offsets count code points.
A cell that starts with = + - @, a tab or a carriage return gets a leading apostrophe, so that
a spreadsheet shows it as text instead of running it as a formula (CSV injection).
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from annotator.exporters.base import ExportOptions, register
from annotator.exporters.templating import clean
from annotator.services.report_model import ClaimEntry, Report

COLUMNS = (
    "claim_id",
    "claim_number",
    "document_id",
    "document_number",
    "document_title",
    "document_url",
    "start",
    "end",
    "page",
    "label",
    "quote",
    "context_before",
    "context_after",
    "note",
    "tags",
    "evidence",
    "links",
    "author",
    "created",
    "modified",
    "paragraph",
)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    """A value as a spreadsheet-safe cell."""
    text = "" if value is None else clean(str(value))
    return "'" + text if text.startswith(_FORMULA_START) else text


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def row(c: ClaimEntry, document_url: str) -> list[str]:
    evidence = "\n".join(
        " ".join(p for p in (e.citation.strip(), f"<{e.url}>" if e.url else "") if p)
        for e in c.evidence
    )
    links = "\n".join(
        f"{k.phrase} {f'C{k.other_number}' if k.other_number else k.other_id}" for k in c.links
    )
    values: list[object] = [
        c.id,
        c.number,
        c.document_id,
        c.source_number,
        c.source_title,
        document_url,
        c.start,
        c.end,
        c.page if c.page is not None else "",
        c.label.name,
        c.exact,
        c.before,
        c.after,
        c.note,
        "; ".join(c.tags),
        evidence,
        links,
        c.author,
        _iso(c.created),
        _iso(c.modified),
        c.paragraph,
    ]
    return [cell(v) for v in values]


@register("csv", ".csv", "CSV table of claims")
def render_csv(report: Report, options: ExportOptions) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for section in report.sources:
        for claim in section.claims:
            writer.writerow(row(claim, section.source.url))
    data = buffer.getvalue().encode("utf-8")
    return (b"\xef\xbb\xbf" + data) if options.excel_bom else data
