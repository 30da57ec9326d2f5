"""Every format opens and says what the report model says; bad input stays literal text."""

from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from annotator.domain.model import Evidence
from annotator.exporters import (
    ExportOptions,
    ExportRefused,
    ReportScope,
    export_report,
    format_for_path,
    formats,
    render_report,
)
from annotator.exporters.csv import COLUMNS
from annotator.services.api import Project

ALL = ["html", "pdf", "md", "docx", "csv", "jsonld"]
NASTY_NOTE = (
    "<script>alert(1)</script> </style> [x](javascript:alert(1)) "
    "<img src=x onerror=alert(2)> &amp; **bold**"
)


class Collect(HTMLParser):
    """Tags, attributes and text of an HTML page, and whether it parsed to the end."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse_html(data: bytes) -> Collect:
    parser = Collect()
    parser.feed(data.decode("utf-8"))
    parser.close()
    return parser


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def docx_parts(data: bytes) -> tuple[list[tuple[str, str]], list[list[list[str]]]]:
    """(style name, text) of each paragraph, and every table's cell texts."""
    import docx

    doc = docx.Document(io.BytesIO(data))
    paragraphs = [(p.style.name if p.style else "", p.text) for p in doc.paragraphs]
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]
    return paragraphs, tables


def test_formats_are_listed_in_a_stable_order() -> None:
    assert [f.format for f in formats()] == ALL
    assert format_for_path("x.markdown") == "md"
    assert format_for_path("r.JSONLD") == "jsonld"
    with pytest.raises(ExportRefused, match="Unknown report format"):
        format_for_path("r.odt")


def test_html_parses_and_holds_every_claim(fixed: Any) -> None:
    _, data = render_report(fixed.project, "html", generated=None)
    page = parse_html(data)
    text = " ".join(page.text)
    for ann in fixed.project.annotations():
        assert " ".join(ann.quote.exact.split()) in text
    assert not any(tag == "script" for tag, _ in page.tags)
    assert not any(tag == "link" for tag, _ in page.tags)  # self-contained: no stylesheets
    assert b"@media print" in data
    assert b"#6a1b9a" in data  # the custom label's colour
    ids = [a["id"] for _, a in page.tags if a.get("id")]
    assert len(ids) == len(set(ids))
    hrefs = [a["href"] for tag, a in page.tags if tag == "a" and a.get("href")]
    for href in hrefs:
        if href.startswith("#"):
            assert href[1:] in ids, href


def test_pdf_reads_back(fixed: Any) -> None:
    _, data = render_report(fixed.project, "pdf", generated=None)
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    flat = " ".join(text.split())
    assert "Source-criticism report".upper() in flat.upper()
    assert "Monthly bulletin" in flat
    assert "Cross-source matrix" in flat
    assert "Corroboration not independent" in flat
    assert "a fairy tale for voters" in flat
    assert "Page 1 of" in flat


def test_pdf_without_the_desktop_printer_is_refused_in_one_sentence(fixed: Any) -> None:
    from annotator.exporters.pdf import register_renderer, registered_renderer

    printer = registered_renderer()
    register_renderer(None)
    try:
        with pytest.raises(ExportRefused) as refused:
            render_report(fixed.project, "pdf", generated=None)
    finally:
        register_renderer(printer)
    assert str(refused.value).startswith("PDF export needs the desktop part")
    assert "\n" not in str(refused.value)


def test_docx_has_headings_and_a_matrix_table(fixed: Any) -> None:
    _, data = render_report(fixed.project, "docx", generated=None)
    paragraphs, tables = docx_parts(data)
    heading1 = [t for s, t in paragraphs if s == "Heading 1"]
    heading2 = [t for s, t in paragraphs if s == "Heading 2"]
    assert heading1 == [
        "Summary",
        "S1  Monthly bulletin",
        "S2  Daily Herald",
        "S3  A blog post",
        "Cross-source matrix",
    ]
    assert "Thread 1 · 3 claims in 3 sources" in heading2
    assert [t for s, t in paragraphs if s == "Title"] == ["study"]
    matrix = next(t for t in tables if t[0][:2] == ["", "S1"])
    assert matrix[2][1] == "corroborates 1, repeats 1"
    everything = "\n".join(t for _, t in paragraphs)
    assert "Unemployment fell to 4.1% in January" in everything
    assert "Official figures; provisional until March." in everything


