"""Two windows or two processes on one project: both write, neither corrupts it, and each sees
the other's changes through `ExternalChangeWatcher.poll()`."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from crash_harness import HARNESS, setup_project

from annotator.services.api import Project
from annotator.services.changes import EntityRef
from annotator.services.check import check_project
from annotator.services.watch import ExternalChangeWatcher


def _writer(path: Path, prefix: str, count: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(HARNESS), "writer", str(path), prefix, str(count)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _claim(project: Project, claim_id: str) -> None:
    doc = project.documents()[0].id
    project.create_claim(doc, 10, 30, project.labels()[0].id, annotation_id=claim_id)


def test_two_windows_in_one_process_see_each_other(tmp_path: Path) -> None:
    path = tmp_path / "shared.annot"
    setup_project(path)
    with Project.open(path) as one, Project.open(path) as two:
        watch_one, watch_two = ExternalChangeWatcher(one), ExternalChangeWatcher(two)
        assert watch_one.poll() is None and watch_two.poll() is None
        _claim(two, "from-two")
        assert watch_two.poll() is None  # its own change
        seen = watch_one.poll()
        assert seen is not None and seen.added == (EntityRef("annotation", "from-two"),)
        assert seen.change_number == one.change_number()
        one.update_claim("from-two", note="edited in one")
        seen = watch_two.poll()
        assert seen is not None and seen.changed == (EntityRef("annotation", "from-two"),)
        assert two.annotation("from-two").note == "edited in one"
        assert watch_one.poll() is None
        watch_one.close()
        watch_two.close()


def test_a_watcher_does_not_read_the_outbox_of_its_own_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After this process's own commits (an import is one change number and thousands of
    outbox rows) a poll reads nothing: on the GUI thread, beside a busy indexer thread, that
    read of 2,500 rows stopped the window for 0.5-1 s."""
    path = tmp_path / "shared.annot"
    setup_project(path)
    with Project.open(path) as one, Project.open(path) as two:
        watcher = ExternalChangeWatcher(one)
        reads: list[int] = []
        plain = Project.changes_since

        def counted(self: Project, number: int) -> list[tuple[int, str, str, str]]:
            reads.append(number)
            return plain(self, number)

        monkeypatch.setattr(Project, "changes_since", counted)
        _claim(one, "mine-1")
        _claim(one, "mine-2")
        assert watcher.poll() is None
        assert reads == []
        _claim(two, "theirs")  # another writer's change, after one more of ours
        _claim(one, "mine-3")
        seen = watcher.poll()
        assert seen is not None and seen.added == (EntityRef("annotation", "theirs"),)
        assert len(reads) == 1
        assert watcher.poll() is None
        watcher.close()


def test_a_watcher_sees_another_process_claim_within_one_poll(tmp_path: Path) -> None:
    path = tmp_path / "shared.annot"
    setup_project(path)
    with Project.open(path) as project, ExternalChangeWatcher(project) as watcher:
        assert watcher.poll() is None
        other = _writer(path, "other", 1)
        out, err = other.communicate(timeout=120)
        assert other.returncode == 0, err
        assert out.split() == ["other-0"]
        seen = watcher.poll()
        assert seen is not None
        assert EntityRef("annotation", "other-0") in seen.added
        assert seen.change_number == project.change_number()
        assert project.annotation("other-0").tags  # and the data is there to refresh from
        assert watcher.poll() is None  # reported once
        _claim(project, "mine")
        assert watcher.poll() is None  # never our own changes
        # A change made and undone elsewhere between two polls cancels out; a delete shows.
        code = (
            "import sys\n"
            "from annotator.services.api import Project\n"
            "with Project.open(sys.argv[1]) as p:\n"
            "    p.create_claim(p.documents()[0].id, 0, 5, p.labels()[0].id,"
            " annotation_id='brief')\n"
            "    p.delete_claim('brief')\n"
            "    p.delete_claim('other-0')\n"
        )
        subprocess.run([sys.executable, "-c", code, str(path)], check=True, timeout=120)
        seen = watcher.poll()
        assert seen is not None and not seen.added
        assert EntityRef("annotation", "other-0") in seen.removed
        assert EntityRef("annotation", "brief") not in seen.removed


