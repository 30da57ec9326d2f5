"""Fixtures of the CLI tests: projects built through the real command, once per module."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_helpers import RATIONALWIKI, SAMPLES, WSWS, Run, copy_project, run_cli


@pytest.fixture
def cli() -> Run:
    return run_cli


@pytest.fixture
def samples() -> Path:
    if not (SAMPLES / WSWS).is_file() or not (SAMPLES / RATIONALWIKI).is_file():
        pytest.skip(f"the shared samples are not available ({SAMPLES} is absent)")
    return SAMPLES


@pytest.fixture(scope="module")
def samples_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project holding both real samples (rationalwiki = 1, wsws = 2), built once per module
    through the CLI. Tests that change it work on a copy (`sample_copy`)."""
    if not (SAMPLES / WSWS).is_file() or not (SAMPLES / RATIONALWIKI).is_file():
        pytest.skip(f"the shared samples are not available ({SAMPLES} is absent)")
    path = tmp_path_factory.mktemp("samples") / "samples.annot"
    assert run_cli("new", path).returncode == 0
    result = run_cli("import", path, SAMPLES / RATIONALWIKI, SAMPLES / WSWS)
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
