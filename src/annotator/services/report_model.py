"""The report model: everything a report shows, built once from a project as plain data.

Every rendering (HTML, PDF, Markdown, DOCX, CSV, JSON-LD) reads this one structure, so they all
say the same thing. Building it is deterministic: documents in project order, claims in document
order, labels in label order, everything else sorted; nothing depends on the clock except the
optional `generated` time the caller passes in.

Scope: a report covers the whole project, chosen documents, chosen labels and/or a given set of
claims (the exporters turn a search query into claim ids). Documents without claims in scope are
listed only when they were chosen or when no claim filter (labels, query) is active.
Links: a claim's own entry lists all its links (the other end may lie outside the scope: it is
then named by its source and quote, without a claim number); the summary, the source matrix and
the threads count only links whose two ends are both in the report.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from annotator.domain.formatting import FormatSpan
from annotator.domain.model import Annotation, Evidence, Label, Link, Relation
from annotator.domain.text import context_around
from annotator.services.report_agreement import AgreementSection, build_agreement_section

if TYPE_CHECKING:
    from annotator.services.api import Project

CONTEXT_WORDS = 8
"""Words of context shown either side of a quote."""

PASSIVE = {
    Relation.CORROBORATES: "corroborated by",
    Relation.CONTRADICTS: "contradicted by",
    Relation.REPEATS: "repeated by",
    Relation.CITES: "cited by",
}


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
    exact: str
    prefix: str
    suffix: str
    before: str
    """A few words of text before the quote (whitespace collapsed), with "…" in front when
    the text goes on and a trailing space when one separates it from the quote."""
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
    another corroborator: the corroboration is not independent."""

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


def label_info(label: Label) -> LabelInfo:
    return LabelInfo(label.id, label.name, label.color, label.description, label.position)


