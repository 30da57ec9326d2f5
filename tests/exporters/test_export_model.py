"""The report model: threads, the source matrix, the independence flag and the summary."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from annotator.services.api import Project
from annotator.services.report_builder import build_report
from annotator.services.report_model import ReportScope

Claim = Callable[[int, str], str]


@pytest.fixture
def sources(project: Project, add_text: Any) -> tuple[list[str], Claim]:
    """Five sources S0..S4 each saying "alpha beta gamma delta"; `claim(source, word)` marks a
    word and returns the claim id."""
    docs = [add_text(f"Source {i} says alpha beta gamma delta.", title=f"S{i}") for i in range(5)]

    def claim(source: int, word: str) -> str:
        text = project.document_text(docs[source])
        start = text.index(word)
        changes = project.create_claim(
            docs[source], start, start + len(word), project.label("sourced").id
        )
        assert changes.created_id is not None
        return changes.created_id

    return docs, claim


def flags(project: Project) -> dict[str, bool]:
    report = build_report(project)
    return {tc.claim.id: tc.dependent for t in report.threads for tc in t.claims}


def test_corroboration_by_sources_repeating_each_other_is_flagged(
    project: Project, sources: Any
) -> None:
    _, claim = sources
    x, a, b = claim(0, "alpha"), claim(1, "alpha"), claim(2, "alpha")
    project.create_link(a, x, "corroborates")
    project.create_link(b, x, "corroborates")
    project.create_link(b, a, "repeats")  # S2 copies S1: not two independent voices
    assert flags(project)[x] is True


def test_one_independent_corroborator_clears_the_flag(project: Project, sources: Any) -> None:
    _, claim = sources
    x, a, b = claim(0, "beta"), claim(1, "beta"), claim(2, "beta")
    project.create_link(a, x, "corroborates")
    project.create_link(x, b, "corroborates")
    project.create_link(b, x, "repeats")  # S2 repeats X's own source
    result = flags(project)
    assert result[x] is False  # S1 corroborates independently
    assert result[b] is True  # B's only corroborator is the source it repeats


def test_repeats_chains_tie_sources_transitively(project: Project, sources: Any) -> None:
    _, claim = sources
    x, a, c = claim(0, "gamma"), claim(1, "gamma"), claim(3, "gamma")
    b = claim(2, "gamma")
    project.create_link(a, x, "corroborates")
    project.create_link(c, x, "corroborates")
    project.create_link(c, b, "repeats")
    project.create_link(b, a, "repeats")
    report = build_report(project)
    (thread,) = report.threads
    by_id = {tc.claim.id: tc for tc in thread.claims}
    assert by_id[x].dependent is True
    assert by_id[x].corroborated_by == ("S1", "S3")
    assert by_id[c].repeats == ("S2",) and by_id[b].repeated_by == ("S3",)
    assert thread.sources == ("S0", "S1", "S2", "S3")


def test_self_corroboration_and_no_corroboration(project: Project, sources: Any) -> None:
    _, claim = sources
    x, y, z = claim(0, "alpha"), claim(0, "delta"), claim(4, "alpha")
    project.create_link(y, x, "corroborates")
    project.create_link(z, x, "contradicts")
    result = flags(project)
    assert result[x] is True and result[y] is True
    assert result[z] is False


def test_threads_matrix_and_summary(project: Project, sources: Any) -> None:
    _, claim = sources
    a0, a1, a2 = claim(0, "alpha"), claim(1, "alpha"), claim(2, "alpha")
    d3, d4 = claim(3, "delta"), claim(4, "delta")
    project.create_link(a1, a0, "corroborates")
    project.create_link(a2, a0, "contradicts")
    project.create_link(d4, d3, "cites")
    project.update_claim(d4, label_id=project.label("polemical").id)
    report = build_report(project)
    assert [[c.claim.number for c in t.claims] for t in report.threads] == [[1, 2, 3], [4, 5]]
    assert [s.title for s in report.matrix.sources] == ["S0", "S1", "S2", "S3", "S4"]
    assert report.matrix.rows[1][0].text == "corroborates 1"
    assert report.matrix.rows[2][0].text == "contradicts 1"
    assert report.matrix.rows[0][1].text == ""
    s = report.summary
    assert (s.documents, s.claims, s.links, s.threads, s.flagged) == (5, 5, 3, 2, 0)
    assert dict(s.per_relation) == {"corroborates": 1, "contradicts": 1, "repeats": 0, "cites": 1}
    assert {lc.label.name: lc.count for lc in s.per_label} == {
        "sourced": 4,
        "disputed": 0,
        "polemical": 1,
    }
    assert s.first_claim is not None and s.last_claim is not None
    assert s.first_claim <= s.last_claim
    first = next(report.claims())
    assert [(k.phrase, k.other_number) for k in first.links] == [
        ("corroborated by", 2),
        ("contradicted by", 3),
    ]


def test_context_keeps_spacing_and_marks_cuts(project: Project, add_text: Any) -> None:
    text = "one two three four five six seven eight nine ten, eleven twelve"
    doc = add_text(text)
    start = text.index("ten")
    project.create_claim(doc, start, start + 3, project.label("1").id)
    start = text.index("one")
    project.create_claim(doc, start, start + 3, project.label("1").id)
    early, late = build_report(project).claims()
    assert late.before == "…two three four five six seven eight nine "
    assert late.after == ", eleven twelve"
    assert early.before == "" and early.after.endswith("…")


def test_label_and_document_filters_hide_empty_sources(fixed: Any) -> None:
    report = build_report(fixed.project, ReportScope(labels=("satire",)))
    assert [s.source.title for s in report.sources] == ["Monthly bulletin"]
    report = build_report(fixed.project, ReportScope(documents=("3", "1")))
    assert [s.source.number for s in report.sources] == [1, 2]
    assert [s.source.title for s in report.sources] == ["Monthly bulletin", "A blog post"]
    assert report.summary.links == 1  # only the blog's contradiction of the bulletin
    assert report.scope[0] == "Documents: Monthly bulletin; A blog post"


def test_claims_are_located_by_page_and_paragraph_and_context_stays_in_the_paragraph(
    project: Project,
) -> None:
    from annotator.domain.imported import ImportedText

    text = (
        "A report on the strike\n\nBy A. Writer\n3 March 1931\n\n"
        "For the past week, the dockers have stopped work.\n\n"
        "Page two opens here. The register counts 1,800 men at the call.\n\nThe end."
    )
    pages = (0, text.index("Page two"))
    imported = ImportedText(text=text, format="pdf", title="Paged", pages=pages)
    doc_id = project.add_document(imported, b"paged", "paged.pdf").created_id
    assert doc_id is not None
    sourced = project.label("sourced").id
    for quote in ("For the past week", "The register counts"):
        start = text.index(quote)
        project.create_claim(doc_id, start, start + len(quote), sourced)

    first, second = build_report(project).claims()
    assert (first.paragraph, first.page, first.location.text) == (3, 1, "page 1, paragraph 3")
    assert first.before == ""  # the byline is another paragraph
    assert first.after == ", the dockers have stopped work."
    assert second.location.text == "page 2, paragraph 4"
    assert second.before == "Page two opens here. "
    assert second.after == " 1,800 men at the call."  # "The end." is the next paragraph
