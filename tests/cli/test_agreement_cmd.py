"""`annotator agreement` on a real project file of three annotators."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import krippendorff
import pytest
from agreement_project import build_team_project
from cli_helpers import Run, one_line_error


@pytest.fixture(scope="module")
def team(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    return build_team_project(tmp_path_factory.mktemp("team"))


def _no_nan(token: str) -> Any:
    raise AssertionError(f"{token} in the JSON")


def _json(cli: Run, *args: object) -> dict[str, Any]:
    result = cli("agreement", *args, "--json")
    assert result.returncode == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout, parse_constant=_no_nan)
    return data


def test_json_figures(cli: Run, team: tuple[Path, list[str]]) -> None:
    path, docs = team
    data = _json(cli, path)
    assert data["matching_rule"] == "overlap coefficient" and data["threshold"] == 0.5
    assert data["annotators"] == [
        {"name": "ann", "claims": 4}, {"name": "bob", "claims": 5}, {"name": "cy", "claims": 1},
    ]  # fmt: skip
    pairs = {tuple(p["annotators"]): p for p in data["pairs"]}
    ann_bob = pairs["ann", "bob"]
    # (s,s) (d,s) (p,p) (s,d): po = 2/4; ann s2 d1 p1, bob s2 d1 p1: pe = 6/16; kappa = 0.2.
    assert (ann_bob["units"], ann_bob["agreements"]) == (4, 2)
    assert ann_bob["percent_agreement"] == 0.5
    assert ann_bob["cohen_kappa"] == pytest.approx(0.2)
    assert ann_bob["cohen_kappa_reason"] is None
    assert ann_bob["unmatched"] == {"ann": 0, "bob": 1}
    assert sorted(tuple(d["labels"]) for d in ann_bob["disagreements"]) == [
        ("disputed", "sourced"), ("sourced", "disputed"),
    ]  # fmt: skip
    ann_cy = pairs["ann", "cy"]
    assert (ann_cy["units"], ann_cy["percent_agreement"]) == (1, 1.0)
    assert ann_cy["cohen_kappa"] is None
    assert "no variation" in ann_cy["cohen_kappa_reason"]
    assert ann_cy["unmatched"] == {"ann": 3, "cy": 0}
    # Units: s/s/s, d/s/-, p/p/-, s/d/- (document 2), and bob's lone claim (not a unit).
    s, d, p = 0, 1, 2
    nan = math.nan
    reference = krippendorff.alpha(
        reliability_data=[[s, d, p, s], [s, s, p, d], [s, nan, nan, nan]],
        level_of_measurement="nominal",
    )
    assert data["units"] == 4
    assert data["krippendorff_alpha"] == pytest.approx(reference)
    assert data["unmatched"]["ann"] == [] and data["unmatched"]["cy"] == []
    (lone,) = data["unmatched"]["bob"]
    assert (lone["start"], lone["end"], lone["label"]) == (100, 110, "disputed")
    assert lone["quote"] and lone["document_id"] == docs[0]
    by_doc = {doc["document_id"]: doc for doc in data["by_document"]}
    assert [doc["document_number"] for doc in data["by_document"]] == [1, 2]
    assert by_doc[docs[0]]["units"] == 3 and by_doc[docs[0]]["unmatched"]["bob"] == 1
    second = by_doc[docs[1]]
    assert second["units"] == 1 and second["pairs"][0]["percent_agreement"] == 0.0
    # One unit holding two different values: alpha = 1 - (n - 1) * 2 / (n² - Σ n_c²) = 0.
    assert second["krippendorff_alpha"] == pytest.approx(0.0)
    labels = [item["label"] for item in data["by_label"]]
    assert labels == ["sourced", "disputed", "polemical"]
    sourced = data["by_label"][0]
    assert sourced["claims"] == {"ann": 2, "bob": 2, "cy": 1}
    for item in data["by_label"]:
        for key in ("label_id", "units", "unmatched", "specific_agreement"):
            assert key in item
        assert ("krippendorff_alpha" in item) and ("krippendorff_alpha_reason" in item)


def test_doc_option_limits_the_claims(cli: Run, team: tuple[Path, list[str]]) -> None:
    path, docs = team
    data = _json(cli, path, "--doc", "2")
    assert [doc["document_id"] for doc in data["by_document"]] == [docs[1]]
    assert [a["name"] for a in data["annotators"]] == ["ann", "bob"]
    (pair,) = data["pairs"]
    assert (pair["units"], pair["percent_agreement"]) == (1, 0.0)
    assert pair["cohen_kappa"] is not None


def test_threshold_option(cli: Run, team: tuple[Path, list[str]]) -> None:
    path, _docs = team
    # ann [30,50) and bob [30,45) share 15 of 15: they match at any threshold; ann [0,20) and
    # bob [2,20) share 18 of 18. Everything matched still matches at 1.0.
    assert _json(cli, path, "--threshold", "1")["units"] == 4
    result = cli("agreement", path, "--threshold", "0")
    assert result.returncode == 2 and "fraction above 0" in result.stderr


def test_human_output_is_a_short_table(cli: Run, team: tuple[Path, list[str]]) -> None:
    path, _docs = team
    result = cli("agreement", path)
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert "overlap coefficient ≥ 0.5" in text
    assert "3 annotators, 10 claims, 4 units coded by two or more." in text
    assert "Pair" in text and "Kappa" in text
    lines = text.splitlines()
    (row,) = [line for line in lines if line.startswith("ann – bob")]
    assert row.split() == ["ann", "–", "bob", "4", "50%", "0.20", "0", "/", "1"]
    assert any("ann – cy: kappa undefined, no variation" in line for line in lines)
    assert "Unmatched claims (no other annotator's claim matched): ann 0, bob 1, cy 0." in text
    assert "nan" not in text.lower()
    assert len(lines) < 40


def test_one_annotator_gives_nulls_with_reasons(cli: Run, tmp_path: Path) -> None:
    (tmp_path / "t.txt").write_text("Only one reader marked anything in this text.", "utf-8")
    path = tmp_path / "solo.annot"
    assert cli("new", path).returncode == 0
    assert cli("import", path, tmp_path / "t.txt").returncode == 0
    result = cli("annotate", path, "1", "--quote", "one reader", "--label", "sourced")
    assert result.returncode == 0, result.stderr
    data = _json(cli, path)
    assert data["pairs"] == []
    assert data["krippendorff_alpha"] is None
    assert data["krippendorff_alpha_reason"].startswith("only one annotator")
    human = cli("agreement", path)
    assert human.returncode == 0
    assert "Agreement needs claims by two or more annotators" in human.stdout
    empty = tmp_path / "empty.annot"
    assert cli("new", empty).returncode == 0
    data = _json(cli, empty)
    assert data["krippendorff_alpha"] is None and data["krippendorff_alpha_reason"] == "no claims"


def test_unknown_document_is_one_line(cli: Run, team: tuple[Path, list[str]]) -> None:
    path, _docs = team
    line = one_line_error(cli("agreement", path, "--doc", "nonexistent"))
    assert "No document matches 'nonexistent'" in line
