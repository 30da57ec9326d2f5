"""Golden files: the fixed project gives byte-identical HTML, Markdown, CSV and JSON-LD.

Regenerate after an intended change with `UPDATE_GOLDEN=1 pytest tests/exporters` and review
the diff. Document and project ids are random, so they are normalised before comparing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from annotator.exporters import export_report, render_report

GENERATED = datetime(2024, 4, 2, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize("fmt", ["html", "md", "csv", "jsonld"])
def test_golden(fixed, golden: Callable[[str, str], None], fmt: str) -> None:
    _, data = render_report(fixed.project, fmt, generated=GENERATED)
    golden(f"report.{fmt}", fixed.normalise(data.decode("utf-8")))


@pytest.mark.parametrize("fmt", ["html", "md", "csv", "jsonld"])
def test_same_project_same_bytes(fixed, tmp_path: Path, fmt: str) -> None:
    first = export_report(fixed.project, fmt, tmp_path / f"a.{fmt}", generated=None)
    second = export_report(fixed.project, fmt, tmp_path / f"b.{fmt}", generated=None)
    assert first.path.read_bytes() == second.path.read_bytes()


def test_source_date_epoch_sets_the_one_timestamp(
    fixed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(GENERATED.timestamp())))
    html = export_report(fixed.project, "html", tmp_path / "r.html").path.read_text("utf-8")
    jsonld = export_report(fixed.project, "jsonld", tmp_path / "r.jsonld").path.read_text()
    assert "Generated 2024-04-02 12:00 UTC" in html
    assert '"generated": "2024-04-02T12:00:00.000Z"' in jsonld
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    bare = export_report(fixed.project, "html", tmp_path / "n.html", generated=None)
    assert "Generated 20" not in bare.path.read_text("utf-8")


def test_bad_source_date_epoch_is_one_sentence(
    fixed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from annotator.exporters import ExportRefused

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(ExportRefused, match="SOURCE_DATE_EPOCH"):
        export_report(fixed.project, "md", tmp_path / "r.md")
