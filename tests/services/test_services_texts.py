"""Reading a document for the reader, and the project's cache of texts."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import text

from annotator.domain.errors import NotFoundError
from annotator.domain.model import QuoteSelector
from annotator.domain.text import astral_positions, block_starts
from annotator.services.api import Project
from annotator.services.check import check_project
from annotator.services.texts import TEXT_CACHE_SIZE

AddText = Callable[..., str]

TEXT = "Héllo 😀 world.\n\nשלום \ufdd0 again 𝔘 e\u0301\nlast line"


def _claims(project: Project, doc: str) -> list[str]:
    label = project.labels()[0].id
    ids = []
    for start, end in [(20, 24), (0, 5), (0, 5), (6, 13), (30, 40)]:
        created = project.create_claim(doc, start, end, label).created_id
        assert created
        ids.append(created)
    return ids


def test_reading_copy_holds_text_offsets_and_sorted_claims(
    project: Project, add_text: AddText
) -> None:
    doc = add_text(TEXT, title="Mixed")
    ids = _claims(project, doc)
    copy = project.document_for_reading(doc)
    assert copy.document.text == TEXT and copy.document.title == "Mixed"
    assert copy.block_starts == block_starts(TEXT) and len(copy.block_starts) == 5
    assert copy.astral == astral_positions(TEXT) == [6, 29]
    assert sorted(c[0] for c in copy.claims) == sorted(ids)
    assert copy.claims == sorted(copy.claims, key=lambda c: (c[1], c[0]))
    assert project.claim_spans(doc) == copy.claims


def test_reading_again_shares_the_text_and_sees_metadata_edits(
    project: Project, add_text: AddText
) -> None:
    doc = add_text(TEXT, title="Before")
    first = project.document_for_reading(doc)
    again = project.document_for_reading(doc)
    assert again.document.text is first.document.text
    assert again.block_starts is first.block_starts
    assert project.document_text(doc) is first.document.text
    project.update_document(doc, title="After")
    assert project.document_for_reading(doc).document.title == "After"
    assert project.document(doc).title == "After"


def test_only_reading_fills_the_cache_and_it_stays_bounded(
    project: Project, add_text: AddText
) -> None:
    docs = [add_text(f"Document number {n}.") for n in range(TEXT_CACHE_SIZE + 2)]
    for doc in docs:
        project.document_text(doc)
        project.document(doc)
    assert len(project.texts) == 0
    for doc in docs:
        project.document_for_reading(doc)
    assert len(project.texts) == TEXT_CACHE_SIZE
    assert project.texts.get(docs[-1]) == "Document number 4."
    assert project.texts.get(docs[0]) is None


def test_removing_a_document_forgets_its_text(project: Project, add_text: AddText) -> None:
    doc = add_text(TEXT)
    project.document_for_reading(doc)
    assert project.texts.get(doc) == TEXT
    project.delete_document(doc)
    assert project.texts.get(doc) is None
    with project.engine.connect() as conn:  # the database cascaded the text away
        left = conn.execute(
            text("SELECT count(*) FROM document_texts WHERE document_id = :doc"), {"doc": doc}
        )
        assert left.scalar_one() == 0
    with pytest.raises(NotFoundError):
        project.document_for_reading(doc)
    with pytest.raises(NotFoundError):
        project.document_text(doc)


def test_claims_quote_the_same_with_and_without_the_cache(
    project: Project, add_text: AddText
) -> None:
    doc = add_text(TEXT)
    label = project.labels()[0].id
    cold = project.create_claim(doc, 6, 13, label).created_id
    assert project.document_slice(doc, 6, 13) == TEXT[6:13]
    project.document_for_reading(doc)
    warm = project.create_claim(doc, 7, 13, label).created_id
    assert cold and warm
    assert project.annotation(cold).quote == QuoteSelector.at(TEXT, 6, 13)
    assert project.annotation(warm).quote == QuoteSelector.at(TEXT, 7, 13)
    assert project.document_slice(doc, 6, 13) == TEXT[6:13]


def test_damaged_offsets_are_recomputed_and_reported(project: Project, add_text: AddText) -> None:
    doc = add_text(TEXT, title="Damaged")
    with project.engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE document_texts SET block_starts = :starts, astral = :astral "
                "WHERE document_id = :doc"
            ),
            {"starts": b"\x01\x02", "astral": b"", "doc": doc},
        )
    copy = project.document_for_reading(doc)
    assert copy.block_starts == block_starts(TEXT)
    assert copy.astral == astral_positions(TEXT)
    report = check_project(project)
    messages = [p.message for p in report.problems_of("document")]
    assert any("line positions" in m and "Damaged" in m for m in messages), report.problems


def test_a_lost_text_is_reported(project: Project, add_text: AddText) -> None:
    doc = add_text(TEXT, title="Textless")
    with project.engine.begin() as conn:
        conn.execute(text("DELETE FROM document_texts WHERE document_id = :doc"), {"doc": doc})
    report = check_project(project)
    assert any("lost its text" in p.message for p in report.problems_of("document"))
    with pytest.raises(NotFoundError):
        project.document_for_reading(doc)
