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
        ("Shachtman", {"korea"}),  # in the quote and the note
        ("historians", {"korea"}),  # note only
        ("historian", {"korea"}),  # stemmed
        ("worker", {"workers"}),  # stemmed, inside quotes in the text
        ('"ruling class"', {"ruling"}),
        ('"class ruling"', set()),
        ("Russia AND campaign", {"campaign"}),
        ("Korea OR memoirs", {"korea", "theory"}),
        ("Russia NOT campaign", {"ruling"}),  # its tag says Russia
        ("russia", {"campaign", "ruling"}),  # tag words are searched too
        ("(Korea OR memoirs) AND NOT Shachtman", {"theory"}),
        ("label:disputed", {"korea", "workers"}),
        ("label:Disputed Shachtman", {"korea"}),
        ("label:2", {"korea", "workers"}),  # by key
        ("label:(sourced OR polemical)", {"campaign", "ruling", "theory"}),
        ("tag:russia", {"campaign", "ruling"}),
        ('tag:"cold war"', {"korea"}),
        ("tag:cold*", {"korea"}),
        ("doc:russia", {"korea", "campaign", "ruling"}),
        ('doc:"socialist organization"', {"workers", "theory"}),
        ("note:contested", {"korea"}),
        ("quote:contested", set()),
        ("quote:Korea", set()),
        ("note:Korea", {"korea"}),
        ("relation:contradicts", {"korea", "workers"}),
        ("relation:contra", {"korea", "workers"}),
        ("relation:corroborates", set()),
        ("published:2017", {"korea", "campaign", "ruling"}),
        ("published:2017-02", {"korea", "campaign", "ruling"}),
        ("published:>2015", {"korea", "campaign", "ruling"}),
        ("published:<2015", {"workers", "theory"}),
        ("published:<2014", set()),
        ("published:<=2014", {"workers", "theory"}),
        ("published:2010..2015", {"workers", "theory"}),
        ("Shachtmann~", {"korea"}),
        ("Shachtmen~1", {"korea"}),
        ("counterrevolution*", {"korea"}),
        ("*:*", {"korea", "campaign", "ruling", "workers", "theory"}),
    ],
)
def test_query_language(
    service: SearchService, corpus: object, query: str, expected: set[str]
) -> None:
    results = service.search(query)
    assert names(results, corpus) == expected, (query, results.notice)
    assert results.total == len(expected)


def test_context_hits_rank_last(project: Project, service: SearchService, corpus: object) -> None:
    russia = corpus.russia  # type: ignore[attr-defined]
    text = project.document_text(russia)
    start = text.index("He supported the war")
    war = project.create_claim(russia, start, start + 20, corpus.labels["sourced"])  # type: ignore[attr-defined]
    service.update()
    results = service.search("counterrevolutionary")
    assert [h.claim_id for h in results.hits] == [corpus.claims["korea"], war.created_id]  # type: ignore[attr-defined]
    assert [h.detail_field for h in results.hits] == ["", "context"]
    assert results.hits[1].snippet_text == "He supported the war"  # the quote, always
    assert "«counterrevolutionary»" in __import__("annotator.search").search.marked(
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
    wiki = corpus.wiki  # type: ignore[attr-defined]
    assert names(service.search(f"doc:{wiki[:8]}"), corpus) == {"workers", "theory"}
    assert names(service.search(f"doc:{wiki}"), corpus) == {"workers", "theory"}


def test_label_rename_needs_no_reindex(
    project: Project, service: SearchService, corpus: object
) -> None:
    disputed = corpus.labels["disputed"]  # type: ignore[attr-defined]
    project.update_label(disputed, name="contested")
    assert names(service.search("label:contested"), corpus) == {"korea", "workers"}
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
    results = service.search('"no longer a" workers', kind="passages")
    assert results.total == 1
    hit = results.hits[0]
    text = project.document_text(hit.document_id)
    assert hit.kind == "passage" and hit.claim_id is None
    assert text[hit.start : hit.end] == hit.quote
    assert "no longer" in hit.quote and hit.paragraph == 1
    assert hit.document_id == corpus.wiki  # type: ignore[attr-defined]
    # Claim fields do not apply to passages: ignored, with a notice.
    results = service.search("label:disputed Moscow", kind="passages")
    assert results.total == 1 and "passages" in (results.notice or "")
    assert service.search("doc:russia Moscow", kind="passages").total == 1
    assert service.search("doc:socialist Moscow", kind="passages").total == 0
    assert service.search("published:2014", kind="passages").total == 3
