"""Fixtures of the service tests: a project on each back end (every service test runs on a file
and on a PostgreSQL server; `@pytest.mark.sqlite_only` keeps a file's own test to the file), and
running a mutation to check its change set against the outbox."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from annotator.services.api import Project
from annotator.services.changes import Changes, EntityRef
from pg_server import BACKENDS

Mutate = Callable[..., Changes]
Refuse = Callable[..., BaseException]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The back end a test runs on: "sqlite" (a file) or "postgresql" (the test server)."""
    return str(request.param)


@pytest.fixture
def project(backend: str, project_on: Callable[[str], str]) -> Iterator[Project]:
    """A fresh project on the test's back end: a file in tmp_path, or a database of the test
    server copied from the migrated template."""
    p = Project.create(project_on(backend))
    try:
        yield p
    finally:
        p.close()


def _outbox(changes: Changes) -> set[tuple[int, str, str, str]]:
    rows: set[tuple[int, str, str, str]] = set()
    for op, refs in (("added", changes.added), ("changed", changes.changed)):
        rows.update((changes.change_number, r.entity, r.id, op) for r in refs)
    rows.update((changes.change_number, r.entity, r.id, "removed") for r in changes.removed)
    return rows


@pytest.fixture
def mutate(project: Project) -> Mutate:
    """`mutate(fn, *args, added=..., changed=..., removed=..., **kwargs)` runs one mutation and
    checks: the change number went up by exactly one, the returned Changes carries it and the
    expected entity refs (each a set of (entity, id) pairs, when given), the outbox holds
    exactly the same refs under that number, and subscribers got the same Changes."""

    def run(
        fn: Callable[..., Changes],
        *args: Any,
        added: set[tuple[str, str]] | None = None,
        changed: set[tuple[str, str]] | None = None,
        removed: set[tuple[str, str]] | None = None,
        **kwargs: Any,
    ) -> Changes:
        before = project.change_number()
        heard: list[Changes] = []
        unsubscribe = project.subscribe(heard.append)
        try:
            changes = fn(*args, **kwargs)
        finally:
            unsubscribe()
        assert isinstance(changes, Changes)
        assert changes.change_number == before + 1
        assert project.change_number() == before + 1
        for expected, got in ((added, changes.added), (changed, changes.changed)):
            if expected is not None:
                assert {(r.entity, r.id) for r in got} == expected
        if removed is not None:
            assert {(r.entity, r.id) for r in changes.removed} == removed
        for refs in (changes.added, changes.changed, changes.removed):
            assert len(set(refs)) == len(refs), "an entity is reported twice"
            assert all(isinstance(r, EntityRef) for r in refs)
        assert set(project.changes_since(before)) == _outbox(changes)
        assert heard == [changes]
        return changes

    return run


@pytest.fixture
def refuse(project: Project) -> Refuse:
    """`refuse(ErrorType, fn, *args, match=..., **kwargs)`: the mutation raises a user error,
    and leaves no outbox row, no change-number bump and no notification."""

    def run(error: type[BaseException], fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        match = kwargs.pop("match", None)
        before = project.change_number()
        heard: list[Changes] = []
        unsubscribe = project.subscribe(heard.append)
        try:
            with pytest.raises(error, match=match) as info:
                fn(*args, **kwargs)
        finally:
            unsubscribe()
        assert project.change_number() == before
        assert project.changes_since(before) == []
        assert heard == []
        message = str(info.value)
        assert message and "\n" not in message and "Traceback" not in message
        return info.value

    return run
