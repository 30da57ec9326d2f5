"""Bad queries get an answer or a clear notice, never an exception; "did you mean"."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.search import SearchService


@pytest.mark.parametrize(
    ("query", "notice"),
    [
        ('"no longer a dockers', "quotation mark"),
        ("(Halvorsen OR Harnby", "brackets"),
        ("Halvorsen)", "brackets"),
        ("NOT", "NOT"),
        ("Halvorsen NOT", "NOT"),
        ("AND Halvorsen", "AND"),
        ("Halvorsen OR OR Harnby", "OR"),
        ("label:", "needs a value"),
        ("label: Halvorsen", "needs a value"),
        ("()", "brackets"),
        ("Halvorsen^", "^"),
    ],
)
def test_malformed_queries_fall_back_and_say_so(
    service: SearchService, query: str, notice: str
) -> None:
    results = service.search(query)
    assert results.notice and notice in results.notice, results.notice
    if "Halvorsen" in query:
        assert results.total >= 1


def test_plain_words_fallback_finds_the_words(service: SearchService) -> None:
    results = service.search('"no longer a dockers')
    assert results.fallback and results.total == 1
    assert "plain words" in (results.notice or "")


def test_very_long_query(service: SearchService) -> None:
    results = service.search("Halvorsen " + "x" * 10_000)
    assert "too long" in (results.notice or "")
    results = service.search("Halvorsen " * 2000)
    assert results.total == 1 and "too long" in (results.notice or "")


def test_control_characters(service: SearchService) -> None:
    results = service.search("Halvor\x00sen\x07 \x1b[31mHarnby\u200b\ufeff")
    assert results.total >= 0
    assert service.search("\x00\x01\x02").total == 5  # nothing left: everything
    assert service.search("Halvorsen\tHarnby\nsale").total == 1


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
    assert service.search("Halvorsen", page=0, page_size=0).page == 1


def test_did_you_mean(service: SearchService) -> None:
    results = service.search("Halvorsan")
    assert results.total == 0 and results.did_you_mean == "Halvorsen"
    results = service.search("label:disputed Halvorsan")
    assert results.did_you_mean == "label:disputed Halvorsen"
    results = service.search("strikebreakng part")
    assert results.did_you_mean == "strikebreaking part"
    assert service.search("Halvorsen").did_you_mean is None
    assert service.search("zzzzqqq").did_you_mean is None
    results = service.search("Halvorssan", kind="passages")  # the guild's spelling
    assert results.did_you_mean == "Halvorssen"


TOKENS = [
    *"\"()*~^:.-<>= \t\\'",
    *("AND", "OR", "NOT", "label:", "tag:", "doc:", "created:", "published:", "relation:"),
    *("..", "*:*", "Halvorsen", "Harnby", "2017", ">", "zzslot:0"),
]


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=4)), max_size=15))
def test_random_queries_never_raise(service: SearchService, parts: list[str]) -> None:
    query = "".join(parts)
    for kind in ("claims", "passages"):
        results = service.search(query, kind=kind)
        assert 0 <= len(results.hits) <= results.total or results.total == 0
