"""Links between claims: create, duplicates, self-links, missing ends, edit, delete, restore."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from annotator.domain.errors import NotFoundError, ValidationError
from annotator.domain.model import Relation
from annotator.services.api import Project
from annotator.services.changes import Changes
from annotator.services.links import parse_relation

AddText = Callable[..., str]
Mutate = Callable[..., Changes]
Refuse = Callable[..., BaseException]


@pytest.fixture
def claims(project: Project, add_text: AddText) -> tuple[str, str, str]:
    first = add_text("The treaty was signed in 1997.", title="Report")
    second = add_text("No treaty was ever signed.", title="Rebuttal")
    label = project.labels()[0].id
    a = project.create_claim(first, 4, 10, label).created_id
    b = project.create_claim(second, 3, 9, label).created_id
    c = project.create_claim(second, 10, 25, label).created_id
    assert a and b and c
    return a, b, c


def test_create_link(project: Project, claims: tuple[str, str, str], mutate: Mutate) -> None:
    a, b, _ = claims
    changes = mutate(project.create_link, a, b, "Contradicts", note="Archive says no.")
    link_id = changes.created_id
    assert link_id is not None
    assert {(r.entity, r.id) for r in changes.added} == {("link", link_id)}
    assert changes.description == "Link claims (contradicts)"
    link = project.link(link_id)
    assert (link.source_id, link.target_id, link.relation) == (a, b, Relation.CONTRADICTS)
    assert link.note == "Archive says no." and link.author == project.author
    assert project.links(annotation_id=a) == [link] == project.links(annotation_id=b)
    assert project.links(annotation_ids=[b, "other"]) == [link]
    assert project.links(annotation_ids=[]) == []


def test_every_relation(project: Project, claims: tuple[str, str, str]) -> None:
    a, b, _ = claims
    for relation in Relation:
        project.create_link(a, b, relation)
    assert {k.relation for k in project.links()} == set(Relation)


def test_duplicate_link_refused(
    project: Project, claims: tuple[str, str, str], refuse: Refuse
) -> None:
    a, b, _ = claims
    project.create_link(a, b, "repeats")
    refuse(ValidationError, project.create_link, a, b, Relation.REPEATS, match="already")
    assert len(project.links()) == 1


def test_self_link_refused(project: Project, claims: tuple[str, str, str], refuse: Refuse) -> None:
    a, _, _ = claims
    refuse(ValidationError, project.create_link, a, a, "repeats", match="itself")


def test_link_to_missing_claim_refused(
    project: Project, claims: tuple[str, str, str], refuse: Refuse
) -> None:
    a, _, _ = claims
    refuse(NotFoundError, project.create_link, a, "nope", "cites", match="nope")
    refuse(NotFoundError, project.create_link, "nope", a, "cites", match="nope")


def test_unknown_relation_refused(
    project: Project, claims: tuple[str, str, str], refuse: Refuse
) -> None:
    a, b, _ = claims
    refuse(ValidationError, project.create_link, a, b, "supports", match="Not a relation")
    assert parse_relation("  CITES ") is Relation.CITES


def test_update_link(
    project: Project, claims: tuple[str, str, str], mutate: Mutate, refuse: Refuse
) -> None:
    a, b, _ = claims
    link_id = project.create_link(a, b, "repeats").created_id
    project.create_link(a, b, "cites")
    mutate(
        project.update_link,
        link_id,
        relation="corroborates",
        note="n",
        changed={("link", link_id)},
    )
    link = project.link(link_id)
    assert (link.relation, link.note) == (Relation.CORROBORATES, "n")
    # Turning it into a copy of another link is refused, not a database error.
    refuse(ValidationError, project.update_link, link_id, relation="cites", match="already")
    mutate(project.update_link, link_id, relation="corroborates")  # to itself: fine
    refuse(NotFoundError, project.update_link, "nope", note="x")
    refuse(ValidationError, project.update_link, link_id, relation="supports")


def test_delete_and_restore_link(
    project: Project, claims: tuple[str, str, str], mutate: Mutate, refuse: Refuse
) -> None:
    a, b, _ = claims
    link_id = project.create_link(a, b, "cites", note="kept").created_id
    assert link_id
    link = project.link(link_id)
    mutate(project.delete_link, link_id, removed={("link", link_id)}, added=set())
    assert project.links() == []
    refuse(NotFoundError, project.delete_link, link_id)
    changes = mutate(project.restore_link, link, added={("link", link_id)})
    assert changes.created_id == link_id
    assert project.link(link_id) == link
    # Restoring twice, or restoring a copy of a link that exists, is refused cleanly.
    refuse(ValidationError, project.restore_link, link, match="exists already")
    project.delete_link(link_id)
    project.create_link(a, b, "cites")
    refuse(ValidationError, project.restore_link, link, match="already")


def test_restore_link_needs_both_claims(
    project: Project, claims: tuple[str, str, str], refuse: Refuse
) -> None:
    a, b, _ = claims
    link_id = project.create_link(a, b, "cites").created_id
    assert link_id
    link = project.link(link_id)
    project.delete_claim(b)
    refuse(NotFoundError, project.restore_link, link, match="no longer")


def test_missing_link(project: Project) -> None:
    with pytest.raises(NotFoundError):
        project.link("nope")
