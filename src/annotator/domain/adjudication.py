"""Adjudication: which units of claims are open disagreements, and what settling one records.

A *disagreement* is a unit of the agreement matching (`annotator.domain.agreement.build_units`)
that an adjudicator has to decide:

- *labels differ*: claims of two or more annotators matched as one unit (the same region of the
  text) whose labels are not all the same;
- *one annotator*: a claim no other annotator's claim matched (a unit of one claim), listed only
  when the project has claims of two or more annotators (with one annotator, every claim would
  be one).

Units whose annotators all gave the same label are agreements and are never listed.

Settling a unit records a `Settlement`: who settled it and when, the *judgements* it settled (the
id, author and label of each claim of the unit, as they were), and the verdict: either a new
*settled claim*, made by the adjudicator over the span of one of the unit's claims with the
chosen label, or *rejected* (the region is not a claim: no claim is made). The annotators'
own claims are never changed or removed: they stay the independent judgements that agreement
measures, and settled claims are the adjudicator's, left out of agreement.

A unit is settled while every one of its claims is among the judgements of a settlement that
still stands, with the label that settlement recorded (the label itself, not its name: renaming a
label reopens nothing). So a unit opens again when one of its claims is relabelled afterwards or
a new claim joins it; and a settlement stops standing when its settled claim is deleted (undoing
the deletion brings it back). A rejection stands until it is undone.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from annotator.domain.agreement import CodedSpan

LABELS_DIFFER = "labels differ"
ONE_ANNOTATOR = "one annotator"


@dataclass(frozen=True)
class Judgement:
    """An annotator's claim as a settlement recorded it (the claim may change or go later)."""

    claim_id: str
    author: str
    label_id: str
    label: str
    """The label's name when the unit was settled."""


@dataclass(frozen=True)
class Settlement:
    """An adjudicator's decision on one unit of claims."""

    id: str
    document_id: str
    start: int
    end: int
    """The span decided (the settled claim's; for a rejection, the region rejected)."""
    claim_id: str | None
    """The settled claim the adjudicator made; None when the unit was rejected."""
    label: str
    """The label chosen (its name when settled); "" when rejected."""
    settled_by: str
    settled_at: datetime
    judgements: tuple[Judgement, ...]

    @property
    def rejected(self) -> bool:
        return self.claim_id is None


@dataclass(frozen=True)
class Disagreement:
    """An open unit for the adjudicator: its claims (one per annotator, by annotator name)."""

    claims: tuple[CodedSpan, ...]
    kind: str
    """`LABELS_DIFFER` or `ONE_ANNOTATOR`."""

    @property
    def reference(self) -> str:
        """How the unit is named: the id of its first claim (by annotator name). Any claim id
        of the unit finds it as well (`find_disagreement`)."""
        return self.claims[0].claim_id

    @property
    def document_id(self) -> str:
        return self.claims[0].document_id

    @property
    def start(self) -> int:
        return min(c.start for c in self.claims)

    @property
    def end(self) -> int:
        return max(c.end for c in self.claims)

    @property
    def claim_ids(self) -> tuple[str, ...]:
        return tuple(c.claim_id for c in self.claims)

    def has_claim(self, claim_id: str) -> bool:
        return any(c.claim_id == claim_id for c in self.claims)


def settled_claims(standing: Sequence[Settlement], label_ids: Mapping[str, str]) -> set[str]:
    """The claims a standing settlement judged with the label they carry now (`label_ids`:
    claim id -> its label id now; the latest settlement of a claim counts)."""
    recorded: dict[str, str] = {}
    for settlement in sorted(standing, key=lambda s: (s.settled_at, s.id)):
        for judgement in settlement.judgements:
            recorded[judgement.claim_id] = judgement.label_id
    return {cid for cid, label_id in recorded.items() if label_ids.get(cid) == label_id}


def open_disagreements(
    units: Sequence[Sequence[CodedSpan]],
    settled: Collection[str],
    *,
    several_annotators: bool,
) -> list[Disagreement]:
    """The units still to settle, in the order given (text order). `settled` holds the ids of
    the claims standing settlements judged with the label they carry now (`settled_claims`)."""
    out = []
    for unit in units:
        if len(unit) == 1:
            if not several_annotators:
                continue
            kind = ONE_ANNOTATOR
        elif len({c.label for c in unit}) > 1:
            kind = LABELS_DIFFER
        else:
            continue
        if all(c.claim_id in settled for c in unit):
            continue
        out.append(Disagreement(claims=tuple(unit), kind=kind))
    return out
