"""The entities of a study: documents, labels, claims (annotations) and links between claims."""

from __future__ import annotations

import functools
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum

from annotator.domain.errors import ValidationError

QUOTE_CONTEXT = 32
"""Characters of prefix and suffix kept in a quote selector (as Hypothesis does)."""


def new_id() -> str:
    return str(uuid.uuid4())


def utcnow() -> datetime:
    """Now, in UTC, to the millisecond (what the store keeps)."""
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


class SourceKind(StrEnum):
    PRIMARY = "primary"
    SECONDARY = "secondary"
    TERTIARY = "tertiary"
    UNKNOWN = "unknown"


class Relation(StrEnum):
    CORROBORATES = "corroborates"
    CONTRADICTS = "contradicts"
    REPEATS = "repeats"
    CITES = "cites"


_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


@functools.total_ordering
@dataclass(frozen=True)
class PartialDate:
    """A publication date known to the year, the month or the day.

    Ordered chronologically; a less precise date sorts before the more precise ones it covers
    (2017 < 2017-02 < 2017-02-21).
    """

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if self.day is not None and self.month is None:
            raise ValidationError("A date with a day needs a month.")
        try:
            date(
                self.year,
                1 if self.month is None else self.month,
                1 if self.day is None else self.day,
            )
        except ValueError as exc:
            raise ValidationError(f"Not a valid date: {self.iso()}.") from exc

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse `YYYY`, `YYYY-MM` or `YYYY-MM-DD`."""
        match = _DATE_RE.match(text.strip())
        if not match:
            raise ValidationError(
                f"Not a date: {text!r}. Use YYYY, YYYY-MM or YYYY-MM-DD, such as 2017-02-21."
            )
        year, month, day = match.groups()
        return cls(int(year), int(month) if month else None, int(day) if day else None)

    def _sort_key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self._sort_key() < other._sort_key()

    def iso(self) -> str:
        out = f"{self.year:04d}"
        if self.month is not None:
            out += f"-{self.month:02d}"
            if self.day is not None:
                out += f"-{self.day:02d}"
        return out

    def __str__(self) -> str:
        return self.iso()


_COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")


def check_color(color: str) -> str:
    if not _COLOR_RE.match(color):
        raise ValidationError(f"Not a colour: {color!r}. Use #RRGGBB, such as #2e7d32.")
    return color.lower()


def check_key(key: str | None) -> str | None:
    if key is None or key == "":
        return None
    if len(key) != 1 or not key.isprintable() or key.isspace():
        raise ValidationError(f"A label's key is one printable character, not {key!r}.")
    return key


@dataclass(frozen=True)
class Label:
    """A claim status such as sourced, disputed or polemical."""

    id: str
    name: str
    color: str
    key: str | None
    position: int
    builtin: bool = False
    description: str = ""

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ValidationError("A label needs a name.")
        check_color(self.color)
        check_key(self.key)


BUILTIN_LABELS: tuple[tuple[str, str, str, str], ...] = (
    # (name, colour, key, description)
    ("sourced", "#2e7d32", "1", "The claim cites evidence that can be checked."),
    ("disputed", "#ef6c00", "2", "The claim is contested by other sources or the evidence."),
    ("polemical", "#c62828", "3", "Invective or loaded language rather than a checkable claim."),
)


@dataclass(frozen=True)
class Evidence:
    citation: str
    url: str | None = None

    def __post_init__(self) -> None:
        if not self.citation.strip() and not (self.url or "").strip():
            raise ValidationError("Evidence needs a citation or a URL.")


@dataclass(frozen=True)
class QuoteSelector:
    """W3C TextQuoteSelector: the exact text plus up to 32 characters either side."""

    exact: str
    prefix: str = ""
    suffix: str = ""

    @classmethod
    def at(cls, text: str, start: int, end: int) -> QuoteSelector:
        check_span(text, start, end)
        return cls(
            exact=text[start:end],
            prefix=text[max(0, start - QUOTE_CONTEXT) : start],
            suffix=text[end : end + QUOTE_CONTEXT],
        )


def check_span(text: str, start: int, end: int) -> None:
    """Refuse an empty span or one outside the text (offsets are code points, `[start, end)`)."""
    check_span_length(len(text), start, end)


def check_span_length(length: int, start: int, end: int) -> None:
    """`check_span` for a text known only by its length."""
    if not (0 <= start < end <= length):
        raise ValidationError(
            f"A claim needs a non-empty span inside the text (0 ≤ start < end ≤ {length}), "
            f"not [{start}, {end})."
        )


def normalize_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """Trim, drop empties and duplicates (case-insensitively), keep the user's order. A single
    string is one tag (not one tag per character)."""
    if isinstance(tags, str):
        tags = [tags]
    seen: set[str] = set()
    out: list[str] = []
    for tag in tags:
        clean = " ".join(tag.split())
        if clean and clean.casefold() not in seen:
            seen.add(clean.casefold())
            out.append(clean)
    return tuple(out)


@dataclass(frozen=True)
class Claim:
    """A claim marked in a document: a span, a judgement (label) and the researcher's notes."""

    id: str
    document_id: str
    start: int
    end: int
    quote: QuoteSelector
    label_id: str
    note: str = ""
    tags: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    author: str = ""
    created: datetime = field(default_factory=utcnow)
    modified: datetime = field(default_factory=utcnow)
    revision: int = 1

    def check_against(self, text: str) -> None:
        """Refuse a claim whose span is not in `text` or whose quote differs from the text there."""
        check_span(text, self.start, self.end)
        if text[self.start : self.end] != self.quote.exact:
            raise ValidationError(
                f"The claim's quote does not match the text at its span [{self.start}, {self.end})."
            )


