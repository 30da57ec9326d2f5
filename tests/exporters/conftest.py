"""Fixtures of the report and interchange tests (the helpers are in export_helpers.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from export_helpers import AUTHOR, GOLDEN, UPDATE_GOLDEN, Fixed, fill_fixed, fill_samples

from annotator.services.api import Project


@pytest.fixture(autouse=True)
def pdf_printer() -> Iterator[None]:
    """The PDF printer the desktop part registers at its export entries (the dialog, the CLI)."""
    from annotator.exporters.pdf import register_renderer, registered_renderer
    from annotator.ui.pdf_export import html_to_pdf

    before = registered_renderer()
    register_renderer(html_to_pdf)
    yield
    register_renderer(before)


@pytest.fixture
def fixed(project: Project) -> Fixed:
    project.set_author(AUTHOR)
    return Fixed(project, fill_fixed(project))


@pytest.fixture
def golden() -> Callable[[str, str], None]:
    """`golden(name, text)`: compare with tests/exporters/golden/<name>; UPDATE_GOLDEN=1
    rewrites the file instead."""

    def check(name: str, text: str) -> None:
        path = GOLDEN / name
        if UPDATE_GOLDEN or not path.exists():
            GOLDEN.mkdir(exist_ok=True)
            path.write_bytes(text.encode("utf-8"))
            if not UPDATE_GOLDEN:
                pytest.fail(f"{name} did not exist; written now, check it and run again")
        expected = path.read_bytes().decode("utf-8")
        assert text == expected, f"{name} differs from the golden file (UPDATE_GOLDEN=1 renews it)"

    return check


@pytest.fixture
def fresh_project(tmp_path: Path) -> Iterator[Project]:
    p = Project.create(tmp_path / "fresh.annot")
    try:
        yield p
    finally:
        p.close()


@pytest.fixture
def samples_project(project: Project, own_samples: Path) -> Project:
    """The suite's two samples, twelve claims (each label several times) and two links."""
    fill_samples(project, own_samples)
    return project
