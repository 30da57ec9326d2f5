"""Fixtures of the CLI tests: projects built through the real command, once per module."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_helpers import ARTICLE, SAMPLES, WIKI, Run, copy_project, run_cli


@pytest.fixture
def cli() -> Run:
    return run_cli


@pytest.fixture
def samples() -> Path:
    return SAMPLES


@pytest.fixture(scope="module")
def samples_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project holding the suite's two samples (the wiki article = 1, the Markdown article =
    2), built once per module through the CLI. Tests that change it work on a copy
    (`sample_copy`)."""
    path = tmp_path_factory.mktemp("samples") / "samples.annot"
    assert run_cli("new", path).returncode == 0
    result = run_cli("import", path, SAMPLES / WIKI, SAMPLES / ARTICLE)
    assert result.returncode == 0, result.stderr
    return path


@pytest.fixture
def sample_copy(samples_project: Path, tmp_path: Path) -> Path:
    return copy_project(samples_project, tmp_path / "copy.annot")


@pytest.fixture(scope="module")
def demo_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.annot"
    result = run_cli("demo", path)
    assert result.returncode == 0, result.stderr
    return path


@pytest.fixture
def demo_copy(demo_project: Path, tmp_path: Path) -> Path:
    return copy_project(demo_project, tmp_path / "demo.annot")
