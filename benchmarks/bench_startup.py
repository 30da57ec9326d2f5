"""Cold start: a new process, from spawn to the main window painted with the demo project and
two documents open side by side, against a bare PySide6 window with a QPlainTextEdit.

The app runs as the user runs it: `python -m annotator gui demo.annot --open 1 --open 2`.
Its end point is the first paint: with `--exit-after-paint` when the gui command offers that
flag, else `--screenshot FILE` (renders the window offscreen, writes the PNG and exits). The
baseline is a tiny script that imports PySide6, shows a QPlainTextEdit of the same size and,
like the app, paints it (grabs it to a PNG) and exits. Both are timed by this process from
spawn to exit, interleaved run by run. Detail row: `annotator --version` (the CLI's start-up
without Qt) against `python -c pass`.
"""

from __future__ import annotations

import subprocess
import sys

from benchmarks.bench_common import (
    ROOT,
    Context,
    Result,
    Stats,
    Target,
    child_env,
    interleaved,
    run_python,
)

NAME = "startup"
TITLE = "Cold start to the main window painted (subprocess)"
TARGET = Target(1.5, "ratio")

BARE = """
import sys
from PySide6.QtWidgets import QApplication, QPlainTextEdit
app = QApplication(sys.argv[:1])
w = QPlainTextEdit()
w.setPlainText("A bare window.\\n" * 40)
w.resize(1400, 850)
w.show()
for _ in range(10):
    app.processEvents()
if len(sys.argv) > 1:
    w.grab().save(sys.argv[1])
"""


def exit_flag() -> str | None:
    """`--exit-after-paint` when the gui command has it (the better end point)."""
    proc = subprocess.run(
        [sys.executable, "-m", "annotator", "gui", "--help"],
        capture_output=True,
        text=True,
        env=child_env(),
        cwd=ROOT,
        timeout=120,
    )
    return "--exit-after-paint" if "--exit-after-paint" in proc.stdout else None


def demo_project(ctx: Context):
    def make():
        from annotator.services.demo import build_demo

        path = ctx.work / "demo.annot"
        build_demo(path).close()
        return path

    return ctx.cached("demo project", make)


def run(ctx: Context) -> list[Result]:
    demo = demo_project(ctx)
    flag = exit_flag()
    png_app = ctx.work / "startup-app.png"
    png_bare = ctx.work / "startup-bare.png"
    env = child_env(ANNOTATOR_SETTINGS_DIR=str(ctx.work / "startup-settings"))
    app_args = ["-m", "annotator", "gui", str(demo), "--open", "1", "--open", "2"]
    app_args += [flag] if flag else ["--screenshot", str(png_app)]
    bare_args = ["-c", BARE, str(png_bare)]
    n = ctx.repeats(10, 2)
    t_app, t_bare = interleaved(
        [lambda: run_python(app_args, env=env), lambda: run_python(bare_args, env=env)],
        n,
        budget=120,
    )
    end = "--exit-after-paint" if flag else "--screenshot (a PNG written, then exit)"
    out = [
        Result(
            NAME,
            "startup.app",
            "Cold start: main window painted with the demo project, 2 docs",
            "demo project",
            "ms",
            Stats.of(t_app),
            "bare PySide6 window with a QPlainTextEdit",
            Stats.of(t_bare),
            TARGET,
            note="" if flag else "end point: " + end,
            extra={"headline": True, "end_point": end},
        )
    ]
    t_cli, t_python = interleaved(
        [
            lambda: run_python(["-m", "annotator", "--version"], env=env),
            lambda: run_python(["-c", "pass"], env=env),
        ],
        ctx.repeats(10, 2),
        budget=60,
    )
    out.append(
        Result(
            NAME,
            "startup.cli",
            "CLI start-up: annotator --version (no Qt)",
            "–",
            "ms",
            Stats.of(t_cli),
            "python -c pass",
            Stats.of(t_python),
            extra={"headline": False},
        )
    )
    return out
