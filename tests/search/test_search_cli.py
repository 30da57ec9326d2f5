"""`annotator search` and `annotator reindex`, and the issue's "done when" on the suite's own
samples."""

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
def samples_project(tmp_path: Path, own_samples: Path) -> Path:
    """Both of the suite's sample documents, with claims; the disputed claim's quote names
    Halvorsen."""
    path = tmp_path / "samples.annot"
    project = Project.create(path)
    try:
        docs = {}
        for f in sorted(own_samples.iterdir()):
            text = f.read_text("utf-8")
            changes = project.add_document(
                ImportedText(text=text, format="text", title=f.stem), f.read_bytes(), f.name
            )
            docs[f.stem] = changes.created_id
        article = next(v for k, v in docs.items() if k.startswith("workers"))
        wiki = next(v for k, v in docs.items() if k.startswith("wikiwatch"))
        text = project.document_text(article)
        needle = "Halvorsen went on to sell the archive of the league"
        start = text.index(needle)
        project.create_claim(
            article,
            start,
            start + len(needle),
            project.label("disputed").id,
            note="The Review's account; the wiki spells him Halvorssen.",
            tags=["Halvorsen"],
        )
        text = project.document_text(wiki)
        needle = 'no longer the "workers\' league"'
        start = text.index(needle)
        project.create_claim(wiki, start, start + len(needle), project.label("sourced").id)
        start = text.index("Per Halvorssen")
        project.create_claim(
            wiki, start, start + len("Per Halvorssen"), project.label("sourced").id
        )
    finally:
        project.close()
    return path


def test_done_when_on_the_samples(
    capsys: pytest.CaptureFixture[str], samples_project: Path
) -> None:
    code, out, err = run(capsys, "search", samples_project, "label:disputed Halvorsen", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["total"] == 1 and data["notice"] is None
    (hit,) = data["results"]
    assert hit["label"] == "disputed" and hit["quote"].startswith("Halvorsen went on")
    assert "<b>Halvorsen</b>" in hit["snippet_html"] and hit["snippet"]
    assert hit["document_title"].startswith("workers") and hit["end"] > hit["start"]
    assert data["facets"]["label"][0]["label"] == "disputed"
    assert data["repaired"] is None

    code, out, err = run(capsys, "search", samples_project, '"no longer the" workers', "--passages")
    assert code == 0 and "1 passage matches" in out
    assert "«no» «longer» the" in out and "wikiwatch" in out

    code, out, err = run(capsys, "search", samples_project, '"no longer the workers')
    assert code == 0 and "plain words" in err

    # Deleting the index folder before a search still gives the same answer.
    shutil.rmtree(cache_root() / "search")
    code, out2, err = run(capsys, "search", samples_project, "label:disputed Halvorsen", "--json")
    again = json.loads(out2)
    assert [r["claim_id"] for r in again["results"]] == [hit["claim_id"]]
    assert again["results"][0]["snippet"] == hit["snippet"]


def test_spellings_of_the_samples(
    capsys: pytest.CaptureFixture[str], samples_project: Path
) -> None:
    # The wiki spells him "Halvorssen", the Review "Halvorsen": both are found, each as written.
    _, out, _ = run(capsys, "search", samples_project, "Halvorssen", "--passages", "--json")
    assert [r["document_title"] for r in json.loads(out)["results"]] == ["wikiwatch-tidewater"]
    _, out, _ = run(capsys, "search", samples_project, "Halvorsen", "--passages", "--json")
    assert {r["document_title"] for r in json.loads(out)["results"]} == {"workers-review-tidewater"}
    assert json.loads(out)["total"] == 3
    _, out, _ = run(capsys, "search", samples_project, "Halvorsen~", "--passages", "--json")
    assert json.loads(out)["total"] == 4  # both spellings


def test_human_output_and_reindex(
    capsys: pytest.CaptureFixture[str], samples_project: Path
) -> None:
    code, out, _ = run(capsys, "search", samples_project, "Halvorsen", "--limit", "1")
    assert code == 0 and "disputed" in out and "«Halvorsen»" in out
    code, out, _ = run(capsys, "search", samples_project, "Halvorsan")
    assert "Did you mean: Halvorsen" in out
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
