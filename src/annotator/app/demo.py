"""The built-in demo: an invented event told by two contrasting sources, already annotated.

The dock strike of 1931 in the (fictional) port of Velmora, told by a partisan Markdown pamphlet
and by a neutral encyclopedia entry in plain text. Both files live in `resources/demo/` and go
through the real importers; then six claims (all three built-in labels, with notes, tags and
evidence) and three links across the two documents are made through the services.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from annotator.domain.errors import AnnotatorError
from annotator.domain.model import Evidence, Relation
from annotator.services.api import Project

PAMPHLET = "velmora-pamphlet.md"
ENCYCLOPEDIA = "velmora-encyclopedia.txt"


@dataclass(frozen=True)
class DemoClaim:
    key: str
    document: str  # file name
    quote: str  # must occur exactly once in the imported text
    label: str
    note: str = ""
    tags: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()


DOCUMENT_DETAILS: dict[str, dict[str, str]] = {
    PAMPHLET: {
        "publisher": "Velmora Quay Workers' Union",
        "source_kind": "primary",
        "provenance_note": (
            "Broadsheet handed out at the Quay Street gates (invented for the demo)."
        ),
    },
    ENCYCLOPEDIA: {
        "publisher": "Harbourtowns Encyclopedia",
        "source_kind": "tertiary",
        "url": "https://example.org/harbourtowns/velmora-dock-strike-1931",
        "provenance_note": "Reference entry written for the demo.",
    },
}

CLAIMS: tuple[DemoClaim, ...] = (
    DemoClaim(
        "rate-cut",
        PAMPHLET,
        "On 3 March the Harbour Board cut the day rate from nine shillings to seven",
        "sourced",
        note="The pamphlet cites the Board's own notice; the encyclopedia's source, the Board "
        "minutes, gives the same figures.",
        tags=("wages",),
        evidence=(Evidence("Notice posted at the Board offices in Quay Street, 1 March 1931"),),
    ),
    DemoClaim(
        "four-thousand",
        PAMPHLET,
        "More than four thousand dockers walked off the quays",
        "disputed",
        note="The union's figure. The Board's registers count about 1,800 at the morning call.",
        tags=("numbers", "strikers"),
        evidence=(
            Evidence(
                "Velmora Harbour Board, Attendance Registers, March 1931",
                "https://example.org/velmora/attendance-registers-1931",
            ),
        ),
    ),
    DemoClaim(
        "bullies",
        PAMPHLET,
        "The Board's hired bullies patrol the gates with pick-handles",
        "polemical",
        note="Loaded language; eleven arrests are on record, but nothing about who was armed.",
        tags=("loaded language", "violence"),
    ),
    DemoClaim(
        "rate-cut-entry",
        ENCYCLOPEDIA,
        "reduced the daily rate for casual dock labour from nine to seven shillings on "
        "3 March 1931",
        "sourced",
        tags=("wages",),
        evidence=(Evidence("Velmora Harbour Board, Minutes of the Board, 1 March 1931"),),
    ),
    DemoClaim(
        "eighteen-hundred",
        ENCYCLOPEDIA,
        "About 1,800 dockers stopped work on 4 March, according to the Board's attendance "
        "registers",
        "sourced",
        note="Note 1 warns that the registers leave out men hired after the morning call.",
        tags=("numbers", "strikers"),
    ),
    DemoClaim(
        "union-figure",
        ENCYCLOPEDIA,
        "the Quay Workers' Union, led by Agnieszka Wróblewska, claimed over 4,000",
        "disputed",
        note="The entry reports the union's figure without endorsing it.",
        tags=("numbers",),
    ),
)

LINKS: tuple[tuple[str, str, Relation, str], ...] = (
    ("rate-cut", "rate-cut-entry", Relation.CORROBORATES, "Same cut, same date, two sources."),
    ("eighteen-hundred", "four-thousand", Relation.CONTRADICTS, "1,800 against over 4,000."),
    ("union-figure", "four-thousand", Relation.REPEATS, "The entry repeats the union's count."),
)


class DemoError(AnnotatorError):
    """The demo could not be built (its files are missing or do not import as expected)."""


def demo_dir() -> Path:
    """`resources/demo`: inside the installed package, or in a source checkout."""
    shipped = resources.files("annotator") / "_resources" / "demo"
    if shipped.is_dir():
        return Path(str(shipped))
    return Path(__file__).resolve().parents[3] / "resources" / "demo"


def build_demo(path: Path | str) -> Project:
    """Create the demo project at `path` (which must not exist) and return it open."""
    from annotator.app.imports import import_files

    path = Path(path)
    folder = demo_dir()
    files = [folder / PAMPHLET, folder / ENCYCLOPEDIA]
    missing = [f.name for f in files if not f.is_file()]
    if missing:
        raise DemoError(f"The demo documents are missing from this installation ({missing[0]}).")
    project = Project.create(path)
    try:
        results = import_files(project, files)
        doc_ids: dict[str, str] = {}
        for result in results:
            if result.document_id is None:
                raise DemoError(f"The demo could not import {result.path.name}: {result.message}")
            doc_ids[result.path.name] = result.document_id
            project.update_document(result.document_id, **DOCUMENT_DETAILS[result.path.name])
        claim_ids = {
            claim.key: _annotate(project, doc_ids[claim.document], claim) for claim in CLAIMS
        }
        for source, target, relation, note in LINKS:
            project.create_link(claim_ids[source], claim_ids[target], relation, note=note)
        project.set_setting("demo", "velmora-1931")
    except BaseException:
        project.close()
        path.unlink(missing_ok=True)
        for suffix in ("-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        raise
    return project


def _annotate(project: Project, document_id: str, claim: DemoClaim) -> str:
    starts = project.find_quote(document_id, claim.quote)
    if len(starts) != 1:
        raise DemoError(
            f"The demo quote {claim.quote!r} occurs {len(starts)} times in {claim.document}."
        )
    start = starts[0]
    changes = project.create_claim(
        document_id,
        start,
        start + len(claim.quote),
        project.label(claim.label).id,
        note=claim.note,
        tags=claim.tags,
        evidence=claim.evidence,
    )
    assert changes.created_id is not None
    return changes.created_id
