"""Source independence (domain.independence): threads of linked claims, dependent corroboration."""

from __future__ import annotations

from annotator.domain.independence import assess_sources, link_threads

COR, CON, REP = "corroborates", "contradicts", "repeats"


def test_threads_are_the_connected_claims() -> None:
    links = [("c3", "c1", COR), ("c2", "c1", CON), ("c9", "c8", REP)]
    assert link_threads(links) == [["c1", "c2", "c3"], ["c8", "c9"]]
    assert link_threads([]) == []


def test_an_independent_corroboration_is_not_dependent() -> None:
    docs = {"a": "D1", "b": "D2"}
    verdict = assess_sources(docs, [("b", "a", COR)])
    assert verdict["a"].corroborated_by == ("D2",)
    assert verdict["b"].corroborated_by == ("D1",)
    assert not verdict["a"].dependent and not verdict["b"].dependent


def test_a_corroborator_that_repeats_the_source_is_not_independent() -> None:
    # D2 corroborates the claim of D1, but another claim of D2 repeats D1: they are tied.
    docs = {"a": "D1", "b": "D2", "r": "D2", "s": "D1"}
    links = [("b", "a", COR), ("r", "s", REP)]
    verdict = assess_sources(docs, links)
    assert verdict["a"].dependent
    assert verdict["r"].repeats == ("D1",) and verdict["s"].repeated_by == ("D2",)


def test_two_corroborators_tied_to_each_other_count_as_one_dependent_pair() -> None:
    docs = {"a": "D1", "b": "D2", "c": "D3"}
    links = [("b", "a", COR), ("c", "a", COR), ("c", "b", REP)]
    verdict = assess_sources(docs, links, {"D1": 1, "D3": 2, "D2": 3})
    assert verdict["a"].corroborated_by == ("D3", "D2")  # in the given source order
    assert verdict["a"].dependent
    # A third, untied corroborator makes it independent again.
    docs["d"] = "D4"
    verdict = assess_sources(docs, [*links, ("d", "a", COR)])
    assert not verdict["a"].dependent


def test_own_source_and_uncorroborated_claims() -> None:
    docs = {"a": "D1", "b": "D1", "c": "D2"}
    verdict = assess_sources(docs, [("b", "a", COR), ("c", "a", CON), ("x", "a", COR)])
    assert verdict["a"].corroborated_by == ()  # its own source is left out
    assert verdict["a"].dependent  # corroborated only by its own source
    assert verdict["a"].contradicted_by == ("D2",)
    assert not verdict["c"].dependent  # not corroborated at all
