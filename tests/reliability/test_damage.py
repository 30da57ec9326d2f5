"""Damage detected and explained: damaged and foreign files, a newer version's file, read-only
files and disks, a full disk. Each refuses with one clear sentence and leaves the file as it was.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from disk_helpers import Mount, remount
from sqlalchemy import event

from annotator.importers.base import ImportedText
from annotator.services.api import Project
from annotator.services.check import check_project
from annotator.services.project import ReadOnlyProject, WriteFailed
from annotator.storage.engine import ProjectDamaged, ProjectTooNew, write_blocker

Damage = Callable[[bytes], bytes]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _one_sentence(message: str) -> bool:
    return message.endswith(".") and ". " not in message and "\n" not in message


def _garbage_inside(data: bytes) -> bytes:
    """Keep the header page, overwrite the pages after it."""
    return data[:4096] + os.urandom(len(data) - 4096)


def _closed(project: Project) -> Path:
    path = project.path
    project.close()
    return path


DAMAGES: dict[str, Damage] = {
    "truncated to a third": lambda b: b[: len(b) // 3],
    "truncated inside the header": lambda b: b[:60],
    "cut after the first page": lambda b: b[:4096],
    "garbage after the first page": _garbage_inside,
    "all garbage": lambda b: os.urandom(len(b)),
    "empty": lambda b: b"",
    "a text file": lambda b: b"Dear diary,\nthis is not a project.\n",
}


@pytest.mark.parametrize("damage", DAMAGES, ids=list(DAMAGES))
def test_a_damaged_file_is_refused_with_one_sentence(claims_project: Project, damage: str) -> None:
    path = _closed(claims_project)
    path.write_bytes(DAMAGES[damage](path.read_bytes()))
    before = _sha(path)
    with pytest.raises(ProjectDamaged) as caught:
        Project.open(path)
    message = str(caught.value)
    assert _one_sentence(message), message
    assert message.startswith("study.annot ")
    assert "damaged" in message or "not an Annotator project" in message
    assert _sha(path) == before


def test_a_sqlite_file_of_another_program_is_not_a_project(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE things (a)")
    conn.commit()
    conn.close()
    before = _sha(path)
    with pytest.raises(ProjectDamaged, match="is a SQLite database but not an Annotator project"):
        Project.open(path)
    assert _sha(path) == before


def test_a_damaged_file_offers_its_backup(claims_project: Project) -> None:
    from annotator.services.backup import make_backup

    info = make_backup(claims_project)
    path = _closed(claims_project)
    path.write_bytes(_garbage_inside(path.read_bytes()))
    with pytest.raises(ProjectDamaged) as caught:
        Project.open(path)
    first, advice = str(caught.value).split(". A backup", 1)
    assert _one_sentence(first + ".")
    assert advice == f" from {info.local_time} can be restored: annotator restore {path}"


def test_a_missing_file_with_backups_says_so(claims_project: Project) -> None:
    from annotator.services.backup import make_backup

    make_backup(claims_project)
    path = _closed(claims_project)
    path.unlink()
    with pytest.raises(Exception, match=r"no such project file\. A backup from .* can be restored"):
        Project.open(path)


def test_a_newer_versions_project_is_refused_unchanged(claims_project: Project) -> None:
    path = _closed(claims_project)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.commit()
    conn.close()
    before = _sha(path)
    for readonly in (False, True):
        with pytest.raises(ProjectTooNew, match="newer version of Annotator") as caught:
            Project.open(path, readonly=readonly)
        assert "The file was not changed." in str(caught.value)
    assert _sha(path) == before
    wal = Path(f"{path}-wal")
    assert not wal.exists() or wal.stat().st_size == 0


# -- read-only ---------------------------------------------------------------------------------


def test_a_file_marked_read_only_opens_read_only(claims_project: Project) -> None:
    """chmod a-w. As root the kernel would still let SQLite write, so this proves that the mode
    bits are honoured, not that the kernel refuses."""
    path = _closed(claims_project)
    path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    try:
        before = _sha(path)
        with Project.open(path) as project:
            assert project.readonly
            assert project.readonly_reason == (
                "study.annot is open read-only because the file is read-only; "
                "changes cannot be saved."
            )
            assert project.annotation_count() == 3
            with pytest.raises(ReadOnlyProject) as caught:
                project.create_claim(project.documents()[0].id, 0, 3, project.labels()[0].id)
            assert str(caught.value) == project.readonly_reason
        assert _sha(path) == before
    finally:
        path.chmod(0o644)
    with Project.open(path) as project:
        assert not project.readonly and project.readonly_reason == ""


def test_a_project_on_a_read_only_disk_opens_read_only(
    claims_project: Project, tmpfs: Mount
) -> None:
    """A real read-only filesystem (a tmpfs remounted ro; needs root): the kernel refuses
    writes even to root, and SQLite cannot create the -shm a WAL file needs."""
    folder = tmpfs("8m")
    path = folder / "study.annot"
    path.write_bytes(_closed(claims_project).read_bytes())
    remount(folder, "ro")
    try:
        assert write_blocker(path) == "the disk it is on is read-only"
        with Project.open(path) as project:
            assert project.readonly
            assert "because the disk it is on is read-only" in project.readonly_reason
            assert project.annotation_count() == 3
            assert check_project(project).ok
            with pytest.raises(ReadOnlyProject):
                project.set_setting("x", "y")
    finally:
        remount(folder, "rw")


def test_a_project_in_a_folder_that_cannot_be_written_opens_read_only(
    claims_project: Project, tmp_path: Path
) -> None:
    """chmod a-w on the folder: effective for a normal user only (root ignores it)."""
    if os.name != "posix" or os.geteuid() == 0:
        pytest.skip("root may write into any folder; see the read-only disk test")
    folder = tmp_path / "locked"
    folder.mkdir()
    path = folder / "study.annot"
    path.write_bytes(_closed(claims_project).read_bytes())
    folder.chmod(0o555)
    try:
        with Project.open(path) as project:
            assert project.readonly
            assert "because its folder cannot be written" in project.readonly_reason
            assert project.annotation_count() == 3
    finally:
        folder.chmod(0o755)


# -- a full disk -------------------------------------------------------------------------------


def _fill_until_refused(project: Project) -> tuple[list[str], WriteFailed]:
    doc = project.documents()[0].id
    label = project.labels()[0].id
    saved = []
    for i in range(100_000):
        try:
            changes = project.create_claim(
                doc, 0, 3, label, note=f"claim {i} " + "n" * 3000, tags=[f"t{i}", "full"]
            )
        except WriteFailed as exc:
            return saved, exc
        assert changes.created_id is not None
        saved.append(changes.created_id)
    raise AssertionError("the disk never filled up")


def test_database_full_loses_nothing_saved_and_says_so(claims_project: Project) -> None:
    """SQLITE_FULL through `PRAGMA max_page_count`: the same error path as a full disk."""
    project = claims_project
    with project.engine.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()

    def cap(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        dbapi_conn.execute(f"PRAGMA max_page_count = {int(pages or 0) + 40}")

    event.listen(project.engine, "connect", cap)
    project.engine.dispose()  # every connection from now on has the cap
    saved, failure = _fill_until_refused(project)
    assert str(failure) == "The disk is full: the change was not saved to study.annot."
    assert saved  # some writes fitted before
    assert project.annotation_count() == 3 + len(saved)  # still usable for reading
    path = _closed(project)
    with Project.open(path) as again:
        assert {a.id for a in again.annotations()} >= set(saved)
        assert again.annotation_count() == 3 + len(saved)
        assert check_project(again).ok


def test_a_real_full_disk_loses_nothing_saved(claims_project: Project, tmpfs: Mount) -> None:
    """A 2 MB tmpfs (root only), filled while the project is open; another program's 1 MB file
    then frees its space and the same open project saves again."""
    folder = tmpfs("2m")
    path = folder / "study.annot"
    path.write_bytes(_closed(claims_project).read_bytes())
    filler = folder / "other-program.bin"
    filler.write_bytes(b"\0" * 1_000_000)
    with Project.open(path) as project:
        text = "The council met in secret, said the chronicle."
        project.add_document(ImportedText(text=text, format="text", title="T"), b"t", "t.txt")
        saved, failure = _fill_until_refused(project)
        assert str(failure) == "The disk is full: the change was not saved to study.annot."
        assert saved
        filler.unlink()
        doc = project.documents()[0].id
        changes = project.create_claim(doc, 0, 3, project.labels()[0].id, note="n" * 3000)
        assert changes.created_id is not None
        saved.append(changes.created_id)
    with Project.open(path) as again:
        assert {a.id for a in again.annotations()} >= set(saved)
        assert check_project(again).ok
