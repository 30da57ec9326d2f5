"""Shared output of the `annotator` command: the documented JSON shapes and plain-text helpers.

JSON conventions (docs/reference.md documents them; users' scripts rely on them):
ids are strings; dates are ISO 8601 (`2017-02-21`, or `2017-02`/`2017` when only that much is
known); datetimes are ISO 8601 in UTC with a `Z`; offsets count Unicode code points; a label is
given by name (`label`) and by id (`label_id`). Keys are only ever added, never renamed.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from annotator.domain.location import Location, Locator
from annotator.domain.model import (
    Claim,
    Document,
    DocumentSummary,
    Evidence,
    Label,
    Link,
    PartialDate,
)

if TYPE_CHECKING:
    from annotator.services.api import Project

JsonDict = dict[str, Any]

# -- JSON values -------------------------------------------------------------------------------


def iso_datetime(value: datetime | None) -> str | None:
    """`2024-05-01T09:30:00.123Z` (UTC, milliseconds when there are any)."""
    if value is None:
        return None
    value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    spec = "milliseconds" if value.microsecond else "seconds"
    return value.replace(tzinfo=None).isoformat(timespec=spec) + "Z"


def iso_date(value: PartialDate | None) -> str | None:
    return value.iso() if value is not None else None


@dataclass(frozen=True)
class Lookup:
    """What the JSON of a claim needs besides the claim: labels, documents and their numbers.

    Build it once per command with `Lookup.of(project)` and pass it to `annotation_json`."""

    labels: Mapping[str, Label]
    documents: Mapping[str, DocumentSummary]
    numbers: Mapping[str, int]
    """Document id -> 1-based number (what `DOC` arguments accept)."""
    locators: Mapping[str, Locator]
    """Document id -> where its claims are (paragraph, page)."""

    @classmethod
    def of(cls, project: Project) -> Lookup:
        docs = project.documents()
        return cls(
            labels={lab.id: lab for lab in project.labels()},
            documents={d.id: d for d in docs},
            numbers={d.id: i for i, d in enumerate(docs, start=1)},
            locators=project.locators(),
        )

    def location(self, ann: Claim) -> Location:
        """Where the claim is: its paragraph (and page, in a paged source)."""
        return self.locators.get(ann.document_id, Locator(())).locate(ann.start)

    def label_name(self, label_id: str) -> str:
        label = self.labels.get(label_id)
        return label.name if label else "?"

    def document_title(self, document_id: str) -> str:
        doc = self.documents.get(document_id)
        return doc.title if doc else "?"


def document_json(
    doc: DocumentSummary | Document, *, number: int | None = None, claims: int | None = None
) -> JsonDict:
    """A document's metadata (never its text)."""
    length = doc.text_length if isinstance(doc, DocumentSummary) else len(doc.text)
    out: JsonDict = {
        "id": doc.id,
        "number": number,
        "title": doc.title,
        "authors": list(doc.authors),
        "published": iso_date(doc.published),
        "publisher": doc.publisher,
        "url": doc.url,
        "language": doc.language,
        "source_kind": doc.source_kind.value,
        "format": doc.format,
        "file_name": doc.file_name,
        "length": length,
        "imported_at": iso_datetime(doc.imported_at),
        "accessed": iso_date(doc.accessed),
    }
    if claims is not None:
        out["claims"] = claims
    return out


def label_json(label: Label, *, claims: int | None = None) -> JsonDict:
    out: JsonDict = {
        "id": label.id,
        "name": label.name,
        "color": label.color,
        "key": label.key,
        "position": label.position,
        "builtin": label.builtin,
        "description": label.description,
    }
    if claims is not None:
        out["claims"] = claims
    return out


def evidence_json(item: Evidence) -> JsonDict:
    return {"citation": item.citation, "url": item.url or None}


def link_json(link: Link) -> JsonDict:
    return {
        "id": link.id,
        "source_id": link.source_id,
        "target_id": link.target_id,
        "relation": link.relation.value,
        "note": link.note,
        "author": link.author,
        "created": iso_datetime(link.created),
    }


