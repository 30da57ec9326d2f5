"""A document's formatting and accessed date: stored at import, read back for the reader and
the reports, the accessed date editable and checked."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from annotator.domain.errors import ValidationError
from annotator.domain.formatting import FormatKind, FormatSpan
from annotator.domain.model import PartialDate
from annotator.importers import read_file
from annotator.services.api import Project

DATA = Path(__file__).parents[1] / "importers" / "data"


def _import(project: Project, name: str, **overrides: object) -> str:
    imported, data = read_file(DATA / name)
    doc_id = project.add_document(imported, data, name, **overrides).created_id
    assert doc_id is not None
    return doc_id


def test_formats_are_stored_and_read_back_with_the_text(project: Project) -> None:
    doc_id = _import(project, "formatted.md")
    formats = project.text_formats(doc_id)
    text = project.document(doc_id).text
    assert FormatSpan(0, len("The press and the campaign"), FormatKind.HEADING1) in formats
    italic = [text[s.start : s.end] for s in formats if s.kind is FormatKind.EMPHASIS]
    assert italic == ["Old Quay Times", "Tidewater Voice"]
    assert project.document_for_reading(doc_id).formats == formats
    # A claim over an italic title is anchored in the plain text as always.
    start = text.index("Old Quay Times")
    claim = project.create_claim(doc_id, start, start + 14, project.labels()[0].id)
    assert claim.created_id and project.annotation(claim.created_id).quote.exact == "Old Quay Times"


def test_a_plain_text_has_no_formats_and_no_accessed_date(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text("A note\n\nwith *stars*.\n", encoding="utf-8")
    imported, data = read_file(path)
    doc_id = project.add_document(imported, data, path.name).created_id
    assert doc_id and project.text_formats(doc_id) == ()
    assert project.document(doc_id).accessed is None


def test_web_sources_get_the_saved_day_else_the_import_day(project: Project) -> None:
    saved = _import(project, "formatted.html")
    assert project.document(saved).accessed == PartialDate(2026, 11, 30)
    imported, data = read_file(DATA / "formatted.html")
    undated = project.add_document(replace(imported, accessed=None), data + b" ", "b.html")
    today = datetime.now().astimezone().date()
    assert undated.created_id
    assert project.document(undated.created_id).accessed == PartialDate(
        today.year, today.month, today.day
    )
    docx = _import(project, "formatted.docx")
    assert project.document(docx).accessed is None  # no URL: not a web source


def test_the_accessed_date_is_set_edited_and_checked(project: Project) -> None:
    doc_id = _import(project, "formatted.docx", accessed="2026-12-02")
    assert project.document(doc_id).accessed == PartialDate(2026, 12, 2)
    project.update_document(doc_id, accessed="2026-12-01")
    assert project.documents()[0].accessed == PartialDate(2026, 12, 1)
    for bad in ("yesterday", "2026-12", "2026-13-01"):
        with pytest.raises(ValidationError, match="YYYY-MM-DD"):
            project.update_document(doc_id, accessed=bad)
    project.update_document(doc_id, accessed="")
    assert project.document(doc_id).accessed is None


def test_a_document_given_a_url_later_becomes_a_web_source(project: Project) -> None:
    doc_id = _import(project, "formatted.docx")
    assert project.document(doc_id).accessed is None
    project.update_document(doc_id, url="https://example.org/report")
    doc = project.document(doc_id)
    day = doc.imported_at.astimezone().date()
    assert doc.accessed == PartialDate(day.year, day.month, day.day)
    project.update_document(doc_id, accessed="", url="https://example.org/other")
    assert project.document(doc_id).accessed is None  # cleared on purpose: stays cleared
