"""Start-up with a project file: the window is painted from the project's first frame (read with
sqlite3 alone, `storage.first_frame`), and the project opens in its place right after that
frame is on screen (`MainWindow.open_at_start`). A real file, the real window and panels."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from app_helpers import LEFT_CLAIM, LEFT_TEXT, RIGHT_CLAIM, RIGHT_TEXT, Study

from annotator.domain.model import Relation
from annotator.services.api import Project
from file_locks import commits_stay_visible

TIMEOUT = 10_000


@pytest.fixture
def marked(study: Study) -> dict[str, str]:
    """The study with a claim in each document and a link between them; the claims' ids."""
    with Project.open(study.path) as project:
        sourced, disputed = project.labels()[0].id, project.labels()[1].id
        left = project.create_claim(study.left, *study.span(LEFT_TEXT, LEFT_CLAIM), disputed)
        right = project.create_claim(study.right, *study.span(RIGHT_TEXT, RIGHT_CLAIM), sourced)
        assert left.created_id and right.created_id
        project.create_link(right.created_id, left.created_id, Relation.CONTRADICTS)
        return {"left": left.created_id, "right": right.created_id}


@pytest.fixture
def unshown(qtbot) -> Iterator:  # type: ignore[no-untyped-def]
    """The real main window as start-up makes it for a project: built, not shown yet."""
    from annotator.ui.app import make_application
    from annotator.ui.main_window import MainWindow

    make_application()
    win = MainWindow(start_screen=False)
    qtbot.addWidget(win)
    yield win
    win.close()


def test_the_first_frame_shows_the_project_and_the_project_opens_in_its_place(
    unshown, study: Study, marked: dict[str, str], qtbot
) -> None:  # type: ignore[no-untyped-def]
    window = unshown
    assert window.open_at_start(study.path, ["1", "2"])
    # the frame, before the first paint: everything shows, nothing can be changed yet
    assert window.showing_first_frame() and window.project is None
    area = window.pane_area
    assert area.documents() == [study.left, study.right]
    assert marked["left"] in area.pane(0).view.claims and len(area.pane(0).view.claims) == 1
    assert marked["right"] in area.pane(1).view.claims and len(area.pane(1).view.claims) == 1
    assert area.pane(0).view.toPlainText().startswith("Harbour report")
    assert window.claims.model.rowCount() == 2
    assert window.library.model.rowCount() == 2
    assert window.store.claim_count() == 2 and window.store.labels()
    assert window.windowTitle() == "study.annot — Annotator"
    assert window.library_dock.isVisibleTo(window) and window.label_bar.isVisibleTo(window)
    assert not any(a.isEnabled() for a in window.window_actions.project_actions)
    assert window.claim_actions.create_claim(study.left, 0, 7, window.store.labels()[0].id) == ""

    window.show()
    qtbot.waitUntil(lambda: window.project is not None, timeout=TIMEOUT)
    assert not window.showing_first_frame()
    assert window.pane_area is area  # unchanged since the frame: the panes stayed
    assert area.project is window.project
    assert area.documents() == [study.left, study.right]
    assert marked["left"] in area.pane(0).view.claims and len(area.pane(0).view.claims) == 1
    assert window.claims.model.rowCount() == 2
    assert all(a.isEnabled() for a in window.window_actions.project_actions)
    # and it works as a project: a claim made now is saved
    label = window.store.labels()[0].id
    start, end = study.span(LEFT_TEXT, "Police counted")
    assert window.claim_actions.create_claim(study.left, start, end, label)
    qtbot.waitUntil(lambda: window.store.claim_count() == 3, timeout=TIMEOUT)
    with Project.open(study.path) as again:
        assert len(again.annotations()) == 3


def test_a_change_saved_between_the_frame_and_the_open_is_shown(
    unshown, study: Study, marked: dict[str, str], qtbot
) -> None:  # type: ignore[no-untyped-def]
    window = unshown
    assert window.open_at_start(study.path, ["1", "2"])
    frame_area = window.pane_area
    with Project.open(study.path) as other:  # another program writes meanwhile
        start, end = study.span(RIGHT_TEXT, "payroll records")
        added = other.create_claim(study.right, start, end, other.labels()[2].id).created_id
    window.show()
    qtbot.waitUntil(lambda: window.project is not None, timeout=TIMEOUT)
    assert window.pane_area is not frame_area  # shown anew from the project
    qtbot.waitUntil(lambda: added in window.pane_area.pane(1).view.claims, timeout=TIMEOUT)
    assert window.store.claim_count() == 3
    assert window.claims.model.rowCount() == 3


def test_a_file_spoilt_after_its_frame_was_read_says_so_and_shows_the_start_screen(
    unshown, study: Study, marked: dict[str, str], error_dialogs, qtbot
) -> None:  # type: ignore[no-untyped-def]
    window = unshown
    assert window.open_at_start(study.path, ["1"])
    assert window.showing_first_frame()
    study.path.write_bytes(b"this is no longer a project" * 100)
    window.show()
    qtbot.waitUntil(lambda: bool(error_dialogs), timeout=TIMEOUT)
    assert "study.annot" in error_dialogs[0][0]
    assert window.project is None and not window.showing_first_frame()
    assert window.pane_area is None
    assert window.central.currentWidget() is window.start_screen
    assert window.store.claim_count() == 0
    assert window.windowTitle() == "Annotator"