def test_csv_columns_and_bom(fixed: Any) -> None:
    _, plain = render_report(fixed.project, "csv", generated=None)
    _, excel = render_report(
        fixed.project, "csv", options=ExportOptions(excel_bom=True), generated=None
    )
    assert excel == b"\xef\xbb\xbf" + plain
    rows = list(csv.DictReader(io.StringIO(plain.decode("utf-8"), newline="")))
    assert tuple(rows[0]) == COLUMNS
    assert [r["claim_number"] for r in rows] == [str(n) for n in range(1, 8)]
    first = rows[0]
    assert first["label"] == "sourced"
    assert first["tags"] == "economy; labour"
    assert first["evidence"].splitlines() == [
        "Bulletin, table 2 <https://stats.example/bulletin/2017-02#t2>",
        "Phone call with the office",
    ]
    assert first["links"].splitlines() == [
        "corroborated by C3",
        "repeated by C3",
        "contradicted by C6",
    ]
    assert rows[1]["quote"] == "Café owners 😀 reported more hiring"


def test_jsonld_pages(fixed: Any) -> None:
    _, data = render_report(
        fixed.project, "jsonld", options=ExportOptions(page_size=4), generated=None
    )
    doc = json.loads(data)
    assert doc["type"] == "AnnotationCollection" and doc["total"] == 11
    pages = [doc["first"], *doc["annotator:pages"]]
    assert [len(p["items"]) for p in pages] == [4, 4, 3]
    assert [p.get("next") for p in pages] == [pages[1]["id"], pages[2]["id"], None]
    assert all(p["partOf"] == doc["id"] for p in pages)
    assert doc["last"] == pages[-1]["id"]
    links = [i for p in pages for i in p["items"] if i["motivation"] == "linking"]
    assert len(links) == 4


def test_empty_project_exports_in_every_format(project: Project, tmp_path: Path) -> None:
    for fmt in ALL:
        result = export_report(project, fmt, tmp_path / f"empty.{fmt}", generated=None)
        data = result.path.read_bytes()
        assert result.claims == 0 and data
    assert "No claims yet" in " ".join(parse_html((tmp_path / "empty.html").read_bytes()).text)
    assert "Summary" in pdf_text((tmp_path / "empty.pdf").read_bytes())
    paragraphs, _ = docx_parts((tmp_path / "empty.docx").read_bytes())
    assert ("Heading 1", "Cross-source matrix") in paragraphs
    assert (tmp_path / "empty.csv").read_text("utf-8").strip() == ",".join(COLUMNS)
    empty = json.loads((tmp_path / "empty.jsonld").read_text("utf-8"))
    assert empty["total"] == 0 and empty["first"]["items"] == []
    assert (tmp_path / "empty.md").read_text("utf-8").startswith("# study\n")
    assert "No linked claims" in (tmp_path / "empty.md").read_text("utf-8")


@pytest.fixture
def nasty(project: Project, add_text: Any) -> Project:
    text = 'Intro. =HYPERLINK("http://evil") is what they wrote. <b>not bold</b> end.'
    doc = add_text(text, title="<script>alert('title')</script>")
    project.update_document(
        doc,
        url="javascript:alert(3)",
        provenance_note="</style><script>alert(4)</script>",
        reliability_note="[click](javascript:alert(5))",
    )
    start = text.index("=HYPERLINK")
    project.create_claim(
        doc,
        start,
        start + len('=HYPERLINK("http://evil")'),
        project.label("disputed").id,
        note=NASTY_NOTE,
        tags=["@cmd", "+1", "-2", "<i>"],
        evidence=[Evidence("\tTabbed", "javascript:alert(6)"), Evidence("=1+1", None)],
    )
    start = text.index("<b>")
    project.create_claim(doc, start, start + len("<b>not bold</b>"), project.label("1").id)
    return project


def test_html_escapes_everything(nasty: Project) -> None:
    _, data = render_report(nasty, "html", generated=None)
    page = parse_html(data)
    assert [tag for tag, _ in page.tags].count("script") == 0
    assert [tag for tag, _ in page.tags].count("style") == 1  # ours, not the note's
    assert not [tag for tag, _ in page.tags if tag in ("img", "b")]
    hrefs = [a.get("href") or "" for tag, a in page.tags if tag == "a"]
    assert not any("javascript" in h for h in hrefs)
    text = "".join(page.text)
    assert "<script>alert(1)</script>" in text  # shown literally
    assert "[click](javascript:alert(5))" in text
    assert "javascript:alert(3)" in text
    assert "<script>alert('title')</script>" in text


