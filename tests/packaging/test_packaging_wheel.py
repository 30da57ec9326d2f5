"""The wheel carries what lives outside src/: the migrations, the resources, the templates.

Built here with `python -m build --wheel` (a few seconds, hatchling from the pip cache);
`make wheel-check` goes further: sdist, wheel from the sdist, install into a fresh venv and
`annotator selftest` there.
"""

from __future__ import annotations

import fnmatch
import importlib.util
import subprocess
import sys
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(importlib.util.find_spec("build") is None, reason="`build` not installed")
def test_the_wheel_holds_migrations_resources_and_templates(
    tmp_path: Path, check_dist: ModuleType
) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    (wheel,) = tmp_path.glob("annotator-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "annotator/_db/env.py" in names
    assert fnmatch.filter(names, "annotator/_db/versions/*.py")
    assert fnmatch.filter(names, "annotator/_resources/icons/*")
    assert fnmatch.filter(names, "annotator/_resources/demo/*")
    assert check_dist.missing(names, check_dist.WHEEL_MUST_HAVE) == []
