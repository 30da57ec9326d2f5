"""The source matrix of every report format heads its rows with short titles that tell the
sources apart, and lists the full titles in a key below it."""

from __future__ import annotations

from typing import Any

from test_export_formats import docx_parts, parse_html, pdf_text

from annotator.exporters import render_report

LONG_1 = "Tidewater Workers League and the port-led sale of Harnby: a reply to critics"
LONG_2 = "Tidewater Workers League statement on the sale of Harnby, February 2017"


def _retitle(fixed: Any) -> tuple[str, str]:
    fixed.project.update_document(fixed.docs["bulletin"], title=LONG_1)
    fixed.project.update_document(fixed.docs["herald"], title=LONG_2)
    short_1 = "TWL … and the port-led sale of…"
    short_2 = "TWL … statement on the sale of…"
    return short_1, short_2


def test_html_matrix_rows_are_short_with_the_full_title_on_hover_and_in_a_key(fixed: Any) -> None:
    short_1, short_2 = _retitle(fixed)
    _, data = render_report(fixed.project, "html", generated=None)
    page = parse_html(data)
    rows = [a for tag, a in page.tags if tag == "th" and a.get("class") == "rowh"]
    assert [a["title"] for a in rows[:2]] == [LONG_1, LONG_2]
    text = data.decode("utf-8")
    matrix = text[text.index('<table class="matrix">') : text.index('<dl class="key">')]
    assert f"S1 {short_1}</th>" in matrix and f"S2 {short_2}</th>" in matrix
    assert LONG_1 not in matrix.replace(f'title="{LONG_1}"', "")
    key = text[text.index('<dl class="key">') :].split("</dl>", 1)[0]
    assert f"<dt>S1</dt><dd>{LONG_1}</dd>" in key and f"<dt>S2</dt><dd>{LONG_2}</dd>" in key


def test_markdown_and_docx_matrices_have_short_rows_and_a_key(fixed: Any) -> None:
    short_1, short_2 = _retitle(fixed)
    _, md = render_report(fixed.project, "md", generated=None)
    text = md.decode("utf-8")
    section = text[text.index("## Cross-source matrix") : text.index("### Thread 1")]
    assert f"| S1 {short_1} |" in section and f"| S2 {short_2} |" in section
    assert f"- **S1** {LONG_1}" in section and f"- **S2** {LONG_2}" in section

    _, docx = render_report(fixed.project, "docx", generated=None)
    paragraphs, tables = docx_parts(docx)
    matrix = next(t for t in tables if t[0][:2] == ["", "S1"])
    assert [row[0] for row in matrix[1:3]] == [f"S1 {short_1}", f"S2 {short_2}"]
    everything = [t for _, t in paragraphs]
    assert f"S1: {LONG_1}" in everything and f"S2: {LONG_2}" in everything


def test_pdf_matrix_has_the_key(fixed: Any) -> None:
    _retitle(fixed)
    _, data = render_report(fixed.project, "pdf", generated=None)
    flat = " ".join(pdf_text(data).split())
    matrix = flat[flat.index("Cross-source matrix") :]
    assert "S1 TWL" in matrix
    assert "S1 " + LONG_1 in matrix
