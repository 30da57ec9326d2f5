"""The reader in the real app: opening a big document, creating a claim, scrolling.

Every figure is taken in the real main window (`MainWindow`, two panes, the library, the
inspector and the claim list docked), on a generated project with a document of 10 KB, 1 MB or
10 MB (about one claim per KB) open in the left pane and a tenth-size document in the right
pane, with many of the left claims linked to right ones so that connectors are drawn. The same
steps in a bare `PaneArea` (the reader without the shell) are reported as detail rows: the
difference between the two is what the shell costs.

The main window is measured once its search index is up (a generated project's index is built
in the background first; measuring during that build would time the two cores' sharing).

- open: `open_document` until the text is highlighted, laid out in view and painted
  (`processEvents` + `viewport().repaint()`); baseline: `QPlainTextEdit.setPlainText` of the
  same text in a bare widget of the same size, then the same processing and repaint.
- create a claim: select a phrase in view, send the label key ("1") to the view, then
  `processEvents` + `viewport().repaint()`: the claim is committed to the project file (checked)
  and painted. Baseline: a key press typed into a bare editable QPlainTextEdit with the same
  text and painted, plus one durable SQLite INSERT (WAL, synchronous=FULL): the floor of "a
  key press, painted and saved".
- scroll: with synchronised scrolling on (the right pane follows so that linked claims stay
  level, and connectors are in view), page down (`setValue(value + pageStep)`), then
  `viewport().repaint()` of both panes and `repaint()` of the link gutter, then
  `processEvents`: one frame, first visit of every page (highlights are applied lazily as pages
  come into view). Baseline: the same frames in a bare QPlainTextEdit holding the same text.
"""

from __future__ import annotations

import os
import random
import sqlite3
import time
from pathlib import Path
from typing import Any

from benchmarks.bench_common import Context, Result, Stats, Target, interleaved, qt_app, settle
from benchmarks.bench_data import BenchProject, build_project, size_name

NAME = "reader"
TITLE = "Reader: open, create a claim, scroll (main window, two linked panes)"

FULL_SIZES = ((10_000, 10), (1_000_000, 1_000), (10_000_000, 10_000))
QUICK_SIZES = ((100_000, 100),)
HEADLINE = 10_000_000
OPEN_TARGET = Target(1.5, "ratio")
CREATE_TARGET = Target(30.0, "abs")
SCROLL_TARGET = Target(16.0, "abs", "p95")
VIEW_SIZE = (1400, 850)
BUDGET = 40.0
"""Seconds one measurement may take before it stops repeating (after a few runs)."""


