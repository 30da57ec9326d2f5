"""The report as the export dialog previews it, in each format: what the file will look like.

The preview has the whole report's summary, charts and matrix, but only its first
PREVIEW_CLAIMS claims and PREVIEW_THREADS threads, so that showing it costs the same for 100
claims as for 100,000 (a rich-text view lays out a whole 10 MB report in seconds). The file
written has everything.

A Qt text view understands only a subset of HTML and CSS (no grid, no flexbox), so the page the
dialog shows (`Preview.display`) is never the browser report stripped of its stylesheet (fields
ran together: "C1disputedcharacters 547–607root…"):

- HTML: the report's sections laid out with the template the PDF is printed from
  (report_qt.html.j2, the same structure in Qt's subset); `Preview.html` is the file's HTML;
- PDF: the same page, which the dialog prints in a child process and shows as page images;
- Markdown: the file's text rendered (CommonMark with tables), its source in `Preview.source`;
- Word: the document read back (python-docx): headings, paragraphs, tables, bold and italics;
- CSV and JSON-LD: the first rows as a table, the first lines of the file.

Everything here is plain Python (no Qt): it runs on a worker thread.
"""

from __future__ import annotations

import csv
import html as html_lib
import io
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from annotator.exporters.base import ExportOptions, exporter_for, scoped_report
from annotator.exporters.html import render_html
from annotator.exporters.templating import render
from annotator.services.report_model import Report, ReportScope

if TYPE_CHECKING:
    from annotator.services.api import Project

PREVIEW_CLAIMS = 200
PREVIEW_THREADS = 20
PREVIEW_ROWS = 60
"""Rows of a CSV file shown."""
PREVIEW_CHARS = 20_000
"""Characters of a JSON-LD file shown."""


@dataclass(frozen=True)
class Preview:
    html: str
    """The report's HTML (the HTML file's own text for the HTML format)."""
    shown: int
    """Claims in the preview."""
    total: int
    """Claims in the report."""
    format: str = "html"
    display: str = ""
    """The page to show, in the HTML subset a Qt text view renders."""
    source: str = ""
    """The file's text, for the formats that are text (Markdown, CSV, JSON-LD)."""
    printable: str = ""
    """For PDF: the HTML the printer prints (the dialog renders its first pages)."""

    @property
    def note(self) -> str:
        """One line under the preview when it leaves claims out, else ""."""
        if self.shown >= self.total:
            return ""
        return (
            f"The preview shows the first {self.shown:,} of {self.total:,} claims; "
            "the report will have all of them."
        )


def shortened(report: Report, claims: int = PREVIEW_CLAIMS) -> Report:
    """`report` with only its first `claims` claims (in report order) and first threads; every
    source keeps its heading and details, and the summary still counts the whole report."""
    left = claims
    sections = []
    for section in report.sources:
        kept = section.claims[: max(0, left)]
        left -= len(kept)
        sections.append(replace(section, claims=kept))
    return replace(report, sources=tuple(sections), threads=report.threads[:PREVIEW_THREADS])


def html_preview(project: Project, scope: ReportScope | None = None) -> Preview:
    return preview(project, scope, "html")


def preview(project: Project, scope: ReportScope | None = None, fmt: str = "html") -> Preview:
    """The preview of the report of `project` within `scope` as `fmt`."""
    report = scoped_report(project, scope)
    short = shortened(report, PREVIEW_CLAIMS)
    shown = sum(len(s.claims) for s in short.sources)
    total = report.summary.claims
    fmt = exporter_for(fmt).format
    laid_out = render("report_qt.html.j2", r=short, s=short.summary)
    if fmt == "html":
        page = render_html(short, ExportOptions()).decode("utf-8", "replace")
        return Preview(page, shown, total, fmt, laid_out)
    if fmt == "pdf":
        return Preview(laid_out, shown, total, fmt, laid_out, printable=laid_out)
    data = exporter_for(fmt).render(short, ExportOptions())
    if fmt == "md":
        text = data.decode("utf-8", "replace")
        return Preview(laid_out, shown, total, fmt, markdown_page(text), source=text)
    if fmt == "docx":
        return Preview(laid_out, shown, total, fmt, docx_page(data))
    if fmt == "csv":
        text = data.decode("utf-8-sig", "replace")
        return Preview(laid_out, shown, total, fmt, csv_page(text), source=text)
    text = data.decode("utf-8", "replace")
    cut = text if len(text) <= PREVIEW_CHARS else text[:PREVIEW_CHARS] + "\n…"
    return Preview(laid_out, shown, total, fmt, _pre(cut), source=cut)


# -- pages a Qt text view renders -------------------------------------------------------------

_TABLE = '<table border="1" cellspacing="0" cellpadding="4" style="border-color:#d8dee6;">'
_PAGE = '<html><body style="color:#1d232b;">{}</body></html>'


def markdown_page(text: str) -> str:
    """Markdown rendered as HTML (CommonMark with GFM tables, no raw HTML), tables ruled."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    body = md.render(text).replace("<table>", _TABLE)
    return _PAGE.format(body)


def docx_page(data: bytes) -> str:
    """A Word document read back: headings, paragraphs (bold and italic runs) and tables, in
    the document's order."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(io.BytesIO(data))
    parts: list[str] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            parts.append(_paragraph(Paragraph(child, document)))
        elif tag == "tbl":
            table = Table(child, document)
            rows = []
            for row in table.rows:
                cells = "".join(f"<td>{_escape(cell.text)}</td>" for cell in row.cells)
                rows.append(f"<tr>{cells}</tr>")
            parts.append(_TABLE + "".join(rows) + "</table>")
    return _PAGE.format("\n".join(p for p in parts if p))


def _paragraph(paragraph: object) -> str:
    from docx.text.paragraph import Paragraph

    assert isinstance(paragraph, Paragraph)
    style = paragraph.style.name if paragraph.style is not None else ""
    runs = []
    for run in paragraph.runs:
        text = _escape(run.text).replace("\n", "<br>")
        if run.bold:
            text = f"<b>{text}</b>"
        if run.italic:
            text = f"<i>{text}</i>"
        runs.append(text)
    body = "".join(runs) or _escape(paragraph.text)
    if not body.strip():
        return ""
    if style == "Title":
        return f"<h1>{body}</h1>"
    if style.startswith("Heading "):
        level = min(6, max(1, int(style.split()[-1]) + 1)) if style.split()[-1].isdigit() else 2
        return f"<h{level}>{body}</h{level}>"
    if style.startswith("List"):
        return f"<p>• {body}</p>"
    return f"<p>{body}</p>"


def csv_page(text: str) -> str:
    """The first PREVIEW_ROWS rows of a CSV file as a table, the header row bold."""
    rows = []
    for n, row in enumerate(csv.reader(io.StringIO(text))):
        if n > PREVIEW_ROWS:
            break
        cell = "th" if n == 0 else "td"
        rows.append("<tr>" + "".join(f"<{cell}>{_escape(v)}</{cell}>" for v in row) + "</tr>")
    return _PAGE.format(_TABLE + "".join(rows) + "</table>")


def _pre(text: str) -> str:
    return _PAGE.format(f"<pre>{_escape(text)}</pre>")


def _escape(text: str) -> str:
    return html_lib.escape(text, quote=False)
