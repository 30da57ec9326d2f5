"""Write tests/storage/fixtures/project-<head>.annot: a small real project at the current schema.

Run it once when a new migration is added, BEFORE changing anything else, with the code of the
version being frozen (`.venv/bin/python tests/storage/make_fixture.py`), and commit the file:
every later schema then has to open it (test_storage_migrations.py). Never regenerate an
existing fixture.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

from annotator.domain.model import Evidence
from annotator.importers.base import ImportedText
from annotator.services.api import Project
from annotator.storage import migrations

FIXTURES = Path(__file__).parent / "fixtures"


def make(path: Path) -> None:
    with Project.create(path) as p:
        report = p.add_document(
            ImportedText(
                "The minister said the treaty was signed in 1997.\n\n"
                "Critics replied that it was never ratified. 😀 שלום e\u0301",
                "text",
                title="Fixture: treaty report",
            ),
            b"fixture report",
            "report.txt",
            published="2017-02",
            authors="A. Writer; B. Editor",
        ).created_id
        rebuttal = p.add_document(
            ImportedText("No archive confirms that the treaty was signed.", "text"),
            b"fixture rebuttal",
            "rebuttal.md",
            title="Fixture: rebuttal",
        ).created_id
        assert report and rebuttal
        sourced, disputed, _ = (lab.id for lab in p.labels())
        first = p.create_claim(
            report,
            4,
            48,
            disputed,
            note="checked against the archive",
            tags=["treaty", "1997"],
            evidence=[Evidence("National archive, box 12", "https://example.org/box12")],
        ).created_id
        p.create_claim(report, 70, 96, sourced, tags=["ratification"])
        second = p.create_claim(rebuttal, 0, 47, sourced).created_id
        assert first and second
        p.create_link(first, second, "contradicts", note="the archive says otherwise")
        p.save_search("treaty", "treaty AND label:disputed")
        p.set_setting("export.format", '"html"')
    with sqlite3.connect(path) as conn:
        conn.execute("VACUUM")


def main() -> int:
    FIXTURES.mkdir(exist_ok=True)
    path = FIXTURES / f"project-{migrations.head_revision()}.annot"
    if path.exists():
        print(f"{path} exists already; fixtures are never regenerated.", file=sys.stderr)
        return 1
    make(path)
    print(f"wrote {path} ({path.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
