"""The first frame of a project file, read with the standard library's sqlite3
(`storage.first_frame`): the same labels, documents, claims, links and reading copies as the
services read, from real project files; no frame for a file the usual open must handle; never a
write."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from annotator.app.demo import build_demo
from annotator.domain.errors import NotFoundError
from annotator.domain.model import Evidence, Relation
from annotator.services.api import Project
from annotator.storage.first_frame import FirstFrame
from annotator.storage.revisions import HEAD_REVISION

FIXTURES = Path(__file__).parent / "fixtures"


def same_reads(frame: FirstFrame, project: Project) -> None:
    """Every read of `ProjectReads` answers alike from the frame and from the project."""
    assert frame.labels() == project.labels()
    assert frame.documents() == project.documents()
    assert frame.locators() == project.locators()
    assert frame.annotations() == project.annotations()
    assert frame.links() == project.links()
    claims = project.annotations()
    ids = [c.id for c in claims]
    assert frame.claims_by_id(ids) == project.claims_by_id(ids)
    for claim in claims[:5]:
        assert frame.annotation(claim.id) == project.annotation(claim.id)
        assert frame.links(claim.id) == project.links(claim.id)
    assert frame.links(annotation_ids=ids[:3]) == project.links(annotation_ids=ids[:3])
    for doc in project.documents():
        assert frame.document_for_reading(doc.id) == project.document_for_reading(doc.id)
        assert frame.claim_spans(doc.id) == project.claim_spans(doc.id)
        assert frame.annotations(document_id=doc.id) == project.annotations(document_id=doc.id)
        assert frame.find_document(doc.id[:8]) == project.find_document(doc.id[:8])
    assert frame.find_document("1") == project.find_document("1")


def test_the_demo_project_reads_the_same_as_through_the_services(tmp_path: Path) -> None:
    path = tmp_path / "demo.annot"
    build_demo(path).close()
    frame = FirstFrame.read(path, max_claims=2000)
    assert frame is not None and frame.claims_complete()
    assert frame.annotations() and frame.links()  # something to compare
    assert any(frame.document_for_reading(d.id).formats for d in frame.documents())
    with Project.open(path) as project:
        same_reads(frame, project)
    frame.close()


def test_tags_evidence_notes_and_astral_text_read_the_same(
    project: Project, add_text, project_path: Path
) -> None:
    first = add_text("Plain words 🏳️‍🌈 and 😀 then more words.\n\nA second paragraph here.")
    second = add_text("Another source repeats the plain words.", title="Second")
    label = project.labels()[0].id
    a = project.create_claim(
        first, 0, 11, label, note="a note", tags=["x", "b"], evidence=[Evidence("cite", "u")]
    ).created_id
    b = project.create_claim(second, 24, 35, project.labels()[1].id).created_id
    assert a and b
    project.create_link(b, a, Relation.REPEATS, note="same words")
    frame = FirstFrame.read(project_path, max_claims=2000)
    assert frame is not None
    same_reads(frame, project)
    frame.close()


def test_a_big_project_gives_its_claims_only_when_asked_for(
    project: Project, add_text, project_path: Path
) -> None:
    doc = add_text("one two three four five six")
    label = project.labels()[0].id
    ids = [project.create_claim(doc, s, s + 3, label).created_id for s in (0, 8, 14)]
    frame = FirstFrame.read(project_path, max_claims=2)
    assert frame is not None
    assert not frame.claims_complete()
    assert frame.annotations() == []  # read in the background once the project is open
    assert frame.claims_by_id(ids) == project.claims_by_id(ids)  # type: ignore[arg-type]
    assert frame.claim_spans(doc) == project.claim_spans(doc)
    with pytest.raises(NotFoundError):
        frame.annotation("no-such-claim")
    frame.close()


def test_a_current_fixture_file_reads_the_same(tmp_path: Path) -> None:
    path = tmp_path / "project.annot"
    shutil.copy(FIXTURES / f"project-{HEAD_REVISION}.annot", path)
    frame = FirstFrame.read(path, max_claims=2000)
    assert frame is not None
    with Project.open(path) as project:
        same_reads(frame, project)
    frame.close()


def test_no_frame_for_what_the_usual_open_must_handle(tmp_path: Path) -> None:
    missing = tmp_path / "missing.annot"
    text = tmp_path / "notes.annot"
    text.write_text("not a database", encoding="utf-8")
    empty_db = tmp_path / "other.annot"
    sqlite3.connect(empty_db).execute("CREATE TABLE t (x)").connection.close()
    older = tmp_path / "older.annot"
    shutil.copy(FIXTURES / "project-0001.annot", older)
    newer = tmp_path / "newer.annot"
    build_demo(newer).close()
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.close()
    truncated = tmp_path / "truncated.annot"
    build_demo(truncated).close()
    data = truncated.read_bytes()
    truncated.write_bytes(data[: len(data) // 3])
    for path in (missing, text, empty_db, older, newer, truncated):
        assert FirstFrame.read(path, max_claims=2000) is None, path.name


def test_reading_a_frame_never_writes(tmp_path: Path) -> None:
    path = tmp_path / "demo.annot"
    build_demo(path).close()
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    frame = FirstFrame.read(path, max_claims=2000)
    assert frame is not None
    for doc in frame.documents():
        frame.document_for_reading(doc.id)
    with pytest.raises(sqlite3.OperationalError):  # the connection itself cannot write
        frame._conn.execute("DELETE FROM labels")
    frame.close()
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert {name: after[name] for name in before} == before
    # a reader of a file in WAL mode may leave the -wal and -shm beside it, with nothing in
    # the -wal: nothing written
    assert set(after) - set(before) <= {"demo.annot-wal", "demo.annot-shm"}
    assert not after.get("demo.annot-wal")
