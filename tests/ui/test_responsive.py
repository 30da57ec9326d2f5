"""The UI stays responsive while a big document loads: no work that grows with the data may
block the event loop.

A 10 ms QTimer counts ticks while a 5 MB document with 5,000 claims opens in a reader pane (in a
bare PaneArea, and in the main window with its library and claim list); the longest gap
between two ticks, from the moment the open is requested until the document is shown with
all its claims, must stay under MAX_GAP_MS (a freeze: four times the 250 ms target that the
benchmarks measure). The data comes from the benchmarks' generator
(benchmarks/bench_data.py): paragraphs, non-ASCII text and emoji, claims with notes and tags,
links to a second document.
"""

from __future__ import annotations

import gc
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import sys
import time
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.bench_data import BenchProject, build_project  # noqa: E402
from benchmarks.bench_responsive import TARGET_MS, ManyClaims  # noqa: E402

from annotator.services.api import Project  # noqa: E402

MAX_GAP_MS = 4 * TARGET_MS
"""A pause this long is a freeze, whatever the machine's load. The 250 ms target itself is
measured by `make bench` (benchmarks/bench_responsive.py), not asserted here: a tight bound
fails on a busy machine (a run at 303 ms on a quiet one made the suite flaky)."""
TEXT_BYTES = 5_000_000
CLAIMS = 5_000


@pytest.fixture(scope="module")
def big_project(tmp_path_factory: pytest.TempPathFactory) -> BenchProject:
    path = tmp_path_factory.mktemp("responsive") / "big.annot"
    return build_project(
        path, [(TEXT_BYTES, CLAIMS), (200_000, 200), (2_000, 2)], links=200, cross_links=1_000
    )


def _longest_gap_while(qtbot, start, done, timeout_ms: int = 60_000) -> tuple[float, float]:
    """Run `start()` from the event loop and wait for `done()`; returns (longest gap between
    the ticks of a 10 ms timer, in ms, and the time until done, in ms)."""
    from PySide6.QtCore import QTimer

    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    try:
        qtbot.wait(100)
        began = time.perf_counter()
        ticks.append(began)
        QTimer.singleShot(0, start)
        qtbot.waitUntil(done, timeout=timeout_ms)
        finished = time.perf_counter()
        qtbot.wait(100)  # a load that finishes with one last long step shows up here
    finally:
        timer.stop()
    window = [t for t in ticks if t >= began]
    gaps = [(b - a) * 1000 for a, b in pairwise(window)]
    return max(gaps, default=0.0), (finished - began) * 1000


def _shown(view, doc_id: str, text: str) -> bool:
    """The whole text is in the view and every claim is indexed for highlighting."""
    return (
        view.document_id == doc_id
        and view.document().characterCount() - 1 >= len(text.encode("utf-16-le")) // 2
        and len(view.claims) >= CLAIMS
    )


def test_pane_area_stays_responsive_while_a_big_document_opens(qtbot, big_project) -> None:
    from annotator.ui.reader import PaneArea

    project = Project.open(big_project.path)
    try:
        doc = big_project.documents[0].id
        text = project.document_text(doc)
        area = PaneArea(project)
        qtbot.addWidget(area)
        area.resize(1200, 800)
        area.show()
        qtbot.waitExposed(area)
        gap, took = _longest_gap_while(
            qtbot,
            lambda: area.open_document(doc, 0),
            lambda: _shown(area.pane(0).view, doc, text),
        )
        assert gap < MAX_GAP_MS, (
            f"the event loop stood still for {gap:.0f} ms while the document opened "
            f"(open took {took:.0f} ms)"
        )
    finally:
        project.close()


