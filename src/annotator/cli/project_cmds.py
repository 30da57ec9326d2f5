"""Project commands: new, import, docs, labels, check, demo (claims: see claim_cmds).

Their arguments, output and exit status are a contract users' scripts rely on (see
docs/reference.md). Handlers are thin: they resolve references, call the services and print.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.cli import output as out
from annotator.cli.locations import PROJECT_HELP, project_location
from annotator.cli.main import UsageError
from annotator.domain.errors import ValidationError
from annotator.domain.model import PartialDate
from annotator.services.api import Project

if TYPE_CHECKING:
    from annotator.storage.server import ServerAddress


def register(subparsers: Any) -> None:
    add = subparsers.add_parser

    p = add("new", help="create an empty project file", description="Create an empty project.")
    p.add_argument(
        "project",
        metavar="PROJECT",
        type=project_location,
        help="the project to create: a new file, or an empty database on a server",
    )
    p.set_defaults(func=cmd_new)

    p = add(
        "import",
        help="import documents into a project",
        description="Import files (.txt, .md, .html, .pdf, .docx...). Each file is imported on "
        "its own: a refused file leaves the project untouched and makes the exit status 1.",
    )
    p.add_argument("project", metavar="PROJECT", type=project_location, help=PROJECT_HELP)
    p.add_argument("files", metavar="FILE", nargs="+", type=Path)
    p.add_argument("--title", metavar="T", help="the document's title (one file only)")
    p.add_argument(
        "--author",
        metavar="A",
        action="append",
        default=[],
        help="an author (repeat, or separate with ';'); replaces what the file states",
    )
    p.add_argument("--date", metavar="D", help="publication date: YYYY, YYYY-MM or YYYY-MM-DD")
    p.add_argument("--url", metavar="U", help="where the document was published")
    p.add_argument(
        "--accessed",
        metavar="YYYY-MM-DD",
        help="the day a web source was read or saved (else what the saved page says, or the "
        "import day for HTML pages and documents with a URL)",
    )
    p.set_defaults(func=cmd_import)

    p = add("docs", help="list the documents", description="List the project's documents.")
    p.add_argument("project", metavar="PROJECT", type=project_location, help=PROJECT_HELP)
    p.add_argument("--json", action="store_true", help="print JSON (see the documented shape)")
    p.set_defaults(func=cmd_docs)

    p = add(
        "labels",
        help="list the labels, or add one",
        description="List the labels with their claim counts, or add a label with --add.",
    )
    p.add_argument("project", metavar="PROJECT", type=project_location, help=PROJECT_HELP)
    p.add_argument("--add", metavar="NAME", help="add a label of this name")
    p.add_argument("--color", metavar="#RRGGBB", help="the new label's colour")
    p.add_argument("--key", metavar="K", help="the new label's one-character key")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_labels)

    p = add(
        "check",
        help="verify a project file",
        description="Verify the project: SQLite integrity and foreign keys, every claim's quote "
        "against its document, links, labels and the change number. Exit status 1 on problems.",
    )
    p.add_argument("project", metavar="PROJECT", type=project_location, help=PROJECT_HELP)
    p.set_defaults(func=cmd_check)

    p = add(
        "demo",
        help="create a demo project",
        description="Create a demo project: two contrasting documents with claims and links.",
    )
    p.add_argument("project", metavar="PATH", type=Path, help="the project file to create")
    p.set_defaults(func=cmd_demo)


def open_project(path: Path | ServerAddress) -> Project:
    """Open a project (a file or a server's database) for a command (refusals are one-line
    AnnotatorErrors: a damaged file, a server down or a wrong password...)."""
    project = Project.open(path)
    # Resolve the author before any write: `Project.author` reads a setting, which inside a
    # write transaction would wait on that transaction's own lock.
    _ = project.author
    return project


def positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError("counts from 1 (the first occurrence)")
    return number


# -- new, demo, check --------------------------------------------------------------------------


def cmd_new(args: argparse.Namespace) -> int:
    with Project.create(args.project) as project:
        print(f"Created the project {args.project}.")
        if project.server is not None:
            from annotator.services import members as team

            # A study on a server gets its rights at once when its creator may set them up.
            if team.can_set_up_rights(project):
                groups = team.set_up_rights(project)
                print(f"Its rights are set up: {', '.join(groups)}.")
            else:
                print(
                    "Its rights are not set up yet: a superuser, or the database's owner with "
                    f"CREATEROLE, runs `annotator members {args.project} --init`."
                )
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from annotator.app.demo import build_demo

    with build_demo(args.project) as project:
        docs, claims, links = (
            len(project.documents()),
            project.annotation_count(),
            len(project.links()),
        )
    print(
        f"Created the demo project {args.project}: {docs} documents, {claims} claims, "
        f"{links} links."
    )
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from annotator.services.check import check_project, sqlite_integrity
    from annotator.storage.engine import ProjectDamaged

    try:
        project = open_project(args.project)
    except ProjectDamaged:
        # Show what SQLite itself finds in a file too damaged to open, then refuse it.
        where = args.project
        found = sqlite_integrity(where) if isinstance(where, Path) and where.is_file() else []
        if found and found != ["ok"]:
            print(f"SQLite integrity check: {len(found)} problem(s):")
            for line in found:
                print(f"  - {line}")
        raise
    with project:
        report = check_project(project)
    for line in report.checked:
        print(line)
    if report.ok:
        print("No problems found.")
        return 0
    print(f"{len(report.problems)} problem(s):")
    for problem in report.problems:
        print(f"  - {problem.message}")
    out.warn(f"{args.project.name}: {len(report.problems)} problem(s) found.")
    return 1


# -- import and documents ----------------------------------------------------------------------


def cmd_import(args: argparse.Namespace) -> int:
    from annotator.app.imports import import_files

    overrides: dict[str, Any] = {}
    if args.title is not None:
        if len(args.files) > 1:
            raise UsageError("--title names one document; import that file on its own.")
        overrides["title"] = args.title
    authors = [a.strip() for value in args.author for a in value.split(";") if a.strip()]
    if authors:
        overrides["authors"] = authors
    if args.date is not None:
        overrides["published"] = PartialDate.parse(args.date).iso()
    if args.url is not None:
        overrides["url"] = args.url.strip()
    if args.accessed is not None:
        from annotator.services.documents import accessed_date

        try:
            overrides["accessed"] = accessed_date(args.accessed)
        except ValidationError as exc:  # before the project is opened: nothing is imported
            raise UsageError(f"--accessed: {exc}") from None
        if overrides["accessed"] is None:
            raise UsageError("--accessed needs a day, YYYY-MM-DD, such as 2026-12-02.")
    progress = out.ProgressPrinter()
    with open_project(args.project) as project:
        results = import_files(project, args.files, progress, **overrides)
        titles = {d.id: d.title for d in project.documents()}
    progress.finish()
    refused = 0
    for result in results:
        name = result.path.name
        if result.status == "refused":
            refused += 1
            message = result.message
            if not message.startswith(f"{name}:"):
                message = f"{name}: {message}"
            out.warn(f"refused {message}")
            continue
        title = titles.get(result.document_id or "", "")
        print(f"{result.status:<9}  {result.document_id}  {name}  “{title}”")
        for flag in result.flags:
            out.warn(f"note: {name}: {flag}")
    return 1 if refused else 0


def cmd_docs(args: argparse.Namespace) -> int:
    with open_project(args.project) as project:
        docs = project.documents()
        counts = {doc_id: sum(c.values()) for doc_id, c in project.claim_counts().items()}
    if args.json:
        out.print_json(
            [
                out.document_json(d, number=i, claims=counts.get(d.id, 0))
                for i, d in enumerate(docs, start=1)
            ]
        )
        return 0
    if not docs:
        print("No documents yet: add some with `annotator import PROJECT FILE...`.")
        return 0
    rows = [
        (
            i,
            out.truncate(d.title, 50),
            out.truncate("; ".join(d.authors), 24) or "-",
            out.iso_date(d.published) or "-",
            d.format or "-",
            counts.get(d.id, 0),
            out.short_id(d.id),
        )
        for i, d in enumerate(docs, start=1)
    ]
    print(out.table(["#", "Title", "Authors", "Date", "Format", "Claims", "Id"], rows))
    return 0


# -- labels ------------------------------------------------------------------------------------


def cmd_labels(args: argparse.Namespace) -> int:
    if args.add is None:
        if args.color is not None or args.key is not None:
            raise UsageError("--color and --key describe a new label: use them with --add NAME.")
        with open_project(args.project) as project:
            labels = project.labels()
            usage = project.label_usage()
        if args.json:
            out.print_json([out.label_json(lab, claims=usage.get(lab.id, 0)) for lab in labels])
            return 0
        rows = [(lab.key or "-", lab.name, lab.color, usage.get(lab.id, 0)) for lab in labels]
        print(out.table(["Key", "Label", "Colour", "Claims"], rows))
        return 0
    if args.color is None:
        raise UsageError("--add needs --color '#RRGGBB'.")
    with open_project(args.project) as project:
        changes = project.add_label(args.add, args.color, args.key)
        label_id = changes.created_id
        assert label_id is not None
        if args.json:
            out.print_json(out.label_json(project.label(label_id), claims=0))
            return 0
    print(label_id)
    return 0
