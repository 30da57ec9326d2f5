"""Bad queries get an answer or a clear notice, never an exception; "did you mean"."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.search import SearchService


@pytest.mark.parametrize(
    ("query", "notice"),
    [
        ('"no longer a workers', "quotation mark"),
        ("(Shachtman OR Korea", "brackets"),
        ("Shachtman)", "brackets"),
        ("NOT", "NOT"),
        ("Shachtman NOT", "NOT"),
        ("AND Shachtman", "AND"),
        ("Shachtman OR OR Korea", "OR"),
        ("label:", "needs a value"),
        ("label: Shachtman", "needs a value"),
        ("()", "brackets"),
        ("Shachtman^", "^"),
    ],
)
def test_malformed_queries_fall_back_and_say_so(
    service: SearchService, query: str, notice: str
) -> None:
    results = service.search(query)
    assert results.notice and notice in results.notice, results.notice
    if "Shachtman" in query:
        assert results.total >= 1


def test_plain_words_fallback_finds_the_words(service: SearchService) -> None:
    results = service.search('"no longer a workers')
    assert results.fallback and results.total == 1
    assert "plain words" in (results.notice or "")


def test_very_long_query(service: SearchService) -> None:
    results = service.search("Shachtman " + "x" * 10_000)
    assert "too long" in (results.notice or "")
    results = service.search("Shachtman " * 2000)
    assert results.total == 1 and "too long" in (results.notice or "")


def test_control_characters(service: SearchService) -> None:
    results = service.search("Shach\x00tman\x07 \x1b[31mKorea\u200b\ufeff")
    assert results.total >= 0
    assert service.search("\x00\x01\x02").total == 5  # nothing left: everything
    assert service.search("Shachtman\tKorea\nwar").total == 1


def test_common_words_only(service: SearchService) -> None:
    results = service.search("the a of")
    assert results.total == 0 and "Nothing to search for" in (results.notice or "")


def test_empty_query_lists_everything_in_document_order(service: SearchService) -> None:
    results = service.search("   ")
    assert results.total == 5 and results.notice is None


def test_bad_arguments_are_programming_errors(service: SearchService) -> None:
    with pytest.raises(ValueError):
        service.search("x", kind="nonsense")
    with pytest.raises(ValueError):
        service.search("x", sort="nonsense")
    assert service.search("Shachtman", page=0, page_size=0).page == 1


def test_did_you_mean(service: SearchService) -> None:
    results = service.search("Shachtmen")
    assert results.total == 0 and results.did_you_mean == "Shachtman"
    results = service.search("label:disputed Shachtmen")
    assert results.did_you_mean == "label:disputed Shachtman"
    results = service.search("counterrevolutionery role")
    assert results.did_you_mean == "counterrevolutionary role"
    assert service.search("Shachtman").did_you_mean is None
    assert service.search("zzzzqqq").did_you_mean is None
    results = service.search("Schachtmen", kind="passages")  # the wiki's spelling
    assert results.did_you_mean == "Schachtman"


TOKENS = [
    *"\"()*~^:.-<>= \t\\'",
    *("AND", "OR", "NOT", "label:", "tag:", "doc:", "created:", "published:", "relation:"),
    *("..", "*:*", "Shachtman", "Korea", "2017", ">", "zzslot:0"),
]


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=4)), max_size=15))
def test_random_queries_never_raise(service: SearchService, parts: list[str]) -> None:
    query = "".join(parts)
    for kind in ("claims", "passages"):
        results = service.search(query, kind=kind)
        assert 0 <= len(results.hits) <= results.total or results.total == 0