def reader_project(ctx: Context, n_bytes: int, claims: int) -> BenchProject:
    """Left document `n_bytes` with `claims` claims, right one a tenth of both, a tiny third
    one to switch to; a third of the left claims linked to right claims; the texts carry
    formatting (headings, emphasis) as a Markdown source would."""

    def make() -> BenchProject:
        path = ctx.work / f"reader-{n_bytes}.annot"
        right = (max(10_000, n_bytes // 10), max(10, claims // 10))
        return build_project(
            path,
            [(n_bytes, claims), right, (2_000, 2)],
            links=claims // 20,
            cross_links=max(5, claims // 3),
            seed=n_bytes % 97 + 1,
            formatted=True,
        )

    return ctx.cached(f"reader project {size_name(n_bytes)}", make)


def run(ctx: Context) -> list[Result]:
    results: list[Result] = []
    sizes = QUICK_SIZES if ctx.quick else FULL_SIZES
    for n_bytes, claims in sizes:
        bp = reader_project(ctx, n_bytes, claims)
        ctx.log(f"  {size_name(n_bytes)}, {claims:,} claims")
        results += _run_size(ctx, bp, n_bytes, claims)
    return results


def _run_size(ctx: Context, bp: BenchProject, n_bytes: int, claims: int) -> list[Result]:
    app = qt_app()
    from annotator.services.api import Project

    size = f"{size_name(n_bytes)}, {claims:,} claims"
    headline = ctx.quick or n_bytes == HEADLINE
    left, right, tiny = (d.id for d in bp.documents)
    project = Project.open(bp.path)
    text = project.document_text(left)
    out: list[Result] = []
    try:
        window = _main_window(app, project)
        area = window.pane_area
        window.open_document(right, 1)
        window.open_document(left, 0)
        _until_shown(app, area)
        settle(app)
        view = area.pane(0).view
        view_size = view.size()

        # -- open ------------------------------------------------------------------------
        def open_app() -> None:
            window.open_document(left, 0)
            _until_shown(app, area)
            view.viewport().repaint()

        bare = _bare_editor(app, view_size)

        def open_bare() -> None:
            bare.setPlainText(text)
            app.processEvents()
            bare.viewport().repaint()

        n = ctx.repeats(7 if n_bytes >= 1_000_000 else 15, 2)
        t_app, t_bare = interleaved(
            [open_app, open_bare],
            n,
            resets=[lambda: _switch(window, app, tiny), lambda: _clear(bare, app)],
            budget=BUDGET,
        )
        out.append(
            Result(
                NAME,
                f"reader.open.{size_name(n_bytes)}",
                "Open a document, highlighted and ready to scroll (app)",
                size,
                "ms",
                Stats.of(t_app),
                "QPlainTextEdit.setPlainText of the same text",
                Stats.of(t_bare),
                OPEN_TARGET if headline else None,
                extra={"headline": headline},
            )
        )

        # -- create a claim -----------------------------------------------------------------
        window.open_document(left, 0)
        settle(app)
        rng = random.Random(5)
        before = project.annotation_count()
        n = ctx.repeats(25, 3)
        db = _SqliteFloor(ctx.work / f"floor-{n_bytes}.sqlite")
        editable = _bare_editor(app, view_size, read_only=False)
        editable.setPlainText(text)
        settle(app)

        def create_app() -> None:
            _press(app, view, "1")
            app.processEvents()
            view.viewport().repaint()

        def create_floor() -> None:
            _press(app, editable, "x")
            app.processEvents()
            editable.viewport().repaint()
            db.insert()

        t_create: list[float] = []
        t_floor: list[float] = []
        started = time.perf_counter()
        for k in range(n):
            if k >= 5 and time.perf_counter() - started > BUDGET:
                break
            _select_phrase(app, view, text, rng)
            t_create.append(_timed(create_app))
            t_floor.append(_timed(create_floor))
        created = project.annotation_count() - before
        n = len(t_create)
        note = "" if created == n else f"only {created} of {n} key presses created a claim"
        out.append(
            Result(
                NAME,
                f"reader.create.{size_name(n_bytes)}",
                "Create a claim with a key press, committed and painted (app)",
                size,
                "ms",
                Stats.of(t_create),
                "key press painted in QPlainTextEdit + one SQLite commit",
                Stats.of(t_floor),
                CREATE_TARGET if headline else None,
                note=note,
                extra={"headline": headline},
            )
        )

        # -- scroll --------------------------------------------------------------------------
        frames = ctx.repeats(80, 8)
        # Synchronised scrolling: the right pane follows, keeping linked claims level, so
        # connectors are in view and each frame repaints both panes and the gutter.
        area.set_sync_scroll(True)
        other = area.pane(1).view
        t_scroll, connectors = _scroll_frames(app, view, area.gutter(0), frames, other)
        area.set_sync_scroll(False)
        bare.setPlainText(text)
        settle(app)
        t_scroll_bare, _ = _scroll_frames(app, bare, None, frames)
        out.append(
            Result(
                NAME,
                f"reader.scroll.{size_name(n_bytes)}",
                "Scroll a page: one frame with highlights and link connectors (app)",
                size,
                "ms",
                Stats.of(t_scroll),
                "the same frames in a bare QPlainTextEdit",
                Stats.of(t_scroll_bare),
                SCROLL_TARGET if headline else None,
                extra={"headline": headline, "connectors_per_frame": connectors},
            )
        )
        window.close()
        window.deleteLater()
        for w in (bare, editable):
            w.close()
            w.deleteLater()
        settle(app)
        db.close()
    finally:
        project.close()

    out += _reader_only(ctx, app, bp, n_bytes, claims, text, view_size)
    return out


def _reader_only(
    ctx: Context, app: Any, bp: BenchProject, n_bytes: int, claims: int, text: str, view_size: Any
) -> list[Result]:
    """The same open and create steps in a bare PaneArea with the services (no shell)."""
    from annotator.services.api import Project
    from annotator.ui.reader import PaneArea

    size = f"{size_name(n_bytes)}, {claims:,} claims"
    left, right, tiny = (d.id for d in bp.documents)
    project = Project.open(bp.path)
    out: list[Result] = []
    try:
        area = PaneArea(project)
        area.resize(*VIEW_SIZE)
        area.show()
        area.createClaimRequested.connect(lambda d, s, e, lab: project.create_claim(d, s, e, lab))
        unsubscribe = project.subscribe(area.apply_changes)
        area.open_document(right, 1)
        area.open_document(left, 0)
        _until_shown(app, area)
        settle(app)
        view = area.pane(0).view
        bare = _bare_editor(app, view.size())

        def open_area() -> None:
            area.open_document(left, 0)
            _until_shown(app, area)
            view.viewport().repaint()

        def open_bare() -> None:
            bare.setPlainText(text)
            app.processEvents()
            bare.viewport().repaint()

        n = ctx.repeats(7 if n_bytes >= 1_000_000 else 15, 2)
        t_area, t_bare = interleaved(
            [open_area, open_bare],
            n,
            resets=[lambda: (area.open_document(tiny, 0), settle(app)), lambda: _clear(bare, app)],
            budget=BUDGET,
        )
        out.append(
            Result(
                NAME,
                f"reader.open-pane.{size_name(n_bytes)}",
                "Open a document (reader panes only, no shell)",
                size,
                "ms",
                Stats.of(t_area),
                "QPlainTextEdit.setPlainText of the same text",
                Stats.of(t_bare),
                extra={"headline": False},
            )
        )
        area.open_document(left, 0)
        settle(app)
        rng = random.Random(9)
        t_create: list[float] = []
        started = time.perf_counter()
        for k in range(ctx.repeats(25, 3)):
            if k >= 5 and time.perf_counter() - started > BUDGET:
                break
            _select_phrase(app, view, text, rng)

            def create() -> None:
                _press(app, view, "1")
                app.processEvents()
                view.viewport().repaint()

            t_create.append(_timed(create))
        out.append(
            Result(
                NAME,
                f"reader.create-pane.{size_name(n_bytes)}",
                "Create a claim (reader panes + Project.create_claim, no shell)",
                size,
                "ms",
                Stats.of(t_create),
                extra={"headline": False},
            )
        )
        unsubscribe()
        area.close()
        area.deleteLater()
        bare.close()
        bare.deleteLater()
        settle(app)
    finally:
        project.close()
    return out


# -- helpers --------------------------------------------------------------------------------


def _main_window(app: Any, project: Any) -> Any:
    from annotator.ui.main_window import MainWindow

    window = MainWindow()
    window.resize(*VIEW_SIZE)
    window.show()
    window.adopt_project(project, [])
    settle(app)
    # The project was just generated, so its search index is being built (in a low-priority
    # process, after the first paint). Measure the steady state a user works in, not the few
    # seconds of a first build competing for the two cores: wait until search is up.
    deadline = time.perf_counter() + 600
    while not getattr(window.session, "ready", True) and time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.02)
    settle(app)
    return window


def _bare_editor(app: Any, size: Any, read_only: bool = True) -> Any:
    from PySide6.QtWidgets import QPlainTextEdit

    edit = QPlainTextEdit()
    edit.setReadOnly(read_only)
    edit.resize(size)
    edit.show()
    settle(app)
    return edit


def _switch(window: Any, app: Any, doc_id: str) -> None:
    window.open_document(doc_id, 0)
    _until_shown(app, window.pane_area)
    settle(app)


def _until_shown(app: Any, area: Any, timeout_s: float = 120.0) -> None:
    """Let the event loop run until every pane shows the document asked for: a big document
    is prepared on the task runner and shown when it is ready (its open is not done when
    `open_document` returns)."""
    from PySide6.QtCore import QEventLoop

    deadline = time.perf_counter() + timeout_s
    app.processEvents()
    while not area.loading_done():
        if time.perf_counter() > deadline:
            raise RuntimeError("a document never finished opening")
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)


def _clear(edit: Any, app: Any) -> None:
    edit.clear()
    settle(app)


def _timed(fn: Any) -> float:
    import gc

    gc.collect()
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000.0


def _press(app: Any, widget: Any, key_text: str) -> None:
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent

    key = Qt.Key(ord(key_text.upper()))
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        app.sendEvent(widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, key_text))


