"""Adjudication: list the units annotators disagree on, and settle each one in one transaction.

What is open and what settling records is `annotator.domain.adjudication`'s rule; the units are
those of the agreement matching (`annotator.services.agreement`), over the annotators' own
claims. Settling a unit makes, in one transaction, the settlement record (who, when, the
judgements it settled) and, unless the unit is rejected as not a claim, a *settled claim*: a new
claim by the adjudicator over the span of one of the unit's claims, with the chosen label. The
annotators' claims are left as they are.

Settled claims are the adjudicator's decision, not an independent judgement: agreement leaves
them out (`measure_project_agreement`), so settling never changes a figure, and they are never
listed as disagreements themselves.

Who may settle: on a project file, whoever opens it. `_require_adjudicator` is where a team
project's server check ("only an admin may settle") goes; every settle and its undo pass it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from annotator.domain.adjudication import (
    Disagreement,
    Judgement,
    Settlement,
    open_disagreements,
    settled_claims,
)
from annotator.domain.agreement import DEFAULT_THRESHOLD
from annotator.domain.errors import ConflictError, NotFoundError, ValidationError
from annotator.domain.model import Claim, new_id, utcnow
from annotator.services.agreement import NO_AUTHOR, ProjectAgreement
from annotator.services.changes import Changes
from annotator.services.texts import TextReads
from annotator.storage import mapping
from annotator.storage.orm import (
    ClaimRow,
    LabelRow,
    LinkRow,
    SettlementJudgementRow,
    SettlementRow,
)
from annotator.storage.rows import fill_claim_row, new_settlement_row


@dataclass(frozen=True)
class OpenDisagreements:
    """The open units of a project (or one document), with what names their claims."""

    disagreements: tuple[Disagreement, ...]
    agreement: ProjectAgreement
    """The matching they come from: the claims by id, document titles and numbers."""
    settlements: tuple[Settlement, ...]
    """The settlements made in the same scope (standing or not), oldest first."""

    def claim(self, claim_id: str) -> Claim:
        return self.agreement.claims[claim_id]

    def find(self, claim_id: str) -> Disagreement | None:
        """The open unit holding this claim, if any."""
        return next((d for d in self.disagreements if d.has_claim(claim_id)), None)


class AdjudicationService(TextReads):
    # -- queries -----------------------------------------------------------------------------

    def settlements(self, document_id: str | None = None) -> list[Settlement]:
        """Every settlement (of one document), oldest first."""
        query = select(SettlementRow).order_by(SettlementRow.settled_at, SettlementRow.id)
        if document_id is not None:
            query = query.where(SettlementRow.document_id == document_id)
        with self._read() as session:
            return [mapping.settlement(row) for row in session.scalars(query)]

    def settlement(self, settlement_id: str) -> Settlement:
        with self._read() as session:
            row = session.get(SettlementRow, settlement_id)
            if row is None:
                raise NotFoundError(f"No settlement with id {settlement_id}.")
            return mapping.settlement(row)

    def settled_claim_ids(self) -> set[str]:
        """The ids of the settled claims adjudicators made: not an annotator's judgement, so
        left out of agreement and of the disagreements."""
        with self._read() as session:
            return set(
                session.scalars(
                    select(SettlementRow.claim_id).where(SettlementRow.claim_id.is_not(None))
                )
            )

    def disagreements(
        self, document_id: str | None = None, threshold: float = DEFAULT_THRESHOLD
    ) -> OpenDisagreements:
        """The units still to settle (of one document), in project order then text order. In
        a team study, its admins' view."""
        from annotator.services.agreement import measure_project_agreement
        from annotator.storage.server_rights import Right

        self.require_right(Right.ADMIN, "see the disagreements")

        result = measure_project_agreement(self, document_id, threshold)  # type: ignore[arg-type]
        every = self.settlements(document_id)
        existing = self._existing_claims([s.claim_id for s in every if s.claim_id])
        standing = [s for s in every if s.claim_id is None or s.claim_id in existing]
        current = {cid: claim.label_id for cid, claim in result.claims.items()}
        several = len(result.annotators) >= 2 or (
            document_id is not None and len(self._annotators()) >= 2
        )
        found = open_disagreements(
            result.report.overall.units,
            settled_claims(standing, current),
            several_annotators=several,
        )
        number = result.document_numbers
        found.sort(key=lambda d: (number.get(d.document_id, 0), d.start, d.end, d.reference))
        return OpenDisagreements(tuple(found), result, tuple(every))

    def _existing_claims(self, ids: Sequence[str]) -> set[str]:
        out: set[str] = set()
        with self._read() as session:
            for i in range(0, len(ids), 500):
                chunk = list(ids[i : i + 500])
                out.update(session.scalars(select(ClaimRow.id).where(ClaimRow.id.in_(chunk))))
        return out

    def _annotators(self) -> set[str]:
        """The annotators of the whole project (the authors of its claims, settled claims left
        out), named as agreement names them."""
        made = select(SettlementRow.claim_id).where(SettlementRow.claim_id.is_not(None))
        with self._read() as session:
            authors = session.scalars(
                select(ClaimRow.author).distinct().where(ClaimRow.id.not_in(made))
            )
            return {author.strip() or NO_AUTHOR for author in authors}

    # -- mutations ---------------------------------------------------------------------------

    def _require_adjudicator(self) -> None:
        """Refuse a settlement to whoever may not settle. A project file: anyone who opens it
        may (the file's access is the right); a team project: its admins."""
        from annotator.storage.server_rights import Right

        self.require_right(Right.ADMIN, "settle disagreements")

    def settle(
        self,
        claim_ids: Sequence[str],
        label_id: str | None,
        *,
        span_of: str | None = None,
        note: str = "",
        settlement_id: str | None = None,
        claim_id: str | None = None,
    ) -> Changes:
        """Settle the unit of these claims: with `label_id`, make the settled claim over the
        span of the claim `span_of` (default: the first of the unit's claims with that label,
        else the unit's first claim); with `label_id` None, reject the unit as not a claim.
        `settlement_id` and `claim_id` give the new records' ids (what redo needs)."""
        self._require_adjudicator()
        ids = list(dict.fromkeys(claim_ids))
        if not ids:
            raise ValidationError("A unit to settle holds at least one claim.")
        verb = "Reject" if label_id is None else "Settle"
        with self._mutation(f"{verb} disagreement") as (session, changes):
            claims = _unit_claims(session, ids)
            if len({c.document_id for c in claims}) > 1:
                raise ValidationError("The claims of a unit are all in one document.")
            outputs = set(
                session.scalars(
                    select(SettlementRow.claim_id).where(SettlementRow.claim_id.in_(ids))
                )
            )
            if outputs:
                raise ValidationError(
                    "A settled claim is the adjudicator's decision, not a judgement to settle."
                )
            labels = {row.id: row.name for row in session.scalars(select(LabelRow))}
            _refuse_settled_twice(session, claims)
            judgements = tuple(
                Judgement(c.id, c.author, c.label_id, labels.get(c.label_id, "")) for c in claims
            )
            now = utcnow()
            if label_id is None:
                span = claims[0]
                made = None
            else:
                if label_id not in labels:
                    raise NotFoundError(f"No label with id {label_id}.")
                span = _span_claim(claims, label_id, span_of)
                made = replace(
                    span,
                    id=claim_id or new_id(),
                    label_id=label_id,
                    note=note,
                    tags=(),
                    evidence=(),
                    author=self.author,
                    created=now,
                    modified=now,
                    revision=1,
                )
                if session.get(ClaimRow, made.id) is not None:
                    raise ValidationError("That claim exists already.")
                row = ClaimRow()
                fill_claim_row(row, made)
                session.add(row)
                changes.add("annotation", made.id)
            record = Settlement(
                id=settlement_id or new_id(),
                document_id=span.document_id,
                start=span.start,
                end=span.end,
                claim_id=made.id if made is not None else None,
                label=labels[label_id] if label_id is not None else "",
                settled_by=self.author,
                settled_at=now,
                judgements=judgements,
            )
            if session.get(SettlementRow, record.id) is not None:
                raise ValidationError("That settlement exists already.")
            session.add(new_settlement_row(record))
            changes.add("settlement", record.id)
            changes.created_id = record.id
        return changes.done()

    def remove_settlement(self, settlement_id: str) -> Changes:
        """Undo a settlement: remove its record and the settled claim it made (with any link
        made to that claim since). The annotators' claims were never touched."""
        self._require_adjudicator()
        with self._mutation("Undo settlement") as (session, changes):
            row = session.get(SettlementRow, settlement_id)
            if row is None:
                raise NotFoundError(f"No settlement with id {settlement_id}.")
            made = session.get(ClaimRow, row.claim_id) if row.claim_id else None
            if made is not None:
                touching = or_(LinkRow.source_id == made.id, LinkRow.target_id == made.id)
                for link_id in session.scalars(select(LinkRow.id).where(touching)):
                    changes.remove("link", link_id)
                session.execute(delete(LinkRow).where(touching))
                session.delete(made)
                changes.remove("annotation", made.id)
            session.execute(
                delete(SettlementJudgementRow).where(
                    SettlementJudgementRow.settlement_id == settlement_id
                )
            )
            session.execute(delete(SettlementRow).where(SettlementRow.id == settlement_id))
            changes.remove("settlement", settlement_id)
        return changes.done()


