"""Agreement: the matching rule, Cohen's kappa by hand, Krippendorff's alpha against the
`krippendorff` package on generated reliability data with missing values."""

from __future__ import annotations

import math
import random
import warnings

import krippendorff
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.domain.agreement import (
    CodedSpan,
    build_units,
    cohen_kappa,
    krippendorff_alpha,
    match_pair,
    measure_agreement,
    overlap_coefficient,
    percent_agreement,
    spans_match,
)
from annotator.domain.errors import ValidationError

_n = 0


def span(
    start: int, end: int, who: str = "ann", label: str = "sourced", doc: str = "d1"
) -> CodedSpan:
    global _n
    _n += 1
    return CodedSpan(f"{who}-{_n:04d}", doc, start, end, who, label)


# -- the matching rule ---------------------------------------------------------------------------


def test_threshold_edge_is_inclusive_on_the_shorter_span() -> None:
    a = span(0, 10, "ann")
    assert spans_match(a, span(5, 20, "bob"))  # 5 shared of the shorter 10: exactly 0.5
    assert not spans_match(a, span(6, 20, "bob"))  # 4 of 10
    assert overlap_coefficient(a, span(5, 20, "bob")) == 0.5
    assert spans_match(a, span(6, 20, "bob"), threshold=0.4)
    assert not spans_match(a, span(5, 20, "bob"), threshold=0.51)


def test_nested_span_matches_whatever_its_length_ratio() -> None:
    sentence = span(0, 120, "ann")
    clause = span(40, 80, "bob")
    assert overlap_coefficient(sentence, clause) == 1.0  # Jaccard would be 1/3
    assert spans_match(sentence, clause, threshold=1.0)


def test_touching_spans_share_nothing_and_never_match() -> None:
    assert not spans_match(span(0, 10, "ann"), span(10, 20, "bob"), threshold=0.0001)


def test_different_documents_never_match() -> None:
    a = span(0, 10, "ann", doc="d1")
    b = span(0, 10, "bob", doc="d2")
    assert not spans_match(a, b)
    assert match_pair([a], [b]) == []
    report = measure_agreement([a, b])
    assert report.overall.matched_units == 0
    assert report.overall.unmatched == {"ann": (a,), "bob": (b,)}


def test_the_same_annotator_never_matches_herself() -> None:
    assert not spans_match(span(0, 10, "ann"), span(0, 10, "ann"))


def test_matching_is_one_to_one() -> None:
    long = span(0, 100, "ann")
    inner_big = span(10, 60, "bob")
    inner_small = span(70, 80, "bob")
    pairs = match_pair([long], [inner_big, inner_small])
    assert pairs == [(long, inner_big)]
    report = measure_agreement([long, inner_big, inner_small])
    (pair,) = report.overall.pairs
    assert pair.units == 1 and pair.only_second == (inner_small,)
    assert report.overall.unmatched["bob"] == (inner_small,)


def test_greedy_takes_the_largest_overlap_first() -> None:
    a1 = span(0, 10, "ann")
    a2 = span(8, 20, "ann")
    b1 = span(5, 18, "bob")  # 5 characters with a1 (0.5), 10 with a2
    assert match_pair([a1, a2], [b1]) == [(a2, b1)]


def test_matching_does_not_depend_on_the_order_claims_come_in() -> None:
    rng = random.Random(7)
    claims = []
    for who in ("ann", "bob", "cy"):
        for _ in range(25):
            start = rng.randrange(0, 400)
            claims.append(span(start, start + rng.randrange(1, 40), who, rng.choice("xyz")))
    expected = build_units(claims)
    for _ in range(5):
        rng.shuffle(claims)
        assert build_units(claims) == expected


def test_a_unit_holds_claims_that_all_match_each_other() -> None:
    # bob's claim overlaps both, but ann's and cy's do not overlap each other enough.
    ann = span(0, 10, "ann", "x")
    bob = span(4, 16, "bob", "x")  # 6 with ann (0.6 of 10), 8 with cy
    cy = span(8, 20, "cy", "y")  # 2 with ann: no match
    units = build_units([ann, bob, cy])
    assert sorted(len(u) for u in units) == [1, 2]
    assert (bob, cy) in units  # the larger overlap was merged first
    assert ann in [u[0] for u in units if len(u) == 1]
    for unit in units:
        assert len({c.annotator for c in unit}) == len(unit)


