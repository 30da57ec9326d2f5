"""Which units are open disagreements, given the settlements that stand (pure rules)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from annotator.domain.adjudication import (
    LABELS_DIFFER,
    ONE_ANNOTATOR,
    Judgement,
    Settlement,
    open_disagreements,
    settled_claims,
)
from annotator.domain.agreement import CodedSpan, build_units

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def _span(cid: str, who: str, start: int, end: int, label: str) -> CodedSpan:
    return CodedSpan(cid, "doc", start, end, who, label)


def _settled(sid: str, minutes: int, *judged: tuple[str, str]) -> Settlement:
    return Settlement(
        id=sid,
        document_id="doc",
        start=0,
        end=1,
        claim_id=None,
        label="",
        settled_by="judge",
        settled_at=T0 + timedelta(minutes=minutes),
        judgements=tuple(Judgement(cid, "x", label_id, label_id) for cid, label_id in judged),
    )


CLAIMS = [
    _span("a1", "ann", 0, 10, "sourced"),
    _span("b1", "bob", 1, 10, "sourced"),  # agreement: never listed
    _span("a2", "ann", 20, 30, "disputed"),
    _span("b2", "bob", 20, 28, "polemical"),  # labels differ
    _span("b3", "bob", 40, 50, "sourced"),  # bob alone
]


def test_kinds_in_text_order() -> None:
    found = open_disagreements(build_units(CLAIMS), set(), several_annotators=True)
    assert [(d.kind, d.claim_ids, d.reference) for d in found] == [
        (LABELS_DIFFER, ("a2", "b2"), "a2"),
        (ONE_ANNOTATOR, ("b3",), "b3"),
    ]
    assert (found[0].start, found[0].end) == (20, 30)
    lone = open_disagreements(build_units(CLAIMS[-1:]), set(), several_annotators=False)
    assert lone == []


def test_a_unit_is_settled_only_when_all_its_claims_are() -> None:
    units = build_units(CLAIMS)
    assert len(open_disagreements(units, {"a2"}, several_annotators=True)) == 2
    assert [
        d.claim_ids for d in open_disagreements(units, {"a2", "b2"}, several_annotators=True)
    ] == [("b3",)]


def test_the_latest_settlement_of_a_claim_counts_with_the_label_it_has_now() -> None:
    older = _settled("s1", 0, ("a2", "L-disputed"), ("b2", "L-polemical"))
    newer = _settled("s2", 5, ("b2", "L-sourced"))
    now = {"a2": "L-disputed", "b2": "L-polemical"}
    assert settled_claims([older], now) == {"a2", "b2"}
    assert settled_claims([newer, older], now) == {"a2"}  # b2 was judged again, as sourced
    assert settled_claims([older], {"a2": "L-sourced", "b2": "L-polemical"}) == {"b2"}
    assert _settled("s3", 0).rejected
