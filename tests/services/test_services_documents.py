"""Documents: adding, duplicates, metadata edits, removal (with its claims and links), lookup."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from annotator.domain.errors import NotFoundError, ValidationError
from annotator.domain.model import PartialDate, SourceKind
from annotator.importers.base import ImportedText
from annotator.services.api import Project
from annotator.services.changes import Changes, EntityRef
from annotator.services.documents import DuplicateDocument

AddText = Callable[..., str]
Mutate = Callable[..., Changes]
Refuse = Callable[..., BaseException]


def _imported(text: str, title: str = "", **kw: object) -> ImportedText:
    return ImportedText(text=text, format="text", title=title, **kw)  # type: ignore[arg-type]


def test_add_document_stores_text_metadata_and_bytes(project: Project, mutate: Mutate) -> None:
    raw = "Title line\r\n\r\nFirst para 😀\rsecond line\u2028third.\u2029Last e\u0301."
    imported = _imported(
        raw,
        "  A report ",
        authors=("A. Writer",),
        published=PartialDate(2017, 2),
        url="https://example.org/r",
        language="en",
        pages=(0, 20),
        link_urls=("https://example.org/x",),
        flags=("hidden characters",),
    )
    changes = mutate(project.add_document, imported, b"original bytes", "dir/report.txt")
    doc_id = changes.created_id
    assert doc_id is not None
    assert changes.added == (EntityRef("document", doc_id),)
    doc = project.document(doc_id)
    assert doc.text == "Title line\n\nFirst para 😀\nsecond line\nthird.\nLast e\u0301."
    assert doc.title == "A report"
    assert doc.authors == ("A. Writer",)
    assert doc.published == PartialDate(2017, 2)
    assert doc.file_name == "report.txt" and doc.format == "text"
    assert doc.pages == (0, 20) and doc.link_urls == ("https://example.org/x",)
    assert doc.flags == ("hidden characters",)
    assert [doc.text[s:e] for s, e in doc.paragraphs] == [
        "Title line",
        "First para 😀\nsecond line\nthird.\nLast e\u0301.",
    ]
    assert project.original_bytes(doc_id) == b"original bytes"
    (summary,) = project.documents()
    assert summary.id == doc_id and summary.text_length == len(doc.text)
    assert summary.imported_at.tzinfo is not None


def test_title_falls_back_to_the_file_name(project: Project) -> None:
    for n, title in enumerate(["", "   "]):
        doc = project.add_document(_imported("text", title), f"b{n}".encode(), f"notes-{n}.txt")
        assert doc.created_id
        assert project.document(doc.created_id).title == f"notes-{n}"


def test_add_document_with_overrides(project: Project) -> None:
    doc = project.add_document(
        _imported("text", "From file"),
        b"x",
        "x.txt",
        title="Given title",
        authors="A; B",
        published="2001-09",
        source_kind="Primary",
    ).created_id
    assert doc
    d = project.document(doc)
    assert (d.title, d.authors, d.published, d.source_kind) == (
        "Given title",
        ("A", "B"),
        PartialDate(2001, 9),
        SourceKind.PRIMARY,
    )


def test_add_document_refuses_unknown_and_bad_overrides(project: Project, refuse: Refuse) -> None:
    refuse(ValidationError, project.add_document, _imported("t"), b"x", "x.txt", colour="red")
    refuse(ValidationError, project.add_document, _imported("t"), b"x", "x.txt", published="soon")
    assert project.documents() == []


def test_duplicate_document_by_hash(project: Project, refuse: Refuse) -> None:
    first = project.add_document(_imported("Text A", "First"), b"same bytes", "a.txt").created_id
    error = refuse(
        DuplicateDocument,
        project.add_document,
        _imported("Other text", "Second"),
        b"same bytes",
        "copy.txt",
        match="already in the project",
    )
    assert isinstance(error, DuplicateDocument) and isinstance(error, ValidationError)
    assert error.existing_id == first
    assert "First" in str(error) and "copy.txt" in str(error)
    assert len(project.documents()) == 1
    # Same text, different bytes: a different document.
    assert project.add_document(_imported("Text A", "First"), b"same bytes\n", "b.txt").created_id


def test_update_document_fields(project: Project, add_text: AddText, mutate: Mutate) -> None:
    doc = add_text("Some text.")
    mutate(
        project.update_document,
        doc,
        title="  New title ",
        authors="Smith, J.;  Doe, A. ;",
        publisher=" Daily Paper ",
        published="2017-02-21",
        url="https://example.org/a",
        language="de",
        source_kind="secondary",
        provenance_note="Found in the archive.",
        reliability_note="Partisan.",
        changed={("document", doc)},
        added=set(),
        removed=set(),
    )
    d = project.document(doc)
    assert d.title == "New title"
    assert d.authors == ("Smith, J.", "Doe, A.")
    assert d.publisher == "Daily Paper"
    assert d.published == PartialDate(2017, 2, 21)
    assert d.source_kind is SourceKind.SECONDARY
    assert (d.url, d.language) == ("https://example.org/a", "de")
    assert (d.provenance_note, d.reliability_note) == ("Found in the archive.", "Partisan.")
    assert d.text == "Some text."  # the text is never edited
    # Lists and PartialDate values work as well as strings; empty clears.
    mutate(project.update_document, doc, authors=["X", " ", "Y"], published=PartialDate(1999))
    d = project.document(doc)
    assert d.authors == ("X", "Y") and d.published == PartialDate(1999)
    mutate(project.update_document, doc, published=2003)
    assert project.document(doc).published == PartialDate(2003)
    mutate(project.update_document, doc, published="", authors="")
    d = project.document(doc)
    assert d.published is None and d.authors == ()


@pytest.mark.parametrize(
    ("fields", "match"),
    [
        ({"published": "2017-02-30"}, "Not a valid date"),
        ({"published": "21/02/2017"}, "Not a date"),
        ({"published": "2017-13"}, "Not a valid date"),
        ({"source_kind": "blog"}, "Not a source kind"),
        ({"title": "   "}, "needs a title"),
        ({"text": "new text"}, "Not an editable document field"),
        ({"sha256": "0" * 64}, "Not an editable document field"),
    ],
)
def test_update_document_validation(
    project: Project, add_text: AddText, refuse: Refuse, fields: dict[str, object], match: str
) -> None:
    doc = add_text("Some text.", title="Kept")
    refuse(ValidationError, project.update_document, doc, match=match, **fields)
    assert project.document(doc).title == "Kept"


def test_update_missing_document(project: Project, refuse: Refuse) -> None:
    refuse(NotFoundError, project.update_document, "nope", title="x")


def test_delete_document_removes_its_claims_and_links(
    project: Project, add_text: AddText, mutate: Mutate
) -> None:
    doomed = add_text("Claim one. Claim two. Claim three.")
    kept = add_text("Another source with claims.")
    label = project.labels()[0].id
    a1 = project.create_claim(doomed, 0, 9, label).created_id
    a2 = project.create_claim(doomed, 11, 20, label).created_id
    a3 = project.create_claim(doomed, 22, 33, label).created_id
    b1 = project.create_claim(kept, 0, 7, label).created_id
    b2 = project.create_claim(kept, 8, 14, label).created_id
    assert a1 and a2 and a3 and b1 and b2
    inner = project.create_link(a1, a2, "repeats").created_id  # both ends in the document
    outgoing = project.create_link(a3, b1, "contradicts").created_id
    incoming = project.create_link(b2, a1, "corroborates").created_id
    survivor = project.create_link(b1, b2, "cites").created_id
    assert inner and outgoing and incoming and survivor
    changes = mutate(
        project.delete_document,
        doomed,
        added=set(),
        changed=set(),
        removed={
            ("document", doomed),
            ("annotation", a1),
            ("annotation", a2),
            ("annotation", a3),
            ("link", inner),
            ("link", outgoing),
            ("link", incoming),
        },
    )
    assert changes.ids("link") == {inner, outgoing, incoming}
    assert [d.id for d in project.documents()] == [kept]
    assert {a.id for a in project.annotations()} == {b1, b2}
    assert [k.id for k in project.links()] == [survivor]
    with pytest.raises(NotFoundError):
        project.original_bytes(doomed)
    assert project.claim_counts() == {kept: {label: 2}}


def test_delete_missing_document(project: Project, refuse: Refuse) -> None:
    refuse(NotFoundError, project.delete_document, "nope")


def test_find_document(project: Project, add_text: AddText) -> None:
    ids = [
        add_text("a", title="Treaty report"),
        add_text("b", title="Treaty rebuttal"),
        add_text("c", title="Archive notes"),
    ]
    assert project.find_document(ids[1]).id == ids[1]
    assert project.find_document("1").id == ids[0]
    assert project.find_document("3").id == ids[2]
    assert project.find_document("arch").id == ids[2]
    assert project.find_document("  TREATY REP").id == ids[0]
    assert project.find_document(ids[2][:8]).id == ids[2]  # the short id the listings show
    with pytest.raises(NotFoundError) as info:
        project.find_document("treaty")
    message = str(info.value)
    assert "2 documents" in message
    assert "Treaty report" in message and "Treaty rebuttal" in message
    assert ids[0][:8] in message and ids[1][:8] in message
    for ref in ("zzz", "4", "0", ""):
        with pytest.raises(NotFoundError, match="No document matches"):
            project.find_document(ref)


def test_document_lookups_of_missing_ids(project: Project) -> None:
    with pytest.raises(NotFoundError):
        project.document("nope")
    with pytest.raises(NotFoundError):
        project.original_bytes("nope")
    with pytest.raises(NotFoundError):
        project.document_text("nope")
    assert project.find_by_hash("0" * 64) is None


def test_documents_keep_their_import_order(project: Project, add_text: AddText) -> None:
    ids = [add_text(f"text {n}", title=f"{'zyx'[n]} title") for n in range(3)]
    assert [d.id for d in project.documents()] == ids
    assert [d.position for d in project.documents()] == [1, 2, 3]
