"""Where claims are, through the project: locators from the stored paragraphs and pages."""

from __future__ import annotations

from pathlib import Path

from annotator.domain.imported import ImportedText
from annotator.domain.location import Location
from annotator.services.api import Project
from own_samples import OWN_ARTICLE

TEXT = "Title\n\nBy someone\n1 May 1931\n\nFirst page ends.\n\nSecond page 📜 begins here."


def test_claim_locations_use_paragraphs_and_pages(project: Project) -> None:
    pages = (0, TEXT.index("Second page"))
    paged = ImportedText(text=TEXT, format="pdf", title="Paged", pages=pages)
    plain = ImportedText(text=TEXT, format="text", title="Plain")
    paged_id = project.add_document(paged, b"1", "a.pdf").created_id
    plain_id = project.add_document(plain, b"2", "a.txt").created_id
    assert paged_id and plain_id
    label = project.label("sourced").id
    for doc in (paged_id, plain_id):
        for quote in ("First page", "begins here"):
            start = TEXT.index(quote)
            project.create_claim(doc, start, start + len(quote), label)
    claims = project.annotations()
    where = {
        (a.document_id, a.quote.exact): loc
        for a, loc in zip(claims, project.claim_locations(claims).values(), strict=True)
    }
    assert where[(paged_id, "First page")] == Location(3, 1)
    assert where[(paged_id, "begins here")] == Location(4, 2)  # after an emoji: code points
    assert where[(plain_id, "begins here")] == Location(4, None)
    assert project.claim_location(claims[0]) == project.claim_locations(claims)[claims[0].id]
    assert set(project.locators()) == {paged_id, plain_id}
    assert project.locators([plain_id])[plain_id].paragraphs[0] == (0, 5)


def test_the_markdown_samples_first_body_paragraph_is_paragraph_3(
    project: Project, own_samples: Path
) -> None:
    from annotator.app.imports import import_files

    (result,) = import_files(project, [own_samples / OWN_ARTICLE])
    assert result.document_id is not None
    text = project.document_text(result.document_id)
    start = text.index("For six weeks now")
    project.create_claim(result.document_id, start, start + 18, project.label("sourced").id)
    (claim,) = project.annotations()
    assert project.claim_location(claim) == Location(3, None)  # title, byline, then the body
