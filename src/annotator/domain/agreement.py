"""Agreement between annotators: claims matched as units by overlapping spans, then kappa and alpha.

The matching rule
-----------------
Two claims match when they are in the same document, were made by different annotators, and the
characters they share are at least `threshold` (default 0.5) of the shorter claim's length: the
*overlap coefficient* |A ∩ B| / min(|A|, |B|) ≥ threshold. Spans that merely touch (the end of
one is the start of the other) share nothing and never match; claims in different documents never
match.

Why the overlap coefficient and not Jaccard (|A ∩ B| / |A ∪ B|): annotators of polemical texts
agree on *which* statement is a claim far more often than on how much of the sentence around it to
mark; one marks the clause, another the whole sentence. The overlap coefficient counts a span
lying inside another as the same unit, where Jaccard would split a short clause from the long
sentence holding it (a 40-character clause in a 120-character sentence: Jaccard 0.33, overlap
coefficient 1.0). The cost, a short span inside a long one matching it, is bounded by the
one-to-one matching below: each claim is used once, and larger overlaps are matched first.

Matching is one-to-one and greedy: all candidate pairs are taken in order of the number of shared
characters (most first; ties: the higher overlap coefficient, then text order, then claim id, so
the result never depends on the order claims were read in), and a pair is kept when neither of its
claims is matched already.

- For a *pair of annotators* (Cohen's kappa, percent agreement) the matching is done for that pair
  alone. Its units are the matched claim pairs; a claim of either with no partner is counted as
  unmatched for that pair and does not enter kappa.
- For *all annotators* (Krippendorff's alpha) a unit holds at most one claim per annotator, every
  two of which match: candidate pairs are merged into units in the same greedy order, a merge
  being refused when it would put two claims of one annotator in a unit or join two claims that
  do not match each other. An annotator with no claim in a unit is a missing value there (not a
  disagreement, not an agreement); a unit with one claim is an *unmatched* claim and enters no
  figure. Text nobody marked is no unit at all: it never counts as agreement.

The value compared is the claim's label (its status: sourced, disputed, polemical, ...).
Figures that are undefined (no matched units, only one annotator, no variation in the values)
are `None` with a sentence saying why, never NaN.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations

from annotator.domain.errors import ValidationError

DEFAULT_THRESHOLD = 0.5
RULE = "overlap coefficient"
"""How the overlap of two spans is measured: shared characters / the shorter span's length."""


