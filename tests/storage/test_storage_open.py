"""Opening project files: SQLite settings, and refusing newer, foreign and damaged files
without touching them."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from annotator.domain.errors import AnnotatorError
from annotator.services.api import Project
from annotator.storage.engine import ProjectDamaged, ProjectError, ProjectTooNew, make_engine


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def closed_project(tmp_path: Path) -> Path:
    """A project file with a little content, closed (its WAL checkpointed into the file)."""
    from annotator.importers.base import ImportedText

    path = tmp_path / "closed.annot"
    with Project.create(path) as p:
        for n in range(5):
            doc = p.add_document(
                ImportedText(f"Document {n}. " + "Some words here. " * 400, "text", title=f"D{n}"),
                f"bytes {n}".encode(),
                f"d{n}.txt",
            ).created_id
            assert doc
            for k in range(4):
                p.create_claim(doc, k * 20, k * 20 + 10, p.labels()[0].id, note="n" * 50)
    assert not Path(f"{path}-wal").exists() or Path(f"{path}-wal").stat().st_size == 0
    return path


# -- SQLite settings --------------------------------------------------------------------------


def test_connection_pragmas(project: Project) -> None:
    with project.engine.connect() as conn:
        pragma = lambda name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("synchronous") == 2  # FULL
        assert pragma("foreign_keys") == 1
        assert pragma("busy_timeout") == 10000


def test_readonly_connection_pragmas(closed_project: Path) -> None:
    with Project.open(closed_project, readonly=True) as p, p.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2
        with pytest.raises(Exception, match="readonly"):
            conn.exec_driver_sql("DELETE FROM settings")


def test_transactions_take_the_write_lock_at_begin(project: Project) -> None:
    """BEGIN IMMEDIATE: a transaction holds the write lock from its start, so two writers never
    deadlock upgrading read locks."""
    other = sqlite3.connect(project.path, timeout=0, isolation_level=None)
    try:
        with project.engine.begin() as conn:
            conn.exec_driver_sql("SELECT 1")
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
    finally:
        other.close()


def test_migration_engine_has_foreign_keys_off(tmp_path: Path) -> None:
    engine = make_engine(tmp_path / "x.annot", foreign_keys=False)
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 0
    finally:
        engine.dispose()


# -- refusals ---------------------------------------------------------------------------------


def test_newer_schema_is_refused_and_the_file_left_alone(closed_project: Path) -> None:
    with sqlite3.connect(closed_project) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    before = _sha(closed_project)
    for readonly in (False, True):
        with pytest.raises(ProjectTooNew, match="newer version of Annotator") as info:
            Project.open(closed_project, readonly=readonly)
        assert "not changed" in str(info.value)
        assert _sha(closed_project) == before


@pytest.mark.parametrize(
    "content",
    [b"", b"hello, world\n", b"PK\x03\x04" + b"\x00" * 200, b"SQLite format 2\x00" + b"\x00" * 90],
    ids=["empty", "text", "zip", "almost-sqlite"],
)
def test_non_sqlite_file_is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "notes.annot"
    path.write_bytes(content)
    with pytest.raises(ProjectDamaged, match="not an Annotator project"):
        Project.open(path)
    assert path.read_bytes() == content


def test_sqlite_file_that_is_not_a_project_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE birds (name TEXT)")
        conn.execute("INSERT INTO birds VALUES ('wren')")
    conn.close()
    before = _sha(path)
    with pytest.raises(ProjectDamaged, match="not an Annotator project"):
        Project.open(path)
    assert _sha(path) == before


def test_alembic_database_of_another_program_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
        conn.execute("INSERT INTO alembic_version VALUES ('abc123')")
    conn.close()
    with pytest.raises(ProjectDamaged, match="not an Annotator project"):
        Project.open(path)


@pytest.mark.parametrize("fraction", [0.5, 0.1, 0.9, 0.99])
def test_truncated_project_is_refused_clearly(closed_project: Path, fraction: float) -> None:
    data = closed_project.read_bytes()
    closed_project.write_bytes(data[: int(len(data) * fraction)])
    before = _sha(closed_project)
    with pytest.raises(ProjectDamaged) as info:
        Project.open(closed_project)
    message = str(info.value)
    assert closed_project.name in message and "damaged" in message
    assert "\n" not in message and "Traceback" not in message
    assert _sha(closed_project) == before


def test_truncated_to_a_few_bytes(closed_project: Path) -> None:
    closed_project.write_bytes(closed_project.read_bytes()[:100])
    with pytest.raises(ProjectDamaged):
        Project.open(closed_project)


def test_corrupted_page_is_refused(closed_project: Path) -> None:
    data = bytearray(closed_project.read_bytes())
    page = 4096
    for i in range(2 * page, len(data), page):  # scribble over every page's header but the schema
        data[i : i + 16] = b"\xff" * 16
    closed_project.write_bytes(bytes(data))
    with pytest.raises(ProjectDamaged, match="damaged"):
        Project.open(closed_project)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="no such project file"):
        Project.open(tmp_path / "absent.annot")
    with pytest.raises(ProjectError, match="folder"):
        Project.open(tmp_path)


def test_create_refuses_an_existing_file_and_a_missing_folder(tmp_path: Path) -> None:
    existing = tmp_path / "exists.annot"
    existing.write_text("keep me")
    with pytest.raises(ProjectError, match="exists already"):
        Project.create(existing)
    assert existing.read_text() == "keep me"
    with pytest.raises(ProjectError, match="no such folder"):
        Project.create(tmp_path / "missing" / "p.annot")


def test_failed_upgrade_is_a_clear_error_and_changes_nothing(closed_project: Path) -> None:
    # A project whose version row is gone looks unversioned: the upgrade from scratch collides
    # with the tables that are there.
    with sqlite3.connect(closed_project) as conn:
        conn.execute("DELETE FROM alembic_version")
    conn.close()
    before = _sha(closed_project)
    with pytest.raises(ProjectError, match="read-only open"):
        Project.open(closed_project, readonly=True)
    with pytest.raises(ProjectError, match="could not be upgraded") as info:
        Project.open(closed_project)
    assert "not changed" in str(info.value)
    assert _sha(closed_project) == before


def test_reopen_keeps_everything(closed_project: Path) -> None:
    with Project.open(closed_project) as p:
        assert len(p.documents()) == 5
        assert p.annotation_count() == 20
        number = p.change_number()
    with Project.open(closed_project, readonly=True) as p:
        assert p.change_number() == number
        assert len(p.annotations()) == 20


def test_errors_are_annotator_errors() -> None:
    for cls in (ProjectError, ProjectDamaged, ProjectTooNew):
        assert issubclass(cls, AnnotatorError)


@pytest.mark.parametrize("folder", ["what?", "a#b", "100% sure", "x?mode=ro", "space d", "ünï 😀"])
def test_project_in_a_folder_with_url_characters(tmp_path: Path, folder: str) -> None:
    where = tmp_path / folder
    where.mkdir()
    path = where / "study.annot"
    with Project.create(path) as p:
        p.set_setting("k", "v")
    # The project is the file asked for, not a file named after part of the path.
    assert sorted(x.name for x in tmp_path.iterdir()) == [folder]
    assert path.read_bytes().startswith(b"SQLite format 3\x00")
    with Project.open(path) as p:
        assert p.setting("k") == "v"
    with Project.open(path, readonly=True) as p:
        assert p.setting("k") == "v"
