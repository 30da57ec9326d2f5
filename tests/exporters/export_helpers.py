"""Helpers of the report and interchange tests: a small fixed project (fixed claim and link ids,
fixed times, fixed bytes) and the real samples project."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from annotator.domain.model import Claim, Evidence, Link, QuoteSelector, Relation
from annotator.importers.base import ImportedText
from annotator.services.api import Project

GOLDEN = Path(__file__).parent / "golden"
DATA = Path(__file__).parent / "data"
UPDATE_GOLDEN = os.environ.get("UPDATE_GOLDEN") == "1"
T0 = datetime(2024, 3, 1, 9, 30, tzinfo=UTC)
AUTHOR = "Ada Lovelace"

BULLETIN = (
    "Monthly bulletin of the Statistics Office.\n\n"
    "Unemployment fell to 4.1% in January, the lowest rate since 2008. "
    "Café owners 😀 reported more hiring than in any winter before.\n\n"
    "The figures are provisional and will be revised in March."
)
HERALD = (
    "Daily Herald, front page.\n\n"
    "According to the ministry, unemployment fell to 4.1% in January. "
    "The minister resigned on Friday after the vote.\n\n"
    "Critics called the bulletin “a fairy tale for voters”."
)
BLOG = (
    "A blog post.\n\n"
    "Unemployment did not fall at all: the office changed how it counts.\n\n"
    "I saw the minister resign on Friday with my own eyes; the minister resigned on Friday."
)


def cid(n: int) -> str:
    return f"00000000-0000-4000-8000-0000000000{n:02d}"


def lid(n: int) -> str:
    return f"00000000-0000-4000-9000-0000000000{n:02d}"


@dataclass
class Fixed:
    project: Project
    docs: dict[str, str]
    """Short name (bulletin, herald, blog) -> document id."""

    def normalise(self, text: str) -> str:
        """Replace the ids that differ between runs (documents, project) by stable names."""
        for name, doc_id in self.docs.items():
            text = text.replace(doc_id, f"DOC-{name.upper()}")
        return text.replace(self.project.project_id(), "PROJECT-ID")


def add_doc(project: Project, text: str, name: str, **fields: object) -> str:
    imported = ImportedText(text=text, format="text", title=str(fields.pop("title", name)))
    changes = project.add_document(imported, text.encode("utf-8"), f"{name}.txt")
    assert changes.created_id is not None
    if fields:
        project.update_document(changes.created_id, **fields)
    return changes.created_id


def claim(
    project: Project,
    n: int,
    doc: str,
    quote: str,
    label: str,
    *,
    occurrence: int = 0,
    **extra: object,
) -> Claim:
    text = project.document_text(doc)
    starts = project.find_quote(doc, quote)
    start = starts[occurrence]
    created = T0 + timedelta(hours=n)
    ann = Claim(
        id=cid(n),
        document_id=doc,
        start=start,
        end=start + len(quote),
        quote=QuoteSelector.at(text, start, start + len(quote)),
        label_id=project.label(label).id,
        author=AUTHOR,
        created=created,
        modified=created + timedelta(minutes=n),
        **extra,  # type: ignore[arg-type]
    )
    project.restore_claim(ann)
    return ann


def link(project: Project, n: int, source: int, target: int, relation: str, note: str = "") -> Link:
    item = Link(
        id=lid(n),
        source_id=cid(source),
        target_id=cid(target),
        relation=Relation(relation),
        note=note,
        author=AUTHOR,
        created=T0 + timedelta(days=1, hours=n),
    )
    project.restore_link(item)
    return item


def fill_fixed(project: Project) -> dict[str, str]:
    """Three documents, a custom label, six claims of every label, four links."""
    project.add_label("satire", "#6a1b9a", key="4", description="Irony, not a claim.")
    docs = {
        "bulletin": add_doc(
            project,
            BULLETIN,
            "bulletin",
            title="Monthly bulletin",
            authors=["Statistics Office"],
            publisher="Statistics Office",
            published="2017-02-21",
            url="https://stats.example/bulletin/2017-02",
            accessed="2024-02-28",
            language="en",
            source_kind="primary",
            provenance_note="Downloaded from the office's site on 2024-02-28.",
            reliability_note="Official figures; provisional until March.",
        ),
        "herald": add_doc(
            project,
            HERALD,
            "herald",
            title="Daily Herald",
            published="2017-02",
            url="https://herald.example/front",
            accessed="2017-02-22",
            source_kind="secondary",
            reliability_note="Tabloid; often copies press releases.",
        ),
        "blog": add_doc(project, BLOG, "blog", title="A blog post", source_kind="tertiary"),
    }
    b, h, g = docs["bulletin"], docs["herald"], docs["blog"]
    claim(
        project,
        1,
        b,
        "Unemployment fell to 4.1% in January",
        "sourced",
        note="The office's own figure.\nSee table 2.",
        tags=("economy", "labour"),
        evidence=(
            Evidence("Bulletin, table 2", "https://stats.example/bulletin/2017-02#t2"),
            Evidence("Phone call with the office"),
        ),
    )
    claim(project, 2, b, "Café owners 😀 reported more hiring", "satire", tags=("anecdote",))
    claim(project, 3, h, "unemployment fell to 4.1% in January", "sourced", tags=("economy",))
    claim(project, 4, h, "The minister resigned on Friday", "disputed")
    claim(
        project,
        5,
        h,
        "a fairy tale for voters",
        "polemical",
        note="Quoted without naming the critics.",
    )
    claim(project, 6, g, "Unemployment did not fall at all", "polemical", tags=("economy",))
    claim(project, 7, g, "the minister resigned on Friday", "disputed", occurrence=0)
    link(project, 1, 3, 1, "repeats", note="Same wording as the bulletin.")
    link(project, 2, 3, 1, "corroborates")
    link(project, 3, 6, 1, "contradicts")
    link(project, 4, 7, 4, "corroborates", note="An eyewitness.")
    return docs


SAMPLE_CLAIMS: list[tuple[str, str, str]] = [
    # (sample file prefix, quote, label): the suite's own samples (tests/fixtures/sources)
    ("workers", "has said nothing about the bitter dispute", "sourced"),
    ("workers", "dismissing 35 harbour pilots", "sourced"),
    ("workers", "acts as a wing of the Harbour Party", "polemical"),
    ("workers", "the TWL shields the private-sale camp inside the port authority", "polemical"),
    ("workers", "did not carry one line about the closure", "disputed"),
    ("workers", "sent in by a reader, not written by its editors", "disputed"),
    ("wikiwatch", "was the press gang of the Brackwater Printing Cooperative", "polemical"),
    ("wikiwatch", "they never stand a candidate for any office", "disputed"),
    ("wikiwatch", "The novelist Zoë Ørsted 🚢 spent two summers with the TWL", "sourced"),
    ("wikiwatch", "has never reprinted its own founding charter", "sourced"),
    ("wikiwatch", "joining the TWL was rather like joining", "polemical"),
    ("wikiwatch", "did little work", "disputed"),
]


def fill_samples(project: Project, folder: Path) -> list[str]:
    """Import the suite's own two samples from `folder` and mark the claims above (found by
    quote), with two links."""
    from annotator.app.imports import import_files

    paths = sorted(folder.iterdir())
    results = import_files(project, paths)
    assert all(r.document_id for r in results), [r.message for r in results]
    by_prefix = {r.path.name.split("-")[0]: r.document_id for r in results}
    ids: list[str] = []
    for prefix, quote, label in SAMPLE_CLAIMS:
        doc = by_prefix[prefix]
        assert doc is not None
        starts = project.find_quote(doc, quote)
        assert starts, f"{quote!r} not found in {prefix}"
        changes = project.create_claim(
            doc,
            starts[0],
            starts[0] + len(quote),
            project.label(label).id,
            note=f"Checked against the {prefix} text.",
            tags=[prefix, label],
            evidence=[Evidence("Source text", "https://example.org/" + prefix)],
        )
        assert changes.created_id is not None
        ids.append(changes.created_id)
    project.create_link(ids[2], ids[6], "corroborates", note="Both call the TWL a front.")
    project.create_link(ids[4], ids[7], "contradicts")
    for doc in by_prefix.values():
        assert doc is not None
        project.update_document(doc, provenance_note="Saved from the web for this study.")
    return ids
