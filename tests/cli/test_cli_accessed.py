"""`import --accessed`: the day a web source was read, in the documents' JSON; a bad value is
one sentence, exit status 2, and nothing is imported."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from cli_helpers import run_cli

DATA = Path(__file__).parents[1] / "importers" / "data"


def _docs(path: Path) -> list[dict[str, object]]:
    result = run_cli("docs", path, "--json")
    assert result.returncode == 0, result.stderr
    docs = json.loads(result.stdout)
    assert isinstance(docs, list)
    return docs


def test_accessed_is_set_by_the_option_by_the_page_or_is_the_import_day(tmp_path: Path) -> None:
    path = tmp_path / "study.annot"
    assert run_cli("new", path).returncode == 0
    page = DATA / "formatted.html"
    plain = tmp_path / "note.txt"
    plain.write_text("A note\n\nOf no web origin.\n", encoding="utf-8")
    undated = tmp_path / "undated.html"
    undated.write_text("<html><body><h1>Undated</h1><p>Some text.</p></body></html>")
    assert run_cli("import", path, page, plain).returncode == 0
    assert run_cli("import", path, undated).returncode == 0
    assert (
        run_cli("import", path, DATA / "formatted.docx", "--accessed", "2026-12-02").returncode == 0
    )
    saved, note, bare, docx = _docs(path)
    assert saved["accessed"] == "2026-11-30"  # what SingleFile noted
    assert note["accessed"] is None  # not a web source
    assert bare["accessed"] == datetime.now().astimezone().date().isoformat()
    assert docx["accessed"] == "2026-12-02"


def test_a_bad_accessed_date_is_one_sentence_exit_2_and_nothing_imported(tmp_path: Path) -> None:
    path = tmp_path / "study.annot"
    assert run_cli("new", path).returncode == 0
    for bad in ("2026-02-30", "yesterday", "2026-12"):
        result = run_cli("import", path, DATA / "formatted.html", "--accessed", bad)
        assert result.returncode == 2, result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "YYYY-MM-DD" in lines[0], result.stderr
        assert result.stdout == ""
    assert _docs(path) == []
