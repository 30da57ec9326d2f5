"""Cold start: a new process, from spawn to the main window painted with the demo project and
two documents open side by side, against a window of plain PySide6 widgets with the same content.

The app runs as the user runs it: `python -m annotator gui demo.annot --open 1 --open 2`.
Its end point is the first paint: with `--exit-after-paint` (when the gui command offers that
flag) the app prints the Unix time at which its first frame was painted, and the figure is that
time minus the time this process spawned it; shutting down is not counted. The baseline (and
the target: at most 2.0x) is the comparable window (`startup_scripts.COMPARABLE`: the menus,
the label toolbar, the library, the two texts side by side, the inspector, the claim list, the
legend; no app code, no storage), which prints the time of its own first paint, timed the same
way, interleaved run by run with the app and with a bare PySide6 window (a QPlainTextEdit).
Without the flag (an old checkout) the app and the bare window run to exit, the app ending with
`--screenshot FILE`, and the row has no target.

Detail rows:
- the comparable window against the bare one (what the same content costs in pure Qt);
- the project editable: from spawn until the project is open in the window (the app prints
  "editable <Unix time>" then): the first frame is painted from a read with sqlite3 alone and
  the project (SQLAlchemy, the services) opens right after it, so this is what a user waits
  before the first edit is taken;
- the window alone: in a process that has already imported every module of the app, the time
  to build the main window, open the demo project with its two documents as start-up does and
  paint the first frame, against the same in-process span of the bare window (build a
  QPlainTextEdit, paint).
  What the app adds to the bare window's whole start-up can be no less than the difference of
  the two, however fast its imports: it is the floor of the headline ratio (`floor` in the
  JSON, bare start-up plus that difference, over bare start-up);
- `import sqlalchemy.orm` against `python -c pass` (the storage library, on its own: what the
  first frame is painted without, and the project's opening after it pays);
- `annotator --version` (the CLI's start-up without Qt) against `python -c pass`.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

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
from benchmarks.startup_scripts import BARE, BARE_PAINTED, COMPARABLE, WINDOW_ONLY

NAME = "startup"
TITLE = "Cold start to the main window painted (subprocess)"
TARGET = Target(2.0, "ratio")
"""The app's cold start over the comparable pure-Qt window's, in the same run."""


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
        from annotator.app.demo import build_demo

        path = ctx.work / "demo.annot"
        build_demo(path).close()
        return path

    return ctx.cached("demo project", make)


def comparable_data(ctx: Context, demo: Path) -> Path:
    """The demo project's texts and claims as JSON, for the COMPARABLE window to show."""
    import json

    from annotator.services.api import Project

    path = ctx.work / "startup-comparable.json"
    with Project.open(demo) as project:
        labels = {label.id: label.name for label in project.labels()}
        docs = project.documents()
        titles = {d.id: d.title for d in docs}
        data = {
            "documents": [
                {
                    "title": d.title,
                    "byline": " · ".join([*d.authors, d.publisher]),
                    "text": project.document_text(d.id),
                }
                for d in docs
            ],
            "claims": [
                {
                    "label": labels.get(a.label_id, ""),
                    "quote": a.quote.exact,
                    "note": a.note,
                    "tags": ", ".join(a.tags),
                    "document": titles.get(a.document_id, ""),
                }
                for a in project.annotations()
            ],
        }
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def to_paint(args: list[str], env: dict[str, str]) -> float:
    """Milliseconds from spawning `python args` to the first paint it reports."""
    return to_events(args, env)["painted"]


def to_events(args: list[str], env: dict[str, str]) -> dict[str, float]:
    """Milliseconds from spawning `python args` to each moment it reports: "painted" (its
    first frame) and, for the app, "editable" (its project open: the window takes edits)."""
    spawned = time.time()
    _elapsed, out = run_python(args, env=env)
    events = {
        line.split()[0]: (float(line.split()[1]) - spawned) * 1000.0
        for line in out.splitlines()
        if line.startswith(("painted ", "editable "))
    }
    if "painted" not in events:
        raise RuntimeError(f"{' '.join(args[:4])}... never reported its first paint")
    return events


def window_only(which: str, demo: Path, env: dict[str, str]) -> float:
    """Milliseconds to build, open and paint `which` ("app" or "bare") in a process that has
    imported everything beforehand."""
    _elapsed, out = run_python(["-c", WINDOW_ONLY, which, str(demo)], env=env)
    line = next((ln for ln in out.splitlines() if ln.startswith("window ")), None)
    if line is None:
        raise RuntimeError(f"the {which} window never reported its first paint")
    return float(line.split()[1])


def compile_package() -> None:
    """Byte-compile the package, as installing a wheel does: an editable install under
    PYTHONDONTWRITEBYTECODE (set on some CI machines) would otherwise compile every module
    from source at every start, which is not what a user's start-up pays."""
    import compileall

    import annotator

    compileall.compile_dir(Path(annotator.__file__).parent, quiet=1)