# -- Cohen's kappa and percent agreement --------------------------------------------------------


def test_cohen_kappa_by_hand_on_a_two_by_two_table() -> None:
    # yes/yes 20, yes/no 5, no/yes 10, no/no 15: po = 0.7, pe = 0.5*0.6 + 0.5*0.4 = 0.5.
    table = [("y", "y")] * 20 + [("y", "n")] * 5 + [("n", "y")] * 10 + [("n", "n")] * 15
    assert percent_agreement(table).value == pytest.approx(0.7)
    assert cohen_kappa(table).value == pytest.approx(0.4)


def test_cohen_kappa_by_hand_on_three_labels() -> None:
    # rows: ann, columns: bob; sourced/disputed/polemical
    counts = {
        ("s", "s"): 5, ("s", "d"): 1, ("d", "d"): 3, ("d", "p"): 1, ("p", "p"): 2, ("p", "s"): 0,
    }  # fmt: skip
    table = [pair for pair, n in counts.items() for _ in range(n)]
    # n = 12, po = 10/12; ann: s6 d4 p2; bob: s5 d4 p3; pe = (30 + 16 + 6) / 144
    po, pe = 10 / 12, 52 / 144
    assert cohen_kappa(table).value == pytest.approx((po - pe) / (1 - pe))


def test_undefined_figures_are_none_with_a_reason() -> None:
    assert cohen_kappa([]).value is None and cohen_kappa([]).reason == "no matched units"
    same = cohen_kappa([("s", "s")] * 4)
    assert same.value is None and same.reason is not None and "no variation" in same.reason
    assert percent_agreement([("s", "s")] * 4).value == 1.0
    alone = measure_agreement([span(0, 5, "ann"), span(10, 20, "ann")])
    assert alone.overall.pairs == ()
    assert alone.overall.krippendorff_alpha.value is None
    assert alone.overall.krippendorff_alpha.reason == "only one annotator (ann) has claims"


# -- Krippendorff's alpha -------------------------------------------------------------------------


def test_alpha_on_krippendorffs_own_example() -> None:
    # Krippendorff (2011), "Computing Krippendorff's alpha-reliability", nominal data: 0.743.
    rows = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
        [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
    ]
    units = [[v for v in column if v is not None] for column in zip(*rows, strict=True)]
    alpha = krippendorff_alpha(units).value
    assert alpha is not None and round(alpha, 3) == 0.743


def _reference_alpha(rows: list[list[int | None]]) -> float | None:
    data = [[math.nan if v is None else float(v) for v in row] for row in rows]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            value = float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))
    except ValueError:  # "There has to be more than one value in the domain."
        return None
    return None if math.isnan(value) else value


reliability_data = st.integers(2, 5).flatmap(
    lambda coders: st.integers(1, 25).flatmap(
        lambda units: st.lists(
            st.lists(st.one_of(st.none(), st.integers(0, 3)), min_size=units, max_size=units),
            min_size=coders,
            max_size=coders,
        )
    )
)


@settings(max_examples=300, deadline=None)
@given(reliability_data)
def test_alpha_equals_the_krippendorff_package(rows: list[list[int | None]]) -> None:
    units = [[v for v in column if v is not None] for column in zip(*rows, strict=True)]
    ours = krippendorff_alpha(units)
    reference = _reference_alpha(rows)
    if reference is None:
        assert ours.value is None and ours.reason
    else:
        assert ours.value == pytest.approx(reference, abs=1e-9)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["ann", "bob", "cy"]),
            st.integers(0, 200),
            st.integers(1, 30),
            st.sampled_from(["sourced", "disputed", "polemical"]),
        ),
        max_size=40,
    )
)
def test_alpha_of_matched_claims_equals_the_package_on_their_units(
    drawn: list[tuple[str, int, int, str]],
) -> None:
    """The whole pipeline: units built from claims, read as reliability data (a coder without a
    claim in a unit is a missing value), give the package's alpha."""
    claims = [
        CodedSpan(f"c{i}", "d", s, s + n, who, lab) for i, (who, s, n, lab) in enumerate(drawn)
    ]
    report = measure_agreement(claims)
    coders = sorted({c.annotator for c in claims})
    codes = {"sourced": 0, "disputed": 1, "polemical": 2}
    rows: list[list[int | None]] = [[] for _ in coders]
    for unit in report.overall.units:
        given_by = {c.annotator: codes[c.label] for c in unit}
        for row, coder in zip(rows, coders, strict=True):
            row.append(given_by.get(coder))
    ours = report.overall.krippendorff_alpha
    reference = _reference_alpha(rows) if len(coders) > 1 else None
    if reference is None:
        assert ours.value is None and ours.reason
    else:
        assert ours.value == pytest.approx(reference, abs=1e-9)


