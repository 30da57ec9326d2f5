"""Automatic backups: consistent verified snapshots, pruning, the scheduler, restoring (also a
project too damaged to be opened), and the `annotator backup` / `annotator restore` commands."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from annotator.cli.main import main
from annotator.services import backup
from annotator.services.api import Project
from annotator.services.backup import (
    BackupError,
    damage_advice,
    list_backups,
    make_backup,
    restore,
    verify_backup,
)
from annotator.services.backup_schedule import BackupScheduler
from annotator.services.check import check_project
from annotator.storage.engine import ProjectDamaged


def _claim(project: Project, note: str = "") -> str:
    doc = project.documents()[0].id
    label = project.labels()[1].id
    changes = project.create_claim(doc, 4, 11, label, note=note, tags=["x", "y"])
    assert changes.created_id is not None
    return changes.created_id


def test_a_backup_is_a_verified_self_contained_snapshot(
    claims_project: Project, data_dir: Path
) -> None:
    info = make_backup(claims_project)
    project_id = claims_project.project_id()
    assert info.path.parent == data_dir / "backups" / project_id
    assert info.path.name.endswith(f"Z-c{claims_project.change_number()}.annot")
    assert (info.change_number, info.claims, info.documents, info.links) == (
        claims_project.change_number(),
        3,
        1,
        1,
    )
    assert info.source == str(claims_project.path.resolve())
    verify_backup(info.path)
    # One file, no -wal needed: the copy is in rollback-journal mode.
    conn = sqlite3.connect(f"file:{info.path}?mode=ro", uri=True)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()
    assert not list(info.path.parent.glob(".partial-*"))
    index = json.loads((data_dir / "backups" / "by-path.json").read_text())
    assert index == {str(claims_project.path.resolve()): project_id}
    with Project.open(info.path, readonly=True) as copy:
        assert check_project(copy).ok
        assert [a.id for a in copy.annotations()] == [a.id for a in claims_project.annotations()]


def test_backups_taken_while_another_thread_writes_are_consistent(claims_project: Project) -> None:
    base_claims, base_number = 3, claims_project.change_number()
    stop = threading.Event()

    def write() -> None:
        while not stop.is_set():
            _claim(claims_project)

    writer = threading.Thread(target=write)
    writer.start()
    try:
        infos = [make_backup(claims_project, keep=20) for _ in range(5)]
    finally:
        stop.set()
        writer.join()
    for info in infos:
        with Project.open(info.path, readonly=True) as copy:
            assert check_project(copy).ok
            # Each write made one claim: a torn snapshot would break this equality.
            assert copy.annotation_count() - base_claims == copy.change_number() - base_number
            assert copy.change_number() == info.change_number


def test_only_the_newest_backups_are_kept(claims_project: Project) -> None:
    made = []
    for i in range(5):
        _claim(claims_project, note=f"n{i}")
        made.append(make_backup(claims_project, keep=3))
    kept = list_backups(claims_project.path)
    assert [b.path for b in kept] == [b.path for b in reversed(made[2:])]
    assert [b.change_number for b in kept] == sorted((b.change_number for b in kept), reverse=True)
    assert not (made[0].path.exists() or made[0].path.with_suffix(".json").exists())


def test_a_failed_backup_keeps_the_older_ones(claims_project: Project, tmpfs, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The backup folder's disk is full: BackupError, nothing pruned, nothing half-written."""
    small = tmpfs("512k")
    monkeypatch.setenv("ANNOTATOR_DATA_DIR", str(small))
    first = make_backup(claims_project)
    from annotator.importers.base import ImportedText

    text = "A much longer document. " * 40_000  # ~1 MB: its backup cannot fit any more
    claims_project.add_document(ImportedText(text=text, format="text", title="Big"), b"big", "b")
    with pytest.raises(BackupError, match="could not be written"):
        make_backup(claims_project, keep=1)
    assert [b.path for b in list_backups(claims_project.path)] == [first.path]
    verify_backup(first.path)
    assert not list(first.path.parent.glob(".partial-*"))


def test_scheduler_backs_up_at_open_after_a_change_and_then_at_intervals(
    claims_project: Project,
) -> None:
    scheduler = BackupScheduler(claims_project, interval=600, keep=10)
    first = scheduler.maybe_backup(now=1000.0)  # no backup yet: the "at open" backup
    assert first is not None
    assert scheduler.maybe_backup(now=1001.0) is None  # not due
    assert scheduler.maybe_backup(now=1700.0) is None  # due, but nothing changed
    _claim(claims_project)
    assert scheduler.maybe_backup(now=1800.0) is None  # changed, not due (last try at 1700)
    second = scheduler.maybe_backup(now=2400.0)
    assert second is not None and second.change_number == claims_project.change_number()
    # Opened again, unchanged since the newest backup: nothing to do.
    again = BackupScheduler(claims_project)
    assert again.maybe_backup(now=5.0) is None
    # Changed elsewhere (say by the CLI) before the next open: backed up at open.
    _claim(claims_project)
    reopened = BackupScheduler(claims_project)
    third = reopened.maybe_backup(now=5.0)
    assert third is not None and third.change_number == claims_project.change_number()
    assert len(list_backups(claims_project.path)) == 3


def test_restore_keeps_the_current_file_and_swaps_atomically(claims_project: Project) -> None:
    path = claims_project.path
    info = make_backup(claims_project)
    wanted = [a.id for a in claims_project.annotations()]
    _claim(claims_project, note="after the backup")
    claims_project.close()
    current = path.read_bytes()
    aside = restore(path, info)
    assert aside is not None and aside.parent == path.parent
    assert aside.name.startswith(f"{path.name}.damaged-")
    assert aside.read_bytes() == current
    assert not Path(f"{path}-wal").exists() and not Path(f"{path}-shm").exists()
    assert not list(path.parent.glob(f".{path.name}.restoring-*"))
    with Project.open(path) as restored:
        assert [a.id for a in restored.annotations()] == wanted
        assert check_project(restored).ok
    with Project.open(aside) as kept:
        assert kept.annotation_count() == len(wanted) + 1


