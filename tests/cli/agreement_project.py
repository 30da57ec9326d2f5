"""A project file holding the claims of three annotators, for the agreement tests.

ann, bob and cy mark two documents; the expected figures are worked out by hand in the tests.
(A module of its own: both the CLI and the services tests build it.)"""

from __future__ import annotations

from pathlib import Path

from cli_helpers import run_cli

from annotator.services.api import Project

FIRST = (
    "The minister said the war began in 2014 and that nobody had warned him. "
    "Critics dispute this claim. The opposition called it a lie told to cover up failure."
)
SECOND = "A second paper repeats the claim without any source at all."

# (annotator, document 1 or 2, start, end, label)
CLAIMS = [
    ("ann", 1, 0, 20, "sourced"),
    ("ann", 1, 30, 50, "disputed"),
    ("ann", 1, 60, 80, "polemical"),
    ("ann", 2, 0, 10, "sourced"),
    ("bob", 1, 2, 20, "sourced"),
    ("bob", 1, 30, 45, "sourced"),
    ("bob", 1, 60, 80, "polemical"),
    ("bob", 1, 100, 110, "disputed"),  # nobody else marked this: unmatched
    ("bob", 2, 0, 10, "disputed"),
    ("cy", 1, 0, 20, "sourced"),
]


def build_team_project(folder: Path) -> tuple[Path, list[str]]:
    """The project file and its document ids (in project order)."""
    (folder / "first.txt").write_text(FIRST, encoding="utf-8")
    (folder / "second.txt").write_text(SECOND, encoding="utf-8")
    path = folder / "team.annot"
    assert run_cli("new", path).returncode == 0
    result = run_cli("import", path, folder / "first.txt", folder / "second.txt")
    assert result.returncode == 0, result.stderr
    with Project.open(path) as project:
        docs = [d.id for d in project.documents()]
        for who, doc, start, end, label in CLAIMS:
            project.set_author(who)
            project.create_claim(docs[doc - 1], start, end, project.label(label).id)
    return path, docs
