"""Every feature of the query language, on a small known corpus."""

from __future__ import annotations

import pytest

from annotator.search import SearchResults, SearchService
from annotator.services.api import Project


def names(results: SearchResults, corpus: object) -> set[str]:
    by_id = {v: k for k, v in corpus.claims.items()}  # type: ignore[attr-defined]
    return {by_id[h.claim_id] for h in results.hits if h.claim_id}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Halvorsen", {"harnby"}),  # in the quote and the note
        ("historians", {"harnby"}),  # note only
        ("historian", {"harnby"}),  # stemmed
        ("docker", {"dockers"}),  # stemmed, inside quotes in the text
        ('"harbour board"', {"board"}),
        ('"board harbour"', set()),
        ("Tidewater AND campaign", {"campaign"}),
        ("Harnby OR memoirs", {"harnby", "studies"}),
        ("Tidewater NOT campaign", {"board"}),  # its tag says Tidewater
        ("tidewater", {"campaign", "board"}),  # tag words are searched too
        ("(Harnby OR memoirs) AND NOT Halvorsen", {"studies"}),
        ("label:disputed", {"harnby", "dockers"}),
        ("label:Disputed Halvorsen", {"harnby"}),
        ("label:2", {"harnby", "dockers"}),  # by key
        ("label:(sourced OR polemical)", {"campaign", "board", "studies"}),
        ("tag:tidewater", {"campaign", "board"}),
        ('tag:"great flood"', {"harnby"}),
        ("tag:great*", {"harnby"}),
        ("doc:closure", {"harnby", "campaign", "board"}),
        ('doc:"pilots guild"', {"dockers", "studies"}),
        ("note:contested", {"harnby"}),
        ("quote:contested", set()),
        ("quote:Harnby", set()),
        ("note:Harnby", {"harnby"}),
        ("relation:contradicts", {"harnby", "dockers"}),
        ("relation:contra", {"harnby", "dockers"}),
        ("relation:corroborates", set()),
        ("published:2017", {"harnby", "campaign", "board"}),
        ("published:2017-02", {"harnby", "campaign", "board"}),
        ("published:>2015", {"harnby", "campaign", "board"}),
        ("published:<2015", {"dockers", "studies"}),
        ("published:<2014", set()),
        ("published:<=2014", {"dockers", "studies"}),
        ("published:2010..2015", {"dockers", "studies"}),
        ("Halvorsenn~", {"harnby"}),
        ("Halvorsan~1", {"harnby"}),
        ("strikebreak*", {"harnby"}),
        ("*:*", {"harnby", "campaign", "board", "dockers", "studies"}),
    ],
)
def test_query_language(
    service: SearchService, corpus: object, query: str, expected: set[str]
) -> None:
    results = service.search(query)
    assert names(results, corpus) == expected, (query, results.notice)
    assert results.total == len(expected)


def test_context_hits_rank_last(project: Project, service: SearchService, corpus: object) -> None:
    closure = corpus.closure  # type: ignore[attr-defined]
    text = project.document_text(closure)
    start = text.index("He backed the sale")
    sale = project.create_claim(closure, start, start + 18, corpus.labels["sourced"])  # type: ignore[attr-defined]
    service.update()
    results = service.search("strikebreaking")
    assert [h.claim_id for h in results.hits] == [corpus.claims["harnby"], sale.created_id]  # type: ignore[attr-defined]
    assert [h.detail_field for h in results.hits] == ["", "context"]
    assert results.hits[1].snippet_text == "He backed the sale"  # the quote, always
    assert "«strikebreaking»" in __import__("annotator.search").search.marked(
        results.hits[1].detail_text, results.hits[1].detail_highlights
    )


def test_author_and_dates(project: Project, service: SearchService, corpus: object) -> None:
    me = project.author.split()[0].lower()
    assert len(service.search(f"author:{me}").hits) == 5
    assert service.search("author:nobody").total == 0
    assert service.search("created:2000..2100").total == 5
    assert service.search("created:..1999").total == 0
    assert service.search("modified:>=2000-01-01").total == 5
    assert service.search("created:>2999").total == 0


def test_doc_by_id_prefix(service: SearchService, corpus: object) -> None:
    guild = corpus.guild  # type: ignore[attr-defined]
    assert names(service.search(f"doc:{guild[:8]}"), corpus) == {"dockers", "studies"}
    assert names(service.search(f"doc:{guild}"), corpus) == {"dockers", "studies"}


def test_label_rename_needs_no_reindex(
    project: Project, service: SearchService, corpus: object
) -> None:
    disputed = corpus.labels["disputed"]  # type: ignore[attr-defined]
    project.update_label(disputed, name="contested")
    assert names(service.search("label:contested"), corpus) == {"harnby", "dockers"}
    assert "No label" in (service.search("label:disputed").notice or "")


def test_unknown_names_answer_with_a_notice(service: SearchService) -> None:
    for query, words in [
        ("label:nonsense", "No label"),
        ("doc:zanzibar", "No document"),
        ("relation:likes", "No relation"),
        ("created:2026-13", "Not a date"),
        ("colour:red war", "not a field"),
    ]:
        results = service.search(query)
        assert results.notice and words in results.notice, query


def test_passages(service: SearchService, corpus: object, project: Project) -> None:
    results = service.search('"no longer a" dockers', kind="passages")
    assert results.total == 1
    hit = results.hits[0]
    text = project.document_text(hit.document_id)
    assert hit.kind == "passage" and hit.claim_id is None
    assert text[hit.start : hit.end] == hit.quote
    assert "no longer" in hit.quote and hit.paragraph == 1
    assert hit.document_id == corpus.guild  # type: ignore[attr-defined]
    # Claim fields do not apply to passages: ignored, with a notice.
    results = service.search("label:disputed Brackwater", kind="passages")
    assert results.total == 1 and "passages" in (results.notice or "")
    assert service.search("doc:closure Brackwater", kind="passages").total == 1
    assert service.search("doc:guild Brackwater", kind="passages").total == 0
    assert service.search("published:2014", kind="passages").total == 3
