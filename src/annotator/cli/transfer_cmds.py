"""Moving a study: `push` copies a project file into a server's empty database, `pull` copies a
server project into a new file (thin over `annotator.services.transfer`; docs/reference.md).

One line of outcome, or `--json`; exit status 1 with one line when refused (the target is then
as it was), 2 on a usage error. No URL is ever printed with its password.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.cli import output as out
from annotator.cli.locations import project_location
from annotator.cli.main import UsageError

if TYPE_CHECKING:
    from annotator.services.transfer import TransferResult
    from annotator.storage.server import ServerAddress

URL_HELP = "a database on a PostgreSQL server: postgresql://user@host:port/database"


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "push",
        help="copy a project file into an empty database of a server",
        description="Copy the project file into an empty database of a PostgreSQL server: "
        "every document, claim, link, label, settlement, saved search, setting and the change "
        "history, with their ids, authors and dates. One transaction: refused or failed, the "
        "database is left as it was. Empty means: no tables, the schema alone, or a project "
        "`annotator new` made that holds no documents, claims, saved searches or labels of "
        "its own (it is replaced).",
    )
    p.add_argument("file", metavar="FILE", type=project_location, help="the project file")
    p.add_argument("url", metavar="URL", type=project_location, help=URL_HELP)
    p.add_argument("--json", action="store_true", help="print JSON (see the documented shape)")
    p.set_defaults(func=cmd_push)

    p = subparsers.add_parser(
        "pull",
        help="copy a server project into a new project file",
        description="Copy the project of a PostgreSQL server's database into a new project "
        "file, which must not exist: ids, authors, dates and the change history kept. The file "
        "appears only once complete.",
    )
    p.add_argument("url", metavar="URL", type=project_location, help=URL_HELP)
    p.add_argument("file", metavar="FILE", type=project_location, help="the new project file")
    p.add_argument("--json", action="store_true", help="print JSON (see the documented shape)")
    p.set_defaults(func=cmd_pull)


def _file_and_server(file: Path | ServerAddress, url: Path | ServerAddress) -> tuple[Path, Any]:
    from annotator.storage.server import ServerAddress

    if not isinstance(file, Path):
        raise UsageError(f"FILE is a project file, not a server address ({file.display}).")
    if not isinstance(url, ServerAddress):
        raise UsageError(f"URL is a server address (postgresql://...), not a file ({url}).")
    return file, url


def cmd_push(args: argparse.Namespace) -> int:
    from annotator.services.transfer import push

    file, server = _file_and_server(args.file, args.url)
    result = push(file, server)
    _report("push", result, f"Pushed {_counts(result)} to {result.target}.", args.json)
    return 0


def cmd_pull(args: argparse.Namespace) -> int:
    from annotator.services.transfer import pull

    file, server = _file_and_server(args.file, args.url)
    result = pull(server, file)
    _report(
        "pull", result, f"Pulled {_counts(result)} from {result.source} into {file}.", args.json
    )
    return 0


def _counts(result: TransferResult) -> str:
    def n(count: int, noun: str) -> str:
        return f"{count} {noun}{'' if count == 1 else 's'}"

    return (
        f"{n(result.documents, 'document')}, {n(result.claims, 'claim')}, {n(result.links, 'link')}"
    )


def _report(direction: str, result: TransferResult, line: str, as_json: bool) -> None:
    if not as_json:
        print(line)
        return
    out.print_json(
        {
            "direction": direction,
            "source": result.source,
            "target": result.target,
            "documents": result.documents,
            "claims": result.claims,
            "links": result.links,
            "change_number": result.change_number,
            "rows": dict(sorted(result.rows.items())),
        }
    )