def build_report(
    project: Project, scope: ReportScope | None = None, *, generated: datetime | None = None
) -> Report:
    """Read the project (within `scope`) into a `Report`. Raises NotFoundError for a document
    or label reference that matches nothing."""
    scope = scope or ReportScope()
    all_labels = {lab.id: label_info(lab) for lab in project.labels()}
    summaries = project.documents()
    if scope.documents:
        chosen = {project.find_document(ref).id for ref in scope.documents}
        summaries = [d for d in summaries if d.id in chosen]
    label_ids = {project.label(ref).id for ref in scope.labels}
    shown_labels = [lab for lab in all_labels.values() if not label_ids or lab.id in label_ids]
    doc_ids = {d.id for d in summaries}

    claims = [
        a
        for a in project.annotations()
        if a.document_id in doc_ids
        and (not label_ids or a.label_id in label_ids)
        and (scope.claim_ids is None or a.id in scope.claim_ids)
    ]
    if (label_ids or scope.claim_ids is not None) and not scope.documents:
        with_claims = {a.document_id for a in claims}
        summaries = [d for d in summaries if d.id in with_claims]
    by_doc: dict[str, list[Annotation]] = {}
    for ann in claims:
        by_doc.setdefault(ann.document_id, []).append(ann)
    numbers = {a.id: n for n, a in enumerate(claims, start=1)}
    titles = {d.id: d.title for d in project.documents()}

    all_links = project.links(annotation_ids=numbers) if numbers else []
    outside_ids = {k.source_id for k in all_links} | {k.target_id for k in all_links}
    outside = project.annotations_by_id(outside_ids - numbers.keys())
    quotes = {a.id: a.quote.exact for a in claims} | {i: a.quote.exact for i, a in outside.items()}
    claim_doc = {a.id: a.document_id for a in claims} | {
        i: a.document_id for i, a in outside.items()
    }
    links_of: dict[str, list[Link]] = {}
    for link in all_links:
        links_of.setdefault(link.source_id, []).append(link)
        links_of.setdefault(link.target_id, []).append(link)

    sections: list[SourceSection] = []
    entries: dict[str, ClaimEntry] = {}
    for number, listed in enumerate(summaries, start=1):
        doc = project.document(listed.id)
        source = SourceInfo(
            id=doc.id,
            number=number,
            title=doc.title,
            authors=doc.authors,
            publisher=doc.publisher,
            published=doc.published.iso() if doc.published else "",
            url=doc.url,
            language=doc.language,
            source_kind=doc.source_kind.value,
            provenance_note=doc.provenance_note,
            reliability_note=doc.reliability_note,
            file_name=doc.file_name,
            format=doc.format,
            length=len(doc.text),
            sha256=doc.sha256,
            accessed=doc.accessed.iso() if doc.accessed else "",
        )
        formats = project.text_formats(doc.id)
        doc_claims: list[ClaimEntry] = []
        for ann in by_doc.get(doc.id, []):
            before, after = _context(doc.text, ann.start, ann.end)
            refs = [
                _link_ref(k, ann.id, numbers, titles, claim_doc, quotes)
                for k in links_of.get(ann.id, [])
            ]
            refs.sort(key=lambda r: (r.other_number or 1 << 30, r.phrase, r.other_id, r.link_id))
            entry = ClaimEntry(
                id=ann.id,
                number=numbers[ann.id],
                document_id=doc.id,
                source_number=number,
                source_title=doc.title,
                start=ann.start,
                end=ann.end,
                page=doc.page_of(ann.start),
                exact=ann.quote.exact,
                prefix=ann.quote.prefix,
                suffix=ann.quote.suffix,
                before=before,
                after=after,
                label=all_labels[ann.label_id],
                note=ann.note,
                tags=ann.tags,
                evidence=ann.evidence,
                links=tuple(refs),
                author=ann.author,
                created=ann.created,
                modified=ann.modified,
                revision=ann.revision,
                formats=tuple(formats.within(ann.start, ann.end)) if len(formats) else (),
            )
            entries[ann.id] = entry
            doc_claims.append(entry)
        counts = _label_counts(shown_labels, [c.label.id for c in doc_claims])
        sections.append(SourceSection(source, counts, tuple(doc_claims)))

    inner = sorted(
        (
            LinkEntry(
                id=k.id,
                source_id=k.source_id,
                target_id=k.target_id,
                source_number=numbers[k.source_id],
                target_number=numbers[k.target_id],
                relation=k.relation.value,
                note=k.note,
                author=k.author,
                created=k.created,
            )
            for k in all_links
            if k.source_id in numbers and k.target_id in numbers
        ),
        key=lambda k: (k.source_number, k.target_number, k.relation, k.id),
    )
    sources = tuple(s.source for s in sections)
    threads = _threads(inner, entries)
    created = sorted(c.created for c in entries.values())
    authors = Counter(c.author or "(unknown)" for c in entries.values())
    relations = Counter(k.relation for k in inner)
    summary = Summary(
        documents=len(sections),
        claims=len(entries),
        links=len(inner),
        threads=len(threads),
        flagged=sum(t.flagged for t in threads),
        per_label=_label_counts(shown_labels, [c.label.id for c in entries.values()]),
        per_relation=tuple((r.value, relations[r.value]) for r in Relation),
        annotators=tuple(sorted(authors.items(), key=lambda kv: (-kv[1], kv[0]))),
        first_claim=created[0] if created else None,
        last_claim=created[-1] if created else None,
    )
    return Report(
        title=scope.title.strip() or project.path.stem,
        project_id=project.project_id(),
        scope=_describe_scope(scope, sources, shown_labels, bool(label_ids)),
        generated=generated,
        labels=tuple(all_labels.values()),
        sources=tuple(sections),
        links=tuple(inner),
        threads=threads,
        matrix=_matrix(sources, inner, entries),
        summary=summary,
        agreement=build_agreement_section(project, [s.id for s in sources]),
    )


def _context(text: str, start: int, end: int) -> tuple[str, str]:
    """A few words either side of `[start, end)`, whitespace collapsed, with the space that
    separates them from the quote (if any) and "…" where the text goes on."""
    before, after = context_around(text, start, end, CONTEXT_WORDS)
    # Words are counted in a window, not in the whole text: that would cost claims × text length.
    window = 400
    if before:
        head = text[max(0, start - window) : start]
        cut = len(head.split()) > CONTEXT_WORDS or start > window
        before = ("…" if cut else "") + before + (" " if text[start - 1].isspace() else "")
    if after:
        tail = text[end : end + window]
        cut = len(tail.split()) > CONTEXT_WORDS or len(text) - end > window
        after = (" " if text[end].isspace() else "") + after + ("…" if cut else "")
    return before, after


def _link_ref(
    link: Link,
    claim_id: str,
    numbers: dict[str, int],
    titles: dict[str, str],
    claim_doc: dict[str, str],
    quotes: dict[str, str],
) -> LinkRef:
    outgoing = link.source_id == claim_id
    other = link.target_id if outgoing else link.source_id
    return LinkRef(
        link_id=link.id,
        relation=link.relation.value,
        phrase=link.relation.value if outgoing else PASSIVE[link.relation],
        other_id=other,
        other_number=numbers.get(other),
        other_source=titles.get(claim_doc.get(other, ""), "?"),
        other_quote=quotes.get(other, ""),
        note=link.note,
    )


def _label_counts(labels: list[LabelInfo], label_ids: list[str]) -> tuple[LabelCount, ...]:
    counts = Counter(label_ids)
    total = len(label_ids)
    return tuple(
        LabelCount(lab, counts[lab.id], counts[lab.id] / total if total else 0.0) for lab in labels
    )