def test_main_window_stays_responsive_while_a_big_document_opens(
    qtbot, big_project, tmp_path, monkeypatch
) -> None:
    monkeypatch.setenv("ANNOTATOR_SETTINGS_DIR", str(tmp_path / "settings"))
    from annotator.ui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(1400, 850)
    window.show()
    qtbot.waitExposed(window)
    project = Project.open(big_project.path)
    window.adopt_project(project, [big_project.documents[2].id])
    doc = big_project.documents[0].id
    text = project.document_text(doc)
    try:
        gap, took = _longest_gap_while(
            qtbot,
            lambda: window.open_document(doc, 0),
            lambda: _shown(window.pane_area.pane(0).view, doc, text),
        )
        assert gap < MAX_GAP_MS, (
            f"the event loop stood still for {gap:.0f} ms while the document opened "
            f"(open took {took:.0f} ms)"
        )
    finally:
        window.close_project()


@pytest.fixture
def frozen_heap() -> Iterator[None]:
    """As the app does once it is up (ui.app.run_app): what exists now is kept out of the
    cyclic collector's sight, so that a collection costs what the work made, not the whole test
    session's heap (a full collection of it, in a worker thread, holds the GIL for most of a
    second late in the suite)."""
    from annotator.ui.app import make_application

    make_application()  # the app's set-up: its garbage collection, its thread switching
    gc.collect()
    gc.freeze()
    yield
    gc.unfreeze()


@pytest.fixture(scope="module")
def report_project(tmp_path_factory: pytest.TempPathFactory) -> BenchProject:
    path = tmp_path_factory.mktemp("responsive-report") / "report.annot"
    return build_project(path, [(150_000, 600), (40_000, 100)], links=60, cross_links=60)


@pytest.mark.usefixtures("frozen_heap")
def test_the_export_dialog_keeps_the_window_turning(
    qtbot, report_project, tmp_path, monkeypatch
) -> None:
    """Opening the export dialog (its preview) and printing a PDF of 700 claims."""
    monkeypatch.setenv("ANNOTATOR_SETTINGS_DIR", str(tmp_path / "settings"))
    from annotator.ui.export_dialog import ExportDialog

    project = Project.open(report_project.path)
    dialogs: list[ExportDialog] = []
    try:
        gap, took = _longest_gap_while(
            qtbot,
            lambda: dialogs.append(ExportDialog(project)),
            lambda: bool(dialogs) and not dialogs[0].preview_pending(),
        )
        dialog = dialogs[0]
        qtbot.addWidget(dialog)
        assert "first 200 of 700 claims" in dialog.preview_note.text()
        assert gap < MAX_GAP_MS, f"the preview stopped the window for {gap:.0f} ms"

        dialog.set_format("pdf")
        out = tmp_path / "report.pdf"
        dialog.path_edit.setText(str(out))
        gap, took = _longest_gap_while(
            qtbot, dialog.start_export, lambda: dialog.export_result is not None
        )
        assert out.read_bytes().startswith(b"%PDF")
        assert gap < MAX_GAP_MS, (
            f"printing the PDF stopped the window for {gap:.0f} ms (it took {took:.0f} ms)"
        )
    finally:
        for dialog in dialogs:
            dialog.done(0)
        project.close()


@pytest.fixture(scope="module")
def import_project(tmp_path_factory: pytest.TempPathFactory) -> BenchProject:
    path = tmp_path_factory.mktemp("responsive-import") / "import.annot"
    return build_project(path, [(300_000, 2_000), (60_000, 500)], links=100, cross_links=100)


