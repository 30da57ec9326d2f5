"""Migration 0002 on real old data: texts move to `document_texts` with their derived offsets,
intact; a failure leaves the 0001 file as it was; the downgrade gives the texts back."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config

from annotator.domain.text import astral_positions, block_starts
from annotator.services.api import Project
from annotator.services.check import check_project
from annotator.storage import migrations
from annotator.storage.engine import ProjectError, make_engine
from annotator.storage.mapping import unpack_offsets

FIXTURE_0001 = Path(__file__).parent / "fixtures" / "project-0001.annot"


@pytest.fixture
def old_project(tmp_path: Path) -> Path:
    path = tmp_path / "old.annot"
    shutil.copyfile(FIXTURE_0001, path)
    return path


def _texts_0001(path: Path) -> dict[str, str]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT id, text FROM documents").fetchall()
    conn.close()
    return dict(rows)


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]


def _indexes(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}


def test_texts_and_their_offsets_survive_the_upgrade(old_project: Path) -> None:
    before = _texts_0001(old_project)
    assert len(before) == 2 and any(not t.isascii() for t in before.values())
    with Project.open(old_project) as p:
        for doc_id, text in before.items():
            assert p.document_text(doc_id) == text
            copy = p.document_for_reading(doc_id)
            assert copy.document.text == text
            assert copy.block_starts == block_starts(text)
            assert copy.astral == astral_positions(text)
        assert check_project(p).ok, check_project(p).problems
    with sqlite3.connect(old_project) as conn:
        assert "text" not in _columns(conn, "documents")
        assert _columns(conn, "document_texts")[-1] == "text"  # after the offsets
        stored = conn.execute(
            "SELECT document_id, block_starts, astral, text FROM document_texts"
        ).fetchall()
        indexes = _indexes(conn)
    conn.close()
    assert {row[0]: row[3] for row in stored} == before
    for _doc_id, starts, astral, text in stored:
        assert unpack_offsets(starts) == block_starts(text)
        assert unpack_offsets(astral) == astral_positions(text)
    assert "ix_annotations_document_spans" in indexes
    assert "ix_annotations_document_start" not in indexes


def test_a_failed_upgrade_leaves_the_old_file_as_it_was(old_project: Path) -> None:
    # A text stored as a BLOB (damage a 0001 file may carry) stops the migration halfway,
    # after the first document's text was copied.
    with sqlite3.connect(old_project) as conn:
        last = conn.execute("SELECT id FROM documents ORDER BY position DESC").fetchone()[0]
        conn.execute("UPDATE documents SET text = CAST(text AS BLOB) WHERE id = ?", (last,))
    conn.close()
    digest = hashlib.sha256(old_project.read_bytes()).hexdigest()
    with pytest.raises(ProjectError) as info:
        Project.open(old_project)
    message = str(info.value)
    assert "could not be upgraded" in message and "not changed" in message
    assert "\n" not in message
    assert hashlib.sha256(old_project.read_bytes()).hexdigest() == digest
    engine = make_engine(old_project, readonly=True)
    try:
        assert migrations.current_revision(engine) == "0001"
    finally:
        engine.dispose()
    with sqlite3.connect(old_project) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        assert "document_texts" not in tables
        assert "text" in _columns(conn, "documents")
    conn.close()


def test_downgrade_gives_the_texts_back(old_project: Path) -> None:
    before = _texts_0001(old_project)
    Project.open(old_project).close()
    engine = make_engine(old_project, foreign_keys=False)
    try:
        cfg = Config()
        cfg.set_main_option("script_location", str(migrations.migrations_dir()))
        cfg.attributes["engine"] = engine
        command.downgrade(cfg, "0001")
    finally:
        engine.dispose()
    assert _texts_0001(old_project) == before
    with sqlite3.connect(old_project) as conn:
        assert "document_texts" not in {
            r[0] for r in conn.execute("SELECT name FROM sqlite_master")
        }
        assert "ix_annotations_document_start" in _indexes(conn)
    conn.close()
    with Project.open(old_project) as p:  # and up again
        assert {d.id: p.document_text(d.id) for d in p.documents()} == before


def test_the_old_file_is_backed_up_before_the_upgrade(old_project: Path) -> None:
    from annotator.services.backup import list_backups, make_backup

    digest = hashlib.sha256(old_project.read_bytes()).hexdigest()
    before = _texts_0001(old_project)
    Project.open(old_project).close()
    backups = list_backups(old_project)
    assert len(backups) == 1
    copy = backups[0].path
    # The copy is the 0001 file as it was, complete and checked: what the older version opens.
    engine = make_engine(copy, readonly=True)
    try:
        assert migrations.current_revision(engine) == "0001"
    finally:
        engine.dispose()
    assert _texts_0001(copy) == before
    with sqlite3.connect(copy) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    assert backups[0].before_upgrade and backups[0].label.endswith("before an upgrade")
    assert hashlib.sha256(old_project.read_bytes()).hexdigest() != digest  # upgraded
    Project.open(old_project).close()  # a current file: no second copy
    assert len(list_backups(old_project)) == 1
    # Later backups are pruned to the newest `keep`; the copy from before the upgrade stays.
    with Project.open(old_project) as project:
        for _ in range(3):
            make_backup(project, keep=2)
    kept = list_backups(old_project)
    assert sum(not b.before_upgrade for b in kept) == 2
    assert [b.path for b in kept if b.before_upgrade] == [copy]


def test_no_backup_no_upgrade(old_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from annotator.services import backup

    blocker = old_project.parent / "not-a-folder"
    blocker.write_text("a file where the backups folder should be")
    monkeypatch.setattr(backup, "backups_root", lambda: blocker)
    digest = hashlib.sha256(old_project.read_bytes()).hexdigest()
    with pytest.raises(ProjectError) as info:
        Project.open(old_project)
    message = str(info.value)
    assert "backup taken before it could not be made" in message and "not changed" in message
    assert hashlib.sha256(old_project.read_bytes()).hexdigest() == digest