def test_missing_values_are_not_agreement() -> None:
    # ann and bob agree on one unit and disagree on one; cy coded only one of them, and a claim of
    # ann's alone is no unit of agreement.
    claims = [
        span(0, 10, "ann", "s"), span(0, 10, "bob", "s"), span(1, 10, "cy", "s"),
        span(20, 30, "ann", "s"), span(20, 30, "bob", "d"),
        span(50, 60, "ann", "p"),
    ]  # fmt: skip
    report = measure_agreement(claims)
    assert report.overall.matched_units == 2
    assert [len(u) for u in report.overall.units] == [3, 2, 1]
    reference = _reference_alpha([[0, 0, 2], [0, 1, None], [0, None, None]])
    assert report.overall.krippendorff_alpha.value == pytest.approx(reference)
    pairs = {p.annotators: p for p in report.overall.pairs}
    assert pairs["ann", "bob"].units == 2 and pairs["ann", "bob"].agreements == 1
    assert pairs["ann", "bob"].percent_agreement.value == 0.5
    assert pairs["ann", "cy"].units == 1 and len(pairs["ann", "cy"].only_first) == 2
    assert pairs["bob", "cy"].cohen_kappa.value is None
    assert [c.label for c in report.overall.unmatched["ann"]] == ["p"]


def test_by_document_and_by_label() -> None:
    claims = [
        span(0, 10, "ann", "s", "d1"), span(0, 10, "bob", "s", "d1"),
        span(20, 30, "ann", "d", "d1"), span(20, 30, "bob", "s", "d1"),
        span(0, 10, "ann", "d", "d2"), span(0, 10, "bob", "d", "d2"),
        span(40, 50, "bob", "p", "d2"),
    ]  # fmt: skip
    report = measure_agreement(claims, labels=["s", "d", "p", "unused"])
    assert set(report.by_document) == {"d1", "d2"}
    d1, d2 = report.by_document["d1"], report.by_document["d2"]
    assert d1.pairs[0].units == 2 and d1.pairs[0].percent_agreement.value == 0.5
    assert d2.pairs[0].units == 1 and d2.pairs[0].percent_agreement.value == 1.0
    assert d2.unmatched == {"ann": (), "bob": (claims[-1],)}
    assert [lab.label for lab in report.by_label] == ["s", "d", "p"]
    s, _d, p = report.by_label
    assert s.claims == {"ann": 1, "bob": 2} and s.units == 2
    # s: one unit both, one unit only bob -> 2*1 / (2*1 + 1)
    assert s.specific_agreement.value == pytest.approx(2 / 3)
    assert p.unmatched == 1 and p.units == 0
    assert p.krippendorff_alpha.value is None
    assert p.krippendorff_alpha.reason == "no variation: no matched claim has this label"
    assert s.krippendorff_alpha.value == pytest.approx(
        _reference_alpha([[1, 0, 0], [1, 1, 0]])  # s or not, units in text order
    )


def test_a_bad_threshold_is_refused() -> None:
    with pytest.raises(ValidationError, match="fraction above 0"):
        measure_agreement([], threshold=0)
    with pytest.raises(ValidationError):
        measure_agreement([], threshold=1.5)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("spd"), st.sampled_from("spd")), max_size=40))
def test_cohen_kappa_properties(pairs: list[tuple[str, str]]) -> None:
    kappa = cohen_kappa(pairs)
    swapped = cohen_kappa([(b, a) for a, b in pairs])
    assert (kappa.value is None) == (swapped.value is None)
    if kappa.value is None:
        assert kappa.reason
        return
    assert swapped.value == pytest.approx(kappa.value)
    assert -1.0 <= kappa.value <= 1.0
    if all(a == b for a, b in pairs):
        assert kappa.value == pytest.approx(1.0)
