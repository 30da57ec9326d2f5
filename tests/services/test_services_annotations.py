"""Claims: create, update (with revision checks), delete, restore with links; claim queries."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from annotator.domain.errors import ConflictError, NotFoundError, ValidationError
from annotator.domain.model import Evidence, QuoteSelector
from annotator.services.api import Project
from annotator.services.changes import Changes

AddText = Callable[..., str]
Mutate = Callable[..., Changes]
Refuse = Callable[..., BaseException]

TEXT = "Intro 😀 line.\n\nThe minister said the treaty was signed in 1997. שלום e\u0301 end."


@pytest.fixture
def doc(add_text: AddText) -> str:
    return add_text(TEXT, title="Report")


@pytest.fixture
def labels(project: Project) -> list[str]:
    return [lab.id for lab in project.labels()]


def test_create_annotation(project: Project, doc: str, labels: list[str], mutate: Mutate) -> None:
    start = TEXT.index("the treaty")
    end = start + len("the treaty was signed in 1997")
    changes = mutate(
        project.create_claim,
        doc,
        start,
        end,
        labels[1],
        note="Which treaty?",
        tags=[" treaty", "Treaty", "dates "],
        evidence=[Evidence("Archive box 12", "https://example.org/12")],
        changed=set(),
        removed=set(),
    )
    claim_id = changes.created_id
    assert claim_id is not None
    assert {(r.entity, r.id) for r in changes.added} == {("annotation", claim_id)}
    assert changes.description == "Create claim"
    claim = project.annotation(claim_id)
    assert (claim.document_id, claim.start, claim.end, claim.label_id) == (
        doc,
        start,
        end,
        labels[1],
    )
    assert claim.quote == QuoteSelector.at(TEXT, start, end)
    assert claim.quote.exact == "the treaty was signed in 1997"
    assert claim.note == "Which treaty?"
    assert claim.tags == ("treaty", "dates")
    assert claim.evidence == (Evidence("Archive box 12", "https://example.org/12"),)
    assert claim.author == project.author
    assert claim.revision == 1 and claim.created == claim.modified
    assert claim.created.tzinfo is not None


def test_create_annotation_over_astral_and_combining_text(
    project: Project, doc: str, labels: list[str]
) -> None:
    start = TEXT.index("😀")
    claim = project.create_claim(doc, start, start + 1, labels[0]).created_id
    assert claim
    assert project.annotation(claim).quote.exact == "😀"
    start = TEXT.index("שלום")
    end = TEXT.index(" end")
    claim = project.create_claim(doc, start, end, labels[0]).created_id
    assert claim
    assert project.annotation(claim).quote.exact == "שלום e\u0301"


@pytest.mark.parametrize(("start", "end"), [(3, 3), (5, 2), (-1, 3), (0, len(TEXT) + 1)])
def test_create_annotation_refuses_bad_spans(
    project: Project, doc: str, labels: list[str], refuse: Refuse, start: int, end: int
) -> None:
    refuse(ValidationError, project.create_claim, doc, start, end, labels[0])


def test_create_annotation_refuses_missing_things(
    project: Project, doc: str, labels: list[str], refuse: Refuse
) -> None:
    refuse(NotFoundError, project.create_claim, "nope", 0, 3, labels[0], match="document")
    refuse(NotFoundError, project.create_claim, doc, 0, 3, "nope", match="label")
    claim = project.create_claim(doc, 0, 3, labels[0]).created_id
    refuse(
        ValidationError,
        project.create_claim,
        doc,
        4,
        6,
        labels[0],
        annotation_id=claim,
        match="exists already",
    )


def test_update_annotation(project: Project, doc: str, labels: list[str], mutate: Mutate) -> None:
    claim_id = project.create_claim(doc, 0, 5, labels[0], tags=["a"]).created_id
    assert claim_id
    before = project.annotation(claim_id)
    changes = mutate(
        project.update_claim,
        claim_id,
        label_id=labels[2],
        note="Loaded language.",
        tags=["b", "B", "c"],
        evidence=[Evidence("Smith 2001")],
        added=set(),
        changed={("annotation", claim_id)},
        removed=set(),
    )
    assert changes.description == "Relabel claim"
    after = project.annotation(claim_id)
    assert after.label_id == labels[2]
    assert after.note == "Loaded language."
    assert after.tags == ("b", "c")
    assert after.evidence == (Evidence("Smith 2001"),)
    assert after.revision == before.revision + 1
    assert after.modified >= before.modified and after.created == before.created
    assert (after.start, after.end, after.quote) == (before.start, before.end, before.quote)
    # Leaving a field out keeps it; an empty value clears it.
    mutate(project.update_claim, claim_id, note="")
    again = project.annotation(claim_id)
    assert again.note == "" and again.tags == ("b", "c") and again.label_id == labels[2]
    mutate(project.update_claim, claim_id, tags=[], evidence=[])
    cleared = project.annotation(claim_id)
    assert cleared.tags == () and cleared.evidence == () and cleared.revision == 4
    assert project.tags_in_use() == []


def test_update_with_expected_revision(
    project: Project, doc: str, labels: list[str], mutate: Mutate, refuse: Refuse
) -> None:
    claim_id = project.create_claim(doc, 0, 5, labels[0]).created_id
    mutate(project.update_claim, claim_id, note="first", expected_revision=1)
    # Someone else's edit made revision 2; an editor still holding revision 1 is refused.
    refuse(
        ConflictError,
        project.update_claim,
        claim_id,
        note="stale",
        expected_revision=1,
        match="changed meanwhile",
    )
    assert project.annotation(claim_id).note == "first"
    mutate(project.update_claim, claim_id, note="fresh", expected_revision=2)
    assert project.annotation(claim_id).revision == 3


def test_update_annotation_refusals(
    project: Project, doc: str, labels: list[str], refuse: Refuse
) -> None:
    claim_id = project.create_claim(doc, 0, 5, labels[0]).created_id
    refuse(NotFoundError, project.update_claim, "nope", note="x")
    refuse(NotFoundError, project.update_claim, claim_id, label_id="nope")
    assert project.annotation(claim_id).revision == 1


def test_delete_annotation_removes_its_links(
    project: Project, add_text: AddText, doc: str, labels: list[str], mutate: Mutate
) -> None:
    other = add_text("Other source repeating the claim.")
    a = project.create_claim(doc, 0, 5, labels[0]).created_id
    b = project.create_claim(other, 0, 5, labels[1]).created_id
    c = project.create_claim(other, 6, 12, labels[1]).created_id
    assert a and b and c
    ab = project.create_link(a, b, "repeats").created_id
    ca = project.create_link(c, a, "contradicts").created_id
    bc = project.create_link(b, c, "cites").created_id
    mutate(
        project.delete_claim,
        a,
        added=set(),
        changed=set(),
        removed={("annotation", a), ("link", ab), ("link", ca)},
    )
    with pytest.raises(NotFoundError):
        project.annotation(a)
    assert [k.id for k in project.links()] == [bc]


def test_delete_missing_annotation(project: Project, refuse: Refuse) -> None:
    refuse(NotFoundError, project.delete_claim, "nope")


def test_restore_annotation_with_links(
    project: Project, add_text: AddText, doc: str, labels: list[str], mutate: Mutate
) -> None:
    other = add_text("Other source repeating the claim.")
    a = project.create_claim(
        doc, 0, 5, labels[0], note="n", tags=["t"], evidence=[Evidence("e")]
    ).created_id
    b = project.create_claim(other, 0, 5, labels[1]).created_id
    c = project.create_claim(other, 6, 12, labels[1]).created_id
    assert a and b and c
    project.update_claim(a, note="edited")  # revision 2
    ab = project.create_link(a, b, "repeats", note="same words").created_id
    ca = project.create_link(c, a, "contradicts").created_id
    assert ab and ca
    claim = project.annotation(a)
    links = project.links(annotation_id=a)
    project.delete_claim(a)
    project.delete_claim(c)  # the other end of one link is gone meanwhile
    changes = mutate(
        project.restore_claim,
        claim,
        links,
        added={("annotation", a), ("link", ab)},
        changed=set(),
        removed=set(),
    )
    assert changes.created_id == a
    assert project.annotation(a) == claim  # same id, times, revision, tags, evidence
    assert project.links(annotation_id=a) == [link for link in links if link.id == ab]


def test_restore_annotation_refusals(
    project: Project, add_text: AddText, doc: str, labels: list[str], refuse: Refuse
) -> None:
    a = project.create_claim(doc, 0, 5, labels[0]).created_id
    assert a
    claim = project.annotation(a)
    refuse(ValidationError, project.restore_claim, claim, match="exists already")
    project.delete_claim(a)
    moved = replace(claim, start=1, end=6)  # the quote no longer matches the text there
    refuse(ValidationError, project.restore_claim, moved, match="does not match")
    refuse(NotFoundError, project.restore_claim, replace(claim, label_id="gone"))
    refuse(NotFoundError, project.restore_claim, replace(claim, document_id="gone"))
    assert project.annotations() == []


def test_restore_skips_links_that_exist_again(
    project: Project, add_text: AddText, doc: str, labels: list[str]
) -> None:
    other = add_text("Other source.")
    a = project.create_claim(doc, 0, 5, labels[0]).created_id
    b = project.create_claim(other, 0, 5, labels[1]).created_id
    assert a and b
    project.create_link(a, b, "repeats")
    claim, links = project.annotation(a), project.links(annotation_id=a)
    project.delete_claim(a)
    # Links handed in twice, or unrelated to the claim, are not duplicated or invented.
    changes = project.restore_claim(claim, [*links, *links])
    assert changes.ids("link") == {links[0].id}
    assert len(project.links()) == 1


def test_claim_queries(project: Project, add_text: AddText, doc: str, labels: list[str]) -> None:
    second = add_text("Second document text.")
    late = project.create_claim(doc, 20, 25, labels[0], tags=["x", "y"]).created_id
    early = project.create_claim(doc, 0, 5, labels[1], tags=["x"]).created_id
    other = project.create_claim(second, 0, 6, labels[1]).created_id
    assert [a.id for a in project.annotations()] == [early, late, other]
    assert [a.id for a in project.annotations(document_id=doc)] == [early, late]
    assert [a.id for a in project.annotations(label_id=labels[1])] == [early, other]
    assert set(project.claims_by_id([late, other, "nope"])) == {late, other}
    assert project.annotation_count() == 3
    assert project.tags_in_use() == [("x", 2), ("y", 1)]
    assert project.claim_counts() == {doc: {labels[0]: 1, labels[1]: 1}, second: {labels[1]: 1}}
    assert project.find_quote(doc, "e") == [i for i, ch in enumerate(TEXT) if ch == "e"]
    assert project.document_text(doc) == TEXT
    with pytest.raises(NotFoundError):
        project.annotation("nope")


def test_bulk_claims_equal_claims_read_one_by_one(
    project: Project, doc: str, labels: list[str], add_text: AddText
) -> None:
    """`annotations()` reads plain rows in bulk; each claim must equal the ORM read of it,
    tags and evidence in their order, with and without filters."""
    other = add_text("Another text with more words to mark here.", title="Other")
    words = [(0, 5), (16, 20), (21, 29), (30, 33)]
    for k, (start, end) in enumerate(words):
        project.create_claim(
            doc,
            start,
            end,
            labels[k % len(labels)],
            note=f"note {k}",
            tags=[f"t{k}", "shared", f"z{k}"][: k + 1],
            evidence=[Evidence(f"cite {k}.{i}", f"https://e.org/{k}/{i}") for i in range(k)],
        )
    project.create_claim(other, 8, 12, labels[0], evidence=[Evidence("no url")])
    for kwargs in ({}, {"document_id": doc}, {"label_id": labels[0]}, {"document_id": other}):
        bulk = project.annotations(**kwargs)  # type: ignore[arg-type]
        assert bulk, kwargs
        assert bulk == [project.annotation(a.id) for a in bulk]
    assert len(project.annotations()) == 5
    assert [a.start for a in project.annotations(document_id=doc)] == sorted(s for s, _ in words)
