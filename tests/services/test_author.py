"""Whose name a change carries: the name chosen for the process, else ANNOTATOR_AUTHOR, else the
project's `author` setting, else the account's name; read at each change, not once."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.services import author
from annotator.services.api import Project


@pytest.fixture(autouse=True)
def no_chosen_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(author, "_chosen", "")
    monkeypatch.delenv(author.ENVIRONMENT_VARIABLE, raising=False)


def test_the_author_follows_the_choice_in_order(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    with Project.create(tmp_path / "p.annot") as project:
        assert project.author == author.account_name()
        project.set_author("Desk account")
        assert project.author == "Desk account"
        monkeypatch.setenv("ANNOTATOR_AUTHOR", "Grace Hopper")
        assert project.author == "Grace Hopper"
        author.choose("  Ada   Lovelace ")
        assert project.author == "Ada Lovelace"
        author.choose("")
        assert project.author == "Grace Hopper"


def test_default_name_suggests_the_environment_then_the_account(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert author.default_name() == author.account_name()
    monkeypatch.setenv("ANNOTATOR_AUTHOR", "Grace Hopper")
    assert author.default_name() == "Grace Hopper"
