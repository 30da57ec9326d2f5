"""Peak memory (RSS) with the 10 MB document and its 10,000 claims open in the real app.

A child process (`python -m benchmarks.bench_memory child app PROJECT`) builds the real main
window, opens the project with the big document in the left pane and the linked one in the
right pane, paints, pages through 30 screens (so highlights are formatted and connectors drawn)
and prints its peak resident set size (VmHWM on Linux, else `ru_maxrss`). The baseline child does
the same with a bare QPlainTextEdit holding the same text (same imports of PySide6).
"""

from __future__ import annotations

import json
import sys

from benchmarks.bench_common import Context, Result, Stats, Target, run_python
from benchmarks.bench_data import size_name

NAME = "memory"
TITLE = "Peak memory with the big document and its claims open (subprocess)"
TARGET = Target(500.0, "abs", "p95")
PAGES = 30


def run(ctx: Context) -> list[Result]:
    from benchmarks.bench_reader import FULL_SIZES, QUICK_SIZES, reader_project

    n_bytes, claims = (QUICK_SIZES if ctx.quick else FULL_SIZES)[-1]
    bp = reader_project(ctx, n_bytes, claims)
    app_mb: list[float] = []
    bare_mb: list[float] = []
    phases: list[dict[str, float]] = []
    for _ in range(ctx.repeats(3, 1)):
        peak, app_phases = _child("app", str(bp.path))
        app_mb.append(peak)
        phases.append(app_phases)
        bare_mb.append(_child("bare", str(bp.path))[0])
    return [
        Result(
            NAME,
            "memory.peak",
            "Peak RSS: main window, big document + linked one open",
            f"{size_name(n_bytes)}, {claims:,} claims",
            "MB",
            Stats.of(app_mb),
            "bare QPlainTextEdit with the same text",
            Stats.of(bare_mb),
            TARGET,
            extra={"headline": True, "peak_by_phase": phases},
        )
    ]


def _child(mode: str, project: str) -> tuple[float, dict[str, float]]:
    _ms, out = run_python(["-m", "benchmarks.bench_memory", "child", mode, project], timeout=600)
    data = json.loads(out.strip().splitlines()[-1])
    return float(data["peak_mb"]), data["phases"]


# -- the child --------------------------------------------------------------------------------


def child(mode: str, project_path: str) -> None:
    import os
    import tempfile

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["ANNOTATOR_SETTINGS_DIR"] = tempfile.mkdtemp(prefix="bench-mem-")
    from benchmarks.bench_common import qt_app, rss_mb, settle

    phases: dict[str, float] = {}
    app = qt_app()
    from annotator.services.api import Project

    phases["imports"] = rss_mb()
    project = Project.open(project_path)
    docs = [d.id for d in project.documents()]
    phases["project open"] = rss_mb()
    if mode == "app":
        from annotator.ui.main_window import MainWindow

        window = MainWindow()
        window.resize(1400, 850)
        window.show()
        phases["window"] = rss_mb()
        window.adopt_project(project, [docs[0], docs[1]])
        from PySide6.QtCore import QEventLoop

        while not window.pane_area.loading_done():  # the big document is read off the GUI
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)  # thread
        settle(app, 5)
        phases["documents open"] = rss_mb()
        view = window.pane_area.pane(0).view
        bar = view.verticalScrollBar()
        for _ in range(PAGES):
            bar.setValue(bar.value() + bar.pageStep())
            view.viewport().repaint()
            window.pane_area.gutter(0).repaint()
            app.processEvents()
    else:
        from PySide6.QtWidgets import QPlainTextEdit

        text = project.document_text(docs[0])
        project.close()
        edit = QPlainTextEdit()
        edit.setReadOnly(True)
        edit.resize(600, 780)
        edit.show()
        edit.setPlainText(text)
        del text
        settle(app, 5)
        phases["document open"] = rss_mb()
        bar = edit.verticalScrollBar()
        for _ in range(PAGES):
            bar.setValue(bar.value() + bar.pageStep())
            edit.viewport().repaint()
            app.processEvents()
    phases["scrolled"] = rss_mb()
    print(json.dumps({"peak_mb": rss_mb(), "phases": phases}))
    sys.stdout.flush()
    os._exit(0)  # the peak is known: skip the teardown


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "child":
        child(sys.argv[2], sys.argv[3])
    else:
        sys.exit("usage: python -m benchmarks.bench_memory child app|bare PROJECT")
