"""The built-in demo (`app.demo.build_demo`), in-process."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.app.demo import CLAIMS, ENCYCLOPEDIA, LINKS, PAMPHLET, build_demo, demo_dir
from annotator.domain.anchoring import anchor
from annotator.domain.errors import AnnotatorError
from annotator.domain.text import utf16_length
from annotator.services.api import Project
from annotator.services.check import check_project


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Project]:
    project = build_demo(tmp_path_factory.mktemp("demo") / "demo.annot")
    try:
        yield project
    finally:
        project.close()


def test_the_demo_files_are_shipped_resources() -> None:
    folder = demo_dir()
    assert (folder / PAMPHLET).is_file() and (folder / ENCYCLOPEDIA).is_file()


def test_two_contrasting_documents_through_the_real_importers(demo: Project) -> None:
    pamphlet, entry = (demo.document(d.id) for d in demo.documents())
    assert (pamphlet.file_name, pamphlet.format) == (PAMPHLET, "md")
    assert (entry.file_name, entry.format) == (ENCYCLOPEDIA, "txt")
    # The pamphlet: byline and date line found by the importer, loaded language, footnotes,
    # a non-ASCII name and an emoji outside the BMP.
    assert pamphlet.authors == ("Tomás Ó Ceallaigh",)
    assert pamphlet.published is not None and pamphlet.published.iso() == "1931-03-14"
    assert "[1]" in pamphlet.text and "lapdog" in pamphlet.text
    assert "🔥" in pamphlet.text and utf16_length(pamphlet.text) > len(pamphlet.text)
    assert "Wróblewska" in pamphlet.text
    assert "*" not in pamphlet.text and "#" not in pamphlet.text  # Markdown rendered
    # The entry: neutral, with both kinds of footnote marker.
    assert entry.title == "Velmora dock strike of 1931"
    assert "[1]" in entry.text and "[note 1]" in entry.text
    assert len(pamphlet.paragraphs) >= 3 and len(entry.paragraphs) >= 3
    assert pamphlet.source_kind.value == "primary" and entry.source_kind.value == "tertiary"


def test_claims_anchor_and_cover_every_label(demo: Project) -> None:
    claims = demo.annotations()
    assert len(claims) == len(CLAIMS) == 6
    for claim in claims:
        text = demo.document_text(claim.document_id)
        assert text[claim.start : claim.end] == claim.quote.exact
        found = anchor(text, claim.quote, claim.start, claim.end)
        assert found is not None and found.method == "position"
    labels = {lab.id: lab.name for lab in demo.labels()}
    assert {labels[c.label_id] for c in claims} == {"sourced", "disputed", "polemical"}
    assert all(c.tags for c in claims)
    assert sum(1 for c in claims if c.note) >= 4
    urls = [e.url for c in claims for e in c.evidence if e.url]
    assert urls and all(u.startswith("https://") for u in urls)
    # Claims in the pamphlet lie after its emoji: offsets there differ from UTF-16 positions.
    pamphlet = demo.documents()[0].id
    text = demo.document_text(pamphlet)
    assert all(c.start > text.index("🔥") for c in claims if c.document_id == pamphlet)


def test_links_cross_documents(demo: Project) -> None:
    links = demo.links()
    assert len(links) == len(LINKS) >= 2
    claims = {c.id: c for c in demo.annotations()}
    for link in links:
        assert claims[link.source_id].document_id != claims[link.target_id].document_id
    relations = {link.relation.value for link in links}
    assert "corroborates" in relations and relations & {"contradicts", "repeats"}


def test_the_demo_passes_the_check(demo: Project) -> None:
    report = check_project(demo)
    assert report.ok, report.problems


def test_the_demo_refuses_an_existing_path(tmp_path: Path) -> None:
    path = tmp_path / "taken.annot"
    path.write_bytes(b"mine")
    with pytest.raises(AnnotatorError, match="exists"):
        build_demo(path)
    assert path.read_bytes() == b"mine"