def test_two_processes_writing_at_once_never_corrupt_the_project(tmp_path: Path) -> None:
    path = tmp_path / "shared.annot"
    setup_project(path)
    count = 60
    with Project.open(path) as project, ExternalChangeWatcher(project) as watcher:
        writers = {prefix: _writer(path, prefix, count) for prefix in ("a", "b")}
        seen_added: set[str] = set()
        mine = []
        i = 0
        while any(w.poll() is None for w in writers.values()) or i < 30:
            claim = f"parent-{i}"
            _claim(project, claim)  # a third writer, in this process, all along
            mine.append(claim)
            i += 1
            changes = watcher.poll()
            if changes is not None:
                seen_added |= changes.ids("annotation") & {r.id for r in changes.added}
            time.sleep(0.01)
        results = {prefix: w.communicate(timeout=120) for prefix, w in writers.items()}
        final = watcher.poll()
        if final is not None:
            seen_added |= {r.id for r in final.added if r.entity == "annotation"}
    for prefix, (out, err) in results.items():
        assert writers[prefix].returncode == 0, err
        assert "locked" not in err and "busy" not in err
        assert out.split() == [f"{prefix}-{n}" for n in range(count)]
    others = {f"{p}-{n}" for p in ("a", "b") for n in range(count)}
    assert seen_added == others  # every claim of the others, none of ours
    with Project.open(path) as project:
        report = check_project(project)
        assert report.ok, report.problems
        ids = {a.id for a in project.annotations()}
        assert ids == others | set(mine)
        assert len(project.links()) == 2 * (count - 1)
        assert project.annotation("a-3").note == "edited by a"


def test_the_first_write_after_opening_does_not_wait_for_itself(tmp_path: Path) -> None:
    """Regression: reads inside a mutation (the author's name on the first claim) used to take
    BEGIN IMMEDIATE on a second connection and wait out the busy timeout on their own lock."""
    path = tmp_path / "shared.annot"
    setup_project(path)
    with Project.open(path) as project:
        started = time.monotonic()
        _claim(project, "first")
        assert time.monotonic() - started < 5.0  # the busy timeout is 10 s


def test_a_long_read_never_holds_up_another_process_writing(tmp_path: Path) -> None:
    """What the search indexer, `check` and exports should read through: `read_snapshot()`
    sees one consistent state while another process commits meanwhile."""
    path = tmp_path / "shared.annot"
    setup_project(path)
    with Project.open(path) as project, project.read_snapshot() as conn:
        before = conn.exec_driver_sql("SELECT count(*) FROM annotations").scalar()
        other = _writer(path, "other", 3)
        _, err = other.communicate(timeout=60)  # would wait out the busy timeout and fail
        assert other.returncode == 0, err
        assert conn.exec_driver_sql("SELECT count(*) FROM annotations").scalar() == before
    with Project.open(path) as project:
        assert project.annotation_count() == 3


def test_a_watcher_started_late_reports_what_came_after_the_view_it_follows(
    tmp_path: Path,
) -> None:
    """The window reads its claims, then starts the watcher once its first frame is painted:
    another program's commit in between reaches it (the watcher starts from the number the
    claims were read at), and this process's own commit in between is not reported back."""
    path = tmp_path / "shared.annot"
    setup_project(path)
    with Project.open(path) as mine, Project.open(path) as other:
        doc = mine.documents()[0].id
        label = mine.labels()[0].id
        read_at = mine.change_number()  # the store reads here
        own = mine.create_claim(doc, 0, 4, label)
        theirs = other.create_claim(doc, 5, 9, label)
        with ExternalChangeWatcher(mine, since=read_at, own=[own.change_number]) as watcher:
            seen = watcher.poll()
            assert seen is not None
            assert {ref.id for ref in seen.added} == {theirs.created_id}
            assert watcher.poll() is None
