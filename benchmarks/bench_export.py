"""Report export: HTML and PDF of a whole project with 1,000 and 10,000 claims.

Measured: `export_report(project, fmt, out, generated=None)`, the call the CLI and the app make
(builds the report model from the project, renders, writes the file atomically).
Baselines, in the same run and interleaved: for HTML, the floor of any HTML report: read the
claims (`Project.annotations()`) and write them as one bare, escaped HTML table; for PDF, that
same bare table printed by Qt (QTextDocument.setHtml + QPdfWriter), the engine the PDF report
uses.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from benchmarks.bench_common import Context, Result, Stats, Target, interleaved
from benchmarks.bench_data import BenchProject, build_project

NAME = "export"
TITLE = "Report export: HTML and PDF"
HTML_TARGET = Target(2000.0, "abs")
FULL = (1_000, 10_000)
QUICK = (100,)
HEADLINE = 10_000


def export_project(ctx: Context, claims: int) -> BenchProject:
    """Documents of 40 KB with 200 claims each (fewer for small projects), links."""
    per_doc = min(200, claims)
    docs = [(40_000 if claims >= 1_000 else 10_000, per_doc)] * max(1, claims // per_doc)
    return ctx.cached(
        f"export project {claims:,} claims",
        lambda: build_project(
            ctx.work / f"export-{claims}.annot",
            docs,
            links=claims // 10,
            cross_links=claims // 20,
            seed=claims % 89 + 3,
        ),
    )


def run(ctx: Context) -> list[Result]:
    from annotator.exporters import export_report
    from annotator.exporters.pdf import register_renderer
    from annotator.services.api import Project
    from annotator.ui.pdf_export import html_to_pdf

    register_renderer(html_to_pdf)  # as `annotator export` does: the core prints with Qt's printer

    out: list[Result] = []
    for claims in QUICK if ctx.quick else FULL:
        bp = export_project(ctx, claims)
        size = f"{bp.claims:,} claims, {len(bp.documents)} docs, {bp.links:,} links"
        headline = ctx.quick or claims == HEADLINE
        project = Project.open(bp.path, readonly=True)
        try:
            html_out = ctx.work / f"report-{claims}.html"
            bare_out = ctx.work / f"bare-{claims}.html"
            t_html, t_bare = interleaved(
                [
                    lambda p=project, o=html_out: export_report(p, "html", o, generated=None),
                    lambda p=project, o=bare_out: _bare_html(p, o),
                ],
                ctx.repeats(7, 2),
                budget=60,
            )
            out.append(
                Result(
                    NAME,
                    f"export.html.{claims}",
                    "HTML report export (whole project)",
                    size,
                    "ms",
                    Stats.of(t_html),
                    "bare escaped HTML table of the same claims",
                    Stats.of(t_bare),
                    HTML_TARGET if headline else None,
                    extra={"headline": headline, "bytes": html_out.stat().st_size},
                )
            )
            pdf_out = ctx.work / f"report-{claims}.pdf"
            t_pdf, t_bare_pdf = interleaved(
                [
                    lambda p=project, o=pdf_out: export_report(p, "pdf", o, generated=None),
                    lambda p=project: _bare_pdf(p, ctx.work / "bare.pdf"),
                ],
                ctx.repeats(3, 1),
                warmup=0 if claims >= 10_000 or ctx.quick else 1,
                budget=60,
                min_repeats=1,  # 10,000 claims take about 20 s
            )
            out.append(
                Result(
                    NAME,
                    f"export.pdf.{claims}",
                    "PDF report export (whole project)",
                    size,
                    "ms",
                    Stats.of(t_pdf),
                    "bare table printed by QTextDocument + QPdfWriter",
                    Stats.of(t_bare_pdf),
                    extra={"headline": headline, "bytes": pdf_out.stat().st_size},
                )
            )
        finally:
            project.close()
    return out


def _bare_table(project: Any) -> str:
    rows = []
    esc = html.escape
    for a in project.annotations():
        rows.append(
            f"<tr><td>{esc(a.label_id[:8])}</td><td>{esc(a.quote.exact)}</td>"
            f"<td>{esc(a.note)}</td><td>{esc(', '.join(a.tags))}</td></tr>"
        )
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>Claims</title></head><body>"
        "<table><tr><th>Label</th><th>Quote</th><th>Note</th><th>Tags</th></tr>"
        + "\n".join(rows)
        + "</table></body></html>"
    )


def _bare_html(project: Any, path: Path) -> None:
    path.write_text(_bare_table(project), encoding="utf-8")


def _bare_pdf(project: Any, path: Path) -> None:
    from benchmarks.bench_common import qt_app

    qt_app()
    from PySide6.QtGui import QPageSize, QPdfWriter, QTextDocument

    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setResolution(300)
    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(writer)
    doc.setHtml(_bare_table(project))
    doc.print_(writer)
