"""The `adjudicate` and `settle` commands: list the units annotators disagree on, settle one.

Thin over `annotator.services.adjudication` (what is open, and what settling records, is
documented there and in the reference). A unit is named by the id of its first claim (the
listing's UNIT column); `settle` accepts the id, or an unambiguous prefix of 4 characters or
more, of any claim of the unit.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from annotator.cli import output as out
from annotator.cli.project_cmds import open_project
from annotator.domain.adjudication import Disagreement, Settlement
from annotator.domain.agreement import CodedSpan
from annotator.domain.errors import NotFoundError
from annotator.services.adjudication import OpenDisagreements
from annotator.services.agreement import RULE_TEXT
from annotator.services.api import Project


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "adjudicate",
        help="list the disagreements of the annotators, still to settle",
        description="List the open disagreements: units of claims of different annotators "
        "(matched as `annotator agreement` matches them) whose labels differ, and claims only "
        "one annotator made. Settled units are not listed.",
    )
    p.add_argument("project", metavar="PROJECT", type=Path)
    p.add_argument("--doc", metavar="DOC", help="only the units of this document")
    p.add_argument("--json", action="store_true", help="print JSON (see the documented shape)")
    p.set_defaults(func=cmd_adjudicate)

    p = subparsers.add_parser(
        "settle",
        help="settle a disagreement with a label, or reject it",
        description="Settle the open unit holding claim UNIT: a settled claim is made by you "
        "over the span of one of the unit's claims, with the label chosen, and records who "
        "settled it and the judgements it settled. The annotators' claims are not changed. "
        "With --reject, the unit is settled as not a claim and no claim is made.",
    )
    p.add_argument("project", metavar="PROJECT", type=Path)
    p.add_argument("unit", metavar="UNIT", help="id (or id prefix) of any claim of the unit")
    verdict = p.add_mutually_exclusive_group(required=True)
    verdict.add_argument("--label", metavar="L", help="the label the settled claim gets")
    verdict.add_argument(
        "--reject", action="store_true", help="settle the unit as not a claim (no claim is made)"
    )
    p.add_argument(
        "--span-of",
        metavar="CLAIM",
        help="the unit's claim whose span the settled claim takes (default: the first with the "
        "chosen label, else the unit's first)",
    )
    p.add_argument("--note", default="", help="a note on the settled claim")
    p.add_argument("--json", action="store_true", help="print the settlement as JSON")
    p.set_defaults(func=cmd_settle)


# -- adjudicate ----------------------------------------------------------------------------------


def cmd_adjudicate(args: argparse.Namespace) -> int:
    with open_project(args.project) as project:
        doc_id = project.find_document(args.doc).id if args.doc else None
        found = project.disagreements(doc_id)
    data = adjudication_json(found)
    if args.json:
        out.print_json(data)
    else:
        print(render_text(data))
    return 0


def _claim_json(found: OpenDisagreements, span: CodedSpan) -> dict[str, Any]:
    claim = found.claim(span.claim_id)
    return {
        "id": claim.id,
        "annotator": span.annotator,
        "label": span.label,
        "label_id": claim.label_id,
        "start": claim.start,
        "end": claim.end,
        "quote": claim.quote.exact,
        "note": claim.note,
    }


def _unit_json(found: OpenDisagreements, unit: Disagreement) -> dict[str, Any]:
    agreement = found.agreement
    return {
        "unit": unit.reference,
        "kind": unit.kind,
        "document_id": unit.document_id,
        "document_number": agreement.document_numbers.get(unit.document_id),
        "title": agreement.document_titles.get(unit.document_id, ""),
        "start": unit.start,
        "end": unit.end,
        "claims": [_claim_json(found, c) for c in unit.claims],
    }


def settlement_json(item: Settlement) -> dict[str, Any]:
    return {
        "id": item.id,
        "document_id": item.document_id,
        "start": item.start,
        "end": item.end,
        "rejected": item.rejected,
        "claim_id": item.claim_id,
        "label": item.label or None,
        "settled_by": item.settled_by,
        "settled_at": out.iso_datetime(item.settled_at),
        "judgements": [
            {"claim_id": j.claim_id, "author": j.author, "label": j.label, "label_id": j.label_id}
            for j in item.judgements
        ],
    }


def adjudication_json(found: OpenDisagreements) -> dict[str, Any]:
    """The documented JSON shape of `annotator adjudicate --json`. Keys are only ever added."""
    report = found.agreement.report
    return {
        "matching_rule": report.rule,
        "threshold": report.threshold,
        "rule": RULE_TEXT.format(threshold=report.threshold),
        "open": [_unit_json(found, unit) for unit in found.disagreements],
        "settlements": [settlement_json(s) for s in found.settlements],
    }


def render_text(data: dict[str, Any]) -> str:
    units = data["open"]
    settled = len(data["settlements"])
    done = f"; {settled} settled before" if settled else ""
    if not units:
        return f"No open disagreement{done}."
    lines = [f"{len(units)} open disagreement{'s' if len(units) != 1 else ''}{done}.", ""]
    rows = []
    for unit in units:
        judged = " · ".join(f"{c['annotator']}: {c['label']}" for c in unit["claims"])
        quote = min(unit["claims"], key=lambda c: c["start"])["quote"]
        rows.append(
            [
                out.short_id(unit["unit"]),
                unit["document_number"] or "?",
                unit["kind"],
                judged,
                out.quoted(quote, 40),
            ]
        )
    lines.append(out.table(["Unit", "#", "Kind", "Labels", "Quote"], rows))
    lines += ["", "Settle one with: annotator settle PROJECT UNIT --label L (or --reject)."]
    return "\n".join(lines)


# -- settle --------------------------------------------------------------------------------------


def find_unit(project: Project, found: OpenDisagreements, ref: str) -> Disagreement:
    """The open unit holding the claim `ref` (an id or an unambiguous prefix of 4 or more)."""
    ref = ref.strip()
    exact = found.find(ref)
    if exact is not None:
        return exact
    ids = {c.claim_id for d in found.disagreements for c in d.claims}
    matches = sorted(i for i in ids if i.startswith(ref)) if len(ref) >= 4 else []
    if len(matches) == 1:
        unit = found.find(matches[0])
        assert unit is not None
        return unit
    if matches:
        raise NotFoundError(f"{ref!r} is the start of {len(matches)} claim ids; give more of it.")
    from annotator.cli.claim_cmds import find_claim

    claim = find_claim(project, ref)  # says so when there is no such claim at all
    raise NotFoundError(
        f"Claim {out.short_id(claim.id)} is in no open disagreement (its unit is settled, its "
        "annotators agree, or it is a settled claim); see `annotator adjudicate`."
    )


def cmd_settle(args: argparse.Namespace) -> int:
    with open_project(args.project) as project:
        found = project.disagreements()
        unit = find_unit(project, found, args.unit)
        span_of = None
        if args.span_of:
            span_of = next((c for c in unit.claim_ids if c.startswith(args.span_of.strip())), None)
            if span_of is None or len(args.span_of.strip()) < 4:
                raise NotFoundError(
                    f"{args.span_of!r} is not a claim of unit {out.short_id(unit.reference)} "
                    f"(its claims: {', '.join(out.short_id(c) for c in unit.claim_ids)})."
                )
        label_id = None if args.reject else project.label(args.label).id
        changes = project.settle(unit.claim_ids, label_id, span_of=span_of, note=args.note)
        assert changes.created_id is not None
        settlement = project.settlement(changes.created_id)
    if args.json:
        out.print_json(settlement_json(settlement))
        return 0
    judged = ", ".join(f"{j.author or '(unknown)'}: {j.label}" for j in settlement.judgements)
    if settlement.claim_id is None:
        print(f"Rejected unit {out.short_id(unit.reference)} as not a claim (settles {judged}).")
    else:
        print(
            f"Settled unit {out.short_id(unit.reference)} as {settlement.label}: claim "
            f"{out.short_id(settlement.claim_id)} by {settlement.settled_by} (settles {judged})."
        )
    return 0
