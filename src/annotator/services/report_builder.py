"""Building the report model from a project: what a report covers, read once, in a stable order.

Deterministic: documents in project order, claims in document order, labels in label order,
everything else sorted; nothing depends on the clock except the optional `generated` time the
caller passes in.

Scope: a report covers the whole project, chosen documents, chosen labels and/or a given set of
claims (the exporters turn a search query into claim ids). Documents without claims in scope are
listed only when they were chosen or when no claim filter (labels, query) is active.
Links: a claim's own entry lists all its links (the other end may lie outside the scope: it is
then named by its source and quote, without a claim number); the summary, the source matrix and
the threads count only links whose two ends are both in the report.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import TYPE_CHECKING

from annotator.domain.independence import assess_sources, link_threads
from annotator.domain.location import Locator
from annotator.domain.model import Claim, Label, Link, Relation
from annotator.services.report_agreement import build_agreement_section
from annotator.services.report_model import (
    ClaimEntry,
    LabelCount,
    LabelInfo,
    LinkEntry,
    LinkRef,
    MatrixCell,
    Report,
    ReportScope,
    SourceInfo,
    SourceMatrix,
    SourceSection,
    Summary,
    Thread,
    ThreadClaim,
)

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
    by_doc: dict[str, list[Claim]] = {}
    for ann in claims:
        by_doc.setdefault(ann.document_id, []).append(ann)
    numbers = {a.id: n for n, a in enumerate(claims, start=1)}
    titles = {d.id: d.title for d in project.documents()}

    all_links = project.links(annotation_ids=numbers) if numbers else []
    outside_ids = {k.source_id for k in all_links} | {k.target_id for k in all_links}
    outside = project.claims_by_id(outside_ids - numbers.keys())
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
        locator = Locator(doc.paragraphs, doc.pages)
        for ann in by_doc.get(doc.id, []):
            before, after = _context(doc.text, ann.start, ann.end, locator)
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
                page=locator.page(ann.start),
                paragraph=locator.locate(ann.start).paragraph,
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


def _context(text: str, start: int, end: int, locator: Locator) -> tuple[str, str]:
    """A few words either side of `[start, end)` within its paragraphs, whitespace collapsed,
    with the space that separates them from the quote (if any) and "…" where the paragraph
    goes on."""
    first = locator.paragraph_span(start)
    last = locator.paragraph_span(max(start, end - 1))
    lo = min(start, first[0]) if first else 0
    hi = max(end, last[1]) if last else len(text)
    # Words are counted in a window, not in the whole paragraph: that could cost claims × text.
    window = 400
    head = text[max(lo, start - window) : start].split()
    tail = text[end : min(hi, end + window)].split()
    before = " ".join(head[-CONTEXT_WORDS:])
    after = " ".join(tail[:CONTEXT_WORDS])
    if before:
        cut = len(head) > CONTEXT_WORDS or start - window > lo
        before = ("…" if cut else "") + before + (" " if text[start - 1].isspace() else "")
    if after:
        cut = len(tail) > CONTEXT_WORDS or end + window < hi
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


def _threads(links: list[LinkEntry], entries: dict[str, ClaimEntry]) -> tuple[Thread, ...]:
    pairs = [(k.source_id, k.target_id, k.relation) for k in links]
    groups = link_threads(pairs)
    groups.sort(key=lambda ids: min(entries[i].number for i in ids))
    threads: list[Thread] = []
    for number, ids in enumerate(groups, start=1):
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
    """Who corroborates, contradicts and repeats each claim of a thread, by source title, and
    whether its corroboration is independent (domain.independence)."""
    title = {c.document_id: c.source_title for c in claims}
    verdicts = assess_sources(
        {c.id: c.document_id for c in claims},
        [(k.source_id, k.target_id, k.relation) for k in links],
        {c.document_id: c.source_number for c in claims},
    )

    def names(ids: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(title[i] for i in ids)

    out: list[ThreadClaim] = []
    for claim in claims:
        v = verdicts[claim.id]
        out.append(
            ThreadClaim(
                claim=claim,
                corroborated_by=names(v.corroborated_by),
                contradicted_by=names(v.contradicted_by),
                repeats=names(v.repeats),
                repeated_by=names(v.repeated_by),
                dependent=v.dependent,
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
