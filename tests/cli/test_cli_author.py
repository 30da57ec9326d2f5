"""Who makes the changes on the command line: `--author NAME` before the command, else
ANNOTATOR_AUTHOR, else the project's setting, else the account's full name."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.cli.main import main
from annotator.services import author
from annotator.services.api import Project


@pytest.fixture(autouse=True)
def no_chosen_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(author, "_chosen", "")
    monkeypatch.delenv(author.ENVIRONMENT_VARIABLE, raising=False)


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    path = tmp_path / "demo.annot"
    assert main(["demo", str(path)]) == 0
    return path


def _annotate(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    capsys.readouterr()
    assert main([*args]) == 0
    claim: dict[str, object] = json.loads(capsys.readouterr().out)
    return claim


def _claim_args(demo: Path, occurrence: int) -> list[str]:
    return [
        "annotate",
        str(demo),
        "1",
        "--quote",
        "Velmora",
        "--occurrence",
        str(occurrence),
        "--label",
        "disputed",
        "--json",
    ]


def test_author_option_names_the_claims_author(demo: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    claim = _annotate(capsys, "--author", "Ada Lovelace", *_claim_args(demo, 1))
    assert claim["author"] == "Ada Lovelace"
    with Project.open(demo) as project:
        assert project.annotation(str(claim["id"])).author == "Ada Lovelace"


def test_environment_variable_names_the_author(demo: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("ANNOTATOR_AUTHOR", "  Grace   Hopper ")
    assert _annotate(capsys, *_claim_args(demo, 1))["author"] == "Grace Hopper"
    # the option wins over the environment
    claim = _annotate(capsys, "--author=Ada Lovelace", *_claim_args(demo, 2))
    assert claim["author"] == "Ada Lovelace"


def test_without_either_the_account_name_is_used(demo: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert _annotate(capsys, *_claim_args(demo, 1))["author"] == author.account_name()


def test_links_carry_the_author_too(demo: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    a = _annotate(capsys, *_claim_args(demo, 1))
    b = _annotate(capsys, *_claim_args(demo, 2))
    capsys.readouterr()
    args = ["--author", "Ada", "link", str(demo), str(a["id"]), str(b["id"])]
    assert main([*args, "--relation", "repeats"]) == 0
    with Project.open(demo) as project:
        [link] = [k for k in project.links() if k.source_id == a["id"]]
        assert link.author == "Ada"


def test_an_empty_author_is_a_usage_error(demo: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as exit_:
        main(["--author", " ", "docs", str(demo)])
    assert exit_.value.code == 2
    assert "--author needs a name" in capsys.readouterr().err


def test_the_import_option_author_is_still_the_documents(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    project = tmp_path / "p.annot"
    source = tmp_path / "a.txt"
    source.write_text("A short source about the strike.\n", encoding="utf-8")
    assert main(["new", str(project)]) == 0
    assert main(["--author", "Ada", "import", str(project), str(source), "--author", "Okafor"]) == 0
    with Project.open(project) as opened:
        [doc] = opened.documents()
        assert doc.authors == ("Okafor",)


def test_account_name_is_the_full_name_else_the_login(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import pwd

    class Entry:
        pw_gecos = "Ada Lovelace,Room 1,,"

    monkeypatch.setattr(pwd, "getpwuid", lambda _uid: Entry())
    assert author.account_name() == "Ada Lovelace"
    Entry.pw_gecos = ""
    monkeypatch.setattr("getpass.getuser", lambda: "ada")
    assert author.account_name() == "ada"
