"""The report model: everything a report shows, as plain data (built by services.report_builder).

Every rendering (HTML, PDF, Markdown, DOCX, CSV, JSON-LD) reads this one structure, so they all
say the same thing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from annotator.domain.formatting import FormatSpan
from annotator.domain.location import Location
from annotator.domain.model import Evidence
from annotator.domain.titles import short_titles
from annotator.services.report_agreement import AgreementSection


@dataclass(frozen=True)
class ReportScope:
    """What a report covers. Empty fields mean "all"; the filters combine (AND)."""

    documents: tuple[str, ...] = ()
    """Document references: id, 1-based number or unambiguous title prefix."""
    labels: tuple[str, ...] = ()
    """Label references: id, name or key."""
    query: str = ""
    """A search query; the exporters resolve it to `claim_ids` (the model only shows it)."""
    claim_ids: frozenset[str] | None = None
    """Only these claims (search results, a selection); None = no such filter."""
    title: str = ""
    """The report's title; default: the project file's name."""


@dataclass(frozen=True)
class LabelInfo:
    id: str
    name: str
    color: str
    description: str
    position: int

    @property
    def text_color(self) -> str:
        """Black or white, whichever reads better on the label's colour."""
        r, g, b = (int(self.color[i : i + 2], 16) for i in (1, 3, 5))
        return "#000000" if 0.299 * r + 0.587 * g + 0.114 * b > 150 else "#ffffff"

    @property
    def tint(self) -> str:
        """The label's colour mixed with white: a highlight behind black text."""
        parts = (int(self.color[i : i + 2], 16) for i in (1, 3, 5))
        return "#" + "".join(f"{round(c * 0.25 + 255 * 0.75):02x}" for c in parts)


@dataclass(frozen=True)
class LabelCount:
    label: LabelInfo
    count: int
    share: float
    """Fraction (0..1) of the claims counted."""

    @property
    def percent(self) -> int:
        return round(self.share * 100)


@dataclass(frozen=True)
class SourceInfo:
    id: str
    number: int
    title: str
    authors: tuple[str, ...]
    publisher: str
    published: str
    url: str
    language: str
    source_kind: str
    provenance_note: str
    reliability_note: str
    file_name: str
    format: str
    length: int
    sha256: str
    accessed: str = ""
    """The day a web source was read (YYYY-MM-DD), "" when unknown or not a web source."""


@dataclass(frozen=True)
class LinkRef:
    """A link seen from one of its claims."""

    link_id: str
    relation: str
    phrase: str
    """"corroborates" when this claim is the link's source, "corroborated by" otherwise."""
    other_id: str
    other_number: int | None
    """The other claim's number in this report, None when it lies outside the report."""
    other_source: str
    other_quote: str
    note: str


@dataclass(frozen=True)
class ClaimEntry:
    id: str
    number: int
    document_id: str
    source_number: int
    source_title: str
    start: int
    end: int
    page: int | None
    paragraph: int
    """1-based paragraph of the claim's start (domain.location): with `page`, where it is."""
    exact: str
    prefix: str
    suffix: str
    before: str
    """A few words of text before the quote, within its paragraph (whitespace collapsed), with
    "…" in front when the paragraph goes on and a trailing space when one separates it from
    the quote."""
    after: str
    label: LabelInfo
    note: str
    tags: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    links: tuple[LinkRef, ...]
    author: str
    created: datetime
    modified: datetime
    revision: int
    formats: tuple[FormatSpan, ...] = ()
    """The source's inline formatting within the quote (emphasis, strong...), relative to
    `exact`: `domain.formatting.styled_pieces(exact, formats)` cuts the quote by it."""

    @property
    def ref(self) -> str:
        return f"C{self.number}"

    @property
    def location(self) -> Location:
        """Where the claim is, in a reader's terms (`.text`: "page 2, paragraph 14")."""
        return Location(self.paragraph, self.page)


@dataclass(frozen=True)
class SourceSection:
    source: SourceInfo
    counts: tuple[LabelCount, ...]
    claims: tuple[ClaimEntry, ...]


@dataclass(frozen=True)
class LinkEntry:
    """A link whose two claims are both in the report."""

    id: str
    source_id: str
    target_id: str
    source_number: int
    target_number: int
    relation: str
    note: str
    author: str
    created: datetime


@dataclass(frozen=True)
class ThreadClaim:
    claim: ClaimEntry
    corroborated_by: tuple[str, ...]
    """Titles of the other sources whose claims corroborate this one (either direction)."""
    contradicted_by: tuple[str, ...]
    repeats: tuple[str, ...]
    """Sources this claim repeats."""
    repeated_by: tuple[str, ...]
    dependent: bool
    """Corroborated, but only by sources tied by `repeats` to the claim's own source or to
    another corroborator: the corroboration is not independent (domain.independence)."""

    def relations(self) -> list[tuple[str, tuple[str, ...]]]:
        """(“Corroborated by”, source titles)... for each relation this claim has, in the order
        every format shows them."""
        pairs = (
            ("Corroborated by", self.corroborated_by),
            ("Contradicted by", self.contradicted_by),
            ("Repeats", self.repeats),
            ("Repeated by", self.repeated_by),
        )
        return [(what, who) for what, who in pairs if who]


@dataclass(frozen=True)
class Thread:
    """Claims connected by links (a connected component of the link graph)."""

    number: int
    claims: tuple[ThreadClaim, ...]
    links: tuple[LinkEntry, ...]
    sources: tuple[str, ...]

    @property
    def flagged(self) -> int:
        return sum(1 for c in self.claims if c.dependent)


MATRIX_TITLE_CHARS = 32
"""A row header of the source matrix is cut to this many characters."""


@dataclass(frozen=True)
class MatrixCell:
    counts: tuple[tuple[str, int], ...]
    """(relation, number of links) from claims of the row's source to the column's source."""

    @property
    def text(self) -> str:
        return ", ".join(f"{rel} {n}" for rel, n in self.counts)


@dataclass(frozen=True)
class SourceMatrix:
    sources: tuple[SourceInfo, ...]
    """The sources with at least one link in the report, in report order."""
    rows: tuple[tuple[MatrixCell, ...], ...]

    @property
    def short_titles(self) -> tuple[str, ...]:
        """The sources' titles as the matrix's row headers show them: short, and still telling
        the sources apart (the full titles go in a key below the matrix)."""
        return tuple(short_titles([s.title for s in self.sources], MATRIX_TITLE_CHARS))


@dataclass(frozen=True)
class Summary:
    documents: int
    claims: int
    links: int
    threads: int
    flagged: int
    per_label: tuple[LabelCount, ...]
    per_relation: tuple[tuple[str, int], ...]
    annotators: tuple[tuple[str, int], ...]
    first_claim: datetime | None
    last_claim: datetime | None


@dataclass(frozen=True)
class Report:
    title: str
    project_id: str
    scope: tuple[str, ...]
    """The scope in words, one line per filter ("All documents", "Labels: sourced")."""
    generated: datetime | None
    labels: tuple[LabelInfo, ...]
    """Every label of the project (the charts show `summary.per_label`, the labels in scope)."""
    sources: tuple[SourceSection, ...]
    links: tuple[LinkEntry, ...]
    threads: tuple[Thread, ...]
    matrix: SourceMatrix
    summary: Summary
    agreement: AgreementSection | None = None
    """The annotators' agreement over the claims of the report's documents; None when they
    were made by fewer than two annotators."""

    def claims(self) -> Iterator[ClaimEntry]:
        for section in self.sources:
            yield from section.claims