def test_restore_refuses_a_project_open_elsewhere(claims_project: Project) -> None:
    info = make_backup(claims_project)
    _claim(claims_project)
    before = set(claims_project.path.parent.iterdir())
    with pytest.raises(BackupError, match="open in another window"):
        restore(claims_project.path, info)
    assert set(claims_project.path.parent.iterdir()) == before  # no copy left behind
    assert claims_project.annotation_count() == 4  # still the live project


def test_restore_keeps_a_crashed_projects_wal_with_the_copy(claims_project: Project) -> None:
    """A program died with changes only in the -wal: the copy kept aside has them (its own
    -wal beside it) and the restored file does not pick up the stale -wal."""
    path = claims_project.path
    info = make_backup(claims_project)
    claims_project.close()
    code = (
        "import os, sys\n"
        "from annotator.services.api import Project\n"
        "p = Project.open(sys.argv[1])\n"
        "doc = p.documents()[0].id\n"
        "p.create_claim(doc, 0, 3, p.labels()[0].id, annotation_id='after-crash')\n"
        "os._exit(0)\n"  # no close, no checkpoint: the claim lives in the -wal only
    )
    subprocess.run([sys.executable, "-c", code, str(path)], check=True)
    assert Path(f"{path}-wal").stat().st_size > 0
    aside = restore(path, info)
    assert aside is not None and Path(f"{aside}-wal").exists()
    with Project.open(aside) as kept:
        kept.annotation("after-crash")
    with Project.open(path) as restored:
        assert restored.annotation_count() == 3


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_a_damaged_project_is_restored_from_its_newest_good_backup(
    claims_project: Project, damage: str
) -> None:
    path = claims_project.path
    make_backup(claims_project)
    _claim(claims_project)
    newest = make_backup(claims_project)
    wanted = {a.id for a in claims_project.annotations()}
    claims_project.close()
    data = path.read_bytes()
    bad = os.urandom(len(data)) if damage == "garbage" else data[: len(data) // 3]
    path.write_bytes(bad)
    assert backup.read_project_id(path) == ""  # found through the by-path index only
    assert list_backups(path)[0].path == newest.path
    advice = damage_advice(path)
    assert advice == f"A backup from {newest.local_time} can be restored: annotator restore {path}"
    with pytest.raises(ProjectDamaged) as caught:
        Project.open(path)
    assert str(caught.value).endswith(advice)
    aside = restore(path)
    assert aside is not None and aside.read_bytes() == bad
    with Project.open(path) as restored:
        assert {a.id for a in restored.annotations()} == wanted


def test_a_damaged_backup_is_skipped(claims_project: Project) -> None:
    older = make_backup(claims_project)
    _claim(claims_project)
    newer = make_backup(claims_project)
    newer.path.write_bytes(newer.path.read_bytes()[:2000])
    with pytest.raises(BackupError, match="damaged"):
        verify_backup(newer.path)
    assert backup.newest_good_backup(claims_project.path) == older
    claims_project.close()
    restore(claims_project.path)
    with Project.open(claims_project.path) as restored:
        assert restored.change_number() == older.change_number


def test_no_advice_without_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "junk.annot"
    path.write_bytes(b"not a project at all")
    assert damage_advice(path) == ""
    with pytest.raises(ProjectDamaged) as caught:
        Project.open(path)
    assert "annotator restore" not in str(caught.value)
    with pytest.raises(BackupError, match="No usable backup"):
        restore(path)
    assert path.read_bytes() == b"not a project at all"


# -- the commands ------------------------------------------------------------------------------


def test_cli_backup_list_and_restore(
    claims_project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    path = claims_project.path
    claims_project.close()
    assert main(["restore", str(path), "--list"]) == 0
    assert "No backups" in capsys.readouterr().out
    assert main(["backup", str(path)]) == 0
    assert "Backed up study.annot (change" in capsys.readouterr().out
    with Project.open(path) as project:
        _claim(project)
    assert main(["backup", str(path)]) == 0
    capsys.readouterr()
    assert main(["restore", str(path), "--list"]) == 0
    listing = capsys.readouterr().out.splitlines()
    assert listing[0].split() == ["#", "DATE", "CHANGE", "CLAIMS", "DOCS", "LINKS", "FILE"]
    assert [line.split()[4] for line in listing[1:]] == ["4", "3"]
    assert main(["restore", str(path), "--list", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert [b["claims"] for b in shown] == [4, 3]
    path.write_bytes(b"\0" * 4096)
    assert main(["restore", str(path), "--from", "2"]) == 0
    said = capsys.readouterr().out
    assert said.startswith("Restored study.annot from the backup of ")
    assert "The previous file was kept as study.annot.damaged-" in said
    with Project.open(path) as project:
        assert project.annotation_count() == 3
    assert main(["restore", str(path)]) == 0  # newest good backup, no questions
    with Project.open(path) as project:
        assert project.annotation_count() == 4


def test_cli_restore_errors_are_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "lost.annot"
    path.write_bytes(b"garbage")
    assert main(["restore", str(path)]) == 1
    err = capsys.readouterr().err.strip()
    assert err == "annotator: lost.annot has no backup; see `annotator restore --list`."
    assert main(["restore", str(path), "--from", str(tmp_path / "none.annot")]) == 1
    assert capsys.readouterr().err.strip().endswith("no such backup file.")
