"""The two short sources every UI test project is made of (importable from any UI test: the
folder of tests/ui/conftest.py is on sys.path)."""

from __future__ import annotations

from pathlib import Path

from annotator.importers.base import ImportedText
from annotator.services.api import Project

# An emoji (two UTF-16 units) before the claims: Qt's positions and ours differ after it.
LEFT_TEXT = (
    "Harbour report 🚢 from the strike.\n\n"
    "The union says 4,000 dockers walked out on the first morning.\n\n"
    "Police counted fewer than 900 pickets at the gates."
)
RIGHT_TEXT = (
    "Encyclopedia entry.\n\n"
    "Contemporary police records list about 900 pickets at the gates.\n\n"
    "The union's figure of 4,000 is not supported by payroll records."
)


def add_study_documents(project: Project) -> tuple[str, str]:
    """Import the union pamphlet and the encyclopedia entry; their ids."""
    ids = []
    for n, (title, text) in enumerate(
        (("Union pamphlet", LEFT_TEXT), ("Harbour encyclopedia", RIGHT_TEXT)), 1
    ):
        imported = ImportedText(text=text, format="text", title=title)
        changes = project.add_document(imported, f"{n}{text}".encode(), f"doc{n}.txt")
        assert changes.created_id
        ids.append(changes.created_id)
    return ids[0], ids[1]


def create_study(path: Path) -> tuple[str, str]:
    """A project file at `path` with the two documents, closed again; their ids."""
    with Project.create(path) as project:
        return add_study_documents(project)