def _unit_claims(session: Session, ids: Sequence[str]) -> list[Claim]:
    """The claims, in the order given; a missing one is refused."""
    rows = {row.id: row for row in session.scalars(select(ClaimRow).where(ClaimRow.id.in_(ids)))}
    missing = [cid for cid in ids if cid not in rows]
    if missing:
        raise NotFoundError(
            f"The claim {missing[0]} is no longer in the project; list the disagreements again."
        )
    return [mapping.annotation(rows[cid]) for cid in ids]


def _refuse_settled_twice(session: Session, claims: Sequence[Claim]) -> None:
    """Refuse to settle again a unit whose every claim a standing settlement settled with the
    label it has now (another window settled it meanwhile)."""
    ids = [c.id for c in claims]
    rows = session.execute(
        select(
            SettlementJudgementRow.claim_id,
            SettlementJudgementRow.label_id,
            SettlementRow.claim_id,
        )
        .join(SettlementRow)
        .where(SettlementJudgementRow.claim_id.in_(ids))
    ).all()
    made = {r[2] for r in rows if r[2]}
    existing = set(session.scalars(select(ClaimRow.id).where(ClaimRow.id.in_(made))))
    standing = {(cid, lab) for cid, lab, out in rows if out is None or out in existing}
    if all((c.id, c.label_id) in standing for c in claims):
        raise ConflictError("This unit is settled already; list the disagreements again.")


def _span_claim(claims: Sequence[Claim], label_id: str, span_of: str | None) -> Claim:
    if span_of is not None:
        for claim in claims:
            if claim.id == span_of:
                return claim
        raise ValidationError(f"The claim {span_of} is not one of the unit's claims.")
    return next((c for c in claims if c.label_id == label_id), claims[0])


__all__ = ["AdjudicationService", "OpenDisagreements"]
