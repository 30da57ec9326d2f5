"""Migration 0003 on real old data: claims and texts stay as they were, documents show
without formatting, web sources get the day they were imported as their accessed date."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from annotator.domain.model import PartialDate
from annotator.services.api import Project
from annotator.storage import migrations

FIXTURE_0002 = Path(__file__).parent / "fixtures" / "project-0002.annot"


def test_an_0002_project_upgrades_with_claims_unmoved_and_web_sources_dated(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.annot"
    shutil.copyfile(FIXTURE_0002, path)
    with sqlite3.connect(path) as conn:
        spans = conn.execute('SELECT id, start, "end", exact FROM annotations').fetchall()
        web = conn.execute("SELECT id, imported_at FROM documents ORDER BY position").fetchone()
        conn.execute("UPDATE documents SET url = 'https://example.org/a' WHERE id = ?", (web[0],))
    conn.close()

    with Project.open(path) as p:
        docs = {d.id: d for d in p.documents()}
        day = web[1][:10]
        assert docs[web[0]].accessed == PartialDate.parse(day)
        other = next(d for d in docs.values() if d.id != web[0])
        assert other.accessed is None and p.document(other.id).accessed is None
        for doc_id in docs:
            assert p.text_formats(doc_id) == ()
            assert p.document_for_reading(doc_id).formats == ()
        after = {(c.id, c.start, c.end, c.quote.exact) for c in p.annotations()}
        assert after == set(spans)
    with sqlite3.connect(path) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        version = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    conn.close()
    assert "document_formats" in tables and version == migrations.head_revision() >= "0003"
