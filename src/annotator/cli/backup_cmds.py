"""Backup commands: `annotator backup PROJECT` and `annotator restore PROJECT [--list] [--from B]`.

Both ask no questions (scriptable). `restore` works on a project that cannot be opened: its
backups are found through the index of project paths the backups keep.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from annotator.cli import output as out
from annotator.cli.locations import PROJECT_HELP, project_location
from annotator.cli.main import UsageError
from annotator.services.backup import (
    DEFAULT_KEEP,
    SERVER_BACKUPS,
    BackupError,
    BackupInfo,
    list_backups,
    make_backup,
    newest_good_backup,
    restore,
    verify_backup,
)


def register(subparsers: Any) -> None:
    add = subparsers.add_parser

    p = add(
        "backup",
        help="back up a project now",
        description="Take a verified snapshot of the project now, into the user data folder "
        "(or $ANNOTATOR_DATA_DIR), keeping the newest ones. The app also backs up by itself.",
    )
    p.add_argument("project", metavar="PROJECT", type=project_location, help=PROJECT_HELP)
    p.add_argument(
        "--keep",
        metavar="N",
        type=int,
        default=DEFAULT_KEEP,
        help=f"how many backups of the project to keep (default {DEFAULT_KEEP})",
    )
    p.set_defaults(func=cmd_backup)

    p = add(
        "restore",
        help="restore a project from a backup",
        description="Replace PROJECT with a backup: the newest good one, or the one --from "
        "names. The current file is kept beside it as PROJECT.damaged-<time> first. Close the "
        "project in every window before restoring.",
    )
    p.add_argument("project", metavar="PROJECT", type=project_location, help=PROJECT_HELP)
    p.add_argument("--list", action="store_true", help="list the backups, newest first")
    p.add_argument(
        "--from",
        dest="source",
        metavar="BACKUP",
        help="a backup file, or its number in --list (1 = newest)",
    )
    p.add_argument("--json", action="store_true", help="with --list: print JSON")
    p.set_defaults(func=cmd_restore)


def cmd_backup(args: argparse.Namespace) -> int:
    from annotator.services.api import Project

    if args.keep < 1:
        raise UsageError("--keep must be at least 1")
    _refuse_server(args.project)
    with Project.open(args.project, readonly=True) as project:
        info = make_backup(project, keep=args.keep)
    print(f"Backed up {args.project.name} ({_facts(info)}) to {info.path}.")
    return 0


def _refuse_server(location: object) -> None:
    if not isinstance(location, Path):
        raise BackupError(SERVER_BACKUPS)


def cmd_restore(args: argparse.Namespace) -> int:
    _refuse_server(args.project)
    if args.list:
        if args.source:
            raise UsageError("--list and --from do not go together")
        return _list(args)
    if args.json:
        raise UsageError("--json goes with --list")
    backups = list_backups(args.project)
    chosen: BackupInfo | Path
    if args.source is None:
        newest = newest_good_backup(args.project)
        if newest is None:
            what = "no usable backup" if backups else "no backup"
            raise BackupError(f"{args.project.name} has {what}; see `annotator restore --list`.")
        chosen = newest
    elif args.source.isdigit():
        number = int(args.source)
        if not 1 <= number <= len(backups):
            raise UsageError(f"--from {number}: there are {len(backups)} backups")
        chosen = backups[number - 1]
        verify_backup(chosen.path)
    else:
        chosen = Path(args.source)
    aside = restore(args.project, chosen)
    if isinstance(chosen, BackupInfo):
        what = f"the backup of {chosen.local_time} ({_facts(chosen)})"
    else:
        what = str(chosen)
    kept = f" The previous file was kept as {aside.name}." if aside else ""
    print(f"Restored {args.project.name} from {what}.{kept}")
    return 0


def _list(args: argparse.Namespace) -> int:
    backups = list_backups(args.project)
    if args.json:
        out.print_json([_json(b) for b in backups])
        return 0
    if not backups:
        print(f"No backups of {args.project.name} were found.")
        return 0
    rows = [
        (
            i,
            b.local_time,
            b.change_number,
            _count(b.claims),
            _count(b.documents),
            _count(b.links),
            b.path,
        )
        for i, b in enumerate(backups, start=1)
    ]
    print(out.table(("#", "DATE", "CHANGE", "CLAIMS", "DOCS", "LINKS", "FILE"), rows))
    return 0


def _count(value: int | None) -> str:
    return "?" if value is None else str(value)


def _facts(info: BackupInfo) -> str:
    claims = f", {info.claims} claims" if info.claims is not None else ""
    return f"change {info.change_number}{claims}"


def _json(info: BackupInfo) -> dict[str, Any]:
    return {
        "path": str(info.path),
        "created": out.iso_datetime(info.created),
        "change_number": info.change_number,
        "claims": info.claims,
        "documents": info.documents,
        "links": info.links,
        "project_id": info.project_id,
        "source": info.source,
    }
