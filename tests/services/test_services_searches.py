"""Saved searches kept in the project."""

from __future__ import annotations

from collections.abc import Callable

from annotator.domain.errors import NotFoundError, ValidationError
from annotator.services.api import Project
from annotator.services.changes import Changes

Mutate = Callable[..., Changes]
Refuse = Callable[..., BaseException]


def test_save_replace_and_delete(project: Project, mutate: Mutate, refuse: Refuse) -> None:
    first = mutate(project.save_search, " treaty ", "treaty AND label:disputed").created_id
    assert first
    second = mutate(project.save_search, "archive", "archive").created_id
    assert [(s.name, s.query) for s in project.saved_searches()] == [
        ("treaty", "treaty AND label:disputed"),
        ("archive", "archive"),
    ]
    changes = mutate(
        project.save_search, "treaty", "treaty", changed={("saved_search", first)}, added=set()
    )
    assert changes.created_id == first
    assert project.saved_searches()[0].query == "treaty"
    refuse(ValidationError, project.save_search, " ", "q", match="needs a name")
    refuse(ValidationError, project.save_search, "n", "  ", match="needs a name")
    mutate(project.delete_saved_search, first, removed={("saved_search", first)})
    assert [s.id for s in project.saved_searches()] == [second]
    refuse(NotFoundError, project.delete_saved_search, first)
