"""Word report (python-docx): real headings (Title, Heading 1-3), tables for the summary, the
label counts and the cross-source matrix, label colours as cell and text shading."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from annotator.domain.formatting import FormatKind
from annotator.exporters.base import ExportOptions, register
from annotator.exporters.templating import clean, day, one_line, quote_pieces, shorten, when
from annotator.services.report_model import ClaimEntry, LabelCount, Report, SourceSection

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.table import _Cell
    from docx.text.paragraph import Paragraph

    from annotator.services.report_agreement import AgreementSection

MUTED = "5F6B7A"
ACCENT = "1F4E79"


def _shade(element: Any, fill: str) -> None:
    """Background colour of a table cell (`_Cell`) or a run."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    props = (
        element._tc.get_or_add_tcPr() if hasattr(element, "_tc") else element._r.get_or_add_rPr()
    )
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill.lstrip("#").upper())
    props.append(shd)


def _run(
    par: Paragraph,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    color: str = "",
    size: float = 0,
    fill: str = "",
) -> None:
    from docx.shared import Pt, RGBColor

    run = par.add_run(clean(text))
    run.bold = bold or None
    run.italic = italic or None
    if color:
        run.font.color.rgb = RGBColor.from_string(color.lstrip("#").upper())
    if size:
        run.font.size = Pt(size)
    if fill:
        _shade(run, fill)


def _cell(cell: _Cell, text: str, *, bold: bool = False, color: str = "", fill: str = "") -> None:
    par = cell.paragraphs[0]
    _run(par, text, bold=bold, color=color)
    if fill:
        _shade(cell, fill)


def _table(doc: DocxDocument, header: list[str], rows: list[list[str]]) -> Any:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        _cell(cell, text, bold=True, fill="#EEF1F4")
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            _cell(cell, text)
    return table


def _field(doc: DocxDocument, name: str, text: str) -> Paragraph:
    par = doc.add_paragraph()
    _run(par, f"{name}: ", bold=True, color=MUTED, size=8.5)
    _run(par, text)
    return par


def _bars(doc: DocxDocument, counts: tuple[LabelCount, ...]) -> None:
    table = doc.add_table(rows=0, cols=4)
    table.style = "Table Grid"
    for c in counts:
        cells = table.add_row().cells
        _cell(cells[0], c.label.name, bold=True, color=c.label.text_color, fill=c.label.color)
        _cell(cells[1], "█" * round(c.share * 20) or "·", color=c.label.color)
        _cell(cells[2], str(c.count))
        _cell(cells[3], f"{c.percent}%", color=MUTED)


@register("docx", ".docx", "Word document")
def render_docx(report: Report, options: ExportOptions) -> bytes:
    from docx import Document

    doc = Document()
    doc.core_properties.title = clean(report.title)
    doc.core_properties.author = "Annotator"
    if report.generated:
        doc.core_properties.created = report.generated.replace(tzinfo=None)
    doc.add_heading(clean(report.title), level=0)
    intro = doc.add_paragraph()
    _run(intro, "Source-criticism report", bold=True, color=ACCENT)
    for line in report.scope:
        _run(intro, "\n" + line, color=MUTED)
    if report.generated:
        _run(intro, f"\nGenerated {when(report.generated)}", color=MUTED)

    s = report.summary
    doc.add_heading("Summary", level=1)
    _table(
        doc,
        ["Documents", "Claims", "Links", "Threads", "Dependent corroboration"],
        [[str(s.documents), str(s.claims), str(s.links), str(s.threads), str(s.flagged)]],
    )
    doc.add_heading("Claims per label", level=2)
    _bars(doc, s.per_label)
    doc.add_heading("Links per relation", level=2)
    _table(doc, ["Relation", "Links"], [[rel, str(n)] for rel, n in s.per_relation])
    doc.add_heading("Annotators", level=2)
    if s.annotators:
        _table(doc, ["Annotator", "Claims"], [[name, str(n)] for name, n in s.annotators])
    else:
        doc.add_paragraph("No claims yet.")
    doc.add_heading("Period", level=2)
    if s.first_claim:
        doc.add_paragraph(f"First claim: {when(s.first_claim)}\nLast claim: {when(s.last_claim)}")
    else:
        doc.add_paragraph("No claims yet.")
    if report.agreement is not None:
        _agreement(doc, report.agreement)
    for section in report.sources:
        _source(doc, section)
    _matrix(doc, report)
    footer = doc.add_paragraph()
    stamp = f" on {when(report.generated)}" if report.generated else ""
    _run(
        footer,
        f"Generated by Annotator{stamp}. A claim's corroboration is flagged as not independent "
        "when every corroborating source repeats (directly or through a chain of “repeats” "
        "links) the claim's own source or another corroborating source.",
        italic=True,
        color=MUTED,
        size=8,
    )
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _agreement(doc: DocxDocument, a: AgreementSection) -> None:
    """The annotators' agreement: the same tables as the HTML and Markdown reports."""

    def noted(text: str, note: str) -> str:
        return f"{text} ({note})" if note else text

    doc.add_heading("Agreement between annotators", level=1)
    _run(doc.add_paragraph(), a.rule + " The value compared is the claim's label.", color=MUTED)
    names = ", ".join(f"{name} ({n})" for name, n in a.annotators)
    alpha = noted(a.krippendorff_alpha, a.alpha_note)
    doc.add_paragraph(
        f"Krippendorff's alpha (nominal, all annotators): {alpha} over {a.units} units. "
        f"Annotators: {names}."
    )
    doc.add_heading("Pairs of annotators", level=2)
    _table(
        doc,
        ["Annotators", "Units", "Agreement", "Cohen's kappa", "Unmatched"],
        [
            [
                noted(p.annotators, p.note),
                str(p.units),
                p.percent_agreement,
                p.cohen_kappa,
                p.unmatched,
            ]
            for p in a.pairs
        ],
    )
    doc.add_heading("Per document", level=2)
    _table(
        doc,
        ["Document", "Units", "Alpha"],
        [
            [
                noted(f"S{d.number} " * bool(d.number) + d.title, d.note),
                str(d.units),
                d.krippendorff_alpha,
            ]
            for d in a.documents
        ],
    )
    doc.add_heading("Per label", level=2)
    _table(
        doc,
        ["Label", "Claims", "Units", "Specific agreement", "Alpha"],
        [
            [
                noted(lab.label, lab.note),
                str(lab.claims),
                str(lab.units),
                lab.specific_agreement,
                lab.krippendorff_alpha,
            ]
            for lab in a.labels
        ],
    )
    unmatched = ", ".join(f"{name} {n}" for name, n in a.unmatched)
    _run(
        doc.add_paragraph(),
        f"Unmatched claims (no other annotator's claim matched them): {unmatched}.",
        color=MUTED,
    )


