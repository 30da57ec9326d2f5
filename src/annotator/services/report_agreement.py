"""The report's agreement section: the annotators' agreement as plain, ready-to-print rows.

Built when the claims a report covers were made by two or more annotators (else None), from
`services.agreement`; every rendering (HTML, Markdown, ...) prints these rows as they are, so
they all say the same thing. Undefined figures print as "—" with the reason in `note`.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING

from annotator.domain.agreement import Figure
from annotator.services.agreement import RULE_TEXT, ProjectAgreement, measure_project_agreement

if TYPE_CHECKING:
    from annotator.services.api import Project

UNDEFINED = "—"


@dataclass(frozen=True)
class AgreementPairRow:
    annotators: str
    """"ann – bob"."""
    units: int
    percent_agreement: str
    cohen_kappa: str
    unmatched: str
    """Claims each of the two made that the other's claims did not match: "0 / 1"."""
    note: str
    """Why a figure is undefined ("" when none is)."""


@dataclass(frozen=True)
class AgreementDocumentRow:
    number: int | None
    title: str
    units: int
    krippendorff_alpha: str
    note: str


@dataclass(frozen=True)
class AgreementLabelRow:
    label: str
    color: str
    claims: int
    units: int
    specific_agreement: str
    krippendorff_alpha: str
    note: str


@dataclass(frozen=True)
class AgreementSection:
    rule: str
    """The matching rule and its threshold, in words."""
    annotators: tuple[tuple[str, int], ...]
    """(annotator, claims) in name order."""
    units: int
    """Units coded by two or more annotators."""
    krippendorff_alpha: str
    alpha_note: str
    pairs: tuple[AgreementPairRow, ...]
    documents: tuple[AgreementDocumentRow, ...]
    labels: tuple[AgreementLabelRow, ...]
    unmatched: tuple[tuple[str, int], ...]
    """(annotator, claims no other annotator's claim matched)."""


def _figure(figure: Figure, percent: bool = False) -> str:
    if figure.value is None:
        return UNDEFINED
    return f"{figure.value:.0%}" if percent else f"{figure.value:.2f}"


def _notes(**figures: Figure) -> str:
    return "; ".join(f"{name}: {f.reason}" for name, f in figures.items() if f.reason)


def agreement_section(result: ProjectAgreement, colors: dict[str, str]) -> AgreementSection | None:
    """The section's rows for measured agreement; None with fewer than two annotators.
    `colors`: label name -> colour."""
    if not result.measurable:
        return None
    report = result.report
    overall = report.overall
    pairs = tuple(
        AgreementPairRow(
            annotators=" – ".join(p.annotators),
            units=p.units,
            percent_agreement=_figure(p.percent_agreement, percent=True),
            cohen_kappa=_figure(p.cohen_kappa),
            unmatched=f"{len(p.only_first)} / {len(p.only_second)}",
            note=_notes(kappa=p.cohen_kappa),
        )
        for p in overall.pairs
    )
    documents = tuple(
        AgreementDocumentRow(
            number=result.document_numbers.get(doc_id),
            title=result.document_titles.get(doc_id, ""),
            units=scope.matched_units,
            krippendorff_alpha=_figure(scope.krippendorff_alpha),
            note=_notes(alpha=scope.krippendorff_alpha),
        )
        for doc_id, scope in result.documents()
    )
    labels = tuple(
        AgreementLabelRow(
            label=item.label,
            color=colors.get(item.label, "#777777"),
            claims=sum(item.claims.values()),
            units=item.units,
            specific_agreement=_figure(item.specific_agreement, percent=True),
            krippendorff_alpha=_figure(item.krippendorff_alpha),
            note=_notes(alpha=item.krippendorff_alpha),
        )
        for item in report.by_label
    )
    return AgreementSection(
        rule=RULE_TEXT.format(threshold=report.threshold),
        annotators=tuple(result.claim_counts().items()),
        units=overall.matched_units,
        krippendorff_alpha=_figure(overall.krippendorff_alpha),
        alpha_note=overall.krippendorff_alpha.reason or "",
        pairs=pairs,
        documents=documents,
        labels=labels,
        unmatched=tuple((a, len(cs)) for a, cs in overall.unmatched.items()),
    )


def build_agreement_section(
    project: Project, document_ids: Collection[str] | None = None
) -> AgreementSection | None:
    """The agreement section of a report covering `document_ids` (None: all documents): over
    every claim in those documents, whatever label or search filter the report has (a filter
    on labels would hide the very disagreements agreement measures). None with fewer than two
    annotators."""
    result = measure_project_agreement(project, document_ids=document_ids)
    return agreement_section(result, {lab.name: lab.color for lab in project.labels()})