def test_a_file_of_an_older_schema_opens_the_usual_way(unshown, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import shutil

    old = tmp_path / "old.annot"
    fixtures = Path(__file__).parents[2] / "storage" / "fixtures"
    shutil.copy(fixtures / "project-0001.annot", old)
    window = unshown
    assert window.open_at_start(old)
    assert not window.showing_first_frame()
    assert window.project is not None  # upgraded and opened at once, as before


def test_without_documents_named_the_frame_shows_the_panes_as_they_were_left(
    unshown, window, study: Study, marked: dict[str, str], qtbot
) -> None:  # type: ignore[no-untyped-def]
    assert window.open_project(study.path, [study.right, study.left])
    window.close_project()  # the panes' state is saved as the project closes
    assert unshown.open_at_start(study.path)
    assert unshown.showing_first_frame()
    assert unshown.pane_area.documents()[:2] == [study.right, study.left]
    unshown.show()
    qtbot.waitUntil(lambda: unshown.project is not None, timeout=TIMEOUT)
    assert unshown.pane_area.documents()[:2] == [study.right, study.left]


def test_the_project_opened_after_its_frame_keeps_its_file_locks(
    unshown, study: Study, marked: dict[str, str], qtbot
) -> None:  # type: ignore[no-untyped-def]
    """Start-up with a frame leaves the process's locks on the file whole: another program
    closing the file does not delete the -wal the window goes on writing into
    (tests/reliability/test_file_locks.py). The frame's connection is closed before the
    project opens: no connection but the project's own is left on the file."""
    import sqlite3

    window = unshown
    assert window.open_at_start(study.path, ["1", "2"])
    frame = window.opening.frame
    window.show()
    qtbot.waitUntil(lambda: window.project is not None, timeout=TIMEOUT)
    with pytest.raises(sqlite3.ProgrammingError):
        frame._conn.execute("SELECT 1")
    commits_stay_visible(window.project, study.path)


def test_a_big_document_still_being_read_from_the_frame_shows_from_the_project(
    qtbot, tmp_path: Path, error_dialogs
) -> None:  # type: ignore[no-untyped-def]
    """A document too big to read before the first frame is prepared on the task runner. The
    frame's connection closes when the project opens: a read from it that fails then is no
    error (it was superseded), and the pane reads the document from the project instead."""
    from annotator.importers.base import ImportedText
    from annotator.storage.first_frame import FirstFrame
    from annotator.ui.app import make_application
    from annotator.ui.reader import PaneArea
    from annotator.ui.reader.loading import BACKGROUND_CHARS

    make_application()
    path = tmp_path / "big.annot"
    paragraph = "Harbour dues rose again this spring, the wharfingers said. "
    text = "\n\n".join([paragraph * 8] * (BACKGROUND_CHARS // (len(paragraph) * 8) + 10))
    with Project.create(path) as project:
        imported = ImportedText(text=text, format="text", title="Harbour ledger")
        doc = project.add_document(imported, text.encode(), "ledger.txt").created_id
    frame = FirstFrame.read(path, max_claims=2000)
    assert frame is not None and doc is not None
    area = PaneArea(frame)
    qtbot.addWidget(area)
    frame.close()  # as the window closes it: the read below can only fail
    area.open_document(doc, 0)
    assert not area.loading_done()  # on the task runner
    with Project.open(path) as opened:
        area.set_project(opened)  # before the failed read comes back
        qtbot.waitUntil(area.loading_done, timeout=TIMEOUT)
        qtbot.wait(50)  # the failed read's result, delivered after
        assert area.pane(0).view.toPlainText().startswith("Harbour dues")
    assert error_dialogs == []


def test_a_damaged_page_in_a_text_the_frame_shows_gives_the_usual_message(
    unshown, tmp_path: Path, error_dialogs
) -> None:  # type: ignore[no-untyped-def]
    """The frame reads labels, documents and claims, not the texts: a damaged page in a text a
    pane then reads drops the frame, and the usual open says the file is damaged (it raised a
    traceback before)."""
    from annotator.importers.base import ImportedText

    path = tmp_path / "damaged.annot"
    marker = "Wharfingers' ledger, page by page. " * 300
    with Project.create(path) as project:
        imported = ImportedText(text=marker, format="text", title="Ledger")
        project.add_document(imported, marker.encode(), "ledger.txt")
    data = bytearray(path.read_bytes())
    pages = {at // 4096 for at in range(len(data)) if data.startswith(b"Wharfingers'", at)}
    assert pages  # the text's pages (and the original's): spoilt
    for page in pages:
        data[page * 4096 : (page + 1) * 4096] = b"\xff" * 4096
    path.write_bytes(bytes(data))
    window = unshown
    assert not window.open_at_start(path, ["1"])
    assert not window.showing_first_frame() and window.project is None
    assert window.pane_area is None
    assert error_dialogs and "damaged" in error_dialogs[-1][0]


def test_a_frame_taken_off_before_its_project_opened_closes_its_connection(
    unshown, study: Study, marked: dict[str, str], qtbot
) -> None:  # type: ignore[no-untyped-def]
    import sqlite3

    window = unshown
    assert window.opening.show_first_frame(study.path, ["1", "2"])
    frame = window.opening.frame
    window.close_project()  # closing the window, or opening another project, meanwhile
    assert not window.showing_first_frame() and window.pane_area is None
    with pytest.raises(sqlite3.ProgrammingError):  # closed: the file is left to others
        frame._conn.execute("SELECT 1")
    window.show()
    qtbot.wait(100)  # the callback after the first paint finds no frame: nothing opens
    assert window.project is None


def test_a_mark_asked_for_while_the_frame_shows_is_refused_with_a_word(
    unshown, study: Study, marked: dict[str, str]
) -> None:  # type: ignore[no-untyped-def]
    window = unshown
    assert window.opening.show_first_frame(study.path, ["1", "2"])
    label = window.store.labels()[0].id
    assert window.claim_actions.create_claim(study.left, 0, 7, label) == ""
    assert "still opening" in window.statusBar().currentMessage()