def annotation_json(ann: Claim, lookup: Lookup, *, links: Sequence[Link] | None = None) -> JsonDict:
    """A claim. `links` (those touching this claim) are included when given."""
    out: JsonDict = {
        "id": ann.id,
        "document_id": ann.document_id,
        "document_number": lookup.numbers.get(ann.document_id),
        "document_title": lookup.document_title(ann.document_id),
        "start": ann.start,
        "end": ann.end,
        "location": lookup.location(ann).to_json(),
        "quote": ann.quote.exact,
        "prefix": ann.quote.prefix,
        "suffix": ann.quote.suffix,
        "label": lookup.label_name(ann.label_id),
        "label_id": ann.label_id,
        "note": ann.note,
        "tags": list(ann.tags),
        "evidence": [evidence_json(e) for e in ann.evidence],
        "author": ann.author,
        "created": iso_datetime(ann.created),
        "modified": iso_datetime(ann.modified),
        "revision": ann.revision,
    }
    if links is not None:
        out["links"] = [link_json(k) for k in links]
    return out


def print_json(data: Any, stream: IO[str] | None = None) -> None:
    """Write `data` as indented JSON, always UTF-8 whatever the console's encoding."""
    stream = stream or sys.stdout
    payload = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        stream.flush()
        buffer.write(payload.encode("utf-8"))
        buffer.flush()
    else:
        stream.write(payload)


# -- plain text --------------------------------------------------------------------------------


def short_id(value: str) -> str:
    """The first 8 characters of an id: enough for humans, accepted back as a prefix."""
    return value[:8]


def one_line(text: str) -> str:
    return " ".join(text.split())


def truncate(text: str, width: int) -> str:
    text = one_line(text)
    if display_width(text) <= width:
        return text
    out = ""
    for ch in text:
        if display_width(out + ch) > width - 1:
            break
        out += ch
    return out + "…"


def display_width(text: str) -> int:
    """Columns `text` takes in a terminal: wide (East Asian, most emoji) characters count two,
    combining marks none."""
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """Left-aligned columns separated by two spaces; the last column is not padded."""
    cells = [[str(h) for h in headers], *([str(c) for c in row] for row in rows)]
    widths = [max(display_width(r[i]) for r in cells) for i in range(len(headers))]
    lines = []
    for row in cells:
        parts = [c + " " * (widths[i] - display_width(c)) for i, c in enumerate(row[:-1])]
        lines.append("  ".join([*parts, row[-1]]).rstrip())
    return "\n".join(lines)


def in_context(text: str, start: int, end: int, width: int = 30) -> str:
    """`…words before [quoted span] words after…` on one line, for listing occurrences."""
    before = one_line(text[max(0, start - width * 2) : start])[-width:]
    after = one_line(text[end : end + width * 2])[:width]
    lead = "…" if start > 0 and before else ""
    tail = "…" if end < len(text) and after else ""
    gap_before = " " if text[max(0, start - 1) : start].isspace() else ""
    gap_after = " " if text[end : end + 1].isspace() else ""
    middle = f"[{one_line(text[start:end])}]"
    return f"{lead}{before.rstrip()}{gap_before}{middle}{gap_after}{after.lstrip()}{tail}"


def quoted(text: str, width: int = 60) -> str:
    return f"“{truncate(text, width)}”"


def evidence_text(item: Evidence) -> str:
    if item.citation and item.url:
        return f"{item.citation} <{item.url}>"
    return item.citation or f"<{item.url}>"


# -- messages and progress ---------------------------------------------------------------------


def warn(message: str) -> None:
    """A one-line message on stderr, in the same form as the command's errors."""
    print(f"annotator: {message}", file=sys.stderr)


class ProgressPrinter:
    """A progress callback for long loops (`import_files` and the like): prints `[3/10] name`
    on stderr when there is more than one item. On a terminal the line is rewritten in place;
    elsewhere (logs, pipes) each step is a line of its own."""

    def __init__(self, stream: IO[str] | None = None, *, minimum: int = 2) -> None:
        self.stream = stream or sys.stderr
        self.minimum = minimum
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self._shown = 0

    def __call__(self, done: int, total: int, current: Path | str) -> bool:
        if total < self.minimum:
            return True
        name = current.name if isinstance(current, Path) else str(current)
        if done >= total:
            self.finish()
            return True
        line = f"[{done + 1}/{total}] {name}"
        if self.tty:
            pad = max(0, self._shown - display_width(line))
            self.stream.write("\r" + line + " " * pad)
            self._shown = display_width(line)
        else:
            self.stream.write(line + "\n")
        self.stream.flush()
        return True

    def finish(self) -> None:
        """Clear the in-place line on a terminal (nothing to do elsewhere)."""
        if self.tty and self._shown:
            self.stream.write("\r" + " " * self._shown + "\r")
            self.stream.flush()
            self._shown = 0
