"""`annotator adjudicate` and `annotator settle` on a real project file of three annotators."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from agreement_project import build_team_project
from cli_helpers import Run, copy_project, one_line_error

from annotator.services.api import Project


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    return build_team_project(tmp_path_factory.mktemp("team"))


@pytest.fixture
def team(built: tuple[Path, list[str]], tmp_path: Path) -> tuple[Path, list[str]]:
    return copy_project(built[0], tmp_path / "team.annot"), built[1]


def _json(cli: Run, *args: object) -> dict[str, Any]:
    result = cli(*args, "--json")
    assert result.returncode == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def _kinds(data: dict[str, Any]) -> list[tuple[str, list[tuple[str, str]]]]:
    return [(u["kind"], [(c["annotator"], c["label"]) for c in u["claims"]]) for u in data["open"]]


def test_adjudicate_lists_the_open_units(cli: Run, team: tuple[Path, list[str]]) -> None:
    path, docs = team
    data = _json(cli, "adjudicate", path)
    assert data["matching_rule"] == "overlap coefficient" and data["settlements"] == []
    # See agreement_project.CLAIMS: s/s/s agrees (not listed); d/s, bob's lone claim, s/d.
    assert _kinds(data) == [
        ("labels differ", [("ann", "disputed"), ("bob", "sourced")]),
        ("one annotator", [("bob", "disputed")]),
        ("labels differ", [("ann", "sourced"), ("bob", "disputed")]),
    ]
    first = data["open"][0]
    assert first["unit"] == first["claims"][0]["id"] and first["document_number"] == 1
    assert (first["start"], first["end"]) == (30, 50)
    only_second = _json(cli, "adjudicate", path, "--doc", "2")
    assert [u["document_id"] for u in only_second["open"]] == [docs[1]]
    text = cli("adjudicate", path)
    assert text.returncode == 0 and "3 open disagreements." in text.stdout
    assert first["unit"][:8] in text.stdout


def test_settle_records_and_closes_the_unit(cli: Run, team: tuple[Path, list[str]]) -> None:
    path, _docs = team
    before = _json(cli, "agreement", path)
    unit = _json(cli, "adjudicate", path)["open"][0]
    bob_claim = unit["claims"][1]["id"]
    result = cli(
        "--author", "judge", "settle", path, bob_claim[:8], "--label", "disputed",
        "--span-of", bob_claim[:6], "--note", "checked the transcript", "--json",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    settled = json.loads(result.stdout)
    assert settled["settled_by"] == "judge" and settled["label"] == "disputed"
    assert not settled["rejected"] and settled["settled_at"].endswith("Z")
    assert [(j["claim_id"], j["author"], j["label"]) for j in settled["judgements"]] == [
        (c["id"], c["annotator"], c["label"]) for c in unit["claims"]
    ]
    assert (settled["start"], settled["end"]) == (30, 45)  # bob's span
    with Project.open(path) as project:
        claim = project.annotation(settled["claim_id"])
        assert claim.author == "judge" and claim.note == "checked the transcript"
    after = _json(cli, "adjudicate", path)
    assert [u["unit"] for u in after["open"]] != [] and unit["unit"] not in {
        u["unit"] for u in after["open"]
    }
    assert len(after["open"]) == 2 and len(after["settlements"]) == 1
    assert _json(cli, "agreement", path) == before  # settling changes no figure
    # The unit is settled: naming it again says so in one line.
    line = one_line_error(cli("settle", path, bob_claim, "--label", "sourced"))
    assert "in no open disagreement" in line


def test_reject_and_the_refusals(cli: Run, team: tuple[Path, list[str]]) -> None:
    path, _docs = team
    lone = _json(cli, "adjudicate", path)["open"][1]
    result = cli("--author", "judge", "settle", path, lone["unit"], "--reject")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Rejected unit {lone['unit'][:8]} as not a claim")
    assert len(_json(cli, "adjudicate", path)["open"]) == 2
    assert "No claim" in one_line_error(cli("settle", path, "ffffffff", "--label", "sourced"))
    unit = _json(cli, "adjudicate", path)["open"][0]
    assert "not a claim of unit" in one_line_error(
        cli("settle", path, unit["unit"], "--label", "sourced", "--span-of", "zzzz")
    )
    assert "label" in one_line_error(cli("settle", path, unit["unit"], "--label", "nope"))
    usage = cli("settle", path, unit["unit"])
    assert usage.returncode == 2 and "--label" in usage.stderr
