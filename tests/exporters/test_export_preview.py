"""The export dialog's preview: the whole report's summary, only its first claims."""

from __future__ import annotations

from typing import Any

from annotator.exporters import render_report
from annotator.exporters.preview import html_preview, shortened


def test_a_short_preview_keeps_the_first_claims_and_every_source(fixed: Any) -> None:
    report, _ = render_report(fixed.project, "html", generated=None)
    claims = [c.number for c in report.claims()]
    assert len(claims) > 3
    short = shortened(report, 3)
    assert [c.number for c in short.claims()] == claims[:3]
    assert [s.source for s in short.sources] == [s.source for s in report.sources]
    assert short.summary == report.summary  # the counts still describe the whole report


def test_the_preview_says_what_it_leaves_out(fixed: Any, monkeypatch: Any) -> None:
    from annotator.exporters import preview

    whole = html_preview(fixed.project)
    total = sum(1 for _ in render_report(fixed.project, "html")[0].claims())
    assert (whole.shown, whole.total, whole.note) == (total, total, "")
    assert whole.html.count('<article class="claim"') == total

    monkeypatch.setattr(preview, "PREVIEW_CLAIMS", 2)
    short = html_preview(fixed.project)
    assert (short.shown, short.total) == (2, total)
    assert short.html.count('<article class="claim"') == 2
    assert short.note == (
        f"The preview shows the first 2 of {total} claims; the report will have all of them."
    )
