"""PDF report: the report's Qt-flavoured HTML, printed by the renderer the desktop part registers.

Qt's rich text understands a subset of HTML/CSS (tables, colours, fonts; no flexbox or grid),
so the PDF is rendered from its own template, report_qt.html.j2, with the same sections. Only
annotator.ui may import Qt, so printing that HTML is the UI's job: the UI registers its printer
here with `register_renderer(fn)` (the export dialog does, and `annotator export` registers the
same printer when asked for a PDF). The core never imports the UI, not even by name.
"""

from __future__ import annotations

from collections.abc import Callable

from annotator.exporters.base import ExportOptions, ExportRefused, register
from annotator.services.report_model import Report

PdfRenderer = Callable[[str, str], bytes]
"""fn(html, title) -> the bytes of a PDF file."""

_renderer: list[PdfRenderer] = []


def register_renderer(fn: PdfRenderer | None) -> None:
    """Make `fn(html, title) -> bytes` the printer of PDF reports (the last one registered wins;
    None leaves PDF reports without a printer)."""
    _renderer[:] = [fn] if fn is not None else []


def registered_renderer() -> PdfRenderer | None:
    return _renderer[0] if _renderer else None


@register("pdf", ".pdf", "PDF report")
def render_pdf(report: Report, options: ExportOptions) -> bytes:
    from annotator.exporters.templating import render

    printer = registered_renderer()
    if printer is None:
        raise ExportRefused(
            "PDF export needs the desktop part (Qt) to print the report: export from the app "
            "or with `annotator export`."
        )
    html = render("report_qt.html.j2", r=report, s=report.summary)
    return printer(html, report.title)