def run(ctx: Context) -> list[Result]:
    compile_package()
    demo = demo_project(ctx)
    flag = exit_flag()
    png_app = ctx.work / "startup-app.png"
    png_bare = ctx.work / "startup-bare.png"
    env = child_env(ANNOTATOR_SETTINGS_DIR=str(ctx.work / "startup-settings"))
    app_args = ["-m", "annotator", "gui", str(demo), "--open", "1", "--open", "2"]
    n = ctx.repeats(10, 2)
    t_same: list[float] = []
    if flag:
        app_args.append(flag)
        data = comparable_data(ctx, demo)
        t_app, t_bare, t_editable = [], [], []
        for k in range(n + 1):  # the first round warms the file cache, and is dropped
            app_events = to_events(app_args, env)
            app_ms = app_events["painted"]
            if k and "editable" in app_events:
                t_editable.append(app_events["editable"])
            same_ms = to_paint(["-c", COMPARABLE, str(data)], env)
            bare_ms = to_paint(["-c", BARE_PAINTED], env)
            if k:
                t_app.append(app_ms)
                t_same.append(same_ms)
                t_bare.append(bare_ms)
        end = "--exit-after-paint (spawn to first frame)"
    else:
        app_args += ["--screenshot", str(png_app)]
        t_app, t_bare = interleaved(
            [
                lambda: run_python(app_args, env=env),
                lambda: run_python(["-c", BARE, str(png_bare)], env=env),
            ],
            n,
            budget=120,
        )
        end = "--screenshot (a PNG written, then exit)"
    bare_title = "bare PySide6 window with a QPlainTextEdit"
    if flag:
        headline = Result(
            NAME,
            "startup.app",
            "Cold start: main window painted with the demo project, 2 docs",
            "demo project",
            "ms",
            Stats.of(t_app),
            "pure-Qt window with the same content",
            Stats.of(t_same),
            TARGET,
            note=f"{Stats.of(t_app).median / Stats.of(t_bare).median:.2f}× the bare window",
            extra={"headline": True, "end_point": end},
        )
    else:
        headline = Result(
            NAME,
            "startup.app",
            "Cold start: main window painted with the demo project, 2 docs",
            "demo project",
            "ms",
            Stats.of(t_app),
            bare_title,
            Stats.of(t_bare),
            note="end point: " + end,
            extra={"headline": True, "end_point": end},
        )
    out = [headline]
    if flag:
        same, plain = Stats.of(t_same), Stats.of(t_bare)
        out.append(
            Result(
                NAME,
                "startup.comparable",
                "Cold start of a pure-Qt window with the same content (menus, toolbar, library, "
                "the two texts side by side, inspector, claim list; no app code, no storage)",
                "demo project",
                "ms",
                same,
                bare_title,
                plain,
                note=f"the app's cold start is {Stats.of(t_app).median / same.median:.2f}× "
                "this window's",
                extra={
                    "headline": False,
                    "app_over_comparable": round(Stats.of(t_app).median / same.median, 3),
                },
            )
        )
        if t_editable:
            out.append(
                Result(
                    NAME,
                    "startup.editable",
                    "Cold start until the project is open and takes edits (it opens right "
                    "after the first frame, which is painted from a read with sqlite3 alone)",
                    "demo project",
                    "ms",
                    Stats.of(t_editable),
                    "pure-Qt window with the same content, painted",
                    same,
                    note=f"{Stats.of(t_editable).median - Stats.of(t_app).median:.0f} ms "
                    "after the first frame",
                    extra={"headline": False},
                )
            )
        w_app, w_bare = [], []
        for k in range(n + 1):  # the first round is dropped, as above
            app_ms, bare_ms = window_only("app", demo, env), window_only("bare", demo, env)
            if k:
                w_app.append(app_ms)
                w_bare.append(bare_ms)
        app_window, bare_window = Stats.of(w_app), Stats.of(w_bare)
        bare_start = Stats.of(t_bare).median
        floor = (bare_start + app_window.median - bare_window.median) / bare_start
        out.append(
            Result(
                NAME,
                "startup.window",
                "The window alone: build, open the demo project, paint "
                "(every module imported before)",
                "demo project",
                "ms",
                app_window,
                "the same span for the bare window",
                bare_window,
                note=f"floor of the cold-start ratio, with imports free: {floor:.2f}×",
                extra={"headline": False, "floor": round(floor, 3)},
            )
        )
    t_sqla, t_pass = interleaved(
        [
            lambda: run_python(["-c", "import sqlalchemy.orm"], env=env),
            lambda: run_python(["-c", "pass"], env=env),
        ],
        ctx.repeats(10, 2),
        budget=60,
    )
    out.append(
        Result(
            NAME,
            "startup.sqlalchemy",
            "import sqlalchemy.orm alone (the storage library), spawn to exit",
            "–",
            "ms",
            Stats.of(t_sqla),
            "python -c pass",
            Stats.of(t_pass),
            extra={"headline": False},
        )
    )
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
