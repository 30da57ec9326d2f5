"""The HTML report as the export dialog previews it: the whole report's summary, charts and
matrix, but only its first PREVIEW_CLAIMS claims and PREVIEW_THREADS threads, so that showing it
costs the same for 100 claims as for 100,000 (a rich-text view lays out a whole 10 MB report
in seconds). The file written has everything."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from annotator.exporters.base import ExportOptions, scoped_report
from annotator.exporters.html import render_html
from annotator.services.report_model import Report, ReportScope

if TYPE_CHECKING:
    from annotator.services.api import Project

PREVIEW_CLAIMS = 200
PREVIEW_THREADS = 20


@dataclass(frozen=True)
class Preview:
    html: str
    shown: int
    """Claims in the preview."""
    total: int
    """Claims in the report."""

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
    report = scoped_report(project, scope)
    short = shortened(report, PREVIEW_CLAIMS)
    html = render_html(short, ExportOptions()).decode("utf-8", "replace")
    return Preview(html, sum(len(s.claims) for s in short.sources), report.summary.claims)