def _source(doc: DocxDocument, section: SourceSection) -> None:
    src = section.source
    doc.add_heading(clean(f"S{src.number}  {src.title}"), level=1)
    facts = [
        ("Authors", "; ".join(src.authors)),
        ("Publisher", src.publisher),
        ("Published", src.published),
        ("URL", f"{src.url}, accessed {src.accessed}" if src.url and src.accessed else src.url),
        ("Accessed", "" if src.url else src.accessed),
        ("Source kind", src.source_kind),
        ("Language", src.language),
        ("File", f"{src.file_name} ({src.format})" if src.format else src.file_name),
        ("Length", f"{src.length:,} characters"),
        ("SHA-256", src.sha256),
    ]
    for name, value in facts:
        if value:
            _field(doc, name, value)
    for name, note in (("Provenance", src.provenance_note), ("Reliability", src.reliability_note)):
        if note.strip():
            _field(doc, name, note)
    if not section.claims:
        doc.add_paragraph("No claims in this report.")
        return
    doc.add_heading("Claims per label", level=2)
    _bars(doc, section.counts)
    doc.add_heading("Claims", level=2)
    for claim in section.claims:
        _claim(doc, claim)


def _claim(doc: DocxDocument, c: ClaimEntry) -> None:
    head = doc.add_heading(level=3)
    _run(head, f"C{c.number}  ")
    _run(head, f" {c.label.name} ", color=c.label.text_color, fill=c.label.color, size=9)
    facts = [c.location.text, day(c.created)]
    if c.author:
        facts.insert(-1, c.author)
    meta = doc.add_paragraph()
    _run(meta, " · ".join(facts), color=MUTED, size=8.5)
    quote = doc.add_paragraph()
    if c.before:
        _run(quote, c.before, color=MUTED)
    for text, kinds in quote_pieces(c.exact, c.formats):
        italic = FormatKind.EMPHASIS in kinds
        _run(quote, text, bold=True, italic=italic, fill=c.label.tint)
    if c.after:
        _run(quote, c.after, color=MUTED)
    if c.note.strip():
        _field(doc, "Note", c.note)
    if c.tags:
        _field(doc, "Tags", ", ".join(c.tags))
    for e in c.evidence:
        _field(doc, "Evidence", " · ".join(p for p in (e.citation.strip(), e.url or "") if p))
    for k in c.links:
        other = f"C{k.other_number}" if k.other_number else "a claim outside this report"
        note = f" ({one_line(k.note)})" if k.note.strip() else ""
        text = f"{k.phrase} {other} in {k.other_source}: “{shorten(k.other_quote, 100)}”{note}"
        _field(doc, "Link", text)


def _matrix(doc: DocxDocument, report: Report) -> None:
    doc.add_heading("Cross-source matrix", level=1)
    m = report.matrix
    if not m.sources:
        doc.add_paragraph("No linked claims in this report.")
        return
    doc.add_paragraph(
        "Links between the claims of two sources: a claim in the row's source <relation> a "
        "claim in the column's source."
    )
    rows = [
        [f"S{src.number} {short}", *(cell.text for cell in row)]
        for src, short, row in zip(m.sources, m.short_titles, m.rows, strict=True)
    ]
    _table(doc, ["", *(f"S{s.number}" for s in m.sources)], rows)
    for src in m.sources:
        _field(doc, f"S{src.number}", src.title)
    for t in report.threads:
        plural = "s" if len(t.sources) != 1 else ""
        doc.add_heading(
            f"Thread {t.number} · {len(t.claims)} claims in {len(t.sources)} source{plural}",
            level=2,
        )
        rows = []
        for tc in t.claims:
            notes = [f"{what} {'; '.join(who)}" for what, who in tc.relations()]
            if tc.dependent:
                notes.append("⚠ Corroboration not independent")
            rows.append(
                [
                    f"C{tc.claim.number}",
                    tc.claim.source_title,
                    f"“{shorten(tc.claim.exact, 90)}”",
                    tc.claim.label.name,
                    "\n".join(notes),
                ]
            )
        _table(doc, ["Claim", "Source", "Quote", "Label", "Assessment"], rows)
        for k in t.links:
            note = f" · {one_line(k.note)}" if k.note.strip() else ""
            doc.add_paragraph(
                clean(f"C{k.source_number} {k.relation} C{k.target_number}{note}"),
                style="List Bullet",
            )
