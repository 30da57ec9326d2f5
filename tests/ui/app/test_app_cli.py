"""`annotator gui`: screenshot mode in a real subprocess, errors, and a Qt-free command line."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from app_helpers import Study


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)  # the command must set it itself without a display
    env["ANNOTATOR_SETTINGS_DIR"] = str(tmp_path / "settings")
    env["XDG_STATE_HOME"] = str(tmp_path / "state")
    return env


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "annotator", *args],
        capture_output=True,
        text=True,
        env=_env(tmp_path),
        timeout=120,
        cwd=tmp_path,
    )


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def _demo_or_study(tmp_path: Path, study: Study) -> Path:
    try:
        from annotator.app.demo import build_demo
    except ImportError:
        return study.path
    path = tmp_path / "demo.annot"
    build_demo(path).close()
    return path


def test_screenshot_writes_a_png_of_the_window(tmp_path: Path, study: Study) -> None:
    project = _demo_or_study(tmp_path, study)
    shot = tmp_path / "shot.png"
    result = _run(
        tmp_path, "gui", str(project), "--open", "1", "--open", "2", "--screenshot", "shot.png"
    )
    assert result.returncode == 0, result.stderr
    assert _png_size(shot) == (1400, 850)
    assert shot.stat().st_size > 20_000  # a real picture, not an empty window
    assert not (tmp_path / "settings" / "annotator.ini").exists()  # the user's layout untouched


def test_screenshot_of_a_missing_project_fails_with_one_line(tmp_path: Path) -> None:
    result = _run(tmp_path, "gui", "missing.annot", "--screenshot", "shot.png")
    assert result.returncode == 1
    assert result.stderr.strip().startswith("annotator: ")
    assert "no such project file" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "shot.png").exists()


def test_open_needs_a_project(tmp_path: Path) -> None:
    result = _run(tmp_path, "gui", "--open", "1")
    assert result.returncode == 2
    assert "--open and --import need a PROJECT" in result.stderr


@pytest.mark.parametrize("args", [["--help"], ["docs", "--help"]])
def test_the_command_line_does_not_import_qt(tmp_path: Path, args: list[str]) -> None:
    code = (
        "import sys\n"
        "from annotator.cli.main import main\n"
        "try:\n"
        f"    main({args!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "assert 'PySide6' not in sys.modules, 'Qt imported'\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=_env(tmp_path)
    )
    assert result.returncode == 0, result.stderr