def _describe_scope(
    scope: ReportScope, sources: tuple[SourceInfo, ...], labels: list[LabelInfo], filtered: bool
) -> tuple[str, ...]:
    lines = [
        "Documents: " + "; ".join(s.title for s in sources) if scope.documents else "All documents",
        "Labels: " + ", ".join(lab.name for lab in labels) if filtered else "All labels",
    ]
    if scope.query:
        lines.append(f"Search: {scope.query}")
    elif scope.claim_ids is not None:
        lines.append(f"Selected claims: {len(scope.claim_ids)}")
    return tuple(lines)


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _threads(links: list[LinkEntry], entries: dict[str, ClaimEntry]) -> tuple[Thread, ...]:
    components = _UnionFind()
    for k in links:
        components.union(k.source_id, k.target_id)
    groups: dict[str, list[str]] = {}
    for claim_id in sorted({k.source_id for k in links} | {k.target_id for k in links}):
        groups.setdefault(components.find(claim_id), []).append(claim_id)
    ordered = sorted(groups.values(), key=lambda ids: min(entries[i].number for i in ids))
    threads: list[Thread] = []
    for number, ids in enumerate(ordered, start=1):
        members = set(ids)
        thread_links = tuple(k for k in links if k.source_id in members)
        claims = sorted((entries[i] for i in ids), key=lambda c: c.number)
        titles = {c.source_number: c.source_title for c in claims}
        threads.append(
            Thread(
                number=number,
                claims=_assess(claims, thread_links),
                links=thread_links,
                sources=tuple(titles[n] for n in sorted(titles)),
            )
        )
    return tuple(threads)


def _assess(claims: list[ClaimEntry], links: tuple[LinkEntry, ...]) -> tuple[ThreadClaim, ...]:
    """Who corroborates, contradicts and repeats each claim of a thread, and whether its
    corroboration is independent.

    Sources are tied when a chain of `repeats` links (in either direction) joins claims of
    theirs in this thread. A corroborated claim is flagged `dependent` when every corroborating
    source is its own source or is tied to its source or to another corroborating source."""
    doc = {c.id: c.document_id for c in claims}
    title = {c.document_id: c.source_title for c in claims}
    order = {c.document_id: c.source_number for c in claims}
    tied = _UnionFind()
    for k in links:
        if k.relation == Relation.REPEATS.value:
            tied.union(doc[k.source_id], doc[k.target_id])
    out: list[ThreadClaim] = []
    for claim in claims:
        related: dict[str, set[str]] = {r.value: set() for r in Relation}
        repeats_out: set[str] = set()
        repeated_by: set[str] = set()
        for k in links:
            if claim.id not in (k.source_id, k.target_id):
                continue
            outgoing = k.source_id == claim.id
            other = doc[k.target_id if outgoing else k.source_id]
            related[k.relation].add(other)
            if k.relation == Relation.REPEATS.value:
                (repeats_out if outgoing else repeated_by).add(other)
        own = claim.document_id
        corroborating = related[Relation.CORROBORATES.value]
        independent = [
            s
            for s in corroborating
            if s != own
            and tied.find(s) != tied.find(own)
            and not any(tied.find(s) == tied.find(o) for o in corroborating if o != s)
        ]

        def names(ids: set[str], own: str = own) -> tuple[str, ...]:
            return tuple(title[i] for i in sorted(ids - {own}, key=lambda i: order[i]))

        out.append(
            ThreadClaim(
                claim=claim,
                corroborated_by=names(corroborating),
                contradicted_by=names(related[Relation.CONTRADICTS.value]),
                repeats=names(repeats_out),
                repeated_by=names(repeated_by),
                dependent=bool(corroborating) and not independent,
            )
        )
    return tuple(out)


def _matrix(
    sources: tuple[SourceInfo, ...], links: list[LinkEntry], entries: dict[str, ClaimEntry]
) -> SourceMatrix:
    pairs: Counter[tuple[str, str, str]] = Counter()
    for k in links:
        pairs[(entries[k.source_id].document_id, entries[k.target_id].document_id, k.relation)] += 1
    linked = {a for a, _, _ in pairs} | {b for _, b, _ in pairs}
    shown = tuple(s for s in sources if s.id in linked)
    rows = tuple(
        tuple(
            MatrixCell(
                tuple(
                    (r.value, pairs[(row.id, col.id, r.value)])
                    for r in Relation
                    if pairs[(row.id, col.id, r.value)]
                )
            )
            for col in shown
        )
        for row in shown
    )
    return SourceMatrix(shown, rows)