@dataclass(frozen=True)
class CodedSpan:
    """One claim as agreement sees it: where it is, who made it, which label it got."""

    claim_id: str
    document_id: str
    start: int
    end: int
    annotator: str
    label: str

    @property
    def length(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class Figure:
    """A computed measure, or None with the reason it is undefined."""

    value: float | None
    reason: str | None = None

    @classmethod
    def undefined(cls, reason: str) -> Figure:
        return cls(None, reason)


def shared_characters(a: CodedSpan, b: CodedSpan) -> int:
    """Characters both spans cover (0 for spans of different documents)."""
    if a.document_id != b.document_id:
        return 0
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def overlap_coefficient(a: CodedSpan, b: CodedSpan) -> float:
    """Shared characters / the shorter span's length (0 when they share none)."""
    shared = shared_characters(a, b)
    if shared == 0:
        return 0.0
    return shared / min(a.length, b.length)


def spans_match(a: CodedSpan, b: CodedSpan, threshold: float = DEFAULT_THRESHOLD) -> bool:
    """The matching rule for two claims (see the module's docstring)."""
    if a.annotator == b.annotator or a.document_id != b.document_id:
        return False
    shared = shared_characters(a, b)
    return shared > 0 and shared >= threshold * min(a.length, b.length)


def check_threshold(threshold: float) -> float:
    if not 0 < threshold <= 1:
        raise ValidationError(
            f"The overlap threshold is a fraction above 0 and at most 1, not {threshold}."
        )
    return threshold


def _candidates(claims: Sequence[CodedSpan], threshold: float) -> list[tuple[CodedSpan, CodedSpan]]:
    """Every matching pair of claims (of different annotators, in one document), in the greedy
    order: most shared characters first, then the higher overlap coefficient, then text order
    and claim ids."""
    by_doc: dict[str, list[CodedSpan]] = defaultdict(list)
    for claim in claims:
        by_doc[claim.document_id].append(claim)
    found: list[tuple[tuple[object, ...], CodedSpan, CodedSpan]] = []
    for doc_claims in by_doc.values():
        doc_claims.sort(key=lambda c: (c.start, c.end, c.claim_id))
        for i, a in enumerate(doc_claims):
            for b in doc_claims[i + 1 :]:
                if b.start >= a.end:
                    break
                if not spans_match(a, b, threshold):
                    continue
                first, second = sorted((a, b), key=lambda c: c.claim_id)
                shared = shared_characters(a, b)
                key = (
                    -shared,
                    -overlap_coefficient(a, b),
                    a.document_id,
                    min(a.start, b.start),
                    first.claim_id,
                    second.claim_id,
                )
                found.append((key, first, second))
    found.sort(key=lambda item: item[0])
    return [(a, b) for _key, a, b in found]


def match_pair(
    first: Sequence[CodedSpan], second: Sequence[CodedSpan], threshold: float = DEFAULT_THRESHOLD
) -> list[tuple[CodedSpan, CodedSpan]]:
    """One-to-one greedy matching of two annotators' claims: (claim of `first`, claim of
    `second`) pairs, in text order."""
    check_threshold(threshold)
    mine = {c.claim_id for c in first}
    used: set[str] = set()
    pairs: list[tuple[CodedSpan, CodedSpan]] = []
    for a, b in _candidates([*first, *second], threshold):
        if (a.claim_id in mine) == (b.claim_id in mine):
            continue  # two claims of the same side (one annotator listed twice)
        if a.claim_id in used or b.claim_id in used:
            continue
        used.update((a.claim_id, b.claim_id))
        pairs.append((a, b) if a.claim_id in mine else (b, a))
    pairs.sort(key=lambda p: (p[0].document_id, p[0].start, p[0].end, p[0].claim_id))
    return pairs


def build_units(
    claims: Sequence[CodedSpan], threshold: float = DEFAULT_THRESHOLD
) -> list[tuple[CodedSpan, ...]]:
    """The units of all annotators' claims: each holds at most one claim per annotator, every
    two of which match; built greedily (see the module's docstring). Every claim is in exactly
    one unit; a unit of one claim is an unmatched claim. Units come in text order."""
    check_threshold(threshold)
    unit_of: dict[str, int] = {}
    units: dict[int, list[CodedSpan]] = {}
    for n, claim in enumerate(claims):
        if claim.claim_id in unit_of:
            raise ValidationError(f"The claim {claim.claim_id} is given twice.")
        unit_of[claim.claim_id] = n
        units[n] = [claim]
    for a, b in _candidates(claims, threshold):
        ua, ub = unit_of[a.claim_id], unit_of[b.claim_id]
        if ua == ub:
            continue
        left, right = units[ua], units[ub]
        if {c.annotator for c in left} & {c.annotator for c in right}:
            continue
        if not all(spans_match(x, y, threshold) for x in left for y in right):
            continue
        left.extend(right)
        for c in right:
            unit_of[c.claim_id] = ua
        del units[ub]
    ordered = [tuple(sorted(u, key=lambda c: (c.annotator, c.claim_id))) for u in units.values()]
    ordered.sort(key=lambda u: (u[0].document_id, min(c.start for c in u), u[0].claim_id))
    return ordered


# -- the measures ---------------------------------------------------------------------------------


def percent_agreement(pairs: Sequence[tuple[Hashable, Hashable]]) -> Figure:
    """The share (0..1) of paired values that are equal."""
    if not pairs:
        return Figure.undefined("no matched units")
    return Figure(sum(1 for a, b in pairs if a == b) / len(pairs))


def cohen_kappa(pairs: Sequence[tuple[Hashable, Hashable]]) -> Figure:
    """Cohen's kappa of two coders' values on the same units: (po - pe) / (1 - pe), with pe
    from each coder's own distribution of values."""
    n = len(pairs)
    if n == 0:
        return Figure.undefined("no matched units")
    observed = sum(1 for a, b in pairs if a == b) / n
    first = Counter(a for a, _ in pairs)
    second = Counter(b for _, b in pairs)
    chance = sum(first[k] * second.get(k, 0) for k in first)
    if chance == n * n:
        (only,) = first
        return Figure.undefined(f"no variation: both gave every unit the same value ({only})")
    expected = chance / (n * n)
    return Figure((observed - expected) / (1.0 - expected))


def krippendorff_alpha(units: Iterable[Sequence[Hashable]]) -> Figure:
    """Krippendorff's alpha for nominal values. Each unit is the values its coders gave (missing
    coders simply absent); units with fewer than two values cannot be paired and are left out.
    alpha = 1 - (n - 1) * Σ_{c≠k} o_ck / Σ_{c≠k} n_c n_k, o being the coincidence matrix."""
    disagreeing = 0.0  # Σ_{c≠k} o_ck
    totals: Counter[Hashable] = Counter()  # n_c
    for values in units:
        m = len(values)
        if m < 2:
            continue
        counts = Counter(values)
        for c, n_c in counts.items():
            totals[c] += n_c
            disagreeing += n_c * (m - n_c) / (m - 1)
    n = sum(totals.values())
    if n == 0:
        return Figure.undefined("no unit was coded by two annotators")
    expected = n * n - sum(v * v for v in totals.values())  # Σ_{c≠k} n_c n_k
    if expected == 0:
        (only,) = totals
        return Figure.undefined(f"no variation: every matched claim has the same value ({only})")
    return Figure(1.0 - (n - 1) * disagreeing / expected)


def positive_specific_agreement(pairs: Sequence[tuple[bool, bool]]) -> Figure:
    """2·both / (2·both + one only): how often a value one coder gave the other gave too."""
    both = sum(1 for a, b in pairs if a and b)
    one = sum(1 for a, b in pairs if a != b)
    if both + one == 0:
        return Figure.undefined("no matched unit has this label")
    return Figure(2 * both / (2 * both + one))


# -- the report -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PairAgreement:
    """Two annotators' agreement over the units matched between them."""

    annotators: tuple[str, str]
    matches: tuple[tuple[CodedSpan, CodedSpan], ...]
    only_first: tuple[CodedSpan, ...]
    """Claims of the first annotator that no claim of the second matched."""
    only_second: tuple[CodedSpan, ...]
    percent_agreement: Figure
    cohen_kappa: Figure

    @property
    def units(self) -> int:
        return len(self.matches)

    @property
    def agreements(self) -> int:
        return sum(1 for a, b in self.matches if a.label == b.label)

    @property
    def disagreements(self) -> tuple[tuple[CodedSpan, CodedSpan], ...]:
        return tuple((a, b) for a, b in self.matches if a.label != b.label)


@dataclass(frozen=True)
class LabelAgreement:
    """Agreement on one label against all others (a binary coding: this label or not)."""

    label: str
    claims: dict[str, int]
    """Claims with this label, per annotator."""
    units: int
    """Units of two or more claims in which at least one annotator gave this label."""
    unmatched: int
    """Claims with this label that no other annotator's claim matched."""
    specific_agreement: Figure
    """Positive specific agreement over all pairs of annotators' matched units."""
    krippendorff_alpha: Figure


@dataclass(frozen=True)
class AgreementScope:
    """The figures of one set of claims (the project, or one document)."""

    annotators: tuple[str, ...]
    units: tuple[tuple[CodedSpan, ...], ...]
    """All units, including those of one claim (the unmatched claims)."""
    pairs: tuple[PairAgreement, ...]
    krippendorff_alpha: Figure
    unmatched: dict[str, tuple[CodedSpan, ...]]
    """Per annotator, their claims alone in their unit."""

    @property
    def matched_units(self) -> int:
        """Units holding claims of two or more annotators."""
        return sum(1 for u in self.units if len(u) > 1)


@dataclass(frozen=True)
class AgreementReport:
    """Every figure of a set of claims: over all, per document (by id), per label."""

    threshold: float
    overall: AgreementScope
    by_document: dict[str, AgreementScope]
    by_label: tuple[LabelAgreement, ...]
    rule: str = field(default=RULE)


def _alpha(units: Sequence[Sequence[CodedSpan]], annotators: Sequence[str]) -> Figure:
    if len(annotators) < 2:
        who = f" ({annotators[0]})" if annotators else ""
        return Figure.undefined(
            f"only one annotator{who} has claims" if annotators else "no claims"
        )
    return krippendorff_alpha([c.label for c in u] for u in units)


def _pair(
    a: str,
    b: str,
    matches: Sequence[tuple[CodedSpan, CodedSpan]],
    first: Sequence[CodedSpan],
    second: Sequence[CodedSpan],
) -> PairAgreement:
    paired = {c.claim_id for m in matches for c in m}
    labels = [(x.label, y.label) for x, y in matches]
    return PairAgreement(
        annotators=(a, b),
        matches=tuple(matches),
        only_first=tuple(c for c in first if c.claim_id not in paired),
        only_second=tuple(c for c in second if c.claim_id not in paired),
        percent_agreement=percent_agreement(labels),
        cohen_kappa=cohen_kappa(labels),
    )


def _scope(
    claims: Sequence[CodedSpan],
    units: Sequence[tuple[CodedSpan, ...]],
    pair_matches: dict[tuple[str, str], list[tuple[CodedSpan, CodedSpan]]],
    annotators: Sequence[str],
) -> AgreementScope:
    by_annotator: dict[str, list[CodedSpan]] = defaultdict(list)
    for c in claims:
        by_annotator[c.annotator].append(c)
    pairs = tuple(
        _pair(a, b, pair_matches.get((a, b), []), by_annotator[a], by_annotator[b])
        for a, b in combinations(annotators, 2)
    )
    unmatched: dict[str, list[CodedSpan]] = {a: [] for a in annotators}
    for unit in units:
        if len(unit) == 1:
            unmatched[unit[0].annotator].append(unit[0])
    present = sorted({c.annotator for c in claims})
    return AgreementScope(
        annotators=tuple(annotators),
        units=tuple(units),
        pairs=pairs,
        krippendorff_alpha=_alpha(units, present),
        unmatched={a: tuple(cs) for a, cs in unmatched.items()},
    )


def _by_label(
    claims: Sequence[CodedSpan],
    units: Sequence[tuple[CodedSpan, ...]],
    pair_matches: dict[tuple[str, str], list[tuple[CodedSpan, CodedSpan]]],
    labels: Sequence[str],
    annotators: Sequence[str],
) -> tuple[LabelAgreement, ...]:
    out = []
    all_matches = [m for ms in pair_matches.values() for m in ms]
    for label in labels:
        counts = Counter(c.annotator for c in claims if c.label == label)
        shared = [u for u in units if len(u) > 1]
        if len(annotators) < 2:
            alpha = _alpha(units, annotators)
        else:
            alpha = krippendorff_alpha([c.label == label for c in u] for u in shared)
            if alpha.value is None and alpha.reason and alpha.reason.startswith("no variation"):
                alpha = Figure.undefined(
                    "no variation: no matched claim has this label"
                    if not any(c.label == label for u in shared for c in u)
                    else "no variation: every matched claim has this label"
                )
        out.append(
            LabelAgreement(
                label=label,
                claims={a: counts.get(a, 0) for a in annotators},
                units=sum(1 for u in shared if any(c.label == label for c in u)),
                unmatched=sum(1 for u in units if len(u) == 1 and u[0].label == label),
                specific_agreement=positive_specific_agreement(
                    [(x.label == label, y.label == label) for x, y in all_matches]
                ),
                krippendorff_alpha=alpha,
            )
        )
    return tuple(out)


def measure_agreement(
    claims: Iterable[CodedSpan],
    threshold: float = DEFAULT_THRESHOLD,
    *,
    labels: Sequence[str] = (),
) -> AgreementReport:
    """Match the claims into units and compute every figure: per pair of annotators, over all,
    per document and per label (`labels` in the order to report them; labels used by claims
    but not listed follow, sorted)."""
    check_threshold(threshold)
    claims = list(claims)
    annotators = sorted({c.annotator for c in claims})
    units = build_units(claims, threshold)
    by_annotator: dict[str, list[CodedSpan]] = defaultdict(list)
    for c in claims:
        by_annotator[c.annotator].append(c)
    pair_matches = {
        (a, b): match_pair(by_annotator[a], by_annotator[b], threshold)
        for a, b in combinations(annotators, 2)
    }
    docs: dict[str, list[CodedSpan]] = defaultdict(list)
    for c in claims:
        docs[c.document_id].append(c)
    by_document = {}
    for doc_id, doc_claims in docs.items():
        doc_units = [u for u in units if u[0].document_id == doc_id]
        doc_matches = {
            key: [m for m in ms if m[0].document_id == doc_id] for key, ms in pair_matches.items()
        }
        by_document[doc_id] = _scope(doc_claims, doc_units, doc_matches, annotators)
    used = {c.label for c in claims}
    ordered = [lab for lab in labels if lab in used] + sorted(used - set(labels))
    return AgreementReport(
        threshold=threshold,
        overall=_scope(claims, units, pair_matches, annotators),
        by_document=by_document,
        by_label=_by_label(claims, units, pair_matches, ordered, annotators),
    )