@dataclass(frozen=True)
class Link:
    """A typed relation between two claims, usually in different documents."""

    id: str
    source_id: str
    target_id: str
    relation: Relation
    note: str = ""
    author: str = ""
    created: datetime = field(default_factory=utcnow)

    def __post_init__(self) -> None:
        if self.source_id == self.target_id:
            raise ValidationError("A claim cannot be linked to itself.")


@dataclass(frozen=True)
class Document:
    """A source document with its metadata and canonical text."""

    id: str
    title: str
    text: str
    authors: tuple[str, ...] = ()
    publisher: str = ""
    published: PartialDate | None = None
    url: str = ""
    language: str = ""
    source_kind: SourceKind = SourceKind.UNKNOWN
    provenance_note: str = ""
    reliability_note: str = ""
    file_name: str = ""
    format: str = ""
    sha256: str = ""
    imported_at: datetime = field(default_factory=utcnow)
    paragraphs: tuple[tuple[int, int], ...] = ()
    pages: tuple[int, ...] = ()
    """Start offset of each page (PDF); empty for formats without pages."""
    link_urls: tuple[str, ...] = ()
    """URLs found in the source (Markdown/HTML links): candidate evidence."""
    flags: tuple[str, ...] = ()
    """What the importer noticed and the reader should know (hidden characters, ...)."""
    accessed: PartialDate | None = None
    """The day a web source was read or saved (see `is_web_source`); None for other sources."""

    def __post_init__(self) -> None:
        if "\r" in self.text:
            raise ValidationError("A document's text must have its line endings normalised to \\n.")
        if not self.title.strip():
            raise ValidationError("A document needs a title.")
        for start, end in self.paragraphs:
            if not (0 <= start <= end <= len(self.text)):
                raise ValidationError("A paragraph boundary lies outside the text.")

    def page_of(self, offset: int) -> int | None:
        """The 1-based page holding `offset`, or None for documents without pages."""
        if not self.pages:
            return None
        from bisect import bisect_right

        return max(1, bisect_right(self.pages, offset))


def is_web_source(format: str, url: str) -> bool:
    """Whether a document is a web source, whose citation needs the day it was read: a saved
    web page (HTML) or any document whose metadata gives a URL."""
    return format == "html" or bool(url.strip())


@dataclass(frozen=True)
class DocumentSummary:
    """A document's metadata without its text: what lists and libraries show."""

    id: str
    title: str
    authors: tuple[str, ...]
    publisher: str
    published: PartialDate | None
    url: str
    language: str
    source_kind: SourceKind
    format: str
    file_name: str
    text_length: int
    imported_at: datetime
    position: int = 0
    accessed: PartialDate | None = None
