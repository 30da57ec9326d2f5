"""Self-contained HTML report: one file, inline CSS, label colours, printable (@media print)."""

from __future__ import annotations

from annotator.exporters.base import ExportOptions, register
from annotator.services.report_model import Report


@register("html", ".html", "HTML report")
def render_html(report: Report, options: ExportOptions) -> bytes:
    from annotator.exporters.templating import render

    return render("report.html.j2", r=report, s=report.summary).encode("utf-8")
