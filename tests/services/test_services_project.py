"""The transaction machinery: change numbers, the outbox, listeners, read-only projects."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from annotator.domain.errors import ConflictError, NotFoundError, ValidationError
from annotator.services.api import Project
from annotator.services.changes import Changes, EntityRef
from annotator.services.project import ReadOnlyProject

AddText = Callable[..., str]
Mutate = Callable[..., Changes]
Refuse = Callable[..., BaseException]


def test_new_project_is_seeded(project: Project) -> None:
    assert project.change_number() == 1
    labels = project.labels()
    assert [(lab.name, lab.key, lab.position, lab.builtin) for lab in labels] == [
        ("sourced", "1", 0, True),
        ("disputed", "2", 1, True),
        ("polemical", "3", 2, True),
    ]
    assert project.changes_since(0) == [(1, "label", lab.id, "added") for lab in labels]
    assert project.project_id()
    assert project.documents() == [] and project.annotations() == [] and project.links() == []


def test_change_numbers_increase_by_one_per_mutation(
    project: Project, add_text: AddText, mutate: Mutate
) -> None:
    doc = add_text("One claim here.")
    label = project.labels()[0].id
    numbers = [project.change_number()]
    claim = mutate(project.create_claim, doc, 0, 3, label).created_id
    numbers.append(project.change_number())
    mutate(project.update_claim, claim, note="n")
    numbers.append(project.change_number())
    mutate(project.delete_claim, claim)
    numbers.append(project.change_number())
    assert numbers == list(range(numbers[0], numbers[0] + 4))
    # The outbox replays everything after a number, in order.
    tail = project.changes_since(numbers[0])
    assert [n for n, *_ in tail] == sorted(n for n, *_ in tail)
    assert [(n, e, op) for n, e, _, op in tail] == [
        (numbers[0] + 1, "annotation", "added"),
        (numbers[0] + 2, "annotation", "changed"),
        (numbers[0] + 3, "annotation", "removed"),
    ]
    assert project.changes_since(project.change_number()) == []


def test_a_mutation_that_raises_leaves_no_trace(project: Project, add_text: AddText) -> None:
    doc = add_text("Some text.")
    label = project.labels()[0].id
    before = project.change_number()
    outbox = project.changes_since(0)
    with pytest.raises(RuntimeError), project._mutation("Broken") as (session, changes):
        claim = project.annotations()
        changes.add("annotation", "x")
        session.add(_settings_row("half", "done"))
        raise RuntimeError("boom")
    assert claim == []
    assert project.change_number() == before
    assert project.changes_since(0) == outbox
    assert project.setting("half") == ""
    # A refusal inside a real service behaves the same.
    with pytest.raises(ValidationError):
        project.create_claim(doc, 5, 2, label)
    assert project.change_number() == before
    assert project.changes_since(0) == outbox


def _settings_row(key: str, value: str) -> object:
    from annotator.storage.orm import SettingRow

    return SettingRow(key=key, value=value)


def test_database_rule_violations_become_user_errors(project: Project) -> None:
    """The safety net: an IntegrityError the services did not foresee is a ConflictError."""
    from annotator.storage.orm import LabelRow

    before = project.change_number()
    existing = project.labels()[0]
    with pytest.raises(ConflictError, match="conflicts"), project._mutation("Clash") as (s, _):
        s.add(LabelRow(id="new", name=existing.name, color="#000000", key=None, position=9))
    assert project.change_number() == before


@pytest.mark.sqlite_only
def test_busy_file_is_a_clear_write_failure(project: Project, add_text: AddText) -> None:
    import sqlite3

    from sqlalchemy import event

    from annotator.services.project import WriteFailed

    doc = add_text("Text.", title="Kept")
    before = project.change_number()
    project.engine.dispose()

    @event.listens_for(project.engine, "connect")
    def no_waiting(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        dbapi_conn.execute("PRAGMA busy_timeout = 0")

    other = sqlite3.connect(project.path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
        with pytest.raises(WriteFailed, match="busy in another program") as info:
            project.update_document(doc, title="Changed")
        assert "\n" not in str(info.value)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert project.change_number() == before
    assert project.document(doc).title == "Kept"


def test_subscribe_and_unsubscribe(project: Project, add_text: AddText) -> None:
    heard: list[Changes] = []
    other: list[Changes] = []
    unsubscribe = project.subscribe(heard.append)
    project.subscribe(other.append)
    doc = add_text("Text for listeners.")
    assert len(heard) == 1 and heard[0].created_id == doc
    assert heard[0].added == (EntityRef("document", doc),)
    assert heard[0].description.startswith("Import")
    assert heard[0].author == project.author
    unsubscribe()
    unsubscribe()  # twice is harmless
    project.update_document(doc, title="Renamed")
    assert len(heard) == 1
    assert len(other) == 2 and other[1].changed == (EntityRef("document", doc),)


def test_listeners_are_called_after_the_commit(project: Project, add_text: AddText) -> None:
    seen: list[int] = []

    def listener(changes: Changes) -> None:
        # The listener reads the committed state (a new session sees it).
        seen.append(project.change_number())
        assert changes.created_id is not None
        project.document(changes.created_id)

    project.subscribe(listener)
    add_text("Committed before listeners run.")
    assert seen == [project.change_number()]


def test_failed_mutation_is_not_announced(project: Project) -> None:
    heard: list[Changes] = []
    project.subscribe(heard.append)
    with pytest.raises(NotFoundError):
        project.delete_claim("nope")
    assert heard == []


def test_changes_helpers() -> None:
    changes = Changes(
        3,
        added=(EntityRef("annotation", "a"),),
        removed=(EntityRef("link", "l"), EntityRef("link", "m")),
    )
    assert changes.touches("link") and changes.touches("annotation")
    assert not changes.touches("document")
    assert changes.ids("link") == {"l", "m"}
    assert not changes.empty and Changes(4).empty


def test_settings(project: Project, mutate: Mutate) -> None:
    assert project.setting("export.format") == ""
    assert project.setting("export.format", "html") == "html"
    mutate(project.set_setting, "export.format", "docx")
    mutate(project.set_setting, "export.format", "pdf")
    assert project.setting("export.format") == "pdf"


def test_last_modified_is_utc(project: Project, add_text: AddText) -> None:
    from datetime import UTC, datetime, timedelta

    add_text("Text.")
    when = project.last_modified()
    assert when is not None and when.tzinfo is not None
    assert abs(datetime.now(UTC) - when) < timedelta(minutes=5)


def test_tags_given_as_one_string(project: Project, add_text: AddText) -> None:
    doc = add_text("Text with a claim.")
    claim = project.create_claim(doc, 0, 4, project.labels()[0].id, tags="media bias")
    assert claim.created_id
    assert project.annotation(claim.created_id).tags == ("media bias",)


def test_author(project: Project) -> None:
    assert project.author
    project.set_author("  Ada Researcher ")
    assert project.author == "Ada Researcher"
    assert project.setting("author") == "Ada Researcher"


@pytest.fixture
def readonly(project: Project, add_text: AddText) -> Project:
    doc = add_text("Read-only text with a claim.")
    labels = project.labels()
    a = project.create_claim(doc, 0, 4, labels[0].id).created_id
    b = project.create_claim(doc, 5, 9, labels[1].id).created_id
    assert a and b
    project.create_link(a, b, "repeats")
    where = project.server or project.path
    project.close()
    return Project.open(where, readonly=True)


def test_readonly_project_reads(readonly: Project) -> None:
    try:
        assert readonly.readonly
        assert len(readonly.documents()) == 1
        assert len(readonly.annotations()) == 2
        assert len(readonly.links()) == 1
    finally:
        readonly.close()


def test_readonly_project_refuses_every_mutation(readonly: Project) -> None:
    p = readonly
    try:
        doc = p.documents()[0].id
        claim, other = (a.id for a in p.annotations())
        link = p.links()[0]
        label = p.labels()[0]
        before = p.change_number()
        attempts = [
            lambda: p.create_claim(doc, 10, 12, label.id),
            lambda: p.update_claim(claim, note="x"),
            lambda: p.delete_claim(claim),
            lambda: p.create_link(claim, other, "contradicts"),
            lambda: p.delete_link(link.id),
            lambda: p.update_link(link.id, note="x"),
            lambda: p.update_document(doc, title="x"),
            lambda: p.delete_document(doc),
            lambda: p.add_label("new", "#123456"),
            lambda: p.update_label(label.id, name="x"),
            lambda: p.reorder_labels([lab.id for lab in p.labels()][::-1]),
            lambda: p.delete_label(label.id, reassign_to=p.labels()[1].id),
            lambda: p.save_search("s", "q"),
            lambda: p.set_setting("k", "v"),
        ]
        for attempt in attempts:
            with pytest.raises(ReadOnlyProject, match="read-only"):
                attempt()
        assert p.change_number() == before
        assert len(p.annotations()) == 2
    finally:
        p.close()


def test_context_manager_closes(project_path: Path) -> None:
    with Project.create(project_path) as p:
        assert p.change_number() == 1
    with Project.open(project_path) as p:
        assert p.change_number() == 1


def test_refuse_helper_checks_the_outbox(project: Project, refuse: Refuse) -> None:
    refuse(NotFoundError, project.update_document, "nope", title="x", match="No document")
