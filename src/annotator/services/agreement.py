"""Agreement between a project's annotators: claims read through the services, measured, as JSON.

The claims' `author` is the annotator; the label is the value compared. The rule and the figures
are `annotator.domain.agreement`'s; this module reads the claims, names documents and labels,
and gives the documented JSON shape (`annotator agreement --json`, the report's section).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from annotator.domain.agreement import (
    DEFAULT_THRESHOLD,
    RULE,
    AgreementReport,
    AgreementScope,
    CodedSpan,
    Figure,
    LabelAgreement,
    PairAgreement,
    measure_agreement,
)
from annotator.domain.model import Claim

if TYPE_CHECKING:
    from annotator.services.api import Project

NO_AUTHOR = "(unknown)"
"""The annotator of claims whose author is empty (as the report's annotators table names it)."""

RULE_TEXT = (
    "Two claims of different annotators in the same document are one unit when the characters "
    "they share are at least {threshold:.0%} of the shorter claim (overlap coefficient); "
    "matching is one-to-one, largest overlap first. Units only some annotators coded count as "
    "missing values for the others; unmarked text is not counted."
)


@dataclass(frozen=True)
class ProjectAgreement:
    """The figures of a project (or of one document of it), with what names them."""

    report: AgreementReport
    claims: dict[str, Claim]
    document_titles: dict[str, str]
    document_numbers: dict[str, int]
    label_ids: dict[str, str]
    """Label name -> id."""

    @property
    def annotators(self) -> tuple[str, ...]:
        return self.report.overall.annotators

    @property
    def measurable(self) -> bool:
        """Whether there are claims by two or more annotators."""
        return len(self.annotators) >= 2

    def claim_counts(self) -> dict[str, int]:
        """Claims per annotator, in name order."""
        counts = dict.fromkeys(self.annotators, 0)
        for unit in self.report.overall.units:
            for claim in unit:
                counts[claim.annotator] += 1
        return counts

    def documents(self) -> list[tuple[str, AgreementScope]]:
        """(document id, its figures), in project order."""
        return sorted(
            self.report.by_document.items(), key=lambda kv: self.document_numbers.get(kv[0], 0)
        )


def annotator_of(claim: Claim) -> str:
    return claim.author.strip() or NO_AUTHOR


def measure_project_agreement(
    project: Project,
    document_id: str | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    *,
    document_ids: Collection[str] | None = None,
) -> ProjectAgreement:
    """Agreement over the project's claims, or those of one document (`document_id`) or of
    some documents (`document_ids`, such as those a report covers)."""
    labels = project.labels()
    label_names = {lab.id: lab.name for lab in labels}
    # Settled claims are an adjudicator's decision, not an independent judgement: left out.
    settled = project.settled_claim_ids()
    claims = [c for c in project.annotations(document_id=document_id) if c.id not in settled]
    if document_ids is not None:
        wanted = set(document_ids)
        claims = [c for c in claims if c.document_id in wanted]
    docs = project.documents()
    spans = [
        CodedSpan(
            claim_id=c.id,
            document_id=c.document_id,
            start=c.start,
            end=c.end,
            annotator=annotator_of(c),
            label=label_names.get(c.label_id, c.label_id),
        )
        for c in claims
    ]
    report = measure_agreement(spans, threshold, labels=[lab.name for lab in labels])
    return ProjectAgreement(
        report=report,
        claims={c.id: c for c in claims},
        document_titles={d.id: d.title for d in docs},
        document_numbers={d.id: i for i, d in enumerate(docs, start=1)},
        label_ids={lab.name: lab.id for lab in labels},
    )


# -- JSON -----------------------------------------------------------------------------------------


def _figure(name: str, figure: Figure) -> dict[str, Any]:
    """`name`: the value or null; `name_reason`: why it is null (null when it is not)."""
    return {name: figure.value, f"{name}_reason": figure.reason}


def _claim_json(result: ProjectAgreement, span: CodedSpan) -> dict[str, Any]:
    claim = result.claims.get(span.claim_id)
    return {
        "id": span.claim_id,
        "document_id": span.document_id,
        "start": span.start,
        "end": span.end,
        "label": span.label,
        "quote": claim.quote.exact if claim is not None else "",
    }


def _pair_json(pair: PairAgreement) -> dict[str, Any]:
    first, second = pair.annotators
    return {
        "annotators": [first, second],
        "units": pair.units,
        "agreements": pair.agreements,
        **_figure("percent_agreement", pair.percent_agreement),
        **_figure("cohen_kappa", pair.cohen_kappa),
        "unmatched": {first: len(pair.only_first), second: len(pair.only_second)},
        "disagreements": [
            {
                "document_id": a.document_id,
                "claims": [a.claim_id, b.claim_id],
                "labels": [a.label, b.label],
            }
            for a, b in pair.disagreements
        ],
    }


def _scope_json(scope: AgreementScope) -> dict[str, Any]:
    return {
        "claims": sum(len(u) for u in scope.units),
        "units": scope.matched_units,
        "pairs": [_pair_json(p) for p in scope.pairs],
        **_figure("krippendorff_alpha", scope.krippendorff_alpha),
    }


def _label_json(result: ProjectAgreement, item: LabelAgreement) -> dict[str, Any]:
    return {
        "label": item.label,
        "label_id": result.label_ids.get(item.label),
        "claims": dict(item.claims),
        "units": item.units,
        "unmatched": item.unmatched,
        **_figure("specific_agreement", item.specific_agreement),
        **_figure("krippendorff_alpha", item.krippendorff_alpha),
    }


def agreement_json(result: ProjectAgreement) -> dict[str, Any]:
    """The documented JSON shape of `annotator agreement --json`. Keys are only ever added."""
    report = result.report
    overall = report.overall
    by_document = []
    for doc_id, scope in result.documents():
        by_document.append(
            {
                "document_id": doc_id,
                "document_number": result.document_numbers.get(doc_id),
                "title": result.document_titles.get(doc_id, ""),
                **_scope_json(scope),
                "unmatched": {a: len(cs) for a, cs in scope.unmatched.items()},
            }
        )
    return {
        "matching_rule": report.rule,
        "threshold": report.threshold,
        "rule": RULE_TEXT.format(threshold=report.threshold),
        "value": "label",
        "annotators": [{"name": a, "claims": n} for a, n in result.claim_counts().items()],
        **_scope_json(overall),
        "by_document": by_document,
        "by_label": [_label_json(result, item) for item in report.by_label],
        "unmatched": {
            a: [_claim_json(result, c) for c in cs] for a, cs in overall.unmatched.items()
        },
    }


__all__ = [
    "DEFAULT_THRESHOLD",
    "NO_AUTHOR",
    "RULE",
    "ProjectAgreement",
    "agreement_json",
    "measure_project_agreement",
]
