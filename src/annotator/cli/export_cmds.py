"""Report and interchange commands: `export` and `import-annotations` (docs/reference.md).

Exit status: 0 when the report was written or the import ran (even if some annotations could
not be imported: they are listed), 1 with one line on stderr when refused, 2 on a usage error.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from annotator.cli.locations import PROJECT_HELP, project_location

FORMATS = ("html", "pdf", "md", "docx", "csv", "jsonld")


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "export",
        help="write a report (HTML, PDF, Markdown, Word, CSV, W3C JSON-LD)",
        description="Write a report of the project, or of chosen documents, labels or search "
        "results. The same project gives byte-identical HTML, Markdown, CSV and JSON-LD; the one "
        "timestamp they hold is $SOURCE_DATE_EPOCH when set (--no-timestamp leaves it out).",
    )
    p.add_argument("project", metavar="PROJECT", type=project_location, help=PROJECT_HELP)
    p.add_argument(
        "--format",
        choices=FORMATS,
        help="the report's format (default: from the extension of --out)",
    )
    p.add_argument("--out", metavar="FILE", type=Path, required=True, help="the file to write")
    p.add_argument(
        "--doc",
        metavar="DOC",
        action="append",
        default=[],
        help="only this document: id, 1-based number or title prefix (repeatable)",
    )
    p.add_argument(
        "--label",
        metavar="LABEL",
        action="append",
        default=[],
        help="only claims with this label: name, key or id (repeatable)",
    )
    p.add_argument("--query", metavar="QUERY", help="only the claims this search finds")
    p.add_argument("--title", metavar="T", help="the report's title (default: the file's name)")
    p.add_argument(
        "--excel-bom", action="store_true", help="CSV: start with a BOM so Excel reads UTF-8"
    )
    p.add_argument(
        "--no-timestamp", action="store_true", help="leave the generation time out of the report"
    )
    p.set_defaults(func=cmd_export)

    p = subparsers.add_parser(
        "import-annotations",
        help="import claims from W3C Web Annotations or Hypothesis JSON",
        description="Import the claims (and links) of a W3C Web Annotation file (JSON-LD: a "
        "collection, a page or a list) or of Hypothesis API JSON into the project's matching "
        "documents (by id, URL or title). Everything is imported in one transaction; what "
        "cannot be imported is listed. Importing the same file twice adds nothing.",
    )
    p.add_argument("project", metavar="PROJECT", type=project_location, help=PROJECT_HELP)
    p.add_argument("file", metavar="FILE", type=Path)
    p.add_argument(
        "--default-label",
        metavar="LABEL",
        help="label of claims that name none (default: 'unassessed', created when needed)",
    )
    p.set_defaults(func=cmd_import_annotations)


def cmd_export(args: argparse.Namespace) -> int:
    from annotator.cli.main import UsageError
    from annotator.cli.project_cmds import open_project
    from annotator.exporters import (
        AUTO,
        ExportOptions,
        ExportRefused,
        ReportScope,
        export_report,
        format_for_path,
    )

    try:
        fmt = args.format or format_for_path(args.out)
    except ExportRefused as exc:
        raise UsageError(str(exc)) from None
    if args.excel_bom and fmt != "csv":
        raise UsageError("--excel-bom applies to --format csv only.")
    scope = ReportScope(
        documents=tuple(args.doc),
        labels=tuple(args.label),
        query=(args.query or "").strip(),
        title=args.title or "",
    )
    if fmt == "pdf":
        # The PDF printer is Qt's, in the desktop part; the exporters never import it.
        from annotator.exporters.pdf import register_renderer
        from annotator.ui.pdf_export import html_to_pdf

        register_renderer(html_to_pdf)
    with open_project(args.project) as project:
        result = export_report(
            project,
            fmt,
            args.out,
            scope,
            options=ExportOptions(excel_bom=args.excel_bom),
            generated=None if args.no_timestamp else AUTO,
        )
    print(result.message)
    return 0


def cmd_import_annotations(args: argparse.Namespace) -> int:
    from annotator.cli.project_cmds import open_project
    from annotator.exporters import import_annotations

    with open_project(args.project) as project:
        report = import_annotations(project, args.file, default_label=args.default_label)
    for line in report.lines():
        print(line)
    return 0
