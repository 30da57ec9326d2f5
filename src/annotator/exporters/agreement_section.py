"""The report's agreement section as Markdown (the HTML is the `agreement_section.html.j2` macro).

Every piece of user text (annotator names, document titles, labels) goes through the Markdown
exporter's `escape`.
"""

from __future__ import annotations

from annotator.exporters.markdown import escape
from annotator.services.report_agreement import AgreementSection


def _table(header: list[str], rows: list[list[str]], align: str) -> list[str]:
    out = ["| " + " | ".join(header) + " |"]
    out.append("|" + "|".join("---:" if a == "r" else "---" for a in align) + "|")
    out += ["| " + " | ".join(cells) + " |" for cells in rows]
    return out


def _with_note(text: str, note: str) -> str:
    return f"{text} ({escape(note)})" if note else text


def agreement_markdown(section: AgreementSection) -> list[str]:
    """The section's lines, from its `##` heading to a blank line."""
    names = ", ".join(f"{escape(name)} ({n})" for name, n in section.annotators)
    lines = ["## Agreement between annotators", ""]
    lines += [escape(section.rule) + " The value compared is the claim's label.", ""]
    alpha = _with_note(section.krippendorff_alpha, section.alpha_note)
    lines += [
        f"Krippendorff's alpha (nominal, all annotators): **{alpha}** over {section.units} "
        f"units. Annotators: {names}.",
        "",
        "### Pairs of annotators",
        "",
    ]
    lines += _table(
        ["Annotators", "Units", "Agreement", "Cohen's kappa", "Unmatched"],
        [
            [
                _with_note(escape(p.annotators), p.note),
                str(p.units),
                p.percent_agreement,
                p.cohen_kappa,
                p.unmatched,
            ]
            for p in section.pairs
        ],
        "lrrrr",
    )
    lines += ["", "### Per document", ""]
    lines += _table(
        ["Document", "Units", "Alpha"],
        [
            [
                _with_note(f"S{d.number} " * bool(d.number) + escape(d.title), d.note),
                str(d.units),
                d.krippendorff_alpha,
            ]
            for d in section.documents
        ],
        "lrr",
    )
    lines += ["", "### Per label", ""]
    lines += _table(
        ["Label", "Claims", "Units", "Specific agreement", "Alpha"],
        [
            [
                _with_note(escape(item.label), item.note),
                str(item.claims),
                str(item.units),
                item.specific_agreement,
                item.krippendorff_alpha,
            ]
            for item in section.labels
        ],
        "lrrrr",
    )
    unmatched = ", ".join(f"{escape(name)} {n}" for name, n in section.unmatched)
    lines += ["", f"Unmatched claims (no other annotator's claim matched them): {unmatched}.", ""]
    return lines
