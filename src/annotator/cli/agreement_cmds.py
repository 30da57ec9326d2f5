"""The `agreement` command: how far the annotators of a project agree on their claims' labels.

Thin over `annotator.services.agreement` (the matching rule and the figures are documented there
and in the reference).
"""

from __future__ import annotations

import argparse
from typing import Any

from annotator.cli import output as out
from annotator.cli.locations import PROJECT_HELP, project_location
from annotator.cli.project_cmds import open_project
from annotator.domain.agreement import DEFAULT_THRESHOLD
from annotator.services.agreement import agreement_json, measure_project_agreement


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "agreement",
        help="measure the agreement of the annotators",
        description="Match the claims of different annotators (the claims' authors) as units "
        "when their spans overlap by at least the threshold of the shorter span, then give per "
        "pair of annotators percent agreement and Cohen's kappa, and Krippendorff's alpha "
        "(nominal) over all, per document and per label. The value compared is the label.",
    )
    p.add_argument("project", metavar="PROJECT", type=project_location, help=PROJECT_HELP)
    p.add_argument("--doc", metavar="DOC", help="only the claims of this document")
    p.add_argument(
        "--threshold",
        metavar="F",
        type=_fraction,
        default=DEFAULT_THRESHOLD,
        help=f"shared part of the shorter span two claims need to match (default "
        f"{DEFAULT_THRESHOLD})",
    )
    p.add_argument("--json", action="store_true", help="print JSON (see the documented shape)")
    p.set_defaults(func=cmd_agreement)


def _fraction(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not 0 < number <= 1:
        raise argparse.ArgumentTypeError("a fraction above 0 and at most 1, such as 0.5")
    return number


def _number(value: float | None, percent: bool = False) -> str:
    if value is None:
        return "—"
    return f"{value:.0%}" if percent else f"{value:.2f}"


def cmd_agreement(args: argparse.Namespace) -> int:
    with open_project(args.project) as project:
        from annotator.storage.server_rights import Right

        # A team study's agreement is its admins' view (blind coding hides the others' claims).
        project.require_right(Right.ADMIN, "see the agreement")
        doc_id = project.find_document(args.doc).id if args.doc else None
        result = measure_project_agreement(project, doc_id, args.threshold)
    data = agreement_json(result)
    if args.json:
        out.print_json(data)
        return 0
    print(render_text(data))
    return 0


def render_text(data: dict[str, Any]) -> str:
    """The short human summary of `agreement_json`'s data."""
    names = [a["name"] for a in data["annotators"]]
    claims = sum(a["claims"] for a in data["annotators"])
    lines = [
        f"Matching: overlap coefficient ≥ {data['threshold']:g} of the shorter span, one-to-one, "
        "largest overlap first; the value compared is the label.",
    ]
    if len(names) < 2:
        who = f"by {names[0]} only" if names else "none"
        lines.append(
            f"Agreement needs claims by two or more annotators; this selection has {claims} "
            f"claim(s), {who}."
        )
        return "\n".join(lines)
    units = data["units"]
    lines.append(
        f"{len(names)} annotators, {claims} claims, {units} unit{'s' if units != 1 else ''} "
        "coded by two or more."
    )
    alpha = data["krippendorff_alpha"]
    why = f" ({data['krippendorff_alpha_reason']})" if alpha is None else ""
    lines += ["", f"Krippendorff's alpha (nominal, all annotators): {_number(alpha)}{why}", ""]
    notes: list[str] = []
    rows = []
    for pair in data["pairs"]:
        a, b = pair["annotators"]
        rows.append(
            [
                f"{a} – {b}",
                pair["units"],
                _number(pair["percent_agreement"], percent=True),
                _number(pair["cohen_kappa"]),
                f"{pair['unmatched'][a]} / {pair['unmatched'][b]}",
            ]
        )
        if pair["cohen_kappa"] is None:
            notes.append(f"{a} – {b}: kappa undefined, {pair['cohen_kappa_reason']}")
    lines.append(out.table(["Pair", "Units", "Agree", "Kappa", "Unmatched"], rows))
    lines += [f"  {note}" for note in notes]
    if data["by_document"]:
        rows = [
            [
                doc["document_number"] or "?",
                out.truncate(doc["title"], 40),
                doc["units"],
                _number(doc["krippendorff_alpha"]),
            ]
            for doc in data["by_document"]
        ]
        lines += ["", out.table(["#", "Document", "Units", "Alpha"], rows)]
    if data["by_label"]:
        rows = [
            [
                item["label"],
                sum(item["claims"].values()),
                item["units"],
                _number(item["specific_agreement"], percent=True),
                _number(item["krippendorff_alpha"]),
            ]
            for item in data["by_label"]
        ]
        lines += ["", out.table(["Label", "Claims", "Units", "Specific", "Alpha"], rows)]
    unmatched = ", ".join(f"{a} {len(cs)}" for a, cs in data["unmatched"].items())
    lines += ["", f"Unmatched claims (no other annotator's claim matched): {unmatched}."]
    return "\n".join(lines)
