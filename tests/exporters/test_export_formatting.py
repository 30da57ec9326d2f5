"""The report's quotes keep the source's formatting (HTML <em>, Markdown *...*, DOCX italic
runs), still escaped; web sources show the day they were accessed."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from annotator.exporters import render_report
from annotator.importers import read_file
from annotator.services.api import Project

DATA = Path(__file__).parents[1] / "importers" / "data"
PAGE = (
    b"<html><head><title>Press review</title></head><body><article><h1>Press review</h1>"
    b"<p>Read <em>Times &amp; &lt;Sons&gt;</em> today, <b>not</b> tomorrow.</p>"
    b"</article></body></html>"
)


@pytest.fixture
def quoted(project: Project, tmp_path: Path) -> Project:
    path = tmp_path / "review.html"
    path.write_bytes(PAGE)
    imported, data = read_file(path)
    doc = project.add_document(imported, data, path.name, accessed="2026-12-02").created_id
    assert doc
    text = project.document(doc).text
    start = text.index("Read")
    end = text.index(" tomorrow")
    project.create_claim(doc, start, end, project.labels()[1].id)
    # A second source: the saved page with its own accessed day and a URL.
    imported, data = read_file(DATA / "formatted.html")
    other = project.add_document(imported, data, "formatted.html").created_id
    assert other
    text = project.document(other).text
    start = text.index("the Old Quay Times")
    project.create_claim(other, start, start + len("the Old Quay Times"), project.labels()[0].id)
    return project


def test_html_quotes_have_em_around_the_italic_words_and_stay_escaped(quoted: Project) -> None:
    _, data = render_report(quoted, "html")
    html = data.decode("utf-8")
    assert "Read <em>Times &amp; &lt;Sons&gt;</em> today, <strong>not</strong></mark>" in html
    assert "<Sons>" not in html
    assert "the <em>Old Quay Times</em></mark>" in html


def test_markdown_quotes_have_stars_around_the_italic_words(quoted: Project) -> None:
    _, data = render_report(quoted, "md")
    md = data.decode("utf-8")
    assert "**the *Old Quay Times***" in md
    line = next(x for x in md.splitlines() if "Sons" in x and x.startswith(">"))
    assert "**Read *Times" in line and "<Sons>" not in line


def test_docx_quotes_have_italic_runs(quoted: Project) -> None:
    import docx

    _, data = render_report(quoted, "docx")
    document = docx.Document(io.BytesIO(data))
    runs = [r for p in document.paragraphs for r in p.runs]
    italic = [r.text for r in runs if r.italic]
    assert "Old Quay Times" in italic and "Times & <Sons>" in italic
    assert any(r.text.startswith("Read") and not r.italic for r in runs)


def test_web_sources_show_the_day_they_were_accessed(quoted: Project) -> None:
    html = render_report(quoted, "html")[1].decode("utf-8")
    md = render_report(quoted, "md")[1].decode("utf-8")
    assert "accessed 2026-12-02" in html and "accessed 2026-11-30" in html
    assert "https://example.org/weekly</a>, accessed 2026-11-30" in html
    assert "accessed 2026-12-02" in md and "accessed 2026-11-30" in md
    jsonld = json.loads(render_report(quoted, "jsonld")[1])
    found = json.dumps(jsonld)
    assert '"annotator:accessed": "2026-11-30"' in found


def test_the_pdf_is_printed_from_html_with_the_same_escaped_emphasis(quoted: Project) -> None:
    from annotator.exporters.templating import render
    from annotator.services.report_builder import build_report

    report = build_report(quoted)
    html = render("report_qt.html.j2", r=report, s=report.summary)
    assert "Read <em>Times &amp; &lt;Sons&gt;</em> today, <strong>not</strong></span>" in html
    assert "<Sons>" not in html
    assert "https://example.org/weekly</a>, accessed 2026-11-30" in html
