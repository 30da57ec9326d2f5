"""The report's agreement section: built from a real project, rendered as HTML, Markdown, the
PDF's HTML and Word."""

from __future__ import annotations

from collections.abc import Callable

from annotator.exporters.agreement_section import agreement_markdown
from annotator.exporters.templating import environment
from annotator.services.api import Project
from annotator.services.report_agreement import build_agreement_section

AddText = Callable[..., str]

TEXT = "One claim here. Another claim there. A third claim at the end of the text."
EVIL = "<script>alert(1)</script> *bold* | pipe"


def _mark(project: Project, who: str, doc: str, start: int, end: int, label: str) -> None:
    project.set_author(who)
    project.create_claim(doc, start, end, project.label(label).id)


def _team(project: Project, add_text: AddText) -> tuple[str, str]:
    first = add_text(TEXT, title="First <b>source</b>")
    second = add_text(TEXT, title="Second")
    _mark(project, "ann", first, 0, 15, "sourced")
    _mark(project, EVIL, first, 3, 15, "sourced")
    _mark(project, "ann", first, 16, 36, "disputed")
    _mark(project, EVIL, first, 16, 30, "polemical")
    _mark(project, "ann", second, 0, 15, "sourced")
    return first, second


def _html(section: object) -> str:
    template = environment().from_string(
        '{% from "agreement_section.html.j2" import agreement_section %}{{ agreement_section(a) }}'
    )
    return template.render(a=section)


def test_no_section_with_fewer_than_two_annotators(project: Project, add_text: AddText) -> None:
    doc = add_text(TEXT)
    assert build_agreement_section(project) is None
    _mark(project, "ann", doc, 0, 15, "sourced")
    _mark(project, "ann", doc, 16, 30, "disputed")
    assert build_agreement_section(project) is None


def test_section_rows(project: Project, add_text: AddText) -> None:
    first, second = _team(project, add_text)
    section = build_agreement_section(project)
    assert section is not None
    assert "at least 50% of the shorter claim (overlap coefficient)" in section.rule
    assert dict(section.annotators) == {"ann": 3, EVIL: 2}
    (pair,) = section.pairs
    # Names sort "<" before "a"; po = 1/2, pe = 1/4: kappa = 1/3.
    assert pair.annotators == f"{EVIL} – ann"
    assert (pair.units, pair.percent_agreement, pair.cohen_kappa) == (2, "50%", "0.33")
    assert pair.unmatched == "0 / 1"
    assert [d.title for d in section.documents] == ["First <b>source</b>", "Second"]
    assert section.documents[1].krippendorff_alpha == "—"
    assert "only one annotator (ann)" in section.documents[1].note
    assert [row.label for row in section.labels] == ["sourced", "disputed", "polemical"]
    assert dict(section.unmatched) == {"ann": 1, EVIL: 0}
    # A report of the second document alone has one annotator: no section.
    assert build_agreement_section(project, [second]) is None
    only_first = build_agreement_section(project, [first])
    assert only_first is not None and dict(only_first.unmatched) == {"ann": 0, EVIL: 0}


def test_html_section_escapes_names_and_titles(project: Project, add_text: AddText) -> None:
    _team(project, add_text)
    html = _html(build_agreement_section(project))
    assert '<section id="agreement">' in html
    assert "<h2>Agreement between annotators</h2>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>source</b>" not in html and "&lt;b&gt;source&lt;/b&gt;" in html
    assert '<td class="num">50%</td>' in html
    assert "only one annotator (ann) has claims" in html


def test_markdown_section_escapes_names_and_titles(project: Project, add_text: AddText) -> None:
    _team(project, add_text)
    section = build_agreement_section(project)
    assert section is not None
    lines = agreement_markdown(section)
    text = "\n".join(lines)
    assert lines[0] == "## Agreement between annotators"
    assert "<script>" not in text and "\\<script\\>" in text
    assert "\\| pipe" in text  # a pipe in a name cannot break the table
    (pair_row,) = [line for line in lines if line.endswith(" – ann | 2 | 50% | 0.33 | 0 / 1 |")]
    assert pair_row.startswith("| \\<script\\>")
    assert lines[-1] == ""


def test_reports_carry_the_section_only_with_two_annotators(
    project: Project, add_text: AddText
) -> None:
    from annotator.exporters.base import render_report

    doc = add_text(TEXT, title="Alone")
    _mark(project, "ann", doc, 0, 15, "sourced")
    report, html = render_report(project, "html")
    assert report.agreement is None
    assert b'id="agreement"' not in html
    _, markdown = render_report(project, "md")
    assert b"## Agreement between annotators" not in markdown

    _mark(project, "bob", doc, 2, 15, "disputed")
    report, html = render_report(project, "html")
    assert report.agreement is not None and report.agreement.units == 1
    page = html.decode()
    assert page.index('id="summary"') < page.index('id="agreement"') < page.index('id="S1"')
    _, markdown = render_report(project, "md")
    text = markdown.decode()
    assert "## Agreement between annotators" in text
    assert "| ann – bob | 1 | 0% | 0.00 | 0 / 0 |" in text  # po = pe = 0


def test_the_pdf_and_word_reports_carry_the_section(project: Project, add_text: AddText) -> None:
    import io

    from docx import Document

    from annotator.exporters.templating import render
    from annotator.services.report_builder import build_report

    doc = add_text(TEXT, title="Shared")
    _mark(project, "ann", doc, 0, 15, "sourced")
    _mark(project, "bob", doc, 2, 15, "disputed")
    report = build_report(project)
    assert report.agreement is not None
    qt_html = render("report_qt.html.j2", r=report, s=report.summary)
    assert "Agreement between annotators" in qt_html and "ann – bob" in qt_html
    from annotator.exporters.base import render_report

    _, data = render_report(project, "docx")
    word = Document(io.BytesIO(data))
    headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert "Agreement between annotators" in headings
    cells = [c.text for t in word.tables for row in t.rows for c in row.cells]
    assert "ann – bob" in cells
