"""Helpers for the packaging tests: the repository's packaging/ folder and its scripts."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"


def load_script(name: str) -> ModuleType:
    """A script of packaging/ (not a package) imported as a module."""
    spec = importlib.util.spec_from_file_location(f"packaging_{name}", PACKAGING / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def check_bundle() -> ModuleType:
    return load_script("check_bundle")


@pytest.fixture(scope="session")
def check_dist() -> ModuleType:
    return load_script("check_dist")