@pytest.mark.usefixtures("frozen_heap")
def test_importing_annotations_keeps_the_window_turning(
    qtbot, import_project, tmp_path, monkeypatch
) -> None:
    """File > Import annotations… with the 2,500 claims of a W3C export, into a copy of the
    project that has none (each claim re-anchored in its document), until the claim list
    shows them and the search index has them too. Before, the window stood still for 0.3-1 s
    here: the watcher for other writers read the import's 2,500 outbox rows on the GUI thread,
    and then, for 150-400 ms, the indexer thread's tokenising and Whoosh commit starved the
    window of the GIL; a batch this big is now indexed by a worker process."""
    import shutil
    import sqlite3

    monkeypatch.setenv("ANNOTATOR_SETTINGS_DIR", str(tmp_path / "settings"))
    from annotator.exporters import export_report
    from annotator.ui.import_annotations_dialog import import_annotations_file
    from annotator.ui.main_window import MainWindow

    annotations = tmp_path / "claims.jsonld"
    with Project.open(import_project.path, readonly=True) as source:
        export_report(source, "jsonld", annotations)
    empty = tmp_path / "empty.annot"
    shutil.copyfile(import_project.path, empty)
    conn = sqlite3.connect(empty)
    with conn:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("DELETE FROM links")
        conn.execute("DELETE FROM annotations")
    conn.close()

    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.open_project(empty)
    qtbot.waitUntil(lambda: window.session.search is not None, timeout=30_000)
    search = window.session.search
    dialogs: list[object] = []
    target: list[int] = []

    def done() -> bool:
        """Polled every 10 ms: reads the project once, when the import is in."""
        if not dialogs or not dialogs[0].done:  # type: ignore[attr-defined]
            return False
        if window.claims.model.rowCount() != 2_500 or window.project is None:
            return False
        if not target:
            target.append(window.project.change_number())
        return bool(search.applied_change >= target[0])

    try:
        gap, took = _longest_gap_while(
            qtbot,
            lambda: dialogs.append(import_annotations_file(window, annotations)),
            done,
        )
        assert dialogs[0].dialog is not None  # type: ignore[attr-defined]
        assert len(window.project.annotations()) == 2_500
        assert gap < MAX_GAP_MS, (
            f"importing annotations stopped the window for {gap:.0f} ms (it took {took:.0f} ms)"
        )
    finally:
        for job in dialogs:
            if job.dialog is not None:  # type: ignore[attr-defined]
                job.dialog.close()  # type: ignore[attr-defined]
        window.close_project()


@pytest.mark.slow
@pytest.mark.usefixtures("frozen_heap")
def test_filtering_a_hundred_thousand_claims_keeps_the_window_turning(qtbot) -> None:
    """Loading 100,000 claims into the claim list (read, sorted and counted on the task
    runner), and each filter change over them (worked out there too: a proxy's per-row test
    held the window 0.3-1.2 s a change at this size), typed faster than a pass takes."""
    from PySide6.QtCore import QTimer

    from annotator.ui.claim_list import ClaimListPanel
    from annotator.ui.claim_store import ClaimStore

    project = ManyClaims(100_000)
    store = ClaimStore()
    panel = ClaimListPanel(store)
    qtbot.addWidget(panel)
    panel.resize(1200, 400)
    panel.show()
    qtbot.waitExposed(panel)

    def settled() -> bool:
        return not store.reading() and not panel.proxy.busy()

    loading: list[bool] = []

    def load() -> None:
        store.set_project(project)  # type: ignore[arg-type]
        loading.append(True)

    load_gap, load_took = _longest_gap_while(qtbot, load, lambda: bool(loading) and settled())
    assert panel.proxy.rowCount() == 100_000
    steps = ["p", "pa", "party", "party u", "", "harbour"]
    typed: list[str] = []

    def type_next() -> None:
        if steps:
            typed.append(steps.pop(0))
            panel.proxy.set_text(typed[-1])
            QTimer.singleShot(30, type_next)  # the next key before the pass is done
        else:
            panel.proxy.set_label("l1")
            typed.append("label")

    gap, took = _longest_gap_while(qtbot, type_next, lambda: typed[-1:] == ["label"] and settled())
    gap, took = max(gap, load_gap), took + load_took
    model = panel.model
    expected = [
        c.id for c in model.claims() if c.label_id == "l1" and "harbour" in model.haystack(c)
    ]
    assert [panel.proxy.claim_at(r).id for r in range(panel.proxy.rowCount())] == expected
    assert gap < MAX_GAP_MS, (
        f"the event loop stood still for {gap:.0f} ms while 100,000 claims were filtered "
        f"(loading them and seven filters took {took:.0f} ms)"
    )