def test_markdown_escapes_everything(nasty: Project) -> None:
    from markdown_it import MarkdownIt

    _, data = render_report(nasty, "md", generated=None)
    rendered = MarkdownIt("commonmark").enable("table").render(data.decode("utf-8"))
    page = parse_html(rendered.encode("utf-8"))
    tags = [tag for tag, _ in page.tags]
    assert "script" not in tags and "img" not in tags and "b" not in tags
    hrefs = [a.get("href") or "" for tag, a in page.tags if tag == "a"]
    assert not any("javascript" in h.lower() for h in hrefs)
    text = "".join(page.text)
    assert "[x](javascript:alert(1))" in text
    assert "<script>alert(1)</script>" in text
    assert "&amp; **bold**" in text
    assert '=HYPERLINK("http://evil")' in text


def test_csv_neutralises_formulas(nasty: Project) -> None:
    _, data = render_report(nasty, "csv", generated=None)
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
    first = rows[0]
    assert first["quote"] == '\'=HYPERLINK("http://evil")'
    assert first["context_after"].startswith(" is what")
    assert first["tags"] == "'@cmd; +1; -2; <i>"
    assert first["evidence"] == "Tabbed <javascript:alert(6)>\n=1+1"
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value


def test_docx_and_pdf_keep_bad_text_literal(nasty: Project) -> None:
    _, data = render_report(nasty, "docx", generated=None)
    paragraphs, _ = docx_parts(data)
    text = "\n".join(t for _, t in paragraphs)
    assert "<script>alert(1)</script>" in text
    flat = " ".join(pdf_text(render_report(nasty, "pdf", generated=None)[1]).split())
    assert "<script>alert(1)</script>" in flat


def test_control_characters_do_not_break_xml_formats(project: Project, add_text: Any) -> None:
    doc = add_text("Page one\x0cpage two with a \x00 claim in it.")
    text = project.document_text(doc)
    start = text.index("page two")
    project.create_claim(doc, start, start + 8, project.label("1").id, note="bell\x07")
    for fmt in ("html", "docx", "pdf"):
        _, data = render_report(project, fmt, generated=None)
        assert data


def test_scope_by_document_label_and_claims(fixed: Any) -> None:
    p = fixed.project
    report, _ = render_report(p, "md", ReportScope(documents=("Daily",)), generated=None)
    assert [s.source.title for s in report.sources] == ["Daily Herald"]
    assert report.summary.claims == 3 and report.summary.links == 0
    refs = {k.phrase: k.other_number for c in report.claims() for k in c.links}
    assert refs == {"repeats": None, "corroborates": None, "corroborated by": None}
    report, _ = render_report(p, "md", ReportScope(labels=("polemical", "3")), generated=None)
    assert [c.exact for c in report.claims()] == [
        "a fairy tale for voters",
        "Unemployment did not fall at all",
    ]
    assert [lc.label.name for lc in report.summary.per_label] == ["polemical"]
    wanted = frozenset(
        {"00000000-0000-4000-8000-000000000004", "00000000-0000-4000-8000-000000000007"}
    )
    report, _ = render_report(p, "md", ReportScope(claim_ids=wanted), generated=None)
    assert [s.source.title for s in report.sources] == ["Daily Herald", "A blog post"]
    assert report.summary.links == 1 and len(report.threads) == 1
    assert report.scope[-1] == "Selected claims: 2"


def test_unknown_references_are_one_sentence(fixed: Any, tmp_path: Path) -> None:
    from annotator.domain.errors import NotFoundError

    with pytest.raises(NotFoundError, match="No document matches"):
        export_report(fixed.project, "md", tmp_path / "r.md", ReportScope(documents=("Nope",)))
    with pytest.raises(NotFoundError, match="No label"):
        export_report(fixed.project, "md", tmp_path / "r.md", ReportScope(labels=("nope",)))
    with pytest.raises(ExportRefused, match="no such folder"):
        export_report(fixed.project, "md", tmp_path / "missing" / "r.md")
    assert not list(tmp_path.glob("*.part"))
