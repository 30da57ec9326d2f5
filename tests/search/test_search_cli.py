"""`annotator search` and `annotator reindex`, and the issue's "done when" on the samples."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from annotator.cli.main import main
from annotator.importers.base import ImportedText
from annotator.search import cache_root
from annotator.services.api import Project


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def samples_project(tmp_path: Path, sample_dir: Path) -> Path:
    """Both sample documents, with claims; the disputed claim's quote names Shachtman."""
    path = tmp_path / "samples.annot"
    project = Project.create(path)
    try:
        docs = {}
        for f in sorted(sample_dir.iterdir()):
            text = f.read_text("utf-8")
            changes = project.add_document(
                ImportedText(text=text, format="text", title=f.stem), f.read_bytes(), f.name
            )
            docs[f.stem] = changes.created_id
        wsws = next(v for k, v in docs.items() if k.startswith("wsws"))
        wiki = next(v for k, v in docs.items() if k.startswith("rationalwiki"))
        text = project.document_text(wsws)
        needle = "Shachtman went on to play a counterrevolutionary role"
        start = text.index(needle)
        project.create_claim(
            wsws,
            start,
            start + len(needle),
            project.label("disputed").id,
            note="The WSWS account; the wiki spells him Schachtman.",
            tags=["Shachtman"],
        )
        text = project.document_text(wiki)
        needle = 'no longer a "workers\' state"'
        start = text.index(needle)
        project.create_claim(wiki, start, start + len(needle), project.label("sourced").id)
        start = text.index("Max Schachtman")
        project.create_claim(
            wiki, start, start + len("Max Schachtman"), project.label("sourced").id
        )
    finally:
        project.close()
    return path


def test_done_when_on_the_samples(
    capsys: pytest.CaptureFixture[str], samples_project: Path
) -> None:
    code, out, err = run(capsys, "search", samples_project, "label:disputed Shachtman", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["total"] == 1 and data["notice"] is None
    (hit,) = data["results"]
    assert hit["label"] == "disputed" and hit["quote"].startswith("Shachtman went on")
    assert "<b>Shachtman</b>" in hit["snippet_html"] and hit["snippet"]
    assert hit["document_title"].startswith("wsws") and hit["end"] > hit["start"]
    assert data["facets"]["label"][0]["label"] == "disputed"
    assert data["repaired"] is None

    code, out, err = run(capsys, "search", samples_project, '"no longer a" workers', "--passages")
    assert code == 0 and "1 passage matches" in out
    assert "«no» «longer» a" in out and "rationalwiki" in out

    code, out, err = run(capsys, "search", samples_project, '"no longer a workers')
    assert code == 0 and "plain words" in err

    # Deleting the index folder before a search still gives the same answer.
    shutil.rmtree(cache_root() / "search")
    code, out2, err = run(capsys, "search", samples_project, "label:disputed Shachtman", "--json")
    again = json.loads(out2)
    assert [r["claim_id"] for r in again["results"]] == [hit["claim_id"]]
    assert again["results"][0]["snippet"] == hit["snippet"]


def test_spellings_of_the_samples(
    capsys: pytest.CaptureFixture[str], samples_project: Path
) -> None:
    # The wiki spells him "Schachtman", the WSWS "Shachtman": both are found, each as written.
    _, out, _ = run(capsys, "search", samples_project, "Schachtman", "--passages", "--json")
    assert [r["document_title"] for r in json.loads(out)["results"]] == ["rationalwiki-iso"]
    _, out, _ = run(capsys, "search", samples_project, "Shachtman", "--passages", "--json")
    assert {r["document_title"] for r in json.loads(out)["results"]} == {"wsws-iso-anti-russia"}
    assert json.loads(out)["total"] == 3
    _, out, _ = run(capsys, "search", samples_project, "Shachtman~", "--passages", "--json")
    assert json.loads(out)["total"] == 4  # both spellings


def test_human_output_and_reindex(
    capsys: pytest.CaptureFixture[str], samples_project: Path
) -> None:
    code, out, _ = run(capsys, "search", samples_project, "Shachtman", "--limit", "1")
    assert code == 0 and "disputed" in out and "«Shachtman»" in out
    code, out, _ = run(capsys, "search", samples_project, "Shachtmen")
    assert "Did you mean: Shachtman" in out
    code, out, _ = run(capsys, "reindex", samples_project)
    assert code == 0 and "Rebuilt the search index" in out
    code, out, _ = run(capsys, "search", samples_project, "*:*", "--sort", "document", "--json")
    assert json.loads(out)["total"] == 3


def test_cli_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "search", tmp_path / "missing.annot", "x")
    assert code == 1 and err.startswith("annotator: ") and "Traceback" not in err
    path = tmp_path / "p.annot"
    Project.create(path).close()
    code, _, err = run(capsys, "search", path, "   ")
    assert code == 2
    code, out, err = run(capsys, "search", path, "label:", "--json")
    assert code == 0 and "needs a value" in json.loads(out)["notice"]
    with pytest.raises(SystemExit):
        main(["search", str(path), "x", "--limit", "0"])
