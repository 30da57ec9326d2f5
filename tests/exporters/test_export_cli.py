"""`annotator export` and `annotator import-annotations`, run as the real command."""

from __future__ import annotations

import csv
import importlib
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from export_helpers import SAMPLE_CLAIMS
from test_export_formats import docx_parts, parse_html, pdf_text

from annotator.services.api import Project

FORMATS = {
    "html": ".html",
    "pdf": ".pdf",
    "md": ".md",
    "docx": ".docx",
    "csv": ".csv",
    "jsonld": ".jsonld",
}
_ENV = {**os.environ, "PYTHONUTF8": "1", "PYTHONIOENCODING": "utf-8", "SOURCE_DATE_EPOCH": "0"}


def run(*args: object, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "annotator", *(str(a) for a in args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=180,
        env={**_ENV, **(env or {})},
    )
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    return result


def one_line_error(result: subprocess.CompletedProcess[str], status: int = 1) -> str:
    assert result.returncode == status, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert lines and lines[-1].startswith("annotator: "), result.stderr
    return lines[-1]


def test_every_format_from_the_command_line_on_the_samples(
    samples_project: Project, own_samples: Path, tmp_path: Path
) -> None:
    path = samples_project.path
    expected_claims = {a.id: a for a in samples_project.annotations()}
    assert len(expected_claims) == len(SAMPLE_CLAIMS)
    expected_links = {(k.id, k.source_id, k.target_id, k.relation) for k in samples_project.links()}
    samples_project.close()
    for fmt, ext in FORMATS.items():
        out = tmp_path / f"report{ext}"
        result = run("export", path, "--format", fmt, "--out", out)
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith(f"Wrote report{ext}: 2 document(s), 12 claim(s), 2 link")

    page = parse_html((tmp_path / "report.html").read_bytes())
    html_text = " ".join(" ".join(page.text).split())
    for _, quote, _ in SAMPLE_CLAIMS:
        assert quote in html_text
    assert "Generated 1970-01-01 00:00 UTC" in html_text  # SOURCE_DATE_EPOCH=0
    pdf = " ".join(pdf_text((tmp_path / "report.pdf").read_bytes()).split())
    assert "Tidewater Workers League" in pdf and "Cross-source matrix" in pdf
    paragraphs, tables = docx_parts((tmp_path / "report.docx").read_bytes())
    assert sum(1 for style, _ in paragraphs if style == "Heading 1") == 4
    assert tables
    rows = list(csv.DictReader(io.StringIO((tmp_path / "report.csv").read_text("utf-8"))))
    assert sorted(r["claim_id"] for r in rows) == sorted(expected_claims)
    assert json.loads((tmp_path / "report.jsonld").read_text("utf-8"))["total"] == 14
    markdown = (tmp_path / "report.md").read_text("utf-8")
    assert len(re.findall(r"^### C\d+ · ", markdown, flags=re.MULTILINE)) == 12

    # The JSON-LD round trip through the command line: same documents, same claims.
    fresh = tmp_path / "fresh.annot"
    assert run("new", fresh).returncode == 0
    assert run("import", fresh, *sorted(own_samples.iterdir())).returncode == 0
    result = run("import-annotations", fresh, tmp_path / "report.jsonld")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == (
        "report.jsonld (W3C Web Annotation): imported 12 claim(s), 2 link(s)."
    )
    with Project.open(fresh) as imported:
        got = {a.id: a for a in imported.annotations()}
        titles = {d.id: d.title for d in imported.documents()}
        links = {(k.id, k.source_id, k.target_id, k.relation) for k in imported.links()}
    with Project.open(path) as original:
        original_titles = {d.id: d.title for d in original.documents()}
    assert links == expected_links
    assert set(got) == set(expected_claims)
    for claim_id, want in expected_claims.items():
        have = got[claim_id]
        assert titles[have.document_id] == original_titles[want.document_id]
        assert (have.start, have.end, have.quote, have.note, have.tags, have.evidence) == (
            want.start,
            want.end,
            want.quote,
            want.note,
            want.tags,
            want.evidence,
        )
        assert (have.author, have.created, have.modified, have.revision) == (
            want.author,
            want.created,
            want.modified,
            want.revision,
        )
    again = run("import-annotations", fresh, tmp_path / "report.jsonld")
    assert "imported 0 claim(s), 0 link(s); 14 not imported." in again.stdout


def test_scope_and_options(fixed: Any, tmp_path: Path) -> None:
    path = fixed.project.path
    out = tmp_path / "r.csv"
    result = run(
        "export",
        path,
        "--out",
        out,
        "--doc",
        "2",
        "--label",
        "sourced",
        "--excel-bom",
        "--no-timestamp",
        "--title",
        "Herald check",
    )
    assert result.returncode == 0, result.stderr
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [r["quote"] for r in rows] == ["unemployment fell to 4.1% in January"]
    md = tmp_path / "r.md"
    assert run("export", path, "--out", md, "--no-timestamp", "--title", "T").returncode == 0
    assert "Generated 1970" not in md.read_text("utf-8")


def test_errors_are_one_line(fixed: Any, tmp_path: Path) -> None:
    path = fixed.project.path
    assert "give --format" in one_line_error(run("export", path, "--out", tmp_path / "r"), 2)
    assert "Unknown report format" in one_line_error(
        run("export", path, "--out", tmp_path / "r.odt"), 2
    )
    assert "--excel-bom" in one_line_error(
        run("export", path, "--out", tmp_path / "r.html", "--excel-bom"), 2
    )
    assert "No document matches" in one_line_error(
        run("export", path, "--out", tmp_path / "r.md", "--doc", "nothing like it")
    )
    assert "no such folder" in one_line_error(
        run("export", path, "--out", tmp_path / "no" / "r.md")
    )
    bad = tmp_path / "bad.json"
    bad.write_text('{"hello": "world"}', "utf-8")
    assert "neither W3C Web Annotations nor Hypothesis" in one_line_error(
        run("import-annotations", path, bad)
    )


def test_query_scope(fixed: Any, tmp_path: Path) -> None:
    search = importlib.import_module("annotator.search")
    if not hasattr(search, "SearchService"):
        pytest.skip("the search service is not there yet")
    out = tmp_path / "q.csv"
    cache = {"ANNOTATOR_CACHE_DIR": str(tmp_path / "cache")}
    result = run("export", fixed.project.path, "--out", out, "--query", "label:disputed", env=cache)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8"))))
    assert sorted(r["quote"] for r in rows) == [
        "The minister resigned on Friday",
        "the minister resigned on Friday",
    ]


def test_query_scope_in_process(
    fixed: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    search = importlib.import_module("annotator.search")
    if not hasattr(search, "SearchService"):
        pytest.skip("the search service is not there yet")
    from annotator.exporters import ReportScope, render_report

    monkeypatch.setenv("ANNOTATOR_CACHE_DIR", str(tmp_path / "cache"))
    scope = ReportScope(query="label:polemical")
    report, data = render_report(fixed.project, "md", scope, generated=None)
    assert [c.exact for c in report.claims()] == [
        "a fairy tale for voters",
        "Unemployment did not fall at all",
    ]
    assert report.scope[-1] == "Search: label:polemical"
    assert "- Search: label:polemical" in data.decode("utf-8")
