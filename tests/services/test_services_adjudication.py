"""Adjudication through the services, on real project files: the open disagreements, settling
one (a settled claim recording who settled what), rejecting, undoing, and agreement unchanged."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from annotator.domain.adjudication import LABELS_DIFFER, ONE_ANNOTATOR, Judgement
from annotator.domain.errors import ConflictError, NotFoundError, ValidationError
from annotator.services.agreement import agreement_json, measure_project_agreement
from annotator.services.api import Project
from annotator.services.changes import Changes
from annotator.services.check import check_project
from annotator.storage.revisions import HEAD_REVISION

AddText = Callable[..., str]
Mutate = Callable[..., Changes]
Refuse = Callable[..., BaseException]

TEXT = "One claim here. Another claim there. A third claim at the end of the text."
FIXTURE_0002 = Path(__file__).parents[1] / "storage" / "fixtures" / "project-0002.annot"


def _mark(project: Project, who: str, doc: str, start: int, end: int, label: str) -> str:
    project.set_author(who)
    changes = project.create_claim(doc, start, end, project.label(label).id)
    assert changes.created_id is not None
    return changes.created_id


@pytest.fixture
def team(project: Project, add_text: AddText) -> dict[str, str]:
    """ann and bob: agree on the first sentence, differ on the second, and bob alone marked
    the third. Returns the claim ids by name."""
    doc = add_text(TEXT, title="Speech")
    ids = {
        "doc": doc,
        "ann1": _mark(project, "ann", doc, 0, 15, "sourced"),
        "bob1": _mark(project, "bob", doc, 0, 14, "sourced"),
        "ann2": _mark(project, "ann", doc, 16, 36, "disputed"),
        "bob2": _mark(project, "bob", doc, 16, 30, "polemical"),
        "bob3": _mark(project, "bob", doc, 37, 50, "disputed"),
    }
    project.set_author("judge")
    return ids


def test_lists_label_disagreements_and_lone_claims(project: Project, team: dict[str, str]) -> None:
    found = project.disagreements()
    assert [(d.kind, d.claim_ids) for d in found.disagreements] == [
        (LABELS_DIFFER, (team["ann2"], team["bob2"])),
        (ONE_ANNOTATOR, (team["bob3"],)),
    ]
    first = found.disagreements[0]
    assert first.reference == team["ann2"] and (first.start, first.end) == (16, 36)
    assert [c.annotator for c in first.claims] == ["ann", "bob"]
    assert [c.label for c in first.claims] == ["disputed", "polemical"]
    assert found.claim(team["bob2"]).quote.exact == TEXT[16:30]
    assert found.find(team["bob2"]) is first and found.find(team["ann1"]) is None
    only_doc = project.disagreements(team["doc"])
    assert [d.claim_ids for d in only_doc.disagreements] == [
        d.claim_ids for d in found.disagreements
    ]


def test_one_annotator_has_nothing_to_adjudicate(project: Project, add_text: AddText) -> None:
    doc = add_text(TEXT)
    _mark(project, "ann", doc, 0, 15, "sourced")
    _mark(project, "ann", doc, 16, 36, "disputed")
    assert project.disagreements().disagreements == ()
    # A second document only bob marked: his claims there are lone against the project's two.
    other = add_text(TEXT)
    lone = _mark(project, "bob", other, 0, 15, "sourced")
    assert [d.claim_ids for d in project.disagreements(other).disagreements] == [(lone,)]


def test_settle_makes_a_settled_claim_recording_who_and_what(
    project: Project, team: dict[str, str], mutate: Mutate
) -> None:
    unit = project.disagreements().disagreements[0]
    before = agreement_json(measure_project_agreement(project))
    changes = project.settle(unit.claim_ids, project.label("disputed").id, span_of=team["bob2"])
    settlement = project.settlement(changes.created_id or "")
    made = settlement.claim_id
    assert made is not None and not settlement.rejected
    assert {(r.entity, r.id) for r in changes.added} == {
        ("annotation", made),
        ("settlement", settlement.id),
    }
    assert set(project.changes_since(changes.change_number - 1)) == {
        (changes.change_number, "annotation", made, "added"),
        (changes.change_number, "settlement", settlement.id, "added"),
    }
    claim = project.annotation(made)
    assert (claim.start, claim.end, claim.quote.exact) == (16, 30, TEXT[16:30])
    assert claim.label_id == project.label("disputed").id and claim.author == "judge"
    assert settlement.settled_by == "judge" and settlement.label == "disputed"
    assert settlement.settled_at.tzinfo is not None
    assert (settlement.document_id, settlement.start, settlement.end) == (team["doc"], 16, 30)
    assert settlement.judgements == (
        Judgement(team["ann2"], "ann", project.label("disputed").id, "disputed"),
        Judgement(team["bob2"], "bob", project.label("polemical").id, "polemical"),
    )
    # The annotators' claims are untouched; the unit is no longer open; agreement unchanged.
    assert project.annotation(team["bob2"]).label_id == project.label("polemical").id
    assert [d.claim_ids for d in project.disagreements().disagreements] == [(team["bob3"],)]
    assert agreement_json(measure_project_agreement(project)) == before
    assert project.settled_claim_ids() == {made}
    assert check_project(project).ok, check_project(project).problems
    # Through the outbox checks of the other services as well.
    lone = project.disagreements().disagreements[0]
    mutate(project.settle, lone.claim_ids, project.label("disputed").id)


def test_default_span_is_a_claim_with_the_chosen_label(
    project: Project, team: dict[str, str]
) -> None:
    unit = project.disagreements().disagreements[0]
    changes = project.settle(unit.claim_ids, project.label("polemical").id)
    settled = project.settlement(changes.created_id or "")
    assert (settled.start, settled.end) == (16, 30)  # bob's span: he chose polemical


def test_reject_a_lone_claim(project: Project, team: dict[str, str], mutate: Mutate) -> None:
    lone = project.disagreements().disagreements[1]
    changes = mutate(project.settle, lone.claim_ids, None)
    settlement = project.settlement(changes.created_id or "")
    assert settlement.rejected and settlement.claim_id is None and settlement.label == ""
    assert changes.added == changes.added[:1] and not changes.touches("annotation")
    assert project.annotation(team["bob3"]).author == "bob"  # kept: bob's own judgement
    assert [d.kind for d in project.disagreements().disagreements] == [LABELS_DIFFER]


def test_undo_and_redo_of_a_settlement(
    project: Project, team: dict[str, str], mutate: Mutate
) -> None:
    unit = project.disagreements().disagreements[0]
    label = project.label("sourced").id
    changes = project.settle(unit.claim_ids, label)
    settlement = project.settlement(changes.created_id or "")
    made = settlement.claim_id
    assert made is not None
    mutate(
        project.remove_settlement,
        settlement.id,
        removed={("annotation", made), ("settlement", settlement.id)},
    )
    with pytest.raises(NotFoundError):
        project.annotation(made)
    assert project.settlements() == []
    assert len(project.disagreements().disagreements) == 2
    # Redo: the same ids again.
    project.settle(unit.claim_ids, label, settlement_id=settlement.id, claim_id=made)
    assert project.settlement(settlement.id).judgements == settlement.judgements
    assert project.annotation(made).label_id == label
    assert len(project.disagreements().disagreements) == 1


def test_a_unit_reopens_when_a_judgement_changes_or_the_settled_claim_goes(
    project: Project, team: dict[str, str]
) -> None:
    unit = project.disagreements().disagreements[0]
    changes = project.settle(unit.claim_ids, project.label("disputed").id)
    made = project.settlement(changes.created_id or "").claim_id
    assert made is not None
    assert len(project.disagreements().disagreements) == 1
    # Renaming a label is no new judgement.
    project.update_label(project.label("polemical").id, name="loaded")
    assert len(project.disagreements().disagreements) == 1
    # bob relabels his claim: the unit is open again, with his new label.
    project.update_claim(team["bob2"], label_id=project.label("sourced").id)
    assert len(project.disagreements().disagreements) == 2
    project.update_claim(team["bob2"], label_id=project.label("loaded").id)
    assert len(project.disagreements().disagreements) == 1
    # Deleting the settled claim reopens the unit; putting it back closes it again.
    saved = project.annotation(made)
    project.delete_claim(made)
    assert len(project.disagreements().disagreements) == 2
    project.restore_claim(saved)
    assert len(project.disagreements().disagreements) == 1


def test_refusals_save_nothing(project: Project, team: dict[str, str], refuse: Refuse) -> None:
    unit = project.disagreements().disagreements[0]
    label = project.label("disputed").id
    refuse(ValidationError, project.settle, unit.claim_ids, label, span_of=team["ann1"])
    refuse(NotFoundError, project.settle, unit.claim_ids, "no-such-label")
    refuse(NotFoundError, project.settle, [team["ann2"], "gone"], label)
    refuse(ValidationError, project.settle, [], label)
    changes = project.settle(unit.claim_ids, label)
    refuse(ConflictError, project.settle, unit.claim_ids, label, match="settled already")
    made = project.settlement(changes.created_id or "").claim_id
    refuse(ValidationError, project.settle, [made], label, match="adjudicator's decision")
    refuse(NotFoundError, project.remove_settlement, "no-such-settlement")


def test_deleting_the_document_removes_its_settlements(
    project: Project, team: dict[str, str]
) -> None:
    unit = project.disagreements().disagreements[0]
    project.settle(unit.claim_ids, None)
    assert len(project.settlements()) == 1
    project.delete_document(team["doc"])
    assert project.settlements() == []


def test_a_0002_project_upgrades_and_takes_settlements(tmp_path: Path) -> None:
    path = tmp_path / "old.annot"
    shutil.copyfile(FIXTURE_0002, path)
    with sqlite3.connect(path) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    conn.close()
    assert "settlements" not in tables
    with Project.open(path) as p:
        assert p.settlements() == [] and p.disagreements().disagreements == ()
        claims = p.annotations()
        assert len(claims) == 3 and {c.author for c in claims} == {claims[0].author}
        # A second annotator marks what the first did, with another label.
        first = claims[0]
        p.set_author("second reader")
        other = p.label("polemical").id if first.label_id != p.label("polemical").id else ""
        other = other or p.label("sourced").id
        p.create_claim(first.document_id, first.start, first.end, other)
        found = p.disagreements()
        unit = found.find(first.id)
        assert unit is not None and unit.kind == LABELS_DIFFER
        p.set_author("judge")
        changes = p.settle(unit.claim_ids, first.label_id)
        assert p.settlement(changes.created_id or "").settled_by == "judge"
        assert p.disagreements().find(first.id) is None
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM settlement_judgements").fetchone() == (2,)
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (
            HEAD_REVISION,
        )
    conn.close()


def test_another_window_hears_of_a_settlement(
    project: Project, team: dict[str, str], backend: str, project_on: Callable[[str], str]
) -> None:
    from annotator.services.watch import ExternalChangeWatcher

    with ExternalChangeWatcher(project) as watcher:
        with Project.open(project_on(backend)) as other:
            other.set_author("judge")
            unit = other.disagreements().disagreements[0]
            done = other.settle(unit.claim_ids, other.label("disputed").id)
        heard = watcher.poll()
    assert heard is not None
    assert heard.ids("settlement") == {done.created_id}
    assert heard.ids("annotation") == done.ids("annotation") != set()
    assert [d.kind for d in project.disagreements().disagreements] == [ONE_ANNOTATOR]
