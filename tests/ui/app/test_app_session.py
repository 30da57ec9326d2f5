"""The project session without any window: it opens a project, relays its changes (its own and
another program's) to the claim store, runs search, backups and the watcher, and stops them all
before the project closes."""

from __future__ import annotations

from app_helpers import LEFT_TEXT, Study, reopen
from PySide6.QtWidgets import QApplication

from annotator.ui.session import ProjectSession


def test_a_session_lives_without_widgets(qtbot, study: Study) -> None:  # type: ignore[no-untyped-def]
    from annotator.ui.app import make_application

    make_application()
    before = set(QApplication.allWidgets())
    session = ProjectSession()
    opened: list[object] = []
    applied: list[object] = []
    session.projectOpened.connect(opened.append)
    session.changesApplied.connect(applied.append)
    project = session.open_file(study.path)
    session.adopt(project)
    assert opened == [project] and session.project is project
    assert not [w for w in QApplication.allWidgets() if w not in before]  # no widget made
    assert session.store.documents() and session.store.claim_count() == 0

    with qtbot.waitSignal(session.servicesStarted, timeout=30000):
        session.start_services(project)
    assert session.ready and session.search is not None and session.watcher is not None
    session.wait_for_backup()

    start = LEFT_TEXT.index("Harbour")
    label = project.labels()[0].id
    project.create_claim(study.left, start, start + 7, label)  # this process
    assert len(applied) == 1 and session.store.claim_count() == 1
    with reopen(study.path) as other:  # another program
        other.create_claim(study.left, 0, 7, label)
    assert session.poll_watcher() is not None
    assert len(applied) == 2 and session.store.counts() == project.claim_counts()

    closed: list[int] = []
    session.projectClosed.connect(lambda: closed.append(1))
    session.close()
    assert closed == [1] and session.project is None
    assert session.search is None and session.watcher is None
    assert not session.watch_timer.isActive() and not session.backup_timer.isActive()
    assert session.store.claim_count() == 0