def _select_phrase(app: Any, view: Any, text: str, rng: random.Random) -> None:
    """Scroll somewhere (not measured) and select a few words in view."""
    from PySide6.QtGui import QTextCursor

    offset = rng.randrange(0, max(1, len(text) - 200))
    view.scroll_to_offset(offset)
    settle(app, 2)
    start = text.find(" ", offset) + 1
    end = start
    for _ in range(rng.randint(3, 8)):
        nxt = text.find(" ", end + 1)
        end = nxt if nxt > 0 else len(text)
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.to_qt(start))
    cursor.setPosition(view.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)
    settle(app, 2)


def _scroll_frames(
    app: Any, edit: Any, gutter: Any, frames: int, other: Any = None
) -> tuple[list[float], float]:
    """Page down `frames` times from a tenth of the way in; milliseconds per frame and the
    mean number of connectors drawn."""
    bar = edit.verticalScrollBar()
    bar.setValue(bar.maximum() // 10)
    settle(app)
    out: list[float] = []
    drawn = 0
    for _ in range(frames):
        if bar.value() >= bar.maximum():
            bar.setValue(bar.maximum() // 10)
            settle(app)
        t0 = time.perf_counter()
        bar.setValue(bar.value() + bar.pageStep())
        edit.viewport().repaint()
        if other is not None:
            other.viewport().repaint()
        if gutter is not None:
            gutter.repaint()
        app.processEvents()
        out.append((time.perf_counter() - t0) * 1000.0)
        if gutter is not None:
            drawn += len(gutter.connectors())
    return out, drawn / max(1, frames)


class _SqliteFloor:
    """One durable INSERT per call, as the project file commits (WAL, synchronous=FULL)."""

    def __init__(self, path: Path) -> None:
        if path.exists():
            os.remove(path)
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, note TEXT)")
        self.n = 0

    def insert(self) -> None:
        self.n += 1
        self.db.execute("BEGIN IMMEDIATE")
        self.db.execute("INSERT INTO t (note) VALUES (?)", (f"claim {self.n}",))
        self.db.execute("COMMIT")

    def close(self) -> None:
        self.db.close()


__all__ = ["NAME", "TITLE", "reader_project", "run"]
