"""`annotator selftest`, in process: the service steps, the offscreen window, the command."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from annotator.app.selftest import (
    CORE_STEPS,
    SelfTestFailed,
    SelfTestState,
    Step,
    StepResult,
    run_selftest,
)
from annotator.cli.main import main


def test_core_steps_pass_and_leave_their_work_in_the_folder(tmp_path: Path) -> None:
    seen: list[StepResult] = []
    results = run_selftest(tmp_path, on_step=seen.append)
    assert [r.name for r in results] == [s.name for s in CORE_STEPS]
    assert all(r.ok for r in results), [r.detail for r in results if not r.ok]
    assert seen == results
    assert (tmp_path / "selftest.annot").is_file()
    assert "viertausend" in (tmp_path / "selftest-report.html").read_text("utf-8")
    assert (tmp_path / "search-index").is_dir()


def test_a_failing_step_stops_the_run_and_says_why(tmp_path: Path) -> None:
    def broken(state: SelfTestState) -> str:
        raise SelfTestFailed("The widget\nwould not paint.")

    def never(state: SelfTestState) -> str:
        raise AssertionError("must not run after a failure")

    results = run_selftest(tmp_path, [Step("broken", broken), Step("after", never)])
    assert [r.ok for r in results] == [True] * len(CORE_STEPS) + [False]
    assert results[-1].name == "broken"
    assert results[-1].detail == "The widget would not paint."


def test_an_unexpected_exception_is_a_failed_step_not_a_traceback(tmp_path: Path) -> None:
    def crash(state: SelfTestState) -> str:
        raise KeyError("missing")

    results = run_selftest(tmp_path, [Step("crash", crash)])
    assert results[-1] == StepResult("crash", False, "KeyError: 'missing'", results[-1].seconds)


def test_the_window_step_renders_offscreen(tmp_path: Path, qapp: object) -> None:
    from annotator.ui.selftest import WINDOW_PNG, WINDOW_STEP

    os.environ["ANNOTATOR_CACHE_DIR"] = str(tmp_path / "cache")
    try:
        results = run_selftest(tmp_path, [WINDOW_STEP])
    finally:
        os.environ.pop("ANNOTATOR_CACHE_DIR", None)
    assert results[-1].name == WINDOW_STEP.name
    assert results[-1].ok, results[-1].detail
    assert (tmp_path / WINDOW_PNG).stat().st_size > 10_000


def test_the_command_prints_a_line_per_step(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "kept"
    before = {k: os.environ.get(k) for k in ("ANNOTATOR_CACHE_DIR", "ANNOTATOR_SETTINGS_DIR")}
    assert main(["selftest", "--no-gui", "--keep", str(folder)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in out[: len(CORE_STEPS)]] == [
        f"✓ {s.name}" for s in CORE_STEPS
    ]
    assert out[-2] == "- desktop window (offscreen): skipped (--no-gui)"
    assert out[-1].startswith("Self-test passed:")
    assert (folder / "selftest-report.html").is_file()
    # nothing of the run leaks into the environment
    assert {k: os.environ.get(k) for k in before} == before


def test_the_command_refuses_a_folder_that_is_not_empty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "something").write_text("x")
    assert main(["selftest", "--no-gui", "--keep", str(tmp_path)]) == 2
    assert "--keep needs an empty or new folder" in capsys.readouterr().err
