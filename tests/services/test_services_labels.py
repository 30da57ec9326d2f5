"""Labels: add, rename, recolour, re-key, reorder, delete (reassigning its claims), restore."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from annotator.domain.errors import ConflictError, NotFoundError, ValidationError
from annotator.domain.model import Label
from annotator.services.api import Project
from annotator.services.changes import Changes

AddText = Callable[..., str]
Mutate = Callable[..., Changes]
Refuse = Callable[..., BaseException]


def _by_name(project: Project) -> dict[str, Label]:
    return {lab.name: lab for lab in project.labels()}


def test_add_label(project: Project, mutate: Mutate) -> None:
    changes = mutate(
        project.add_label, "  misleading ", "#5E35B1", key="m", description="Half-true."
    )
    label_id = changes.created_id
    assert label_id is not None
    assert {(r.entity, r.id) for r in changes.added} == {("label", label_id)}
    label = project.label(label_id)
    assert (label.name, label.color, label.key, label.description) == (
        "misleading",
        "#5e35b1",
        "m",
        "Half-true.",
    )
    assert not label.builtin
    assert project.labels()[-1] == label
    assert label.position > max(lab.position for lab in project.labels()[:-1])
    mutate(project.add_label, "no key", "#000000")
    assert project.label("no key").key is None


@pytest.mark.parametrize(
    ("args", "kwargs", "match"),
    [
        (("  ", "#000000"), {}, "needs a name"),
        (("x", "purple"), {}, "Not a colour"),
        (("x", "#000000"), {"key": "xy"}, "one printable character"),
        (("Sourced", "#000000"), {}, "exists already"),
        (("x", "#000000"), {"key": "2"}, "belongs to the label disputed"),
    ],
)
def test_add_label_refusals(
    project: Project, refuse: Refuse, args: tuple[str, str], kwargs: dict[str, str], match: str
) -> None:
    refuse(ValidationError, project.add_label, *args, match=match, **kwargs)
    assert len(project.labels()) == 3


def test_label_lookup(project: Project) -> None:
    sourced = _by_name(project)["sourced"]
    assert project.label(sourced.id) == sourced
    assert project.label("SOURCED") == sourced
    assert project.label("1") == sourced
    with pytest.raises(NotFoundError, match="sourced, disputed, polemical"):
        project.label("misleading")


def test_rename_recolour_rekey(project: Project, mutate: Mutate, refuse: Refuse) -> None:
    sourced = _by_name(project)["sourced"]
    mutate(project.update_label, sourced.id, name=" documented ", changed={("label", sourced.id)})
    mutate(project.update_label, sourced.id, color="#00FF00")
    mutate(project.update_label, sourced.id, key="d")
    mutate(project.update_label, sourced.id, description="Has a source.")
    label = project.label(sourced.id)
    assert (label.name, label.color, label.key, label.description) == (
        "documented",
        "#00ff00",
        "d",
        "Has a source.",
    )
    mutate(project.update_label, sourced.id, key=None)
    assert project.label(sourced.id).key is None
    mutate(project.update_label, sourced.id, key="1")
    mutate(project.update_label, sourced.id, name="Documented")  # its own name, new case
    # Refusals leave the label as it was.
    disputed = _by_name(project)["disputed"]
    refuse(ValidationError, project.update_label, sourced.id, name="DISPUTED", match="exists")
    refuse(ValidationError, project.update_label, sourced.id, name=" ", match="needs a name")
    refuse(ValidationError, project.update_label, sourced.id, color="green", match="colour")
    refuse(ValidationError, project.update_label, sourced.id, key="2", match="belongs")
    refuse(ValidationError, project.update_label, sourced.id, key="12")
    refuse(ValidationError, project.update_label, sourced.id, key=5)
    refuse(NotFoundError, project.update_label, "nope", name="x")
    assert project.label(sourced.id).key == "1"
    assert project.label(disputed.id) == disputed


def test_reorder_labels(project: Project, mutate: Mutate, refuse: Refuse) -> None:
    ids = [lab.id for lab in project.labels()]
    new_order = [ids[2], ids[0], ids[1]]
    mutate(project.reorder_labels, new_order, changed={("label", i) for i in ids})
    assert [lab.id for lab in project.labels()] == new_order
    assert [lab.position for lab in project.labels()] == [0, 1, 2]
    # Only the labels that moved are reported.
    changes = mutate(project.reorder_labels, [ids[0], ids[2], ids[1]])
    assert changes.ids("label") == {ids[0], ids[2]}
    refuse(ValidationError, project.reorder_labels, ids[:2], match="every label")
    refuse(ValidationError, project.reorder_labels, [*ids, ids[0]], match="every label")
    refuse(ValidationError, project.reorder_labels, [*ids[:2], "nope"], match="every label")


def test_delete_unused_label(project: Project, mutate: Mutate) -> None:
    label_id = project.add_label("temporary", "#123456").created_id
    assert label_id
    mutate(project.delete_label, label_id, removed={("label", label_id)}, changed=set())
    assert "temporary" not in _by_name(project)


def test_delete_label_in_use_needs_reassign_to(
    project: Project, add_text: AddText, mutate: Mutate, refuse: Refuse
) -> None:
    doc = add_text("One two three four five.")
    labels = _by_name(project)
    polemical, disputed = labels["polemical"].id, labels["disputed"].id
    c1 = project.create_claim(doc, 0, 3, polemical).created_id
    c2 = project.create_claim(doc, 4, 7, polemical).created_id
    c3 = project.create_claim(doc, 8, 13, disputed).created_id
    assert c1 and c2 and c3
    refuse(ConflictError, project.delete_label, polemical, match="2 claim")
    refuse(ValidationError, project.delete_label, polemical, reassign_to=polemical)
    refuse(ValidationError, project.delete_label, polemical, reassign_to="nope")
    refuse(NotFoundError, project.delete_label, "nope")
    assert project.label_usage() == {polemical: 2, disputed: 1}
    mutate(
        project.delete_label,
        polemical,
        reassign_to=disputed,
        removed={("label", polemical)},
        changed={("annotation", c1), ("annotation", c2)},
        added=set(),
    )
    assert "polemical" not in _by_name(project)
    assert project.label_usage() == {disputed: 3}
    for claim in (c1, c2):
        moved = project.annotation(claim)
        assert moved.label_id == disputed and moved.revision == 2
    assert project.annotation(c3).revision == 1


def test_restore_label(project: Project, mutate: Mutate, refuse: Refuse) -> None:
    label_id = project.add_label("temporary", "#123456", key="t").created_id
    assert label_id
    label = project.label(label_id)
    project.delete_label(label_id)
    mutate(project.restore_label, label, added={("label", label_id)})
    assert project.label(label_id) == label
    refuse(ValidationError, project.restore_label, label, match="exists already")
    project.update_label(label_id, name="renamed", key=None)
    refuse(ValidationError, project.restore_label, label, match="exists already")


def test_new_label_colour_is_distinct_from_the_labels_and_relations(project: Project) -> None:
    from annotator.domain.colors import DISTINCT, RELATION_COLORS, nearest_distance

    seen = [lab.color for lab in project.labels()]
    for n in range(6):
        color = project.new_label_color()
        assert nearest_distance(color, [*seen, *RELATION_COLORS.values()]) >= 10
        assert nearest_distance(color, RELATION_COLORS.values()) >= DISTINCT
        project.add_label(f"extra {n}", color)
        seen.append(color)
    assert len(set(seen)) == len(seen)
    # A label the user coloured by hand counts too: the next colour keeps away from it.
    project.update_label(project.label("extra 0").id, color=project.new_label_color())
    assert project.new_label_color() not in {lab.color for lab in project.labels()}
