"""Agreement read through the services, and the revision check of a claim's deletion."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace

import pytest

from annotator.domain.errors import ConflictError
from annotator.services.agreement import (
    NO_AUTHOR,
    agreement_json,
    annotator_of,
    measure_project_agreement,
)
from annotator.services.api import Project
from annotator.services.changes import Changes

AddText = Callable[..., str]
Mutate = Callable[..., Changes]
Refuse = Callable[..., BaseException]

TEXT = "One claim here. Another claim there. A third claim at the end of the text."


def _mark(project: Project, who: str, doc: str, start: int, end: int, label: str) -> str:
    project.set_author(who)
    changes = project.create_claim(doc, start, end, project.label(label).id)
    assert changes.created_id is not None
    return changes.created_id


def test_delete_with_expected_revision(
    project: Project, add_text: AddText, mutate: Mutate, refuse: Refuse
) -> None:
    doc = add_text(TEXT)
    claim = _mark(project, "ann", doc, 0, 15, "sourced")
    project.update_claim(claim, note="changed elsewhere")
    refuse(
        ConflictError,
        project.delete_claim,
        claim,
        expected_revision=1,
        match="changed meanwhile",
    )
    assert project.annotation(claim).revision == 2
    mutate(project.delete_claim, claim, expected_revision=2, removed={("annotation", claim)})


def test_agreement_reads_authors_labels_and_documents(project: Project, add_text: AddText) -> None:
    first = add_text(TEXT, title="First")
    second = add_text(TEXT, title="Second")
    _mark(project, "ann", first, 0, 15, "sourced")
    _mark(project, "bob", first, 3, 15, "sourced")
    _mark(project, "ann", first, 16, 36, "disputed")
    _mark(project, "bob", first, 16, 30, "polemical")
    _mark(project, "ann", second, 0, 15, "sourced")  # bob did not mark it
    _mark(project, "", second, 37, 50, "polemical")  # set_author("") falls back to the login
    result = measure_project_agreement(project)
    data = agreement_json(result)
    json.dumps(data, allow_nan=False)
    names = [a["name"] for a in data["annotators"]]
    assert "ann" in names and "bob" in names and len(names) == 3
    pair = next(p for p in data["pairs"] if p["annotators"] == ["ann", "bob"])
    assert (pair["units"], pair["agreements"], pair["percent_agreement"]) == (2, 1, 0.5)
    assert pair["unmatched"] == {"ann": 1, "bob": 0}
    assert [d["title"] for d in data["by_document"]] == ["First", "Second"]
    assert [d["document_number"] for d in data["by_document"]] == [1, 2]
    assert {item["label"]: item["label_id"] for item in data["by_label"]} == {
        lab.name: lab.id for lab in project.labels()
    }
    only_first = agreement_json(measure_project_agreement(project, first))
    assert [d["document_id"] for d in only_first["by_document"]] == [first]
    assert [a["name"] for a in only_first["annotators"]] == ["ann", "bob"]
    assert only_first["unmatched"] == {"ann": [], "bob": []}


def test_claims_without_an_author_are_one_annotator(project: Project, add_text: AddText) -> None:
    doc = add_text(TEXT)
    claim = project.annotation(_mark(project, "ann", doc, 0, 15, "sourced"))
    assert annotator_of(claim) == "ann"
    assert annotator_of(replace(claim, author="  ")) == NO_AUTHOR


@pytest.mark.parametrize("threshold", [0.5, 1.0])
def test_threshold_is_reported(project: Project, add_text: AddText, threshold: float) -> None:
    add_text(TEXT)
    data = agreement_json(measure_project_agreement(project, threshold=threshold))
    assert data["threshold"] == threshold and data["matching_rule"] == "overlap coefficient"
    assert f"{threshold:.0%}" in data["rule"]
    assert data["krippendorff_alpha"] is None and data["krippendorff_alpha_reason"] == "no claims"
